"""The `pracha` command: Django's management commands under friendlier names.

`pracha import-traffy FILE` runs the `import_traffy` command, `pracha serve` the server, and
any other Django command works too (`pracha createsuperuser`, `pracha check --deploy`).

`pracha help` (or no arguments, `-h`, `--help`) lists Pracha's commands as Django's command
registry finds them, each with the first sentence of its `help`, so the list cannot drift from
the code; `pracha help COMMAND` shows one command's options.
"""

from __future__ import annotations

import ast
import difflib
import importlib.util
import os
import re
import sys
from pathlib import Path

# The few of Django's own commands a newcomer needs; `pracha help --commands` lists them all.
DJANGO_COMMANDS = {
    "migrate": "Create or update the database tables",
    "createsuperuser": "Create an administrator for /admin/",
    "changepassword": "Set a new password for a user: USERNAME",
    "check": "Check the installation (add --deploy for production settings)",
    "shell": "A Python shell with Pracha's settings and models loaded",
}

# Handled by Django's ManagementUtility itself, not found in its command registry.
UTILITY_WORDS = {"help", "version"}


def dashed(name: str) -> str:
    """How a person types a command: `import-traffy` for Django's `import_traffy`."""
    return name.replace("_", "-")


def command_name(typed: str) -> str:
    """Django's name for a command typed with dashes or underscores."""
    return typed.replace("-", "_")


def summary(help_text: str) -> str:
    """The first sentence of a command's `help`, without its full stop: one line in the list."""
    text = " ".join(help_text.split())
    return re.split(r"(?<=\.)\s", text, maxsplit=1)[0].removesuffix(".")


def setup_django() -> None:
    """Load the settings and apps; neither needs a database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pracha.settings")
    import django

    django.setup()


def all_commands() -> dict[str, str]:
    """Every management command Django knows, by name, with the app that provides it."""
    from django.core.management import get_commands

    return dict(get_commands())


def is_pracha_app(app: str) -> bool:
    return app == "pracha" or app.startswith("pracha.")


def written_help(app: str, name: str) -> str | None:
    """The `help = "..."` written in a command's class, read from its source: importing every
    command would load scikit-learn and the rest, seconds for a list of one-liners."""
    spec = importlib.util.find_spec(f"{app}.management.commands.{name}")
    if spec is None or spec.origin is None:
        return None
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == "Command":
            for item in node.body:
                if (
                    isinstance(item, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "help" for t in item.targets)
                    and isinstance(item.value, ast.Constant)
                    and isinstance(item.value.value, str)
                ):
                    return item.value.value
    return None


def pracha_commands() -> dict[str, str]:
    """Pracha's own commands, by Django name, each with the summary of its `help`."""
    from django.core.management import load_command_class

    found = {}
    for name, app in sorted(all_commands().items()):
        if not is_pracha_app(app):
            continue
        try:
            text = written_help(app, name)
            if text is None:  # inherited or computed: ask the class itself
                text = load_command_class(app, name).help
            found[name] = summary(text)
        except Exception as exc:  # a command that cannot load must not hide the others
            found[name] = f"(cannot load: {type(exc).__name__}: {exc})"
    return found


def usage() -> str:
    """What `pracha help` prints: generated from the command registry each time."""
    setup_django()
    own = pracha_commands()
    width = max(len(dashed(name)) for name in [*own, *DJANGO_COMMANDS])
    lines = ["usage: pracha COMMAND [options]", "", "Pracha's commands:"]
    lines += [f"  {dashed(name):<{width}}  {text}" for name, text in own.items()]
    lines += ["", "Django's commands you will need:"]
    lines += [f"  {name:<{width}}  {text}" for name, text in DJANGO_COMMANDS.items()]
    lines += [
        "",
        "`pracha help COMMAND` shows a command's options (import-traffy or import_traffy).",
        "Every Django management command works too: `pracha help --commands` lists them all.",
    ]
    return "\n".join(lines)


def print_usage() -> int:
    """Print the usage; the exit status says whether the command list could be built."""
    try:
        text = usage()
    except Exception as exc:  # settings that do not load: a message, not a traceback
        print("usage: pracha COMMAND [options]", file=sys.stderr)
        print(f"pracha: cannot list the commands ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 1
    print(text)
    return 0


def unknown_command(typed: str) -> str | None:
    """A message for a command Django does not know (None when it does, or cannot tell)."""
    name = command_name(typed)
    if name in UTILITY_WORDS or typed.startswith("-"):
        return None
    try:
        setup_django()
        known = all_commands()
    except Exception:  # Django reports settings problems itself
        return None
    if name in known:
        return None
    close = difflib.get_close_matches(name, known)
    hint = f"; did you mean {' or '.join(dashed(c) for c in close)}?" if close else ""
    return f"pracha: unknown command '{typed}'{hint}\n`pracha help` lists the commands."


def django_argv(args: list[str]) -> list[str]:
    """The arguments for Django, command names with underscores: `help import-traffy` too."""
    if args[0] == "help" and len(args) > 1 and not args[1].startswith("-"):
        return ["help", command_name(args[1]), *args[2:]]
    if args[0].startswith("-"):  # --version, as Django's own options
        return args
    return [command_name(args[0]), *args[1:]]


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"} or args == ["help"]:
        sys.exit(print_usage())
    problem = unknown_command(args[1] if args[0] == "help" and len(args) > 1 else args[0])
    if problem:
        sys.exit(problem)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pracha.settings")
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError, ProgrammingError

    try:
        execute_from_command_line(["pracha", *django_argv(args)])
    except (OperationalError, ProgrammingError) as exc:
        sys.exit(database_advice(exc))
    except KeyboardInterrupt:
        sys.exit(130)


def database_advice(exc: Exception) -> str:
    """A message a person can act on, instead of a traceback, when the database is not ready."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "no such table" in text or ("does not exist" in text and "relation" in text):
        return f"pracha: the database is not set up yet ({text}); run `pracha migrate` first"
    return f"pracha: cannot use the database ({text}); check DATABASE_URL"


if __name__ == "__main__":
    main()
