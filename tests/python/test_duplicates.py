"""Duplicates from Python (docs/duplicates.md): pairs of customers and
contacts that look like one record entered twice, the candidates of a record
not yet saved, and merges that move every reference and lose nothing — or,
refused, change nothing."""

from __future__ import annotations

from typing import Any, Callable, List, Tuple

import pytest

import kartotek
from kartotek import Address, Contact, Customer, DuplicatePair, Facility, Order, Register, User, commands


def pairs(found: List[DuplicatePair]) -> List[Tuple[int, int]]:
    return [(p.first, p.second) for p in found]


def test_nordic_company_forms_accents_and_typos_make_a_pair(reg: Register, staff: int) -> None:
    a = reg.create_customer(staff, Customer(number="1", name="Söderström & Co AB", phone="08-123 45 67"))
    b = reg.create_customer(staff, Customer(number="2", name="Soderstrom och Co", phone="+46 8 123 45 67"))
    typo = reg.create_customer(staff, Customer(number="3", name="Kyl & Värme Nordic AB"))
    other = reg.create_customer(staff, Customer(number="4", name="Kyl & Värme Nordc Oy"))
    reg.create_customer(staff, Customer(number="5", name="Ängsbackens Bostadsrättsförening"))

    found = reg.find_duplicates(staff)
    assert all(isinstance(p, DuplicatePair) and p.kind == "customer" for p in found)
    by_pair = {(p.first, p.second): p for p in found}
    assert set(by_pair) == {(a, b), (typo, other)}
    assert by_pair[(a, b)].reasons == ["same name", "phone"]
    assert by_pair[(a, b)].score == 85
    assert by_pair[(typo, other)].reasons == ["similar name"]
    assert 48 <= by_pair[(typo, other)].score < 60
    # The best first; a higher minimum and a limit narrow the list.
    assert pairs(found) == [(a, b), (typo, other)]
    assert pairs(reg.find_duplicates(staff, min_score=80)) == [(a, b)]
    assert pairs(reg.find_duplicates(staff, "customer", limit=1)) == [(a, b)]


def test_deactivated_customers_are_compared_and_contacts_have_pairs_of_their_own(
    reg: Register, staff: int
) -> None:
    old = reg.create_customer(staff, Customer(number="1", name="Bergqvist Fastigheter AB", organisation_number="556677-8899"))
    reg.deactivate_customer(staff, old)
    new = reg.create_customer(staff, Customer(number="2", name="Fastighets AB Bergkvist", organisation_number="5566778899"))
    [pair] = reg.find_duplicates(staff, "customer")
    assert (pair.first, pair.second) == (old, new) and "organisation number" in pair.reasons

    c1 = reg.create_contact(staff, Contact(first_name="Åsa", last_name="Lindén", email="asa.linden@berg.se"))
    c2 = reg.create_contact(staff, Contact(first_name="Asa", last_name="Linden", email="ASA.LINDEN@berg.se"))
    reg.create_contact(staff, Contact(first_name="Per", last_name="Holm"))
    [contact_pair] = reg.find_duplicates(staff, "contact")
    assert contact_pair.kind == "contact"
    assert (contact_pair.first, contact_pair.second) == (c1, c2)
    assert contact_pair.reasons == ["same name", "email"] and contact_pair.score == 95


def test_a_record_not_yet_saved_gets_its_candidates_and_nothing_is_saved(reg: Register, staff: int) -> None:
    existing = reg.create_customer(staff, Customer(number="1", name="Nordic Kyl ApS", email="info@nordickyl.dk"))
    reg.create_customer(staff, Customer(number="2", name="Helt Annat AS"))
    before = reg.write_state()

    [hit] = reg.similar_customers(staff, Customer(name="Nordic Kyl A/S", email="Info@NordicKyl.dk"))
    assert (hit.first, hit.second) == (0, existing)
    assert hit.reasons == ["same name", "email"]
    assert reg.similar_customers(staff, Customer(name="Nordic Kyl A/S"), min_score=100) == []
    assert reg.similar_customers(staff, Customer(name="Ingen Likhet Alls")) == []

    person = reg.create_contact(staff, Contact(first_name="Jørgen", last_name="Østergaard", phone="+45 12 34 56 78"))
    [cand] = reg.similar_contacts(staff, Contact(first_name="Jorgen", last_name="Ostergaard", phone="12345678"))
    assert (cand.first, cand.second) == (0, person) and cand.reasons[0] == "same name"
    reg_state = reg.write_state()
    assert reg_state != before  # the contact above was saved …
    reg.similar_contacts(staff, Contact(first_name="Ny", last_name="Person"))
    assert reg.write_state() == reg_state  # … the candidates never are


