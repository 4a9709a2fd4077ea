"""Typed settings read from environment variables, with safe defaults.

Every knob of a deployment lives here so `settings.py` stays declarative and tests can build a
`Config` from any mapping without touching `os.environ`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import cast

# The repository root when installed in place (`pip install -e`); override with PRACHA_HOME.
SOURCE_ROOT = Path(__file__).resolve().parents[2]

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


class ConfigError(ValueError):
    """A setting has a value Pracha cannot use; the message names the variable."""


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    # A typo must not silently decide whether tracebacks are shown to the world.
    raise ConfigError(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {raw!r}")
    return value


def _list(env: Mapping[str, str], name: str, default: list[str]) -> list[str]:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


@dataclass(frozen=True)
class Rate:
    """At most `count` events per `seconds` (rate limits, login throttling)."""

    count: int
    seconds: int

    def __str__(self) -> str:
        return f"{self.count}/{self.seconds}s"


_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _rate(env: Mapping[str, str], name: str, default: Rate | None) -> Rate | None:
    """`30/10m`, `5/900`, `100/h`; `off` (or `0`) switches the limit off."""
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    text = raw.strip().lower()
    if text in {"off", "0", "none"} | FALSE_WORDS:
        return None
    count_text, _, period = text.partition("/")
    period = period.strip() or "s"
    unit = period[-1] if period[-1] in _PERIODS else "s"
    amount = period[:-1] if period[-1] in _PERIODS else period
    try:
        count, seconds = int(count_text), int(amount or 1) * _PERIODS[unit]
    except ValueError as exc:
        raise ConfigError(
            f"{name} must look like 30/10m (count per period: s, m, h, d) or off; got {raw!r}"
        ) from exc
    if count < 1 or seconds < 1:
        raise ConfigError(f"{name} needs a count and a period of at least 1; got {raw!r}")
    return Rate(count, seconds)


def _intake_rates(env: Mapping[str, str]) -> dict[str, Rate | None]:
    """Every `rate_<scope>_<kind>` field of Config (its default the one source), overridden by
    PRACHA_RATE_<SCOPE>_<KIND>, e.g. PRACHA_RATE_REPORTS_PER_IP."""
    return {
        # Every rate_ field has a default (Rate or None), so none is dataclasses.MISSING.
        field.name: _rate(env, f"PRACHA_{field.name}".upper(), cast("Rate | None", field.default))
        for field in fields(Config)
        if field.name.startswith("rate_")
    }


@dataclass(frozen=True)
class Config:
    home: Path
    var_dir: Path
    data_dir: Path
    database_url: str
    secret_key: str
    debug: bool
    allowed_hosts: list[str]
    csrf_trusted_origins: list[str]
    default_agency_code: str
    reopen_days: int
    forward_return_limit: int
    max_photo_bytes: int
    max_description_chars: int
    email_backend: str
    # Reliability, security and privacy (pracha.audit); the defaults suit a laptop demo.
    https: bool = False
    hsts_seconds: int = 31_536_000
    proxy_count: int = 0
    cache_url: str = "db://pracha_cache"
    # Where uploaded photos are stored (pracha.media): a Django storage class and its options
    # (JSON); the default is the file system under PRACHA_VAR_DIR/media.
    media_storage: str = "django.core.files.storage.FileSystemStorage"
    media_storage_options: str = "{}"
    # A PostgreSQL streaming replica for the heavy public reads (pracha.replica); empty: none.
    database_replica_url: str = ""
    # After a write, this browser's reads stay on the primary this long (read your own writes).
    replica_pin_seconds: int = 15
    contact_retention_days: int = 365
    # Intake limits (pracha.limits.ratelimit): per device or citizen, a shared bucket for
    # requests without a device id, a high ceiling per address (carrier NAT), per API key.
    rate_reports_per_ip: Rate | None = Rate(600, 600)
    rate_reports_per_key: Rate | None = Rate(600, 600)
    rate_reports_per_device: Rate | None = Rate(20, 600)
    rate_reports_no_device: Rate | None = Rate(30, 600)
    rate_reports_per_citizen: Rate | None = Rate(30, 600)
    rate_photos_per_ip: Rate | None = Rate(1200, 600)
    rate_photos_per_key: Rate | None = Rate(1200, 600)
    rate_photos_per_device: Rate | None = Rate(60, 600)
    rate_photos_no_device: Rate | None = Rate(60, 600)
    rate_photos_per_citizen: Rate | None = Rate(90, 600)
    rate_metoo_per_ip: Rate | None = Rate(300, 600)
    rate_metoo_per_key: Rate | None = Rate(600, 600)
    rate_metoo_per_device: Rate | None = Rate(30, 600)
    rate_metoo_no_device: Rate | None = Rate(10, 600)
    rate_metoo_per_citizen: Rate | None = Rate(30, 600)
    # Against minting device ids (env PRACHA_RATE_NEW_DEVICES_PER_IP, ..._METOO_PER_CASE_PER_IP,
    # PRACHA_DEVICE_MIN_AGE_SECONDS): new ids per address, the age at which an id counts as a
    # device of its own for reports, and "me too" per case and address (whatever the device).
    rate_new_devices_per_ip: Rate | None = Rate(100, 3600)
    device_min_age_seconds: int = 120
    rate_metoo_per_case_per_ip: Rate | None = Rate(20, 86400)
    login_failures_per_user: Rate | None = Rate(5, 900)
    login_failures_per_ip: Rate | None = Rate(30, 900)
    # Citizen accounts (pracha.citizens): sign-in codes e-mailed per address (counted in the
    # database), and per device, per address without a device, per client address (a high
    # ceiling: carrier NAT), per API key and per signed-in citizen (pracha.limits.ratelimit).
    rate_signin_per_email: Rate | None = Rate(5, 3600)
    rate_signin_per_device: Rate | None = Rate(10, 3600)
    rate_signin_no_device: Rate | None = Rate(10, 3600)
    rate_signin_per_ip: Rate | None = Rate(300, 3600)
    rate_signin_per_key: Rate | None = Rate(1000, 3600)
    rate_signin_per_citizen: Rate | None = Rate(10, 3600)
    # Wrong codes for one address before every try is refused (429), even with the right
    # code, until the oldest failure in the window is that old; a second, daily ceiling.
    signin_failures: Rate | None = Rate(5, 900)
    signin_failures_per_day: Rate | None = Rate(20, 86400)
    signin_code_minutes: int = 10
    citizen_token_idle_days: int = 30
    # Web pages and notifications (pracha.web).
    base_url: str = "http://127.0.0.1:8000"
    map_tiles: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    email_host: str = "localhost"
    email_port: int = 25
    email_user: str = ""
    email_password: str = ""
    email_use_tls: bool = False
    email_from: str = "Pracha <noreply@localhost>"
    # Seconds an SMTP connection may hang before sending gives up (the outbox retries later).
    email_timeout_seconds: int = 20
    # Reporter e-mails: events of one case this close together go out as one message.
    notify_batch_seconds: int = 120
    mail_in_serve: bool = True  # `pracha serve` also sends the reporters' e-mail (pracha.notify)
    # Indicators (pracha.insights): SLA targets per category, scorecard minimum volume.
    sla_file: Path | None = None
    sla_default_hours: int = 72
    scorecard_min_cases: int = 30
    # PostgreSQL prepares the statements intake runs for every report (pracha.postgresql).
    db_prepared_statements: bool = True
    # Triage (pracha.triage): categories, district, agency and duplicates for each new case.
    triage_on_intake: bool = True
    # Agencies, routing rules and categories are re-read after this long (pracha.reference).
    reference_seconds: int = 5
    model_path: Path | None = None  # classifier model; None: var/models/triage-classifier.pkl
    # Open311 (pracha.open311) and webhooks (pracha.notify).
    open311_jurisdiction: str = "bangkok.go.th"
    webhook_timeout_seconds: int = 10
    webhook_max_attempts: int = 20
    webhook_retry_seconds: int = 10
    webhook_keep_days: int = 30
    webhooks_in_serve: bool = True
    # `pracha serve` starts a background worker (pracha.jobs) beside the web server; off on
    # nodes where `pracha worker` runs on its own. PRACHA_WEBHOOKS_IN_SERVE and
    # PRACHA_MAIL_IN_SERVE (deprecated) both off also switch it off.
    worker_in_serve: bool = True
    # Photo evidence (pracha.evidence): when an after-photo is flagged for a supervisor.
    photo_match_bits: int = 10  # perceptual-hash bits apart that still count as the same photo
    photo_far_metres: int = 1000  # EXIF GPS this far from the case's pin: taken elsewhere
    photo_clock_minutes: int = 60  # EXIF time this long before the report: taken before it
    # Participation: supports a proposal needs within its window, then the days the routed
    # agency has to answer it; the same days for publishing what a consultation changed.
    proposal_threshold: int = 1000
    proposal_window_days: int = 90
    proposal_answer_days: int = 30
    # LINE chat intake (pracha.line): no secret, no webhook (404). The URLs exist so tests can
    # point every call at a local fake of the LINE API.
    line_channel_secret: str = ""
    line_channel_access_token: str = ""
    line_api_url: str = "https://api.line.me"
    line_data_api_url: str = "https://api-data.line.me"
    line_timeout_seconds: int = 10  # every call to LINE: connect and read, each
    line_draft_minutes: int = 60  # a half-way report in the chat expires after this

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Config:
        env = os.environ if env is None else env
        home = Path(env.get("PRACHA_HOME") or SOURCE_ROOT)
        var_dir = Path(env.get("PRACHA_VAR_DIR") or home / "var")
        debug = _bool(env, "DEBUG", False)
        secret = env.get("SECRET_KEY", "")
        if not secret:
            # A per-installation key kept in var/ so sessions survive restarts without
            # anyone having to invent a secret for a laptop demo.
            secret = _local_secret(var_dir)
        return cls(
            home=home,
            var_dir=var_dir,
            data_dir=Path(env.get("PRACHA_DATA_DIR") or home / "data"),
            database_url=env.get("DATABASE_URL") or f"sqlite:///{var_dir / 'pracha.sqlite3'}",
            secret_key=secret,
            debug=debug,
            allowed_hosts=_list(env, "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"]),
            csrf_trusted_origins=_list(env, "CSRF_TRUSTED_ORIGINS", []),
            default_agency_code=env.get("PRACHA_DEFAULT_AGENCY", "bma"),
            reopen_days=_int(env, "PRACHA_REOPEN_DAYS", 30),
            forward_return_limit=_int(env, "PRACHA_FORWARD_RETURN_LIMIT", 1),
            max_photo_bytes=_int(env, "PRACHA_MAX_PHOTO_BYTES", 10 * 1024 * 1024, minimum=1),
            max_description_chars=_int(env, "PRACHA_MAX_DESCRIPTION_CHARS", 5000, minimum=1),
            email_backend=env.get(
                "EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
            ),
            https=_bool(env, "PRACHA_HTTPS", False),
            hsts_seconds=_int(env, "PRACHA_HSTS_SECONDS", 31_536_000),
            proxy_count=_int(env, "PRACHA_PROXY_COUNT", 0),
            database_replica_url=env.get("DATABASE_REPLICA_URL", ""),
            media_storage=env.get("PRACHA_MEDIA_STORAGE")
            or "django.core.files.storage.FileSystemStorage",
            media_storage_options=env.get("PRACHA_MEDIA_STORAGE_OPTIONS") or "{}",
            replica_pin_seconds=_int(env, "PRACHA_REPLICA_PIN_SECONDS", 15),
            cache_url=env.get("CACHE_URL") or env.get("REDIS_URL") or "db://pracha_cache",
            contact_retention_days=_int(env, "PRACHA_CONTACT_RETENTION_DAYS", 365, minimum=1),
            **_intake_rates(env),
            device_min_age_seconds=_int(env, "PRACHA_DEVICE_MIN_AGE_SECONDS", 120),
            login_failures_per_user=_rate(env, "PRACHA_LOGIN_FAILURES", Rate(5, 900)),
            login_failures_per_ip=_rate(env, "PRACHA_LOGIN_FAILURES_PER_IP", Rate(30, 900)),
            signin_failures=_rate(env, "PRACHA_SIGNIN_FAILURES", Rate(5, 900)),
            signin_failures_per_day=_rate(env, "PRACHA_SIGNIN_FAILURES_PER_DAY", Rate(20, 86400)),
            signin_code_minutes=_int(env, "PRACHA_SIGNIN_CODE_MINUTES", 10, minimum=1),
            citizen_token_idle_days=_int(env, "PRACHA_CITIZEN_TOKEN_IDLE_DAYS", 30, minimum=1),
            base_url=(env.get("PRACHA_BASE_URL") or "http://127.0.0.1:8000").rstrip("/"),
            map_tiles=env.get("PRACHA_MAP_TILES")
            or "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            email_host=env.get("EMAIL_HOST") or "localhost",
            email_port=_int(env, "EMAIL_PORT", 25, minimum=1),
            email_user=env.get("EMAIL_HOST_USER", ""),
            email_password=env.get("EMAIL_HOST_PASSWORD", ""),
            email_use_tls=_bool(env, "EMAIL_USE_TLS", False),
            email_from=env.get("DEFAULT_FROM_EMAIL") or "Pracha <noreply@localhost>",
            email_timeout_seconds=_int(env, "EMAIL_TIMEOUT", 20, minimum=1),
            notify_batch_seconds=_int(env, "PRACHA_NOTIFY_BATCH_SECONDS", 120),
            mail_in_serve=_bool(env, "PRACHA_MAIL_IN_SERVE", True),
            sla_file=Path(env["PRACHA_SLA_FILE"]) if env.get("PRACHA_SLA_FILE") else None,
            sla_default_hours=_int(env, "PRACHA_SLA_DEFAULT_HOURS", 72, minimum=1),
            scorecard_min_cases=_int(env, "PRACHA_SCORECARD_MIN_CASES", 30, minimum=1),
            db_prepared_statements=_bool(env, "PRACHA_DB_PREPARED_STATEMENTS", True),
            triage_on_intake=_bool(env, "PRACHA_TRIAGE_ON_INTAKE", True),
            reference_seconds=_int(env, "PRACHA_REFERENCE_SECONDS", 5),
            model_path=Path(env["PRACHA_MODEL_PATH"]) if env.get("PRACHA_MODEL_PATH") else None,
            open311_jurisdiction=env.get("PRACHA_OPEN311_JURISDICTION") or "bangkok.go.th",
            webhook_timeout_seconds=_int(env, "PRACHA_WEBHOOK_TIMEOUT", 10, minimum=1),
            webhook_max_attempts=_int(env, "PRACHA_WEBHOOK_MAX_ATTEMPTS", 20, minimum=1),
            webhook_retry_seconds=_int(env, "PRACHA_WEBHOOK_RETRY_SECONDS", 10),
            webhook_keep_days=_int(env, "PRACHA_WEBHOOK_KEEP_DAYS", 30, minimum=1),
            webhooks_in_serve=_bool(env, "PRACHA_WEBHOOKS_IN_SERVE", True),
            worker_in_serve=_bool(
                env,
                "PRACHA_WORKER_IN_SERVE",
                _bool(env, "PRACHA_WEBHOOKS_IN_SERVE", True)
                or _bool(env, "PRACHA_MAIL_IN_SERVE", True),
            ),
            photo_match_bits=min(_int(env, "PRACHA_PHOTO_MATCH_BITS", 10), 15),
            photo_far_metres=_int(env, "PRACHA_PHOTO_FAR_METRES", 1000, minimum=1),
            photo_clock_minutes=_int(env, "PRACHA_PHOTO_CLOCK_MINUTES", 60),
            proposal_threshold=_int(env, "PRACHA_PROPOSAL_THRESHOLD", 1000, minimum=1),
            proposal_window_days=_int(env, "PRACHA_PROPOSAL_WINDOW_DAYS", 90, minimum=1),
            proposal_answer_days=_int(env, "PRACHA_PROPOSAL_ANSWER_DAYS", 30, minimum=1),
            line_channel_secret=env.get("PRACHA_LINE_CHANNEL_SECRET", "").strip(),
            line_channel_access_token=env.get("PRACHA_LINE_CHANNEL_ACCESS_TOKEN", "").strip(),
            line_api_url=(env.get("PRACHA_LINE_API_URL") or "https://api.line.me").rstrip("/"),
            line_data_api_url=(
                env.get("PRACHA_LINE_DATA_API_URL") or "https://api-data.line.me"
            ).rstrip("/"),
            line_timeout_seconds=_int(env, "PRACHA_LINE_TIMEOUT", 10, minimum=1),
            line_draft_minutes=_int(env, "PRACHA_LINE_DRAFT_MINUTES", 60, minimum=1),
        )


def _local_secret(var_dir: Path) -> str:
    import secrets

    path = var_dir / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    # Several processes may start at once on a fresh var/ (gunicorn workers, parallel test
    # workers): write the key aside, then publish it with a link that fails if another
    # process got there first, so no one ever reads a half-written file or another key.
    var_dir.mkdir(parents=True, exist_ok=True)
    draft = var_dir / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
    draft.write_text(secrets.token_urlsafe(50))
    draft.chmod(0o600)
    try:
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return path.read_text().strip()


def media_options(config: Config) -> dict[str, object]:
    """PRACHA_MEDIA_STORAGE_OPTIONS: a JSON object, the storage class's keyword arguments."""
    import json

    try:
        options = json.loads(config.media_storage_options)
    except ValueError as exc:
        raise ConfigError(f"PRACHA_MEDIA_STORAGE_OPTIONS is not JSON: {exc}") from exc
    if not isinstance(options, dict):
        raise ConfigError("PRACHA_MEDIA_STORAGE_OPTIONS must be a JSON object")
    return options


