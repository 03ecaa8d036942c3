"""The CRM from Python (docs/crm.md): notes, meetings, tasks, e-mails, the
customer journal, files and reminders on customers and contacts, who sees
and changes them, their history, and linked employees."""

from __future__ import annotations

import tempfile
import typing
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Dict, List, Tuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kartotek
from kartotek import (
    Activity,
    ActivityKind,
    Contact,
    Customer,
    FileInfo,
    Register,
    Right,
    User,
    commands,
    every_right,
)

UTC = timezone.utc
SEE: List[Right] = ["customers.view", "contacts.view"]
SEE_AND_EDIT: List[Right] = SEE + ["customers.edit", "contacts.edit"]
PDF = FileInfo(name="avtal.pdf", size=2048, sha256="b" * 64, media_type="application/pdf")


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class Crm:
    """A register with a company and a private customer, a contact person of
    the company, and staff: `staff` holds every right, `colleague` sees and
    edits customers and contacts, `viewer` only sees them."""

    def __init__(self, reg: Register, clock: kartotek.ManualClock, admin: int, staff: int) -> None:
        self.reg, self.clock, self.admin, self.staff = reg, clock, admin, staff
        self.colleague = reg.create_user(admin, User(login="kollega", name="Karl Kollega", rights=SEE_AND_EDIT))
        self.viewer = reg.create_user(admin, User(login="tittare", name="Tilda Tittare", rights=SEE))
        self.company = reg.create_customer(staff, Customer(number="100", name="Söderström & Co AB"))
        self.person = reg.create_customer(staff, Customer(number="200", name="Åsa Öberg", kind="private"))
        self.contact = reg.create_contact(staff, Contact(first_name="Örjan", last_name="Ågren",
                                                         email="orjan@example.se"))
        reg.link_contact(staff, self.contact, self.company, role="VD")

    def ids(self, actor: int, **filters: object) -> List[int]:
        return [a.id for a in self.reg.search_activities(actor, limit=1000, **filters)]  # type: ignore[arg-type]

    def sees(self, actor: int, activity_id: int) -> bool:
        return self.reg.find_activity(actor, activity_id) is not None


@pytest.fixture
def crm(reg: Register, clock: kartotek.ManualClock, admin: int, staff: int) -> Crm:
    return Crm(reg, clock, admin, staff)


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


# ---- every kind, by its helper and by command -------------------------------------------


# Each kind: the helper call, and the Activity create_activity takes for the same.
KINDS: Dict[str, Tuple[Callable[[Crm], int], Callable[[Crm], Activity]]] = {
    "note": (
        lambda s: s.reg.add_note(s.staff, customer=s.company, text="Vill ha offert på ny värmepump."),
        lambda s: Activity(kind="note", customer=s.company, text="Vill ha offert på ny värmepump."),
    ),
    "meeting": (
        lambda s: s.reg.add_meeting(s.staff, contact=s.contact, start="2026-02-10T10:00:00Z", subject="Genomgång",
                                    end=t("2026-02-10T11:00"), text="Avtalet", participants=[s.colleague, s.staff],
                                    owner=s.colleague),
        lambda s: Activity(kind="meeting", contact=s.contact, at=t("2026-02-10T10:00"), subject="Genomgång",
                           end=t("2026-02-10T11:00"), text="Avtalet", participants=[s.staff, s.colleague],
                           owner=s.colleague),
    ),
    "task": (
        lambda s: s.reg.add_task(s.staff, customer=s.company, due=date(2026, 3, 1), subject="Skicka offert",
                                 text="Två alternativ", status="in_progress"),
        lambda s: Activity(kind="task", customer=s.company, at=t("2026-03-01T00:00"), subject="Skicka offert",
                           text="Två alternativ", status="in_progress", owner=s.staff),
    ),
    "email": (
        lambda s: s.reg.add_email(s.staff, contact=s.contact, sender="orjan@example.se",
                                  recipients="service@example.se", subject="Värmepump",
                                  body="Hej,\nvärmepumpen låter igen.", at="2026-01-04T16:20:00Z"),
        lambda s: Activity(kind="email", contact=s.contact, sender="orjan@example.se",
                           recipients=["service@example.se"], subject="Värmepump",
                           text="Hej,\nvärmepumpen låter igen.", at=t("2026-01-04T16:20")),
    ),
    "journal": (
        lambda s: s.reg.add_journal_entry(s.staff, customer=s.company, text="Besiktning utan anmärkning.",
                                          day=date(2026, 1, 2)),
        lambda s: Activity(kind="journal", customer=s.company, text="Besiktning utan anmärkning.",
                           at=t("2026-01-02T00:00")),
    ),
    "file": (
        lambda s: s.reg.add_file(s.staff, contact=s.contact, file=PDF),
        lambda s: Activity(kind="file", contact=s.contact, file=PDF),
    ),
    "reminder": (
        lambda s: s.reg.add_reminder(s.staff, customer=s.company, due="2026-02-01T09:00:00Z",
                                     subject="Ring om avtalet", owner=s.colleague),
        lambda s: Activity(kind="reminder", customer=s.company, at=t("2026-02-01T09:00"),
                           subject="Ring om avtalet", owner=s.colleague),
    ),
}


