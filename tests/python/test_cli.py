"""The `kartotek` command line, run as a separate process."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest


def run(cwd: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path), KARTOTEK_REGISTER="", KARTOTEK_USER="")
    done = subprocess.run(
        [sys.executable, "-m", "kartotek", *args], cwd=cwd, env=env, capture_output=True, text=True,
        encoding="utf-8", timeout=120,
    )
    if ok:
        assert done.returncode == 0, done.stderr
    return done


def refused(cwd: Path, *args: str) -> str:
    done = run(cwd, *args, ok=False)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kartotek: error: "), done.stderr
    return lines[0]


def files_of(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sample register in <tmp>/kartotek-register, made once for the module."""
    cwd = tmp_path_factory.mktemp("cli")
    done = run(cwd, "demo", "--customers", "60")
    assert "60 customers" in done.stdout
    assert "created a sample register at kartotek-register" in done.stderr
    return cwd


def test_demo_is_deterministic_and_refuses_to_overwrite(demo: Path, tmp_path: Path) -> None:
    run(tmp_path, "--register", "again", "demo", "--customers", "60")
    a = json.loads(run(demo, "export", "--customers").stdout.splitlines()[0])
    b = json.loads(run(tmp_path, "--register", "again", "export", "--customers").stdout.splitlines()[0])
    for moving in ("created_at",):
        a.pop(moving), b.pop(moving)
    assert a == b
    before = files_of(demo / "kartotek-register")
    assert "already exists" in refused(demo, "demo")
    assert files_of(demo / "kartotek-register") == before


def test_search_show_and_stats(demo: Path) -> None:
    out = run(demo, "search", "--sort", "number", "--limit", "3").stdout.splitlines()
    assert out[0].split() == ["number", "name", "city", "technician"]
    assert out[1].startswith("1001 ")
    assert out[-1] == "3 of 60"
    name = json.loads(run(demo, "show", "1001", "--json").stdout)["customer"]["name"]
    found = json.loads(run(demo, "search", name.upper(), "--json", "--limit", "100").stdout)
    assert "1001" in [c["number"] for c in found]
    assert all(c["active"] for c in found)

    shown = run(demo, "show", "1001").stdout
    assert shown.startswith("1001  ")
    assert "contacts (" in shown and "facilities (" in shown
    doc = json.loads(run(demo, "show", "1001", "--json").stdout)
    assert doc["customer"]["number"] == "1001"
    assert {"customer", "contacts", "facilities"} <= set(doc)

    stats = json.loads(run(demo, "stats", "--json").stdout)
    assert stats["customers"] == 60 and stats["users"] == 5
    assert stats["snapshot_bytes"] > 0


def test_assign_deactivate_and_history(demo: Path) -> None:
    assert "assigned to soren" in run(demo, "assign", "1002", "soren").stdout
    assert "deactivated" in run(demo, "deactivate", "1002").stdout
    assert "active" in run(demo, "deactivate", "1002", "--reactivate").stdout
    history = run(demo, "history", "1002", "--limit", "3").stdout.splitlines()
    assert history[0].split() == ["time", "user", "record", "action", "change"]
    assert "assigned_technician:" in history[1] and "soren" in history[1]
    assert "active: true → false" in history[2]
    assert "active: false → true" in history[3]
    entries = json.loads(run(demo, "history", "1002", "--json", "--limit", "0").stdout)
    assert entries[0]["action"] == "created"
    assert "nobody" in refused(demo, "assign", "1002", "nobody")
    assert "technician" in refused(demo, "assign", "1002")
    assert "9999" in refused(demo, "show", "9999")


def test_acting_as_another_user_applies_his_rights(demo: Path) -> None:
    assert "only an administrator" in refused(demo, "--user", "tina", "export")
    tina = json.loads(run(demo, "--user", "tina", "search", "--technician", "tina", "--json", "--limit", "100").stdout)
    assert tina and all(c["assigned_technician"] == 2 for c in tina)
    assert "no user" in refused(demo, "--user", "ghost", "stats")


