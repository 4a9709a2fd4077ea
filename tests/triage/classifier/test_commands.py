"""`pracha train` and `pracha evaluate` on small real samples: output, files, refusals."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from pracha.triage.classifier import Classifier

MAY_2023 = "teamchadchart_2023-05-11_2023-05-13.csv"
JUNE_2023 = "teamchadchart_2023-06-10_2023-06-11.csv"
PENDING_2024 = "pending_2024-11-29_2024-12-09.csv"

# `pracha train` also reads the officers' corrections from the database.
pytestmark = pytest.mark.django_db


def sample(tmp_path: Path, name: str, rows: int) -> Path:
    """The header and first `rows` records of a shipped export, as a new file."""
    source = settings.PRACHA.data_dir / "traffy" / name
    target = tmp_path / f"sample-{rows}-{name}"
    with source.open(encoding="utf-8", newline="") as fh, target.open("w", newline="") as out:
        reader, writer = csv.reader(fh), csv.writer(out)
        for index, record in enumerate(reader):
            if index > rows:
                break
            writer.writerow(record)
    return target


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_train_writes_a_model_that_loads(tmp_path: Path) -> None:
    data = sample(tmp_path, MAY_2023, 300)
    target = tmp_path / "out" / "model.pkl"

    out, _ = run("train", "--data", str(data), "--output", str(target), "--jobs", "1")

    model = Classifier.load(target)
    assert model.version in out
    assert str(target) in out
    assert f"{MAY_2023}" in out  # what it read
    # which tickets taught which stage, by period and file
    assert "base model learns from:" in out
    assert "adapter and thresholds from:" in out
    assert len(model.codes) == 24
    assert model.info["base"]["tickets"] + model.info["recent"]["tickets"] > 200


def test_train_if_missing_leaves_an_existing_model(tmp_path: Path) -> None:
    target = tmp_path / "model.pkl"
    target.write_bytes(b"existing")

    out, _ = run("train", "--if-missing", "--output", str(target), "--data", "nowhere.csv")

    assert "already built" in out
    assert target.read_bytes() == b"existing"


def test_train_refuses_a_missing_data_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"nowhere\.csv: no such file"):
        run("train", "--data", str(tmp_path / "nowhere.csv"), "--output", str(tmp_path / "m"))
    assert not (tmp_path / "m").exists()


def test_train_refuses_a_file_that_is_not_a_traffy_export(tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("name,colour\napple,red\n")

    with pytest.raises(CommandError, match="not a known Traffy Fondue export"):
        run("train", "--data", str(other), "--output", str(tmp_path / "m.pkl"))


def test_train_refuses_data_labelled_with_the_newer_taxonomy(tmp_path: Path) -> None:
    data = sample(tmp_path, PENDING_2024, 200)

    with pytest.raises(CommandError, match="labelled with the 24 categories"):
        run("train", "--data", str(data), "--output", str(tmp_path / "m.pkl"))


def test_train_refuses_too_few_labelled_tickets(tmp_path: Path) -> None:
    data = sample(tmp_path, MAY_2023, 10)

    with pytest.raises(CommandError, match="training needs"):
        run("train", "--data", str(data), "--output", str(tmp_path / "m.pkl"))


def test_train_refuses_a_directory_as_output(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="is a directory"):
        run("train", "--output", str(tmp_path))


@pytest.mark.slow
def test_training_is_deterministic(tmp_path: Path) -> None:
    data = str(sample(tmp_path, MAY_2023, 200))
    first, second = tmp_path / "a.pkl", tmp_path / "b.pkl"

    run("train", "--data", data, "--output", str(first), "--jobs", "1")
    run("train", "--data", data, "--output", str(second), "--jobs", "2")

    a, b = Classifier.load(first), Classifier.load(second)
    texts = ["ไฟดับทั้งซอย", "ถนนพัง", "noise at night", ""]
    assert a.version == b.version
    assert (a.probabilities(texts) == b.probabilities(texts)).all()
    assert a.predict(texts) == b.predict(texts)


SUMMARY_ROWS = ("micro-F1", "macro-F1", "samples-F1")
CATEGORY_COLUMNS = ("category", "name", "support", "precision", "recall", "F1", "baseline P")


def test_evaluate_prints_both_models_on_a_time_ordered_hold_out(tmp_path: Path) -> None:
    data = sample(tmp_path, MAY_2023, 400)

    out, err = run("evaluate", "--data", str(data), "--relabelled", "none", "--jobs", "1")

    assert "hold-out: the newest tickets" in out
    header = next(line for line in out.splitlines() if line.strip().startswith("model"))
    assert header.split() == ["model", "baseline", "difference"]
    for row in SUMMARY_ROWS:
        line = next(line for line in out.splitlines() if line.startswith(row))
        assert len(line.split()) == 4  # name, model, baseline, difference
    table = next(line for line in out.splitlines() if line.startswith("category"))
    for column in CATEGORY_COLUMNS:
        assert column in table
    for code in ("road", "pm25", "traffic_signs"):  # all 24 rows, present or not
        assert any(line.startswith(code) for line in out.splitlines())
    assert "goals:" in out
    assert "precision of the categories given to the rest (not flagged)" in out
    assert "training the model" in err  # progress goes to stderr, the report to stdout


@pytest.mark.slow
def test_evaluate_on_an_input_file(tmp_path: Path) -> None:
    train_data = sample(tmp_path, MAY_2023, 300)
    test_data = sample(tmp_path, JUNE_2023, 120)

    out, _ = run("evaluate", "--data", str(train_data), "--input", str(test_data), "--jobs", "1")

    assert f"Evaluation on {test_data.name}" in out
    assert "micro-F1" in out
    assert "scored" in out


@pytest.mark.slow
def test_evaluate_on_a_file_with_the_newer_taxonomy_says_so(tmp_path: Path) -> None:
    train_data = sample(tmp_path, MAY_2023, 300)
    test_data = sample(tmp_path, PENDING_2024, 150)

    out, _ = run("evaluate", "--data", str(train_data), "--input", str(test_data), "--jobs", "1")

    assert "labelled with the newer taxonomy" in out
    assert "micro-F1" in out


@pytest.mark.slow
def test_evaluate_on_the_relabelled_folder(tmp_path: Path) -> None:
    train_data = sample(tmp_path, MAY_2023, 300)
    folder = settings.PRACHA.data_dir / "relabelled"

    out, _ = run("evaluate", "--data", str(train_data), "--input", str(folder), "--jobs", "1")

    assert "Evaluation on relabelled" in out
    assert "samples-F1" in out


def test_evaluate_refuses_a_missing_input(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        run("evaluate", "--input", str(tmp_path / "absent.csv"))


def test_evaluate_refuses_an_input_without_usable_labels(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    header = (settings.PRACHA.data_dir / "traffy" / MAY_2023).open().readline()
    empty.write_text(header)

    with pytest.raises(CommandError, match="no ticket has a category"):
        run("evaluate", "--input", str(empty), "--data", str(empty))


@pytest.mark.slow
def test_officer_corrections_are_learnt_and_replace_the_exported_labels(
    tmp_path: Path, file_case: Any, make_officer: Any
) -> None:
    from pracha.cases.models import Case
    from pracha.triage.classifier.dataset import Example, read_corrections
    from pracha.triage.classifier.training import training_examples
    from pracha.triage.corrections import do_correct_triage

    ticket = file_case(description="ฝุ่น PM2.5 หนาแน่นมาก หายใจไม่ออก")["ticket_id"]
    case = Case.objects.get(ticket_id=ticket)
    officer, _key = make_officer(case.agency)
    do_correct_triage(case, officer, ["road"], None, "")
    do_correct_triage(case, officer, ["pm25"], None, "แก้อีกครั้ง")
    [example] = read_corrections().examples
    assert (example.ticket_id, example.codes) == (ticket, ("pm25",))  # the last word counts

    exported = Example(ticket, "old text", ("road",), example.created_at, "export")
    source = type("S", (), {"examples": [exported]})()
    assert training_examples([source], corrections=[example]) == [example]

    data = sample(tmp_path, MAY_2023, 300)
    with_them, without = tmp_path / "a.pkl", tmp_path / "b.pkl"
    out, _ = run("train", "--data", str(data), "--output", str(with_them), "--jobs", "1")
    assert "officer corrections: 1 tickets relabelled" in out
    run("train", "--data", str(data), "--output", str(without), "--no-corrections")
    counted = [
        Classifier.load(p).info["base"]["tickets"] + Classifier.load(p).info["recent"]["tickets"]
        for p in (with_them, without)
    ]
    assert counted[0] == counted[1] + 1
