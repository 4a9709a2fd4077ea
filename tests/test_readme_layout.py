"""The README's "Layout" names everything under src/pracha/, its list of layers is the
import-linter contract that `make lint` enforces, and tests/ mirrors src/pracha/ as it says (so
none of them can drift from the code)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "pracha"
TESTS = ROOT / "tests"
# Test packages that mirror no package of src/pracha/: attacks across the whole application.
SUITE_WIDE = {"security"}


def on_disk() -> set[str]:
    """Top-level packages (`name/`) and modules (`name.py`) of src/pracha/."""
    names = {f"{p.parent.name}/" for p in SRC.glob("*/__init__.py")}
    names |= {p.name for p in SRC.glob("*.py") if p.name != "__init__.py"}
    return names


def layout_blocks(readme: str) -> list[str]:
    """The code blocks of the "## Layout" section."""
    section = readme.split("\n## Layout\n", 1)
    assert len(section) == 2, 'README.md has no "## Layout" section'
    section_text = section[1].split("\n## ", 1)[0]
    return re.findall(r"```\n(.*?)```", section_text, re.S)


def listed(block: str) -> set[str]:
    """The `name/` and `name.py` that start the lines under src/pracha/ (several names on a
    line are one space apart; the description starts after two)."""
    names: set[str] = set()
    for line in block.splitlines():
        first = re.match(r"^  ((?:[a-z0-9_]+(?:/|\.py)(?: (?=\S))?)+)", line)
        if first:
            names |= set(first.group(1).split())
    return names


def contract_layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [contract] = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    return [" ".join(layer.split()) for layer in contract["layers"]]


def test_the_layout_names_everything_under_src_pracha() -> None:
    packages, _layers = layout_blocks((ROOT / "README.md").read_text(encoding="utf-8"))
    names = listed(packages)
    assert sorted(on_disk() - names) == [], "missing from the README's Layout"
    assert sorted(names - on_disk()) == [], "the README's Layout names what does not exist"


def test_the_layout_shows_the_enforced_layers() -> None:
    _packages, layers = layout_blocks((ROOT / "README.md").read_text(encoding="utf-8"))
    shown = [" ".join(line.split()) for line in layers.splitlines() if line.strip()]
    assert shown == contract_layers()


def test_every_package_is_in_a_layer() -> None:
    """A new app must be placed in the contract (import-linter's `exhaustive` needs it too)."""
    in_layers = {name for layer in contract_layers() for name in layer.split(" | ")}
    modules = {name.removesuffix("/").removesuffix(".py") for name in on_disk()}
    assert sorted(modules - in_layers) == []


def test_the_check_notices_a_missing_and_an_unknown_name() -> None:
    block = "src/pracha/\n  cases/      cases\n  nowhere/    gone\n  states.py   states\n"
    names = listed(block)
    assert names == {"cases/", "nowhere/", "states.py"}
    assert "web/" in on_disk() - names and "nowhere/" in names - on_disk()


def test_tests_mirror_src_pracha() -> None:
    """Each test package is named after the package of src/pracha/ it tests (tests/api/cases/
    for src/pracha/api/cases/), so a test is found where its code is."""
    folders = [p.parent.relative_to(TESTS) for p in TESTS.rglob("__init__.py") if p.parent != TESTS]
    strays = [
        folder.as_posix()
        for folder in folders
        if folder.parts[0] not in SUITE_WIDE and not (SRC / folder / "__init__.py").is_file()
    ]
    assert sorted(strays) == [], "test packages named after no package of src/pracha/"
