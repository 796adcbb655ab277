"""Everything the UI and the command line work with, assembled from one county file (Qt-free).

Opening touches the disk and the keyring: call ``Services.open`` from a worker thread in the GUI.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from launcher.core import paths
from launcher.core.auth.session import AuthSession
from launcher.core.auth.vault import PasswordVault
from launcher.core.county import County, load_county
from launcher.core.inbox.cache import TaskCache
from launcher.core.inbox.grouping import Grouping, rules_for
from launcher.core.inbox.service import Inbox
from launcher.core.inbox.splits import FILE_NAME as SPLITS_FILE
from launcher.core.inbox.splits import SplitStore
from launcher.core.profile.fields import FieldDef, load_fields
from launcher.core.profile.store import ProfileStore
from launcher.core.registry import Registry, build_registry
from launcher.core.secrets import SecretStore

if TYPE_CHECKING:
    from launcher.core.auth.cas_session import CasSession

log = logging.getLogger(__name__)


@dataclass
class Services:
    county: County
    registry: Registry
    auth: AuthSession | CasSession
    """The county identity session: OpenID Connect, or CAS (``[idp] kind = "cas"``)."""
    inbox: Inbox
    cache: TaskCache
    profile: ProfileStore
    fields: dict[str, FieldDef]
    data_dir: Path
    vault: PasswordVault
    """Saved passwords of the legacy platforms (``auth.kind = "password"``) of the signed-in user."""
    splits: SplitStore
    """The groups the signed-in user split (``splits.json`` in ``data_dir``)."""
    grouping: Grouping
    """Groups tasks into inbox rows by the manifests' rules and the user's splits."""

    @classmethod
    def open(cls, county_path: Path) -> Services:
        county = load_county(county_path)
        registry = build_registry(county)
        for problem in registry.errors:
            log.warning("%s", problem)
        data_dir = paths.home() / "counties" / county.id
        data_dir.mkdir(parents=True, exist_ok=True)
        secrets = SecretStore(f"county/{county.id}")
        auth: AuthSession | CasSession
        if county.idp.kind == "cas":
            from launcher.core.auth.cas_session import CasSession  # only CAS counties need it

            auth = CasSession(county, registry, secrets)
        else:
            auth = AuthSession(county, registry, secrets)
        cache = TaskCache(data_dir / "tasks.sqlite3")
        # CalDAV sources of password platforms sign in with the vault's saved account.
        inbox = Inbox(registry, cache, auth.token_for, invalidate=auth.invalidate,
                      credentials=lambda platform_id: vault.get(platform_id))
        fields = load_fields()
        profile = ProfileStore(paths.home() / "profile.sqlite3", SecretStore("profile"), fields)
        # The county logout leaves these: they are the user's own saved passwords, kept per
        # county account (``owner``), so the next person on a shared PC does not get them.
        vault = PasswordVault(
            SecretStore(f"vault/{county.id}"), owner=lambda: auth.user.sub if auth.user else ""
        )
        splits = SplitStore(data_dir / SPLITS_FILE)
        grouping = Grouping(rules_for(registry.platforms), splits)
        return cls(county, registry, auth, inbox, cache, profile, fields, data_dir, vault,
                   splits=splits, grouping=grouping)

    def logout(self) -> str | None:
        """Sign out of everything and forget this user's task list; returns the end-session URL.

        The cached tasks are the signed-in user's work list: on a shared PC the next person must
        not see them, nor the groups this user split (they name the same households and shops).
        """
        end_url = self.auth.logout()
        for platform in self.registry.platforms:
            self.cache.forget(platform.id)
        self.splits.clear()
        return end_url

    def close(self) -> None:
        self.auth.tokens.flush()  # platform tokens still waiting to be written behind
        self.cache.close()
        self.profile.close()
