"""The citizen-account settings read from the environment, with defaults a city would use."""

from __future__ import annotations

from pathlib import Path

import pytest

from pracha.config import Config, ConfigError, Rate


def config(tmp_path: Path, **env: str) -> Config:
    return Config.from_env({"PRACHA_HOME": str(tmp_path), **env})


def test_defaults(tmp_path: Path) -> None:
    c = config(tmp_path)
    assert (c.signin_code_minutes, c.citizen_token_idle_days) == (10, 30)
    assert (c.signin_failures, c.signin_failures_per_day) == (Rate(5, 900), Rate(20, 86400))
    assert c.rate_signin_per_email == Rate(5, 3600)
    assert (c.rate_signin_per_device, c.rate_signin_no_device) == (Rate(10, 3600), Rate(10, 3600))
    assert (c.rate_signin_per_ip, c.rate_signin_per_key) == (Rate(300, 3600), Rate(1000, 3600))
    assert c.rate_signin_per_citizen == Rate(10, 3600)


@pytest.mark.parametrize(
    ("name", "raw", "field", "value"),
    [
        ("PRACHA_SIGNIN_FAILURES", "3/30m", "signin_failures", Rate(3, 1800)),
        ("PRACHA_SIGNIN_FAILURES", "off", "signin_failures", None),
        ("PRACHA_SIGNIN_FAILURES_PER_DAY", "10/d", "signin_failures_per_day", Rate(10, 86400)),
        ("PRACHA_RATE_SIGNIN_PER_EMAIL", "3/h", "rate_signin_per_email", Rate(3, 3600)),
        ("PRACHA_RATE_SIGNIN_PER_DEVICE", "4/h", "rate_signin_per_device", Rate(4, 3600)),
        ("PRACHA_RATE_SIGNIN_NO_DEVICE", "2/h", "rate_signin_no_device", Rate(2, 3600)),
        ("PRACHA_RATE_SIGNIN_PER_IP", "off", "rate_signin_per_ip", None),
        ("PRACHA_RATE_SIGNIN_PER_KEY", "50/m", "rate_signin_per_key", Rate(50, 60)),
        ("PRACHA_RATE_SIGNIN_PER_CITIZEN", "5/h", "rate_signin_per_citizen", Rate(5, 3600)),
        ("PRACHA_SIGNIN_CODE_MINUTES", "5", "signin_code_minutes", 5),
        ("PRACHA_CITIZEN_TOKEN_IDLE_DAYS", "7", "citizen_token_idle_days", 7),
    ],
)
def test_each_setting_has_its_variable(
    tmp_path: Path, name: str, raw: str, field: str, value: object
) -> None:
    assert getattr(config(tmp_path, **{name: raw}), field) == value


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("PRACHA_SIGNIN_CODE_MINUTES", "0"),
        ("PRACHA_CITIZEN_TOKEN_IDLE_DAYS", "0"),
        ("PRACHA_SIGNIN_FAILURES", "five"),
    ],
)
def test_bad_values_name_the_variable(tmp_path: Path, name: str, raw: str) -> None:
    with pytest.raises(ConfigError, match=name):
        config(tmp_path, **{name: raw})