def test_only_records_the_actor_sees_are_compared(reg: Register, admin: int, staff: int) -> None:
    tina = reg.create_user(admin, User(login="tina", name="Tina", rights=["customers.view_assigned"]))
    mine = reg.create_customer(staff, Customer(number="1", name="Mälarvärme AB"))
    hidden = reg.create_customer(staff, Customer(number="2", name="Malarvarme AB"))
    reg.assign_technician(staff, mine, tina)
    assert reg.find_duplicates(tina) == []
    assert pairs(reg.similar_customers(tina, Customer(name="Mälarvärme"))) == [(0, mine)]
    assert pairs(reg.find_duplicates(staff)) == [(mine, hidden)]


def test_merging_customers_moves_every_reference_and_the_old_number_still_finds_the_kept(
    reg: Register, staff: int
) -> None:
    keep = reg.create_customer(staff, Customer(number="100", name="Söderström & Co AB", email=""))
    remove = reg.create_customer(staff, Customer(
        number="200", name="Soderstrom och Co", email="order@soderstrom.se", phone="08-55 44 33",
        invoice_address=Address(street="Storgatan 1", postal_code="111 22", city="Stockholm")))
    person = reg.create_contact(staff, Contact(first_name="Kerstin", last_name="Öberg"))
    reg.link_contact(staff, person, remove, role="Beställare")
    site = reg.create_facility(staff, Facility(customer=remove, name="Huvudkontoret"))
    order = reg.create_order(staff, Order(kind="service_order", customer=remove, facility=site, subject="Service"))
    note = reg.add_note(staff, customer=remove, text="Ring före besök.")

    reg.merge_customers(staff, keep, remove, take=["email", "invoice_address"])

    kept = reg.customer(staff, keep)
    assert kept.name == "Söderström & Co AB"  # not taken: the kept value stays
    assert kept.email == "order@soderstrom.se" and kept.invoice_address.city == "Stockholm"
    assert kept.phone == ""  # not named in take
    assert reg.find_customer(staff, remove) is None
    found = reg.find_customer_by_number(staff, "200")
    assert found is not None and found.id == keep
    assert reg.facility(staff, site).customer == keep
    assert reg.order(staff, order).customer == keep
    assert reg.activity(staff, note).customer == keep
    assert [link.customer for link in reg.links_of(staff, person)] == [keep]
    merged = [e for e in reg.history(staff, ("customer", keep)) if e.source == "merge" and e.field == "merged"]
    assert len(merged) == 1 and merged[0].action == "linked" and "200" in str(merged[0].new_value)
    moved = {(e.record.kind, e.record.id) for e in reg.history(staff) if e.source == "merge"}
    assert {("facility", site), ("order", order), ("activity", note), ("contact", person)} <= moved
    [gone] = [e for e in reg.history(staff, ("customer", remove)) if e.field == "merged_into"]
    assert gone.action == "deleted" and gone.source == "merge" and str(keep) in str(gone.new_value)
    # The number is never given to another customer.
    with pytest.raises(kartotek.Conflict):
        reg.create_customer(staff, Customer(number="200", name="Ny kund"))


