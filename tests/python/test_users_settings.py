"""Users, the first administrator, rights and settings."""

from __future__ import annotations

import pytest

import kartotek
from kartotek import Register, User


def test_first_administrator_only_once(reg: Register) -> None:
    admin = reg.create_first_administrator("anna", "Anna Lindqvist")
    u = reg.user(admin, admin)
    assert (u.login, u.name, u.administrator, u.active) == ("anna", "Anna Lindqvist", True, True)
    with pytest.raises(kartotek.Conflict, match="already has users"):
        reg.create_first_administrator("bo", "Bo")
    assert [e.source for e in reg.history(admin, ("user", admin))] == ["system"]


def test_users_are_made_and_changed_by_administrators(reg: Register, admin: int, staff: int) -> None:
    with pytest.raises(kartotek.PermissionDenied, match="create users"):
        reg.create_user(staff, User(login="x", name="X"))
    with pytest.raises(kartotek.Conflict, match="already taken"):
        reg.create_user(admin, User(login="TEKLA", name="Dubblett"))
    u = reg.user(admin, staff)
    u.email = "tekla@firma.se"
    reg.update_user(admin, u)
    found = reg.find_user(staff, staff)
    assert found is not None and found.email == "tekla@firma.se"
    assert reg.find_user(staff, 999) is None
    with pytest.raises(kartotek.NotFound, match="user 999 does not exist"):
        reg.user(staff, 999)
    assert [x.login for x in reg.users(staff)] == ["admin", "tekla"]


def test_the_last_administrator_stays(reg: Register, admin: int) -> None:
    a = reg.user(admin, admin)
    a.administrator = False
    with pytest.raises(kartotek.Conflict, match="last active administrator"):
        reg.update_user(admin, a)


def test_settings_read_and_update(reg: Register, admin: int, staff: int) -> None:
    s = reg.settings(staff)
    assert s == kartotek.Settings()
    s.discount_letters = [kartotek.DiscountLetter(letter="A", percent=10)]
    s.number_max_length = 10
    with pytest.raises(kartotek.PermissionDenied, match="change settings"):
        reg.update_settings(staff, s)
    reg.update_settings(admin, s)
    assert reg.settings(staff).discount_letters == [kartotek.DiscountLetter(letter="A", percent=10)]
    entries = reg.history(admin, ("settings", 1))
    assert {e.field for e in entries} == {"discount_letters", "number_max_length"}
    s = reg.settings(admin)
    s.next_number = 0
    with pytest.raises(kartotek.ValidationError) as err:
        reg.update_settings(admin, s)
    assert err.value.field == "next_number"
    s = reg.settings(admin)
    s.locale = "xx-bogus"
    with pytest.raises(kartotek.ValidationError) as err:
        reg.update_settings(admin, s)
    assert err.value.field == "locale"


def test_register_takes_settings_and_clock(clock: kartotek.ManualClock) -> None:
    reg = kartotek.Register(clock=clock, settings=kartotek.Settings(locale="da"))
    admin = reg.create_first_administrator("a", "A")
    assert reg.settings(admin).locale == "da"
    assert reg.user(admin, admin).created_at == clock.now()
    with pytest.raises(kartotek.ValidationError) as err:
        kartotek.Register(settings=kartotek.Settings(locale="xx-bogus"))
    assert err.value.field == "locale"
    with pytest.raises(TypeError):
        kartotek.Register(clock)  # type: ignore[misc]  # keyword arguments only


def test_counts_repr_and_write_state(reg: Register, admin: int, staff: int) -> None:
    counts = reg.counts()
    assert counts.to_dict() == {
        "customers": 0, "contacts": 0, "facilities": 0, "service_objects": 0, "users": 2, "history_entries": 2,
        "orders": 0, "activities": 0,
    }
    assert (counts.customers, counts.contacts, counts.facilities, counts.service_objects) == (0, 0, 0, 0)
    assert (counts.users, counts.history_entries, counts.orders, counts.activities) == (2, 2, 0, 0)
    assert counts == reg.counts()
    fields = ("customers=0, contacts=0, facilities=0, service_objects=0, users=2, history_entries=2, orders=0, "
              "activities=0")
    assert repr(counts) == f"Counts({fields})"
    assert repr(reg) == f"Register({fields})"
    state = reg.write_state()
    assert isinstance(state, bytes) and state == reg.write_state()
