"""The names kartotek accepts where the C++ API has an enum.

Each alias lists the JSON spelling of the enum's values (EnumNames<E> in the
C++ headers); tests/python/test_stubs.py checks that they agree.
"""

from __future__ import annotations

from typing import Literal

CustomerKind = Literal["company", "private"]
Source = Literal["api", "import", "merge", "system"]
Action = Literal["created", "changed", "deleted", "linked", "unlinked"]
RecordKind = Literal["customer", "contact", "facility", "service_object", "user", "settings"]
TextMatch = Literal["prefix", "substring"]
CustomerColumn = Literal[
    "number",
    "name",
    "kind",
    "organisation_number",
    "category",
    "email",
    "phone",
    "city",
    "postal_code",
    "active",
    "technician",
    "created_at",
]
ContactColumn = Literal["last_name", "first_name", "email", "category", "created_at"]
# Where customer search text is looked for (CustomerQuery::search_in).
SearchField = Literal["name", "contact_name", "email"]
# When an acknowledged command is on stable storage (Register.open).
Durability = Literal["sync", "batch", "none"]
