"""Background work of opinion monitoring, run by the job worker (``ttdn worker``): one poll of a source (the
worker's schedule queues those whose turn has come: ``services.queue_due_polls``) and a large bulk import."""

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
def take_in_export(run_id: int) -> None:
    """Nhập tin hàng loạt: take a large export in (see :func:`ttdn.monitoring.services.perform_run`)."""
    from ttdn.monitoring.services import perform_run

    perform_run(run_id)
