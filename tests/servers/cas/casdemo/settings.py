"""Settings of the test CAS server: sqlite in a temporary folder, nothing from the internet.

``CAS_TEST_DATA`` (set by serve.py) is the folder for the database; it is deleted after the run.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DATA = Path(os.environ.get("CAS_TEST_DATA", "."))

SECRET_KEY = secrets.token_urlsafe(40)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "cas_server",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
ROOT_URLCONF = "casdemo.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA / "cas.sqlite3")}}
# Quick password hashing: the demo users are created at every start.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"

# Every server of the tests is on 127.0.0.1, and cookies ignore ports: the CAS server's cookies
# get names of their own. The session cookie is the CAS ticket-granting cookie (TGC).
SESSION_COOKIE_NAME = "cas_tgc"
CSRF_COOKIE_NAME = "cas_csrftoken"
SESSION_COOKIE_HTTPONLY = True

# No calls to the internet (version check), no sales talk on the pages.
CAS_NEW_VERSION_HTML_WARNING = False
CAS_NEW_VERSION_EMAIL_WARNING = False
CAS_SHOW_POWERED = False
CAS_SHOW_SERVICE_MESSAGES = False
CAS_INFO_MESSAGES: dict[str, dict[str, str]] = {}
CAS_INFO_MESSAGES_ORDER: list[str] = []
CAS_LOGO_URL = None
CAS_FAVICON_URL = None
# Log out removes the TGC in the browser too.
CAS_REMOVE_DJANGO_SESSION_COOKIE_ON_LOGOUT = True
CAS_SLO_TIMEOUT = 5

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stream": {"class": "logging.StreamHandler"}},
    "loggers": {"cas_server": {"handlers": ["stream"], "level": "INFO"}},
}
