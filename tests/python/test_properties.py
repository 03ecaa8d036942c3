"""Property tests: random sequences of commands keep every invariant.

A hypothesis state machine applies random commands (many of them refused) and
after every step checks that
  - a refused command left the register byte-for-byte as it was;
  - customer numbers are unique, compared trimmed and case-folded, and every
    customer is found by its number in any case;
  - every index agrees with a full scan done here in Python: search by text
    (name, contact names, e-mail; prefix and substring; in the Swedish locale,
    where "ö" is a letter of its own, and the Spanish one, where it is an "o"), by technician, contacts by last name, contacts_of /
    links_of, facilities_of, service_objects_of, history per record;
  - counts() agree with the records there are;
  - each record's history replays to the record as it is now (or, for a
    deleted record, to the record its deletion entry holds).
The register lives on disk (durability "none"); at the end of each run it is
closed and reopened (journal replay), compacted and reopened (snapshot), and
exported to JSON and imported, and each time the state is the same bytes.
"""

from __future__ import annotations

import tempfile
import unicodedata
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Set, Tuple, TypeVar

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

import kartotek
from kartotek import Contact, Customer, Facility, Register, ServiceObject

# Small alphabets make collisions (numbers differing only in case or spaces,
# names sharing prefixes) frequent. Only precomposed letters, so Python's
# casefold() and ICU's case folding + NFC agree; no v/w, which older Swedish
# collation treats as one letter.
NAME_CHARS = "abdeklnorsåäöABÅÄÖ -"
NUMBERS = st.text("aAbB1 ", min_size=0, max_size=3)
NAMES = st.text(NAME_CHARS, min_size=0, max_size=8)
QUERIES = st.text(NAME_CHARS, min_size=0, max_size=3)
EMAILS = st.sampled_from(["", "a@b.se", "åsa@kyl.se", "ÖRJAN@Berg.se", "inte en adress"])
PICK = st.integers(min_value=0, max_value=10_000)

T = TypeVar("T")


