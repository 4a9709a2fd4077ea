"""Open311 sits beside the web pages, not on top of them: no import of pracha.web. (What the
notification layer may import is tests/notify/test_layering.py's.)"""

from __future__ import annotations

import ast
from pathlib import Path

import pracha.open311

PACKAGE = Path(pracha.open311.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def web_imports(root: Path) -> dict[str, list[str]]:
    found = {
        str(path.relative_to(root)): sorted(
            name for name in imported_modules(path) if name.split(".")[:2] == ["pracha", "web"]
        )
        for path in root.rglob("*.py")
    }
    return {path: names for path, names in found.items() if names}


def test_open311_does_not_import_the_web_app() -> None:
    assert web_imports(PACKAGE) == {}


def test_the_scan_finds_such_an_import(tmp_path: Path) -> None:
    (tmp_path / "worker.py").write_text("from pracha.web.notify import send\nimport pracha.webx\n")
    assert web_imports(tmp_path) == {"worker.py": ["pracha.web.notify"]}
