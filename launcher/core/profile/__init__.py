"""The profile (基层一张表): field dictionary, encrypted store and form-fill planning."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from launcher.core.profile.autofill import FillPlan, fill_script, plan_fill
    from launcher.core.profile.fields import FieldDef, FieldGroup, load_field_groups, load_fields
    from launcher.core.profile.store import ProfileError, ProfileStore

__all__ = ["FieldDef", "FieldGroup", "FillPlan", "ProfileError", "ProfileStore", "fill_script",
           "load_field_groups", "load_fields", "plan_fill"]

_HOMES = {
    "FillPlan": "autofill",
    "fill_script": "autofill",
    "plan_fill": "autofill",
    "FieldDef": "fields",
    "FieldGroup": "fields",
    "load_field_groups": "fields",
    "load_fields": "fields",
    "ProfileError": "store",
    "ProfileStore": "store",
}


def __getattr__(name: str) -> Any:
    # Imported on first use (PEP 562): the window's start path needs the form-fill planning but
    # not the encrypted store (cryptography, the keyring) before it is shown.
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
