"""Customer and contact search: matching, filters, sorting (Nordic
collation), paging, and the Page result."""

from __future__ import annotations

from typing import List

import pytest

import kartotek
from kartotek import Contact, Customer, Register


def names(page: kartotek.Page[Customer]) -> List[str]:
    return [c.name for c in page]


@pytest.fixture
def nordic(reg: Register, staff: int) -> Register:
    for number, name, city in [
        ("K10", "Östlund Fastigheter AB", "Umeå"),
        ("K2", "Åberg & Söner Kyl AB", "Göteborg"),
        ("K1", "Zetterberg Hiss AB", "Stockholm"),
        ("K3", "Ängström Värme HB", "Malmö"),
        ("K20", "Andersson Bygg AB", "Lund"),
    ]:
        reg.create_customer(staff, Customer(number=number, name=name, invoice_address=kartotek.Address(city=city)))
    return reg


def test_swedish_order_is_z_then_a_ring_a_umlaut_o_umlaut(nordic: Register, staff: int) -> None:
    page = nordic.search_customers(staff)
    assert names(page) == [
        "Andersson Bygg AB",
        "Zetterberg Hiss AB",
        "Åberg & Söner Kyl AB",
        "Ängström Värme HB",
        "Östlund Fastigheter AB",
    ]
    assert names(nordic.search_customers(staff, descending=True)) == list(reversed(names(page)))


def test_danish_order_is_z_then_ae_o_slash_a_ring(staff: int) -> None:
    reg = Register(settings=kartotek.Settings(locale="da"))
    admin = reg.create_first_administrator("a", "A")
    for i, name in enumerate(["Åse", "Øster", "Ærø", "Zealand"]):
        reg.create_customer(admin, Customer(number=str(i), name=name))
    assert names(reg.search_customers(admin)) == ["Zealand", "Ærø", "Øster", "Åse"]


def test_where_accents_are_not_letters_of_their_own_they_fold_away(staff: int) -> None:
    reg = Register(settings=kartotek.Settings(locale="es"))
    admin = reg.create_first_administrator("a", "A")
    reg.create_customer(admin, Customer(number="1", name="Östlund Fastigheter AB"))
    assert names(reg.search_customers(admin, "ostlund")) == ["Östlund Fastigheter AB"]


def test_numbers_sort_with_their_numeric_parts_by_value(nordic: Register, staff: int) -> None:
    assert [c.number for c in nordic.search_customers(staff, sort="number")] == ["K1", "K2", "K3", "K10", "K20"]
    assert [c.invoice_address.city for c in nordic.search_customers(staff, sort="city")] == [
        "Göteborg", "Lund", "Malmö", "Stockholm", "Umeå",
    ]


def test_every_sort_column_is_accepted(nordic: Register, staff: int) -> None:
    for column in kartotek._kartotek._enum_names()["CustomerColumn"]:
        assert nordic.search_customers(staff, sort=column).total == 5  # type: ignore[arg-type]
    for column in kartotek._kartotek._enum_names()["ContactColumn"]:
        assert nordic.search_contacts(staff, sort=column).total == 0  # type: ignore[arg-type]


def test_text_matches_substring_or_prefix_ignoring_case(nordic: Register, staff: int) -> None:
    assert names(nordic.search_customers(staff, "BERG")) == ["Zetterberg Hiss AB", "Åberg & Söner Kyl AB"]
    assert names(nordic.search_customers(staff, "åberg", match="prefix")) == ["Åberg & Söner Kyl AB"]
    assert names(nordic.search_customers(staff, "berg", match="prefix")) == []
    # In Swedish "ö" is a letter of its own, not an accented "o".
    assert names(nordic.search_customers(staff, "ostlund")) == []
    assert names(nordic.search_customers(staff, "östlund")) == ["Östlund Fastigheter AB"]


def test_text_is_looked_for_in_contact_names_and_emails(nordic: Register, staff: int) -> None:
    aberg = nordic.search_customers(staff, "åberg").items[0]
    assert aberg.id is not None
    kid = nordic.create_contact(staff, Contact(first_name="Lena", last_name="Söderström", email="lena@kyl.example"))
    nordic.link_contact(staff, kid, aberg.id)
    assert names(nordic.search_customers(staff, "lena söderström")) == [aberg.name]
    assert names(nordic.search_customers(staff, "kyl.example")) == [aberg.name]
    assert names(nordic.search_customers(staff, "söderström", search_in="name")) == []
    assert names(nordic.search_customers(staff, "söderström", search_in=["contact_name"])) == [aberg.name]
    assert names(nordic.search_customers(staff, "kyl.example", search_in=("name", "contact_name"))) == []
    assert names(nordic.search_customers(staff, "kyl.example", search_in={"email"})) == [aberg.name]
    for bad in ([], ["phone"], 5):
        with pytest.raises(kartotek.ValidationError) as err:
            nordic.search_customers(staff, "x", search_in=bad)  # type: ignore[arg-type]
        assert err.value.field == "search_in"


