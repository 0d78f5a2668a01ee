"""A query budget per key page: the queries of a request do not grow with the rows a page shows or the data
behind it. Each key page is requested as a central officer and as a unit officer at two sizes of the data,
the second several times the first (documents, task occurrences, tracking values, users), and issues the same
number of queries at both. (Inside a test's transaction the fragment cache keeps nothing, so these are the
counts of a page built from the database, the slow path.)"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ttdn.accounts.models import Role, User
from ttdn.documents import search
from ttdn.documents.models import Document
from ttdn.documents.services import _set_keys, _terms
from ttdn.orgs.models import OrgKind, OrgUnit
from ttdn.reporting.models import TrackingItem, TrackingValue
from ttdn.tasks.models import Duty, DutyState, Task, TaskOccurrence

TODAY = dt.date(2026, 11, 20)
PAGES = (
    "/",
    "/orgs/",
    "/orgs/?view=tree",
    "/orgs/?q=quang",
    "/docs/",
    "/docs/?q=ngan+sach+thu+nghiem",
    "/docs/?q=ngan+sach+thu+nghiem&scope=text",
    "/tasks/",
    "/tasks/?status=overdue",
    "/tasks/overdue/",
    "/tasks/overdue/?unit=T44-2025",
    "/reporting/",
    "/reporting/tracking/",
    "/reporting/tracking/?mode=current",
    "/plans/",
    "/tasks/notifications/",
)
ROLES = ("cuc.canbo", "quangtri.canbo")
WORDS = (
    "ngân sách",
    "thử nghiệm",
    "thông tin",
    "đối ngoại",
    "kế hoạch",
    "tuyên truyền",
    "biên giới",
    "hợp tác",
)


def grow(rng: random.Random, factor: int) -> None:
    """Add ``factor`` times a slice of data: documents matching the page's search, duties issued to bodies with
    their yearly occurrences (Quảng Trị's among them, some overdue), tracking values of the communes, users."""
    start = Document.objects.count()
    docs = []
    for i in range(30 * factor):
        doc = Document(
            number=f"{start + i + 1}/KH-NS",
            doc_type="Kế hoạch",
            issuer_name="Ủy ban nhân dân tỉnh Quảng Trị",
            issued_on=dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(4000)),
            subject=f"Kế hoạch ngân sách thử nghiệm {' '.join(rng.sample(WORDS, 3))}",
            text=f"Nội dung ngân sách thử nghiệm số {i}. " * 3,
        )
        _set_keys(doc)
        doc.search_text = " ".join(sorted(_terms(doc)))
        docs.append(doc)
    Document.objects.bulk_create(docs)
    search.bulk_update([(d.pk, d.search_text, d.text, d.issued_on) for d in docs])
    bodies = list(OrgUnit.objects.valid_on(TODAY).filter(kind__in=[OrgKind.PROVINCE, OrgKind.MINISTRY]))
    quang_tri = OrgUnit.objects.get(code="T44-2025")
    for n in range(8 * factor):
        duty = Duty.objects.create(
            document=docs[n % len(docs)],
            section=f"{n % 9 + 1}",
            order=1000 * factor + n,
            text=f"Nhiệm vụ {' '.join(rng.sample(WORDS, 4))} {n}.",
            fingerprint=f"budget-{factor}-{n}",
            state=DutyState.ISSUED,
        )
        for lead in {quang_tri, *rng.sample(bodies, 3)}:
            task = Task.objects.create(duty=duty, lead=lead)
            TaskOccurrence.objects.bulk_create(
                TaskOccurrence(
                    task=task,
                    period=str(year),
                    due=dt.date(year, rng.randint(1, 12), 15),
                    progress=rng.choice([0, 40, 100]),
                )
                for year in (2024, 2025, 2026)
            )
    communes = list(OrgUnit.objects.valid_on(TODAY).filter(kind=OrgKind.COMMUNE)[: 200 * factor])
    items = [
        TrackingItem.objects.get_or_create(
            code=f"budget_{n}",
            defaults={"name": f"Hạng mục {n}", "order": 200 + n, "sentence_order": 200 + n},
        )[0]
        for n in range(factor)
    ]
    TrackingValue.objects.bulk_create(
        [TrackingValue(unit=u, item=i, year=2025, value=rng.random() < 0.5) for u in communes for i in items],
        ignore_conflicts=True,
    )
    User.objects.bulk_create(
        User(username=f"budget.{factor}.{n}", role=Role.UNIT_OFFICER, org_unit=rng.choice(bodies))
        for n in range(20 * factor)
    )


def counts() -> dict[str, int]:
    found = {}
    for username in ROLES:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for url in PAGES:
            client.get(url)  # the first request of a page may fill per-process caches (the lineage)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code == 200, url
            found[f"{username} {url}"] = len(ctx)
    return found


@pytest.mark.django_db
def test_key_pages_issue_as_many_queries_at_five_times_the_data(time_machine) -> None:  # noqa: ANN001
    time_machine.move_to(dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC), tick=False)
    rng = random.Random(14)
    grow(rng, 1)
    small = counts()
    grow(rng, 4)  # five times the first slice
    large = counts()
    grown = {page: (small[page], large[page]) for page in small if small[page] != large[page]}
    assert not grown, f"queries at 1x / 5x the data: {grown}"
    assert max(small.values()) <= 35, small  # and a budget (the tracking table built from every source: ~30)
