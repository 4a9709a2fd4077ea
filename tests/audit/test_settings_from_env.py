"""The settings this app reads from the environment: rates, cache, HTTPS, retention."""

from __future__ import annotations

from pathlib import Path

import pytest

from pracha.config import Config, ConfigError, Rate, parse_cache_url


def config(tmp_path: Path, **env: str) -> Config:
    return Config.from_env({"PRACHA_HOME": str(tmp_path), **env})


def test_safe_defaults(tmp_path: Path) -> None:
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