def parse_database_url(url: str, *, prepared_statements: bool = True) -> dict[str, object]:
    """`sqlite:///path` or `postgres://user:pw@host:port/name` -> a Django DATABASES entry.

    `prepared_statements` (PostgreSQL): psycopg prepares a statement run through
    pracha.postgresql's kept cursor from its second run on a connection."""
    from urllib.parse import unquote, urlsplit

    if url.startswith("sqlite:///"):
        return {
            # Django's backend, with writers queued on a kernel lock (pracha.sqlite.base).
            "ENGINE": "pracha.sqlite",
            "NAME": url.removeprefix("sqlite:///") or ":memory:",
            "OPTIONS": {
                # WAL lets readers run beside the writer; synchronous=FULL keeps every
                # acknowledged commit across a crash; IMMEDIATE avoids lock upgrades failing.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
            # Kept open between requests: a new SQLite connection re-runs the PRAGMAs and
            # Django registers its SQL functions on it, on every request otherwise.
            "CONN_MAX_AGE": 600,
            # Django's default for SQLite, said aloud: test tools that look for Django's own
            # engine name (pytest-django's per-worker names) then leave it alone.
            "TEST": {"NAME": ":memory:"},
        }
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        raise ConfigError(
            "DATABASE_URL for SQLite is sqlite:///relative/path or sqlite:////absolute/path"
        )
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ConfigError(
            f"DATABASE_URL scheme {parts.scheme!r} is not supported (sqlite, postgres)"
        )
    try:
        port = parts.port
    except ValueError as exc:  # not a number, or out of range; never echo the password
        raise ConfigError("DATABASE_URL has an invalid port (a number, 1-65535)") from exc
    return {
        # Django's backend, with a cursor for statements prepared once (pracha.postgresql.base).
        "ENGINE": "pracha.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "pracha",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        # %2F-quoted host: a Unix socket directory (postgres://user@%2Fvar%2Frun%2Fpostgresql/db)
        "HOST": unquote(parts.hostname or ""),
        "PORT": str(port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"prepare_threshold": 1} if prepared_statements else {},
    }


def parse_cache_url(url: str, var_dir: Path) -> dict[str, object]:
    """`db://table`, `file:///dir`, `redis://host:6379/0`, `locmem://` -> a Django CACHES entry.

    The default (a table in the database) is shared by every gunicorn worker and needs no
    extra service; `pracha migrate` creates the table.
    """
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    scheme = parts.scheme
    if scheme == "db":
        table = (parts.netloc + parts.path).strip("/") or "pracha_cache"
        backend, location = "django.core.cache.backends.db.DatabaseCache", table
    elif scheme == "file":
        location = parts.path or str(var_dir / "cache")
        backend = "django.core.cache.backends.filebased.FileBasedCache"
    elif scheme in {"redis", "rediss", "unix"}:
        backend, location = "django.core.cache.backends.redis.RedisCache", url
    elif scheme == "locmem":
        backend, location = "django.core.cache.backends.locmem.LocMemCache", "pracha"
    elif scheme == "dummy":
        backend, location = "django.core.cache.backends.dummy.DummyCache", ""
    else:
        raise ConfigError(
            f"CACHE_URL scheme {scheme!r} is not supported (db, file, redis, locmem, dummy)"
        )
    entry: dict[str, object] = {"BACKEND": backend, "LOCATION": location, "KEY_PREFIX": "pracha"}
    if scheme in {"db", "file"}:
        # Django culls these caches at 300 entries by key order, not age: with more clients
        # than that in a window, live rate-limit counters would vanish.
        entry["OPTIONS"] = {"MAX_ENTRIES": 20_000}
    return entry


def web_workers() -> int:
    """WEB_CONCURRENCY, else one gunicorn worker per core and one more (at most 8).

    Not gunicorn's customary 2 x cores + 1: on one machine, with SQLite's single writer or a
    local PostgreSQL, intake measured 5-20% faster with 3 workers than with 5 on 2 cores
    (README "Intake under load"): more workers only queue for the same cores and the
    write lock, and a preempted worker holding it stalls the others. Raise it on app nodes
    whose database is on another machine, where workers spend more time waiting on it.
    """
    raw = os.environ.get("WEB_CONCURRENCY", "").strip()
    if not raw:
        return min((os.cpu_count() or 1) + 1, 8)
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(f"WEB_CONCURRENCY must be a number of workers (1 or more), not {raw!r}")
    return int(raw)