def test_check_and_compact(demo: Path) -> None:
    register = demo / "kartotek-register"
    run(demo, "assign", "1003", "maja")
    before = files_of(register)
    out = run(demo, "check").stdout
    assert "kartotek-register: ok" in out and "60 customers" in out
    assert files_of(register) == before  # check changes nothing
    assert "compacted" in run(demo, "compact").stdout
    assert (register / "journal").stat().st_size == 32
    assert "0 journal records" in run(demo, "check").stdout


def test_check_reports_damage_and_changes_nothing(demo: Path, tmp_path: Path) -> None:
    run(tmp_path, "--register", "r", "demo", "--customers", "5")
    snapshot = tmp_path / "r" / "snapshot"
    data = bytearray(snapshot.read_bytes())
    data[len(data) // 2] ^= 0x01
    snapshot.write_bytes(bytes(data))
    before = files_of(tmp_path / "r")
    message = refused(tmp_path, "--register", "r", "check")
    assert "damaged" in message and "snapshot" in message
    assert files_of(tmp_path / "r") == before
    assert "snapshot" in refused(tmp_path, "--register", "r", "stats")


def test_init_then_import_customers_all_or_nothing(tmp_path: Path) -> None:
    assert "administrator: boss" in run(tmp_path, "init", "--admin", "boss", "--locale", "da").stdout
    assert "already exists" in refused(tmp_path, "init")
    good = tmp_path / "good.jsonl"
    good.write_text(
        '{"number": "K1", "name": "Ærø Køl ApS"}\n\n{"number": "K2", "name": "Åberg AB", "kind": "private"}\n',
        encoding="utf-8",
    )
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"number": "K3", "name": "Ny"}, {"number": "K1", "name": "Dubblett"},
                               {"number": "K4", "nme": "Stavfel"}]), encoding="utf-8")
    assert "would import" in run(tmp_path, "import", str(good), "--dry-run").stdout
    assert json.loads(run(tmp_path, "stats", "--json").stdout)["customers"] == 0
    run(tmp_path, "import", str(good))
    assert json.loads(run(tmp_path, "stats", "--json").stdout)["customers"] == 2

    done = run(tmp_path, "import", str(bad), ok=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "line 2" in done.stderr and "line 3" in done.stderr and "nme" in done.stderr
    assert "2 of 3 records refused; nothing imported" in done.stderr
    assert json.loads(run(tmp_path, "stats", "--json").stdout)["customers"] == 2
    history = json.loads(run(tmp_path, "history", "K1", "--json").stdout)
    assert history[0]["source"] == "import"


def test_export_then_import_a_whole_register(demo: Path, tmp_path: Path) -> None:
    document = tmp_path / "all.json"
    run(demo, "export", "-o", str(document))
    assert json.loads(document.read_text(encoding="utf-8"))["format"] == "kartotek-register"
    assert "valid register" in run(tmp_path, "--register", "copy", "import", str(document), "--dry-run").stdout
    assert not (tmp_path / "copy").exists()
    run(tmp_path, "--register", "copy", "import", str(document))
    assert run(tmp_path, "--register", "copy", "export").stdout == document.read_text(encoding="utf-8")


def test_usage_errors_and_missing_registers(tmp_path: Path) -> None:
    assert "no register at" in refused(tmp_path, "search")
    assert "no such file" in refused(tmp_path, "import", "missing.json")
    done = run(tmp_path, "frobnicate", ok=False)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert run(tmp_path, "--version").stdout.startswith("kartotek ")
    assert "demo" in run(tmp_path, "--help").stdout


def test_orders_and_the_todo_list(demo: Path) -> None:
    every = json.loads(run(demo, "orders", "--all", "--limit", "0", "--json").stdout)
    assert every, "the sample has orders"
    kinds = {o["kind"] for o in every}
    assert kinds <= {"work_order", "service_order", "error_report", "contact_order"}
    closed = [o["closed"] for o in every]
    assert closed == sorted(closed), "closed orders come last"
    open_ones = json.loads(run(demo, "orders", "--limit", "0", "--json").stdout)
    assert len(open_ones) == closed.count(False)

    # One customer's orders, as a table with its count line.
    customer = every[0]["customer"]
    shown = json.loads(run(demo, "show", str(1000 + customer), "--json").stdout)["customer"]
    assert shown["id"] == customer  # the sample numbers its customers 1001, 1002 …
    listed = run(demo, "orders", shown["number"], "--all").stdout.splitlines()
    assert listed[0].split() == ["kind", "number", "customer", "subject", "status", "planned", "assigned"]
    mine = [o for o in every if o["customer"] == customer]
    assert listed[-1] == f"{len(mine)} of {len(mine)}"
    assert all(shown["name"] in line for line in listed[1:-1])

    # A technician's to-do list holds the calls booked for him, by date.
    tina = next(u for u in json.loads(run(demo, "export").stdout)["users"] if u["login"] == "tina")
    booked = sorted(b["when"] for o in every if o["kind"] == "contact_order" and not o["closed"]
                    for b in o["bookings"] if b["user"] == tina["id"] and not b["done"])
    todo = json.loads(run(demo, "--user", "tina", "todo", "--json").stdout)
    assert [i["when"] for i in todo if i["booking"]] == booked
    assert run(demo, "--user", "tina", "todo").stdout.splitlines()[-1] == f"{len(todo)} to do"
    assert "9999" in refused(demo, "orders", "9999")


# ---- CSV import, list export, columns ---------------------------------------------


CUSTOMERS_CSV = (
    "Kundnummer;Namn;E-post;Postnummer;Ort\r\n"
    "2001;Åsa Öberg;asa@oberg.se;903 26;Umeå\r\n"
    "2002;Kyl & Värme i Norr AB;x@;971 85;Luleå\r\n"
    "2003;Hissgruppen AB;hiss@grupp.se;211 20;Malmö\r\n"
)


def customers_of(cwd: Path, *args: str) -> dict[str, dict[str, object]]:
    found = json.loads(run(cwd, *args, "search", "--all", "--json", "--limit", "1000").stdout)
    return {c["number"]: c for c in found}


def test_import_csv_reports_problems_and_imports_all_or_nothing(tmp_path: Path) -> None:
    run(tmp_path, "init")
    source = tmp_path / "kunder.csv"
    source.write_bytes(CUSTOMERS_CSV.encode("cp1252"))

    done = run(tmp_path, "import", "kunder.csv", ok=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "columns: Kundnummer → number, Namn → name, E-post → email" in done.stdout
    assert "delimiter ';', 3 rows" in done.stdout
    problems = done.stderr.splitlines()
    assert problems[0].startswith("kunder.csv: row 3, column 'E-post' ('x@'): ")
    assert problems[-1] == (
        "kartotek: error: kunder.csv: nothing imported: 1 bad row (--skip-bad-rows imports the others)")
    assert customers_of(tmp_path) == {}

    dry = run(tmp_path, "import", "kunder.csv", "--dry-run", "--skip-bad-rows")
    assert dry.stdout.splitlines()[-1] == "dry run: 2 customers would be imported (2 created, 0 updated); 1 bad row skipped"
    assert customers_of(tmp_path) == {}

    done = run(tmp_path, "import", "kunder.csv", "--skip-bad-rows")
    assert done.stdout.splitlines()[-1] == "imported 2 customers (2 created, 0 updated); 1 bad row skipped"
    assert "row 3" in done.stderr
    found = customers_of(tmp_path)
    assert set(found) == {"2001", "2003"} and found["2001"]["name"] == "Åsa Öberg"
    history = json.loads(run(tmp_path, "history", "2001", "--json").stdout)
    assert history[0]["source"] == "import"

    # the same numbers again: refused rows, unless --upsert
    again = tmp_path / "again.txt"
    again.write_text("Nr\tFirma\tAnteckning\n2001\tÅsa Öberg AB\tx\n2004\tNy AB\ty\n", encoding="utf-8")
    mapping = ["--map", "Nr=number", "--map", "Firma=name", "--map", "Anteckning="]
    done = run(tmp_path, "import", "again.txt", *mapping, ok=False)
    assert done.returncode == 1 and "row 2" in done.stderr
    done = run(tmp_path, "import", "again.txt", *mapping, "--upsert", "--delimiter", "tab")
    assert "Anteckning → (not read)" in done.stdout
    assert done.stdout.splitlines()[-1] == "imported 2 customers (1 created, 1 updated)"
    found = customers_of(tmp_path)
    assert found["2001"]["name"] == "Åsa Öberg AB" and found["2001"]["email"] == "asa@oberg.se"
    assert found["2004"]["comments"] == ""


def test_import_csv_of_contacts_and_facilities(tmp_path: Path) -> None:
    run(tmp_path, "init")
    (tmp_path / "k.csv").write_text("Kundnummer;Namn\n1;Ett AB\n2;Två AB\n", encoding="utf-8-sig")
    run(tmp_path, "import", "k.csv")
    (tmp_path / "people.dat").write_text(
        "Förnamn;Efternamn;customer_number\nLena;Söderström;1|2\n", encoding="utf-8")
    assert "imported 1 contact (1 created, 0 updated)" in run(
        tmp_path, "import", "people.dat", "--kind", "contacts").stdout
    (tmp_path / "sites.csv").write_text("customer_number,name,number\n2,Lagret,L1\n", encoding="utf-8")
    assert "imported 1 facility" in run(tmp_path, "import", "sites.csv", "--kind", "facilities").stdout
    shown = json.loads(run(tmp_path, "show", "2", "--json").stdout)
    assert [c["contact"]["last_name"] for c in shown["contacts"]] == ["Söderström"]
    assert [f["facility"]["name"] for f in shown["facilities"]] == ["Lagret"]


def test_import_csv_refusals(tmp_path: Path) -> None:
    run(tmp_path, "init")
    (tmp_path / "k.csv").write_text("number,name,number\n1,A,2\n", encoding="utf-8")
    assert "number" in refused(tmp_path, "import", "k.csv")  # a header twice
    (tmp_path / "ok.csv").write_text("number,name\n1,A\n", encoding="utf-8")
    assert "HEADER=COLUMN" in refused(tmp_path, "import", "ok.csv", "--map", "number")
    assert "--delimiter" in refused(tmp_path, "import", "ok.csv", "--delimiter", "|")
    (tmp_path / "c.json").write_text('[{"number": "1", "name": "A"}]', encoding="utf-8")
    assert "--upsert is for CSV files" in refused(tmp_path, "import", "c.json", "--upsert")
    assert json.loads(run(tmp_path, "stats", "--json").stdout)["customers"] == 0


def test_import_csv_of_many_rows(tmp_path: Path) -> None:
    run(tmp_path, "init")
    lines = ["Kundnummer;Namn;Ort"] + [f"{10000 + i};Kund {i} AB;Umeå" for i in range(20000)]
    (tmp_path / "many.csv").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    done = run(tmp_path, "import", "many.csv")
    assert done.stdout.splitlines()[-1] == "imported 20000 customers (20000 created, 0 updated)"
    assert json.loads(run(tmp_path, "stats", "--json").stdout)["customers"] == 20000


def test_export_lists(demo: Path, tmp_path: Path) -> None:
    target = tmp_path / "kunder.csv"
    run(demo, "export", "--list", "customers", "-o", str(target), "--sort", "number")
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = data.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("number;name;") and rows[1].startswith("1001;")
    stats = json.loads(run(demo, "stats", "--json").stdout)
    assert len(rows) == 1 + stats["customers"] - stats["inactive_customers"]

    plain = run(demo, "export", "--list", "customers", "--columns", "number,name", "--sort", "number", "--all")
    lines = plain.stdout.splitlines()
    assert lines[0] == "number,name" and lines[1].startswith("1001,") and len(lines) == 61

    as_json = tmp_path / "kunder.json"
    run(demo, "export", "--list", "customers", "--columns", "number,email", "-o", str(as_json), "--all")
    records = json.loads(as_json.read_text(encoding="utf-8"))
    assert len(records) == 60 and set(records[0]) == {"number", "email"}

    contacts = json.loads(run(demo, "export", "--list", "contacts", "--customer", "1001", "--format", "json").stdout)
    shown = json.loads(run(demo, "show", "1001", "--json").stdout)
    assert sorted(c["last_name"] for c in contacts) == sorted(c["contact"]["last_name"] for c in shown["contacts"])
    sites = json.loads(run(demo, "export", "--list", "facilities", "--customer", "1001", "--format", "json").stdout)
    assert len(sites) == len(shown["facilities"])
    orders = json.loads(run(demo, "export", "--list", "orders", "--all", "--format", "json").stdout)
    assert len(orders) == len(json.loads(run(demo, "orders", "--all", "--limit", "0", "--json").stdout))

    assert "needs --list" in refused(demo, "export", "--format", "csv")
    assert "not both" in refused(demo, "export", "--list", "customers", "--customers")
    assert "no_such" in refused(demo, "export", "--list", "customers", "--columns", "number,no_such")


def test_columns_lists_the_recognised_headers(tmp_path: Path) -> None:
    out = run(tmp_path, "columns", "customers").stdout.splitlines()
    assert out[0].split() == ["column", "import", "export", "headers"]
    number = next(line for line in out if line.startswith("number "))
    assert "Kundnummer" in number
    columns = json.loads(run(tmp_path, "columns", "contacts", "--json").stdout)
    assert "customer_number" in [c["name"] for c in columns]


def test_vcard_prints_a_card_or_writes_its_qr_code(demo: Path, tmp_path: Path) -> None:
    import kartotek

    found = json.loads(run(demo, "search", "--json", "--sort", "number", "--limit", "100").stdout)
    number = next(c["number"] for c in found if c["kind"] == "company")
    person = json.loads(run(demo, "show", number, "--json").stdout)["contacts"][0]["contact"]

    lines = run(demo, "vcard", "--customer", number).stdout.splitlines()
    assert lines[:3] == ["BEGIN:VCARD", "VERSION:4.0", "KIND:org"] and lines[-1] == "END:VCARD"
    card = tmp_path / f"{number}.vcf"
    run(demo, "vcard", "--customer", number, "--version", "3.0", "-o", str(card))
    data = card.read_bytes()
    assert data.startswith(b"BEGIN:VCARD\r\nVERSION:3.0\r\n") and data.endswith(b"\r\nEND:VCARD\r\n")

    png = tmp_path / f"{number}.png"
    run(demo, "vcard", "--customer", number, "--version", "3.0", "--qr", "png", "-o", str(png))
    assert png.read_bytes() == kartotek.qr_png(data.decode("utf-8"))
    contact_card = tmp_path / "contact.vcf"
    run(demo, "vcard", "--contact", str(person["id"]), "-o", str(contact_card))
    text = contact_card.read_bytes().decode("utf-8")
    assert f"\r\nN:{person['last_name']};{person['first_name']};;;\r\n" in text
    svg = run(demo, "vcard", "--contact", str(person["id"]), "--qr", "svg", "--level", "high", "--margin", "2").stdout
    assert svg == kartotek.qr_svg(text, level="high", margin=2)

    assert "--output" in refused(demo, "vcard", "--customer", number, "--qr", "png")
    assert "9999" in refused(demo, "vcard", "--customer", "9999")
    assert "contact 999999" in refused(demo, "vcard", "--contact", "999999")
    assert "margin" in refused(demo, "vcard", "--customer", number, "--qr", "svg", "--margin", "40")
    assert run(demo, "vcard", "--customer", number, "--contact", "1", ok=False).returncode == 2
    assert run(demo, "vcard", ok=False).returncode == 2


# ---- the CRM: activities and notes ------------------------------------------------------


def test_notes_and_the_activities_of_a_customer_or_contact(tmp_path: Path) -> None:
    import kartotek

    run(tmp_path, "--register", "r", "demo", "--customers", "5")
    crm = ["--register", "r"]
    company = next(c for c in json.loads(run(tmp_path, *crm, "search", "--json", "--sort", "number").stdout)
                   if c["kind"] == "company")
    number, name = company["number"], company["name"]
    person = json.loads(run(tmp_path, *crm, "show", number, "--json").stdout)["contacts"][0]["contact"]

    assert run(tmp_path, *crm, "note", "--customer", number, "Vill ha", "offert.").stdout == (
        f"added note 1 to customer {number} {name}\n")
    assert run(tmp_path, *crm, "note", "--contact", str(person["id"]), "Föredrar telefon.").stdout == (
        f"added note 2 to contact {person['id']} {person['first_name']} {person['last_name']}\n")
    with kartotek.Register.open(tmp_path / "r", create=False) as reg:
        reg.add_task(1, customer=company["id"], due="2001-03-01", subject="Skicka offert")
        done = reg.add_task(1, customer=company["id"], due="2001-03-02", subject="Boka service", owner=2)
        task = reg.activity(1, done)
        task.status = "done"
        reg.update_activity(1, task)
        reg.add_meeting(1, contact=person["id"], start="2001-03-03T10:00:00Z", subject="Genomgång")
        reg.create_user(1, kartotek.User(login="tittare", name="Tilda", rights=["customers.view", "contacts.view"]))
        technician = reg.user(1, 2).login

    listed = run(tmp_path, *crm, "activities", "--customer", number).stdout.splitlines()
    cells = [re.split(r" {2,}", line) for line in listed[:-1]]
    assert cells[0] == ["when", "kind", "on", "owner", "status", "text"]
    assert cells[1] == ["2001-03-01 00:00", "task", f"{number} {name}", "admin", "open", "Skicka offert"]
    assert cells[2] == ["2001-03-02 00:00", "task", f"{number} {name}", technician, "done", "Boka service"]
    assert cells[3][1:] == ["note", f"{number} {name}", "admin", "Vill ha offert."]  # written now, so last
    assert listed[-1] == "3 of 3"
    on_contact = json.loads(run(tmp_path, *crm, "activities", "--contact", str(person["id"]), "--json").stdout)
    assert [(a["kind"], a["subject"] or a["text"]) for a in on_contact] == [
        ("meeting", "Genomgång"), ("note", "Vill ha offert."), ("note", "Föredrar telefon.")]
    assert [a["customer"] is None for a in on_contact] == [True, False, True]  # his company's note too

    def texts(*args: str) -> list[str]:
        return [a["subject"] or a["text"] for a in json.loads(run(tmp_path, *crm, "activities", *args, "--json").stdout)]

    assert texts("--customer", number, "--kind", "task", "--status", "done") == ["Boka service"]
    assert texts("--customer", number, "--status", "open", "done") == ["Skicka offert", "Boka service"]
    assert texts("--contact", str(person["id"]), "--kind", "note", "--kind", "meeting", "--descending") == [
        "Föredrar telefon.", "Vill ha offert.", "Genomgång"]
    assert texts("--customer", number, "--since", "2001-03-02", "--until", "2001-03-03") == ["Boka service"]
    assert texts("--customer", number, "--kind", "email") == []
    limited = run(tmp_path, *crm, "activities", "--customer", number, "--limit", "1").stdout.splitlines()
    assert len(limited) == 3 and limited[-1] == "1 of 3"
    assert run(tmp_path, *crm, "activities", "--customer", number, "--limit", "0").stdout.splitlines()[-1] == "3 of 3"

    assert "9999" in refused(tmp_path, *crm, "activities", "--customer", "9999")
    assert "contact 999999" in refused(tmp_path, *crm, "note", "--contact", "999999", "x")
    assert "kartotek: error: text: required" == refused(tmp_path, *crm, "note", "--customer", number, " ")
    assert "since" in refused(tmp_path, *crm, "activities", "--customer", number, "--since", "i går")
    assert "customers.edit" in refused(tmp_path, *crm, "--user", "tittare", "note", "--customer", number, "x")
    for usage in (["activities"], ["activities", "--customer", number, "--kind", "anteckning"],
                  ["note", "--customer", number], ["note", "--customer", number, "--contact", "1", "x"]):
        assert run(tmp_path, *crm, *usage, ok=False).returncode == 2
    assert len(texts("--customer", number)) == 3  # nothing refused was added


def test_duplicates_are_listed_and_merged_all_or_nothing(tmp_path: Path) -> None:
    import kartotek

    run(tmp_path, "init")
    with kartotek.Register.open(tmp_path / "kartotek-register", create=False) as reg:
        keep = reg.create_customer(1, kartotek.Customer(number="100", name="Söderström & Co AB"))
        remove = reg.create_customer(1, kartotek.Customer(number="200", name="Soderstrom och Co",
                                                          email="order@soderstrom.se", phone="08-55 44 33"))
        reg.create_customer(1, kartotek.Customer(number="300", name="Helt Annat AS"))
        site = reg.create_facility(1, kartotek.Facility(customer=remove, name="Lager"))
        person = reg.create_contact(1, kartotek.Contact(first_name="Åsa", last_name="Lindén", email="asa@berg.se"))
        twin = reg.create_contact(1, kartotek.Contact(first_name="Asa", last_name="Linden", email="ASA@berg.se"))
        reg.link_contact(1, twin, remove, role="Beställare")
        reg.create_user(1, kartotek.User(login="eddie", name="Eddie", rights=["customers.view", "customers.edit"]))

    listed = run(tmp_path, "duplicates").stdout.splitlines()
    cells = [re.split(r" {2,}", line) for line in listed]
    assert cells[0] == ["score", "customer", "same customer?", "reasons"]
    assert cells[1] == ["60", "100 Söderström & Co AB", "200 Soderstrom och Co", "same name"]
    assert listed[2] == "1 pair scoring 50 or more"
    assert "kartotek merge KEEP REMOVE" in listed[3]
    [pair] = json.loads(run(tmp_path, "duplicates", "--json").stdout)
    assert (pair["first"], pair["second"], pair["score"]) == (keep, remove, 60)
    assert run(tmp_path, "duplicates", "--min-score", "61").stdout.splitlines()[-1] == "0 pairs scoring 61 or more"
    [contact_pair] = json.loads(run(tmp_path, "duplicates", "--contacts", "--json").stdout)
    assert (contact_pair["first"], contact_pair["second"], contact_pair["score"]) == (person, twin, 95)
    # A customer not yet created: is it already here?
    like = run(tmp_path, "duplicates", "--name", "SÖDERSTRÖM & CO", "--email", "order@soderstrom.se").stdout
    assert [re.split(r" {2,}", line) for line in like.splitlines()] == [
        ["score", "existing customer", "reasons"],
        ["95", "200 Soderstrom och Co", "same name, email"],
        ["60", "100 Söderström & Co AB", "same name"],
        ["2 candidates scoring 50 or more"],
    ]
    assert "--org-number is for customers" in refused(tmp_path, "duplicates", "--contacts", "--org-number", "1")
    assert "min_score" in refused(tmp_path, "duplicates", "--min-score", "0")

    register = tmp_path / "kartotek-register"
    before = files_of(register)
    dry = run(tmp_path, "merge", "100", "200", "--take", "email", "--dry-run").stdout
    assert dry == ("dry run: would merge customer 200 Soderstrom och Co into 100 Söderström & Co AB; "
                   "records to re-point: 1 contact, 1 facility\n"
                   "taken from 200 Soderstrom och Co: email\n")
    assert files_of(register) == before
    for args, message in [
        (("merge", "100", "999"), "no customer with number '999'"),
        (("merge", "100", "200", "--take", "colour"), "take[0]: 'colour' is no field of a customer"),
        (("merge", "100", "100"), "remove"),
        (("--user", "eddie", "merge", "100", "200"), "delete"),
        (("merge", "--contacts", "1", "x"), "named by id"),
    ]:
        assert message in refused(tmp_path, *args)
        assert files_of(register) == before

    done = run(tmp_path, "merge", "100", "200", "--take", "email,phone").stdout
    assert done.startswith("merged customer 200 Soderstrom och Co into 100 Söderström & Co AB; "
                           "records re-pointed: 1 contact, 1 facility\n")
    shown = json.loads(run(tmp_path, "show", "200", "--json").stdout)  # the old number finds the kept one
    assert shown["customer"]["id"] == keep and shown["customer"]["email"] == "order@soderstrom.se"
    assert shown["customer"]["phone"] == "08-55 44 33"
    assert [f["facility"]["id"] for f in shown["facilities"]] == [site]
    assert "merged into it before" in refused(tmp_path, "merge", "100", "200")
    assert run(tmp_path, "duplicates").stdout.splitlines()[-1] == "0 pairs scoring 50 or more"
    history = json.loads(run(tmp_path, "history", "100", "--json").stdout)
    assert any(e["source"] == "merge" and e["field"] == "merged" for e in history)

    assert run(tmp_path, "merge", "--contacts", str(person), str(twin)).stdout == (
        f"merged contact #{twin} Asa Linden into #{person} Åsa Lindén; records re-pointed: 1 customer\n")
    assert json.loads(run(tmp_path, "duplicates", "--contacts", "--json").stdout) == []


def test_an_import_lists_the_customers_it_brings_twice(tmp_path: Path) -> None:
    run(tmp_path, "init")
    (tmp_path / "a.csv").write_text("Kundnummer;Namn;Telefon\n1001;Söderström & Co AB;08-123 45 67\n",
                                    encoding="utf-8")
    run(tmp_path, "import", "a.csv")
    (tmp_path / "b.csv").write_text(
        "Kundnummer;Namn;Telefon\n2001;Soderstrom och Co;+46 8 123 45 67\n2002;Helt Annat AS;\n"
        "2003;Helt Annat A/S;\n2004;Ingen Likhet Oy;\n", encoding="utf-8")
    register = tmp_path / "kartotek-register"
    before = files_of(register)
    dry = run(tmp_path, "import", "b.csv", "--dry-run", "--check-duplicates").stdout.splitlines()
    assert dry[2:] == [
        "dry run: 4 customers would be imported (4 created, 0 updated)",
        "2001 Soderstrom och Co looks like 1001 Söderström & Co AB (already there; score 85: same name, phone)",
        "2002 Helt Annat AS looks like 2003 Helt Annat A/S (also imported; score 60: same name)",
        "2 pairs found, each perhaps one customer entered twice: import, then see `kartotek duplicates` and "
        "join them with `kartotek merge`",
    ]
    assert files_of(register) == before
    done = run(tmp_path, "import", "b.csv", "--check-duplicates").stdout.splitlines()
    assert done[2] == "imported 4 customers (4 created, 0 updated)" and done[3:5] == dry[3:5]
    assert json.loads(run(tmp_path, "stats", "--json").stdout)["customers"] == 5  # a warning, never a refusal

    (tmp_path / "c.jsonl").write_text('{"number": "3001", "name": "Ny Kund AB"}\n', encoding="utf-8")
    assert run(tmp_path, "import", "c.jsonl", "--check-duplicates").stdout == (
        "no imported customer looks like another\n")
    assert "--check-duplicates is for customers" in refused(
        tmp_path, "import", "b.csv", "--kind", "contacts", "--check-duplicates")
