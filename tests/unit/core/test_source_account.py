"""The saved account a task source may use (``SourceAccount``, launcher/core/model.py): the
password vault hands it out with whether it is stopped and how to report the platform's refusal,
and a plugin of a password platform gets it only while the vault allows sending it.

The keyring is the real Secret Service (gnome-keyring, started by scripts/test.sh).
"""

from __future__ import annotations

import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher.core.auth.vault import AutoSubmit, PasswordVault
from launcher.core.errors import SourceError
from launcher.core.inbox.document_source import SAVED_ACCOUNT_STOPPED
from launcher.core.inbox.sources import PluginSource
from launcher.core.manifest import load_manifest
from launcher.core.model import Credentials, SourceAccount, source_account
from launcher.core.plugins.host import PluginHost
from launcher.core.registry import Platform
from launcher.core.secrets import SecretStore
from launcher.core.states import FailureReason

ACCOUNT = Credentials("zhangwei", "Da@zw2024")


@pytest.fixture
def vault() -> Iterator[PasswordVault]:
    store = SecretStore(f"test-source-account-{uuid.uuid4().hex[:8]}")
    yield PasswordVault(store, owner=lambda: "zhangwei")
    store.delete_matching("")


def test_the_vault_hands_out_a_source_account(vault: PasswordVault) -> None:
    vault.set("demo.dangan", ACCOUNT.username, ACCOUNT.password)
    saved = vault.get("demo.dangan")
    assert isinstance(saved, SourceAccount) and not saved.stopped
    assert saved == ACCOUNT and "Da@zw2024" not in repr(saved)
    assert source_account(saved) is saved
    # The platform refused it: marked in the vault, and handed out stopped from now on.
    assert saved.refused()
    account = vault.account("demo.dangan")
    assert account is not None and account.auto is AutoSubmit.REFUSED
    again = vault.get("demo.dangan")
    assert again is not None and again.stopped


def test_a_refusal_never_lands_on_a_newer_password(vault: PasswordVault) -> None:
    vault.set("demo.dangan", ACCOUNT.username, ACCOUNT.password)
    old = vault.get("demo.dangan")
    assert old is not None
    vault.set("demo.dangan", ACCOUNT.username, "New@2025")
    assert not old.refused()
    account = vault.account("demo.dangan")
    assert account is not None and account.auto is AutoSubmit.READY


def test_plain_credentials_may_be_sent_and_report_nowhere() -> None:
    plain = source_account(ACCOUNT)
    assert plain == ACCOUNT and not plain.stopped and not plain.refused()


# -- a plugin of a password platform ------------------------------------------------------------

PLUGIN = '''
LAUNCHER_API = 1
SEEN = {}


class Source:
    def __init__(self, context):
        self.context = context

    def fetch(self, *, timeout):
        held = self.context.credentials
        SEEN.update(username=held.username, password=held.password)
        return []


def make(context):
    return Source(context)
'''


def password_plugin(tmp_path: Path) -> Platform:
    folder = tmp_path / "dangan"
    folder.mkdir()
    (folder / "manifest.toml").write_text(textwrap.dedent("""
        schema = 1
        id = "demo.dangan"
        name = "档案平台"
        version = "1.0.0"
        home = "{base_url}/"
        origins = ["{base_url}"]

        [auth]
        kind = "password"

        [auth.login]
        url = "{base_url}/login"
        username = "#username"
        password = "#password"
        submit = "#go"

        [tasks]
        kind = "python"
        entry = "tasks:make"
        timeout = 5
        """), encoding="utf-8")
    (folder / "tasks.py").write_text(PLUGIN, encoding="utf-8")
    return Platform(load_manifest(folder / "manifest.toml"), "http://127.0.0.1:9")


def test_a_plugin_gets_the_saved_account_only_while_it_may_be_sent(
    tmp_path: Path, vault: PasswordVault
) -> None:
    vault.set("demo.dangan", ACCOUNT.username, ACCOUNT.password)
    source = PluginSource(password_plugin(tmp_path), PluginHost(data_root=tmp_path / "data"),
                          saved=vault.get)
    assert source.fetch(token=None, timeout=5) == []
    seen = sys.modules[f"{source.plugin.package}.tasks"].SEEN
    assert seen == {"username": "zhangwei", "password": "Da@zw2024"}

    # Refused once (by any source, or the window's login page): the plugin is not called with it,
    # so a plugin signing in itself can never lock the account.
    assert vault.set_auto("demo.dangan", ACCOUNT, AutoSubmit.REFUSED)
    seen.clear()
    with pytest.raises(SourceError) as caught:
        source.fetch(token=None, timeout=5)
    assert caught.value.reason == FailureReason.SIGNED_OUT
    assert SAVED_ACCOUNT_STOPPED in str(caught.value)
    assert seen == {}
