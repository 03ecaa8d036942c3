"""Registers on disk: open, the context manager, close, compact, save_as and
the whole register as JSON."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from pathlib import Path

import pytest

import kartotek


def fill(reg: kartotek.Register) -> tuple[int, int]:
    admin = reg.create_first_administrator("admin", "Ada Admin")
    cid = reg.create_customer(admin, kartotek.Customer(number="1001", name="Åberg & Söner AB"))
    return admin, cid


def test_a_register_on_disk_keeps_its_records_across_reopening(
    tmp_path: Path, clock: kartotek.ManualClock
) -> None:
    path = tmp_path / "kund register"  # spaces and a PathLike
    with kartotek.Register.open(path, clock=clock) as reg:
        assert reg.persistent and not reg.closed
        assert reg.open_report.created
        admin, cid = fill(reg)
        state = reg.write_state()
    assert reg.closed
    assert reg.customer(admin, cid).name == "Åberg & Söner AB"  # reads go on from memory
    with pytest.raises(kartotek.Conflict, match="closed"):
        reg.create_customer(admin, kartotek.Customer(number="1002"))

    with kartotek.Register.open(str(path), create=False, clock=clock) as again:
        report = again.open_report
        assert not report.created and report.replayed >= 2 and report.cut_tail == ""
        assert report.to_dict()["replayed"] == report.replayed
        assert "OpenReport(created=False" in repr(report)
        assert again.write_state() == state
        assert "on disk" in repr(again)


def test_a_second_open_is_refused_while_the_first_is_open(tmp_path: Path) -> None:
    reg = kartotek.Register.open(tmp_path / "r")
    with pytest.raises(kartotek.Conflict):
        kartotek.Register.open(tmp_path / "r")
    reg.close()
    reg.close()  # twice is fine
    kartotek.Register.open(tmp_path / "r").close()


def test_a_missing_register_is_not_found_without_create(tmp_path: Path) -> None:
    with pytest.raises(kartotek.NotFound):
        kartotek.Register.open(tmp_path / "missing", create=False)


def test_open_checks_its_options(tmp_path: Path) -> None:
    with pytest.raises(kartotek.ValidationError) as e:
        kartotek.Register.open(tmp_path / "r", durability="sometimes")  # type: ignore[arg-type]
    assert e.value.field == "durability"
    with pytest.raises(kartotek.ValidationError) as e:
        kartotek.Register.open(tmp_path / "r", durability="batch", batch_interval=0)
    assert e.value.field == "batch_interval"
    with kartotek.Register.open(
        tmp_path / "r", durability="batch", batch_interval=timedelta(milliseconds=5),
        settings=kartotek.Settings(auto_number=True, number_prefix="D"),
    ) as reg:
        admin = reg.create_first_administrator("admin", "Ada")
        cid = reg.create_customer(admin, kartotek.Customer(name="Kyl & Frys"))
        assert reg.customer(admin, cid).number == "D1"


@pytest.mark.parametrize("durability", ["sync", "batch", "none"])
def test_every_durability_keeps_what_was_closed(tmp_path: Path, durability: kartotek.Durability) -> None:
    with kartotek.Register.open(tmp_path / "r", durability=durability) as reg:
        admin, cid = fill(reg)
        reg.sync()
    with kartotek.Register.open(tmp_path / "r") as again:
        assert again.customer(admin, cid).number == "1001"


def test_a_damaged_snapshot_raises_corrupt_error_and_changes_nothing(tmp_path: Path) -> None:
    with kartotek.Register.open(tmp_path / "r") as reg:
        fill(reg)
        reg.compact()
    snapshot = tmp_path / "r" / "snapshot"
    data = bytearray(snapshot.read_bytes())
    data[-3] ^= 0x40
    snapshot.write_bytes(bytes(data))
    with pytest.raises(kartotek.CorruptError, match="snapshot"):
        kartotek.Register.open(tmp_path / "r")
    assert snapshot.read_bytes() == bytes(data)


def test_compact_leaves_nothing_to_replay(tmp_path: Path) -> None:
    with kartotek.Register.open(tmp_path / "r") as reg:
        fill(reg)
        reg.compact()
        with pytest.raises(kartotek.Error):
            kartotek.Register.open(tmp_path / "r")
    with kartotek.Register.open(tmp_path / "r") as again:
        assert again.open_report.replayed == 0
        assert again.counts().customers == 1


def test_export_import_and_save_as_round_trip(tmp_path: Path, clock: kartotek.ManualClock) -> None:
    reg = kartotek.Register(clock=clock)
    admin, cid = fill(reg)
    document = reg.export_json(admin)
    assert json.loads(document)["format"] == "kartotek-register"
    copy = kartotek.Register.import_json(document, clock=clock)
    assert copy.write_state() == reg.write_state()
    assert copy.export_json(admin) == document
    assert not copy.persistent

    reg.save_as(tmp_path / "saved")
    with pytest.raises(kartotek.Conflict):
        reg.save_as(tmp_path / "saved")
    with kartotek.Register.open(tmp_path / "saved", create=False) as saved:
        assert saved.write_state() == reg.write_state()


def test_import_refuses_bad_documents_naming_the_field() -> None:
    with pytest.raises(kartotek.ValidationError) as e:
        kartotek.Register.import_json('{"format":"other","version":1}')
    assert e.value.field == "format"
    with pytest.raises(kartotek.ValidationError):
        kartotek.Register.import_json("{")


def test_export_needs_an_administrator(clock: kartotek.ManualClock) -> None:
    reg = kartotek.Register(clock=clock)
    admin, _ = fill(reg)
    staff = reg.create_user(admin, kartotek.User(login="tina", name="Tina Tekniker"))
    with pytest.raises(kartotek.PermissionDenied):
        reg.export_json(staff)


def test_writers_on_threads_are_all_durable(tmp_path: Path) -> None:
    with kartotek.Register.open(tmp_path / "r") as reg:
        admin = reg.create_first_administrator("admin", "Ada")

        def write(base: int) -> None:
            for i in range(20):
                reg.create_customer(admin, kartotek.Customer(number=f"{base + i}", name="Kund"))

        threads = [threading.Thread(target=write, args=(1000 * (t + 1),)) for t in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    with kartotek.Register.open(tmp_path / "r") as again:
        assert again.counts().customers == 80
