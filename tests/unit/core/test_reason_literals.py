"""Reasons are passed as members of the state vocabularies (launcher/core/states.py, and the
password vault's ``SubmitOutcome``), never as string literals: a typo in a literal ("timout") would be a wrong state found only when it happens,
where a misspelt member fails at import.

Reads every module of the launcher and the demo county with ``ast``: any ``SourceError``,
``AuthError``, ``PluginError``, ``_Said`` or vault ``Outcome`` built with a string for its
reason (its reason's positional argument or keyword, also either branch of a conditional) is
named with its file and line.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("launcher", "launcher_demo")
REASONED = {
    "SourceError": (1, "reason"),
    "AuthError": (1, "reason"),
    "PluginError": (1, "reason"),
    "_Said": (0, "reason"),
    "Outcome": (0, "kind"),
}
"""The constructors given a reason, each with the position and keyword of its reason argument
(a vault ``Outcome``'s ``reason`` is its log text: its state is ``kind``)."""


def _called(node: ast.Call) -> str | None:
    """The name a call is made by: ``SourceError(...)`` and ``errors.SourceError(...)``."""
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _reason(node: ast.Call, position: int, keyword: str) -> ast.expr | None:
    """The reason argument of a call (at ``position`` or ``keyword=``), if it is given."""
    given = [k.value for k in node.keywords if k.arg == keyword]
    if given:
        return given[0]
    return node.args[position] if len(node.args) > position else None


def _strings(node: ast.expr) -> Iterator[ast.Constant]:
    """The string constants ``node`` may evaluate to (a conditional's branches, ``or``/``and``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body)
        yield from _strings(node.orelse)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from _strings(value)


def literal_reasons(source: str, name: str) -> list[str]:
    """``file:line: Call("literal")`` for each reason given as a string in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source, name)):
        if not isinstance(node, ast.Call) or (called := _called(node)) not in REASONED:
            continue
        reason = _reason(node, *REASONED[called])
        if reason is None:
            continue
        for literal in _strings(reason):
            found.append(f"{name}:{literal.lineno}: {called}({literal.value!r})")
    return sorted(found, key=lambda line: int(line.split(":")[1]))


def test_no_reason_is_a_string_literal() -> None:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = str(path.relative_to(ROOT))
            found += literal_reasons(path.read_text(encoding="utf-8"), name)
    members = "FailureReason.TIMEOUT, AuthReason.EXPIRED, SubmitOutcome.UNKNOWN"
    assert not found, f"pass the member ({members}):\n" + "\n".join(found)


def test_the_check_sees_each_way_of_giving_a_reason() -> None:
    source = (
        'SourceError("m", "timout")\n'
        'errors.AuthError("m", reason="expired")\n'
        'PluginError("m", "plugin" if x else FailureReason.TIMEOUT)\n'
        'SourceError("m", FailureReason.TIMEOUT)\n'
        'AuthError("m")\n'
        '_Said("network", "")\n'
        'Outcome("unknown", "no answer in time")\n'
        'Outcome(SubmitOutcome.UNKNOWN, reason="no answer in time")\n'
        'vault_outcome.Outcome(reason="x", kind="refused")\n'
    )
    assert literal_reasons(source, "x.py") == [
        "x.py:1: SourceError('timout')",
        "x.py:2: AuthError('expired')",
        "x.py:3: PluginError('plugin')",
        "x.py:6: _Said('network')",
        "x.py:7: Outcome('unknown')",
        "x.py:9: Outcome('refused')",
    ]
