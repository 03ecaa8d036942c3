"""Record classes: keyword constructors, attributes, the JSON form, equality,
repr, copies and pickling — for every class bound from Describe<T>."""

from __future__ import annotations

import copy
import json
import pickle
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

import kartotek
from kartotek import _kartotek, commands

ALL_CLASSES = [getattr(_kartotek, info["name"]) for info in _kartotek._stub_info()]


def full_customer() -> kartotek.Customer:
    return kartotek.Customer(
        id=7,
        number="K00007",
        name="Åberg & Söner Kyl AB",
        kind="company",
        organisation_number="556677-8899",
        invoice_address=kartotek.Address(street="Box 12", postal_code="411 01", city="Göteborg", country="SE"),
        visiting_address=kartotek.Address(street="Kylgatan 3", city="Göteborg"),
        postal_address=None,
        email="info@aberg-kyl.se",
        phone="+46 31 12 34 56",
        website="https://aberg-kyl.se",
        position=kartotek.GeoPosition(latitude=57.7, longitude=11.97),
        language="sv",
        category="Kyl",
        discount_letters=["A", "B"],
        cost_center="100",
        customer_order_number="PO-1",
        comments="Ring före besök.\nPortkod 1234.",
        active=True,
        assigned_technician=3,
        service_articles=[kartotek.ArticleLine(article_number="S1", description="Service", quantity=2, unit="st")],
        work_order_articles=[kartotek.ArticleLine(article_number="T1", time_article=True, hours=1.5)],
        created_at=datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc),
        revision=4,
    )


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda c: c.__name__)
def test_every_class_round_trips_through_its_json_form(cls: Any) -> None:
    x = cls()
    assert x == cls.from_dict(x.to_dict())
    assert x == cls.from_json(x.to_json())
    assert json.loads(x.to_json()) == x.to_dict()
    assert list(x.to_dict()) == list(cls._fields)
    assert pickle.loads(pickle.dumps(x)) == x
    assert copy.copy(x) == x and copy.deepcopy(x) == x
    assert repr(x).startswith(cls.__name__ + "(")
    assert cls.__hash__ is None
    assert cls.__module__ in ("kartotek", "kartotek.commands")


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda c: c.__name__)
def test_every_class_refuses_unknown_keywords_and_fields(cls: Any) -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'nonsense'"):
        cls(nonsense=1)
    with pytest.raises(TypeError):
        cls(1)  # keyword arguments only
    with pytest.raises(kartotek.ValidationError) as err:
        cls.from_dict({"nonsense": 1})
    assert err.value.field == "nonsense"


def test_keyword_constructor_sets_the_given_fields_and_defaults_the_rest() -> None:
    c = kartotek.Customer(number="1001", name="Åberg AB")
    assert (c.number, c.name, c.kind, c.active, c.revision) == ("1001", "Åberg AB", "company", True, 0)
    assert c.id == 0 and c.assigned_technician is None  # 0: no id yet
    assert c.to_dict()["id"] is None  # which the JSON form writes as null
    assert c.visiting_address is None and c.position is None
    assert c.discount_letters == [] and c.service_articles == []
    assert c.created_at == datetime(1970, 1, 1, tzinfo=timezone.utc)
    assert kartotek.Settings().locale == "sv"
    assert kartotek.ArticleLine().quantity == 1.0


def test_attributes_convert_ids_optionals_enums_and_timestamps() -> None:
    c = full_customer()
    assert c.id == 7 and c.assigned_technician == 3
    assert c.kind == "company"
    c.kind = "private"
    assert c.kind == "private" and c.to_dict()["kind"] == "private"
    assert c.created_at == datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
    assert c.created_at.tzinfo is not None
    c.created_at = "2026-02-01T10:00:00Z"
    assert c.created_at == datetime(2026, 2, 1, 10, 0, tzinfo=timezone.utc)
    c.created_at = date(2026, 3, 1)
    assert c.created_at == datetime(2026, 3, 1, tzinfo=timezone.utc)
    c.created_at = datetime(2026, 3, 1, 12, 0, tzinfo=timezone(timedelta(hours=1)))
    assert c.created_at == datetime(2026, 3, 1, 11, 0, tzinfo=timezone.utc)
    with pytest.raises(kartotek.ValidationError, match="positive id"):
        c.id = 0  # ids start at 1; "no id" is None
    assert c.id == 7
    c.assigned_technician = None
    assert c.assigned_technician is None
    c.id = None  # type: ignore[assignment]  # null in the JSON form: no id
    assert c.id == 0


