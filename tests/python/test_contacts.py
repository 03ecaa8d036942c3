"""Contacts and their links to customers."""

from __future__ import annotations

import pytest

import kartotek
from kartotek import Contact, Customer, Register


def test_contact_lifecycle(reg: Register, staff: int) -> None:
    kid = reg.create_contact(staff, Contact(first_name="Lena", last_name="Söderström", email="lena@x.se"))
    k = reg.contact(staff, kid)
    assert (k.id, k.first_name, k.revision) == (kid, "Lena", 1)
    k.title = "Inköpschef"
    reg.update_contact(staff, k)
    assert reg.contact(staff, kid).title == "Inköpschef"
    found = reg.find_contact(staff, kid)
    assert found is not None and found.revision == 2
    reg.delete_contact(staff, kid)
    assert reg.find_contact(staff, kid) is None
    with pytest.raises(kartotek.NotFound):
        reg.contact(staff, kid)


def test_a_contact_needs_a_name(reg: Register, staff: int) -> None:
    with pytest.raises(kartotek.ValidationError) as err:
        reg.create_contact(staff, Contact(email="anon@x.se"))
    assert err.value.field == "last_name"


def test_link_update_unlink(reg: Register, staff: int) -> None:
    cid = reg.create_customer(staff, Customer(number="1", name="Länk AB"))
    other = reg.create_customer(staff, Customer(number="2", name="Annan AB"))
    kid = reg.create_contact(staff, Contact(first_name="Per", last_name="Ek"))
    reg.link_contact(staff, kid, cid, role="VD", send_service_protocol=True)
    reg.link_contact(staff, kid, other)
    with pytest.raises(kartotek.Conflict, match="already a contact person"):
        reg.link_contact(staff, kid, cid)

    [linked] = reg.contacts_of(staff, cid)
    assert linked.contact.id == kid
    assert (linked.link.role, linked.link.send_service_protocol, linked.link.send_work_orders) == ("VD", True, False)
    assert [link.customer for link in reg.links_of(staff, kid)] == [cid, other]

    link = linked.link
    link.send_work_orders = True
    link.role = "Styrelseordförande"
    reg.update_contact_link(staff, link)
    assert reg.links_of(staff, kid)[0] == link

    reg.unlink_contact(staff, kid, cid)
    assert reg.contacts_of(staff, cid) == []
    with pytest.raises(kartotek.NotFound, match="is not linked"):
        reg.unlink_contact(staff, kid, cid)
    with pytest.raises(kartotek.NotFound):
        reg.update_contact_link(staff, link)


def test_contacts_of_is_ordered_by_last_then_first_name(reg: Register, staff: int) -> None:
    cid = reg.create_customer(staff, Customer(number="1", name="Ordning AB"))
    for first, last in [("Örjan", "Ek"), ("Anna", "Östlund"), ("Bo", "Ek"), ("Cecilia", "Åberg")]:
        reg.link_contact(staff, reg.create_contact(staff, Contact(first_name=first, last_name=last)), cid)
    names = [(lc.contact.last_name, lc.contact.first_name) for lc in reg.contacts_of(staff, cid)]
    assert names == [("Ek", "Bo"), ("Ek", "Örjan"), ("Åberg", "Cecilia"), ("Östlund", "Anna")]


def test_deleting_a_contact_removes_his_links_in_both_histories(reg: Register, staff: int) -> None:
    cid = reg.create_customer(staff, Customer(number="1", name="Del AB"))
    kid = reg.create_contact(staff, Contact(last_name="Borta"))
    reg.link_contact(staff, kid, cid)
    reg.delete_contact(staff, kid)
    assert [e.action for e in reg.history(staff, ("customer", cid))] == ["created", "linked", "unlinked"]
    assert [e.action for e in reg.history(staff, ("contact", kid))] == ["created", "linked", "unlinked", "deleted"]
    assert reg.counts().contacts == 0


def test_reads_of_missing_records_raise_not_found(reg: Register, staff: int) -> None:
    with pytest.raises(kartotek.NotFound):
        reg.contacts_of(staff, 42)
    with pytest.raises(kartotek.NotFound):
        reg.links_of(staff, 42)
    with pytest.raises(kartotek.NotFound):
        reg.link_contact(staff, 42, 43)
