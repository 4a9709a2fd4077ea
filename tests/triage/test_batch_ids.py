"""`pracha triage`: `ticket_id` echoes each input row's id exactly as the file writes it (short
ids without the year included), and `stored_ticket_id`, the last column, is the id Pracha
stores (`2023-GHA47R`)."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from pracha.triage.batch import COLUMNS
from pracha.triage.management.commands.triage import Command
from tests.triage.support import KeywordClassifier

FIXTURES = Path(__file__).resolve().parents[1] / "importer" / "fixtures"
CONTRACT = (
    "ticket_id",
    "categories",
    "scores",
    "district",
    "subdistrict",
    "agency",
    "needs_review",
    "province",
    "agency_code",
    "near_boundary",
    "routed_by",
    "model_version",
    "error",
)


def _with_ids(target: Path, ids: list[str]) -> Path:
    """The API-format fixture with its first rows' ids replaced by `ids`."""
    with (FIXTURES / "api_2023_05.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    column = rows[0].index("ticket_id")
    for row, ticket in zip(rows[1:], ids, strict=False):
        row[column] = ticket
    with target.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows[: len(ids) + 1])
    return target


def _triage(source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    monkeypatch.setattr(Command, "_classifier", lambda self, no_train: KeywordClassifier())
    out = tmp_path / "out.csv"
    call_command("triage", "--input", str(source), "--output", str(out), stderr=StringIO())
    with out.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == (*CONTRACT, "stored_ticket_id", "co_agencies")
        return list(reader)


def test_the_new_columns_come_last_and_the_contract_keeps_its_order() -> None:
    assert COLUMNS[: len(CONTRACT)] == CONTRACT
    assert COLUMNS[len(CONTRACT) :] == ("stored_ticket_id", "co_agencies")


def test_ids_are_echoed_as_given_and_stored_ids_follow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _with_ids(tmp_path / "short.csv", ["GHA47R", "2023-HUHM7N", " KN8ATT"])
    rows = _triage(source, tmp_path, monkeypatch)
    assert [(r["ticket_id"], r["stored_ticket_id"]) for r in rows] == [
        ("GHA47R", "2023-GHA47R"),
        ("2023-HUHM7N", "2023-HUHM7N"),
        (" KN8ATT", "2023-KN8ATT"),
    ]
    assert all(r["error"] == "" for r in rows)


def test_a_row_without_an_id_echoes_nothing_and_gets_its_derived_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _with_ids(tmp_path / "blank.csv", [""])
    [row] = _triage(source, tmp_path, monkeypatch)
    assert row["ticket_id"] == ""
    assert row["stored_ticket_id"].startswith("2023-") and len(row["stored_ticket_id"]) == 14


def test_an_unreadable_row_has_no_stored_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _with_ids(tmp_path / "bad.csv", ["not an id!"])
    [row] = _triage(source, tmp_path, monkeypatch)
    assert row["error"].startswith("line 2:") and "not a Traffy ticket id" in row["error"]
    assert row["stored_ticket_id"] == ""


def test_an_id_written_as_a_formula_is_echoed_neutralised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Security 22.5: the echoed id is read in spreadsheets, where = would run a formula."""
    source = _with_ids(tmp_path / "formula.csv", ['=HYPERLINK("http://evil.example")'])
    [row] = _triage(source, tmp_path, monkeypatch)
    assert row["ticket_id"] == '\'=HYPERLINK("http://evil.example")'
    assert not row["error"].startswith(("=", "+", "-", "@"))


def test_an_unreadable_row_still_echoes_its_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 12.1: every input row's id is echoed, so a refused row is found by its id too."""
    source = _with_ids(tmp_path / "bad.csv", ["GHA47R", "not an id!"])
    rows = _triage(source, tmp_path, monkeypatch)
    assert [r["ticket_id"] for r in rows] == ["GHA47R", "not an id!"]
    assert rows[1]["error"].startswith("line 3:") and rows[1]["stored_ticket_id"] == ""
