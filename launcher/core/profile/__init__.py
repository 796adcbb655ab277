"""The profile (基层一张表): field dictionary, encrypted store and form-fill planning."""

from launcher.core.profile.autofill import FillPlan, fill_script, plan_fill
from launcher.core.profile.fields import FieldDef, FieldGroup, load_field_groups, load_fields
from launcher.core.profile.store import ProfileError, ProfileStore

__all__ = ["FieldDef", "FieldGroup", "FillPlan", "ProfileError", "ProfileStore", "fill_script",
           "load_field_groups", "load_fields", "plan_fill"]
