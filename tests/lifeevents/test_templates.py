"""Templates as data: the shipped ones pass the check; broken ones are refused with the file,
step and field named; loading is idempotent and versioned."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from pracha.lifeevents.loader import load_life_events, templates_folder
from pracha.lifeevents.models import LifeEvent
from pracha.lifeevents.templates import TemplateError, read_folder

GOOD_STEP = """
[[steps]]
code = "register"
name_th = "แจ้ง"
name_en = "Register"
agency = "bma"
mandatory = true
sources = ["s"]
"""
HEAD = """
code = "test-event"
name_th = "ทดสอบ"
name_en = "Test"
[[sources]]
id = "s"
title = "a source"
where = "example.org"
"""


def write(folder: Path, text: str, name: str = "test.toml") -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(TemplateError) as caught:
        read_folder(folder)
    return caught.value.problems


def test_the_shipped_templates_pass_and_every_step_has_a_source_or_says_unverified() -> None:
    templates = {t.code: t for t in read_folder(Path(settings.PRACHA.data_dir) / "life-events")}
    assert set(templates) == {"birth", "moving-house"}
    birth = {s["code"]: s for s in templates["birth"].definition["steps"]}
    assert birth["birth-registration"]["due_days"] == 15
    assert birth["birth-registration"]["agency"] == "bma-registration"
    assert birth["child-support-grant"]["agency"] == "dcy"
    assert birth["child-support-grant"]["eligibility"]["all"][0]["value"] == 100000
    assert birth["sso-childbirth-benefit"]["agency"] == "sso"
    assert birth["vaccine-4-years"]["due_months"] == 48
    for template in templates.values():
        for step in template.definition["steps"]:
            assert step["sources"] or step["unverified"], step["code"]


@pytest.mark.parametrize(
    "step_text, problem",
    [
        ('\n[[steps]]\ncode = "x"\nname_th = "x"\nname_en = "x"\nagency = "bma"\nsources = ["s"]\n',
         "step 'x'.mandatory: missing"),
        (GOOD_STEP.replace("due_days", "x") + "due_days = -3\n", "step 'register'.due_days"),
        (GOOD_STEP + 'prerequisites = ["nowhere"]\n',
         "step 'register'.prerequisites: no step 'nowhere'"),
        (GOOD_STEP + 'eligibility = { fact = "a", op = "=~", value = 1 }\n',
         "step 'register'.eligibility.op"),
        (GOOD_STEP.replace('["s"]', '["unknown"]'), "step 'register'.sources: 'unknown'"),
        (GOOD_STEP.replace('["s"]', "[]"), "must say what is unverified"),
        (GOOD_STEP + "colour = 'blue'\n", "step 'register': unknown field 'colour'"),
        (GOOD_STEP + "mandatory_ = 1\n", "unknown field"),
        (GOOD_STEP + GOOD_STEP, "step 'register' appears twice"),
    ],
)  # fmt: skip
def test_a_broken_template_names_file_step_and_field(
    tmp_path: Path, step_text: str, problem: str
) -> None:
    write(tmp_path, HEAD + step_text)
    found = problems_of(tmp_path)
    assert any(problem in p and p.startswith("test.toml") for p in found), found


def test_circular_prerequisites_are_refused(tmp_path: Path) -> None:
    a = GOOD_STEP.replace('"register"', '"a"') + 'prerequisites = ["b"]\n'
    b = GOOD_STEP.replace('"register"', '"b"') + 'prerequisites = ["a"]\n'
    write(tmp_path, HEAD + a + b)
    assert any("circle" in p for p in problems_of(tmp_path))


def test_unreadable_toml_is_named(tmp_path: Path) -> None:
    write(tmp_path, "code = ")
    assert problems_of(tmp_path)[0].startswith("test.toml: cannot be read")


def test_a_step_naming_an_unknown_agency_stores_nothing(tmp_path: Path, db: None) -> None:
    write(tmp_path, HEAD + GOOD_STEP.replace('"bma"', '"no-such-agency"'))
    with pytest.raises(TemplateError) as caught:
        load_life_events(tmp_path)
    assert "step 'register'.agency: no agency 'no-such-agency'" in caught.value.problems[0]
    assert not LifeEvent.objects.filter(code="test-event").exists()


def test_loading_twice_changes_nothing_and_a_change_is_a_new_version(
    tmp_path: Path, db: None
) -> None:
    path = write(tmp_path, HEAD + GOOD_STEP)
    assert load_life_events(tmp_path).created == ["test-event v1"]
    assert load_life_events(tmp_path).unchanged == ["test-event v1"]
    path.write_text(HEAD + GOOD_STEP + "due_days = 15\n", encoding="utf-8")
    assert load_life_events(tmp_path).created == ["test-event v2"]
    versions = LifeEvent.objects.filter(code="test-event").order_by("version")
    assert [(v.version, v.is_current) for v in versions] == [(1, False), (2, True)]


def test_the_command_loads_the_shipped_agencies_and_journeys(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("load_life_events")
    out = capsys.readouterr().out
    assert "birth v1" in out and "moving-house v1" in out
    assert LifeEvent.objects.filter(is_current=True).count() == 2


def test_the_command_lists_every_problem(tmp_path: Path, db: None) -> None:
    shutil.copy(templates_folder() / "agencies.toml", tmp_path / "agencies.toml")
    write(tmp_path, HEAD + GOOD_STEP.replace("mandatory = true\n", ""))
    with pytest.raises(CommandError, match=r"step 'register'\.mandatory: missing"):
        call_command("load_life_events", folder=tmp_path)
