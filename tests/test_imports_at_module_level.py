"""Imports of Pracha's own modules sit at the top of a module, where import-linter's layers
contract sees and judges them: an import hidden in a function is how a wrong dependency or a
cycle slips past review (issue 13). The few exceptions below say why they must stay."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "pracha"

EXCEPTIONS = {
    # AreaQuerySet.by_location asks the in-memory index, which is built from these models.
    ("geo/models.py", "pracha.geo.lookup"),
    # Training code is imported only when an installation has no model yet (it imports the
    # classifier package itself).
    ("triage/classifier/__init__.py", "pracha.triage.classifier.training"),
}
# A script run with `python -m`: it configures Django before it may import any model.
SCRIPTS = {"web/screenshots.py"}


def pracha_modules(node: ast.AST) -> list[tuple[int, str]]:
    if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pracha"):
        return [(node.lineno, node.module)]
    if isinstance(node, ast.Import):
        return [(node.lineno, a.name) for a in node.names if a.name.startswith("pracha")]
    return []


def hidden_imports(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, module) of each `pracha` import inside a function, except in AppConfig.ready()
    (Django's place for wiring receivers) and `if TYPE_CHECKING:` blocks."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, child.name != "ready")
                continue
            if in_function:
                found.extend(pracha_modules(child))
            visit(child, in_function)

    visit(tree, False)
    return found


def test_no_pracha_import_hides_inside_a_function() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if "/migrations/" in relative or relative in SCRIPTS:
            continue
        for line, module in hidden_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if (relative, module) not in EXCEPTIONS:
                offenders.append(f"{relative}:{line}: {module}")
    assert offenders == []


def test_the_check_finds_an_import_in_a_function_but_not_in_ready() -> None:
    source = (
        "from pracha.cases import models\n"
        "def f():\n    from pracha.audit.log import audit\n"
        "class C:\n    def ready(self):\n        from pracha.web import notify\n"
        "if TYPE_CHECKING:\n    from pracha.geo.models import Area\n"
    )
    assert hidden_imports(ast.parse(source)) == [(3, "pracha.audit.log")]
