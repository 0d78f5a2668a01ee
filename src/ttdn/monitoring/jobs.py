"""Background work of opinion monitoring, run by the job worker (``ttdn worker``): one poll of a source, and
the minute's look for the sources whose turn has come."""

from __future__ import annotations

from django_tasks import task


@task()
def poll_source(source_id: int) -> None:
    """Lấy tin: poll one source (see :func:`ttdn.monitoring.services.poll`)."""
    from ttdn.monitoring.models import Source
    from ttdn.monitoring.services import poll

    source = Source.objects.filter(pk=source_id, active=True).first()
    if source is not None:
        poll(source)


@task()
def poll_due() -> int:
    """Queue a poll of each active feed whose interval has passed since its last poll."""
    from ttdn.monitoring.services import due_sources

    due = due_sources()
    for source in due:
        poll_source.enqueue(source.pk)
    return len(due)
