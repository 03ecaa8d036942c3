"""Rights, user groups and customer users from Python."""

from __future__ import annotations

import pytest

import kartotek
from kartotek import commands


def test_every_right_names_each_module_right_once() -> None:
    rights = kartotek.every_right()
    assert len(rights) == len(set(rights)) == 54
    assert rights[0] == "customers.view" and "contact_orders.assign_self" in rights


def test_groups_grant_rights_and_are_managed_by_administrators(reg: kartotek.Register, admin: int) -> None:
    gid = reg.create_user_group(admin, kartotek.UserGroup(name="Säljare", rights=["customers.create", "customers.view"]))
    sam = reg.create_user(admin, kartotek.User(login="sam", name="Sam", groups=[gid], rights=["contacts.view"]))
    assert reg.rights_of(admin, sam) == ["customers.view", "customers.create", "contacts.view"]
    assert reg.rights_of(sam, admin) == kartotek.every_right()
    with pytest.raises(kartotek.PermissionDenied, match="administrator"):
        reg.create_user_group(sam, kartotek.UserGroup(name="Egna"))
    with pytest.raises(kartotek.Conflict, match="already exists"):
        reg.create_user_group(admin, kartotek.UserGroup(name="SÄLJARE"))
    with pytest.raises(kartotek.ValidationError) as e:
        reg.create_user(admin, kartotek.User(login="x", name="X", groups=[99]))
    assert e.value.field == "groups"

    group = reg.user_group(sam, gid)
    assert group.rights == ["customers.view", "customers.create"]
    group.rights = ["customers.view"]
    reg.update_user_group(admin, group)
    with pytest.raises(kartotek.PermissionDenied, match="customers.create"):
        reg.create_customer(sam, kartotek.Customer(number="1", name="Ek AB"))
    with pytest.raises(kartotek.Conflict, match="sam"):
        reg.delete_user_group(admin, gid)
    user = reg.user(admin, sam)
    user.groups = []
    reg.update_user(admin, user)
    reg.delete_user_group(admin, gid)
    assert reg.find_user_group(admin, gid) is None and reg.user_groups(admin) == []
    entries = reg.history(admin, ("user_group", gid))
    assert [e.action for e in entries] == ["created", "changed", "deleted"]

    applied = reg.apply(admin, commands.CreateUserGroup(group=kartotek.UserGroup(name="Via kommando")))
    assert applied.created == kartotek.RecordRef(kind="user_group", id=2)
    reg.apply(admin, commands.DeleteUserGroup(group=2))
    with pytest.raises(kartotek.NotFound):
        reg.apply(admin, commands.UpdateUserGroup(group=kartotek.UserGroup(id=2, name="Borta", revision=1)))


def test_only_assigned_users_see_and_change_only_their_customers(reg: kartotek.Register, admin: int) -> None:
    tina = reg.create_user(admin, kartotek.User(
        login="tina", name="Tina", rights=["customers.view_assigned", "customers.edit_assigned", "facilities.view"]))
    mine = reg.create_customer(admin, kartotek.Customer(number="1", name="Åberg AB"))
    other = reg.create_customer(admin, kartotek.Customer(number="2", name="Ek AB"))
    reg.create_facility(admin, kartotek.Facility(customer=other, name="Lager"))
    reg.assign_technician(admin, mine, tina)
    assert [c.number for c in reg.search_customers(tina)] == ["1"]
    assert reg.search_customers(tina, technician=admin).total == 0
    assert reg.find_customer(tina, other) is None
    with pytest.raises(kartotek.NotFound):
        reg.facilities_of(tina, other)
    assert reg.history(tina, ("customer", other)) == []
    c = reg.customer(tina, mine)
    c.phone = "08-1"
    reg.update_customer(tina, c)
    with pytest.raises(kartotek.NotFound):
        reg.deactivate_customer(tina, other)
    with pytest.raises(kartotek.PermissionDenied, match="customers.delete"):
        reg.delete_customer(tina, mine)
    # Unassigned, the customer is out of her sight.
    reg.assign_technician(admin, mine, None)
    assert reg.search_customers(tina).total == 0


