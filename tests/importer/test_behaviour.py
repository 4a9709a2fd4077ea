"""Re-imports, rows without ids, bad rows, gzip, options and the errors a user can meet."""

from __future__ import annotations

import gzip
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from pracha.cases.models import Case, Event, Photo
from tests.importer.conftest import FIXTURES, Output, counts

pytestmark = pytest.mark.django_db

Run = Callable[..., Output]
ALL = sorted(path.name for path in FIXTURES.glob("*.csv"))
DERIVED = re.compile(r"^2023-[A-Z2-9]{9}$")  # derived ids have nine characters after the year


def line_of(path: Path, marker: str) -> int:
    """The physical line on which `marker` appears (1-based)."""
    text = path.read_text(encoding="utf-8")
    return text[: text.index(marker)].count("\n") + 1


def test_reimport_changes_nothing(run_import: Run) -> None:
    run_import(*ALL)
    before = counts()
    assert before["cases"] > 100 and before["events"] > before["cases"]

    out = run_import(*ALL)

    assert counts() == before
    assert re.search(r"total: \d+ rows read, 0 imported, \d+ already present", out.out)


def test_reimport_with_small_batches_finds_every_ticket(run_import: Run) -> None:
    run_import("api_2023_05.csv", batch_size=4)
    before = counts()
    out = run_import("api_2023_05.csv", batch_size=3)
    assert counts() == before
    assert "21 rows read, 0 imported, 21 already present, 0 bad" in out.out


def test_bad_rows_reported_with_file_and_line_and_rest_imported(run_import: Run) -> None:
    path = FIXTURES / "broken.csv"
    out = run_import("broken.csv")

    bad_time = line_of(path, "2023-BADTS1")
    short_row = line_of(path, "2023-S9GNPH2")
    # A multi-line record comes first, so physical lines and record numbers differ.
    assert bad_time > 5
    assert f"broken.csv:{bad_time}: bad row skipped: timestamp:" in out.err
    assert "not-a-date" in out.err
    assert f"broken.csv:{short_row}: bad row skipped: expected 16 columns, found 3" in out.err
    assert out.err.count("bad row skipped") == 2
    assert "6 rows read, 4 imported, 0 already present, 2 bad" in out.out

    assert not Case.objects.filter(ticket_id="2023-BADTS1").exists()
    assert Case.objects.filter(ticket_id="2023-4PDFJB").exists()  # the multi-line row
    assert Case.objects.filter(ticket_id="2023-9GNPH2").exists()  # the row after the bad ones


def test_rows_without_id_and_photo_only_rows_are_kept(run_import: Run) -> None:
    run_import("broken.csv")
    derived = Case.objects.filter(ticket_id__regex=DERIVED.pattern)
    assert derived.count() == 2

    no_id = derived.get(description="ไม่มีเลขเรื่อง (no ticket id)")
    assert no_id.district == "จตุจักร"
    photo_only = derived.get(description="")
    assert photo_only.photos.filter(kind=Photo.Kind.BEFORE).count() == 1
    assert photo_only.events.filter(kind=Event.Kind.CREATED).count() == 1


def test_derived_ids_are_stable_across_imports(run_import: Run) -> None:
    run_import("broken.csv")
    first = set(Case.objects.filter(ticket_id__regex=DERIVED.pattern).values_list("ticket_id"))

    out = run_import("broken.csv")  # the same rows are found again
    assert "0 imported, 4 already present" in out.out

    Case.objects.all().delete()  # and an empty database derives the same ids again
    run_import("broken.csv")
    again = set(Case.objects.filter(ticket_id__regex=DERIVED.pattern).values_list("ticket_id"))
    assert again == first and len(first) == 2


def test_gzip(run_import: Run, tmp_path: Path) -> None:
    packed = tmp_path / "export.csv.gz"
    packed.write_bytes(gzip.compress((FIXTURES / "export_2023_11.csv").read_bytes()))
    out = run_import(packed)
    assert "20 rows read, 20 imported" in out.out
    assert Case.objects.get(ticket_id="2023-G7DEV8").lat == 13.75458


def test_gzip_recognised_by_content_not_name(run_import: Run, tmp_path: Path) -> None:
    misnamed = tmp_path / "pending.csv"
    misnamed.write_bytes(gzip.compress((FIXTURES / "pending_2024.csv").read_bytes()))
    run_import(misnamed)
    assert Case.objects.count() == 19


def test_dry_run_writes_nothing(run_import: Run) -> None:
    before = counts()
    out = run_import("api_2023_05.csv", "broken.csv", dry_run=True)
    assert counts() == before
    assert "21 rows read, 21 would import" in out.out
    assert "bad row skipped" in out.err


def test_byte_order_mark_and_blank_lines(run_import: Run, tmp_path: Path) -> None:
    text = (FIXTURES / "pending_2024.csv").read_text(encoding="utf-8")
    path = tmp_path / "bom.csv"
    path.write_text("\ufeff" + text + "\r\n\r\n", encoding="utf-8")
    out = run_import(path)
    assert "19 rows read, 19 imported, 0 already present, 0 bad" in out.out


def test_unknown_header_is_a_command_error(run_import: Run, tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("id,name,when\n1,x,2024-01-01\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"other\.csv: not a known Traffy Fondue export"):
        run_import(path)


def test_nothing_is_written_when_any_file_is_unusable(run_import: Run, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot open"):
        run_import("api_2023_05.csv", tmp_path / "missing.csv")
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\xff\xfe\x00t\x00i\x00c\x00k\x00e\x00t", "not a readable UTF-8 CSV file"),
        (b"\x1f\x8b\x08\x00broken gzip", "not a readable UTF-8 CSV file"),
    ],
)
def test_unreadable_files_are_command_errors(
    run_import: Run, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run_import(path)


def test_truncated_gzip_keeps_the_rows_read_before(run_import: Run, tmp_path: Path) -> None:
    data = gzip.compress((FIXTURES / "dump_2022.csv").read_bytes())
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(data[: len(data) * 3 // 4])
    with pytest.raises(CommandError, match="damaged"):
        run_import(path)
    assert Case.objects.exists()


def test_batch_size_must_be_positive(run_import: Run) -> None:
    with pytest.raises(CommandError, match="batch-size"):
        run_import("pending_2024.csv", batch_size=0)


def test_same_file_twice_in_one_run(run_import: Run, tmp_path: Path) -> None:
    copy = tmp_path / "copy.csv"
    shutil.copy(FIXTURES / "pending_2024.csv", copy)
    out = run_import("pending_2024.csv", copy)
    assert Case.objects.count() == 19
    assert "total: 38 rows read, 19 imported, 19 already present, 0 bad" in out.out