def test_every_kind_has_a_helper() -> None:
    assert sorted(KINDS) == sorted(typing.get_args(ActivityKind))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_helper_makes_what_the_command_makes(crm: Crm, kind: str) -> None:
    helper, record = KINDS[kind]
    made = [
        helper(crm),
        crm.reg.create_activity(crm.staff, record(crm)),
        crm.reg.apply(crm.staff, commands.CreateActivity(activity=record(crm))).created.id,  # type: ignore[union-attr]
    ]
    forms = []
    for activity_id in made:
        a = crm.reg.activity(crm.admin, activity_id)
        assert (a.id, a.kind, a.created_by, a.created_at, a.revision) == (activity_id, kind, crm.staff,
                                                                           crm.clock.now(), 1)
        forms.append({k: v for k, v in a.to_dict().items() if k != "id"})
    assert forms[0] == forms[1] == forms[2]
    assert crm.reg.counts().activities == 3


def test_the_register_settles_what_it_keeps(crm: Crm) -> None:
    note = crm.reg.activity(crm.staff, crm.reg.add_note(crm.colleague, contact=crm.contact, text="Föredrar telefon."))
    assert (note.owner, note.at, note.contact, note.customer) == (crm.colleague, crm.clock.now(), crm.contact, None)
    meeting = crm.reg.activity(crm.staff, crm.reg.add_meeting(
        crm.staff, customer=crm.company, start="2026-02-10T10:00:00Z", subject="Möte",
        participants=(crm.colleague, crm.staff, crm.colleague)))
    assert meeting.owner == crm.staff  # the actor, when no owner is given
    assert meeting.participants == [crm.staff, crm.colleague]  # sorted, once each
    assert meeting.end is None
    task = crm.reg.activity(crm.staff, crm.reg.add_task(crm.staff, contact=crm.contact, due="2026-03-01",
                                                        subject="Ring"))
    assert task.status == "open"  # the settings' first task status
    today = crm.reg.activity(crm.staff, crm.reg.add_journal_entry(crm.staff, customer=crm.company, text="I dag."))
    assert today.at == crm.clock.now()
    mail = crm.reg.activity(crm.staff, crm.reg.add_email(crm.staff, contact=crm.contact, sender=" a@b.se ",
                                                         recipients=["c@d.se", " e@f.se"]))
    assert (mail.sender, mail.recipients, mail.at, mail.owner) == ("a@b.se", ["c@d.se", "e@f.se"], crm.clock.now(), 0)
    upload = crm.reg.activity(crm.staff, crm.reg.add_file(crm.staff, customer=crm.company, file=PDF))
    assert upload.file is not None
    assert (upload.file.uploaded_by, upload.file.uploaded_at, upload.owner) == (crm.staff, crm.clock.now(), crm.staff)
    assert repr(note) == f"Activity(id={note.id}, kind='note', contact={crm.contact})"


# ---- validation: the field at fault is named, and nothing changes ----------------------------


