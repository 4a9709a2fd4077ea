"""Production settings: `pracha check --deploy` is clean; HTTPS turns on secure cookies,
HSTS and redirects; every answer carries the protective headers."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.cli import pracha_env, run_pracha

# The environment that makes production settings (README: "Production settings").
PRODUCTION_ENV = {
    "DEBUG": "0",
    "PRACHA_HTTPS": "1",
    "ALLOWED_HOSTS": "pracha.example.org",
}


def production(tmp_path: Path, **env: str) -> dict[str, str]:
    """A `pracha` environment with production settings (a database of its own in tmp_path)."""
    return pracha_env(tmp_path, SECRET_KEY=secrets.token_urlsafe(50), **{**PRODUCTION_ENV, **env})


@pytest.mark.slow
def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    done = run_pracha("check", "--deploy", "--fail-level", "WARNING", env=production(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


@pytest.mark.slow
def test_check_deploy_names_what_is_missing_without_https(tmp_path: Path) -> None:
    env = production(tmp_path, PRACHA_HTTPS="0")
    done = run_pracha("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert done.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in done.stderr + done.stdout


SHOW = (
    "import json, pracha.settings as s; print(json.dumps({k: getattr(s, k, None) for k in "
    "['SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
    "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', "
    "'SECURE_PROXY_SSL_HEADER', 'DEBUG', 'CACHES', 'AUTHENTICATION_BACKENDS']}))"
)


def settings_for(tmp_path: Path, **env: str) -> dict[str, Any]:
    clean = pracha_env(PRACHA_VAR_DIR=str(tmp_path), SECRET_KEY="x" * 60, **env)
    done = subprocess.run(
        [sys.executable, "-c", SHOW], env=clean, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


@pytest.mark.slow
def test_https_switches_on_secure_cookies_hsts_and_redirects(tmp_path: Path) -> None:
    on = settings_for(tmp_path, PRACHA_HTTPS="1", PRACHA_PROXY_COUNT="1")
    assert on["SECURE_SSL_REDIRECT"] and on["SESSION_COOKIE_SECURE"] and on["CSRF_COOKIE_SECURE"]
    assert on["SECURE_HSTS_SECONDS"] == 31_536_000
    assert on["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and on["SECURE_HSTS_PRELOAD"]
    assert on["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    off = settings_for(tmp_path)
    assert not off["SECURE_SSL_REDIRECT"] and not off["SESSION_COOKIE_SECURE"]
    assert off["SECURE_PROXY_SSL_HEADER"] is None  # not behind a proxy: never trust the header
    assert off["DEBUG"] is False
    assert off["CACHES"]["default"]["BACKEND"].endswith("DatabaseCache")
    redis = settings_for(tmp_path, REDIS_URL="redis://cache:6379/1")
    assert redis["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache:6379/1",
        "KEY_PREFIX": "pracha",
    }


def test_answers_carry_protective_headers(db: None) -> None:
    response = Client().get("/api/v1/categories")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_with_https_settings_answers_have_hsts_and_cookies_are_secure(
    db: None, settings: Any
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client = Client()
    plain = client.get("/api/v1/categories")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    secure = client.get("/admin/login/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert secure.cookies["csrftoken"]["secure"]
