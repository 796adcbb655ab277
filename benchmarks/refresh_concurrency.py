"""Refresh 30 platforms that each answer after 200 ms: the wall time of one refresh of all of them,
against the slowest platform's own latency measured in the same run (limit 1.3×).

The full real path: Services.inbox.refresh() of a signed-in demo county served by another process,
each platform's access token obtained from the county provider (RFC 8707, one per platform), its
task API read over HTTP, the answer cached in SQLite. Three kinds of refresh are interleaved, in a
rotating order, for several rounds:

- steady: tokens already held (the refresh a running launcher does every few minutes); judged;
- cold: every platform token forgotten first, so the refresh also obtains 30 new tokens (the first
  refresh after start-up or sign-in); printed. The tokens are obtained one after another (one
  refresh-token grant at a time, as providers that rotate refresh tokens require); each is kept in
  memory and all of them are written behind to one keyring entry, so a token costs its grant, not
  keyring calls (the session is kept in memory too);
- sequential: the platforms refreshed one after another (Inbox.refresh([id]) each), which gives
  each platform's own latency (the slowest one is the yardstick) and the sequential total.

Run: bash scripts/with-keyring.sh .venv/bin/python benchmarks/refresh_concurrency.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from _common import (
    Figures,
    arguments,
    launcher_home,
    median,
    monotonic,
    ms,
    served_county,
    sign_in,
)

PLATFORMS = 30
LATENCY = 0.2
LIMIT = 1.3


def main() -> int:
    args = arguments(__doc__.splitlines()[0], rounds=7)
    out = Figures("refresh_concurrency", f"Refresh of {PLATFORMS} platforms answering after "
                  f"{LATENCY * 1000:.0f} ms")
    print(out.title, flush=True)
    from launcher.app.services import Services

    with launcher_home("refresh"), tempfile.TemporaryDirectory() as directory, \
            served_county(Path(directory), PLATFORMS, LATENCY) as county:
        services = Services.open(county.county_path)
        try:
            sign_in(services)
            inbox = services.inbox
            platforms = inbox.platforms
            if len(platforms) != PLATFORMS:
                out.note(f"the demo county has {len(platforms)} platforms with a task API, "
                         f"not {PLATFORMS}")

            def refresh(ids: list[str] | None = None) -> float:
                started = monotonic()
                result = inbox.refresh(ids)
                took = monotonic() - started
                bad = {p: s.reason for p, s in result.states.items()
                       if (ids is None or p in ids) and s.state != "current"}
                if bad:
                    raise SystemExit(f"platforms did not refresh: {bad}")
                return took

            def forget_tokens() -> None:
                for platform in platforms:
                    services.auth.invalidate(platform)

            first = refresh()  # right after sign-in: 30 tokens to obtain, nothing cached yet
            steady: list[float] = []
            cold: list[float] = []
            sequential: list[float] = []
            slowest: list[float] = []

            def run_steady() -> None:
                steady.append(refresh())

            def run_cold() -> None:
                forget_tokens()
                cold.append(refresh())

            alone: dict[str, list[float]] = {p.id: [] for p in platforms}

            def run_sequential() -> None:
                each = [refresh([p.id]) for p in platforms]
                sequential.append(sum(each))
                slowest.append(max(each))
                for platform, took in zip(platforms, each, strict=True):
                    alone[platform.id].append(took)

            kinds = [run_steady, run_cold, run_sequential]
            for round_ in range(args.rounds):
                shift = round_ % len(kinds)
                for kind in kinds[shift:] + kinds[:shift]:
                    kind()
                print(f"  round {round_ + 1}/{args.rounds}: steady {ms(steady[-1])}, cold "
                      f"{ms(cold[-1])}, slowest platform {ms(slowest[-1])}, sequential "
                      f"{ms(sequential[-1])}", flush=True)

            # Where the cold refresh's time goes: the tokens, obtained one after another
            # (AuthSession refreshes one at a time, as rotating refresh tokens require); the
            # keyring is written once for all of them, behind (the last figure: what one keyring
            # call costs, that each token would cost if it were written on its own).
            token_times = []
            for _ in range(3):
                forget_tokens()
                started = monotonic()
                for platform in platforms:
                    services.auth.token_for(platform)
                token_times.append(monotonic() - started)
            keyring_set, keyring_get = keyring_costs()

            yardstick = median(slowest)
            latencies = sorted(median(v) for v in alone.values())
            multi = [pid for pid, v in alone.items() if median(v) > 1.5 * LATENCY]
            out.figure("platforms", str(len(platforms)))
            out.figure("nominal latency of each platform", ms(LATENCY))
            out.figure("slowest platform's own latency (median of the per-round maxima)",
                       ms(yardstick))
            out.figure("each platform refreshed alone: fastest / median / slowest",
                       f"{ms(latencies[0])} / {ms(median(latencies))} / {ms(latencies[-1])}")
            out.figure("platforms needing more than one round trip (paged task lists)",
                       ", ".join(multi) or "none")
            out.figure("refresh, steady state (tokens held; median)", ms(median(steady)))
            out.figure("refresh, cold (30 tokens obtained first; median)", ms(median(cold)))
            out.figure("first refresh after sign-in", ms(first))
            out.figure("sequential, one platform after another (median)", ms(median(sequential)))
            out.ratio("steady refresh / slowest platform's latency", median(steady) / yardstick,
                      LIMIT)
            out.ratio("cold refresh (with 30 new tokens) / slowest platform's latency",
                      median(cold) / yardstick, None)
            out.ratio("first refresh after sign-in / slowest platform's latency",
                      first / yardstick, None)
            out.ratio("sequential / slowest platform's latency", median(sequential) / yardstick,
                      None, f"(about {len(platforms)}× expected)")
            out.ratio("steady refresh / nominal latency", median(steady) / LATENCY, None)
            per_token = median(token_times) / len(platforms)
            out.figure(f"{len(platforms)} tokens obtained one after another (median)",
                       f"{ms(median(token_times))}, {per_token * 1000:.0f} ms per token")
            out.figure("one keyring write / read (SecretStore, this machine's Secret Service; "
                       "not paid per token: the tokens are written behind, all in one entry)",
                       f"{keyring_set * 1000:.0f} ms / {keyring_get * 1000:.0f} ms")
        finally:
            services.auth.wipe_local()
            services.close()
    out.save(args.json)
    return 0 if out.passed else 1


def keyring_costs() -> tuple[float, float]:
    """Median seconds of one SecretStore write (with its index update) and one read."""
    from launcher.core.secrets import SecretStore

    store = SecretStore("benchmark-probe")
    writes, reads = [], []
    try:
        for n in range(10):
            started = monotonic()
            store.set(f"probe{n}", "x" * 40)
            writes.append(monotonic() - started)
            started = monotonic()
            store.get(f"probe{n}")
            reads.append(monotonic() - started)
    finally:
        store.delete_matching("")
    return median(writes), median(reads)


if __name__ == "__main__":
    raise SystemExit(main())
