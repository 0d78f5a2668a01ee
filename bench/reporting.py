"""Tracking-table benchmark: the table's totals and "done at least once" counts computed by the
platform (selectors.tracking_view), next to one raw SQL statement computing the same figures
(the totals alone are printed too, as a floor).

Two shapes: the provinces of each year (63, then 34 from 2025) x 30 items x 15 years, and 3,321 communes
x 30 items x 5 years. Each year's values belong to the bodies that existed at its end, as the table counts
them. Then the tracking table's .docx appendix for 63 provinces x 6 items x 2 years (best of 3, against its
1 s target; ``--docx-only`` runs that alone). Prints figures and ratios; asserts nothing. Runs on a fresh
SQLite database, or on TTDN_DATABASE_URL.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time


def main() -> int:
    if not os.environ.get("TTDN_DATABASE_URL"):
        os.environ["TTDN_VAR_DIR"] = tempfile.mkdtemp(prefix="ttdn-bench-rep-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ttdn.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("setup", verbosity=0)
    if "--docx-only" in sys.argv:
        tracking_docx(random.Random(7))
        return 0
    import datetime as dt

    from django.contrib.auth.models import AnonymousUser

    from ttdn.orgs.models import OrgKind, OrgUnit
    from ttdn.reporting.models import TrackingItem, TrackingValue
    from ttdn.reporting.selectors import tracking_view

    print(f"database: {connection.vendor}")
    rng = random.Random(7)
    items = [
        TrackingItem.objects.get_or_create(
            code=f"bench_{n:02d}", defaults={"name": f"Hạng mục {n}", "order": 100 + n}
        )[0]
        for n in range(30)
    ]
    shapes = [
        ("63/34 provinces x 30 items x 15 years", OrgKind.PROVINCE, list(range(2011, 2026))),
        ("3,321 communes x 30 items x 5 years", OrgKind.COMMUNE, list(range(2026, 2031))),
    ]
    for label, kind, years in shapes:
        TrackingValue.objects.filter(item__in=items).delete()
        units = {y: list(OrgUnit.objects.valid_on(dt.date(y, 12, 31)).filter(kind=kind)) for y in years}
        start = time.perf_counter()
        with transaction.atomic():
            TrackingValue.objects.bulk_create(
                [
                    TrackingValue(unit=u, item=i, year=y, value=rng.random() < 0.4)
                    for y in years
                    for u in units[y]
                    for i in items
                ],
                batch_size=5000,
            )
        print(
            f"{label}: {TrackingValue.objects.filter(item__in=items).count():,} values written in {time.perf_counter() - start:.1f} s"
        )
        analyze()

        viewer = AnonymousUser()

        def platform() -> tuple[list[int], list[dict[str, int]]]:
            view = tracking_view(viewer, years=years, kind=kind, as_of=dt.date(2026, 11, 22))
            return view.totals, [era.ever for era in view.eras]

        def valid(year: int) -> str:
            end = f"'{year}-12-31'"
            return f"(u.valid_from IS NULL OR u.valid_from <= {end}) AND (u.valid_to IS NULL OR u.valid_to >= {end})"

        def raw_totals() -> list[tuple]:
            """Per item and year, the bodies of that year that did it."""
            per_year = " OR ".join(f"(v.year = {y} AND {valid(y)})" for y in years)
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT v.item_id, v.year, SUM(CASE WHEN v.value THEN 1 ELSE 0 END) FROM reporting_trackingvalue v "
                    f"JOIN orgs_orgunit u ON u.id = v.unit_id WHERE u.kind = %s AND ({per_year}) GROUP BY v.item_id, v.year",
                    [kind],
                )
                return cursor.fetchall()

        eras: list[list[int]] = []
        for y in years:  # years with the same bodies are counted together (63 until 2024, 34 in 2025)
            if eras and {u.pk for u in units[y]} == {u.pk for u in units[eras[-1][0]]}:
                eras[-1].append(y)
            else:
                eras.append([y])

        def raw_sql() -> list[tuple]:
            """Totals per item and year and, per era, bodies that did each item at least once, in one statement."""
            per_year = ", ".join(
                f"SUM(CASE WHEN v.year = {y} AND v.value AND {valid(y)} THEN 1 ELSE 0 END) AS y{y}"
                for y in years
            )
            per_era = ", ".join(
                f"MAX(CASE WHEN v.year IN ({', '.join(map(str, era))}) AND v.value AND {valid(era[0])} THEN 1 ELSE 0 END) AS e{k}"
                for k, era in enumerate(eras)
            )
            outer = ", ".join([f"SUM(y{y})" for y in years] + [f"SUM(e{k})" for k in range(len(eras))])
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT item_id, {outer} FROM (SELECT v.item_id, v.unit_id, {per_year}, {per_era} "
                    "FROM reporting_trackingvalue v JOIN orgs_orgunit u ON u.id = v.unit_id WHERE u.kind = %s AND v.year BETWEEN %s AND %s "
                    "GROUP BY v.item_id, v.unit_id) AS per_body GROUP BY item_id",
                    [kind, years[0], years[-1]],
                )
                return cursor.fetchall()

        platform()
        raw_sql()
        ours = statistics.median(timed(platform) for _ in range(5))
        theirs = statistics.median(timed(raw_sql) for _ in range(5))
        floor = statistics.median(timed(raw_totals) for _ in range(5))
        print(
            f"  tracking table (totals + ever counts): {ours:.0f} ms; the same figures in one raw SQL statement: {theirs:.0f} ms; ratio {ours / theirs:.2f}x"
        )
        print(f"  (totals alone in one raw SQL aggregate: {floor:.0f} ms)")
    TrackingValue.objects.filter(item__in=items).delete()
    TrackingItem.objects.filter(pk__in=[i.pk for i in items]).delete()
    tracking_docx(rng)
    reporting_rate(rng)
    return 0


def tracking_docx(rng: random.Random) -> None:
    """The tracking table's .docx appendix (exports.to_docx) for the 63 provinces of 2012, the six items
    and two years, built in memory as the export view hands it over; best of 3 against the 1 s target."""
    import datetime as dt

    from ttdn.orgs.models import OrgKind, OrgUnit
    from ttdn.reporting import exports, tracking

    names = sorted(
        OrgUnit.objects.valid_on(dt.date(2012, 12, 31))
        .filter(kind=OrgKind.PROVINCE)
        .values_list("name", flat=True)
    )
    items = [d.code for d in tracking.item_defs()]
    years = [2011, 2012]
    table = tracking.TrackingTable(
        items=items,
        years=years,
        rows=[
            tracking.Row(name=name, marks={(i, y): rng.random() < 0.4 for i in items for y in years})
            for name in names
        ],
    )
    sentences = tracking.sentences(table.ever_counts(), len(table.rows))

    def export() -> bytes:
        return exports.to_docx(
            table,
            title="Bảng theo dõi công tác thông tin đối ngoại của các tỉnh, thành phố năm 2011 - 2012",
            sentences=sentences,
            issuer="Cục Thông tin cơ sở và Thông tin đối ngoại",
            superior="Bộ Văn hóa, Thể thao và Du lịch",
        )

    size = len(export())
    best = min(timed(export) for _ in range(3))
    print(
        f"tracking .docx appendix, {len(names)} provinces x {len(items)} items x {len(years)} years: {best:.0f} ms "
        f"(best of 3, {size / 1024:.0f} KB); {best / 1000:.2f}x the 1 s target"
    )


def reporting_rate(rng: random.Random) -> None:
    """Reporting and on-time rates (submissions.completeness) for 34 provinces and for 3,321 communes,
    next to one raw SQL statement computing the same three figures (expected, submitted, on time)."""
    import datetime as dt

    from django.db import connection, transaction
    from django.utils import timezone

    from ttdn.orgs.models import OrgKind, OrgUnit
    from ttdn.reporting.models import ExpectedReporter, ReportForm, Submission, SubmissionState
    from ttdn.reporting.services.submissions import completeness, deadline_of, period_of

    for label, kind in (("34 provinces", OrgKind.PROVINCE), ("3,321 communes", OrgKind.COMMUNE)):
        form = ReportForm.objects.create(
            code=f"bench_{kind}", name="bench", period_type="year", deadline_month=11, deadline_day=25
        )
        ExpectedReporter.objects.create(form=form, kind=kind)
        units = list(OrgUnit.objects.valid_on(dt.date(2026, 12, 14)).filter(kind=kind))
        with transaction.atomic():
            Submission.objects.bulk_create(
                [
                    Submission(
                        form=form,
                        unit=u,
                        period="2026",
                        state=SubmissionState.SUBMITTED,
                        submitted_at=timezone.make_aware(dt.datetime(2026, 11, rng.randint(10, 30), 9)),
                    )
                    for u in units
                    if rng.random() < 0.7
                ],
                batch_size=2000,
            )
        due = deadline_of(form, period_of(form, "2026"))
        analyze()

        def raw() -> tuple:
            """Expected bodies, submitted and on time, in one statement (the same figures as completeness)."""
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT COUNT(u.id), COUNT(s.id), SUM(CASE WHEN s.submitted_at < %s THEN 1 ELSE 0 END) FROM orgs_orgunit u "
                    "LEFT JOIN reporting_submission s ON s.unit_id = u.id AND s.form_id = %s AND s.period = %s AND s.state <> 'draft' "
                    "AND s.submitted_at IS NOT NULL WHERE u.kind = %s "
                    "AND (u.valid_from IS NULL OR u.valid_from <= %s) AND (u.valid_to IS NULL OR u.valid_to >= %s)",
                    [
                        timezone.make_aware(dt.datetime.combine(due + dt.timedelta(days=1), dt.time())),
                        form.pk,
                        "2026",
                        kind,
                        dt.date(2026, 12, 14),
                        dt.date(2026, 12, 14),
                    ],
                )
                return cursor.fetchone()

        ours_result = completeness(form, "2026")
        theirs_result = raw()
        assert (ours_result["expected"], ours_result["submitted"], ours_result["on_time"]) == tuple(
            int(n or 0) for n in theirs_result
        )
        ours = statistics.median(timed(lambda: completeness(form, "2026")) for _ in range(5))
        theirs = statistics.median(timed(raw) for _ in range(5))
        print(
            f"reporting rate, {label}: {ours:.2f} ms; one raw SQL statement: {theirs:.2f} ms; ratio {ours / theirs:.2f}x "
            f"(rate {ours_result['submitted']}/{ours_result['expected']}, on time {ours_result['on_time']})"
        )
        Submission.objects.filter(form=form).delete()
        form.delete()


def analyze() -> None:
    """On PostgreSQL, refresh the planner's statistics after a bulk load, as autovacuum would in
    production. SQLite is left as it runs in production: nothing analyses it on its own."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def timed(fn) -> float:  # noqa: ANN001
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


if __name__ == "__main__":
    sys.exit(main())
