"""Which way imports go around pracha.notify (the rule import-linter will enforce):

- notify builds on the domain (cases, agencies, audit, insights, geo, triage, proposals,
  consultations, lifeevents), on config, background, inserts and jobs (the task queue),
  never on the entry points above it (web, open311, the API, commands of other apps): they
  hand it what it needs (pracha.notify.content) and import it;
- the domain never imports notify: notify learns of changes through signals;
- no import inside a function dodges this, except in an AppConfig.ready().
"""

from __future__ import annotations

import ast
from pathlib import Path

import pracha

SRC = Path(pracha.__file__).parent
NOTIFY_MAY_IMPORT = {
    "notify",
    "citizens",
    "masking",
    "triage",
    "cases",
    "agencies",
    "audit",
    "insights",
    "lifeevents",
    "consultations",
    "geo",
    "config",
    "background",
    "reference",
    "inserts",
    "jobs",
    "proposals",
}
DOMAIN = [
    "cases",
    "agencies",
    "audit",
    "geo",
    "triage",
    "importer",
    "insights",
    "proposals",
    "lifeevents",
    "consultations",
]


def pracha_imports(path: Path) -> list[tuple[str, bool]]:
    """(the pracha module imported, whether inside a function) for each import in `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom) and child.module and not child.level:
                names = [child.module]
            else:
                names = []
            found.extend((n, in_function) for n in names if n.split(".")[0] == "pracha")
            visit(child, inside)

    visit(tree, False)
    return found


def part_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def files(package: str) -> list[Path]:
    return sorted((SRC / package).rglob("*.py"))


def test_notify_imports_only_what_it_builds_on() -> None:
    offenders = [
        f"{path.relative_to(SRC)}: {module}"
        for path in files("notify")
        for module, _ in pracha_imports(path)
        if part_of(module) not in NOTIFY_MAY_IMPORT
    ]
    assert offenders == []


def test_no_import_inside_a_function_except_in_ready() -> None:
    offenders = [
        f"{path.relative_to(SRC)}: {module}"
        for path in files("notify")
        if path.name != "apps.py"
        for module, in_function in pracha_imports(path)
        if in_function
    ]
    assert offenders == []


def test_the_domain_does_not_import_notify() -> None:
    offenders = [
        f"{path.relative_to(SRC)}: {module}"
        for package in DOMAIN
        for path in files(package)
        for module, _ in pracha_imports(path)
        if part_of(module) == "notify"
    ]
    assert offenders == []


def test_the_scan_sees_imports_and_where_they_are(tmp_path: Path) -> None:
    source = tmp_path / "sender.py"
    source.write_text(
        "from pracha.web import names\n"
        "import pracha.open311.georeport\n"
        "from . import relative\n"
        "def late():\n"
        "    from pracha.notify import email\n"
    )
    assert pracha_imports(source) == [
        ("pracha.web", False),
        ("pracha.open311.georeport", False),
        ("pracha.notify", True),
    ]
