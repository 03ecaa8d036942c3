"""Custom fields from Python: definitions through the command classes and
values as a dict on the records (docs/custom-fields.md)."""

from __future__ import annotations

import pytest

import kartotek
from kartotek import Customer, FieldDefinition, FieldLabel, Register, commands


def test_a_defined_field_takes_checked_values_as_a_dict() -> None:
    reg = Register()
    admin = reg.create_first_administrator("admin", "Ada")
    field = FieldDefinition(kind="customer", key="employees", type="integer",
                            labels=[FieldLabel(language="sv", text="Anställda")])
    reg.apply(admin, commands.DefineField(field=field))
    cid = reg.create_customer(admin, Customer(number="1", name="Ågren AB", custom={"employees": 12}))
    customer = reg.customer(admin, cid)
    assert customer.custom == {"employees": 12}
    assert customer.to_dict()["custom"] == {"employees": 12}
    customer.custom = {"employees": "tolv"}
    with pytest.raises(kartotek.ValidationError) as refused:
        reg.update_customer(admin, customer)
    assert refused.value.field == "custom.employees"
    assert reg.customer(admin, cid).custom == {"employees": 12}
