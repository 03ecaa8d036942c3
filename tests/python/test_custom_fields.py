"""Custom fields from Python (docs/custom-fields.md): definitions that only
administrators make and change, values as a dict on the records, type
changes that convert every value or change nothing, filters and sorting by
custom fields in every list, searchable fields in the customer search, CSV
columns, and a property test that no change of definitions loses a value."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kartotek
from kartotek import (
    Contact,
    Customer,
    CustomFilter,
    Facility,
    FieldConversion,
    FieldDefinition,
    FieldLabel,
    FieldType,
    Order,
    OrderQuery,
    Register,
    ServiceObject,
    commands,
)


def definition(reg: Register, actor: int, kind: kartotek.RecordKind, key: str) -> FieldDefinition:
    [found] = [d for d in reg.field_definitions(actor, kind, include_retired=True) if d.key == key]
    return found


def with_custom(record: Customer, **values: Any) -> Customer:
    """`record` with `values` set on its custom fields (None removes one).
    Record attributes are copies: the dict is set back whole."""
    custom = record.custom
    custom.update(values)
    record.custom = custom
    return record


class Searched:
    """Three customers: 100 and 101 with values of five fields, 102 with none
    (as the C++ search cases)."""

    def __init__(self, reg: Register, admin: int, staff: int) -> None:
        self.reg, self.admin, self.staff = reg, admin, staff
        reg.define_field(admin, "customer", "note", "text", labels={"sv": "Anteckning"}, searchable=True)
        reg.define_field(admin, "customer", "employees", "integer", labels={"sv": "Anställda", "en": "Employees"})
        reg.define_field(admin, "customer", "signed", "date", labels={"sv": "Avtal"})
        reg.define_field(admin, "customer", "zone", "choice", labels={"sv": "Distrikt"}, choices=["Syd", "Nord"])
        reg.define_field(admin, "customer", "services", "multi_choice", labels={"sv": "Tjänster"},
                         choices=["Kyla", "Värme"])
        self.a = reg.create_customer(staff, Customer(number="100", name="Åberg AB", custom={
            "note": "Nyckel hos Öberg", "employees": 40, "signed": "2025-03-01", "zone": "Nord",
            "services": ["Värme", "Kyla"]}))
        self.b = reg.create_customer(staff, Customer(number="101", name="Berg AB", custom={
            "note": "ring före", "employees": 5, "signed": "2026-01-10", "zone": "Syd", "services": ["Värme"]}))
        self.c = reg.create_customer(staff, Customer(number="102", name="Cederlund AB"))

    def numbers(self, text: str = "", **keywords: Any) -> List[str]:
        keywords.setdefault("sort", "number")
        return [c.number for c in self.reg.search_customers(self.staff, text, **keywords)]


@pytest.fixture
def searched(reg: Register, admin: int, staff: int) -> Searched:
    return Searched(reg, admin, staff)


# ---- definitions ------------------------------------------------------------------


def test_a_defined_field_takes_checked_values_as_a_dict() -> None:
    reg = Register()
    admin = reg.create_first_administrator("admin", "Ada")
    field = FieldDefinition(kind="customer", key="employees", type="integer",
                            labels=[FieldLabel(language="sv", text="Anställda")])
    reg.apply(admin, commands.DefineField(field=field))
    cid = reg.create_customer(admin, Customer(number="1", name="Ågren AB", custom={"employees": 12}))
    customer = reg.customer(admin, cid)
    assert customer.custom == {"employees": 12}
    assert customer.to_dict()["custom"] == {"employees": 12}
    customer.custom = {"employees": "tolv"}
    with pytest.raises(kartotek.ValidationError) as refused:
        reg.update_customer(admin, customer)
    assert refused.value.field == "custom.employees"
    assert reg.customer(admin, cid).custom == {"employees": 12}


def test_define_field_by_keywords_or_by_a_definition(reg: Register, admin: int, staff: int) -> None:
    reg.define_field(admin, "customer", "zone", "choice", labels={"sv": "Distrikt", "en": "District"},
                     choices=("Nord", "Syd"), default="Syd", display_order=2, required=True, source="import")
    reg.define_field(admin, "customer", "note", "text", labels=[FieldLabel(language="sv", text="Anteckning")],
                     searchable=True)
    reg.define_field(admin, FieldDefinition(kind="order", key="priority", type="integer",
                                            labels=[FieldLabel(language="en", text="Priority")]))
    reg.define_field(admin, definition=FieldDefinition(kind="contact", key="badge", type="integer",
                                                       labels=[FieldLabel(language="sv", text="Bricka")]))

    zone = definition(reg, staff, "customer", "zone")
    assert (zone.kind, zone.key, zone.type, zone.required, zone.default_value, zone.choices) == (
        "customer", "zone", "choice", True, "Syd", ["Nord", "Syd"])
    assert zone.labels == [FieldLabel(language="sv", text="Distrikt"), FieldLabel(language="en", text="District")]
    assert (zone.display_order, zone.searchable, zone.retired, zone.revision) == (2, False, False, 1)
    assert definition(reg, staff, "customer", "note").searchable
    # By kind, display order and key; staff read them; one kind or all.
    assert [(d.kind, d.key) for d in reg.field_definitions(staff)] == [
        ("customer", "note"), ("customer", "zone"), ("contact", "badge"), ("order", "priority")]
    assert [d.key for d in reg.field_definitions(staff, "customer")] == ["note", "zone"]
    assert reg.field_definitions(staff, "facility") == []
    # A new customer gets the default; the definitions are in the settings' history.
    cid = reg.create_customer(staff, Customer(number="1", name="Ek AB"))
    assert reg.customer(staff, cid).custom == {"zone": "Syd"}
    made = [e for e in reg.history(admin, ("settings", 1)) if e.field.startswith("field_definitions")]
    assert made and made[0].source == "import"


def test_refused_definitions_name_the_keyword_at_fault(reg: Register, admin: int) -> None:
    good: Dict[str, Any] = {"kind": "customer", "key": "size", "type": "integer", "labels": {"sv": "Storlek"}}
    cases: List[Tuple[Dict[str, Any], str]] = [
        ({"key": "Storlek"}, "key"),
        ({"kind": "user"}, "kind"),
        ({"kind": "kund"}, "kind"),
        ({"type": "number"}, "type"),
        ({"labels": {}}, "labels"),
        ({"labels": "Storlek"}, "labels"),
        ({"default": "stor"}, "default"),
        ({"choices": ["a"]}, "choices"),  # an integer field has none
        ({"type": "choice"}, "choices"),  # a choice field needs some
        ({"type": "choice", "choices": "ab"}, "choices"),  # a str is no list of choices
        ({"type": "choice", "choices": ["Nord", "Nord"]}, "choices[1]"),
    ]
    for bad, field in cases:
        before = reg.write_state()
        with pytest.raises(kartotek.ValidationError) as refused:
            reg.define_field(admin, **{**good, **bad})
        assert refused.value.field == field, bad
        assert reg.write_state() == before
    reg.define_field(admin, **good)
    with pytest.raises(kartotek.Conflict):
        reg.define_field(admin, **{**good, "type": "text"})
    reg.define_field(admin, **{**good, "kind": "order"})  # the same key on another kind is another field
    with pytest.raises(TypeError):
        reg.define_field(admin, "customer", "x")  # type: ignore[call-overload]


def test_only_administrators_change_definitions_staff_read_them_customer_users_not(
    reg: Register, admin: int, staff: int
) -> None:
    reg.define_field(admin, "customer", "tag", "text", labels={"sv": "Tagg"})
    tag = definition(reg, admin, "customer", "tag")
    before = reg.write_state()
    refused: List[Callable[[], object]] = [
        lambda: reg.define_field(staff, "customer", "size", "integer", labels={"sv": "Storlek"}),
        lambda: reg.define_field(staff, FieldDefinition(kind="customer", key="size", type="integer",
                                                        labels=[FieldLabel(language="sv", text="S")])),
        lambda: reg.update_field(staff, tag),
        lambda: reg.retire_field(staff, "customer", "tag"),
        lambda: reg.restore_field(staff, "customer", "tag"),
        lambda: reg.change_field_type(staff, "customer", "tag", "integer", revision=tag.revision),
        lambda: reg.field_type_conversions(staff, "customer", "tag", "integer"),
    ]
    for call in refused:
        with pytest.raises(kartotek.PermissionDenied):
            call()
    assert reg.write_state() == before
    assert [d.key for d in reg.field_definitions(staff)] == ["tag"]

    cid = reg.create_customer(staff, Customer(number="1", name="Ek AB"))
    lena = reg.create_contact(staff, Contact(first_name="Lena", last_name="Ek"))
    reg.link_contact(staff, lena, cid)
    portal = reg.create_customer_user(admin, cid, lena, "lena")
    assert reg.field_definitions(portal) == []


def test_update_field_relabels_reorders_and_adds_choices_revision_checked(reg: Register, admin: int) -> None:
    reg.define_field(admin, "customer", "zone", "choice", labels={"sv": "Zon"}, choices=["Nord", "Syd"])
    cid = reg.create_customer(admin, Customer(number="1", name="Ek AB", custom={"zone": "Nord"}))
    stale = definition(reg, admin, "customer", "zone")
    d = definition(reg, admin, "customer", "zone")
    d.labels = [FieldLabel(language="sv", text="Distrikt"), FieldLabel(language="fi", text="Alue")]
    d.display_order = 5
    d.choices = ["Syd", "Nord", "Mitt"]
    d.searchable = True
    reg.update_field(admin, d)
    now = definition(reg, admin, "customer", "zone")
    assert (now.revision, now.display_order, now.choices, now.searchable) == (2, 5, ["Syd", "Nord", "Mitt"], True)
    assert [label.text for label in now.labels] == ["Distrikt", "Alue"]
    assert reg.customer(admin, cid).custom == {"zone": "Nord"}

    before = reg.write_state()
    stale.display_order = 9
    with pytest.raises(kartotek.Conflict):
        reg.update_field(admin, stale)  # revision 1 is not the current one
    now.choices = ["Syd", "Mitt"]
    with pytest.raises(kartotek.Conflict):
        reg.update_field(admin, now)  # "Nord" is held by customer 1
    now.choices = ["Syd", "Nord", "Mitt"]
    now.type = "text"
    with pytest.raises(kartotek.ValidationError) as refused:
        reg.update_field(admin, now)  # the type changes by change_field_type only
    assert refused.value.field == "type"
    assert reg.write_state() == before


def test_a_retired_field_keeps_its_values_and_restoring_shows_them(reg: Register, admin: int, staff: int) -> None:
    reg.define_field(admin, "customer", "zone", "choice", labels={"sv": "Zon"}, choices=["Nord", "Syd"])
    cid = reg.create_customer(staff, Customer(number="1", name="Ek AB", custom={"zone": "Nord"}))
    reg.retire_field(admin, "customer", "zone")
    assert reg.field_definitions(staff, "customer") == []
    [retired] = reg.field_definitions(staff, "customer", include_retired=True)
    assert retired.retired and retired.key == "zone"
    assert reg.customer(staff, cid).custom == {"zone": "Nord"}
    # A retired field takes no new value, and an editor that leaves it out keeps it.
    with pytest.raises(kartotek.ValidationError) as refused:
        reg.update_customer(staff, with_custom(reg.customer(staff, cid), zone="Syd"))
    assert refused.value.field == "custom.zone"
    c = reg.customer(staff, cid)
    c.custom = {}
    c.phone = "031-12 34 56"
    reg.update_customer(staff, c)
    assert reg.customer(staff, cid).custom == {"zone": "Nord"}
    with pytest.raises(kartotek.ValidationError) as refused:
        reg.search_customers(staff, custom={"zone": "Nord"})
    assert refused.value.field == "custom[0].key"

    reg.restore_field(admin, "customer", "zone")
    assert [d.key for d in reg.field_definitions(staff, "customer")] == ["zone"]
    reg.update_customer(staff, with_custom(reg.customer(staff, cid), zone="Syd"))
    assert reg.customer(staff, cid).custom == {"zone": "Syd"}
    with pytest.raises(kartotek.NotFound):
        reg.retire_field(admin, "customer", "nothing")


# ---- values ------------------------------------------------------------------------


def test_values_of_every_type_are_kept_in_their_normal_form(reg: Register, admin: int, staff: int) -> None:
    types: Dict[str, FieldType] = {
        "note": "text", "employees": "integer", "turnover": "decimal", "contract_end": "date", "vip": "boolean",
        "zone": "choice", "services": "multi_choice", "invoice_email": "email", "night_phone": "phone",
        "portal": "url"}
    for key, type in types.items():
        choices = {"zone": ["Nord", "Syd"], "services": ["Kyla", "Värme", "Ventilation"]}.get(key, [])
        reg.define_field(admin, "customer", key, type, labels={"sv": key}, choices=choices)
    cid = reg.create_customer(staff, Customer(number="1", name="Ek AB", custom={
        "note": "  ", "employees": 12, "turnover": 5, "contract_end": "2027-06-30", "vip": True, "zone": " Syd ",
        "services": ["Ventilation", "Kyla", "Kyla"], "invoice_email": "faktura@ek.se",
        "night_phone": "+46 31 12 34 56", "portal": " https://ek.se/portal "}))
    c = reg.customer(staff, cid)
    assert c.custom == {
        "employees": 12, "turnover": 5.0, "contract_end": "2027-06-30", "vip": True, "zone": "Syd",
        "services": ["Kyla", "Ventilation"], "invoice_email": "faktura@ek.se", "night_phone": "+46 31 12 34 56",
        "portal": "https://ek.se/portal"}  # empty text is no value; choices in their order
    assert isinstance(c.custom["turnover"], float)
    assert Customer.from_dict(c.to_dict()) == c
    assert Customer.from_json(c.to_json()).custom == c.custom
    # None removes a value; each change is in history as custom.<key>.
    reg.update_customer(staff, with_custom(c, employees=14, vip=None))
    assert "vip" not in reg.customer(staff, cid).custom
    changed = {e.field: (e.old_value, e.new_value) for e in reg.history(staff, ("customer", cid))
               if e.action == "changed"}
    assert changed == {"custom.employees": (12, 14), "custom.vip": (True, None)}


def test_refused_values_name_the_field_and_change_nothing(reg: Register, admin: int, staff: int) -> None:
    reg.define_field(admin, "customer", "employees", "integer", labels={"sv": "Anställda"})
    reg.define_field(admin, "customer", "signed", "date", labels={"sv": "Avtal"})
    reg.define_field(admin, "customer", "zone", "choice", labels={"sv": "Zon"}, choices=["Nord", "Syd"])
    reg.define_field(admin, "customer", "portal", "url", labels={"sv": "Portal"})
    reg.define_field(admin, "customer", "code", "text", labels={"sv": "Kod"}, required=True)
    cid = reg.create_customer(staff, Customer(number="1", name="Ek AB", custom={"code": "X1", "employees": 3}))
    before = reg.customer(staff, cid)
    for key, value in [("employees", "tolv"), ("employees", 1.5), ("signed", "2026-02-30"), ("zone", "Väst"),
                       ("portal", "ftp://ek.se"), ("code", None), ("unknown", "x")]:
        with pytest.raises(kartotek.ValidationError) as refused:
            reg.update_customer(staff, with_custom(reg.customer(staff, cid), **{key: value}))
        assert refused.value.field == f"custom.{key}"
        assert reg.customer(staff, cid) == before
    with pytest.raises(kartotek.ValidationError) as refused:
        reg.create_customer(staff, Customer(number="2", name="Al AB"))  # the required field is missing
    assert refused.value.field == "custom.code"


def test_every_kind_of_record_carries_custom_values(reg: Register, admin: int, staff: int) -> None:
    kinds: List[kartotek.RecordKind] = ["customer", "contact", "facility", "service_object", "order"]
    for kind in kinds:
        reg.define_field(admin, kind, "tag", "text", labels={"sv": "Tagg"})
    cid = reg.create_customer(staff, Customer(number="1", name="Ek AB", custom={"tag": "kund"}))
    kid = reg.create_contact(staff, Contact(last_name="Ek", custom={"tag": "kontakt"}))
    fid = reg.create_facility(staff, Facility(customer=cid, name="Lagret", custom={"tag": "anläggning"}))
    sid = reg.create_service_object(staff, ServiceObject(facility=fid, identifier="VP-1", custom={"tag": "objekt"}))
    oid = reg.create_order(staff, Order(kind="work_order", customer=cid, custom={"tag": "order"}))
    assert [reg.customer(staff, cid).custom, reg.contact(staff, kid).custom, reg.facility(staff, fid).custom,
            reg.service_object(staff, sid).custom, reg.order(staff, oid).custom] == [
        {"tag": "kund"}, {"tag": "kontakt"}, {"tag": "anläggning"}, {"tag": "objekt"}, {"tag": "order"}]
    with pytest.raises(kartotek.ValidationError) as refused:
        reg.create_order(staff, Order(kind="work_order", customer=cid, custom={"other": "x"}))
    assert refused.value.field == "custom.other"


# ---- changing a field's type -----------------------------------------------------------


def test_change_field_type_converts_every_stored_value(reg: Register, admin: int, staff: int) -> None:
    reg.define_field(admin, "customer", "size", "text", labels={"sv": "Storlek"})
    one = reg.create_customer(staff, Customer(number="1", name="Ek AB", custom={"size": " 12 "}))
    two = reg.create_customer(staff, Customer(number="2", name="Al AB", custom={"size": "40"}))
    assert reg.field_type_conversions(admin, "customer", "size", "integer") == []
    reg.change_field_type(admin, "customer", "size", "integer", revision=1)
    size = definition(reg, admin, "customer", "size")
    assert (size.type, size.revision) == ("integer", 2)
    assert [reg.customer(staff, c).custom for c in (one, two)] == [{"size": 12}, {"size": 40}]
    assert any(e.field == "custom.size" and (e.old_value, e.new_value) == ("12", 12)
               for e in reg.history(staff, ("customer", one)))
    # Numbers become decimals and text again, without loss.
    reg.change_field_type(admin, "customer", "size", "decimal", revision=2)
    assert reg.customer(staff, one).custom == {"size": 12.0}
    reg.change_field_type(admin, "customer", "size", "text", revision=3, source="merge")
    assert reg.customer(staff, one).custom == {"size": "12"}
    # A choice becomes a multi-choice and back.
    reg.define_field(admin, "customer", "zone", "choice", labels={"sv": "Zon"}, choices=["Nord", "Syd"])
    reg.update_customer(staff, with_custom(reg.customer(staff, one), zone="Syd"))
    reg.change_field_type(admin, "customer", "zone", "multi_choice", choices=["Nord", "Syd"], revision=1)
    assert reg.customer(staff, one).custom["zone"] == ["Syd"]
    reg.change_field_type(admin, "customer", "zone", "choice", choices=("Nord", "Syd", "Mitt"), revision=2)
    assert reg.customer(staff, one).custom["zone"] == "Syd"
    assert definition(reg, admin, "customer", "zone").choices == ["Nord", "Syd", "Mitt"]


def test_a_type_change_that_does_not_convert_is_reported_and_changes_nothing(
    reg: Register, admin: int, staff: int
) -> None:
    reg.define_field(admin, "customer", "size", "text", labels={"sv": "Storlek"})
    one = reg.create_customer(staff, Customer(number="1", name="Ek AB", custom={"size": "12"}))
    two = reg.create_customer(staff, Customer(number="2", name="Al AB", custom={"size": "stor"}))
    [report] = reg.field_type_conversions(admin, "customer", "size", "integer")
    assert isinstance(report, FieldConversion)
    assert (report.kind, report.record, report.value) == ("customer", two, "stor")
    assert "not a number" in report.reason
    assert reg.field_type_conversions(admin, "customer", "size", "choice", choices=["12", "stor"]) == []
    assert [r.record for r in reg.field_type_conversions(admin, "customer", "size", "choice", choices=["12"])] == [two]

    customers = [reg.customer(staff, c) for c in (one, two)]
    size = definition(reg, admin, "customer", "size")
    state = reg.write_state()
    with pytest.raises(kartotek.Conflict) as refused:
        reg.change_field_type(admin, "customer", "size", "integer", revision=size.revision)
    assert f"customer {two}" in str(refused.value)
    with pytest.raises(kartotek.Conflict):
        reg.change_field_type(admin, "customer", "size", "choice", choices=["12"], revision=size.revision)
    with pytest.raises(kartotek.Conflict):  # a stale revision, though every value would convert
        reg.change_field_type(admin, "customer", "size", "choice", choices=["12", "stor"], revision=size.revision + 7)
    with pytest.raises(kartotek.ValidationError) as invalid:
        reg.change_field_type(admin, "customer", "size", "choice", revision=size.revision)
    assert invalid.value.field == "choices"
    assert [reg.customer(staff, c) for c in (one, two)] == customers
    assert definition(reg, admin, "customer", "size") == size
    assert reg.write_state() == state


# ---- searching and sorting by custom fields --------------------------------------------------


def test_customers_are_filtered_by_each_kind_of_match(searched: Searched) -> None:
    s = searched
    assert s.numbers(custom={"zone": "nord"}) == ["100"]  # case ignored as search ignores it
    assert s.numbers(custom={"zone": None}) == ["102"]  # no value
    assert s.numbers(custom={"services": "Värme"}) == ["100", "101"]  # a choice a multi-choice holds
    assert s.numbers(custom={"employees": 40, "zone": "Nord"}) == ["100"]
    assert s.numbers(custom={"employees": 40, "zone": "Syd"}) == []
    assert s.numbers(custom=[("employees", "at_least", 5)]) == ["100", "101"]
    assert s.numbers(custom=[("employees", "at_least", 5.5)]) == ["100"]
    assert s.numbers(custom=[("employees", "at_least", 5), ("employees", "at_most", 10)]) == ["101"]
    assert s.numbers(custom=[CustomFilter(key="signed", match="at_most", value="2025-12-31")]) == ["100"]
    assert s.numbers(custom=[CustomFilter(key="signed", match="at_least", value="2025-03-01")]) == ["100", "101"]
    assert s.numbers(custom=[{"key": "note", "match": "contains", "value": "öberg"}]) == ["100"]
    assert s.numbers(custom=[("note", "contains", "RING"), CustomFilter(key="zone", value="Syd")]) == ["101"]
    assert s.numbers(custom=[("zone", "equals", None)]) == ["102"]
    assert s.numbers(custom=[]) == s.numbers(custom={}) == s.numbers() == ["100", "101", "102"]
    # The filters work with the others, and paging counts what they keep.
    page = s.reg.search_customers(s.staff, "berg", custom={"services": "Värme"}, limit=1, sort="number")
    assert (page.total, [c.number for c in page]) == (2, ["100"])


def test_refused_filters_name_the_filter_and_its_part(searched: Searched) -> None:
    for custom, field in [
        ({"nothing": "x"}, "custom[0].key"),
        ([("employees", "at_least", 1), ("nothing", "equals", "x")], "custom[1].key"),
        ([("employees", "contains", "4")], "custom[0].match"),
        ([("note", "at_least", "a")], "custom[0].match"),
        ([("employees", "sometimes", 4)], "custom[0].match"),
        ([("employees", "at_least", "many")], "custom[0].value"),
        ({"zone": "Väst"}, "custom[0].value"),
        ([("signed", "at_most", "2025-02-30")], "custom[0].value"),
        ([("employees", "at_least")], "custom[0]"),
        ("zone", "custom"),
        (5, "custom"),
    ]:
        with pytest.raises(kartotek.ValidationError) as refused:
            searched.numbers(custom=custom)
        assert refused.value.field == field, custom
    with pytest.raises(kartotek.ValidationError) as refused:
        searched.numbers(custom_sort="nothing")
    assert refused.value.field == "custom_sort"


def test_customers_sort_by_a_custom_field_without_values_last(searched: Searched) -> None:
    s = searched
    assert s.numbers(custom_sort="employees") == ["101", "100", "102"]
    assert s.numbers(custom_sort="employees", descending=True) == ["100", "101", "102"]
    assert s.numbers(custom_sort="zone") == ["101", "100", "102"]  # in the choices' order: Syd, Nord
    assert s.numbers(custom_sort="signed", descending=True) == ["101", "100", "102"]
    assert s.numbers(custom_sort="note") == ["100", "101", "102"]  # by the locale's collation
    assert s.numbers(custom_sort="employees", offset=1, limit=1) == ["100"]
    assert s.numbers(custom_sort=None) == s.numbers(custom_sort="") == ["100", "101", "102"]


def test_search_in_custom_finds_searchable_text_fields(searched: Searched) -> None:
    s = searched
    assert s.numbers("nyckel") == ["100"]  # everywhere by default
    assert s.numbers("nyckel", search_in="custom") == ["100"]
    assert s.numbers("nyckel", search_in=["name", "custom"]) == ["100"]
    assert s.numbers("nyckel", search_in=("name", "contact_name", "email")) == []
    assert s.numbers("berg", search_in="custom") == ["100"]  # "Öberg" in the note
    note = definition(s.reg, s.admin, "customer", "note")
    note.searchable = False
    s.reg.update_field(s.admin, note)
    assert s.numbers("nyckel") == []
    with pytest.raises(kartotek.ValidationError) as refused:
        s.numbers("x", search_in="notes")
    assert refused.value.field == "search_in" and "custom" in refused.value.reason


def test_contacts_facilities_and_orders_filter_and_sort_by_custom_fields(
    reg: Register, admin: int, staff: int
) -> None:
    reg.define_field(admin, "contact", "badge", "integer", labels={"sv": "Bricka"})
    for last, badge in [("Ek", 7), ("Al", None), ("Berg", 3)]:
        reg.create_contact(staff, Contact(last_name=last, custom={} if badge is None else {"badge": badge}))
    assert [k.last_name for k in reg.search_contacts(staff, custom=[("badge", "at_least", 1)])] == ["Berg", "Ek"]
    assert [k.last_name for k in reg.search_contacts(staff, custom={"badge": None})] == ["Al"]
    assert [k.last_name for k in reg.search_contacts(staff, custom_sort="badge", descending=True)] == [
        "Ek", "Berg", "Al"]

    cid = reg.create_customer(staff, Customer(number="1", name="Ek AB"))
    reg.define_field(admin, "facility", "floor", "integer", labels={"sv": "Våning"})
    for floor in (3, 1, 2):
        reg.create_facility(staff, Facility(customer=cid, name=f"Plan {floor}", custom={"floor": floor}))
    assert [f.name for f in reg.search_facilities(staff, custom=[("floor", "at_most", 2)])] == ["Plan 1", "Plan 2"]
    assert [f.name for f in reg.search_facilities(staff, custom_sort="floor", descending=True)] == [
        "Plan 3", "Plan 2", "Plan 1"]
    with pytest.raises(kartotek.ValidationError) as refused:
        reg.search_facilities(staff, custom={"badge": 1})  # a contact's field
    assert refused.value.field == "custom[0].key"

    reg.define_field(admin, "order", "priority", "choice", labels={"sv": "Prioritet"}, choices=["hög", "låg"])
    for p in ("låg", "hög"):
        reg.create_order(staff, Order(kind="work_order", customer=cid, subject=p, custom={"priority": p}))
    assert [o.subject for o in reg.search_orders(staff, custom={"priority": "HÖG"})] == ["hög"]
    assert [o.subject for o in reg.search_orders(staff, custom_sort="priority")] == ["hög", "låg"]
    assert [o.subject for o in reg.search_orders(staff, custom_sort="priority", descending=True)] == ["låg", "hög"]
    # A query keeps its filters; a keyword given replaces the query's.
    query = OrderQuery(custom=[CustomFilter(key="priority", value="låg")])
    assert [o.subject for o in reg.search_orders(staff, query)] == ["låg"]
    assert [o.subject for o in reg.search_orders(staff, query, custom={"priority": "hög"})] == ["hög"]
    assert [o.subject for o in reg.search_orders(staff, query, custom=[])] == ["hög", "låg"]  # newest first
    reg.save_order_filter(staff, "Låg", query)
    [saved] = reg.order_filters(staff)
    assert [o.subject for o in reg.search_orders(staff, saved.query)] == ["låg"]


# ---- CSV ----------------------------------------------------------------------------------


def test_csv_export_has_custom_columns_and_import_reads_them(searched: Searched) -> None:
    s = searched
    rows = list(csv.DictReader(io.StringIO(s.reg.export_customers(s.admin, sort="number", format="csv").decode())))
    header = list(rows[0])
    assert header[-5:] == ["custom.employees", "custom.note", "custom.services", "custom.signed", "custom.zone"]
    assert (rows[0]["custom.services"], rows[0]["custom.employees"]) == ("Kyla|Värme", "40")
    assert rows[2]["custom.zone"] == ""  # customer 102 has no value
    # Chosen columns may name custom fields, and the export takes the search's filters.
    two = s.reg.export_customers(s.admin, columns=["number", "custom.employees"], custom={"zone": "Syd"},
                                 custom_sort="employees", format="csv")
    assert two.decode().splitlines() == ["number,custom.employees", "101,5"]
    with pytest.raises(kartotek.ValidationError):
        s.reg.export_customers(s.admin, columns=["custom.nothing"])

    # Imported by custom.<key>, by the key or by a label; bad cells are reported.
    data = ("Kundnummer;Namn;Anställda;signed;custom.services;zone\n"
            "200;Dahl AB;12;2026-05-01;Kyla|Värme;Syd\n"
            "201;Ek AB;tolv;2026-05-01;;Syd\n"
            "202;Fors AB;3;2026-13-01;;\n"
            "203;Gran AB;3;;Kyla;Väst\n")
    state = s.reg.write_state()
    report = s.reg.import_csv(s.staff, data)
    assert not report.applied and s.reg.write_state() == state
    assert [(p.row, p.column, p.value) for p in report.problems] == [
        (3, "Anställda", "tolv"), (4, "signed", "2026-13-01"), (5, "zone", "Väst")]
    assert "choices" in report.problems[2].reason
    report = s.reg.import_csv(s.staff, data, skip_bad_rows=True)
    assert report.applied and report.created == 1
    dahl = s.reg.find_customer_by_number(s.staff, "200")
    assert dahl is not None
    assert dahl.custom == {"employees": 12, "signed": "2026-05-01", "services": ["Kyla", "Värme"], "zone": "Syd"}
    # What was exported reads back unchanged.
    again = s.reg.import_csv(s.admin, s.reg.export_customers(s.admin), upsert=True)
    assert again.problems == [] and again.updated == 0


def test_contacts_facilities_and_orders_export_their_custom_columns(reg: Register, admin: int, staff: int) -> None:
    reg.define_field(admin, "contact", "badge", "integer", labels={"sv": "Bricka"})
    reg.define_field(admin, "facility", "floor", "integer", labels={"sv": "Våning"})
    reg.define_field(admin, "order", "priority", "choice", labels={"sv": "Prioritet"}, choices=["hög", "låg"])
    cid = reg.create_customer(staff, Customer(number="1", name="Ek AB"))
    reg.create_contact(staff, Contact(last_name="Ek", custom={"badge": 7}))
    reg.create_contact(staff, Contact(last_name="Al"))
    reg.create_facility(staff, Facility(customer=cid, name="Lagret", custom={"floor": 2}))
    reg.create_order(staff, Order(kind="work_order", customer=cid, custom={"priority": "låg"}))
    contacts = reg.export_contacts(staff, columns=["last_name", "custom.badge"], custom=[("badge", "at_least", 1)],
                                   format="csv")
    assert contacts.decode().splitlines() == ["last_name,custom.badge", "Ek,7"]
    facilities = reg.export_facilities(staff, custom={"floor": 2}, custom_sort="floor", format="json")
    assert b'"custom.floor":2' in facilities.replace(b" ", b"")
    orders = reg.export_orders(staff, custom={"priority": "låg"}, custom_sort="priority", format="csv").decode()
    assert orders.splitlines()[0].endswith(",custom.priority") and orders.splitlines()[1].endswith(",låg")


# ---- property: no change of definitions loses a value ---------------------------------------

TYPES: List[FieldType] = [
    "text", "integer", "decimal", "date", "boolean", "choice", "multi_choice", "email", "phone", "url"]
CHOICES = ["Nord", "Syd", "Mitt", "Öst"]
PY_TYPES: Dict[str, Tuple[type, ...]] = {
    "text": (str,), "integer": (int,), "decimal": (float,), "date": (str,), "boolean": (bool,), "choice": (str,),
    "multi_choice": (list,), "email": (str,), "phone": (str,), "url": (str,)}


def value_of(type: FieldType, choices: List[str], seed: int) -> Any:
    """A valid value of `type` in its normal form (as the register stores it)."""
    if type == "text":
        return f"ord {seed}"
    if type == "integer":
        return seed - 50
    if type == "decimal":
        return seed / 4 + 0.5
    if type == "date":
        return f"2026-{seed % 12 + 1:02d}-{seed % 28 + 1:02d}"
    if type == "boolean":
        return seed % 2 == 0
    if type == "choice":
        return choices[seed % len(choices)]
    if type == "multi_choice":
        return [c for i, c in enumerate(choices) if (seed >> i) & 1] or choices[:1]
    if type == "email":
        return f"person{seed}@example.se"
    if type == "phone":
        return f"+46 31 {seed:02d} 00 00"
    return f"https://example.se/{seed}"


# An operation: its name and two numbers that pick what it works on (see
# DefinitionsModel.apply). Writes come up most, so that fields hold values
# when their definitions change.
OPS = st.tuples(
    st.sampled_from(["write", "retype", "write", "relabel", "retire", "write", "restore", "clear", "retype",
                     "define"]),
    st.integers(0, 99),
    st.integers(0, 99),
)
DEFINES = st.tuples(st.just("define"), st.integers(0, 99), st.integers(0, 99))


class DefinitionsModel:
    """The fields and values a sequence of operations should leave."""

    def __init__(self, reg: Register, admin: int) -> None:
        self.reg, self.admin = reg, admin
        self.customers = [reg.create_customer(admin, Customer(number=str(n), name=f"Kund {n}")) for n in range(3)]
        self.fields: Dict[str, FieldDefinition] = {}
        # What each customer holds: written values, and converted ones after a type change.
        self.values: Dict[int, Dict[str, Any]] = {c: {} for c in self.customers}

    def field(self, i: int, active: bool = False) -> Optional[FieldDefinition]:
        keys = sorted(k for k, d in self.fields.items() if not (active and d.retired))
        return self.fields[keys[i % len(keys)]] if keys else None

    def refresh(self, key: str) -> FieldDefinition:
        self.fields[key] = definition(self.reg, self.admin, "customer", key)
        return self.fields[key]

    def apply(self, op: str, a: int, b: int) -> None:
        """define: a field of type TYPES[a] (with b % 4 + 1 choices); the
        others: on field a (by key; write and clear only active ones), and
        write and clear on customer b with a value made from b."""
        reg, admin = self.reg, self.admin
        if op == "define":
            type = TYPES[a % len(TYPES)]
            key = f"f{len(self.fields)}"
            choices = CHOICES[: b % len(CHOICES) + 1] if type in ("choice", "multi_choice") else []
            reg.define_field(admin, "customer", key, type, labels={"sv": f"Fält {key}"}, choices=choices)
            self.refresh(key)
            return
        d = self.field(a, active=op in ("write", "clear"))
        if d is None:
            return
        if op == "relabel":
            d.labels = [FieldLabel(language="sv", text=f"Fält {d.key} {b}"), FieldLabel(language="en", text=d.key)]
            d.display_order = b % 7 - 3
            if d.type in ("choice", "multi_choice") and b % 2:
                d.choices = d.choices + [c for c in CHOICES if c not in d.choices][:1]
            reg.update_field(admin, d)
            self.refresh(d.key)
        elif op == "retire" and not d.retired:
            reg.retire_field(admin, "customer", d.key)
            self.refresh(d.key)
        elif op == "restore" and d.retired:
            reg.restore_field(admin, "customer", d.key)
            self.refresh(d.key)
        elif op == "retype":
            self.retype(d, TYPES[b % len(TYPES)])
        elif op in ("write", "clear"):
            cid = self.customers[b % len(self.customers)]
            value = value_of(d.type, d.choices, b) if op == "write" else None
            reg.update_customer(admin, with_custom(reg.customer(admin, cid), **{d.key: value}))
            if value is None:
                self.values[cid].pop(d.key, None)
            else:
                self.values[cid][d.key] = value

    def retype(self, d: FieldDefinition, type: FieldType) -> None:
        """Changes the type when every value converts (the report is empty);
        otherwise the change must be refused whole."""
        reg, admin = self.reg, self.admin
        held = [v for values in self.values.values() for v in [values.get(d.key)] if v is not None]
        choices: List[str] = []
        if type in ("choice", "multi_choice"):
            texts = {str(x) for v in held for x in (v if isinstance(v, list) else [v])}
            choices = sorted(texts | {CHOICES[0]})
        report = reg.field_type_conversions(admin, "customer", d.key, type, choices=choices)
        state = reg.write_state()
        if report:
            assert {r.record for r in report} <= set(self.customers)
            with pytest.raises(kartotek.Conflict):
                reg.change_field_type(admin, "customer", d.key, type, choices=choices, revision=d.revision)
            assert reg.write_state() == state
            return
        reg.change_field_type(admin, "customer", d.key, type, choices=choices, revision=d.revision)
        self.refresh(d.key)
        for cid in self.customers:
            now = reg.customer(admin, cid).custom.get(d.key)
            # Every value is kept, converted to the new type.
            assert (now is None) == (self.values[cid].get(d.key) is None), (d.key, type)
            if now is not None:
                assert isinstance(now, PY_TYPES[type]), (d.key, type, now)
                self.values[cid][d.key] = now

    def check(self, reg: Register) -> None:
        for cid in self.customers:
            assert reg.customer(self.admin, cid).custom == self.values[cid]
        assert reg.field_definitions(self.admin, "customer", include_retired=True) == sorted(
            self.fields.values(), key=lambda d: (d.display_order, d.key))


@given(st.lists(DEFINES, min_size=1, max_size=4), st.lists(OPS, min_size=10, max_size=40))
def test_no_change_of_definitions_loses_a_stored_value(
    defines: List[Tuple[str, int, int]], ops: List[Tuple[str, int, int]]
) -> None:
    """Random definition changes (define, relabel, reorder, add a choice,
    retire, restore, change the type where every value converts) between
    random writes on three customers: every value written and not changed
    since is still there, a converted one is of its new type, and saving and
    loading (export_json and import_json; save_as and open) keeps them all."""
    reg = Register(clock=kartotek.ManualClock("2026-01-05T08:00:00Z"))
    admin = reg.create_first_administrator("admin", "Ada Admin")
    model = DefinitionsModel(reg, admin)
    for op, a, b in defines + ops:
        model.apply(op, a, b)
        model.check(reg)

    state = reg.write_state()
    model.check(Register.import_json(reg.export_json(admin)))
    with tempfile.TemporaryDirectory(prefix="kartotek-custom-") as tmp:
        reg.save_as(Path(tmp) / "saved")
        with Register.open(Path(tmp) / "saved", create=False) as loaded:
            model.check(loaded)
            assert loaded.write_state() == state