VALIDATION: List[Tuple[str, Callable[[Crm], object], str]] = [
    ("note without text", lambda s: s.reg.add_note(s.staff, customer=s.company, text="  "), "text"),
    ("note on two records", lambda s: s.reg.add_note(s.staff, customer=s.company, contact=s.contact, text="x"),
     "customer"),
    ("note on no record", lambda s: s.reg.add_note(s.staff, text="x"), "customer"),
    ("note with a subject", lambda s: s.reg.create_activity(
        s.staff, Activity(kind="note", customer=s.company, text="x", subject="y")), "subject"),
    ("note by another author", lambda s: s.reg.create_activity(
        s.staff, Activity(kind="note", customer=s.company, text="x", owner=s.admin)), "owner"),
    ("meeting ending before it starts", lambda s: s.reg.add_meeting(
        s.staff, contact=s.contact, start="2026-02-10T10:00:00Z", end="2026-02-10T09:00:00Z", subject="x"), "end"),
    ("meeting with a stranger", lambda s: s.reg.add_meeting(
        s.staff, contact=s.contact, start="2026-02-10", subject="x", participants=[s.colleague, 999]),
     "participants[1]"),
    ("meeting without a subject", lambda s: s.reg.add_meeting(
        s.staff, contact=s.contact, start="2026-02-10", subject=" "), "subject"),
    ("meeting without a start", lambda s: s.reg.add_meeting(
        s.staff, contact=s.contact, start="1970-01-01T00:00:00Z", subject="x"), "start"),
    ("meeting start that is no time", lambda s: s.reg.add_meeting(
        s.staff, contact=s.contact, start="nästa tisdag", subject="x"), "start"),
    ("meeting owned by nobody", lambda s: s.reg.add_meeting(
        s.staff, contact=s.contact, start="2026-02-10", subject="x", owner=999), "owner"),
    ("task with an unknown status", lambda s: s.reg.add_task(
        s.staff, customer=s.company, due="2026-02-10", subject="x", status="okänd"), "status"),
    ("task due at no time", lambda s: s.reg.add_task(s.staff, customer=s.company, due="snart", subject="x"), "due"),
    ("task with participants", lambda s: s.reg.create_activity(s.staff, Activity(
        kind="task", customer=s.company, at=t("2026-02-10T00:00"), subject="x", participants=[s.staff])),
     "participants"),
    ("e-mail from no address", lambda s: s.reg.add_email(
        s.staff, contact=s.contact, sender="inte en adress", recipients=["a@b.se"]), "sender"),
    ("e-mail to nobody", lambda s: s.reg.add_email(s.staff, contact=s.contact, sender="a@b.se", recipients=[]),
     "recipients"),
    ("e-mail to a bad address", lambda s: s.reg.add_email(
        s.staff, contact=s.contact, sender="a@b.se", recipients=["c@d.se", "@"]), "recipients[1]"),
    ("e-mail with a body too long", lambda s: s.reg.add_email(
        s.staff, contact=s.contact, sender="a@b.se", recipients="c@d.se", body="x" * 20_001), "body"),
    ("e-mail on a customer", lambda s: s.reg.create_activity(s.staff, Activity(
        kind="email", customer=s.company, sender="a@b.se", recipients=["c@d.se"])), "contact"),
    ("e-mail with an owner", lambda s: s.reg.create_activity(s.staff, Activity(
        kind="email", contact=s.contact, sender="a@b.se", recipients=["c@d.se"], owner=s.staff)), "owner"),
    ("journal entry on a contact", lambda s: s.reg.create_activity(
        s.staff, Activity(kind="journal", contact=s.contact, text="x")), "customer"),
    ("journal entry on no day", lambda s: s.reg.add_journal_entry(
        s.staff, customer=s.company, text="x", day="igår"), "day"),
    ("file with a bad digest", lambda s: s.reg.add_file(
        s.staff, customer=s.company, file=FileInfo(name="x.pdf", sha256="abc", media_type="application/pdf")),
     "file.sha256"),
    ("file without a name", lambda s: s.reg.add_file(
        s.staff, customer=s.company, file=FileInfo(name=" ", sha256="b" * 64, media_type="application/pdf")),
     "file.name"),
    ("file without a file", lambda s: s.reg.create_activity(s.staff, Activity(kind="file", customer=s.company)),
     "file"),
    ("reminder on a contact", lambda s: s.reg.create_activity(s.staff, Activity(
        kind="reminder", contact=s.contact, at=t("2026-02-01T09:00"), subject="x")), "customer"),
    ("reminder for a stranger", lambda s: s.reg.add_reminder(
        s.staff, customer=s.company, due="2026-02-01", subject="x", owner=999), "owner"),
    ("reminder already reminded", lambda s: s.reg.create_activity(s.staff, Activity(
        kind="reminder", customer=s.company, at=t("2026-02-01T09:00"), subject="x", reminded=True)), "reminded"),
    ("activity with an id", lambda s: s.reg.create_activity(
        s.staff, Activity(id=7, kind="note", customer=s.company, text="x")), "id"),
    ("reassigning to nobody", lambda s: s.reg.reassign_activities(s.staff, [], 999), "owner"),
    ("linking nobody", lambda s: s.reg.link_employee(s.staff, s.company, 999), "user"),
    ("a search for an unknown kind", lambda s: s.reg.search_activities(s.staff, kinds=["note", "anteckning"]),  # type: ignore[list-item]
     "kinds[1]"),
    ("a search for one unknown kind", lambda s: s.reg.search_activities(s.staff, kinds="anteckning"),  # type: ignore[arg-type]
     "kinds"),
    ("a search on two records", lambda s: s.reg.search_activities(s.staff, customer=s.company, contact=s.contact),
     "contact"),
    ("an empty page", lambda s: s.reg.search_activities(s.staff, limit=0), "limit"),
    ("a search since no time", lambda s: s.reg.search_activities(s.staff, since="i förrgår"), "since"),
]


@pytest.mark.parametrize("call,field", [(c, f) for _, c, f in VALIDATION], ids=[n for n, _, _ in VALIDATION])
def test_validation_errors_name_their_field_and_change_nothing(
        crm: Crm, call: Callable[[Crm], object], field: str) -> None:
    before = crm.reg.write_state()
    with pytest.raises(kartotek.ValidationError) as err:
        call(crm)
    assert err.value.field == field, err.value
    assert crm.reg.write_state() == before


def test_adding_needs_the_right_to_edit_the_record(crm: Crm, reg: Register) -> None:
    with pytest.raises(kartotek.PermissionDenied, match="customers.edit"):
        reg.add_note(crm.viewer, customer=crm.company, text="x")
    with pytest.raises(kartotek.PermissionDenied, match="contacts.edit"):
        reg.add_task(crm.viewer, contact=crm.contact, due="2026-02-01", subject="x")
    blind = reg.create_user(crm.admin, User(login="blind", name="Blind", rights=["customers.edit"]))
    with pytest.raises(kartotek.NotFound):
        reg.add_note(blind, customer=crm.company, text="x")
    before = reg.write_state()
    with pytest.raises(kartotek.NotFound, match="customer 999"):
        reg.add_note(crm.staff, customer=999, text="x")
    assert reg.write_state() == before


