"""The profile (基层一张表): field dictionary, encrypted stores (one per county account) and
form-fill planning."""

from __future__ import annotations

from typing import TYPE_CHECKING

from launcher.core.lazy import lazy_exports

if TYPE_CHECKING:
    from launcher.core.profile.autofill import FillValues, PagePlan, fill_fields, plan_page
    from launcher.core.profile.fields import (
        Choice,
        FieldDef,
        FieldGroup,
        load_field_groups,
        load_fields,
    )
    from launcher.core.profile.person import PersonProfile, ProfileSnapshot
    from launcher.core.profile.records import (
        FilledAt,
        Outcome,
        OutcomeState,
        PersonRecords,
        Record,
        RecordError,
        Subject,
        Version,
    )
    from launcher.core.profile.sheet import (
        ImportResult,
        RowError,
        SheetError,
        SheetRows,
        export_sheet,
        import_sheet,
        read_sheet,
    )
    from launcher.core.profile.store import ProfileError, ProfileStore

__all__ = ["Choice", "FieldDef", "FieldGroup", "FillValues", "FilledAt", "ImportResult",
           "Outcome", "OutcomeState", "PagePlan", "PersonProfile", "PersonRecords",
           "ProfileError", "ProfileSnapshot", "ProfileStore", "Record", "RecordError", "RowError",
           "SheetError", "SheetRows", "Subject", "Version", "export_sheet", "fill_fields",
           "import_sheet", "load_field_groups", "load_fields", "plan_page", "read_sheet"]

_HOMES = {
    "FillValues": "autofill",
    "PagePlan": "autofill",
    "fill_fields": "autofill",
    "plan_page": "autofill",
    "Choice": "fields",
    "FieldDef": "fields",
    "FieldGroup": "fields",
    "load_field_groups": "fields",
    "load_fields": "fields",
    "PersonProfile": "person",
    "ProfileSnapshot": "person",
    "FilledAt": "records",
    "Outcome": "records",
    "OutcomeState": "records",
    "PersonRecords": "records",
    "Record": "records",
    "RecordError": "records",
    "Subject": "records",
    "Version": "records",
    "ImportResult": "sheet",
    "RowError": "sheet",
    "SheetError": "sheet",
    "SheetRows": "sheet",
    "export_sheet": "sheet",
    "import_sheet": "sheet",
    "read_sheet": "sheet",
    "ProfileError": "store",
    "ProfileStore": "store",
}


# The window's start path needs the form-fill planning but not the encrypted store
# (cryptography, the keyring) before it is shown.
__getattr__ = lazy_exports(__name__, _HOMES)
