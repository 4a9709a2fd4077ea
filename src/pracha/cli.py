"""The `pracha` command: Django's management commands under friendlier names.

`pracha import-traffy FILE` runs the `import_traffy` command, `pracha serve` the server, and
any other Django command works too (`pracha createsuperuser`, `pracha check --deploy`).
"""

from __future__ import annotations

import os
import sys

COMMANDS = {
    "serve": "Run the production server (gunicorn) [--port N] [--host H] [--workers N]",
    "demo": "Set up a demo database with real sample data and officers, then serve",
    "migrate": "Create or update the database tables",
    "import-traffy": "Import Traffy Fondue CSV exports: PATH [PATH ...]",
    "apikey": "API keys: create NAME [--officer USER] | list | revoke PREFIX",
    "createofficer": "Create an officer account: USERNAME --agency CODE [--role] [--token]",
    "createsuperuser": "Create an administrator for /admin/",
    "webhook": "Webhooks: add URL [--events ...] [--agency CODE] | list | ping ID | ...",
    "webhooks": "Deliver webhook events: deliver [--once] | status | retry",
    "notify": "Send what is due on every channel (webhooks, e-mail) in one loop [--once]",
    "send-digests": "E-mail officers who chose it the daily digest of new cases [--dry-run]",
    "send-reporter-mail": "E-mail reporters the batches of news that are due: one pass, or --loop",
    "insights": "Indicator tables: rebuild | refresh | check",
    "early-warning": "Alerts on unusual spikes of reports [--day D] | --evaluate [--file PATH]",
    "sla-risk": "Chance each open case misses its target: train | evaluate | score",
    "export": "Open data without personal data: --format csv|geojson|parquet [-o FILE]",
    "train": "Build the category classifier from data/traffy/ [--data FILE ...] [--if-missing]",
    "evaluate": "Classifier vs baseline F1 on a time-ordered hold-out [--input FILE]",
    "check": "Check the installation (add --deploy for production settings)",
    "backup": "Back up the database (SQLite online backup, PostgreSQL pg_dump): [PATH]",
    "restore": "Put a backup made by `pracha backup` back in place: PATH [--yes]",
    "privacy": "Reporters' data: export|erase --ticket|--email|--phone, purge-expired, "
    "evaluate-masking",
    "reindex-search": "Re-mask the text public search matches (after masking rules change)",
}


def usage() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = ["usage: pracha COMMAND [options]", "", "commands:"]
    lines += [f"  {name:<{width}}  {text}" for name, text in COMMANDS.items()]
    lines += ["", "Every Django management command is available too: pracha help lists them."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        print(usage())
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pracha.settings")
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError, ProgrammingError

    name = args[0].replace("-", "_") if args[0] != "help" else "help"
    try:
        execute_from_command_line(["pracha", name, *args[1:]])
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