def test_wrong_values_raise_validation_error_naming_the_field() -> None:
    c = kartotek.Customer()
    cases: list[tuple[str, Any, str]] = [
        ("name", 5, "name"),
        ("kind", "compny", "kind"),
        ("active", "yes", "active"),
        ("revision", -1, "revision"),
        ("revision", 2**70, "revision"),
        ("id", -3, "id"),
        ("created_at", datetime(2026, 1, 1), "created_at"),  # naive: names no instant
        ("created_at", "yesterday", "created_at"),
        ("discount_letters", ["A", 2], "discount_letters[1]"),
        ("invoice_address", {"city": 5}, "invoice_address.city"),
        ("service_articles", [{"quantity": "many"}], "service_articles[0].quantity"),
        ("position", {"latitude": "north"}, "position.latitude"),
        ("comments", "\ud800", "comments"),
        ("name", object(), "name"),
    ]
    for attr, value, field in cases:
        with pytest.raises(kartotek.ValidationError) as err:
            setattr(c, attr, value)
        assert err.value.field == field, (attr, value)
        assert isinstance(err.value, ValueError)
    assert c == kartotek.Customer()  # nothing changed


def test_always_present_nested_records_are_live_views() -> None:
    c = kartotek.Customer()
    c.invoice_address.city = "Umeå"
    assert c.invoice_address.city == "Umeå"
    view = c.invoice_address
    c.invoice_address = kartotek.Address(city="Luleå")
    assert view.city == "Luleå"
    del c  # the view keeps its customer alive
    assert view.city == "Luleå"
    entry = kartotek.HistoryEntry()
    entry.record.kind = "contact"
    assert entry.record == kartotek.RecordRef(kind="contact", id=0)


def test_optional_records_and_lists_are_copies_to_assign_back() -> None:
    c = kartotek.Customer(visiting_address=kartotek.Address(city="Kiruna"), discount_letters=["A"])
    copy_of_address = c.visiting_address
    assert copy_of_address is not None
    copy_of_address.city = "Gällivare"
    assert c.visiting_address == kartotek.Address(city="Kiruna")
    c.visiting_address = copy_of_address
    assert c.visiting_address == kartotek.Address(city="Gällivare")
    c.discount_letters.append("B")
    assert c.discount_letters == ["A"]
    c.discount_letters = [*c.discount_letters, "B"]
    assert c.discount_letters == ["A", "B"]
    c.visiting_address = None
    assert c.visiting_address is None


def test_nested_values_accept_mappings_which_replace_the_whole_value() -> None:
    c = kartotek.Customer(invoice_address=kartotek.Address(street="Storgatan 1", city="Umeå"))
    c.invoice_address = {"city": "Luleå"}
    assert c.invoice_address == kartotek.Address(city="Luleå")
    c.position = {"latitude": 65.6, "longitude": 22.1}
    assert c.position == kartotek.GeoPosition(latitude=65.6, longitude=22.1)
    c.service_articles = ({"article_number": "A1"}, kartotek.ArticleLine(article_number="A2"))
    assert [a.article_number for a in c.service_articles] == ["A1", "A2"]


def test_to_dict_is_the_json_form() -> None:
    c = full_customer()
    d = c.to_dict()
    assert d == json.loads(c.to_json())
    assert d["created_at"] == "2026-01-05T08:00:00.000000Z"
    assert d["invoice_address"]["city"] == "Göteborg"
    assert d["postal_address"] is None
    assert d["position"] == {"latitude": 57.7, "longitude": 11.97}
    assert d["work_order_articles"][0]["time_article"] is True
    assert kartotek.Customer.from_dict(d) == c
    # Not-a-number has no JSON form: null, as in the JSON text.
    g = kartotek.GeoPosition(latitude=float("nan"))
    assert g.to_dict()["latitude"] is None and json.loads(g.to_json())["latitude"] is None


def test_from_dict_takes_partial_mappings_and_native_values() -> None:
    c = kartotek.Customer.from_dict({"number": "1", "name": "Del AB"})
    assert (c.number, c.name, c.kind) == ("1", "Del AB", "company")
    stamp = datetime(2026, 5, 1, tzinfo=timezone.utc)
    assert kartotek.Customer.from_dict({"created_at": stamp}).created_at == stamp
    with pytest.raises(kartotek.ValidationError) as err:
        kartotek.Customer.from_dict({"invoice_address": {"town": "x"}})
    assert err.value.field == "invoice_address.town"
    with pytest.raises(kartotek.ValidationError):
        kartotek.Customer.from_dict([])  # type: ignore[arg-type]
    with pytest.raises(kartotek.ValidationError) as err:
        kartotek.Customer.from_json('{"name": ')
    assert err.value.field == "json"