def test_customer_users_see_nothing_of_the_crm(crm: Crm, reg: Register) -> None:
    portal = reg.create_customer_user(crm.staff, crm.company, crm.contact, "portal")
    note = reg.add_note(crm.staff, customer=crm.company, text="Intern.")
    mail = reg.add_email(crm.staff, contact=crm.contact, sender="a@b.se", recipients="c@d.se")
    assert not crm.sees(portal, note) and not crm.sees(portal, mail)
    assert crm.ids(portal, customer=crm.company) == [] and reg.history(portal, ("activity", note)) == []
    with pytest.raises(kartotek.PermissionDenied):
        reg.add_note(portal, customer=crm.company, text="x")


# ---- notes -----------------------------------------------------------------------------------------


def test_a_contact_shows_his_notes_and_those_on_his_companies(crm: Crm, reg: Register) -> None:
    own = reg.add_note(crm.staff, contact=crm.contact, text="Föredrar telefon.")
    crm.clock.advance(3600)
    on_company = reg.add_note(crm.staff, customer=crm.company, text="Ny inköpschef.")
    task = reg.add_task(crm.staff, customer=crm.company, due="2026-03-01", subject="Ring")
    other = reg.create_customer(crm.staff, Customer(number="300", name="Annat AB"))
    reg.add_note(crm.staff, customer=other, text="Inte hans.")
    assert crm.ids(crm.staff, contact=crm.contact) == [own, on_company]
    assert crm.ids(crm.staff, contact=crm.contact, company_notes=False) == [own]
    assert crm.ids(crm.staff, customer=crm.company) == [on_company, task]
    reg.unlink_contact(crm.staff, crm.contact, crm.company)
    assert crm.ids(crm.staff, contact=crm.contact) == [own]


def test_notes_on_a_private_customer_are_hidden_from_other_staff(crm: Crm, reg: Register) -> None:
    technician = reg.create_user(crm.admin, User(login="tore", name="Tore Tekniker",
                                                 rights=["customers.view_assigned", "customers.edit_assigned"]))
    note = reg.add_note(crm.colleague, customer=crm.person, text="Nyckel under mattan.")
    company_note = reg.add_note(crm.colleague, customer=crm.company, text="Öppet 7–16.")
    assert crm.sees(crm.colleague, note) and crm.sees(crm.admin, note)  # the author, an administrator
    for other in (crm.staff, crm.viewer, technician):
        assert not crm.sees(other, note)
    with pytest.raises(kartotek.NotFound, match=f"activity {note}"):
        reg.activity(crm.staff, note)
    assert crm.ids(crm.staff, customer=crm.person) == []
    assert reg.history(crm.staff, ("activity", note)) == []
    # The customer's history tells a note came, not what it says.
    on_person = [e for e in reg.history(crm.staff, ("customer", crm.person)) if e.field == "activities"]
    assert [(e.action, e.new_value) for e in on_person] == [("linked", {"id": note, "kind": "note"})]
    with pytest.raises(kartotek.NotFound):
        reg.delete_activity(crm.staff, note)
    reg.assign_technician(crm.admin, crm.person, technician)
    assert crm.sees(technician, note) and crm.ids(technician, customer=crm.person) == [note]
    assert crm.sees(crm.viewer, company_note)  # a company's notes: all who see the company


def test_only_the_author_or_an_administrator_changes_a_note(crm: Crm, reg: Register) -> None:
    note_id = reg.add_note(crm.colleague, customer=crm.company, text="Första.")
    note = reg.activity(crm.staff, note_id)
    note.text = "Ändrad av annan."
    with pytest.raises(kartotek.PermissionDenied, match="author"):
        reg.update_activity(crm.staff, note)
    with pytest.raises(kartotek.PermissionDenied, match="author"):
        reg.delete_activity(crm.staff, note_id)
    note.text = "Ändrad av författaren."
    reg.update_activity(crm.colleague, note)
    assert (reg.activity(crm.staff, note_id).text, reg.activity(crm.staff, note_id).revision) == (
        "Ändrad av författaren.", 2)
    with pytest.raises(kartotek.Conflict):
        reg.update_activity(crm.colleague, note)  # its revision is stale now
    kind_changed = reg.activity(crm.staff, note_id)
    kind_changed.kind = "journal"
    with pytest.raises(kartotek.ValidationError) as err:
        reg.update_activity(crm.admin, kind_changed)
    assert err.value.field == "kind"
    reg.delete_activity(crm.admin, note_id)
    assert reg.find_activity(crm.admin, note_id) is None


# ---- meetings and tasks ------------------------------------------------------------------------------


