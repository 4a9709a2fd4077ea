"""Where one `POST /api/v1/cases` spends its time: the parts of intake, the queries per report.

    .venv/bin/python bench/intake_profile.py [--reports N] [--database-url URL]
                                             [--model PATH] [--no-triage] [--top N]
                                             [--dump FILE]

Runs the whole Django stack in this process (middleware, django-ninja, intake, triage, the
signal receivers, the response) through Django's test client, on a fresh temporary SQLite
database (or the PostgreSQL database you name, which is migrated and should be a scratch
one), with the classifier at --model (default PRACHA_MODEL_PATH, else this
checkout's var/models/triage-classifier.pkl). Report limits
are switched off through their environment setting, as an operator would for a load test.

Prints, per report: wall time, the time of each named part (cumulative, from cProfile, so
nested parts overlap), the queries by table and kind, and the top functions by own time.
A first report warms the caches (model load, district polygons, rules) and is left out.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

# (label, file path ending, function name): cumulative time of each, per report.
PARTS = [
    ("whole request (test client)", "django/test/client.py", "post"),
    ("middleware + ninja + view", "django/core/handlers/base.py", "_get_response"),
    ("ninja: parse + validate input", "ninja/operation.py", "_get_values"),
    ("rate limits (exempt check)", "pracha/limits/ratelimit.py", "wrapper"),
    ("do_create_case", "pracha/intake/services.py", "do_create_case"),
    ("  check_new_case", "pracha/intake/services.py", "check_new_case"),
    ("  check_triage", "pracha/intake/triage.py", "check_triage"),
    ("    locate (district)", "pracha/geo/lookup.py", "locate"),
    ("    classifier predict_one", "pracha/triage/classifier/model.py", "predict_one"),
    ("    routing rules", "pracha/intake/triage.py", "current_rules"),
    ("  _insert (transaction body)", "pracha/intake/services.py", "_insert"),
    ("    default_agency", "pracha/intake/services.py", "default_agency"),
    ("    routed_agency", "pracha/intake/triage.py", "routed_agency"),
    ("    do_record_triage", "pracha/intake/triage.py", "do_record_triage"),
    ("      duplicate search", "pracha/triage/duplicates.py", "find_duplicates"),
    ("    audit log", "pracha/audit/log.py", "audit"),
    ("    notify outbox receiver", "pracha/notify/receivers.py", "on_event_saved"),
    ("    insights rollups (case saved)", "pracha/insights/store/maintain.py", "on_case_saved"),
    ("    insights (categories changed)", "insights/store/maintain.py", "on_categories_changed"),
    ("    insights (batch end)", "insights/store/maintain.py", "on_cases_changed"),
    ("    insights forwarding facts", "insights/store/forwarding_facts.py", "on_event_saved"),
    ("    evidence event receiver", "pracha/evidence/receivers.py", "on_event_saved"),
    ("    commit", "django/db/backends/base/base.py", "commit"),
    ("  after commit (on_commit)", "django/db/backends/base/base.py", "run_and_clear_commit_hooks"),
    ("do_note_reporter", "pracha/api/cases/public.py", "do_note_reporter"),
    ("get_case (response)", "pracha/cases/queries.py", "get_case"),
    ("case_detail_dict", "pracha/api/cases/representations.py", "case_detail_dict"),
    ("duplicate_dicts (response)", "pracha/api/cases/public.py", "duplicate_dicts"),
    ("ninja: validate + JSON output", "ninja/operation.py", "_result_to_response"),
    ("JSON answer (not validated again)", "pracha/api/renderers.py", "json_response"),
]


def setup(database_url: str | None, model: Path | None, triage: bool) -> None:
    work = Path(tempfile.mkdtemp(prefix="pracha-bench-intake-profile-"))
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ["PRACHA_VAR_DIR"] = str(work / "var")
    # The temporary PRACHA_VAR_DIR holds no model: default to this checkout's trained one.
    shipped = ROOT / "var" / "models" / "triage-classifier.pkl"
    if model is None and "PRACHA_MODEL_PATH" not in os.environ and shipped.exists():
        model = shipped
    if model is not None:
        os.environ["PRACHA_MODEL_PATH"] = str(model)
    os.environ["PRACHA_TRIAGE_ON_INTAKE"] = "1" if triage else "0"
    os.environ["PRACHA_RATE_REPORTS_PER_IP"] = "off"  # as an operator would for a load test
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "pracha.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def sample_reports(limit: int) -> Iterator[dict[str, Any]]:
    """bench/intake.py's real report texts and points, cycled."""
    from intake import sample_reports as real_reports  # bench/ is this script's folder

    reports = real_reports()
    for index in range(limit):
        yield reports[index % len(reports)]


