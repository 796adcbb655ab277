"""Start the test CAS server: migrate a fresh sqlite database, add the demo users and the allowed
services, then serve django-cas-server with werkzeug on a free port of 127.0.0.1.

Prints ``READY http://127.0.0.1:<port>/cas`` once it accepts requests; exits when its standard
input closes (the test run ended, however it ended), so it never outlives the tests.

    python tests/servers/cas/serve.py DATA_DIR
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/servers: what the test servers share

from django_child import serve  # noqa: E402

SERVICE_ATTRIBUTES = {"first_name": "name", "username": ""}
"""User fields released to every service, and the attribute names they get ('' = same name)."""


def setup(data: Path) -> None:
    os.environ["CAS_TEST_DATA"] = str(data)
    os.environ["DJANGO_SETTINGS_MODULE"] = "casdemo.settings"
    sys.path.insert(0, str(HERE))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    seed()


def seed() -> None:
    from cas_server.models import ReplaceAttributName, ServicePattern
    from django.contrib.auth.models import User

    from launcher_demo.users import DEMO_USERS

    for demo in DEMO_USERS:
        User.objects.create_user(demo.username, password=demo.password, first_name=demo.name)
    patterns = [
        # The launcher's own service URL: intercepted in its web view, nothing listens there, so
        # no single-logout request is sent to it.
        ("一端通", r"^http://127\.0\.0\.1(:\d+)?/cas-callback$", False, 10),
        # The demo platforms (web login and API ticket exchange) on any loopback port.
        ("示范县平台", r"^http://127\.0\.0\.1:\d+/.*$", True, 100),
    ]
    for name, regex, slo, pos in patterns:
        pattern = ServicePattern.objects.create(
            name=name, pattern=regex, single_log_out=slo, pos=pos
        )
        for field, replace in SERVICE_ATTRIBUTES.items():
            ReplaceAttributName.objects.create(name=field, replace=replace, service_pattern=pattern)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    setup(Path(sys.argv[1]))
    serve("/cas")
