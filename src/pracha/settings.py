"""Django settings for Pracha. Values come from `pracha.config.Config` (environment variables)."""

from __future__ import annotations

import os

from pracha.config import Config, media_options, parse_cache_url, parse_database_url

CONFIG = Config.from_env()

BASE_DIR = CONFIG.home
SECRET_KEY = CONFIG.secret_key
DEBUG = CONFIG.debug
ALLOWED_HOSTS = CONFIG.allowed_hosts
CSRF_TRUSTED_ORIGINS = CONFIG.csrf_trusted_origins

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "ninja",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "pracha",
    "pracha.geo",
    "pracha.agencies",
    "pracha.citizens",
    "pracha.cases",
    "pracha.importer",
    "pracha.triage",
    "pracha.open311",
    "pracha.insights",
    "pracha.audit",
    "pracha.limits",
    "pracha.privacy",
    "pracha.competency",
    "pracha.notify",
    "pracha.evidence",
    "pracha.jobs",
    "pracha.proposals",
    "pracha.lifeevents",
    "pracha.consultations",
    "pracha.web",
    "pracha.line",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "pracha.middleware.SecurityHeadersMiddleware",  # CSP and Permissions-Policy on pages
    "pracha.middleware.RequestSizeLimitMiddleware",
    "pracha.middleware.MethodNotAllowedMiddleware",
    "pracha.replica.ReplicaMiddleware",  # public reads on the replica, if there is one
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pracha.citizens.sessions.CitizenSessionMiddleware",  # request.citizen on the pages
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "pracha.urls"
WSGI_APPLICATION = "pracha.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_prepared = CONFIG.db_prepared_statements
DATABASES = {"default": parse_database_url(CONFIG.database_url, prepared_statements=_prepared)}
if CONFIG.database_replica_url:  # heavy public reads go to a streaming replica (pracha.replica)
    DATABASES["replica"] = parse_database_url(
        CONFIG.database_replica_url, prepared_statements=_prepared
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["pracha.replica.ReplicaRouter"]

# Background work (pracha.jobs): django-tasks with its queue kept in the database, so every
# node's `pracha worker` shares it without another service.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "src" / "pracha" / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = CONFIG.var_dir / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = CONFIG.var_dir / "media"
# Uploaded photos: the file system by default; a shared store for several nodes
# (PRACHA_MEDIA_STORAGE, PRACHA_MEDIA_STORAGE_OPTIONS; README "Several machines").
STORAGES = {
    "default": {"BACKEND": CONFIG.media_storage, "OPTIONS": media_options(CONFIG)},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Uploads above this many bytes are spooled to disk instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Photos are checked against PRACHA_MAX_PHOTO_BYTES; leave headroom for the multipart envelope.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = CONFIG.email_backend
EMAIL_FILE_PATH = CONFIG.var_dir / "mail"
EMAIL_HOST = CONFIG.email_host
EMAIL_PORT = CONFIG.email_port
EMAIL_HOST_USER = CONFIG.email_user
EMAIL_HOST_PASSWORD = CONFIG.email_password
EMAIL_USE_TLS = CONFIG.email_use_tls
EMAIL_TIMEOUT = CONFIG.email_timeout_seconds
DEFAULT_FROM_EMAIL = CONFIG.email_from

# Web pages (pracha.web): the officers' sign-in, and an expired form explained, not a bare 403.
LOGIN_URL = "/office/login/"
LOGIN_REDIRECT_URL = "/office/"
CSRF_FAILURE_VIEW = "pracha.web.views.errors.csrf_failure"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Where page images may come from besides our origin and the map tiles (Content-Security-
# Policy img-src): imported and Open311 photos live on their senders' hosts, so any https host
# unless PRACHA_CSP_IMG_HOSTS lists them (e.g. "https://storage.googleapis.com").
PRACHA_CSP_IMG_HOSTS = (
    (os.environ.get("PRACHA_CSP_IMG_HOSTS") or "https:").replace(",", " ").split()
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"pracha": {"level": "INFO"}},
}

PRACHA = CONFIG

# --- Reliability, security and privacy (pracha.audit) ------------------------------------
# The cache holds rate-limit and login-failure counters; the default is a database table,
# shared by every gunicorn worker without an extra service (CACHE_URL=redis://... for Redis).
CACHES = {"default": parse_cache_url(CONFIG.cache_url, CONFIG.var_dir)}
# Who did what from where: every request's user and address reach the audit log.
MIDDLEWARE += [
    "pracha.audit.context.AuditContextMiddleware",
    "pracha.limits.login_throttle.LoginThrottleMiddleware",
    "pracha.limits.device.DeviceMiddleware",  # signed device ids for intake limits and me-too
]
# Refuses logins for a while after repeated failures (PRACHA_LOGIN_FAILURES).
AUTHENTICATION_BACKENDS = ["pracha.limits.login_throttle.ThrottledModelBackend"]
if CONFIG.https:  # PRACHA_HTTPS=1: the site is served over TLS only
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = CONFIG.hsts_seconds
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
if CONFIG.proxy_count:  # behind a reverse proxy that terminates TLS and sets these headers
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
