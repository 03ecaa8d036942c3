"""Facilities and the service objects at them."""

from __future__ import annotations

import pytest

import kartotek
from kartotek import Customer, Facility, Register, ServiceObject


def test_facility_and_service_object_lifecycle(reg: Register, staff: int) -> None:
    cid = reg.create_customer(staff, Customer(number="1", name="Fast AB"))
    fid = reg.create_facility(staff, Facility(customer=cid, name="Lager 1", address=kartotek.Address(city="Umeå")))
    f = reg.facility(staff, fid)
    assert (f.customer, f.name, f.address.city, f.revision) == (cid, "Lager 1", "Umeå", 1)
    assert reg.facilities_of(staff, cid) == [f]

    sid = reg.create_service_object(staff, ServiceObject(facility=fid, identifier="SN-1", type="Värmepump"))
    s = reg.service_object(staff, sid)
    assert (s.facility, s.identifier, s.type) == (fid, "SN-1", "Värmepump")
    assert reg.service_objects_of(staff, fid) == [s]
    s.name = "VP hus A"
    reg.update_service_object(staff, s)
    found = reg.find_service_object(staff, sid)
    assert found is not None and found.name == "VP hus A"

    with pytest.raises(kartotek.Conflict, match="1 service object is at it"):
        reg.delete_facility(staff, fid)
    reg.delete_service_object(staff, sid)
    assert reg.find_service_object(staff, sid) is None
    reg.delete_facility(staff, fid)
    assert reg.find_facility(staff, fid) is None
    with pytest.raises(kartotek.NotFound):
        reg.facility(staff, fid)
    with pytest.raises(kartotek.NotFound):
        reg.service_object(staff, sid)


def test_a_facility_moves_to_another_customer_in_both_histories(reg: Register, staff: int) -> None:
    a = reg.create_customer(staff, Customer(number="1", name="Säljare AB"))
    b = reg.create_customer(staff, Customer(number="2", name="Köpare AB"))
    fid = reg.create_facility(staff, Facility(customer=a, name="Fabrik"))
    f = reg.facility(staff, fid)
    f.customer = b
    reg.update_facility(staff, f)
    assert reg.facilities_of(staff, a) == [] and [x.id for x in reg.facilities_of(staff, b)] == [fid]
    assert [e.action for e in reg.history(staff, ("customer", a))][-1] == "unlinked"
    assert reg.history(staff, ("customer", b))[-1].new_value == {"id": fid, "name": "Fabrik"}


def test_service_objects_need_an_identifier_and_an_existing_facility(reg: Register, staff: int) -> None:
    cid = reg.create_customer(staff, Customer(number="1", name="So AB"))
    fid = reg.create_facility(staff, Facility(customer=cid, name="Hus"))
    with pytest.raises(kartotek.ValidationError) as err:
        reg.create_service_object(staff, ServiceObject(facility=fid, identifier="  "))
    assert err.value.field == "identifier"
    with pytest.raises(kartotek.NotFound):
        reg.create_service_object(staff, ServiceObject(facility=999, identifier="X"))
    with pytest.raises(kartotek.NotFound):
        reg.service_objects_of(staff, 999)
    with pytest.raises(kartotek.NotFound):
        reg.facilities_of(staff, 999)