def issuer() -> str:
    """The innermost Pracha function on the stack: who asked for a query."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if "/pracha/" in name and "/bench/" not in name:
            short = name.split("/pracha/", 1)[1]
            return f"{short}:{frame.f_code.co_name}"
        frame = frame.f_back  # type: ignore[assignment]
    return "(outside pracha)"


def write_lock_timer() -> list[float]:
    """Seconds each write transaction held the SQLite writer lock (pracha.sqlite), appended
    to the list returned; empty on PostgreSQL."""
    from pracha.sqlite import base

    held: list[float] = []
    taken = [0.0]
    take, release = (
        base.DatabaseWrapper._take_writer_lock,
        base.DatabaseWrapper._release_writer_lock,
    )

    def timed_take(self: Any) -> None:
        take(self)
        taken[0] = time.perf_counter()

    def timed_release(self: Any) -> None:
        if self._writer_lock_held:
            held.append(time.perf_counter() - taken[0])
        release(self)

    base.DatabaseWrapper._take_writer_lock = timed_take  # type: ignore[method-assign]
    base.DatabaseWrapper._release_writer_lock = timed_release  # type: ignore[method-assign]
    return held


def table_of(sql: str) -> str:
    kind = sql.split(None, 1)[0].upper()
    match = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql, re.IGNORECASE)
    return f"{kind} {match.group(1) if match else ''}".strip()


def run(reports: int, top: int, dump: Path | None = None) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from pracha.triage.classifier import get_classifier

    classifier = get_classifier()
    version = classifier.version if classifier else None
    print(f"database: {connection.vendor}; classifier: {version}")
    client = Client(HTTP_HOST="127.0.0.1")
    texts = sample_reports(2 * reports + 1)
    warm = client.post("/api/v1/cases", next(texts), content_type="application/json")
    assert warm.status_code == 201, warm.content[:500]
    plain, cpu = [], 0.0
    held = write_lock_timer()
    for _ in range(reports):
        body = next(texts)
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.post("/api/v1/cases", body, content_type="application/json")
        plain.append(time.perf_counter() - started)
        cpu += time.process_time() - cpu_started
        assert response.status_code == 201, response.content[:500]
    plain.sort()
    print(
        f"{reports} reports without the profiler: mean {sum(plain) / reports * 1000:.1f} ms, "
        f"p50 {plain[reports // 2] * 1000:.1f} ms, p95 {plain[int(reports * 0.95)] * 1000:.1f} ms"
        f"; this process's CPU {cpu / reports * 1000:.1f} ms per report (less sensitive to "
        "other work on the machine than wall time)"
    )
    if held:
        print(
            f"SQLite's write lock held {sum(held) / reports * 1000:.2f} ms per report "
            "(every report queues for it: 1000 / this is the most reports/s one database takes)"
        )
    held.clear()
    profile = cProfile.Profile()
    queries: Counter[str] = Counter()
    issuers: Counter[str] = Counter()
    total_queries = 0

    def note_issuer(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        issuers[f"{issuer()}  ({table_of(sql)})"] += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    for body in texts:
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(note_issuer):
            profile.enable()
            response = client.post("/api/v1/cases", body, content_type="application/json")
            profile.disable()
        assert response.status_code == 201, response.content[:500]
        total_queries += len(captured.captured_queries)
        queries.update(table_of(q["sql"]) for q in captured.captured_queries)
    elapsed = time.perf_counter() - started
    print(f"{reports} reports, {elapsed / reports * 1000:.1f} ms each under the profiler")
    print("(the parts below are under the profiler, which slows Python code, not the disk)\n")
    if dump is not None:
        profile.dump_stats(dump)  # for `python -m pstats` or snakeviz
    stats = pstats.Stats(profile)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    print(f"{'part (cumulative, ms per report)':<40} {'ms':>7}  calls/report")
    for label, ending, name in PARTS:
        cumulative, calls = 0.0, 0
        for (filename, _line, function), (_cc, nc, _tt, ct, _callers) in raw.items():
            if function == name and filename.endswith(ending):
                cumulative += ct
                calls += nc
        print(f"{label:<40} {cumulative / reports * 1000:7.2f}  {calls / reports:.1f}")
    print(f"\nqueries per report: {total_queries / reports:.1f}")
    for kind, count in queries.most_common():
        print(f"  {count / reports:5.1f}  {kind}")
    print("\nqueries per report by the Pracha function that asked (table):")
    for where, count in issuers.most_common():
        print(f"  {count / reports:5.1f}  {where}")
    print(f"\ntop {top} functions by own time:")
    stats.sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--no-triage", action="store_true")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--dump", type=Path, default=None, help="write the cProfile stats here")
    args = parser.parse_args()
    setup(args.database_url, args.model, not args.no_triage)
    run(args.reports, args.top, args.dump)


if __name__ == "__main__":
    main()
