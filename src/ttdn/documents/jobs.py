"""Background jobs of the document registry, run by the job worker (``ttdn worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def bulk_import(run_id: int) -> None:
    """Nhập hàng loạt: work one bulk import run (see :mod:`ttdn.documents.bulk`)."""
    from ttdn.documents.bulk import perform

    perform(run_id)