def fold(text: str, locale: str) -> str:
    """TextRules::fold for the letters above: case-folded; accents are folded
    away only where the locale's collation treats them as the same letter."""
    folded = text.casefold()
    if locale not in ("sv", "da"):
        folded = "".join(ch for ch in unicodedata.normalize("NFD", folded) if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", folded)


def pick(ids: Iterable[T], i: int) -> T:
    ordered = sorted(ids)  # type: ignore[type-var]
    return ordered[i % len(ordered)]


def replay(entries: List[kartotek.HistoryEntry], start: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """The record a history describes: the created value (or `start`) with every
    changed field applied; checks each change's old value on the way."""
    if start is None:
        assert entries[0].action == "created", entries[0]
        state: Dict[str, Any] = entries[0].new_value
        entries = entries[1:]
    else:
        state = start
    for e in entries:
        if e.action != "changed" or e.field.split(".")[0] not in state:
            continue  # a linked collection ("contacts", "facilities" …), not a field
        *path, last = e.field.split(".")
        target = state
        for part in path:
            target = target[part]
        assert target[last] == e.old_value, e
        target[last] = e.new_value
    return state


class RegisterMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.clock = kartotek.ManualClock("2026-01-05T08:00:00Z")
        self.tmp = tempfile.TemporaryDirectory(prefix="kartotek-machine-")
        self.path = Path(self.tmp.name) / "register"
        self.reg = Register.open(self.path, durability="none", clock=self.clock)
        self.admin = self.reg.create_first_administrator("admin", "Ada Admin")
        self.staff = self.reg.create_user(
            self.admin, kartotek.User(login="tekla", name="Tekla Tekniker", rights=kartotek.every_right())
        )
        self.customers: Set[int] = set()
        self.contacts: Set[int] = set()
        self.facilities: Set[int] = set()
        self.service_objects: Set[int] = set()
        self.links: Set[Tuple[int, int]] = set()  # (contact, customer)
        self.deleted: List[Tuple[kartotek.RecordKind, int]] = []
        self.locale = "sv"
        self.refused = 0

    # ---- applying commands ------------------------------------------------------

    def attempt(self, command: Callable[[], T]) -> Optional[T]:
        """Runs a command; if the register refuses it, checks that nothing changed."""
        before = self.reg.write_state()
        try:
            return command()
        except kartotek.Error:
            self.refused += 1
            assert self.reg.write_state() == before
            return None

    def actor(self, use_admin: bool) -> int:
        return self.admin if use_admin else self.staff

    # ---- rules ----------------------------------------------------------------

    @initialize(names=st.lists(NAMES, min_size=3, max_size=6), contacts=st.lists(NAMES, min_size=2, max_size=4),
                locale=st.sampled_from(["sv", "es"]))
    def seed(self, names: List[str], contacts: List[str], locale: str) -> None:
        """A few records to start from, so that short runs reach deep states."""
        for i, name in enumerate(names):
            self.create_customer(f"S{i}", name or "Grund AB", ["a@b.se", "åsa@kyl.se", ""][i % 3], i % 2 == 1)
        for i, last in enumerate(contacts):
            self.create_contact(["Åsa", "Örjan", ""][i % 3], last, "ÖRJAN@Berg.se" if i % 2 else "")
        for i, (kid, cid) in enumerate(zip(sorted(self.contacts), sorted(self.customers))):
            self.link_contact(i, i, "", False)
        self.change_locale(locale, True)

    @rule(number=NUMBERS, name=NAMES, email=EMAILS, private=st.booleans())
    def create_customer(self, number: str, name: str, email: str, private: bool) -> None:
        c = Customer(number=number, name=name, email=email, kind="private" if private else "company")
        cid = self.attempt(lambda: self.reg.create_customer(self.staff, c))
        if cid is not None:
            self.customers.add(cid)

    @precondition(lambda self: self.customers)
    @rule(i=PICK, number=NUMBERS, name=NAMES, email=EMAILS, category=st.sampled_from(["", "Villa", "VILLA"]),
          use_admin=st.booleans())
    def update_customer(self, i: int, number: str, name: str, email: str, category: str, use_admin: bool) -> None:
        c = self.reg.customer(self.staff, pick(self.customers, i))
        c.number, c.name, c.email, c.category = number, name, email, category
        self.attempt(lambda: self.reg.update_customer(self.actor(use_admin), c))

    @precondition(lambda self: self.customers)
    @rule(i=PICK, active=st.booleans())
    def set_active(self, i: int, active: bool) -> None:
        cid = pick(self.customers, i)
        if active:
            self.attempt(lambda: self.reg.reactivate_customer(self.staff, cid))
        else:
            self.attempt(lambda: self.reg.deactivate_customer(self.staff, cid))

    @precondition(lambda self: self.customers)
    @rule(i=PICK, technician=st.sampled_from(["admin", "staff", None]))
    def assign_technician(self, i: int, technician: Optional[str]) -> None:
        tech = {"admin": self.admin, "staff": self.staff, None: None}[technician]
        self.attempt(lambda: self.reg.assign_technician(self.staff, pick(self.customers, i), tech))

    @precondition(lambda self: self.customers)
    @rule(i=PICK)
    def delete_customer(self, i: int) -> None:
        cid = pick(self.customers, i)
        if self.attempt(lambda: self.reg.delete_customer(self.staff, cid) or True):
            self.customers.discard(cid)
            self.deleted.append(("customer", cid))

    @rule(first=NAMES, last=NAMES, email=EMAILS)
    def create_contact(self, first: str, last: str, email: str) -> None:
        kid = self.attempt(lambda: self.reg.create_contact(self.staff, Contact(first_name=first, last_name=last, email=email)))
        if kid is not None:
            self.contacts.add(kid)

    @precondition(lambda self: self.contacts)
    @rule(i=PICK, last=NAMES, active=st.booleans())
    def update_contact(self, i: int, last: str, active: bool) -> None:
        k = self.reg.contact(self.staff, pick(self.contacts, i))
        k.last_name, k.active = last, active
        self.attempt(lambda: self.reg.update_contact(self.staff, k))

    @precondition(lambda self: self.contacts)
    @rule(i=PICK)
    def delete_contact(self, i: int) -> None:
        kid = pick(self.contacts, i)
        if self.attempt(lambda: self.reg.delete_contact(self.staff, kid) or True):
            self.contacts.discard(kid)
            self.links = {(k, c) for (k, c) in self.links if k != kid}
            self.deleted.append(("contact", kid))

    @precondition(lambda self: self.contacts and self.customers)
    @rule(i=PICK, j=PICK, role=st.sampled_from(["", "VD", "Drift"]), flag=st.booleans())
    def link_contact(self, i: int, j: int, role: str, flag: bool) -> None:
        kid, cid = pick(self.contacts, i), pick(self.customers, j)
        if self.attempt(lambda: self.reg.link_contact(self.staff, kid, cid, role=role, send_work_orders=flag) or True):
            self.links.add((kid, cid))

    @precondition(lambda self: self.links)
    @rule(i=PICK, role=st.sampled_from(["", "Ekonomi"]), flag=st.booleans())
    def update_contact_link(self, i: int, role: str, flag: bool) -> None:
        kid, cid = pick(self.links, i)
        link = kartotek.ContactLink(contact=kid, customer=cid, role=role, send_service_protocol=flag)
        self.attempt(lambda: self.reg.update_contact_link(self.staff, link))

    @precondition(lambda self: self.links)
    @rule(i=PICK)
    def unlink_contact(self, i: int) -> None:
        kid, cid = pick(self.links, i)
        if self.attempt(lambda: self.reg.unlink_contact(self.staff, kid, cid) or True):
            self.links.discard((kid, cid))

    @precondition(lambda self: self.customers)
    @rule(i=PICK, name=NAMES)
    def create_facility(self, i: int, name: str) -> None:
        f = Facility(customer=pick(self.customers, i), name=name)
        fid = self.attempt(lambda: self.reg.create_facility(self.staff, f))
        if fid is not None:
            self.facilities.add(fid)

    @precondition(lambda self: self.facilities and self.customers)
    @rule(i=PICK, j=PICK, name=NAMES)
    def update_facility(self, i: int, j: int, name: str) -> None:
        f = self.reg.facility(self.staff, pick(self.facilities, i))
        f.customer, f.name = pick(self.customers, j), name
        self.attempt(lambda: self.reg.update_facility(self.staff, f))

    @precondition(lambda self: self.facilities)
    @rule(i=PICK)
    def delete_facility(self, i: int) -> None:
        fid = pick(self.facilities, i)
        if self.attempt(lambda: self.reg.delete_facility(self.staff, fid) or True):
            self.facilities.discard(fid)
            self.deleted.append(("facility", fid))

    @precondition(lambda self: self.facilities)
    @rule(i=PICK, identifier=st.sampled_from(["", "SN-1", "SN-2"]))
    def create_service_object(self, i: int, identifier: str) -> None:
        s = ServiceObject(facility=pick(self.facilities, i), identifier=identifier)
        sid = self.attempt(lambda: self.reg.create_service_object(self.staff, s))
        if sid is not None:
            self.service_objects.add(sid)

    @precondition(lambda self: self.service_objects and self.facilities)
    @rule(i=PICK, j=PICK, type=st.sampled_from(["", "Hiss", "Värmepump"]))
    def update_service_object(self, i: int, j: int, type: str) -> None:
        s = self.reg.service_object(self.staff, pick(self.service_objects, i))
        s.facility, s.type = pick(self.facilities, j), type
        self.attempt(lambda: self.reg.update_service_object(self.staff, s))

    @precondition(lambda self: self.service_objects)
    @rule(i=PICK)
    def delete_service_object(self, i: int) -> None:
        sid = pick(self.service_objects, i)
        if self.attempt(lambda: self.reg.delete_service_object(self.staff, sid) or True):
            self.service_objects.discard(sid)
            self.deleted.append(("service_object", sid))

    @rule(locale=st.sampled_from(["sv", "es"]), use_admin=st.booleans())
    def change_locale(self, locale: str, use_admin: bool) -> None:
        s = self.reg.settings(self.admin)
        s.locale = locale
        if self.attempt(lambda: self.reg.update_settings(self.actor(use_admin), s) or True):
            self.locale = locale

    @rule(minutes=st.integers(min_value=0, max_value=600))
    def advance_clock(self, minutes: int) -> None:
        self.clock.advance(timedelta(minutes=minutes))

    # ---- saving and loading --------------------------------------------------------

    def teardown(self) -> None:
        """Saving and loading keep the state exactly, by every path."""
        try:
            state = self.reg.write_state()
            document = self.reg.export_json(self.admin)
            self.reg.close()
            with Register.open(self.path, create=False, clock=self.clock) as again:
                assert again.write_state() == state, "journal replay"
                again.compact()
            with Register.open(self.path, create=False, clock=self.clock) as again:
                assert again.open_report.replayed == 0
                assert again.write_state() == state, "snapshot"
            copy = Register.import_json(document, clock=self.clock)
            assert copy.write_state() == state, "JSON import"
            assert copy.export_json(self.admin) == document
        finally:
            self.reg.close()
            self.tmp.cleanup()

    # ---- invariants --------------------------------------------------------------

    def all_customers(self) -> List[Customer]:
        return [self.reg.customer(self.admin, cid) for cid in sorted(self.customers)]

    def all_contacts(self) -> List[Contact]:
        return [self.reg.contact(self.admin, kid) for kid in sorted(self.contacts)]

    @invariant()
    def numbers_are_unique_and_found_in_any_case(self) -> None:
        customers = self.all_customers()
        keys = [c.number.strip().casefold() for c in customers]
        assert len(keys) == len(set(keys))
        for c in customers:
            assert c.number == c.number.strip() and c.number
            for variant in (c.number, c.number.upper(), c.number.lower(), f"  {c.number} "):
                found = self.reg.find_customer_by_number(self.admin, variant)
                assert found is not None and found.id == c.id

    @invariant()
    def search_agrees_with_a_full_scan(self) -> None:
        customers = self.all_customers()
        contacts = {k.id: k for k in self.all_contacts()}
        every = {c.id for c in customers}
        big = 100_000
        by_name = self.reg.search_customers(self.admin, limit=big)  # walks the name index
        by_number = self.reg.search_customers(self.admin, sort="number", limit=big)  # scans and sorts
        assert by_name.total == len(by_name) == len(every)
        assert {c.id for c in by_name} == {c.id for c in by_number} == every
        assert [c.id for c in self.reg.search_customers(self.admin, sort="name", offset=1, limit=big)] == [
            c.id for c in by_name
        ][1:]

        loc = self.locale
        for query in ("", "a", "ab", "å", "Ö", "berg", "e a", "ä-"):
            needle = fold(query.strip(), loc)
            for match in ("prefix", "substring"):

                def hit(text: str) -> bool:
                    folded = fold(text, loc)
                    return folded.startswith(needle) if match == "prefix" else needle in folded

                for where in (("name",), ("contact_name",), ("email",), ("name", "contact_name", "email")):
                    if not needle:
                        expected = set(every)
                    else:
                        expected = {c.id for c in customers if ("name" in where and hit(c.name))
                                    or ("email" in where and hit(c.email))}
                        for kid, cid in self.links:
                            k = contacts[kid]
                            if ("contact_name" in where and (hit(k.first_name) or hit(k.last_name)
                                                             or hit(f"{k.first_name} {k.last_name}"))) or (
                                "email" in where and hit(k.email)
                            ):
                                expected.add(cid)
                    page = self.reg.search_customers(self.admin, query, match=match,  # type: ignore[arg-type]
                                                     search_in=where, limit=big)  # type: ignore[arg-type]
                    assert {c.id for c in page} == expected, (query, match, where)
                    assert page.total == len(expected)

                got = {k.id for k in self.reg.search_contacts(self.admin, query, match=match, limit=big)}  # type: ignore[arg-type]
                assert got == {k.id for k in contacts.values() if not needle or hit(k.last_name)}, (query, match)

        for tech in (self.admin, self.staff):
            got_ids = [c.id for c in self.reg.search_customers(self.admin, technician=tech, limit=big)]
            assert set(got_ids) == {c.id for c in customers if c.assigned_technician == tech}
        unassigned = self.reg.search_customers(self.admin, unassigned_only=True, limit=big)
        assert {c.id for c in unassigned} == {c.id for c in customers if c.assigned_technician is None}
        for active in (True, False):
            got_ids = [c.id for c in self.reg.search_customers(self.admin, active=active, limit=big)]
            assert set(got_ids) == {c.id for c in customers if c.active == active}
        villas = self.reg.search_customers(self.admin, category="villa", limit=big)
        assert {c.id for c in villas} == {c.id for c in customers if fold(c.category, loc) == "villa"}

    @invariant()
    def links_and_children_agree_with_a_full_scan(self) -> None:
        for cid in self.customers:
            linked = self.reg.contacts_of(self.admin, cid)
            assert {lc.contact.id for lc in linked} == {k for (k, c) in self.links if c == cid}
            assert all(lc.link.customer == cid and lc.link.contact == lc.contact.id for lc in linked)
            facilities = self.reg.facilities_of(self.admin, cid)
            assert [f.id for f in facilities] == sorted(
                f for f in self.facilities if self.reg.facility(self.admin, f).customer == cid
            )
        for kid in self.contacts:
            assert [link.customer for link in self.reg.links_of(self.admin, kid)] == sorted(
                c for (k, c) in self.links if k == kid
            )
        for fid in self.facilities:
            assert [s.id for s in self.reg.service_objects_of(self.admin, fid)] == sorted(
                s for s in self.service_objects if self.reg.service_object(self.admin, s).facility == fid
            )

    @invariant()
    def counts_agree(self) -> None:
        counts = self.reg.counts()
        assert (counts.customers, counts.contacts, counts.facilities, counts.service_objects, counts.users) == (
            len(self.customers), len(self.contacts), len(self.facilities), len(self.service_objects), 2,
        )
        assert counts.history_entries == len(self.reg.history(self.admin))

    @invariant()
    def history_replays_to_the_current_state(self) -> None:
        everything = self.reg.history(self.admin)
        sequences = [e.sequence for e in everything]
        assert sequences == sorted(sequences) and len(set(sequences)) == len(sequences)
        live: List[Tuple[kartotek.RecordKind, int, Callable[[int, int], Any]]] = []
        live += [("customer", i, self.reg.customer) for i in self.customers]
        live += [("contact", i, self.reg.contact) for i in self.contacts]
        live += [("facility", i, self.reg.facility) for i in self.facilities]
        live += [("service_object", i, self.reg.service_object) for i in self.service_objects]
        live += [("user", i, self.reg.user) for i in (self.admin, self.staff)]
        for kind, rid, read in live:
            entries = self.reg.history(self.admin, (kind, rid))
            assert entries == [e for e in everything if e.record == kartotek.RecordRef(kind=kind, id=rid)]
            current = read(self.admin, rid)
            replayed = type(current).from_dict(replay(entries))
            replayed.revision = current.revision  # counted, not recorded
            assert replayed == current, (kind, rid)
        for kind, rid in self.deleted:
            entries = self.reg.history(self.admin, (kind, rid))
            assert entries[-1].action == "deleted"
            state = replay(entries[:-1])
            state["revision"] = entries[-1].old_value["revision"]
            assert state == entries[-1].old_value, (kind, rid)
        settings_now = self.reg.settings(self.admin)
        replayed_settings = replay(self.reg.history(self.admin, ("settings", 1)), kartotek.Settings().to_dict())
        assert kartotek.Settings.from_dict(replayed_settings) == settings_now


# Examples per run come from the hypothesis profile (tests/python/conftest.py).
RegisterMachine.TestCase.settings = settings(stateful_step_count=40)
TestRegisterMachine = RegisterMachine.TestCase
