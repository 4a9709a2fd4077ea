"""Config.from_env, parse_database_url and parse_cache_url: safe defaults and clear refusals,
for everything the app reads from the environment (rates, cache, HTTPS, retention too)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from pracha.config import (
    Config,
    ConfigError,
    Rate,
    media_options,
    parse_cache_url,
    parse_database_url,
    web_workers,
)


def config(tmp_path: Path, **env: str) -> Config:
    """A Config from exactly these variables (plus a home, so nothing touches the repo)."""
    return Config.from_env({"PRACHA_HOME": str(tmp_path), **env})


def test_safe_defaults(tmp_path: Path) -> None:
    c = config(tmp_path)

    assert c.debug is False
    assert c.allowed_hosts[:2] == ["localhost", "127.0.0.1"]
    assert "*" not in c.allowed_hosts
    assert c.csrf_trusted_origins == []
    assert c.home == tmp_path
    assert c.var_dir == tmp_path / "var"
    assert c.data_dir == tmp_path / "data"
    assert c.database_url == f"sqlite:///{tmp_path / 'var' / 'pracha.sqlite3'}"
    assert (c.reopen_days, c.forward_return_limit) == (30, 1)
    assert (c.max_photo_bytes, c.max_description_chars) == (10 * 1024 * 1024, 5000)
    assert c.default_agency_code == "bma"


def test_a_secret_key_is_made_once_and_kept(tmp_path: Path) -> None:
    first = config(tmp_path).secret_key
    second = config(tmp_path).secret_key

    assert len(first) >= 50
    assert first == second
    secret_file = tmp_path / "var" / "secret_key"
    assert secret_file.read_text() == first
    assert secret_file.stat().st_mode & 0o077 == 0  # readable by its owner only


def test_a_given_secret_key_is_used_and_nothing_is_written(tmp_path: Path) -> None:
    c = config(tmp_path, SECRET_KEY="s3cret")
    assert c.secret_key == "s3cret"
    assert not (tmp_path / "var" / "secret_key").exists()


@pytest.mark.parametrize("value", ["1", "true", "True", "yes", "on", " ON "])
def test_debug_on(tmp_path: Path, value: str) -> None:
    assert config(tmp_path, DEBUG=value, SECRET_KEY="x").debug is True


@pytest.mark.parametrize("value", ["0", "false", "no", "off", "", "  "])
def test_debug_off(tmp_path: Path, value: str) -> None:
    assert config(tmp_path, DEBUG=value, SECRET_KEY="x").debug is False


@pytest.mark.parametrize("value", ["maybe", "2", "debug", "enabled"])
def test_debug_with_an_unclear_value_is_refused(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="DEBUG"):
        config(tmp_path, DEBUG=value, SECRET_KEY="x")


def test_lists_are_comma_separated(tmp_path: Path) -> None:
    c = config(
        tmp_path,
        SECRET_KEY="x",
        ALLOWED_HOSTS=" pracha.example.org, ,api.example.org ",
        CSRF_TRUSTED_ORIGINS="https://pracha.example.org",
    )
    assert c.allowed_hosts == ["pracha.example.org", "api.example.org"]
    assert c.csrf_trusted_origins == ["https://pracha.example.org"]


def test_numbers_and_paths(tmp_path: Path) -> None:
    c = config(
        tmp_path,
        SECRET_KEY="x",
        PRACHA_VAR_DIR=str(tmp_path / "state"),
        PRACHA_REOPEN_DAYS="14",
        PRACHA_FORWARD_RETURN_LIMIT="0",
        PRACHA_MAX_PHOTO_BYTES="2048",
        PRACHA_MAX_DESCRIPTION_CHARS=" 300 ",
        DATABASE_URL="postgres://pracha@db/pracha",
    )
    assert c.var_dir == tmp_path / "state"
    assert (c.reopen_days, c.forward_return_limit) == (14, 0)
    assert (c.max_photo_bytes, c.max_description_chars) == (2048, 300)
    assert c.database_url == "postgres://pracha@db/pracha"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PRACHA_REOPEN_DAYS", "thirty"),
        ("PRACHA_REOPEN_DAYS", "1.5"),
        ("PRACHA_REOPEN_DAYS", "-1"),
        ("PRACHA_FORWARD_RETURN_LIMIT", "-2"),
        ("PRACHA_MAX_PHOTO_BYTES", "10MB"),
        ("PRACHA_MAX_PHOTO_BYTES", "0"),
        ("PRACHA_MAX_DESCRIPTION_CHARS", "0"),
    ],
)
def test_bad_numbers_are_refused_naming_the_variable(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name) as refused:
        config(tmp_path, SECRET_KEY="x", **{name: value})
    assert repr(value) in str(refused.value) or value in str(refused.value)


def test_config_error_is_a_value_error() -> None:
    assert issubclass(ConfigError, ValueError)


# --- DATABASE_URL ---------------------------------------------------------------------------


def test_sqlite_absolute_path() -> None:
    db = parse_database_url("sqlite:////srv/pracha/var/pracha.sqlite3")
    assert db["ENGINE"] == "pracha.sqlite"
    assert db["NAME"] == "/srv/pracha/var/pracha.sqlite3"
    assert "WAL" in db["OPTIONS"]["init_command"]  # type: ignore[index]


def test_sqlite_relative_path_and_memory() -> None:
    assert parse_database_url("sqlite:///pracha.sqlite3")["NAME"] == "pracha.sqlite3"
    assert parse_database_url("sqlite:///")["NAME"] == ":memory:"


def test_the_default_url_parses_to_the_var_directory(tmp_path: Path) -> None:
    db = parse_database_url(config(tmp_path, SECRET_KEY="x").database_url)
    assert db["NAME"] == str(tmp_path / "var" / "pracha.sqlite3")


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "pgsql"])
def test_postgres(scheme: str) -> None:
    db = parse_database_url(f"{scheme}://pracha:p%40ss%2Fword@db.internal:6543/pracha_prod")
    assert db["ENGINE"] == "pracha.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"]) == ("pracha_prod", "pracha", "p@ss/word")
    assert (db["HOST"], db["PORT"]) == ("db.internal", "6543")
    assert db["OPTIONS"] == {"prepare_threshold": 1}


def test_prepared_statements_can_be_switched_off(tmp_path: Path) -> None:
    assert config(tmp_path, SECRET_KEY="x").db_prepared_statements
    off = config(tmp_path, SECRET_KEY="x", PRACHA_DB_PREPARED_STATEMENTS="0")
    assert not off.db_prepared_statements
    db = parse_database_url("postgres://localhost/pracha", prepared_statements=False)
    assert db["OPTIONS"] == {}


def test_postgres_defaults() -> None:
    db = parse_database_url("postgres://localhost")
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["PORT"]) == ("pracha", "", "", "")
    assert db["HOST"] == "localhost"


def test_postgres_over_a_unix_socket() -> None:
    db = parse_database_url("postgres://pracha@%2Fvar%2Frun%2Fpostgresql/pracha")
    assert db["HOST"] == "/var/run/postgresql"


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("mysql://u:p@h/db", "'mysql' is not supported"),
        ("sqlite://relative.db", "sqlite:///"),
        ("pracha.sqlite3", "DATABASE_URL"),
        ("postgres://u:p@db:notaport/pracha", "port"),
        ("postgres://u:p@db:99999/pracha", "port"),
    ],
)
def test_bad_database_urls(url: str, words: str) -> None:
    with pytest.raises(ConfigError, match="DATABASE_URL") as refused:
        parse_database_url(url)
    assert words in str(refused.value)
    assert "p@" not in str(refused.value)  # the message never shows the password


def test_mail_defaults_and_overrides(tmp_path: Path) -> None:
    c = config(tmp_path)
    assert (c.email_timeout_seconds, c.mail_in_serve) == (20, True)

    c = config(tmp_path, EMAIL_TIMEOUT="5", PRACHA_MAIL_IN_SERVE="off")
    assert (c.email_timeout_seconds, c.mail_in_serve) == (5, False)
    with pytest.raises(ConfigError, match="EMAIL_TIMEOUT"):
        config(tmp_path, EMAIL_TIMEOUT="0")


def test_django_mail_gives_up_on_a_hanging_server() -> None:
    assert settings.PRACHA.email_timeout_seconds == settings.EMAIL_TIMEOUT


# --- limits, cache, HTTPS, retention ---------------------------------------------------------


def test_safe_defaults_of_limits_https_and_retention(tmp_path: Path) -> None:
    c = config(tmp_path)
    assert c.https is False and c.proxy_count == 0
    # Carrier NAT: the address is a high ceiling; the device is the strict limit.
    assert c.rate_reports_per_ip == Rate(600, 600)
    assert c.rate_reports_per_device == Rate(20, 600)
    assert c.rate_reports_no_device == Rate(30, 600)
    assert c.rate_reports_per_key == Rate(600, 600)
    assert (c.rate_photos_per_ip, c.rate_metoo_per_device) == (Rate(1200, 600), Rate(30, 600))
    assert c.login_failures_per_user == Rate(5, 900)
    assert c.contact_retention_days == 365
    assert c.cache_url == "db://pracha_cache"


@pytest.mark.parametrize(
    ("name", "field"),
    [("PRACHA_RATE_REPORTS_PER_IP", "rate_reports_per_ip"),
     ("PRACHA_RATE_PHOTOS_NO_DEVICE", "rate_photos_no_device"),
     ("PRACHA_RATE_METOO_PER_CITIZEN", "rate_metoo_per_citizen")],
)  # fmt: skip
def test_each_intake_rate_has_its_variable(tmp_path: Path, name: str, field: str) -> None:
    assert getattr(config(tmp_path, **{name: "7/m"}), field) == Rate(7, 60)
    assert getattr(config(tmp_path, **{name: "off"}), field) is None


@pytest.mark.parametrize(
    ("raw", "rate"),
    [
        ("30/10m", Rate(30, 600)),
        ("5/900", Rate(5, 900)),
        ("5/900s", Rate(5, 900)),
        ("100/h", Rate(100, 3600)),
        ("1000/d", Rate(1000, 86400)),
        ("3/2h", Rate(3, 7200)),
        ("off", None),
        ("0", None),
        ("no", None),
    ],
)
def test_rates(tmp_path: Path, raw: str, rate: Rate | None) -> None:
    assert config(tmp_path, PRACHA_RATE_REPORTS_PER_IP=raw).rate_reports_per_ip == rate


@pytest.mark.parametrize("raw", ["lots", "10/fortnight", "-1/m", "10/0", "1.5/m", "/m"])
def test_bad_rates_name_the_variable(tmp_path: Path, raw: str) -> None:
    with pytest.raises(ConfigError, match="PRACHA_LOGIN_FAILURES"):
        config(tmp_path, PRACHA_LOGIN_FAILURES=raw)


def test_other_fields(tmp_path: Path) -> None:
    c = config(
        tmp_path,
        PRACHA_HTTPS="1",
        PRACHA_PROXY_COUNT="2",
        PRACHA_CONTACT_RETENTION_DAYS="90",
        REDIS_URL="redis://cache:6379/0",
    )
    assert (c.https, c.proxy_count, c.contact_retention_days) == (True, 2, 90)
    assert c.cache_url == "redis://cache:6379/0"
    assert config(tmp_path, CACHE_URL="locmem://", REDIS_URL="redis://x").cache_url == "locmem://"
    with pytest.raises(ConfigError, match="PRACHA_CONTACT_RETENTION_DAYS"):
        config(tmp_path, PRACHA_CONTACT_RETENTION_DAYS="0")
    with pytest.raises(ConfigError, match="PRACHA_HTTPS"):
        config(tmp_path, PRACHA_HTTPS="maybe")


def test_cache_urls(tmp_path: Path) -> None:
    assert parse_cache_url("db://pracha_cache", tmp_path)["LOCATION"] == "pracha_cache"
    assert parse_cache_url("db://", tmp_path)["LOCATION"] == "pracha_cache"
    file_cache = parse_cache_url("file://", tmp_path)
    assert file_cache["BACKEND"].endswith("FileBasedCache")
    assert file_cache["LOCATION"] == str(tmp_path / "cache")
    assert parse_cache_url("file:///srv/cache", tmp_path)["LOCATION"] == "/srv/cache"
    assert parse_cache_url("rediss://h:6380/1", tmp_path)["BACKEND"].endswith("RedisCache")
    assert parse_cache_url("locmem://", tmp_path)["BACKEND"].endswith("LocMemCache")
    with pytest.raises(ConfigError, match="CACHE_URL scheme 'memcached'"):
        parse_cache_url("memcached://x", tmp_path)


def test_several_machines_settings(tmp_path: Path) -> None:
    c = config(tmp_path)
    assert (c.database_replica_url, c.replica_pin_seconds, c.worker_in_serve) == ("", 15, True)
    assert media_options(c) == {}
    c = config(
        tmp_path,
        DATABASE_REPLICA_URL="postgres://pracha@standby/pracha",
        PRACHA_MEDIA_STORAGE="storages.backends.s3.S3Storage",
        PRACHA_MEDIA_STORAGE_OPTIONS='{"bucket_name": "photos"}',
    )
    assert c.database_replica_url == "postgres://pracha@standby/pracha"
    assert (c.media_storage, media_options(c)) == (
        "storages.backends.s3.S3Storage",
        {"bucket_name": "photos"},
    )
    for bad in ("{nope", "[1]"):
        with pytest.raises(ConfigError, match="PRACHA_MEDIA_STORAGE_OPTIONS"):
            media_options(config(tmp_path, PRACHA_MEDIA_STORAGE_OPTIONS=bad))


def test_web_workers_default_to_one_per_core_and_one_more(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert web_workers() == 3
    monkeypatch.setattr("os.cpu_count", lambda: 32)
    assert web_workers() == 8  # at most 8 unless asked
    monkeypatch.setenv("WEB_CONCURRENCY", "12")
    assert web_workers() == 12


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5"])
def test_web_workers_refuse_what_is_not_a_count(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("WEB_CONCURRENCY", value)
    with pytest.raises(ConfigError, match="WEB_CONCURRENCY must be a number of workers"):
        web_workers()
