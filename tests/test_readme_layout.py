"""The README's "Layout" names every app under src/pracha/, and nothing that is not one."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def apps_on_disk() -> set[str]:
    """Django apps: the folders under src/pracha/ with an apps.py."""
    return {path.parent.name for path in (ROOT / "src" / "pracha").glob("*/apps.py")}


def layout_block(readme: str) -> str:
    """The code block under the "## Layout" heading."""
    section = readme.split("\n## Layout\n", 1)
    assert len(section) == 2, 'README.md has no "## Layout" section'
    block = re.search(r"```\n(.*?)```", section[1], re.S)
    assert block, 'the "Layout" section has no code block'
    return block.group(1)


def apps_in_layout(block: str) -> set[str]:
    """Names listed indented under src/pracha/, as `  name/   what it owns`."""
    return set(re.findall(r"^ {2}([a-z0-9_]+)/\s+\S", block, re.M))


def test_the_layout_lists_every_app_and_only_apps() -> None:
    listed = apps_in_layout(layout_block((ROOT / "README.md").read_text(encoding="utf-8")))
    on_disk = apps_on_disk()
    assert on_disk, "no apps found under src/pracha/"
    assert sorted(on_disk - listed) == [], "apps missing from the README's Layout"
    assert sorted(listed - on_disk) == [], "the README's Layout names apps that do not exist"


def test_the_check_notices_a_missing_and_an_unknown_app() -> None:
    block = "src/pracha/   settings\n  cases/      cases\n  nowhere/    gone\n"
    listed = apps_in_layout(block)
    assert listed == {"cases", "nowhere"}
    assert "web" in apps_on_disk() - listed and "nowhere" in listed - apps_on_disk()
