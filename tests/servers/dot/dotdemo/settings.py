"""Settings of the test django-oauth-toolkit provider: sqlite in a temporary folder, DOT's defaults
for OpenID Connect (an RSA signing key, OIDC on, PKCE required, refresh tokens rotated and tied to
the scope of their last use), nothing from the internet.

``DOT_TEST_DATA`` (set by serve.py) is the folder for the database and the signing key.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DATA = Path(os.environ.get("DOT_TEST_DATA", "."))

SECRET_KEY = secrets.token_urlsafe(40)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
    "dotdemo",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ]
        },
    }
]
ROOT_URLCONF = "dotdemo.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA / "dot.sqlite3")}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
USE_TZ = True
LOGIN_URL = "/accounts/login/"

# Every server of the tests is on 127.0.0.1 and cookies ignore ports: names of their own.
SESSION_COOKIE_NAME = "dot_session"
CSRF_COOKIE_NAME = "dot_csrf"

# DOT's defaults, plus what any OpenID Connect deployment of it must set: OIDC on, its RSA key,
# the scopes the county's clients may ask for (DOT knows none but read/write by itself), and the
# validator that puts the person's name in userinfo (DOT's id_token carries only ``sub``).
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": os.environ.get("DOT_TEST_RSA_KEY", ""),
    "SCOPES": {
        "openid": "OpenID Connect",
        "profile": "Your name",
        "offline_access": "Stay signed in",
        "dot.tasks": "Tasks of platform A",
        "dot.notices": "Tasks of platform B",
    },
    "OAUTH2_VALIDATOR_CLASS": "dotdemo.validator.Validator",
}
