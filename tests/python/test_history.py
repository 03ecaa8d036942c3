"""History: entries per record and for all records, time ranges, values,
and replaying a record's history to its current state."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any, Dict

import pytest

import kartotek
from kartotek import Customer, Register


def test_entries_carry_who_when_what(reg: Register, staff: int, clock: kartotek.ManualClock) -> None:
    cid = reg.create_customer(staff, Customer(number="1", name="Fält AB"))
    clock.advance(timedelta(hours=1))
    c = reg.customer(staff, cid)
    c.name = "Fält & Co AB"
    c.invoice_address.city = "Umeå"
    c.position = kartotek.GeoPosition(latitude=63.8, longitude=20.3)
    reg.update_customer(staff, c)

    created, *changes = reg.history(staff, ("customer", cid))
    assert created.action == "created" and created.field == "" and created.old_value is None
    assert created.new_value["name"] == "Fält AB"
    assert created.new_value["created_at"] == "2026-01-05T08:00:00.000000Z"  # values hold timestamps as text
    by_field = {e.field: e for e in changes}
    assert set(by_field) == {"name", "invoice_address.city", "position"}
    assert (by_field["name"].old_value, by_field["name"].new_value) == ("Fält AB", "Fält & Co AB")
    assert by_field["position"].old_value is None
    assert by_field["position"].new_value == {"latitude": 63.8, "longitude": 20.3}
    for e in changes:
        assert e.actor == staff and e.source == "api" and e.action == "changed"
        assert e.at == datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
        assert e.change == changes[0].change and e.change > created.change
        assert e.record == kartotek.RecordRef(kind="customer", id=cid)
    assert [e.sequence for e in reg.history(staff)] == sorted(e.sequence for e in reg.history(staff))


def test_time_ranges_are_half_open_and_take_datetimes_dates_and_text(
    reg: Register, staff: int, clock: kartotek.ManualClock
) -> None:
    cid = reg.create_customer(staff, Customer(number="1", name="Tid AB"))
    for day in range(1, 4):
        clock.advance(timedelta(days=1))
        c = reg.customer(staff, cid)
        c.comments = f"dag {day}"
        reg.update_customer(staff, c)
    ref = kartotek.RecordRef(kind="customer", id=cid)
    middle = reg.history(staff, ref, since="2026-01-06T12:00:00Z", until=datetime(2026, 1, 7, 12, tzinfo=timezone.utc))
    assert [e.new_value for e in middle] == ["dag 2"]
    assert len(reg.history(staff, ref, since=date(2026, 1, 7))) == 2
    assert len(reg.history(staff, ref, until="2026-01-06")) == 1
    assert [e.record.id for e in reg.history(staff, since="2026-01-06T12:00:00Z", until="2026-01-07T12:00:00Z")] == [cid]
    with pytest.raises(kartotek.ValidationError) as err:
        reg.history(staff, ref, since=datetime(2026, 1, 6))
    assert err.value.field == "since"
    with pytest.raises(kartotek.ValidationError) as err:
        reg.history(staff, ref, until="soon")
    assert err.value.field == "until"


def test_record_argument_forms(reg: Register, staff: int) -> None:
    cid = reg.create_customer(staff, Customer(number="1", name="Ref AB"))
    assert reg.history(staff, ("customer", cid)) == reg.history(staff, kartotek.RecordRef(kind="customer", id=cid))
    assert reg.history(staff, ("contact", cid)) == []
    with pytest.raises(kartotek.ValidationError) as err:
        reg.history(staff, ("kund", cid))  # type: ignore[arg-type]
    assert err.value.field == "record.kind"
    with pytest.raises(kartotek.ValidationError) as err:
        reg.history(staff, cid)  # type: ignore[arg-type]
    assert err.value.field == "record"


def replay(entries: list[kartotek.HistoryEntry]) -> Dict[str, Any]:
    """The record a history describes: its created value with every changed field applied."""
    state: Dict[str, Any] = dict(entries[0].new_value)
    for e in entries[1:]:
        if e.action != "changed" or e.field.split(".")[0] not in state:
            continue  # linked collections are not fields of the record
        *path, last = e.field.split(".")
        target = state
        for part in path:
            target = target[part]
        assert target[last] == e.old_value
        target[last] = e.new_value
    return state


def test_history_replays_to_the_current_record(reg: Register, admin: int, staff: int) -> None:
    cid = reg.create_customer(staff, Customer(number="1", name="Replay AB"))
    c = reg.customer(staff, cid)
    c.email = "a@b.se"
    c.postal_address = kartotek.Address(care_of="c/o Ek", street="Box 12", postal_code="111 11", city="Stockholm")
    reg.update_customer(staff, c)
    c = reg.customer(staff, cid)
    assert c.postal_address is not None
    address = c.postal_address
    address.city = "Solna"
    c.postal_address = address
    reg.update_customer(staff, c)
    reg.assign_technician(staff, cid, staff)
    reg.deactivate_customer(staff, cid)
    kid = reg.create_contact(staff, kartotek.Contact(last_name="Ek"))
    reg.link_contact(staff, kid, cid)

    replayed = Customer.from_dict(replay(reg.history(staff, ("customer", cid))))
    current = reg.customer(staff, cid)
    replayed.revision = current.revision  # revisions are counted, not recorded
    assert replayed == current