def test_several_meetings_change_owner_at_once_all_or_none(crm: Crm, reg: Register) -> None:
    m1, m2, m3 = (reg.add_meeting(crm.staff, contact=crm.contact, start=f"2026-02-1{i}T10:00:00Z", subject=s)
                  for i, s in enumerate(["Ett", "Två", "Tre"]))
    note = reg.add_note(crm.staff, contact=crm.contact, text="Ingen ägare.")
    reg.reassign_activities(crm.staff, [m1, m3, m1], crm.colleague)
    assert [reg.activity(crm.staff, m).owner for m in (m1, m2, m3)] == [crm.colleague, crm.staff, crm.colleague]
    assert crm.ids(crm.staff, owner=crm.colleague) == [m1, m3]
    assert crm.ids(crm.staff, owner=crm.colleague, kinds=["meeting"], contact=crm.contact) == [m1, m3]

    before = reg.write_state()
    with pytest.raises(kartotek.ValidationError) as err:
        reg.reassign_activities(crm.staff, [m2, note], crm.colleague)  # m2 could, the note cannot
    assert err.value.field == "activities[1]"
    with pytest.raises(kartotek.PermissionDenied):
        reg.reassign_activities(crm.viewer, [m2], crm.colleague)
    with pytest.raises(kartotek.NotFound):
        reg.reassign_activities(crm.staff, [m2, 999], crm.colleague)
    assert reg.write_state() == before and reg.activity(crm.staff, m2).owner == crm.staff

    owner_changes = [e for e in reg.history(crm.staff, ("activity", m1)) if e.field == "owner"]
    assert [(e.old_value, e.new_value) for e in owner_changes] == [(crm.staff, crm.colleague)]


def test_task_statuses_come_from_the_settings_and_filter_by_several(crm: Crm, reg: Register) -> None:
    settings = reg.settings(crm.admin)
    assert settings.task_statuses == ["open", "in_progress", "waiting", "done"]
    settings.task_statuses = ["ny", "pågår", "väntar", "klar"]
    reg.update_settings(crm.admin, settings)
    t1 = reg.add_task(crm.staff, customer=crm.company, due="2026-02-01", subject="Skicka offert")
    t2 = reg.add_task(crm.staff, customer=crm.company, due="2026-02-02", subject="Boka service", status="pågår")
    t3 = reg.add_task(crm.staff, contact=crm.contact, due="2026-02-03", subject="Fakturera", status="klar",
                      owner=crm.colleague)
    reg.add_meeting(crm.staff, customer=crm.company, start="2026-02-01", subject="Inget status")
    assert reg.activity(crm.staff, t1).status == "ny"
    assert crm.ids(crm.staff, statuses=["ny", "pågår"]) == [t1, t2]
    assert crm.ids(crm.staff, statuses="klar") == [t3]
    assert crm.ids(crm.staff, kinds="task", descending=True) == [t3, t2, t1]
    task = reg.activity(crm.staff, t1)
    task.status = "klar"
    reg.update_activity(crm.staff, task)
    assert crm.ids(crm.staff, statuses=("klar",)) == [t1, t3]

    settings = reg.settings(crm.admin)
    settings.task_statuses = ["ny", "pågår", "väntar"]
    with pytest.raises(kartotek.Conflict, match="'klar' is still used"):
        reg.update_settings(crm.admin, settings)
    settings.task_statuses = ["ny", "pågår", "klar", "ny"]
    with pytest.raises(kartotek.ValidationError) as err:
        reg.update_settings(crm.admin, settings)
    assert err.value.field == "task_statuses[3]"


def test_activities_filter_by_time_and_page(crm: Crm, reg: Register) -> None:
    days = [reg.add_journal_entry(crm.staff, customer=crm.company, text=f"Dag {d}", day=date(2026, 3, d))
            for d in range(1, 6)]
    assert crm.ids(crm.staff, customer=crm.company, since="2026-03-02", until=date(2026, 3, 4)) == days[1:3]
    assert crm.ids(crm.staff, since=t("2026-03-04T00:00")) == days[3:]
    assert crm.ids(crm.staff, until="2026-03-02T00:00:00Z") == days[:1]
    assert crm.ids(crm.staff, customer=crm.company, since="2026-03-03", until="2026-03-03") == []

    page = reg.search_activities(crm.staff, kinds=["journal"], offset=1, limit=2)
    assert (page.total, page.offset, page.next_offset, [a.id for a in page]) == (5, 1, 3, days[1:3])
    seen: List[int] = []
    offset = 0
    while True:
        page = reg.search_activities(crm.staff, customer=crm.company, descending=True, offset=offset, limit=2)
        seen += [a.id for a in page]
        if page.next_offset is None:
            break
        offset = page.next_offset
    assert seen == days[::-1]


# ---- e-mails ------------------------------------------------------------------------------------------------