def test_merging_contacts_moves_links_and_takes_named_fields(reg: Register, staff: int) -> None:
    firm = reg.create_customer(staff, Customer(number="1", name="Berg AB"))
    keep = reg.create_contact(staff, Contact(first_name="Åsa", last_name="Lindén"))
    remove = reg.create_contact(staff, Contact(first_name="Asa", last_name="Linden", email="asa@berg.se",
                                               mobile="070-111 22 33"))
    reg.link_contact(staff, remove, firm, role="Fakturamottagare")
    reg.merge_contacts(staff, keep, remove, take=["email"])
    kept = reg.contact(staff, keep)
    assert kept.email == "asa@berg.se" and kept.mobile == ""
    assert reg.find_contact(staff, remove) is None
    [link] = reg.links_of(staff, keep)
    assert (link.customer, link.role) == (firm, "Fakturamottagare")


def test_the_merge_commands_apply_like_any_other(reg: Register, staff: int) -> None:
    keep = reg.create_customer(staff, Customer(number="1", name="Ett AB"))
    remove = reg.create_customer(staff, Customer(number="2", name="Ett Aktiebolag", phone="031-10 20 30"))
    reg.apply(staff, commands.MergeCustomers(keep=keep, remove=remove, take=["phone"]))
    assert reg.customer(staff, keep).phone == "031-10 20 30"
    a = reg.create_contact(staff, Contact(first_name="Ola", last_name="Nordmann"))
    b = reg.create_contact(staff, Contact(first_name="Ola", last_name="Nordman"))
    reg.apply(staff, commands.MergeContacts(keep=a, remove=b))
    assert reg.find_contact(staff, b) is None


Refusal = Tuple[str, Callable[[Register, int, int, int, int], Any], type, str]

REFUSED: List[Refusal] = [
    ("unknown kept customer", lambda r, s, k, x, o: r.merge_customers(s, 999, x), kartotek.NotFound, ""),
    ("a customer merged into itself", lambda r, s, k, x, o: r.merge_customers(s, k, k), kartotek.ValidationError,
     "remove"),
    ("a field that does not exist", lambda r, s, k, x, o: r.merge_customers(s, k, x, take=["colour"]),
     kartotek.ValidationError, "take[0]"),
    ("a field the register keeps", lambda r, s, k, x, o: r.merge_customers(s, k, x, take=["email", "id"]),
     kartotek.ValidationError, "take[1]"),
    ("take as one text", lambda r, s, k, x, o: r.merge_customers(s, k, x, take="email"), kartotek.ValidationError,
     "take"),
    ("an undefined custom field", lambda r, s, k, x, o: r.merge_customers(s, k, x, take=["custom.region"]),
     kartotek.ValidationError, "take[0]"),
    ("a user without the delete right", lambda r, s, k, x, o: r.merge_customers(o, k, x),
     kartotek.PermissionDenied, ""),
    ("contacts without a contact", lambda r, s, k, x, o: r.merge_contacts(s, 998, 999), kartotek.NotFound, ""),
    ("an unknown kind", lambda r, s, k, x, o: r.find_duplicates(s, "facility"), kartotek.ValidationError, "kind"),
    ("a score out of range", lambda r, s, k, x, o: r.find_duplicates(s, min_score=101), kartotek.ValidationError,
     "min_score"),
]


@pytest.mark.parametrize("label, call, error, field", REFUSED, ids=[r[0] for r in REFUSED])
def test_a_refused_merge_or_search_changes_nothing(
    reg: Register, admin: int, staff: int, label: str, call: Callable[..., Any], error: type, field: str
) -> None:
    keep = reg.create_customer(staff, Customer(number="1", name="Värme AB"))
    remove = reg.create_customer(staff, Customer(number="2", name="Varme AB", email="info@varme.se"))
    site = reg.create_facility(staff, Facility(customer=remove, name="Pannrum"))
    editor = reg.create_user(admin, User(login="eddie", name="Eddie",
                                         rights=["customers.view", "customers.edit", "facilities.view"]))
    before = reg.write_state()
    with pytest.raises(error) as caught:
        call(reg, staff, keep, remove, editor)
    if field:
        assert caught.value.field == field  # type: ignore[attr-defined]
    assert reg.write_state() == before
    assert reg.facility(staff, site).customer == remove
    assert reg.find_customer_by_number(staff, "2") is not None
