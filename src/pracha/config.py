"""Typed settings read from environment variables, with safe defaults.

Every knob of a deployment lives here so `settings.py` stays declarative and tests can build a
`Config` from any mapping without touching `os.environ`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

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
        )


def _local_secret(var_dir: Path) -> str:
    import secrets

    path = var_dir / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        var_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key)
        path.chmod(0o600)
        return key


def parse_database_url(url: str) -> dict[str, object]:
    """`sqlite:///path` or `postgres://user:pw@host:port/name` -> a Django DATABASES entry."""
    from urllib.parse import unquote, urlsplit

    if url.startswith("sqlite:///"):
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": url.removeprefix("sqlite:///") or ":memory:",
            "OPTIONS": {
                # WAL lets readers run beside the writer; synchronous=FULL keeps every
                # acknowledged commit across a crash; IMMEDIATE avoids lock upgrades failing.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
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
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "pracha",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        # %2F-quoted host: a Unix socket directory (postgres://user@%2Fvar%2Frun%2Fpostgresql/db)
        "HOST": unquote(parts.hostname or ""),
        "PORT": str(port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