def test_filters(nordic: Register, admin: int, staff: int) -> None:
    all_ids = [c.id for c in nordic.search_customers(staff)]
    first, second = all_ids[0], all_ids[1]
    assert first is not None and second is not None
    nordic.deactivate_customer(staff, first)
    nordic.assign_technician(staff, second, staff)
    c = nordic.customer(staff, second)
    c.kind = "private"
    c.category = "Villa"
    nordic.update_customer(staff, c)
    assert [x.id for x in nordic.search_customers(staff, active=False)] == [first]
    assert nordic.search_customers(staff, active=True).total == 4
    assert [x.id for x in nordic.search_customers(staff, kind="private")] == [second]
    assert [x.id for x in nordic.search_customers(staff, category=" VILLA ")] == [second]
    assert [x.id for x in nordic.search_customers(staff, technician=staff)] == [second]
    assert nordic.search_customers(staff, unassigned_only=True).total == 4
    assert [x.id for x in nordic.search_customers(staff, "berg", technician=staff)] == [second]
    assert nordic.search_customers(staff, "lund", technician=staff).total == 0
    with pytest.raises(kartotek.ValidationError) as err:
        nordic.search_customers(staff, kind="business")  # type: ignore[arg-type]
    assert err.value.field == "kind"


def test_paging(nordic: Register, staff: int) -> None:
    page = nordic.search_customers(staff, limit=2)
    assert (len(page), page.total, page.offset, page.next_offset) == (2, 5, 0, 2)
    seen = []
    offset: int | None = 0
    while offset is not None:
        page = nordic.search_customers(staff, offset=offset, limit=2)
        seen += names(page)
        offset = page.next_offset
    assert seen == names(nordic.search_customers(staff))
    beyond = nordic.search_customers(staff, offset=10)
    assert (len(beyond), beyond.total, beyond.next_offset) == (0, 5, None)
    with pytest.raises(kartotek.ValidationError) as err:
        nordic.search_customers(staff, limit=0)
    assert err.value.field == "limit"
    with pytest.raises(kartotek.ValidationError) as err:
        nordic.search_customers(staff, match="fuzzy")  # type: ignore[arg-type]
    assert err.value.field == "match"
    with pytest.raises(kartotek.ValidationError) as err:
        nordic.search_customers(staff, sort="colour")  # type: ignore[arg-type]
    assert err.value.field == "sort"


def test_page_is_a_sequence_with_a_useful_repr(nordic: Register, staff: int) -> None:
    page = nordic.search_customers(staff)
    assert len(page) == 5 and bool(page)
    assert page[0].name == "Andersson Bygg AB" and page[-1].name == "Östlund Fastigheter AB"
    assert [c.name for c in page[1:3]] == ["Zetterberg Hiss AB", "Åberg & Söner Kyl AB"]
    assert page.items == list(page)
    with pytest.raises(IndexError):
        page[5]
    assert repr(page).startswith("Page(total=5, offset=0, items=[Customer(id=")
    assert repr(page).endswith(", … 2 more])")
    assert not nordic.search_customers(staff, "nothing matches this")
    assert str(kartotek.Page[kartotek.Customer]) == "kartotek.Page[kartotek.Customer]"


def test_search_contacts(reg: Register, staff: int) -> None:
    cid = reg.create_customer(staff, Customer(number="1", name="Kund AB"))
    ids = {}
    for first, last, category in [("Per", "Ek", "Drift"), ("Eva", "Eklund", "Ekonomi"), ("Åsa", "Öberg", "Drift")]:
        ids[last] = reg.create_contact(staff, Contact(first_name=first, last_name=last, category=category))
    reg.link_contact(staff, ids["Eklund"], cid)
    k = reg.contact(staff, ids["Öberg"])
    k.active = False
    reg.update_contact(staff, k)

    def last(page: kartotek.Page[Contact]) -> List[str]:
        return [c.last_name for c in page]

    assert last(reg.search_contacts(staff)) == ["Ek", "Eklund", "Öberg"]
    assert last(reg.search_contacts(staff, "ek", match="prefix")) == ["Ek", "Eklund"]
    assert last(reg.search_contacts(staff, "lund")) == ["Eklund"]
    assert last(reg.search_contacts(staff, "lund", match="prefix")) == []
    assert last(reg.search_contacts(staff, active=False)) == ["Öberg"]
    assert last(reg.search_contacts(staff, category="drift")) == ["Ek", "Öberg"]
    assert last(reg.search_contacts(staff, customer=cid)) == ["Eklund"]
    assert last(reg.search_contacts(staff, sort="first_name")) == ["Eklund", "Ek", "Öberg"]
    assert last(reg.search_contacts(staff, descending=True)) == ["Öberg", "Eklund", "Ek"]
    page = reg.search_contacts(staff, offset=1, limit=1)
    assert (last(page), page.total, page.next_offset) == (["Eklund"], 3, 2)