def test_restricted_emails_are_hidden_from_non_administrators_until_given_back(crm: Crm, reg: Register) -> None:
    mail = reg.add_email(crm.staff, contact=crm.contact, sender="orjan@example.se", recipients="a@b.se",
                         subject="Känsligt")
    note = reg.add_note(crm.staff, contact=crm.contact, text="Inte ett e-brev.")
    with pytest.raises(kartotek.PermissionDenied, match="administrator"):
        reg.restrict_emails(crm.staff, crm.contact)
    crm.clock.set("2026-03-01T12:00:00Z")
    reg.restrict_emails(crm.admin, crm.contact)
    assert reg.contact(crm.staff, crm.contact).emails_restricted
    assert crm.sees(crm.admin, mail)
    assert not crm.sees(crm.staff, mail) and not crm.sees(crm.viewer, mail)
    assert reg.history(crm.staff, ("activity", mail)) == []
    assert crm.sees(crm.staff, note)  # only e-mails are restricted
    assert crm.ids(crm.staff, contact=crm.contact) == [note]
    assert crm.ids(crm.admin, contact=crm.contact) == [mail, note]
    before = reg.write_state()
    with pytest.raises(kartotek.PermissionDenied, match="restricted"):
        reg.add_email(crm.staff, contact=crm.contact, sender="a@b.se", recipients="c@d.se")
    with pytest.raises(kartotek.NotFound):
        reg.delete_activity(crm.staff, mail)
    contact = reg.contact(crm.staff, crm.contact)
    contact.emails_restricted = False
    with pytest.raises(kartotek.ValidationError) as err:
        reg.update_contact(crm.staff, contact)  # only restrict_emails changes it
    assert err.value.field == "emails_restricted"
    assert reg.write_state() == before
    reg.add_email(crm.admin, contact=crm.contact, sender="a@b.se", recipients="c@d.se")

    crm.clock.set("2026-03-02T12:00:00Z")
    reg.restrict_emails(crm.admin, crm.contact, False)
    assert crm.sees(crm.staff, mail) and not reg.contact(crm.staff, crm.contact).emails_restricted
    changes = [e for e in reg.history(crm.staff, ("contact", crm.contact)) if e.field == "emails_restricted"]
    assert [(e.actor, e.at, e.old_value, e.new_value) for e in changes] == [
        (crm.admin, t("2026-03-01T12:00"), False, True),
        (crm.admin, t("2026-03-02T12:00"), True, False),
    ]


# ---- the journal and files --------------------------------------------------------------------------------


def test_a_journal_entry_is_deleted_by_its_author_or_an_administrator(crm: Crm, reg: Register) -> None:
    inspector = reg.create_user(crm.admin, User(login="inga", name="Inga Inspektör", rights=SEE_AND_EDIT))
    mine = reg.add_journal_entry(inspector, customer=crm.company, text="Besiktning.", day="2026-01-20")
    theirs = reg.add_journal_entry(crm.colleague, customer=crm.company, text="Filterbyte.", day="2026-01-21")
    assert reg.activity(crm.staff, mine).owner == inspector
    with pytest.raises(kartotek.PermissionDenied, match="author or an administrator"):
        reg.delete_activity(inspector, theirs)
    with pytest.raises(kartotek.PermissionDenied):
        reg.delete_activity(crm.staff, theirs)  # every right, but not its author
    reg.delete_activity(inspector, mine)
    reg.delete_activity(crm.admin, theirs)
    assert crm.ids(crm.admin, kinds=["journal"]) == []


def test_files_need_the_upload_right_and_the_delete_files_right(crm: Crm, reg: Register) -> None:
    uploader = reg.create_user(crm.admin, User(login="ulla", name="Ulla", rights=["customers.view", "customers.upload"]))
    editor = reg.create_user(crm.admin, User(login="rolf", name="Rolf", rights=["customers.view", "customers.edit"]))
    deleter = reg.create_user(crm.admin, User(login="dag", name="Dag",
                                              rights=["customers.view", "customers.delete_files"]))
    with pytest.raises(kartotek.PermissionDenied, match="customers.upload"):
        reg.add_file(editor, customer=crm.company, file=PDF)
    crm.clock.set("2026-04-01T08:00:00Z")
    upload = reg.add_file(uploader, customer=crm.company, file=FileInfo(
        name=" avtal.pdf ", size=10, sha256="c" * 64, media_type="application/pdf"))
    a = reg.activity(crm.staff, upload)
    assert a.file is not None
    assert (a.file.name, a.file.uploaded_by, a.file.uploaded_at) == ("avtal.pdf", uploader, t("2026-04-01T08:00"))
    a.file = FileInfo(name="annat.pdf", size=10, sha256="c" * 64, media_type="application/pdf")
    with pytest.raises(kartotek.ValidationError) as err:
        reg.update_activity(crm.admin, a)  # a file is removed, never changed
    assert err.value.field == "file"
    for refused in (uploader, editor):
        with pytest.raises(kartotek.PermissionDenied, match="customers.delete_files"):
            reg.delete_activity(refused, upload)
    reg.delete_activity(deleter, upload)
    assert reg.find_activity(crm.admin, upload) is None
    with pytest.raises(kartotek.NotFound):
        reg.add_file(uploader, contact=crm.contact, file=PDF)  # he does not see contacts
    on_contact = reg.create_user(crm.admin, User(login="cup", name="C", rights=["contacts.view", "contacts.upload"]))
    assert reg.activity(crm.admin, reg.add_file(on_contact, contact=crm.contact, file=PDF)).contact == crm.contact


# ---- reminders ------------------------------------------------------------------------------------------------


