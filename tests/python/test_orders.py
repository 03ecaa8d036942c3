"""Orders from Python: numbers, revisions, assignment and notifications, notes,
time, files, closing, lists and favourites, to-do and reminders, recipients,
the article catalogue, sales orders, and what customers and customer users
may do with them (docs/orders.md)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import List

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kartotek
from kartotek import (
    Article,
    Booking,
    Customer,
    FileInfo,
    Order,
    OrderKind,
    OrderLine,
    OrderQuery,
    Register,
    User,
    commands,
)

from conftest import START

SHA = "0123456789abcdef" * 4


def customer(reg: Register, actor: int, number: str = "1001", name: str = "Åberg AB", **fields: object) -> int:
    return reg.create_customer(actor, Customer(number=number, name=name, **fields))  # type: ignore[arg-type]


def order(reg: Register, actor: int, cid: int, kind: OrderKind = "work_order", subject: str = "Service",
          **fields: object) -> int:
    return reg.create_order(actor, Order(kind=kind, customer=cid, subject=subject, **fields))  # type: ignore[arg-type]


def worker(reg: Register, admin: int, login: str, *rights: kartotek.Right) -> int:
    return reg.create_user(admin, User(login=login, name=login.capitalize(), language="en", rights=list(rights)))


# ---- the record classes -------------------------------------------------------


def test_order_records_are_plain_values() -> None:
    o = Order(kind="service_order", subject="Årlig service",
              time_entries=[kartotek.TimeEntry(hours=1.5), kartotek.TimeEntry(hours=0.25)])
    assert o.hours_spent() == 1.75 and Order().hours_spent() == 0
    assert repr(o) == "Order(id=0, kind='service_order', number=0, subject='Årlig service')"
    assert (o.status, o.closed, o.origin, o.sales_order, o.planned) == ("", False, None, None, None)
    line = OrderLine(article_number="T-1", time_article=True)
    assert (line.id, line.quantity, line.hours, line.date) == (0, 1, 0, None)
    assert Booking().kind == "phone" and not Booking().reminded
    q = OrderQuery(kind="contact_order", closed=False)
    assert repr(q) == ("OrderQuery(kind='contact_order', assigned_to_me=False, closed=False, descending=False, "
                       "offset=0, limit=10, custom=[])")
    assert q.to_dict()["customer"] is None and OrderQuery.from_dict(q.to_dict()) == q
    with pytest.raises(kartotek.ValidationError) as e:
        OrderQuery(sort="price")  # type: ignore[arg-type]
    assert e.value.field == "sort"
    assert kartotek.Settings().order_statuses[0] == kartotek.OrderStatuses(kind="work_order",
                                                                          statuses=["new", "in_progress"])
    assert not kartotek.Settings().contact_orders_by_number
    assert not kartotek.Settings().require_customer_order_number
    assert kartotek.Recipients().to == [] and kartotek.Recipient(name="Lena").email == ""
    assert kartotek.TodoItem().booking == 0 and kartotek.Reminder().booking == Booking()
    assert kartotek.OrderFilter(name="Mina").query == OrderQuery()
    assert kartotek.OrderNote(text="x").author == 0 and FileInfo(name="a.pdf").size == 0
    assert Article(number="A-1").time_article is False


# ---- creating, numbers, revisions ---------------------------------------------------


def test_each_kind_has_its_own_running_number_never_reused(reg: Register, admin: int, staff: int,
                                                           clock: kartotek.ManualClock) -> None:
    cid = customer(reg, admin)
    w1 = order(reg, staff, cid)
    w2 = order(reg, staff, cid)
    c1 = order(reg, staff, cid, "contact_order", "Ny offert")
    q1 = order(reg, staff, cid, "quotation")
    numbers = [(o.kind, o.number) for o in (reg.order(staff, x) for x in (w1, w2, c1, q1))]
    assert numbers == [("work_order", 1), ("work_order", 2), ("contact_order", 1), ("quotation", 1)]

    first = reg.order(staff, w1)
    assert (first.customer, first.status, first.created_by, first.created_at) == (cid, "new", staff, clock.now())
    assert first.revision == 1 and not first.closed
    reg.delete_order(staff, w2)
    assert reg.order(staff, order(reg, staff, cid)).number == 3  # 2 is never given again
    found = reg.find_order_by_number(staff, "work_order", 3)
    assert found is not None and found.kind == "work_order"
    assert reg.find_order_by_number(staff, "work_order", 2) is None
    assert reg.find_order_by_number(staff, "sales_order", 1) is None
    assert reg.find_order(staff, w2) is None
    with pytest.raises(kartotek.NotFound):
        reg.order(staff, w2)
    assert reg.counts().orders == 4
    with pytest.raises(kartotek.ValidationError) as e:
        reg.find_order_by_number(staff, "invoice", 1)  # type: ignore[arg-type]
    assert e.value.field == "kind"

    with pytest.raises(kartotek.ValidationError) as e:
        order(reg, staff, cid, "contact_order", subject="")
    assert e.value.field == "subject"
    with pytest.raises(kartotek.NotFound):
        order(reg, staff, 99)
    assert [e.action for e in reg.history(admin, ("order", w2))] == ["created", "deleted"]


@given(kinds=st.lists(st.sampled_from(["work_order", "service_order", "error_report", "quotation"]), max_size=12))
def test_numbers_count_up_by_kind_in_any_order_of_creation(kinds: List[OrderKind]) -> None:
    reg = Register(clock=kartotek.ManualClock(START))
    admin = reg.create_first_administrator("admin", "Ada Admin")
    cid = customer(reg, admin)
    got = [reg.order(admin, order(reg, admin, cid, kind)).number for kind in kinds]
    assert got == [kinds[: i + 1].count(k) for i, k in enumerate(kinds)]


def test_an_update_carries_its_revision_and_leaves_kept_fields_alone(reg: Register, admin: int, staff: int) -> None:
    cid = customer(reg, admin)
    oid = order(reg, staff, cid)
    mine = reg.order(staff, oid)
    theirs = reg.order(staff, oid)
    theirs.description = "Läcker kylvätska"
    theirs.status = "in_progress"
    theirs.planned = datetime(2026, 2, 1, 9, 0, tzinfo=timezone.utc)
    reg.update_order(staff, theirs)
    mine.subject = "Byte av kompressor"
    with pytest.raises(kartotek.Conflict, match="has changed since it was read"):
        reg.update_order(staff, mine)
    now = reg.order(staff, oid)
    assert (now.subject, now.status, now.revision) == ("Service", "in_progress", 2)
    assert now.planned == datetime(2026, 2, 1, 9, 0, tzinfo=timezone.utc)

    now.number = 99
    with pytest.raises(kartotek.ValidationError, match="kept by the register") as e:
        reg.update_order(staff, now)
    assert e.value.field == "number"
    now = reg.order(staff, oid)
    now.status = "waiting"
    with pytest.raises(kartotek.ValidationError) as e:
        reg.update_order(staff, now)
    assert e.value.field == "status"
    assert {e.field for e in reg.history(admin, ("order", oid)) if e.action == "changed"} == {
        "description", "status", "planned"}


# ---- assignment and notifications --------------------------------------------------


def test_assigning_notifies_the_assigned_and_the_unassigned(reg: Register, admin: int) -> None:
    tina = worker(reg, admin, "tina", "orders.view")
    sam = worker(reg, admin, "sam", "orders.view", "orders.assign_self")
    blind = worker(reg, admin, "bo")  # may not see the order
    cid = customer(reg, admin)
    oid = order(reg, admin, cid, subject="Kyl")
    reg.assign_order(admin, oid, [tina, sam, blind])
    assert reg.order(admin, oid).assigned == [tina, sam, blind]
    [note] = reg.notifications(tina)
    assert note.kind == "order_assigned" and note.subject == kartotek.RecordRef(kind="order", id=oid)
    assert note.text == "You have been assigned work order 1 (Kyl)"
    assert "Kyl" not in reg.notifications(blind)[0].text
    with pytest.raises(kartotek.ValidationError) as e:
        reg.assign_order(admin, oid, [tina, 99])
    assert e.value.field == "users"
    reg.assign_order(admin, oid, [sam])
    assert [n.kind for n in reg.notifications(tina)] == ["order_assigned", "order_unassigned"]
    assert [n.kind for n in reg.notifications(sam)] == ["order_assigned"]

    # Assign-self: himself only.
    reg.assign_order(sam, oid, [])
    assert reg.order(admin, oid).assigned == []
    reg.assign_order(sam, oid, [sam])
    with pytest.raises(kartotek.PermissionDenied):
        reg.assign_order(sam, oid, [sam, tina])
    with pytest.raises(kartotek.PermissionDenied):
        reg.assign_order(tina, oid, [tina])
    assert reg.order(admin, oid).assigned == [sam]


def test_a_new_order_goes_to_the_customers_technician(reg: Register, admin: int, staff: int) -> None:
    tina = worker(reg, admin, "tina", "customers.view_assigned", "orders.view_assigned")
    cid = customer(reg, admin)
    reg.assign_technician(admin, cid, tina)
    oid = order(reg, staff, cid, "service_order")
    assert reg.order(staff, oid).assigned == [tina]
    assert [n.kind for n in reg.notifications(tina)] == ["assigned", "order_assigned"]
    assert [o.id for o in reg.search_orders(tina, assigned_to_me=True)] == [oid]


# ---- notes, time, files ------------------------------------------------------------


def test_notes_are_a_log_and_time_entries_add_up(reg: Register, admin: int, staff: int,
                                                 clock: kartotek.ManualClock) -> None:
    oid = order(reg, staff, customer(reg, admin))
    reg.add_order_note(staff, oid, "Ringde kunden")
    clock.advance(timedelta(hours=2))
    reg.add_order_note(admin, oid, "Reservdel beställd")
    notes = reg.order(staff, oid).notes
    assert [(n.author, n.text) for n in notes] == [(staff, "Ringde kunden"), (admin, "Reservdel beställd")]
    assert [n.at for n in notes] == [START, START + timedelta(hours=2)]

    reg.add_time_entry(staff, oid, 1.5, "Felsökning")
    reg.add_time_entry(admin, oid, 2.25)
    o = reg.order(staff, oid)
    assert [(t.user, t.hours, t.text) for t in o.time_entries] == [(staff, 1.5, "Felsökning"), (admin, 2.25, "")]
    assert o.time_entries[0].at == clock.now()
    assert o.hours_spent() == 3.75
    for hours in (0, -1):
        with pytest.raises(kartotek.ValidationError) as e:
            reg.add_time_entry(staff, oid, hours)
        assert e.value.field == "hours"
    assert reg.order(staff, oid).hours_spent() == 3.75


def test_files_are_added_and_removed_by_their_id(reg: Register, admin: int, staff: int,
                                                 clock: kartotek.ManualClock) -> None:
    oid = order(reg, staff, customer(reg, admin))
    pdf = FileInfo(name="protokoll.pdf", size=52_311, sha256=SHA, media_type="application/pdf")
    reg.add_order_file(staff, oid, pdf)
    reg.add_order_file(staff, oid, FileInfo(name="bild.jpg", size=10, sha256=SHA, media_type="image/jpeg"))
    files = reg.order(staff, oid).files
    assert [(f.name, f.size, f.uploaded_by, f.uploaded_at) for f in files] == [
        ("protokoll.pdf", 52_311, staff, clock.now()), ("bild.jpg", 10, staff, clock.now())]
    assert files[0].id != files[1].id and files[0].id > 0
    reg.remove_order_file(staff, oid, files[0].id)
    assert [f.name for f in reg.order(staff, oid).files] == ["bild.jpg"]
    with pytest.raises(kartotek.NotFound, match="is not on work_order 1"):
        reg.remove_order_file(staff, oid, files[0].id)  # gone already
    with pytest.raises(kartotek.ValidationError) as e:
        reg.add_order_file(staff, oid, FileInfo(name="c.pdf", size=1, sha256="ABC", media_type="application/pdf"))
    assert e.value.field == "file.sha256"

    uploader = worker(reg, admin, "ulla", "orders.view", "orders.upload")
    reg.add_order_file(uploader, oid, pdf)
    with pytest.raises(kartotek.PermissionDenied, match="orders.delete_files"):
        reg.remove_order_file(uploader, oid, reg.order(admin, oid).files[-1].id)


# ---- closing, deleting -----------------------------------------------------------------


def test_a_closed_order_is_archived_until_reopened(reg: Register, admin: int, staff: int,
                                                   clock: kartotek.ManualClock) -> None:
    oid = order(reg, staff, customer(reg, admin))
    reg.add_order_file(staff, oid, FileInfo(name="a.pdf", size=1, sha256=SHA, media_type="application/pdf"))
    clock.advance(timedelta(days=1))
    reg.close_order(staff, oid)
    closed = reg.order(staff, oid)
    assert closed.closed and closed.closed_at == clock.now()

    closed.subject = "Efter stängning"
    with pytest.raises(kartotek.Conflict):
        reg.update_order(staff, closed)
    with pytest.raises(kartotek.Conflict):
        reg.assign_order(staff, oid, [staff])
    with pytest.raises(kartotek.Conflict):
        reg.add_time_entry(staff, oid, 1)
    with pytest.raises(kartotek.Conflict):
        reg.add_order_file(staff, oid, FileInfo(name="b.pdf", size=1, sha256=SHA, media_type="application/pdf"))
    with pytest.raises(kartotek.Conflict):
        reg.remove_order_file(staff, oid, closed.files[0].id)
    reg.add_order_note(staff, oid, "Kunden nöjd")  # notes still go in
    assert [n.text for n in reg.order(staff, oid).notes] == ["Kunden nöjd"]

    viewer = worker(reg, admin, "vera", "orders.view")
    with pytest.raises(kartotek.PermissionDenied, match="orders.edit"):
        reg.reopen_order(viewer, oid)
    reg.reopen_order(staff, oid)
    reopened = reg.order(staff, oid)
    assert not reopened.closed and reopened.closed_at is None
    reopened.subject = "Efter stängning"
    reg.update_order(staff, reopened)
    assert reg.order(staff, oid).subject == "Efter stängning"


def test_deleting_needs_the_delete_right(reg: Register, admin: int) -> None:
    editor = worker(reg, admin, "erik", "customers.view", "orders.view", "orders.edit", "orders.create")
    cid = customer(reg, admin)
    oid = order(reg, editor, cid)
    with pytest.raises(kartotek.PermissionDenied, match="orders.delete"):
        reg.delete_order(editor, oid)
    reg.delete_order(admin, oid)
    assert reg.search_orders(admin).total == 0


# ---- customers and their orders ---------------------------------------------------------


def test_a_customer_with_orders_is_never_deleted_only_deactivated(reg: Register, admin: int, staff: int) -> None:
    cid = customer(reg, admin)
    fid = reg.create_facility(admin, kartotek.Facility(customer=cid, name="Kylhallen"))
    oid = order(reg, staff, cid, facility=fid)
    with pytest.raises(kartotek.Conflict, match="has 1 order"):
        reg.delete_customer(admin, cid)
    with pytest.raises(kartotek.Conflict):
        reg.delete_facility(admin, fid)
    reg.deactivate_customer(admin, cid)
    with pytest.raises(kartotek.ValidationError, match="deactivated") as e:
        order(reg, staff, cid)
    assert e.value.field == "customer"
    assert reg.order(staff, oid).customer == cid  # his orders stay
    assert reg.search_orders(staff, customer=cid).total == 1


def test_a_facility_must_belong_to_the_customer(reg: Register, admin: int, staff: int) -> None:
    cid = customer(reg, admin)
    other = customer(reg, admin, "1002", "Ek AB")
    fid = reg.create_facility(admin, kartotek.Facility(customer=other, name="Lager"))
    with pytest.raises(kartotek.ValidationError) as e:
        order(reg, staff, cid, facility=fid)
    assert e.value.field == "facility"


def test_a_contact_order_may_name_a_new_customer_and_facility(reg: Register, admin: int, staff: int) -> None:
    first = reg.create_order(staff, Order(kind="contact_order", subject="Intresserad av avtal"),
                             new_customer=Customer(number="2001", name="Nykund AB", phone="070-1"),
                             new_facility=kartotek.Facility(name="Huvudkontoret"))
    o = reg.order(staff, first)
    created = reg.customer(staff, o.customer)
    assert (created.number, created.name, created.phone) == ("2001", "Nykund AB", "070-1")
    assert o.facility is not None and reg.facility(staff, o.facility).name == "Huvudkontoret"
    # The same names again: the customer and the facility are found, not made twice.
    second = reg.create_order(staff, Order(kind="contact_order", subject="Uppföljning"),
                              new_customer=Customer(name="NYKUND AB"),
                              new_facility=kartotek.Facility(name="huvudkontoret"))
    assert (reg.order(staff, second).customer, reg.order(staff, second).facility) == (o.customer, o.facility)
    assert reg.counts().customers == 1 and len(reg.facilities_of(staff, o.customer)) == 1
    # Two of that name: neither is guessed, nor is a third made; the caller chooses.
    for number in ("3001", "3002"):
        customer(reg, admin, number, "Dubbel AB")
    with pytest.raises(kartotek.ValidationError, match="2 customers") as e:
        reg.create_order(staff, Order(kind="contact_order", subject="Vilken?"),
                         new_customer=Customer(number="3003", name="Dubbel AB"))
    assert e.value.field == "new_customer.name"
    assert reg.counts().customers == 3


# ---- lists and favourites ------------------------------------------------------------------


def test_order_lists_filter_sort_and_page_with_closed_orders_last(reg: Register, admin: int, staff: int) -> None:
    cid = customer(reg, admin)
    other = customer(reg, admin, "1002", "Ek AB")
    ids = [order(reg, staff, cid, subject=f"Jobb {i:02d}") for i in range(12)]
    reg.close_order(staff, ids[-1])  # the newest, closed
    elsewhere = order(reg, staff, other, subject="Annat")

    card = reg.search_orders(staff, customer=cid)  # a customer card: the first 10
    assert (card.total, len(card), card.next_offset) == (12, 10, 10)
    # By number, newest first; closed orders after the open ones.
    assert [o.id for o in card] == ids[-2::-1][:10]
    everything = reg.search_orders(staff, customer=cid, limit=card.total)
    assert [o.id for o in everything] == ids[-2::-1] + [ids[-1]]
    rest = reg.search_orders(staff, customer=cid, offset=10)
    assert (rest.offset, [o.id for o in rest], rest.next_offset) == (10, [ids[0], ids[-1]], None)

    by_subject = reg.search_orders(staff, customer=cid, sort="subject", descending=True, limit=100)
    assert [o.subject for o in by_subject][:2] == ["Jobb 10", "Jobb 09"] and by_subject[-1].id == ids[-1]
    assert [o.id for o in reg.search_orders(staff, closed=True)] == [ids[-1]]
    assert reg.search_orders(staff, closed=False, limit=100).total == 12
    assert [o.id for o in reg.search_orders(staff, customer=other)] == [elsewhere]
    assert reg.search_orders(staff, kind="quotation").total == 0
    by_customer = reg.search_orders(staff, sort="customer", limit=100)
    assert by_customer[0].id == elsewhere  # Ek AB before Åberg AB

    o = reg.order(staff, ids[0])
    o.status = "in_progress"
    o.planned = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)
    reg.update_order(staff, o)
    reg.assign_order(staff, ids[1], [staff])
    assert [x.id for x in reg.search_orders(staff, status="in_progress")] == [ids[0]]
    assert [x.id for x in reg.search_orders(staff, assigned_to_me=True)] == [ids[1]]
    assert [x.id for x in reg.search_orders(admin, assigned_to=staff)] == [ids[1]]
    assert reg.search_orders(admin, assigned_to_me=True).total == 0
    march = reg.search_orders(staff, planned_from="2026-03-01", planned_to="2026-04-01")
    assert [x.id for x in march] == [ids[0]]
    assert reg.search_orders(staff, planned_from="2026-03-02T08:00:01Z").total == 0  # undated ones are left out

    # A query object, as a favourite holds it; keywords given replace its fields.
    query = OrderQuery(customer=cid, closed=False, sort="number", limit=3)
    assert [x.number for x in reg.search_orders(staff, query)] == [1, 2, 3]
    assert [x.number for x in reg.search_orders(staff, query, offset=3, descending=True)] == [8, 7, 6]
    with pytest.raises(kartotek.ValidationError) as e:
        reg.search_orders(staff, sort="price")  # type: ignore[arg-type]
    assert e.value.field == "sort"


def test_contact_order_lists_go_by_planned_date_unless_the_settings_say_number(reg: Register, admin: int,
                                                                               staff: int) -> None:
    cid = customer(reg, admin)
    late = order(reg, staff, cid, "contact_order", "Sent", planned=datetime(2026, 5, 1, tzinfo=timezone.utc))
    undated = order(reg, staff, cid, "contact_order", "Odaterad")
    early = order(reg, staff, cid, "contact_order", "Tidigt", planned=datetime(2026, 2, 1, tzinfo=timezone.utc))
    assert [o.id for o in reg.search_orders(staff, kind="contact_order")] == [early, late, undated]
    settings = reg.settings(admin)
    settings.contact_orders_by_number = True
    reg.update_settings(admin, settings)
    assert [o.number for o in reg.search_orders(staff, kind="contact_order")] == [1, 2, 3]
    assert reg.settings(staff).contact_orders_by_number


def test_favourite_filters_are_the_users_own(reg: Register, admin: int, staff: int) -> None:
    cid = customer(reg, admin)
    mine = order(reg, staff, cid, subject="Min")
    reg.assign_order(staff, mine, [staff])
    order(reg, staff, cid, subject="Inte min")
    reg.save_order_filter(staff, "Mina öppna", OrderQuery(assigned_to_me=True, closed=False))
    reg.save_order_filter(staff, "Alla offerter", OrderQuery(kind="quotation"))
    reg.save_order_filter(staff, "Alla offerter", {"kind": "quotation", "limit": 50})  # replaces it
    favourites = reg.order_filters(staff)
    assert [(f.name, f.owner) for f in favourites] == [("Alla offerter", staff), ("Mina öppna", staff)]
    assert favourites[0].query.limit == 50
    assert reg.order_filters(admin) == []
    assert [o.id for o in reg.search_orders(staff, favourites[1].query)] == [mine]

    reg.delete_order_filter(staff, "Alla offerter")
    assert [f.name for f in reg.order_filters(staff)] == ["Mina öppna"]
    with pytest.raises(kartotek.NotFound):
        reg.delete_order_filter(admin, "Mina öppna")  # nobody else's
    with pytest.raises(kartotek.ValidationError) as e:
        reg.save_order_filter(staff, "Trasig", {"sort": "price"})
    assert e.value.field == "query.sort"


# ---- bookings, to-do, reminders -----------------------------------------------------------


def test_the_todo_list_holds_contact_orders_and_bookings_by_date(reg: Register, admin: int) -> None:
    sara = worker(reg, admin, "sara", "contact_orders.view", "contact_orders.edit", "orders.view")
    cid = customer(reg, admin)
    call = order(reg, admin, cid, "contact_order", "Ring om avtal", planned=datetime(2026, 1, 20, tzinfo=timezone.utc))
    undated = order(reg, admin, cid, "contact_order", "Någon gång")
    reg.assign_order(admin, call, [sara])
    reg.assign_order(admin, undated, [sara])
    job = reg.order(admin, order(reg, admin, cid))
    job.bookings = [Booking(kind="meeting", when=datetime(2026, 1, 10, 9, 0, tzinfo=timezone.utc), user=sara,
                            text="Möte på plats")]
    reg.update_order(admin, job)
    booking = reg.order(admin, job.id).bookings[0]
    assert booking.id > 0 and booking.kind == "meeting" and not booking.done
    assert [n.kind for n in reg.notifications(sara)] == ["order_assigned", "order_assigned", "booking"]

    todo = reg.todo(sara)
    assert [(t.order, t.booking, t.text) for t in todo] == [
        (job.id, booking.id, "Möte på plats"), (call, 0, "Ring om avtal"), (undated, 0, "Någon gång")]
    assert todo[0].when == datetime(2026, 1, 10, 9, 0, tzinfo=timezone.utc) and todo[2].when is None
    assert reg.todo(admin) == []

    job = reg.order(admin, job.id)
    job.bookings[0].done = True  # a copy: assign the list back
    assert not job.bookings[0].done
    bookings = job.bookings
    bookings[0].done = True
    job.bookings = bookings
    reg.update_order(admin, job)
    reg.close_order(admin, undated)
    assert [t.order for t in reg.todo(sara)] == [call]


def test_due_bookings_are_reminded_once(reg: Register, admin: int, clock: kartotek.ManualClock) -> None:
    tina = worker(reg, admin, "tina", "orders.view")
    oid = order(reg, admin, customer(reg, admin))
    o = reg.order(admin, oid)
    o.bookings = [Booking(kind="phone", when=START + timedelta(hours=1), user=tina, text="Ring tillbaka"),
                  Booking(kind="digital", when=START + timedelta(days=7), user=admin, text="Teams")]
    reg.update_order(admin, o)
    assert reg.due_reminders(tina, clock.now()) == []
    reg.raise_reminders(admin)
    assert [n.kind for n in reg.notifications(tina)] == ["booking"]

    clock.advance(timedelta(hours=2))
    [due] = reg.due_reminders(tina, clock.now())
    assert due.order == oid and due.booking.text == "Ring tillbaka" and not due.booking.reminded
    assert reg.due_reminders(admin, START + timedelta(days=8)) == reg.due_reminders(admin, "2026-01-13")
    assert [r.booking.user for r in reg.due_reminders(admin, "2026-01-13")] == [tina, admin]
    reg.raise_reminders(admin)
    reg.raise_reminders(admin)  # once per booking
    assert [n.kind for n in reg.notifications(tina)] == ["booking", "reminder"]
    assert reg.order(admin, oid).bookings[0].reminded
    assert reg.notifications(admin) == []  # his booking is not yet due


# ---- recipients ------------------------------------------------------------------------------


def test_recipients_are_the_flagged_contacts_and_those_without_email_are_listed_apart(reg: Register,
                                                                                    admin: int) -> None:
    cid = customer(reg, admin)
    people = {
        "lena": kartotek.Contact(first_name="Lena", last_name="Söderström", email="lena@aberg.se"),
        "olle": kartotek.Contact(first_name="Olle", last_name="Berg"),
        "pia": kartotek.Contact(first_name="Pia", last_name="Ek", email="pia@aberg.se"),
    }
    ids = {key: reg.create_contact(admin, c) for key, c in people.items()}
    reg.link_contact(admin, ids["lena"], cid, send_work_orders=True, send_service_protocol=True)
    reg.link_contact(admin, ids["olle"], cid, send_work_orders=True)
    reg.link_contact(admin, ids["pia"], cid, send_service_protocol=True)

    work = reg.recipients(admin, order(reg, admin, cid, "work_order"))
    assert [(r.contact, r.email) for r in work.to] == [(ids["lena"], "lena@aberg.se")]
    assert [(r.contact, r.name) for r in work.without_email] == [(ids["olle"], "Olle Berg")]
    service = reg.recipients(admin, order(reg, admin, cid, "service_order"))
    assert sorted(r.email for r in service.to) == ["lena@aberg.se", "pia@aberg.se"]
    assert service.without_email == []
    with pytest.raises(kartotek.ValidationError) as e:
        reg.recipients(admin, order(reg, admin, cid, "quotation"))
    assert e.value.field == "kind"


# ---- the article catalogue and article lines ---------------------------------------------


def test_the_article_catalogue_is_kept_by_administrators(reg: Register, admin: int, staff: int) -> None:
    hour = reg.create_article(admin, Article(number="T-1", name="Arbetstimme", unit="h", price=650,
                                             time_article=True))
    reg.create_article(admin, Article(number="K-10", name="Köldmedium R32", unit="kg", price=420))
    with pytest.raises(kartotek.Conflict):
        reg.create_article(admin, Article(number="t-1", name="Dubblett"))
    with pytest.raises(kartotek.PermissionDenied):
        reg.create_article(staff, Article(number="X-1", name="Egen"))
    assert [a.number for a in reg.articles(staff)] == ["K-10", "T-1"]
    found = reg.find_article_by_number(staff, "t-1")
    assert found is not None and found.id == hour and found.revision == 1
    assert reg.find_article_by_number(staff, "Z-9") is None

    stale = reg.articles(admin)[1]
    found.price = 700
    reg.update_article(admin, found)
    stale.price = 800
    with pytest.raises(kartotek.Conflict):
        reg.update_article(admin, stale)
    with pytest.raises(kartotek.PermissionDenied):
        reg.update_article(staff, reg.articles(admin)[1])
    assert reg.articles(admin)[1].price == 700

    reg.delete_article(admin, hour)
    assert [a.number for a in reg.articles(admin)] == ["K-10"]
    assert [e.action for e in reg.history(admin, ("article", hour))] == ["created", "changed", "deleted"]


def test_lines_take_the_catalogue_and_time_lines_get_their_date(reg: Register, admin: int, staff: int,
                                                                clock: kartotek.ManualClock) -> None:
    reg.create_article(admin, Article(number="T-1", name="Arbetstimme", unit="h", price=650, time_article=True))
    cid = customer(reg, admin, work_order_articles=[kartotek.ArticleLine(article_number="R-1",
                                                                         description="Resa", quantity=1)])
    oid = reg.create_order(staff, Order(kind="work_order", customer=cid, subject="Reparation", lines=[
        OrderLine(article_number="T-1"),
        OrderLine(article_number="FRI", description="Fri rad", quantity=2, price=10),
    ]))
    lines = reg.order(staff, oid).lines
    assert [line.article_number for line in lines] == ["R-1", "T-1", "FRI"]  # the customer's first
    assert len({line.id for line in lines}) == 3 and all(line.id > 0 for line in lines)
    timed = lines[1]
    assert (timed.description, timed.unit, timed.price, timed.time_article) == ("Arbetstimme", "h", 650, True)
    assert timed.hours == 0 and timed.date is None

    clock.advance(timedelta(days=1))
    o = reg.order(staff, oid)
    lines = o.lines
    lines[1].hours = 3
    o.lines = [lines[1], lines[2]]  # the customer's line left out: removed
    reg.update_order(staff, o)
    after = reg.order(staff, oid).lines
    assert [line.article_number for line in after] == ["T-1", "FRI"]
    assert after[0].hours == 3 and after[0].date == clock.now()
    assert after[1].date is None

    o = reg.order(staff, oid)
    lines = o.lines
    lines[1].hours = 1  # only a time line carries hours
    o.lines = lines
    with pytest.raises(kartotek.ValidationError):
        reg.update_order(staff, o)


# ---- contact orders into sales orders ------------------------------------------------------


def test_a_contact_order_converts_once_into_a_linked_sales_order(reg: Register, admin: int, staff: int) -> None:
    cid = customer(reg, admin)
    contact_order = order(reg, staff, cid, "contact_order", "Ny kylanläggning", cost_center="200",
                          lines=[OrderLine(article_number="KA-1", description="Kylaggregat", price=95_000)])
    reg.add_time_entry(staff, contact_order, 0.5, "Möte")
    sales_id = reg.convert_to_sales_order(staff, contact_order)
    sales = reg.order(staff, sales_id)
    source = reg.order(staff, contact_order)
    assert (sales.kind, sales.number, sales.customer, sales.subject, sales.cost_center) == (
        "sales_order", 1, cid, "Ny kylanläggning", "200")
    assert [(line.article_number, line.price) for line in sales.lines] == [("KA-1", 95_000)]
    assert sales.origin == contact_order and source.sales_order == sales_id and source.closed
    with pytest.raises(kartotek.Conflict, match="already became sales order 1"):
        reg.convert_to_sales_order(staff, contact_order)
    with pytest.raises(kartotek.Conflict):
        reg.delete_order(admin, contact_order)
    with pytest.raises(kartotek.Conflict):
        reg.delete_order(admin, sales_id)
    with pytest.raises(kartotek.ValidationError) as e:
        reg.convert_to_sales_order(staff, order(reg, staff, cid))  # a work order does not convert
    assert e.value.field == "order"


# ---- settings --------------------------------------------------------------------------------


def test_statuses_and_the_customer_order_number_follow_the_settings(reg: Register, admin: int, staff: int) -> None:
    cid = customer(reg, admin)
    settings = reg.settings(admin)
    statuses = settings.order_statuses
    statuses[0] = kartotek.OrderStatuses(kind="work_order", statuses=["inkommen", "planerad", "klar"])
    settings.order_statuses = statuses
    settings.require_customer_order_number = True
    reg.update_settings(admin, settings)

    with pytest.raises(kartotek.ValidationError) as e:
        order(reg, staff, cid)
    assert e.value.field == "customer_order_number"
    oid = order(reg, staff, cid, customer_order_number="PO-4711")
    assert reg.order(staff, oid).status == "inkommen"
    order(reg, staff, cid, "contact_order")  # contact orders need none
    o = reg.order(staff, oid)
    o.status = "planerad"
    reg.update_order(staff, o)

    settings = reg.settings(admin)
    statuses = settings.order_statuses
    statuses[0].statuses = ["inkommen", "klar"]
    settings.order_statuses = statuses
    with pytest.raises(kartotek.Conflict):
        reg.update_settings(admin, settings)  # "planerad" is still used
    assert reg.settings(staff).require_customer_order_number


# ---- customer users ------------------------------------------------------------------------


def test_a_customer_user_files_error_reports_for_his_own_customer(reg: Register, admin: int, staff: int) -> None:
    tina = worker(reg, admin, "tina", "customers.view_assigned", "orders.view_assigned")
    mine = customer(reg, admin)
    other = customer(reg, admin, "1002", "Ek AB")
    reg.assign_technician(admin, mine, tina)
    lena = reg.create_contact(admin, kartotek.Contact(first_name="Lena", last_name="Söderström"))
    reg.link_contact(admin, lena, mine)
    portal = reg.create_customer_user(admin, mine, lena, "lena")

    report = reg.create_order(portal, Order(kind="error_report", customer=mine, subject="Hissen står still",
                                            description="Plan 3", customer_order_number="Ä-1"))
    filed = reg.order(staff, report)
    assert (filed.kind, filed.number, filed.status, filed.created_by) == ("error_report", 1, "new", portal)
    assert filed.assigned == [tina]  # the customer's technician, automatically
    assert [n.kind for n in reg.notifications(tina)][-1] == "order_assigned"

    with pytest.raises(kartotek.PermissionDenied, match="error reports and nothing else"):
        reg.create_order(portal, Order(kind="work_order", customer=mine, subject="Själv"))
    with pytest.raises(kartotek.NotFound):  # another customer does not exist, to him
        reg.create_order(portal, Order(kind="error_report", customer=other, subject="Fel kund"))
    for kept in ({"status": "new"}, {"assigned": [tina]}, {"planned": START}):
        with pytest.raises(kartotek.PermissionDenied, match="the rest is set by the group"):
            reg.create_order(portal, Order(kind="error_report", customer=mine, subject="Egen", **kept))

    work = order(reg, staff, mine)
    order(reg, staff, mine, "contact_order", "Säljanteckning")
    order(reg, staff, other)
    assert sorted(o.id for o in reg.search_orders(portal)) == [report, work]  # no contact orders
    with pytest.raises(kartotek.PermissionDenied):
        reg.add_order_note(portal, work, "Får jag?")


# ---- commands as values ---------------------------------------------------------------------


def test_every_order_command_applies(reg: Register, admin: int, clock: kartotek.ManualClock) -> None:
    cid = customer(reg, admin)

    def create(cmd: commands.Command, kind: kartotek.RecordKind) -> int:
        applied = reg.apply(admin, cmd)
        assert applied.change > 0 and applied.created is not None and applied.created.kind == kind
        return applied.created.id

    def change(cmd: commands.Command) -> None:
        applied = reg.apply(admin, cmd, source="import")
        assert applied.created is None and applied.change > 0

    aid = create(commands.CreateArticle(article=Article(number="A-1", name="Filter")), "article")
    a = reg.articles(admin)[0]
    a.price = 99
    change(commands.UpdateArticle(article=a))
    oid = create(commands.CreateOrder(order=Order(kind="contact_order", customer=cid, subject="Via kommando")), "order")
    o = reg.order(admin, oid)
    o.bookings = [Booking(when=clock.now(), user=admin, text="Nu")]
    change(commands.UpdateOrder(order=o))
    change(commands.AssignOrder(order=oid, users=[admin]))
    change(commands.AddOrderNote(order=oid, text="Anteckning"))
    change(commands.AddTimeEntry(order=oid, hours=1, text="Möte"))
    change(commands.AddOrderFile(order=oid, file=FileInfo(name="a.pdf", size=1, sha256=SHA,
                                                          media_type="application/pdf")))
    change(commands.RemoveOrderFile(order=oid, file=reg.order(admin, oid).files[0].id))
    change(commands.RaiseReminders())
    change(commands.CloseOrder(order=oid))
    change(commands.ReopenOrder(order=oid))
    sid = create(commands.ConvertToSalesOrder(order=oid), "order")
    assert reg.order(admin, sid).origin == oid
    doomed = create(commands.CreateOrder(order=Order(kind="quotation", customer=cid)), "order")
    change(commands.DeleteOrder(order=doomed))
    change(commands.SaveOrderFilter(filter=kartotek.OrderFilter(name="Alla", query=OrderQuery(limit=100))))
    change(commands.DeleteOrderFilter(name="Alla"))
    change(commands.DeleteArticle(article=aid))
    assert reg.counts().orders == 2 and reg.articles(admin) == []
    assert {e.source for e in reg.history(admin) if e.record.kind == "article" and e.action == "changed"} == {"import"}


# ---- on disk and in JSON ---------------------------------------------------------------------


def test_orders_survive_reopening_compaction_and_the_json_export(tmp_path: Path,
                                                                clock: kartotek.ManualClock) -> None:
    path = tmp_path / "register"
    with Register.open(path, clock=clock) as reg:
        admin = reg.create_first_administrator("admin", "Ada Admin")
        cid = customer(reg, admin)
        reg.create_article(admin, Article(number="T-1", name="Arbetstimme", time_article=True))
        oid = order(reg, admin, cid, "contact_order", "Offert", lines=[OrderLine(article_number="T-1", hours=1)])
        reg.add_order_note(admin, oid, "Ring i maj")
        reg.save_order_filter(admin, "Kontakt", OrderQuery(kind="contact_order"))
        reg.convert_to_sales_order(admin, oid)
        state = reg.write_state()
        document = reg.export_json(admin)
    with Register.open(path, create=False, clock=clock) as reg:
        assert reg.write_state() == state and reg.counts().orders == 2
        assert reg.order(admin, oid).notes[0].text == "Ring i maj"
        reg.compact()
    with Register.open(path, create=False, clock=clock) as reg:
        assert reg.write_state() == state
        assert [f.name for f in reg.order_filters(admin)] == ["Kontakt"]
    copy = Register.import_json(document, clock=clock)
    assert copy.write_state() == state and copy.export_json(admin) == document
