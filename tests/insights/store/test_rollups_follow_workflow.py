"""Random workflow actions, then the rollup answers must equal a direct computation, and the
incrementally kept tables must equal a full rebuild."""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from pracha.agencies.models import Agency, Officer
from pracha.cases.errors import DomainError
from pracha.cases.models import Case, Category
from pracha.cases.services import citizen, workflow
from pracha.insights.store.metrics import RELATIVE_ERROR_BOUND
from pracha.insights.store.rebuild import TABLES, rebuild
from pracha.tickets import citizen_token
from tests.insights.store.oracle import oracle

pytestmark = pytest.mark.django_db

CODES = ["road", "flooding", "lighting", "trees"]
DISTRICTS = ["จตุจักร", "บางรัก", "ปทุมวัน"]
COMPARED = ("reported", "open", "closed", "backlog", "closed_within_target", "reopened")
COMPARED += ("ratings", "me_too", "forwards", "forwarded")


def table_contents() -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table}")
            names = [d[0] for d in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            for row in rows:
                row.pop("id", None)
            # Rows whose sums fell back to zero are harmless leftovers of incremental updates.
            rows = [r for r in rows if any(v for k, v in r.items() if k in SUM_COLUMNS)]
            out[table] = sorted((tuple(sorted(r.items())) for r in rows), key=repr)
    return out


SUM_COLUMNS = {"reported", "forwards", "case_id"}


def act(rng: random.Random, case: Case, officers: dict[int, Officer], agencies: list[Agency]):
    case.refresh_from_db()
    officer = officers[case.agency_id]
    token = citizen_token(case.ticket_id)
    choice = rng.choice(
        [
            "accept",
            "state",
            "forward",
            "invite",
            "close",
            "reopen",
            "rate",
            "me_too",
            "categories",
            "district",
            "created",
            "comment",
        ]
    )
    if choice == "accept":
        workflow.do_accept(case, officer)
    elif choice == "state":
        workflow.do_change_state(case, officer, rng.choice(["in_progress", "studying", "policy"]))
    elif choice == "forward":
        target = rng.choice([a for a in agencies if a.pk != case.agency_id])
        workflow.do_forward(case, officer, target, "not ours")
    elif choice == "invite":
        workflow.do_invite(case, officer, rng.choice(agencies), "help please")
    elif choice == "close":
        outcome = rng.choice(["done", "done", "irrelevant"])
        workflow.do_close(case, officer, outcome, "fixed" if outcome == "done" else "not a case")
    elif choice == "reopen":
        citizen.do_reopen(case, "still broken", token)
    elif choice == "rate":
        citizen.do_rate(case, rng.randint(1, 5), token)
    elif choice == "me_too":
        citizen.do_me_too(case)
    elif choice == "categories":
        case.categories.set(Category.objects.filter(code__in=rng.sample(CODES, rng.randint(0, 2))))
    elif choice == "district":
        case.district = rng.choice(DISTRICTS)
        case.save(update_fields=["district"])
    elif choice == "created":
        case.created_at = timezone.now() - timedelta(hours=rng.uniform(1, 24 * 150))
        case.save(update_fields=["created_at"])
    else:
        workflow.do_comment(case, officer, "working on it", public=rng.random() < 0.5)


@pytest.mark.slow
def test_random_workflow_keeps_rollups_equal_to_direct_computation(
    api: Client,
    bma: Agency,
    make_agency: Callable[..., Agency],
    make_officer: Callable[..., tuple[Officer, str]],
    make_case: Callable[..., Case],
) -> None:
    rng = random.Random(7)
    agencies = [bma, make_agency("khet-a"), make_agency("khet-b")]
    officers = {a.pk: make_officer(a)[0] for a in agencies}
    now = timezone.localtime()
    cases = []
    for _ in range(30):
        created = now - timedelta(hours=rng.uniform(1, 24 * 150))
        cases.append(
            make_case(
                categories=rng.sample(CODES, rng.randint(0, 3)),
                created=created.strftime("%Y-%m-%d %H:%M"),
                district=rng.choice(DISTRICTS),
                lat=13.7 + rng.random() / 50,
                lon=100.5 + rng.random() / 50,
            )
        )
    for _ in range(300):
        # A move the case's state refuses changes nothing.
        with contextlib.suppress(DomainError):
            act(rng, rng.choice(cases), officers, agencies)
    Case.objects.filter(pk=cases[0].pk).delete()

    today = now.date()
    periods = [
        (None, None),
        (today - timedelta(days=60), today),
        (today - timedelta(days=100), today - timedelta(days=20)),
        (date(2000, 1, 1), today - timedelta(days=75)),
    ]
    for by in ("state", "category", "district", "agency"):
        for first, last in periods:
            for filters in (
                {},
                {"district": "บางรัก"},
                {"category": "road"},
                {"category": "flooding", "agency": "khet-a"},
            ):
                check(api, by, first, last, filters)

    incremental = table_contents()
    rebuild()
    assert table_contents() == incremental


def check(
    api: Client, by: str, first: date | None, last: date | None, filters: dict[str, str]
) -> None:
    query = f"by={by}" + "".join(f"&{k}={v}" for k, v in filters.items())
    if first:
        query += f"&from={first}"
    if last:
        query += f"&to={last}"
    body = api.get(f"/api/v1/indicators?{query}").json()
    got = {row["key"]: row for row in body["rows"]}
    expected = oracle(by, first, last, **filters)
    assert set(got) == set(expected), query
    for key, want in expected.items():
        row = got[key]
        for name in COMPARED:
            assert row[name] == want[name], (query, key, name)
        for name, exact in (
            ("median_hours_to_close", want["median"]),
            ("p90_hours_to_close", want["p90"]),
        ):
            if exact is None:
                assert row[name] is None
            else:
                assert abs(row[name] - exact) <= RELATIVE_ERROR_BOUND * exact + 0.3, (query, key)
        if want["reopen_rate"] is None:
            assert row["reopen_rate"] is None
        else:
            assert row["reopen_rate"] == pytest.approx(want["reopen_rate"], abs=1e-4)
        if want["mean_stars"] is not None:
            assert row["mean_stars"] == pytest.approx(want["mean_stars"], abs=0.01)