def test_reminders_are_due_and_raised_as_notifications_once(crm: Crm, reg: Register) -> None:
    reminder = reg.add_reminder(crm.staff, customer=crm.company, due="2026-02-01T09:00:00Z",
                                subject="Ring om avtalet", owner=crm.colleague)
    assert reg.due_reminders(crm.colleague, "2026-01-31") == []
    [due] = reg.due_reminders(crm.colleague, "2026-02-01T09:00:00Z")
    assert due.order == 0 and due.activity is not None and due.activity.id == reminder
    assert reg.due_reminders(crm.staff, "2026-02-02") == []  # not his
    assert len(reg.due_reminders(crm.admin, "2026-02-02")) == 1  # an administrator sees everyone's

    reg.raise_reminders(crm.admin)
    assert reg.notifications(crm.colleague) == []  # not yet due
    crm.clock.set("2026-02-01T09:00:00Z")
    reg.raise_reminders(crm.admin)
    reg.apply(crm.admin, commands.RaiseReminders())
    [sent] = reg.notifications(crm.colleague)
    assert (sent.kind, sent.subject.kind, sent.subject.id) == ("reminder", "activity", reminder)
    assert "Ring om avtalet" in sent.text and reg.activity(crm.staff, reminder).reminded

    moved = reg.activity(crm.staff, reminder)
    moved.at = t("2026-02-03T09:00")
    reg.update_activity(crm.staff, moved)
    assert not reg.activity(crm.staff, reminder).reminded  # moved, it reminds again
    crm.clock.set("2026-02-03T09:00:00Z")
    reg.raise_reminders(crm.admin)
    assert len(reg.notifications(crm.colleague)) == 2
    done = reg.activity(crm.staff, reminder)
    done.done = True
    reg.update_activity(crm.staff, done)
    assert reg.due_reminders(crm.colleague, "2026-02-04") == []


# ---- linked employees -----------------------------------------------------------------------------------------


def test_linked_employees_are_linked_ones_and_those_who_worked_on_orders(crm: Crm, reg: Register) -> None:
    worker = reg.create_user(crm.admin, User(login="arne", name="Arne Arbetare"))
    timer = reg.create_user(crm.admin, User(login="tid", name="Tid Tidsson", rights=["orders.view", "orders.edit"]))
    reg.link_employee(crm.staff, crm.company, crm.colleague)
    with pytest.raises(kartotek.Conflict, match="already linked"):
        reg.link_employee(crm.staff, crm.company, crm.colleague)
    with pytest.raises(kartotek.PermissionDenied):
        reg.link_employee(crm.viewer, crm.company, crm.staff)
    order = reg.create_order(crm.staff, kartotek.Order(kind="work_order", customer=crm.company))
    reg.assign_order(crm.staff, order, [worker])
    reg.add_time_entry(timer, order, 1.5, "Felsökning")
    employees = reg.linked_employees(crm.staff, crm.company)
    assert [(e.user, e.name, e.linked, e.orders) for e in employees] == [
        (crm.colleague, "Karl Kollega", True, 0), (worker, "Arne Arbetare", False, 1), (timer, "Tid Tidsson", False, 1)]
    assert reg.customer(crm.staff, crm.company).employees == [crm.colleague]

    reg.unlink_employee(crm.staff, crm.company, crm.colleague)
    with pytest.raises(kartotek.NotFound, match="not linked"):
        reg.unlink_employee(crm.staff, crm.company, crm.colleague)
    assert [e.user for e in reg.linked_employees(crm.staff, crm.company)] == [worker, timer]
    assert reg.linked_employees(crm.viewer, crm.company) == []  # he does not see the orders
    actions = [e.action for e in reg.history(crm.staff, ("customer", crm.company)) if e.field == "employees"]
    assert actions == ["linked", "unlinked"]
    with pytest.raises(kartotek.NotFound):
        reg.linked_employees(crm.staff, 999)


# ---- history, deletion, persistence -----------------------------------------------------------------------------


def test_the_history_of_an_activity_within_a_time_range(crm: Crm, reg: Register) -> None:
    crm.clock.set("2026-05-01T08:00:00Z")
    task_id = reg.add_task(crm.staff, customer=crm.company, due="2026-06-01", subject="Årlig kontroll")
    crm.clock.set("2026-05-10T08:00:00Z")
    task = reg.activity(crm.staff, task_id)
    task.status = "done"
    reg.update_activity(crm.staff, task)
    crm.clock.set("2026-05-20T08:00:00Z")
    reg.delete_activity(crm.staff, task_id)
    entries = reg.history(crm.admin, ("activity", task_id))
    assert [(e.action, e.field) for e in entries] == [("created", ""), ("changed", "status"), ("deleted", "")]
    assert entries[0].new_value["subject"] == "Årlig kontroll"
    [may] = reg.history(crm.admin, kartotek.RecordRef(kind="activity", id=task_id), since="2026-05-05",
                        until="2026-05-15")
    assert (may.field, may.old_value, may.new_value, may.actor) == ("status", "open", "done", crm.staff)
    on_customer = [e.action for e in reg.history(crm.staff, ("customer", crm.company), since="2026-05-01")
                   if e.field == "activities"]
    assert on_customer == ["linked", "unlinked"]
    assert reg.history(crm.staff, ("activity", task_id)) == []  # deleted: for administrators only


