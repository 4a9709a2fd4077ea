"""`pracha triage --input FILE --output OUT.csv`: one row per input row, in order, with the
contract's columns, for every Traffy format, and without a database."""

from __future__ import annotations

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pracha.agencies.routing import CO_AGENCY, Rule, read_rule_file
from pracha.geo.lookup import shipped_index
from pracha.triage.batch import COLUMNS, run_batch
from tests.cli import pracha_env, run_pracha
from tests.triage.support import KeywordClassifier

FIXTURES = Path(__file__).parents[1] / "importer" / "fixtures"
FORMATS = [
    "dump_2022.csv",
    "dump_2023_05.csv",
    "dump_lonlat_2023_06.csv",
    "export_2023_11.csv",
    "api_2023_05.csv",
    "pending_2024.csv",
    "broken.csv",
]
REQUIRED = [
    "ticket_id",
    "categories",
    "scores",
    "district",
    "subdistrict",
    "agency",
    "needs_review",
]


def records(path: Path) -> list[list[str]]:
    """The CSV records of a file (what the batch must answer one row each for)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = [row for row in csv.reader(fh) if row]
    return rows[1:]


def triaged(
    path: Path, tmp_path: Path, classifier: KeywordClassifier | None = None
) -> list[dict[str, str]]:
    target = tmp_path / f"{path.stem}.out.csv"
    run_batch(
        path,
        target,
        classifier=classifier or KeywordClassifier(),
        index=shipped_index(),
        rules=read_rule_file(),
        default_agency=("bma", "กรุงเทพมหานคร"),
    )
    with target.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == list(COLUMNS)
        return list(reader)


@pytest.mark.parametrize("name", FORMATS)
def test_one_row_per_input_row_in_order(name: str, tmp_path: Path) -> None:
    source = FIXTURES / name
    out = triaged(source, tmp_path)
    inputs = records(source)
    assert len(out) == len(inputs)
    header = next(csv.reader(source.open(encoding="utf-8-sig")))
    column = header.index("ticket_id")
    for row, given in zip(out, inputs, strict=True):
        if row["error"].startswith("line "):
            # unreadable: still one row, with the reason and the id cell as written
            assert row["ticket_id"] == given[column]
            continue
        raw = given[column].strip()
        assert row["ticket_id"].endswith(raw), (row["ticket_id"], raw)


def test_the_contract_columns(tmp_path: Path) -> None:
    out = triaged(FIXTURES / "dump_2023_05.csv", tmp_path)
    assert list(out[0])[: len(REQUIRED)] == REQUIRED
    first = out[0]
    scores = json.loads(first["scores"])
    assert len(scores) == 24 and "ท่อระบายน้ำ" in scores
    assert first["needs_review"] in {"true", "false"}
    for row in out:
        assert row["district"], row  # every Bangkok ticket with a point gets a district
        names = [n for n in row["categories"].split(",") if n]
        assert all(name in scores for name in names)  # Thai category names


def test_routing_and_places(tmp_path: Path) -> None:
    out = {row["ticket_id"]: row for row in triaged(FIXTURES / "dump_2022.csv", tmp_path)}
    # The district office acts on ~99% of Bangkok's tickets, drains included (issue 14).
    drains = [row for row in out.values() if row["categories"].startswith("ท่อระบายน้ำ")]
    assert drains and all(row["agency"] == f"เขต{row['district']}" for row in drains)
    others = [row for row in out.values() if not row["agency_code"]]
    assert others and all(row["agency"] == f"เขต{row['district']}" for row in others)
    assert all(row["province"] == "กรุงเทพมหานคร" for row in others)
    assert all(row["routed_by"] for row in out.values())


def test_the_files_own_district_near_the_point_decides_the_office(tmp_path: Path) -> None:
    # 40 m inside Bang Rak from its border with Pathum Wan, placed in Pathum Wan by Traffy
    # (whose boundary data differ there): Pathum Wan's office receives it. Lumphini Park,
    # placed 20 km off in Nong Chok, keeps the district of its point.
    header = (
        "ticket_id,type,organization,comment,coords,photo,photo_after,address,subdistrict,"
        "district,province,timestamp,state,star,count_reopen,last_activity"
    )
    rows = [
        '2023-SRC001,{ถนน},,ถนนเป็นหลุม,"100.535754,13.729705",,,,,ปทุมวัน,กรุงเทพมหานคร,'
        "2023-11-26 09:00:00.000000+00,รอรับเรื่อง,,0,",
        '2023-SRC002,{ถนน},,ถนนเป็นหลุม,"100.5414,13.7314",,,,,หนองจอก,กรุงเทพมหานคร,'
        "2023-11-26 09:00:00.000000+00,รอรับเรื่อง,,0,",
    ]
    source = tmp_path / "source.csv"
    source.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")

    first, second = triaged(source, tmp_path)

    assert (first["district"], first["agency"], first["near_boundary"]) == (
        "ปทุมวัน",
        "เขตปทุมวัน",
        "true",
    )
    assert "the district the report's source system gave it" in first["routed_by"]
    assert (second["district"], second["agency"]) == ("ปทุมวัน", "เขตปทุมวัน")
    assert "source system" not in second["routed_by"]


def test_co_agencies_are_named_in_their_own_column(tmp_path: Path) -> None:
    rules = [
        *read_rule_file(),
        Rule("drains", "", "กรุงเทพมหานคร", CO_AGENCY, "bma-dds", "สำนักการระบายน้ำ กทม.", 50, "x"),
        Rule("drains", "", "", CO_AGENCY, "mwa", "การประปานครหลวง", 10, "y"),
    ]
    target = tmp_path / "out.csv"
    run_batch(
        FIXTURES / "dump_2022.csv",
        target,
        classifier=KeywordClassifier(),
        index=shipped_index(),
        rules=rules,
        default_agency=("bma", "กรุงเทพมหานคร"),
    )
    with target.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    drains = [row for row in rows if row["categories"].startswith("ท่อระบายน้ำ")]
    assert drains
    for row in drains:
        assert row["co_agencies"] == "สำนักการระบายน้ำ กทม.,การประปานครหลวง"
        assert row["agency"] == f"เขต{row['district']}"  # still responsible
        assert "Also invited, seed rule: ท่อระบายน้ำ" in row["routed_by"]
    assert all(row["co_agencies"] == "" for row in rows if row not in drains)


def test_a_file_without_points_is_placed_by_its_address(tmp_path: Path) -> None:
    out = triaged(FIXTURES / "pending_2024.csv", tmp_path)
    first = out[0]
    assert (first["district"], first["subdistrict"]) == ("ยานนาวา", "ช่องนนทรี")
    assert first["near_boundary"] == "false" and first["error"] == ""


def test_unreadable_rows_get_an_error_and_points_abroad_are_not_used(tmp_path: Path) -> None:
    source = tmp_path / "mixed.csv"
    header = (FIXTURES / "dump_2022.csv").read_text(encoding="utf-8").splitlines()[0]
    source.write_text(
        header
        + "\n"
        + '2022-AAAAAA,{ถนน},กรุงเทพมหานคร,ถนนเป็นหลุม,"102.6331,17.9757",,,'
        + "แขวง สี่พระยา เขตบางรัก กรุงเทพมหานคร,สี่พระยา,บางรัก,กรุงเทพมหานคร,"
        + "2022-06-01 10:00:00+00,รอรับเรื่อง,,,\n"
        + '2022-BBBBBB,{ถนน},กรุงเทพมหานคร,ไฟดับ,"100.5340,13.7291",,,,,,,not a date,รอรับเรื่อง,,,\n'
        + '2022-CCCCCC,{ถนน},กรุงเทพมหานคร,ท่อตัน,"100.5340,13.7291",,,,,,,'
        + "2022-06-01 10:00:00+00,รอรับเรื่อง,,,\n",
        encoding="utf-8",
    )
    out = triaged(source, tmp_path)
    assert [row["ticket_id"] for row in out] == ["2022-AAAAAA", "2022-BBBBBB", "2022-CCCCCC"]
    abroad, bad, good = out
    assert "not in Thailand" in abroad["error"]
    assert abroad["district"] == "บางรัก"  # from the address, as the point is unusable
    assert abroad["categories"] == "ถนน"
    assert bad["error"].startswith("line 3:") and bad["needs_review"] == "true"
    assert good["error"] == "" and good["district"] == "บางรัก"
    assert good["agency"] == "เขตบางรัก"


def test_without_a_model_the_command_says_to_train(tmp_path: Path, settings: object) -> None:
    import dataclasses

    settings.PRACHA = dataclasses.replace(settings.PRACHA, var_dir=tmp_path / "var")  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="run `pracha train`"):
        call_command(
            "triage",
            "--input",
            str(FIXTURES / "dump_2022.csv"),
            "--output",
            str(tmp_path / "out.csv"),
            "--no-train",
            stderr=StringIO(),
        )
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.csv", "no such file"),
        (lambda d: _write(d / "other.csv", "a,b\n1,2\n"), "not a known Traffy Fondue export"),
    ],
)
def test_bad_inputs_are_refused_clearly(tmp_path: Path, make: object, message: str) -> None:
    source = make(tmp_path)  # type: ignore[operator]
    with pytest.raises(CommandError, match=message):
        call_command(
            "triage",
            "--input",
            str(source),
            "--output",
            str(tmp_path / "o.csv"),
            stderr=StringIO(),
        )


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.slow
def test_the_command_runs_without_any_database(tmp_path: Path) -> None:
    """A subprocess whose DATABASE_URL points into a read-only directory: the command must
    never open it (SQLite would create the file on connect)."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    var = tmp_path / "var"
    env = pracha_env(
        DATABASE_URL=f"sqlite:///{locked / 'pracha.sqlite3'}",
        PRACHA_VAR_DIR=str(var),
        SECRET_KEY="test",
    )
    out = tmp_path / "out.csv"
    try:
        result = run_pracha(
            "triage",
            "--input",
            str(FIXTURES / "dump_2022.csv"),
            "--output",
            str(out),
            "--no-train",
            env=env,
        )
    finally:
        locked.chmod(0o700)
    assert list(locked.iterdir()) == []
    # No model in this fresh var dir: a clear message, not a traceback.
    assert result.returncode != 0
    assert "run `pracha train`" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_the_command_triages_a_file_with_a_model_and_no_database(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """End to end in a subprocess, with a real (tiny) model and a database it may not open."""
    try:
        tiny = request.getfixturevalue("tiny_classifier")
    except pytest.FixtureLookupError:
        pytest.skip("needs the classifier's tiny_classifier fixture")
    var = tmp_path / "var"
    model_file = var / "models" / "triage-classifier.pkl"
    if isinstance(tiny, Path):
        model_file.parent.mkdir(parents=True)
        model_file.write_bytes(tiny.read_bytes())
    else:
        tiny.save(model_file)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    env = pracha_env(
        DATABASE_URL=f"sqlite:///{locked / 'pracha.sqlite3'}",
        PRACHA_VAR_DIR=str(var),
        PRACHA_MODEL_PATH=str(model_file),
        SECRET_KEY="test",
    )
    source = FIXTURES / "export_2023_11.csv"
    out = tmp_path / "out.csv"
    try:
        result = run_pracha(
            "triage", "--input", str(source), "--output", str(out), "--no-train", env=env
        )
    finally:
        locked.chmod(0o700)
    assert result.returncode == 0, result.stderr
    assert list(locked.iterdir()) == []
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(records(source))
    assert list(rows[0])[: len(REQUIRED)] == REQUIRED
    assert all(len(json.loads(row["scores"])) == 24 for row in rows)
    assert all(row["district"] for row in rows)