def test_customer_users_see_their_own_customer_only(reg: kartotek.Register, admin: int) -> None:
    mine = reg.create_customer(admin, kartotek.Customer(number="1", name="Åberg AB"))
    other = reg.create_customer(admin, kartotek.Customer(number="2", name="Ek AB"))
    kontakt = reg.create_contact(admin, kartotek.Contact(first_name="Lena", last_name="Söderström"))
    with pytest.raises(kartotek.ValidationError) as e:
        reg.create_user(admin, kartotek.User(login="lena", name="Lena", kind="customer", customer=mine, contact=kontakt))
    assert e.value.field == "contact"  # not yet a contact person of that customer
    reg.link_contact(admin, kontakt, mine)
    lena = reg.create_user(admin, kartotek.User(login="lena", name="Lena", kind="customer", customer=mine,
                                               contact=kontakt))
    assert [c.number for c in reg.search_customers(lena)] == ["1"]
    assert reg.find_customer(lena, other) is None
    assert [u.login for u in reg.users(lena)] == ["lena"]
    assert reg.user_groups(lena) == [] and reg.rights_of(admin, lena) == []
    with pytest.raises(kartotek.PermissionDenied):
        reg.settings(lena)
    with pytest.raises(kartotek.PermissionDenied):
        reg.create_customer(lena, kartotek.Customer(number="3", name="X"))
    with pytest.raises(kartotek.ValidationError, match="technician"):
        reg.assign_technician(admin, mine, lena)
    with pytest.raises(kartotek.Conflict, match="lena"):
        reg.delete_contact(admin, kontakt)

    user = reg.user(admin, lena)
    user.locked = True
    reg.update_user(admin, user)
    with pytest.raises(kartotek.PermissionDenied, match="locked"):
        reg.customer(lena, mine)
    staff = reg.user(admin, admin)
    staff.locked = True
    with pytest.raises(kartotek.ValidationError) as e:
        reg.update_user(admin, staff)
    assert e.value.field == "locked"


def test_assignment_notifies_and_the_outbox_drains(reg: kartotek.Register, admin: int) -> None:
    tina = reg.create_user(admin, kartotek.User(login="tina", name="Tina", language="en",
                                               rights=["customers.view_assigned"]))
    cid = reg.create_customer(admin, kartotek.Customer(number="1001", name="Åberg AB"))
    reg.assign_technician(admin, cid, tina)
    [note] = reg.notifications(tina)
    assert note.kind == "assigned" and note.channel == "in_app" and note.language == "en"
    assert note.text == "You have been assigned customer 1001 Åberg AB"
    assert note.subject == kartotek.RecordRef(kind="customer", id=cid)
    assert note.to_dict()["recipient"] == tina
    reg.assign_technician(admin, cid, None)
    assert [n.kind for n in reg.outbox(admin)] == ["assigned", "unassigned"]
    with pytest.raises(kartotek.PermissionDenied):
        reg.outbox(tina)
    reg.acknowledge_notifications(tina, [note.id])
    reg.acknowledge_notifications(tina, [note.id])  # again: harmless
    assert [n.kind for n in reg.notifications(tina, limit=10)] == ["unassigned"]
    reg.apply(admin, commands.AcknowledgeNotifications(notifications=[n.id for n in reg.outbox(admin)]))
    assert reg.outbox(admin) == []


def test_staff_with_the_customer_user_rights_manage_portal_logins(reg: kartotek.Register, admin: int) -> None:
    kim = reg.create_user(admin, kartotek.User(login="kim", name="Kim", rights=[
        "customers.view", "customers.create_customer_users", "customers.change_customer_user_rights"]))
    cid = reg.create_customer(admin, kartotek.Customer(number="1001", name="Åberg AB", language="sv"))
    lena = reg.create_contact(admin, kartotek.Contact(first_name="Lena", last_name="Söderström",
                                                      email="lena@aberg.se"))
    reg.link_contact(admin, lena, cid)
    portal = reg.create_customer_user(kim, cid, lena, "lena")
    user = reg.user(admin, portal)
    assert (user.kind, user.customer, user.contact) == ("customer", cid, lena)
    assert (user.name, user.email, user.language) == ("Lena Söderström", "lena@aberg.se", "sv")
    reg.set_customer_user_locked(kim, portal, True)
    with pytest.raises(kartotek.PermissionDenied, match="locked"):
        reg.customer(portal, cid)
    reg.set_customer_user_locked(kim, portal, False)
    assert reg.customer(portal, cid).number == "1001"
    with pytest.raises(kartotek.PermissionDenied, match="customers.delete_customer_users"):
        reg.delete_customer_user(kim, portal)
    reg.delete_customer_user(admin, portal)
    assert reg.find_user(admin, portal) is None
    assert [e.action for e in reg.history(admin, ("user", portal))][-1] == "deleted"


def test_the_assign_menu_lists_active_staff_by_group(reg: kartotek.Register, admin: int) -> None:
    techs = reg.create_user_group(admin, kartotek.UserGroup(name="Tekniker"))
    sellers = reg.create_user_group(admin, kartotek.UserGroup(name="Säljare"))
    reg.create_user(admin, kartotek.User(login="ulf", name="Ulf", groups=[techs]))
    reg.create_user(admin, kartotek.User(login="ake", name="Åke", groups=[techs, sellers]))
    reg.create_user(admin, kartotek.User(login="bo", name="Bo", groups=[techs], active=False))
    menu = reg.assign_menu(admin)
    assert [(g.group, g.name) for g in menu] == [(sellers, "Säljare"), (techs, "Tekniker"), (0, "")]
    assert [[u.login for u in g.users] for g in menu] == [["ake"], ["ulf", "ake"], ["admin"]]
