"""Everything the UI and the command line work with, assembled from one county file (Qt-free).

Opening touches the disk and the keyring: call ``Services.open`` from a worker thread in the GUI.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from launcher.app import sanqing
from launcher.app.account import AccountData, standard_kinds
from launcher.app.audit import AuditRecorder
from launcher.app.events import Events
from launcher.app.ledger import LedgerCounter
from launcher.app.review_follow import follow_reviews
from launcher.app.workspace import Workspace
from launcher.core import network, paths
from launcher.core.audit import AuditLog
from launcher.core.auth.identity import IdentitySession, identity_for
from launcher.core.auth.vault import PasswordVault
from launcher.core.auth.web_session import WebSessions
from launcher.core.county import County, load_county
from launcher.core.inbox.cache import TaskCache
from launcher.core.inbox.cache_file import TASKS_FILE
from launcher.core.inbox.grouping import Grouping, rules_for
from launcher.core.inbox.service import Inbox
from launcher.core.inbox.splits import FILE_NAME as SPLITS_FILE
from launcher.core.inbox.splits import SplitStore
from launcher.core.last_tabs import LastTabs
from launcher.core.ledger import LedgerStore
from launcher.core.profile import shared
from launcher.core.profile.fields import FieldDef, load_fields
from launcher.core.profile.person import PersonProfile, owner_digest
from launcher.core.profile.records import PersonRecords
from launcher.core.registry import Registry, build_registry
from launcher.core.secrets import SecretStore

log = logging.getLogger(__name__)


@dataclass
class Services:
    county: County
    registry: Registry
    auth: IdentitySession
    """The county identity session (OpenID Connect or CAS, chosen by ``identity_for``): UI and
    command line ask it what it can do, never which kind it is."""
    inbox: Inbox
    cache: TaskCache
    profile: PersonProfile
    """The signed-in person's profile (一张表): empty while nobody is signed in."""
    fields: dict[str, FieldDef]
    data_dir: Path
    vault: PasswordVault
    """Saved passwords of the legacy platforms (``auth.kind = "password"``) of the signed-in user."""
    splits: SplitStore
    """The groups the signed-in user split (``splits.json`` in ``data_dir``)."""
    grouping: Grouping
    """Groups tasks into inbox rows by the manifests' rules and the user's splits."""
    events: Events
    """The one event mechanism: every use case announces what it did here."""
    workspace: Workspace
    """Who is signed in, each platform's state, refreshing or not (observable, Qt-free)."""
    account: AccountData
    """Every kind of data kept for a county account: sign-out, switching user and retiring a
    platform go through it (launcher/app/account.py)."""
    web_sessions: WebSessions
    """The session-bound platforms' web sessions the window kept, per county account, in the
    keyring (launcher/core/auth/web_session.py); the inbox reads those platforms with them."""
    records: PersonRecords
    """The signed-in person's subjects and records of the one table, with outcomes and fill
    history (launcher/core/profile/records.py): empty while nobody is signed in."""
    audit: AuditRecorder
    """Each person's audit log, written as the events announce what they do (launcher/app/audit.py,
    launcher/core/audit.py)."""
    ledger: LedgerStore | None = None
    """The burden ledger (减负账本) of the person signed in: counts of what the launcher did
    instead of them (launcher/app/ledger.py, launcher/core/ledger.py)."""
    last_tabs: LastTabs | None = None
    """Each person's last platform tabs, reopened after they sign in where the county allows it
    (``[office] reopen_tabs``; launcher/core/last_tabs.py, in the keyring)."""
    web_clearer: sanqing.WebClearer | None = None
    """The window's web profile, cleared of a retired platform (launcher/ui/web_clear.py sets
    it); None on the command line. Pass it to ``sanqing.retire``."""

    @classmethod
    def open(cls, county_path: Path, events: Events | None = None) -> Services:
        """``events``: the application's event mechanism when its subscribers exist already
        (the window's), else a new one."""
        county = load_county(county_path)
        network.use(county.network)  # the county's CA for every HTTP session from now on
        from launcher.app.packs import block_lookup

        # The county's kill switch: blocks of the last verified pack index (docs/packs.md).
        registry = build_registry(county, block_of=block_lookup())
        for problem in registry.errors:
            log.warning("%s", problem)
        data_dir = paths.folder("counties", county.id)  # the owner's alone, like every file in it
        # Platforms the person removed (launcher retire, 三清) are neither shown nor signed in to.
        removed = sanqing.removed_by_person(data_dir)
        registry.platforms = [p for p in registry.platforms if p.id not in removed]
        secrets = SecretStore(f"county/{county.id}")
        auth = identity_for(county, registry, secrets)
        cache = TaskCache(paths.private_sqlite(data_dir / TASKS_FILE))
        paths.private_sqlite(cache.path)  # again: a damaged cache is set aside and made anew
        def person() -> dict[str, str]:
            """The signed-in person's claims, for a manifest's ``{username}`` and the like."""
            user = auth.user
            if user is None:
                return {}
            # ``username`` for the manifests' placeholders, ``preferred_username`` for plugins,
            # which read the person's claims by their OpenID Connect names.
            claims: dict[str, str] = dict(getattr(user, "claims", None) or {})
            return {**claims, "sub": user.sub, "username": user.username,
                    "preferred_username": user.username, "name": user.name}

        def owner() -> str:
            user = auth.user
            return user.sub if user is not None else ""

        # The county logout leaves these: they are the user's own saved passwords, kept per
        # county account (``owner``), so the next person on a shared PC does not get them.
        vault = PasswordVault(SecretStore(f"vault/{county.id}"), owner=owner)
        # Sources of password platforms (CalDAV, .ics, feeds, plugins) sign in with the vault's
        # saved account, a SourceAccount that reports the platform's refusal to the vault;
        # session-bound platforms are read with the web session the window kept for the person.
        inbox = Inbox(registry, cache, auth.token_for, invalidate=auth.invalidate,
                      credentials=vault.get, person=person)
        web_sessions = inbox.web_sessions = WebSessions(
            SecretStore(f"web-session/{county.id}"), owner
        )
        fields = load_fields()

        # Kept per county account, like the vault's passwords: the next person on a shared PC
        # neither sees nor fills in the previous one's. The one profile older versions shared
        # moves to the first person who signs in (launcher/core/profile/shared.py).
        profile = PersonProfile(
            data_dir / "profiles",
            SecretStore(f"profile/{county.id}"),
            fields,
            owner,
            shared.SharedProfile(paths.home() / shared.FILE_NAME, SecretStore(shared.SERVICE)),
        )
        # Per county account too, beside the profile (its keyring service, another entry name).
        records = PersonRecords(data_dir / "records", SecretStore(f"profile/{county.id}"),
                                fields, owner)
        splits = SplitStore(data_dir / SPLITS_FILE)
        grouping = Grouping(rules_for(registry.platforms), splits)
        events = events if events is not None else Events()
        # Per county account too, its key beside the records' (another entry name).
        audit = AuditRecorder(AuditLog(data_dir / "audit", SecretStore(f"profile/{county.id}")),
                              events, owner)
        services = cls(county, registry, auth, inbox, cache, profile, fields, data_dir, vault,
                       splits=splits, grouping=grouping, events=events,
                       workspace=Workspace(events), account=AccountData(data_dir),
                       web_sessions=web_sessions, records=records, audit=audit)
        # The burden ledger: counted from the events, per person (no values, only numbers).
        services.ledger = LedgerStore(data_dir / "ledger", owner, owner_digest)
        LedgerCounter(services.ledger, registry).subscribe(events)
        # Per county account too: which platform pages to open again at their next sign-in.
        services.last_tabs = LastTabs(SecretStore(f"profile/{county.id}"), owner_digest)
        for kind in standard_kinds(services):
            services.account.register(kind)
        follow_reviews(events, records)
        sanqing.note_configured(services)  # for sign-out to forget those no longer configured
        return services

    def logout(self) -> str | None:
        """Sign out of everything and close every kind of this person's data (the sign-out use
        case, launcher/app/session.py); returns the end-session URL."""
        from launcher.app.session import sign_out

        return sign_out(self)

    def forget_work(self) -> None:
        """Close the signed-in person's data (another person signed in): through the account's
        one owner, so the cached tasks, notices and splits (they name households and shops) of
        every platform, in the county file or not any more, go, and the profile closes."""
        self.account.close()

    def close(self) -> None:
        self.auth.tokens.flush()  # platform tokens still waiting to be written behind
        self.cache.close()
        self.profile.close()
        self.records.close()
        self.audit.close()
