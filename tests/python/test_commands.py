"""Register.apply with the command values of kartotek.commands."""

from __future__ import annotations

import pytest

import kartotek
from kartotek import Contact, ContactLink, Customer, Facility, Register, ServiceObject, User, commands


def test_every_command_applies(clock: kartotek.ManualClock) -> None:
    reg = Register(clock=clock)
    first = reg.apply(0, commands.CreateFirstAdministrator(login="anna", name="Anna"))
    assert first.created == kartotek.RecordRef(kind="user", id=1)
    admin = 1

    def create(cmd: commands.Command) -> int:
        applied = reg.apply(admin, cmd)
        assert applied.change > 0 and applied.created is not None
        return applied.created.id

    cid = create(commands.CreateCustomer(customer=Customer(number="1", name="Kom AB")))
    kid = create(commands.CreateContact(contact=Contact(last_name="Ek")))
    fid = create(commands.CreateFacility(facility=Facility(customer=cid, name="Hus")))
    sid = create(commands.CreateServiceObject(service_object=ServiceObject(facility=fid, identifier="S1")))
    uid = create(commands.CreateUser(user=User(login="bo", name="Bo")))

    def change(cmd: commands.Command) -> None:
        applied = reg.apply(admin, cmd, source="import")
        assert applied.created is None and applied.change > 0

    c = reg.customer(admin, cid)
    c.comments = "via apply"
    change(commands.UpdateCustomer(customer=c))
    change(commands.DeactivateCustomer(customer=cid))
    change(commands.ReactivateCustomer(customer=cid))
    change(commands.AssignTechnician(customer=cid, technician=uid))
    k = reg.contact(admin, kid)
    k.first_name = "Eva"
    change(commands.UpdateContact(contact=k))
    change(commands.LinkContact(link=ContactLink(contact=kid, customer=cid, role="VD")))
    change(commands.UpdateContactLink(link=ContactLink(contact=kid, customer=cid, role="Ordf.")))
    change(commands.UnlinkContact(contact=kid, customer=cid))
    f = reg.facility(admin, fid)
    f.name = "Hus 2"
    change(commands.UpdateFacility(facility=f))
    s = reg.service_object(admin, sid)
    s.type = "Hiss"
    change(commands.UpdateServiceObject(service_object=s))
    u = reg.user(admin, uid)
    u.name = "Bo Ek"
    change(commands.UpdateUser(user=u))
    st = reg.settings(admin)
    st.number_max_length = 12
    change(commands.UpdateSettings(settings=st))
    change(commands.DeleteServiceObject(service_object=sid))
    change(commands.DeleteFacility(facility=fid))
    change(commands.DeleteContact(contact=kid))
    change(commands.AssignTechnician(customer=cid))
    change(commands.DeleteCustomer(customer=cid))
    assert reg.counts().customers == 0
    assert {e.source for e in reg.history(admin) if e.change > 6} == {"import"}


def test_a_command_that_changes_nothing_has_change_zero(reg: Register, staff: int) -> None:
    cid = reg.create_customer(staff, Customer(number="1", name="Noll AB"))
    assert reg.apply(staff, commands.ReactivateCustomer(customer=cid)).change == 0
    assert repr(reg.apply(staff, commands.DeactivateCustomer(customer=cid))).startswith("Applied(change=")


def test_apply_refuses_what_is_not_a_command(reg: Register, staff: int) -> None:
    with pytest.raises(TypeError, match="expected a command"):
        reg.apply(staff, Customer())  # type: ignore[arg-type]


def test_command_values_are_plain_data() -> None:
    cmd = commands.CreateCustomer(customer=Customer(number="1", name="A"))
    cmd.customer.name = "B"  # the customer is a view into the command
    assert cmd.to_dict()["customer"]["name"] == "B"
    assert commands.CreateCustomer.from_dict(cmd.to_dict()) == cmd
    assert commands.AssignTechnician(customer=1).technician is None
    assert commands.UnlinkContact._fields == ("contact", "customer")
    assert set(commands.__all__) - {"Command"} == {
        info["name"] for info in kartotek._kartotek._stub_info() if info["module"] == "kartotek.commands"
    }
