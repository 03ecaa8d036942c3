"""ManualClock and SystemClock."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

import kartotek


def test_manual_clock_starts_sets_and_advances() -> None:
    assert kartotek.ManualClock().now() == datetime(1970, 1, 1, tzinfo=timezone.utc)
    clock = kartotek.ManualClock("2026-01-05T08:00:00Z")
    assert clock.now() == datetime(2026, 1, 5, 8, tzinfo=timezone.utc)
    clock.advance(timedelta(days=1, microseconds=5))
    assert clock.now() == datetime(2026, 1, 6, 8, 0, 0, 5, tzinfo=timezone.utc)
    clock.advance(90)
    clock.advance(-0.5)
    assert clock.now() == datetime(2026, 1, 6, 8, 1, 29, 500005, tzinfo=timezone.utc)
    clock.set(date(2027, 1, 1))
    assert clock.now() == datetime(2027, 1, 1, tzinfo=timezone.utc)
    clock.set(datetime(2027, 6, 1, 12, tzinfo=timezone(timedelta(hours=2))))
    assert clock.now() == datetime(2027, 6, 1, 10, tzinfo=timezone.utc)
    assert repr(clock) == "ManualClock('2027-06-01T10:00:00.000000Z')"
    assert isinstance(clock, kartotek.Clock)


def test_manual_clock_refuses_what_is_no_instant() -> None:
    with pytest.raises(kartotek.ValidationError) as err:
        kartotek.ManualClock(datetime(2026, 1, 1))
    assert err.value.field == "start"
    clock = kartotek.ManualClock()
    with pytest.raises(kartotek.ValidationError) as err:
        clock.set("tomorrow")
    assert err.value.field == "time"
    with pytest.raises(kartotek.ValidationError) as err:
        clock.advance("1h")  # type: ignore[arg-type]
    assert err.value.field == "delta"
    with pytest.raises(kartotek.ValidationError):
        clock.advance(float("inf"))


def test_the_register_reads_its_clock(reg: kartotek.Register, staff: int, clock: kartotek.ManualClock) -> None:
    clock.advance(timedelta(hours=3))
    cid = reg.create_customer(staff, kartotek.Customer(number="1", name="Tid AB"))
    assert reg.customer(staff, cid).created_at == datetime(2026, 1, 5, 11, tzinfo=timezone.utc)


def test_system_clock_is_the_real_time() -> None:
    clock = kartotek.SystemClock()
    before = datetime.now(timezone.utc)
    now = clock.now()
    after = datetime.now(timezone.utc)
    assert before - timedelta(seconds=1) <= now <= after + timedelta(seconds=1)
    assert repr(clock) == "SystemClock()"
    reg = kartotek.Register()  # the system clock by default
    admin = reg.create_first_administrator("a", "A")
    assert abs(reg.user(admin, admin).created_at - datetime.now(timezone.utc)) < timedelta(minutes=1)
