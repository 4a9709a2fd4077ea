"""`pracha serve`: gunicorn workers behind one address, static files through whitenoise."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pracha.config import ConfigError, web_workers
from pracha.jobs.worker import start_for_server as start_worker

# Tells pracha.wsgi it is imported by gunicorn's master (--preload): load the model there.
PRELOAD_VARIABLE = "PRACHA_PRELOAD"
# One access-log line per request without the query string (%(U)s is the path only) nor the
# referrer: a reporter's private link carries its token in `?k=`, which must not reach logs.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


def gunicorn_argv(bind: str, workers: int) -> list[str]:
    """The gunicorn command line `pracha serve` replaces itself with."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "pracha.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--access-logformat",
        ACCESS_LOG_FORMAT,
        "--timeout",
        "60",
        "--graceful-timeout",
        "20",
        # Load Django and the classifier once in the master (pracha.wsgi): the workers fork
        # with them, sharing the pages instead of loading a copy each.
        "--preload",
    ]


class Command(BaseCommand):
    help = (
        "Run the production server (gunicorn) [--port N] [--host H] [--workers N]. "
        "Static files are served by whitenoise; a background worker (webhooks, e-mail, "
        "periodic jobs) runs beside the web workers unless PRACHA_WORKER_IN_SERVE=0."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="gunicorn workers (default: WEB_CONCURRENCY, else one per core and one more)",
        )

    def handle(self, *args: Any, port: int, host: str, workers: int | None, **options: Any) -> None:
        if not 1 <= port <= 65535:
            raise CommandError(f"--port must be from 1 to 65535, got {port}")
        if workers is None:
            try:
                workers = web_workers()
            except ConfigError as exc:
                raise CommandError(str(exc)) from exc
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        call_command("collectstatic", interactive=False, verbosity=0)
        shown = f"[{host}]" if ":" in host else host
        self.stdout.write(f"Pracha is serving at http://{shown}:{port}/  (API: /api/v1/docs)")
        self.stdout.flush()
        # Links in e-mails and feeds point at this server unless a public address is set.
        if not os.environ.get("PRACHA_BASE_URL"):
            local = "127.0.0.1" if host in {"0.0.0.0", "::", ""} else shown
            os.environ["PRACHA_BASE_URL"] = f"http://{local}:{port}"
        # Background jobs (pracha.jobs): one worker process beside the web workers, which
        # exits with the server.
        start_worker()
        os.environ[PRELOAD_VARIABLE] = "1"
        os.execv(sys.executable, gunicorn_argv(f"{shown}:{port}", workers))
