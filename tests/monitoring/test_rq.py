"""The polls of monitoring on Redis (TTDN_TASKS_BACKEND=rq): the schedule queues a due source's poll through
Django's tasks API into the Redis server on 127.0.0.1, an RQ worker works it, and the feed's stories are in."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
import uuid
from collections.abc import Iterator

import pytest
import time_machine
from django.test import override_settings

from ttdn.monitoring import services
from ttdn.monitoring.models import Item, Poll

REDIS = "redis://127.0.0.1:6379/14"
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
FEED = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Tin Biển Đông</title>
<item><title>Khánh Hòa đón tàu du lịch quốc tế đầu tiên của mùa mới</title><link>https://bien.example/1</link>
<pubDate>Mon, 30 Nov 2026 08:00:00 +0700</pubDate><description>Cảng Nha Trang của tỉnh Khánh Hòa đón tàu du lịch
quốc tế chở hơn hai nghìn khách châu Âu, mở đầu mùa du lịch biển.</description></item>
<item><title>Cruise season opens in Khanh Hoa</title><link>https://bien.example/2</link>
<pubDate>Mon, 30 Nov 2026 09:00:00 +0700</pubDate><description>Nha Trang port in Khanh Hoa province welcomed
the season's first international cruise ship.</description></item></channel></rss>""".encode()


class _Feed(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(FEED)))
        self.end_headers()
        self.wfile.write(FEED)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def redis_queue() -> Iterator[str]:
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    name = f"ttdn-test-{uuid.uuid4().hex[:8]}"
    yield name
    for key in connection.scan_iter(f"*{name}*"):
        connection.delete(key)


@pytest.fixture
def feed_url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/rss.xml"
    server.shutdown()


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_polls_run_on_redis_through_rq(redis_queue: str, feed_url: str) -> None:
    import django_rq
    from django_tasks_rq import Job

    from ttdn.monitoring import jobs
    from ttdn.site.management.commands.worker import work_rq

    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [redis_queue]}},
        RQ_QUEUES={redis_queue: {"URL": REDIS}},
    ):
        source = services.add_source(None, name="Tin Biển Đông", url=feed_url)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(jobs, "poll_source", jobs.poll_source.using(queue_name=redis_queue))
            assert services.queue_due_polls() == 1
        queue = django_rq.get_queue(redis_queue, job_class=Job)
        assert queue.count == 1  # waiting in Redis, not in the database
        assert not Item.objects.filter(source=source).exists()

        work_rq(burst=True, queues=[redis_queue])

        assert queue.count == 0
        assert Poll.objects.get(source=source).status == "ok"
        titles = set(Item.objects.filter(source=source).values_list("title", flat=True))
        assert titles == {
            "Khánh Hòa đón tàu du lịch quốc tế đầu tiên của mùa mới",
            "Cruise season opens in Khanh Hoa",
        }
        assert Item.objects.filter(source=source, tags__current__short_name="Khánh Hòa").count() == 2
