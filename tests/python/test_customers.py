"""Customers through the Register: create, read, update, deactivate, delete,
technicians, numbers."""

from __future__ import annotations

from datetime import timedelta

import pytest

import kartotek
from kartotek import Customer, Register


def add(reg: Register, actor: int, number: str, name: str, **fields: object) -> int:
    return reg.create_customer(actor, Customer(number=number, name=name, **fields))  # type: ignore[arg-type]


def test_create_returns_the_id_and_the_register_keeps_its_fields(reg: Register, staff: int, clock: kartotek.ManualClock) -> None:
    cid = add(reg, staff, " 1001 ", " Åberg AB ")
    c = reg.customer(staff, cid)
    assert c.id == cid
    assert (c.number, c.name) == ("1001", "Åberg AB")  # trimmed
    assert c.revision == 1 and c.active
    assert c.created_at == clock.now()


def test_find_customer_and_customer(reg: Register, staff: int) -> None:
    cid = add(reg, staff, "1", "Ett AB")
    found = reg.find_customer(staff, cid)
    assert found is not None and found.name == "Ett AB"
    assert reg.find_customer(staff, cid + 100) is None
    with pytest.raises(kartotek.NotFound, match="customer 101 does not exist"):
        reg.customer(staff, 101)


def test_find_customer_by_number_ignores_case_and_surrounding_space(reg: Register, staff: int) -> None:
    cid = add(reg, staff, "AB-100", "Bokstav AB")
    for number in ("AB-100", "ab-100", "  Ab-100\t"):
        found = reg.find_customer_by_number(staff, number)
        assert found is not None and found.id == cid
    assert reg.find_customer_by_number(staff, "AB-101") is None


def test_numbers_are_unique_ignoring_case(reg: Register, staff: int) -> None:
    add(reg, staff, "ab-100", "Först AB")
    with pytest.raises(kartotek.Conflict, match="already used"):
        add(reg, staff, "AB-100", "Sen AB")
    assert reg.counts().customers == 1


def test_update_is_checked_against_the_revision(reg: Register, admin: int, staff: int) -> None:
    cid = add(reg, staff, "1", "Rev AB")
    first = reg.customer(staff, cid)
    second = reg.customer(staff, cid)
    first.phone = "+46 8 123 45"
    reg.update_customer(staff, first)
    assert reg.customer(staff, cid).revision == 2
    second.email = "a@b.se"
    with pytest.raises(kartotek.Conflict, match="has changed since it was read"):
        reg.update_customer(staff, second)
    assert reg.customer(staff, cid).email == ""


def test_changing_a_number_needs_an_administrator(reg: Register, admin: int, staff: int) -> None:
    cid = add(reg, staff, "1", "Num AB")
    c = reg.customer(staff, cid)
    c.number = "2"
    with pytest.raises(kartotek.PermissionDenied, match="only an administrator"):
        reg.update_customer(staff, c)
    reg.update_customer(admin, c)
    assert reg.customer(staff, cid).number == "2"
    # The former number is retired: no other customer gets it.
    with pytest.raises(kartotek.Conflict, match="never used again"):
        add(reg, staff, "1", "Annan AB")


def test_fields_the_register_keeps_are_refused_in_updates(reg: Register, staff: int) -> None:
    cid = add(reg, staff, "1", "Håll AB")
    c = reg.customer(staff, cid)
    c.active = False
    with pytest.raises(kartotek.ValidationError) as err:
        reg.update_customer(staff, c)
    assert err.value.field == "active"
    with pytest.raises(kartotek.ValidationError) as err:
        reg.create_customer(staff, Customer(id=5, number="2", name="Id AB"))
    assert err.value.field == "id"


def test_validation_errors_name_nested_fields(reg: Register, staff: int) -> None:
    c = Customer(number="1", name="Fel AB", email="inte-en-adress")
    with pytest.raises(kartotek.ValidationError) as err:
        reg.create_customer(staff, c)
    assert err.value.field == "email"
    assert "is not an e-mail address" in str(err.value)
    c = Customer(number="1", name="Fel AB", invoice_address=kartotek.Address(city="x" * 201))
    with pytest.raises(kartotek.ValidationError) as err:
        reg.create_customer(staff, c)
    assert err.value.field == "invoice_address.city"
    c = Customer(number="1", name="Fel AB", position=kartotek.GeoPosition(latitude=91))
    with pytest.raises(kartotek.ValidationError) as err:
        reg.create_customer(staff, c)
    assert err.value.field == "position.latitude"


