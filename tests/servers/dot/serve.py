"""Start the test django-oauth-toolkit provider: migrate a fresh sqlite database, add the demo
users and the launcher's public client, then serve it with werkzeug on a free port of 127.0.0.1.

Prints ``READY http://127.0.0.1:<port>/o`` (the issuer) once it accepts requests; exits when its
standard input closes (the test run ended, however it ended), so it never outlives the tests.

    python tests/servers/dot/serve.py DATA_DIR
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/servers: what the test servers share

from django_child import serve  # noqa: E402

LAUNCHER_REDIRECT = "http://127.0.0.1/callback"
"""The launcher's loopback redirect URI: DOT accepts any port on it (RFC 8252 §7.3)."""


def setup(data: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    os.environ["DOT_TEST_RSA_KEY"] = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    os.environ["DOT_TEST_DATA"] = str(data)
    os.environ["DJANGO_SETTINGS_MODULE"] = "dotdemo.settings"
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(HERE.parents[2]))  # the repository: launcher_demo's users
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    seed()


def seed() -> None:
    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    from launcher_demo.users import DEMO_USERS

    for demo in DEMO_USERS:
        User.objects.create_user(demo.username, password=demo.password, first_name=demo.name)
    Application.objects.create(
        client_id="launcher",
        name="一端通",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=LAUNCHER_REDIRECT,
        post_logout_redirect_uris="http://127.0.0.1/logged-out",
        algorithm=Application.RS256_ALGORITHM,
        client_secret="",
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    setup(Path(sys.argv[1]))
    serve("/o")
