"""``ttdn worker``: the job worker (bulk imports, the polls of opinion monitoring's sources).

It works the jobs kept in the database (django-tasks-db's ``db_worker``) after removing the staged files that
transactions which never committed left behind, and queues again the bulk imports a stopped worker left halfway; a thread queues, every minute, the polls of the
sources whose turn has come. ``ttdn serve`` starts one beside the server; a larger set-up runs
it as a service of its own (docs/deploy.md). ``--batch`` works what is queued and stops.

With ``TTDN_TASKS_BACKEND=rq`` the jobs wait in Redis and the same command runs an RQ worker on them (as many as
needed, on other machines too); only one of them should keep the schedule (``--no-schedule`` on the others)."""

from __future__ import annotations

import threading
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from ttdn.core.storage import purge_staging
from ttdn.documents.bulk import requeue_stopped
from ttdn.monitoring.services import requeue_runs


class Command(BaseCommand):
    help = "Run the job worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="work the queued jobs, then stop")
        parser.add_argument("--no-startup-delay", action="store_true")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between looks at the queue")
        parser.add_argument(
            "--no-schedule", action="store_true", help="work jobs only; another keeps the schedule"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        purge_staging(settings.MEDIA_ROOT)
        if not options["batch"] and not options["no_schedule"]:
            threading.Thread(target=_schedule, name="ttdn-schedule", daemon=True).start()
        requeue_stopped()  # one worker is the set-up: a run still marked as running was stopped with it
        requeue_runs()
        if settings.TASKS_BACKEND == "rq":
            work_rq(burst=options["batch"])
            return
        argv = ["--interval", str(options["interval"])]
        if options["batch"]:
            argv.append("--batch")
        if options["no_startup_delay"] or options["batch"]:
            argv.append("--no-startup-delay")
        call_command("db_worker", *argv)


def work_rq(*, burst: bool = False, queues: list[str] | None = None) -> None:
    """Work the jobs waiting in Redis (django-tasks-rq), in this process (no fork: the jobs are short and the
    database connection is the process's own)."""
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    found = [
        django_rq.get_queue(name, job_class=Job) for name in queues or settings.TASKS["default"]["QUEUES"]
    ]
    worker = SimpleWorker(found, connection=found[0].connection, job_class=Job)
    worker.work(burst=burst, with_scheduler=False)


SCHEDULE_SECONDS = 60


def _schedule() -> None:
    """Every minute, queue the look for the sources of opinion monitoring whose turn has come."""
    from django.db import close_old_connections

    from ttdn.monitoring.services import queue_due_polls

    time.sleep(SCHEDULE_SECONDS / 2)  # the server beside it starts first (the demo's feed is served by it)
    while True:
        try:
            queue_due_polls()
        except Exception:  # noqa: BLE001 (the database is away for a moment: try again next minute)
            pass
        finally:
            close_old_connections()
        time.sleep(SCHEDULE_SECONDS)