def test_deactivate_and_reactivate(reg: Register, staff: int) -> None:
    cid = add(reg, staff, "1", "Av AB")
    reg.deactivate_customer(staff, cid)
    assert not reg.customer(staff, cid).active
    reg.deactivate_customer(staff, cid)  # repeating is a no-op without history
    reg.reactivate_customer(staff, cid)
    assert reg.customer(staff, cid).active
    assert [e.field for e in reg.history(staff, ("customer", cid))] == ["", "active", "active"]


def test_delete_is_refused_while_records_are_linked(reg: Register, staff: int) -> None:
    cid = add(reg, staff, "1", "Bort AB")
    kid = reg.create_contact(staff, kartotek.Contact(first_name="Lena", last_name="Sten"))
    reg.link_contact(staff, kid, cid)
    reg.create_facility(staff, kartotek.Facility(customer=cid, name="Lager"))
    with pytest.raises(kartotek.Conflict, match="1 contact person and 1 facility are linked"):
        reg.delete_customer(staff, cid)
    other = add(reg, staff, "2", "Tom AB")
    reg.delete_customer(staff, other)
    assert reg.find_customer(staff, other) is None
    with pytest.raises(kartotek.NotFound):
        reg.delete_customer(staff, other)


def test_assign_technician(reg: Register, admin: int, staff: int) -> None:
    cid = add(reg, staff, "1", "Tek AB")
    reg.assign_technician(staff, cid, staff)
    assert reg.customer(staff, cid).assigned_technician == staff
    reg.assign_technician(staff, cid, technician=None)
    assert reg.customer(staff, cid).assigned_technician is None
    with pytest.raises(kartotek.NotFound, match="user 99"):
        reg.assign_technician(staff, cid, 99)


def test_auto_numbers_come_from_the_settings(reg: Register, admin: int, staff: int) -> None:
    s = reg.settings(admin)
    s.auto_number = True
    s.number_prefix = "K"
    s.number_padding = 5
    s.next_number = 7
    reg.update_settings(admin, s)
    cid = reg.create_customer(staff, Customer(name="Auto AB"))
    assert reg.customer(staff, cid).number == "K00007"
    assert reg.settings(staff).next_number == 8


def test_source_is_recorded_in_history(reg: Register, staff: int) -> None:
    cid = reg.create_customer(staff, Customer(number="1", name="Imp AB"), source="import")
    c = reg.customer(staff, cid)
    c.comments = "sammanslagen"
    reg.update_customer(staff, c, source="merge")
    assert [e.source for e in reg.history(staff, ("customer", cid))] == ["import", "merge"]
    with pytest.raises(kartotek.ValidationError) as err:
        reg.deactivate_customer(staff, cid, source="cron")  # type: ignore[arg-type]
    assert err.value.field == "source"


def test_a_refused_command_leaves_the_register_as_it_was(reg: Register, admin: int, staff: int, clock: kartotek.ManualClock) -> None:
    add(reg, staff, "1", "Före AB")
    before = reg.write_state()
    clock.advance(timedelta(hours=1))
    with pytest.raises(kartotek.ValidationError):
        reg.create_customer(staff, Customer(number="2", name="Efter AB", discount_letters=["Z"]))
    assert reg.write_state() == before


def test_deactivated_users_can_do_nothing(reg: Register, admin: int, staff: int) -> None:
    u = reg.user(admin, staff)
    u.active = False
    reg.update_user(admin, u)
    with pytest.raises(kartotek.PermissionDenied, match="deactivated"):
        reg.create_customer(staff, Customer(number="1", name="Nej AB"))
    with pytest.raises(kartotek.PermissionDenied):
        reg.search_customers(staff)
    with pytest.raises(kartotek.PermissionDenied, match="unknown user"):
        reg.customer(12345, 1)