def test_equality_and_repr() -> None:
    a = kartotek.Customer(id=3, number="1001", name="Åberg AB")
    b = kartotek.Customer(id=3, number="1001", name="Åberg AB")
    assert a == b and not (a != b)
    b.comments = "x"
    assert a != b
    assert a != "Customer" and (a == 3) is False
    assert repr(a) == "Customer(id=3, number='1001', name='Åberg AB')"
    assert repr(kartotek.Address(street="Storgatan 1", city="Umeå")) == "Address(street='Storgatan 1', city='Umeå')"
    assert repr(kartotek.RecordRef(kind="customer", id=3)) == "RecordRef(kind='customer', id=3)"
    assert repr(kartotek.Contact(first_name="Lena", last_name="Sten")) == "Contact(id=0, first_name='Lena', last_name='Sten')"
    assert repr(commands.DeleteCustomer(customer=3)) == "DeleteCustomer(customer=3)"
    assert repr(kartotek.HistoryEntry(sequence=2)) == (
        "HistoryEntry(sequence=2, record=RecordRef(kind='customer', id=0), action='changed')"
    )
    with pytest.raises(TypeError):
        hash(a)


def test_copies_are_deep() -> None:
    c = full_customer()
    d = copy.copy(c)
    d.invoice_address.city = "Borås"
    assert c.invoice_address.city == "Göteborg"
    e = copy.deepcopy(c)
    assert e == c and e is not c


def test_fields_tuple_lists_each_field_in_json_order() -> None:
    assert kartotek.GeoPosition._fields == ("latitude", "longitude")
    assert kartotek.Customer._fields[:3] == ("id", "number", "name")
    assert kartotek.RecordRef._fields == ("kind", "id")


def test_history_entry_values_are_plain_data() -> None:
    e = kartotek.HistoryEntry(old_value={"a": [1, 2.5, None, True]}, new_value="2026-01-01")
    assert e.old_value == {"a": [1, 2.5, None, True]}
    assert e.new_value == "2026-01-01"
    # A Value holds timestamps as ISO 8601 text, as the JSON form does.
    e.new_value = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert e.new_value == "2026-01-01T00:00:00.000000Z"
    e.old_value = (1, "x")  # any sequence is a list
    assert e.old_value == [1, "x"] and e.to_dict()["old_value"] == [1, "x"]


def test_deeply_nested_values_are_refused_not_crashed() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(kartotek.ValidationError, match="nested deeper"):
        kartotek.HistoryEntry(old_value=loop)
    with pytest.raises(kartotek.ValidationError):
        kartotek.HistoryEntry(old_value={1: "numeric key"})
    with pytest.raises(kartotek.ValidationError):
        kartotek.HistoryEntry(old_value={"a", "set"})


def test_integers_of_other_types_are_accepted() -> None:
    class Index:
        def __index__(self) -> int:
            return 5

    assert kartotek.Customer(revision=Index()).revision == 5  # type: ignore[arg-type]
    with pytest.raises(kartotek.ValidationError):
        kartotek.Customer(revision=1.5)  # type: ignore[arg-type]
    with pytest.raises(kartotek.ValidationError):
        kartotek.Customer(revision=True)  # a bool is not a number here


def test_linked_contact_counts_and_applied() -> None:
    lc = kartotek.LinkedContact(
        link=kartotek.ContactLink(contact=1, customer=2, role="VD"),
        contact=kartotek.Contact(id=1, first_name="Lena"),
    )
    lc.link.send_work_orders = True
    assert lc.link.send_work_orders is True
    assert lc.to_dict() == {"link": lc.link.to_dict(), "contact": lc.contact.to_dict()}
    assert repr(lc).startswith("LinkedContact(link=ContactLink(contact=1, customer=2, role='VD')")
    lc.contact = {"first_name": "Per"}
    assert lc.contact.first_name == "Per"
    assert lc != kartotek.LinkedContact()
    with pytest.raises(TypeError):
        kartotek.LinkedContact(kartotek.ContactLink())  # type: ignore[misc]
