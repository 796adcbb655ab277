"""The launcher asks the OS's own keyring backend directly (the Secret Service here) instead of
keyring's search through every backend it knows, unless the user chose one. Each case runs in a
fresh process: the backend is chosen once per process."""

from __future__ import annotations

import textwrap

import pytest

from tests.fresh_process import run_fresh

pytestmark = pytest.mark.usefixtures("real_keyring")

CHILD = textwrap.dedent(
    """
    import json, sys
    import keyring
    from launcher.core.secrets import SecretStore

    store = SecretStore("keyring-backend-test")
    store.get("nothing")
    print("RESULT " + json.dumps({
        "backend": type(keyring.get_keyring()).__module__ + "." + type(keyring.get_keyring()).__name__,
        "searched": "keyring.backends.macOS" in sys.modules,
    }))
    """
)


def test_the_secret_service_is_used_without_searching_every_backend() -> None:
    assert run_fresh(CHILD) == {"backend": "keyring.backends.SecretService.Keyring", "searched": False}


def test_a_backend_the_user_chose_is_kept() -> None:
    result = run_fresh(CHILD, env={"PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"})
    assert result == {"backend": "keyring.backends.null.Keyring", "searched": False}


def test_under_kde_keyring_chooses_as_it_always_has() -> None:
    # keyring prefers KWallet under KDE when it works; here it does not, so keyring's own search
    # ends at the Secret Service too, having looked at every backend.
    result = run_fresh(CHILD, env={"XDG_CURRENT_DESKTOP": "KDE"})
    assert result == {"backend": "keyring.backends.SecretService.Keyring", "searched": True}
