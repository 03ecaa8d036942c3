"""CSV import, list export and facility search (Register.import_csv,
export_*, search_facilities, columns)."""

from __future__ import annotations

import csv
import io
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

import kartotek
from kartotek import Contact, Customer, Facility, Register


def customers_by_number(reg: Register, actor: int) -> Dict[str, Customer]:
    return {c.number: c for c in reg.search_customers(actor, limit=100_000)}


def csv_rows(data: bytes, delimiter: str = ",") -> List[Dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def headers(report: kartotek.ImportReport) -> Dict[str, str]:
    return {m.header: m.column for m in report.columns}


# ---- reading files: encodings, delimiters, headers ------------------------------


def test_a_windows_1252_file_with_semicolons(reg: Register, admin: int) -> None:
    data = "Kundnummer;Namn;E-post;Postnummer;Ort\r\n1001;Åsa Öberg;asa@oberg.se;903 26;Umeå\r\n".encode("cp1252")
    report = reg.import_csv(admin, data)
    assert "1252" in report.encoding
    assert report.delimiter == ";"
    assert (report.kind, report.rows, report.created, report.updated, report.skipped) == ("customers", 1, 1, 0, 0)
    assert report.applied and not report.dry_run and not report.cancelled and report.change > 0
    assert report.problems == []
    assert headers(report) == {
        "Kundnummer": "number",
        "Namn": "name",
        "E-post": "email",
        "Postnummer": "invoice_address.postal_code",
        "Ort": "invoice_address.city",
    }
    c = customers_by_number(reg, admin)["1001"]
    assert (c.name, c.email, c.invoice_address.postal_code, c.invoice_address.city) == (
        "Åsa Öberg", "asa@oberg.se", "903 26", "Umeå")
    created = reg.history(admin, ("customer", c.id))[0]
    assert (created.action, created.source, created.actor) == ("created", "import", admin)


def test_a_utf8_file_with_a_byte_order_mark_and_norwegian_headers(reg: Register, admin: int) -> None:
    data = "\ufeffKundenummer,Navn,E-post\n2001,Søren Ærø,soren@aero.dk\n".encode("utf-8")
    report = reg.import_csv(admin, data)
    assert report.encoding.lower().replace("-", "").startswith("utf8")
    assert report.delimiter == ","
    assert headers(report) == {"Kundenummer": "number", "Navn": "name", "E-post": "email"}
    assert customers_by_number(reg, admin)["2001"].name == "Søren Ærø"


def test_english_headers_a_str_and_a_path(reg: Register, admin: int, tmp_path: Path) -> None:
    text = "Customer number\tName\tE-mail\n3001\tEk AB\tinfo@ek.se\n"
    report = reg.import_csv(admin, text)
    assert report.delimiter == "\t"
    assert headers(report)["Customer number"] == "number"
    path = tmp_path / "kunder.csv"
    path.write_bytes("number,name\n3002,Alm AB\n".encode("utf-8"))
    assert reg.import_csv(admin, path).created == 1
    assert reg.import_csv(admin, bytearray(b"number,name\n3003,Lind AB\n")).created == 1
    assert set(customers_by_number(reg, admin)) == {"3001", "3002", "3003"}
    with pytest.raises(FileNotFoundError):
        reg.import_csv(admin, tmp_path / "missing.csv")
    with pytest.raises(TypeError):
        reg.import_csv(admin, 42)  # type: ignore[arg-type]


def test_the_columns_of_each_list(reg: Register) -> None:
    customers = Register.columns("customers")
    by_name = {c.name: c for c in customers}
    assert {"number", "name", "email", "invoice_address.postal_code", "invoice_address.city", "kind",
            "active", "technician"} <= set(by_name)
    assert "Kundnummer" in by_name["number"].headers and "Namn" in by_name["name"].headers
    assert by_name["number"].importable and by_name["number"].exported
    assert all(isinstance(c, kartotek.ColumnInfo) for c in customers)
    assert any(not c.importable for c in customers)  # id, created_at …
    info = by_name["number"].to_dict()
    assert set(info) == {"name", "headers", "importable", "exported", "description"}
    contacts = {c.name for c in Register.columns("contacts")}
    assert {"first_name", "last_name", "email", "customer_number", "role"} <= contacts
    facilities = {c.name for c in Register.columns("facilities")}
    assert {"customer_number", "name", "number", "address.street"} <= facilities
    assert Register.columns("orders")
    with pytest.raises(kartotek.ValidationError) as err:
        Register.columns("users")  # type: ignore[arg-type]
    assert err.value.field == "kind"


def test_a_mapping_names_headers_and_leaves_some_unread(reg: Register, admin: int) -> None:
    data = b"Nr;Firma;Anteckning\n4001;Gran AB;ring efter lunch\n"
    report = reg.import_csv(admin, data, mapping={"Nr": "number", "Firma": "name", "Anteckning": None})
    assert headers(report) == {"Nr": "number", "Firma": "name", "Anteckning": ""}
    assert report.created == 1 and customers_by_number(reg, admin)["4001"].comments == ""
    # an earlier report's columns are a mapping too
    again = reg.import_csv(admin, b"Nr;Firma;Anteckning\n4002;Tall AB;x\n", mapping=report.columns, dry_run=True)
    assert headers(again) == headers(report)
    with pytest.raises(kartotek.ValidationError):
        reg.import_csv(admin, data, mapping={"Nr": "no_such_column"})
    with pytest.raises(kartotek.ValidationError) as err:
        reg.import_csv(admin, data, delimiter="|")
    assert err.value.field == "delimiter"


def test_a_refused_file_raises_and_changes_nothing(reg: Register, admin: int) -> None:
    before = reg.write_state()
    with pytest.raises(kartotek.ValidationError):
        reg.import_csv(admin, b"number,name,number\n1,A,2\n")  # a header twice
    with pytest.raises(kartotek.ValidationError):
        reg.import_csv(admin, "number,name\n".encode("utf-16"))
    with pytest.raises(kartotek.ValidationError):
        reg.import_csv(admin, b'number,name\n1,"never closed\n')
    assert reg.write_state() == before


# ---- rows: problems, all or nothing, upsert --------------------------------------

BAD = (
    "Kundnummer;Namn;E-post\n"
    "5001;Alfa AB;alfa@alfa.se\n"
    "5002;Beta AB;x@\n"
    "5003;Gamma AB;gamma@gamma.se\n"
    "5004;;delta@delta.se\n"
).encode("utf-8")


def test_a_dry_run_checks_every_row_and_changes_nothing(reg: Register, admin: int) -> None:
    before = reg.write_state()
    report = reg.import_csv(admin, BAD, dry_run=True)
    assert report.dry_run and not report.applied and report.change == 0
    assert report.rows == 4
    assert [p.row for p in report.problems] == [3, 5]
    assert reg.write_state() == before
    good = reg.import_csv(admin, BAD, dry_run=True, skip_bad_rows=True)
    assert (good.created, good.skipped, good.applied) == (2, 2, False)
    assert reg.write_state() == before


def test_a_bad_row_is_reported_with_row_column_value_and_reason(reg: Register, admin: int) -> None:
    report = reg.import_csv(admin, BAD)
    problem = report.problems[0]
    assert (problem.row, problem.column, problem.value) == (3, "E-post", "x@")
    assert "e-mail" in problem.reason
    assert report.problems[1].row == 5 and report.problems[1].column == "Namn"
    assert problem.to_dict() == {"row": 3, "column": "E-post", "value": "x@", "reason": problem.reason}
    assert report.to_dict()["problems"][0] == problem.to_dict()
    assert "ImportProblem(row=3" in repr(problem)


def test_all_or_nothing_unless_bad_rows_are_skipped(reg: Register, admin: int) -> None:
    refused = reg.import_csv(admin, BAD)
    assert (refused.applied, refused.change, len(refused.problems)) == (False, 0, 2)
    assert reg.counts().customers == 0
    report = reg.import_csv(admin, BAD, skip_bad_rows=True)
    assert (report.applied, report.created, report.skipped, len(report.problems)) == (True, 2, 2, 2)
    assert set(customers_by_number(reg, admin)) == {"5001", "5003"}


def test_an_existing_number_is_a_bad_row_unless_upsert(reg: Register, admin: int) -> None:
    cid = reg.create_customer(admin, Customer(number="6001", name="Gamla Namnet AB", phone="+46 90 12 34 56"))
    data = "Kundnummer;Namn\n6001;Nya Namnet AB\n6002;Ny Kund AB\n".encode("utf-8")
    refused = reg.import_csv(admin, data)
    assert not refused.applied and [p.row for p in refused.problems] == [2]
    report = reg.import_csv(admin, data, upsert=True)
    assert (report.created, report.updated, report.applied) == (1, 1, True)
    c = reg.customer(admin, cid)
    assert (c.name, c.phone) == ("Nya Namnet AB", "+46 90 12 34 56")  # the columns the file lacks stay


def test_kind_active_and_technician_columns(reg: Register, admin: int) -> None:
    tekla = reg.create_user(admin, kartotek.User(login="tekla", name="Tekla Tekniker"))
    data = ("Kundnummer;Namn;kind;active;technician\n"
            "7001;Privat Person;privat;nej;tekla\n"
            "7002;Företaget AB;company;yes;\n").encode("utf-8")
    report = reg.import_csv(admin, data)
    assert report.problems == [] and report.created == 2
    found = customers_by_number(reg, admin)
    assert (found["7001"].kind, found["7001"].active, found["7001"].assigned_technician) == ("private", False, tekla)
    assert (found["7002"].kind, found["7002"].active, found["7002"].assigned_technician) == ("company", True, None)


def test_contacts_with_their_customer_links(reg: Register, admin: int) -> None:
    a = reg.create_customer(admin, Customer(number="8001", name="Ett AB"))
    b = reg.create_customer(admin, Customer(number="8002", name="Två AB"))
    data = ("Förnamn;Efternamn;E-post;customer_number;role\n"
            "Lena;Söderström;lena@ett.se;8001|8002;Inköpschef\n"
            "Per;Ek;;8002;\n"
            "Ola;Utan;;9999;\n").encode("utf-8")
    report = reg.import_csv(admin, data, kind="contacts")
    assert report.kind == "contacts"
    assert [p.row for p in report.problems] == [4]  # no customer 9999
    report = reg.import_csv(admin, data, kind="contacts", skip_bad_rows=True)
    assert (report.created, report.skipped) == (2, 1)
    [lena] = reg.search_contacts(admin, "Söderström")
    assert (lena.first_name, lena.email) == ("Lena", "lena@ett.se")
    assert [(link.customer, link.role) for link in reg.links_of(admin, lena.id)] == [(a, "Inköpschef"), (b, "Inköpschef")]
    assert [lc.contact.last_name for lc in reg.contacts_of(admin, b)] == ["Ek", "Söderström"]


def test_facilities_and_their_upsert(reg: Register, admin: int) -> None:
    cid = reg.create_customer(admin, Customer(number="9001", name="Fast AB"))
    data = ("customer_number;name;number;address.street;address.city\n"
            "9001;Lager 1;A1;Hamngatan 1;Luleå\n"
            "9001;Kontoret;A2;Storgatan 5;Luleå\n").encode("utf-8")
    report = reg.import_csv(admin, data, kind="facilities")
    assert (report.kind, report.created, report.problems) == ("facilities", 2, [])
    sites = reg.facilities_of(admin, cid)
    assert [(f.name, f.number, f.address.street) for f in sites] == [
        ("Lager 1", "A1", "Hamngatan 1"), ("Kontoret", "A2", "Storgatan 5")]
    moved = b"customer_number;number;address.street\n9001;A1;Hamngatan 3\n"
    report = reg.import_csv(admin, moved, kind="facilities", upsert=True)
    assert (report.created, report.updated) == (0, 1)
    assert reg.facility(admin, sites[0].id).address.street == "Hamngatan 3"
    assert reg.facility(admin, sites[0].id).name == "Lager 1"


def test_import_needs_the_upload_right(reg: Register, admin: int) -> None:
    clerk = reg.create_user(admin, kartotek.User(
        login="clerk", name="Clerk", rights=["customers.view", "customers.create", "customers.edit"]))
    with pytest.raises(kartotek.PermissionDenied, match="customers.upload"):
        reg.import_csv(clerk, b"number,name\n1,A\n")
    with pytest.raises(kartotek.ValidationError):
        reg.import_csv(admin, b"number,name\n1,A\n", kind="orders")


# ---- progress and cancelling -------------------------------------------------------


def many_customers(n: int, start: int = 10000) -> bytes:
    lines = ["Kundnummer;Namn;Ort"] + [f"{start + i};Kund {i} AB;Umeå" for i in range(n)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def test_progress_is_reported_by_phase(reg: Register, admin: int) -> None:
    calls: List[Tuple[str, int, int]] = []

    def progress(phase: str, done: int, total: int) -> None:
        calls.append((phase, done, total))

    data = many_customers(5000)
    report = reg.import_csv(admin, data, progress=progress)
    assert report.created == 5000 and not report.cancelled
    phases = [c[0] for c in calls]
    assert "reading" in phases and "rows" in phases
    assert phases.index("reading") < phases.index("rows")
    reading = [c for c in calls if c[0] == "reading"]
    assert reading[-1][1] == reading[-1][2] > 0
    rows = [c for c in calls if c[0] == "rows"]
    assert all(done <= total for _, done, total in rows)
    assert rows[-1][1] == rows[-1][2]

    exported: List[Tuple[str, int, int]] = []
    reg.export_customers(admin, progress=lambda *call: exported.append(call) is None)
    assert exported and all(phase == "records" for phase, _, _ in exported)
    assert exported[-1][1:] == (5000, 5000)


def test_returning_false_cancels_and_changes_nothing(reg: Register, admin: int) -> None:
    before = reg.write_state()
    report = reg.import_csv(admin, many_customers(3000), progress=lambda phase, done, total: phase != "rows")
    assert report.cancelled and not report.applied and report.change == 0
    assert reg.write_state() == before
    reg.create_customer(admin, Customer(number="1", name="En AB"))
    with pytest.raises(kartotek.Conflict):
        reg.export_customers(admin, progress=lambda phase, done, total: False)


def test_an_exception_in_progress_cancels_and_is_raised(reg: Register, admin: int) -> None:
    class Stop(Exception):
        pass

    def stop(phase: str, done: int, total: int) -> bool:
        if phase == "rows":
            raise Stop(f"stopped at {done}")
        return True

    before = reg.write_state()
    with pytest.raises(Stop, match="stopped at"):
        reg.import_csv(admin, many_customers(3000), progress=stop)
    assert reg.write_state() == before
    reg.create_customer(admin, Customer(number="1", name="En AB"))

    def fail(phase: str, done: int, total: int) -> bool:
        raise KeyError("export")

    with pytest.raises(KeyError):
        reg.export_customers(admin, progress=fail)
    with pytest.raises(TypeError):
        reg.import_csv(admin, b"number,name\n", progress=42)  # type: ignore[arg-type]
    # the register works on afterwards
    assert reg.import_csv(admin, b"number,name\n2,Tv\xc3\xa5 AB\n").created == 1


def test_the_callback_may_not_use_its_own_register(reg: Register, admin: int) -> None:
    def peek(phase: str, done: int, total: int) -> bool:
        if phase == "rows":
            reg.counts()  # the register is locked by this very import
        return True

    with pytest.raises(kartotek.Conflict):
        reg.import_csv(admin, many_customers(10), progress=peek)
    assert reg.counts().customers == 0


def test_the_gil_is_free_while_an_import_runs(reg: Register, admin: int) -> None:
    data = many_customers(20000)
    started = threading.Event()
    done = threading.Event()
    observed: List[int] = []

    def importer() -> None:
        started.set()
        reg.import_csv(admin, data)
        done.set()

    old = sys.getswitchinterval()
    # No forced GIL hand-over: the main thread runs during the import only if
    # the import released the GIL.
    sys.setswitchinterval(30)
    try:
        thread = threading.Thread(target=importer)
        thread.start()
        while not done.is_set():
            if started.is_set():
                observed.append(1)
            time.sleep(0.0002)
        thread.join()
    finally:
        sys.setswitchinterval(old)
    assert observed
    assert reg.counts().customers == 20000


def test_another_thread_may_use_the_register_while_progress_runs(reg: Register, admin: int) -> None:
    """The callback holds the GIL while the register is locked: another
    thread's calls must wait for the register without holding the GIL."""
    workers: List[threading.Thread] = []
    seen: List[str] = []

    def look() -> None:
        seen.append(repr(reg))
        seen.append(str(reg.closed))
        seen.append(str(reg.counts().customers))

    def progress(phase: str, done: int, total: int) -> bool:
        if not workers:
            workers.append(threading.Thread(target=look))
            workers[0].start()
            time.sleep(0.05)  # the worker now waits for the register, or is done
        return True

    reg.import_csv(admin, many_customers(100), progress=progress)
    workers[0].join(timeout=30)
    assert not workers[0].is_alive()
    assert seen[0].startswith("Register(") and seen[1] == "False"


# ---- export --------------------------------------------------------------------------


@pytest.fixture
def filled(reg: Register, admin: int) -> Register:
    a = reg.create_customer(admin, Customer(number="1001", name="Åberg & Söner AB", email="info@aberg.se",
                                            invoice_address=kartotek.Address(city="Göteborg", postal_code="411 01")))
    reg.create_customer(admin, Customer(number="1002", name="Ek; \"Eken\" AB", kind="private"))
    gone = reg.create_customer(admin, Customer(number="1003", name="Vilande AB"))
    reg.deactivate_customer(admin, gone)
    lena = reg.create_contact(admin, Contact(first_name="Lena", last_name="Söderström", email="lena@aberg.se"))
    reg.link_contact(admin, lena, a, role="Inköpschef")
    reg.create_facility(admin, Facility(customer=a, name="Kylhallen", number="F1",
                                        address=kartotek.Address(street="Kylgatan 3", city="Göteborg")))
    reg.create_facility(admin, Facility(customer=a, name="Annexet", number="F2"))
    reg.create_order(admin, kartotek.Order(kind="work_order", customer=a, subject="Kylen läcker"))
    return reg


def test_excel_csv_and_json(filled: Register, admin: int) -> None:
    excel = filled.export_customers(admin, active=True, sort="number")
    assert excel.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in excel and excel.endswith(b"\r\n")
    rows = csv_rows(excel, ";")
    assert [r["number"] for r in rows] == ["1001", "1002"]
    assert rows[1]["name"] == 'Ek; "Eken" AB'
    default = [c.name for c in Register.columns("customers") if c.exported]
    assert list(rows[0]) == default

    plain = filled.export_customers(admin, sort="number", columns=["number", "name", "invoice_address.city"],
                                    format="csv")
    assert not plain.startswith(b"\xef\xbb\xbf") and plain.endswith(b"\r\n")
    rows = csv_rows(plain)
    assert list(rows[0]) == ["number", "name", "invoice_address.city"]
    assert [(r["number"], r["invoice_address.city"]) for r in rows] == [
        ("1001", "Göteborg"), ("1002", ""), ("1003", "")]
    plain = filled.export_customers(admin, sort="number", columns=["number", "name"], format="csv")
    assert plain.decode("utf-8").splitlines()[:2] == ["number,name", "1001,Åberg & Söner AB"]

    data = json.loads(filled.export_customers(admin, "åberg", columns=["number", "email"], format="json"))
    assert data == [{"number": "1001", "email": "info@aberg.se"}]
    with pytest.raises(kartotek.ValidationError):
        filled.export_customers(admin, columns=["number", "no_such_column"])
    with pytest.raises(kartotek.ValidationError) as err:
        filled.export_customers(admin, format="xlsx")  # type: ignore[arg-type]
    assert err.value.field == "format"
    with pytest.raises(kartotek.ValidationError):
        filled.export_customers(admin, columns="number,name")  # type: ignore[arg-type]


def test_export_takes_the_filters_sort_and_paging_of_the_search(filled: Register, admin: int) -> None:
    def numbers(data: bytes) -> List[str]:
        return [r["number"] for r in json.loads(data)]

    assert numbers(filled.export_customers(admin, sort="number", descending=True, format="json")) == [
        "1003", "1002", "1001"]
    assert numbers(filled.export_customers(admin, sort="number", offset=1, limit=1, format="json")) == ["1002"]
    assert numbers(filled.export_customers(admin, active=False, format="json")) == ["1003"]
    assert numbers(filled.export_customers(admin, kind="private", format="json")) == ["1002"]

    contacts = json.loads(filled.export_contacts(admin, "söder", format="json"))
    assert [c["last_name"] for c in contacts] == ["Söderström"]
    aberg = filled.find_customer_by_number(admin, "1001")
    assert aberg is not None
    assert json.loads(filled.export_contacts(admin, customer=aberg.id + 1, format="json")) == []

    sites = json.loads(filled.export_facilities(admin, sort="number", format="json"))
    assert [f["name"] for f in sites] == ["Kylhallen", "Annexet"]
    assert len(json.loads(filled.export_facilities(admin, "kyl", format="json"))) == 1

    orders = json.loads(filled.export_orders(admin, customer=aberg.id, format="json"))
    assert len(orders) == 1
    assert len(csv_rows(filled.export_orders(admin, kartotek.OrderQuery(closed=False)), ";")) == 1
    assert b"Kylen l\xc3\xa4cker" in filled.export_orders(admin, format="csv")


def test_export_needs_the_rights_of_the_list(filled: Register, admin: int) -> None:
    blind = filled.create_user(admin, kartotek.User(login="blind", name="Utan Rätter"))
    assert json.loads(filled.export_customers(blind, format="json")) == []


def strip(record: Dict[str, Any], *keys: str) -> Dict[str, Any]:
    return {k: v for k, v in record.items() if k not in keys}


@pytest.mark.parametrize("fmt", ["excel", "csv"])
def test_export_then_import_into_a_new_register_gives_the_same_records(
    filled: Register, admin: int, fmt: kartotek.ExportFormat
) -> None:
    columns = [c.name for c in Register.columns("customers") if c.importable and c.exported]
    data = filled.export_customers(admin, format=fmt, columns=columns)
    fresh = Register()
    boss = fresh.create_first_administrator("admin", "Ada Admin")
    report = fresh.import_csv(boss, data)
    assert report.problems == [] and report.created == 3
    assert set(headers(report).values()) == set(columns)
    moving = ("id", "created_at", "revision")
    mine = {c.number: strip(c.to_dict(), *moving) for c in filled.search_customers(admin, limit=100)}
    theirs = {c.number: strip(c.to_dict(), *moving) for c in fresh.search_customers(boss, limit=100)}
    assert theirs == mine

    # contacts and facilities follow their customers by number
    fresh.import_csv(boss, filled.export_contacts(admin, columns=[
        c.name for c in Register.columns("contacts") if c.importable and c.exported]), kind="contacts")
    fresh.import_csv(boss, filled.export_facilities(admin, columns=[
        c.name for c in Register.columns("facilities") if c.importable and c.exported]), kind="facilities")
    aberg = fresh.find_customer_by_number(boss, "1001")
    assert aberg is not None
    [linked] = fresh.contacts_of(boss, aberg.id)
    assert (linked.contact.first_name, linked.contact.last_name, linked.link.role) == ("Lena", "Söderström", "Inköpschef")
    assert sorted(f.name for f in fresh.facilities_of(boss, aberg.id)) == ["Annexet", "Kylhallen"]


# ---- facility search -------------------------------------------------------------------


def test_search_facilities(filled: Register, admin: int) -> None:
    page = filled.search_facilities(admin)
    assert [f.name for f in page] == ["Annexet", "Kylhallen"] and page.total == 2
    assert [f.number for f in filled.search_facilities(admin, "kyl")] == ["F1"]
    assert [f.number for f in filled.search_facilities(admin, "f2")] == ["F2"]
    assert [f.number for f in filled.search_facilities(admin, sort="number", descending=True)] == ["F2", "F1"]
    second = filled.search_facilities(admin, sort="number", offset=1, limit=1)
    assert ([f.number for f in second], second.total, second.next_offset) == (["F2"], 2, None)
    aberg = filled.find_customer_by_number(admin, "1001")
    assert aberg is not None
    assert filled.search_facilities(admin, customer=aberg.id).total == 2
    assert filled.search_facilities(admin, customer=aberg.id + 1).total == 0
    assert filled.search_facilities(admin, active=True).total == 2
    assert filled.search_facilities(admin, active=False).total == 0
    with pytest.raises(kartotek.ValidationError) as err:
        filled.search_facilities(admin, sort="size")  # type: ignore[arg-type]
    assert err.value.field == "sort"


def test_records_of_an_import_report_round_trip() -> None:
    report = kartotek.ImportReport(
        kind="contacts", encoding="UTF-8", delimiter=";", rows=2, created=1, skipped=1,
        columns=[kartotek.ColumnMapping(header="Namn", column="last_name")],
        problems=[kartotek.ImportProblem(row=3, column="E-post", value="x@", reason="not an e-mail address")],
    )
    assert kartotek.ImportReport.from_dict(report.to_dict()) == report
    assert report.to_dict()["columns"] == [{"header": "Namn", "column": "last_name"}]
    assert repr(report).startswith("ImportReport(kind='contacts', rows=2, created=1")
    assert kartotek.ColumnInfo(name="x").to_dict()["importable"] is True
