"""`pracha cat import FILE`: a CSV is checked whole, and a bad one says what and where."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pracha.competency.bank.importer import ImportProblems, apply, get_bank, parse
from pracha.competency.models import Item, ItemParameters

HEADER = (
    "code,language,domain,kind,stem,option_a,option_b,option_c,option_d,option_e,key,scores,"
    "a,b,thresholds,provisional,parameter_source,reference\n"
)
GOOD = HEADER + (
    "q-1,th,workflow,dichotomous,เรื่องใหม่อยู่ในสถานะใด,รอรับเรื่อง,เสร็จสิ้น,,,,A,,"
    "1.7,-1,,yes,,README\n"
    "q-1,en,workflow,dichotomous,Which state does a new case start in?,Waiting,Done,,,,A,,"
    "1.7,-1,,,,\n"
    "s-1,en,character,graded,A citizen shouts.,Listen,Leave,Shout back,,,,5|2|1,1.0,,"
    "-2|-1|0|1,yes,,\n"
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "items.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_creates_items_with_provisional_parameters(db: None, tmp_path: Path) -> None:
    out = call_command("cat", "import", str(write(tmp_path, GOOD)), "--bank", "test") or ""
    assert Item.objects.count() == 3
    thai = Item.objects.get(code="q-1", language="th")
    assert thai.options == ["รอรับเรื่อง", "เสร็จสิ้น"] and thai.key == 0
    assert thai.parameters.version == 1 and thai.parameters.provisional
    assert thai.parameters.b == -1.0 and thai.parameters.model == "2pl"
    graded = Item.objects.get(code="s-1")
    assert graded.option_scores == [5, 2, 1] and graded.parameters.thresholds == [-2, -1, 0, 1]
    assert graded.points(0) == 5 and graded.category(2) == 0
    assert out == ""  # call_command returns nothing; the summary goes to stdout


def test_importing_again_changes_nothing_and_new_parameters_are_a_new_version(
    db: None, tmp_path: Path
) -> None:
    bank = get_bank("test")
    apply(parse(GOOD), bank)
    again = apply(parse(GOOD), bank)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    harder = apply(parse(GOOD.replace(",1.7,-1,,yes,,README", ",1.7,0.5,,yes,,README")), bank)
    assert harder.new_parameters == 1
    item = Item.objects.get(code="q-1", language="th")
    assert [p.version for p in item.parameter_versions.all()] == [2, 1]
    assert item.parameters.b == 0.5


def test_calibrated_parameters_are_not_replaced_by_provisional_ones(db: None) -> None:
    bank = get_bank("test")
    apply(parse(GOOD), bank)
    item = Item.objects.get(code="q-1", language="en")
    calibrated = ItemParameters.objects.create(
        item=item, version=2, model="2pl", a=1.1, b=0.2, provisional=False, source="fit"
    )
    item.parameters = calibrated
    item.save()
    summary = apply(parse(GOOD.replace(",1.7,-1,,,,", ",1.7,1.5,,,,")), bank)
    assert summary.kept_calibrated == 1
    item.refresh_from_db()
    assert item.parameters == calibrated


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (
            "q-2,th,workflow,dichotomous,ถาม,ก,ข,,,,C,,1.7,0,,,,",
            "line 2: key 'C' is not one of the options A-B",
        ),
        (
            "q-2,th,workflow,dichotomous,ถาม,ก,ข,,,,A,,1.7,hard,,,,",
            "line 2: b must be a number, not 'hard'",
        ),
        (
            "q-2,xx,workflow,dichotomous,ถาม,ก,ข,,,,A,,1.7,0,,,,",
            "line 2: language must be th or en, not 'xx'",
        ),
        (
            "q-2,th,workflow,multiple,ถาม,ก,ข,,,,A,,1.7,0,,,,",
            "line 2: kind must be dichotomous or graded",
        ),
        ("q-2,th,workflow,dichotomous,,ก,ข,,,,A,,1.7,0,,,,", "line 2: stem is empty"),
        ("q-2,th,workflow,dichotomous,ถาม,ก,ก,,,,A,,1.7,0,,,,", "line 2: two options are the same"),
        (
            "q-2,th,workflow,dichotomous,ถาม,ก,,ค,,,A,,1.7,0,,,,",
            "line 2: option_c follows an empty option",
        ),
        ("q-2,th,workflow,dichotomous,ถาม,ก,ข,,,,A,,0,0,,,,", "line 2: a must be above 0"),
        (
            "s-2,th,character,graded,ถาม,ก,ข,ค,,,,5|3,1,,-2|-1|0|1,,,",
            "line 2: a graded item needs one score per option",
        ),
        (
            "s-2,th,character,graded,ถาม,ก,ข,ค,,,,5|3|9,1,,-2|-1|0|1,,,",
            "line 2: graded scores must be whole numbers from 1 to 5",
        ),
        (
            "s-2,th,character,graded,ถาม,ก,ข,ค,,,,5|3|1,1,,0|-1|1|2,,,",
            "line 2: thresholds must ascend",
        ),
        (
            "s-2,th,character,graded,ถาม,ก,ข,ค,,,,5|3|1,1,,-1|0,,,",
            "line 2: a graded item needs 4 thresholds",
        ),
        (
            "q-2,th,workflow,dichotomous,ถาม,ก,ข,,,,A,,1.7,0,,no,,",
            "line 2: calibrated parameters (provisional=no) need a parameter_source",
        ),
    ],
)
def test_bad_rows_are_named_with_their_line(row: str, problem: str) -> None:
    with pytest.raises(ImportProblems) as refused:
        parse(HEADER + row + "\n")
    assert any(p.startswith(problem) for p in refused.value.problems), refused.value.problems


def test_every_problem_is_listed_and_nothing_is_written(db: None, tmp_path: Path) -> None:
    text = (
        GOOD
        + "q-1,th,workflow,dichotomous,ซ้ำ,ก,ข,,,,A,,1.7,0,,,,\n"
        + "q-3,th,pdpa,dichotomous,ถาม,ก,ข,,,,Z,,1.7,0,,,,\n"
    )
    with pytest.raises(CommandError) as refused:
        call_command("cat", "import", str(write(tmp_path, text)))
    message = str(refused.value)
    assert "nothing imported, 2 problem(s)" in message
    assert "line 5: q-1 (th) is also on line 2" in message
    assert "line 6: key 'Z' is not one of the options A-B" in message
    assert Item.objects.count() == 0


def test_a_file_that_is_not_an_item_file(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="the header lacks the column"):
        call_command("cat", "import", str(write(tmp_path, "name,phone\nx,1\n")))
    with pytest.raises(CommandError, match="no such file"):
        call_command("cat", "import", str(tmp_path / "missing.csv"))
    latin = tmp_path / "latin.csv"
    latin.write_bytes(
        HEADER.encode() + "q,th,w,dichotomous,\xe9,a,b,,,,A,,1,0,,,,\n".encode("latin-1")
    )
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("cat", "import", str(latin))
    with pytest.raises(CommandError, match="the file has no items"):
        call_command("cat", "import", str(write(tmp_path, HEADER)))


def test_a_dry_run_writes_nothing(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("cat", "import", str(write(tmp_path, GOOD)), "--dry-run")
    assert "dry run, nothing written: 3 item(s) created" in capsys.readouterr().out
    assert Item.objects.count() == 0