def test_deleting_a_customer_or_contact_removes_its_activities(crm: Crm, reg: Register) -> None:
    other = reg.create_customer(crm.staff, Customer(number="400", name="Tillfällig AB"))
    note = reg.add_note(crm.colleague, customer=other, text="Borttagen med kunden.")
    mail = reg.add_email(crm.staff, contact=crm.contact, sender="a@b.se", recipients="c@d.se")
    assert reg.counts().activities == 2
    reg.delete_customer(crm.staff, other)
    reg.delete_contact(crm.staff, crm.contact)
    assert reg.find_activity(crm.admin, note) is None and reg.find_activity(crm.admin, mail) is None
    assert reg.history(crm.admin, ("activity", note))[-1].action == "deleted"
    assert reg.counts().activities == 0


# A step of a random run: what to do, of which kind, on the customer or the
# contact, by the administrator or a staff user, and a number that picks an
# activity and varies texts and times.
STEPS = st.lists(
    st.tuples(st.sampled_from(["add", "add", "add", "delete", "update", "reassign", "restrict", "raise"]),
              st.sampled_from(sorted(KINDS)), st.booleans(), st.booleans(), st.integers(0, 1000)),
    max_size=25,
)


def add_random(reg: Register, actor: int, kind: str, customer: int, contact: int, on_customer: bool, n: int) -> int:
    """An activity of `kind` on the customer or the contact, where the kind
    allows both (a journal entry and a reminder are on the customer, an
    e-mail on the contact)."""
    on_c, on_p = (customer, None) if on_customer else (None, contact)
    if kind == "note":
        return reg.add_note(actor, customer=on_c, contact=on_p, text=f"Anteckning {n}")
    if kind == "meeting":
        return reg.add_meeting(actor, customer=on_c, contact=on_p, start=t("2026-02-01T08:00") + timedelta(hours=n),
                               subject=f"Möte {n}")
    if kind == "task":
        return reg.add_task(actor, customer=on_c, contact=on_p, due=date(2026, 3, 1) + timedelta(days=n % 30),
                            subject=f"Uppgift {n}")
    if kind == "file":
        return reg.add_file(actor, customer=on_c, contact=on_p, file=FileInfo(
            name=f"f{n}.pdf", size=n, sha256="a" * 64, media_type="application/pdf"))
    if kind == "email":
        return reg.add_email(actor, contact=contact, sender="ek@example.se", recipients=["s@example.se"],
                             subject=f"Brev {n}")
    if kind == "journal":
        return reg.add_journal_entry(actor, customer=customer, text=f"Dag {n}", day=date(2026, 1, 1 + n % 28))
    return reg.add_reminder(actor, customer=customer, due=t("2026-01-05T08:00") + timedelta(minutes=n),
                            subject=f"Påminn {n}")


@given(steps=STEPS)
def test_random_activities_survive_reopening_and_export(steps: List[Tuple[str, str, bool, bool, int]]) -> None:
    """Random creations, changes and deletions, by an administrator or a
    staff user (some refused, which must change nothing), replay from the
    journal and come back from export_json/import_json as the same state."""
    clock = kartotek.ManualClock("2026-01-05T08:00:00Z")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "register"
        reg = Register.open(path, clock=clock, durability="none")
        admin = reg.create_first_administrator("admin", "Ada")
        staff = reg.create_user(admin, User(login="tekla", name="Tekla", rights=every_right()))
        customer = reg.create_customer(admin, Customer(number="1", name="Kund AB"))
        contact = reg.create_contact(admin, Contact(last_name="Ek", email="ek@example.se"))
        reg.link_contact(admin, contact, customer)
        alive: List[int] = []
        for action, kind, on_customer, by_admin, n in steps:
            clock.advance(60)
            actor = admin if by_admin else staff
            before = reg.write_state()
            try:
                if action == "add":
                    alive.append(add_random(reg, actor, kind, customer, contact, on_customer, n))
                elif action == "restrict":
                    reg.restrict_emails(actor, contact, on_customer)
                elif action == "raise":
                    reg.raise_reminders(actor)
                elif alive:
                    chosen = alive[n % len(alive)]
                    if action == "delete":
                        reg.delete_activity(actor, chosen)
                        alive.remove(chosen)
                    elif action == "reassign":
                        reg.reassign_activities(actor, [chosen], staff if by_admin else admin)
                    else:
                        a = reg.activity(actor, chosen)
                        if a.subject:
                            a.subject = f"Ämne {n}"
                        else:
                            a.text = f"Text {n}"  # refused for a file, which is never changed
                        reg.update_activity(actor, a)
            except kartotek.Error:
                assert reg.write_state() == before
        assert reg.counts().activities == len(alive)
        assert sorted(a.id for a in reg.search_activities(admin, limit=1000)) == sorted(alive)
        state = reg.write_state()
        reg.close()
        with Register.open(path, create=False, clock=clock) as again:
            assert again.open_report.replayed > 0
            assert again.write_state() == state
        assert Register.import_json(reg.export_json(admin)).write_state() == state


def test_counts_include_activities(crm: Crm, reg: Register) -> None:
    assert reg.counts().activities == 0
    reg.add_note(crm.staff, customer=crm.company, text="En.")
    counts = reg.counts()
    assert counts.activities == 1 and counts.to_dict()["activities"] == 1
    assert "activities=1" in repr(counts) and "activities=1" in repr(reg)

