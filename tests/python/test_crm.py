"""The CRM from Python: activities and linked employees through the generic
command classes (docs/crm.md)."""

from __future__ import annotations

from kartotek import Activity, Customer, Register, User, commands, every_right


def test_employees_are_linked_by_command_and_kept_on_the_customer() -> None:
    reg = Register()
    admin = reg.create_first_administrator("admin", "Ada")
    staff = reg.create_user(admin, User(login="tekla", name="Tekla", rights=every_right()))
    cid = reg.create_customer(admin, Customer(number="1", name="Ågren AB"))
    reg.apply(admin, commands.LinkEmployee(customer=cid, user=staff))
    assert reg.customer(admin, cid).employees == [staff]
    reg.apply(admin, commands.UnlinkEmployee(customer=cid, user=staff))
    assert reg.customer(admin, cid).employees == []


def test_an_activity_is_created_by_command() -> None:
    reg = Register()
    admin = reg.create_first_administrator("admin", "Ada")
    cid = reg.create_customer(admin, Customer(number="1", name="Ågren AB"))
    applied = reg.apply(admin, commands.CreateActivity(activity=Activity(kind="note", customer=cid, text="Hej")))
    assert applied.created is not None and applied.created.kind == "activity"
    assert reg.counts().customers == 1
