"""The `kartotek` command line: register maintenance from a shell.

    kartotek demo                      # a sample register in ./kartotek-register
    kartotek search åberg
    kartotek show 1001
    kartotek history 1001
    kartotek assign 1001 tina
    kartotek orders 1001
    kartotek --user tina todo
    kartotek note --customer 1001 "Wants a quotation for a heat pump"
    kartotek activities --customer 1001 --kind note task
    kartotek vcard --customer 1001 --qr png -o 1001.png
    kartotek duplicates
    kartotek merge 1001 1042 --take email,phone
    kartotek check

Every command works on the register directory given by --register (default:
$KARTOTEK_REGISTER, else ./kartotek-register) and acts as the user given by
--user (default: $KARTOTEK_USER, else the register's first administrator).
Errors are one line on stderr and exit status 1 (2 for a wrong command line).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Sequence, TextIO, get_args

from . import _kartotek as k
from ._errors import Error, NotFound, ValidationError
from ._literals import (
    ActivityKind,
    Durability,
    ExportFormat,
    ImportKind,
    QrErrorCorrection,
    RecordKind,
    VCardVersion,
)
from ._sample import build_sample

DEFAULT_REGISTER = "kartotek-register"
SNAPSHOT = "snapshot"
JOURNAL = "journal"


class CliError(Exception):
    """A refusal of the command line itself (bad path, bad file …)."""


# ---------------------------------------------------------------- helpers


class Progress:
    """A progress bar on stderr when it is a terminal; otherwise one line at
    the end. `update(done, total)` may be called as often as wanted."""

    def __init__(self, what: str, stream: TextIO = sys.stderr, quiet: bool = False) -> None:
        self.what = what
        self.stream = stream
        self.quiet = quiet
        self.tty = stream.isatty()
        self.started = time.monotonic()
        self.shown = 0.0

    def update(self, done: int, total: int) -> None:
        if self.quiet or not self.tty:
            return
        now = time.monotonic()
        if done < total and now - self.shown < 0.1:
            return
        self.shown = now
        width = 30
        filled = width * done // total if total else width
        percent = 100 * done // total if total else 100
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r{self.what} [{bar}] {percent:3d}% {done}/{total}")
        self.stream.flush()

    def clear(self) -> None:
        """Takes the bar off the terminal line (before other output)."""
        if self.tty and not self.quiet and self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = 0.0

    def finish(self, message: str) -> None:
        if self.quiet:
            return
        if self.tty:
            self.stream.write("\r\033[K")
        seconds = time.monotonic() - self.started
        self.stream.write(f"{message} in {seconds:.1f} s\n")
        self.stream.flush()


def register_path(args: argparse.Namespace) -> Path:
    return Path(args.register)


def open_register(args: argparse.Namespace, *, durability: Durability = "sync") -> k.Register:
    path = register_path(args)
    if not (path / SNAPSHOT).exists():
        raise CliError(
            f"no register at {path} (create one with `kartotek init` or `kartotek demo`, "
            "or give --register)"
        )
    return k.Register.open(path, create=False, durability=durability)


def acting_user(reg: k.Register, login: Optional[str]) -> int:
    """The id of user `login`, or of the first administrator (user 1)."""
    first = 1
    if reg.counts().users == 0:
        raise CliError("the register has no users yet")
    if not login:
        return first
    for user in reg.users(first):
        if user.login == login:
            if not user.active:
                raise CliError(f"user {login} is deactivated")
            return user.id
    raise CliError(f"no user with login {login!r}")


def user_names(reg: k.Register, actor: int) -> dict[int, str]:
    return {u.id: u.login for u in reg.users(actor)}


def customer_by_number(reg: k.Register, actor: int, number: str) -> k.Customer:
    c = reg.find_customer_by_number(actor, number)
    if c is None:
        raise NotFound(f"no customer with number {number!r}")
    return c


def technician_id(reg: k.Register, actor: int, login: str) -> int:
    for user in reg.users(actor):
        if user.login == login:
            return user.id
    raise NotFound(f"no user with login {login!r}")


def city_of(c: k.Customer) -> str:
    return c.invoice_address.city


def table(rows: list[list[str]], out: TextIO) -> None:
    """Columns padded to their widest cell; the last column unpadded."""
    if not rows:
        return
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(r[:-1])] + [r[-1]]
        out.write("  ".join(cells).rstrip() + "\n")


def value_text(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


def read_records(path: Path, text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Customer objects of `text` (the contents of `path`), a JSON array or
    JSON Lines, with their line or position (1-based)."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as e:
            raise CliError(f"{path}: line {e.lineno} column {e.colno}: {e.msg}") from None
        for i, item in enumerate(items, 1):
            if not isinstance(item, dict):
                raise CliError(f"{path}: item {i}: expected a JSON object")
            yield i, item
        return
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as e:
            raise CliError(f"{path}: line {n} column {e.colno}: {e.msg}") from None
        if not isinstance(item, dict):
            raise CliError(f"{path}: line {n}: expected a JSON object")
        yield n, item


# ---------------------------------------------------------------- commands


def cmd_init(args: argparse.Namespace, out: TextIO) -> int:
    path = register_path(args)
    if (path / SNAPSHOT).exists():
        raise CliError(f"a register already exists at {path}")
    settings = k.Settings(locale=args.locale)
    with k.Register.open(path, settings=settings) as reg:
        reg.create_first_administrator(args.admin, args.admin_name)
    out.write(f"created a register at {path} (locale {args.locale}); administrator: {args.admin}\n")
    return 0


def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    path = register_path(args)
    if (path / SNAPSHOT).exists():
        raise CliError(f"a register already exists at {path}; give another --register or remove it")
    if args.customers < 1:
        raise CliError("--customers must be at least 1")
    progress = Progress("creating", quiet=args.quiet)
    # Built in memory and then written whole, so a failure leaves no half register.
    reg = k.Register()
    admin = reg.create_first_administrator("admin", "Administratör")
    build_sample(reg, admin, args.customers, seed=args.seed, progress=progress.update)
    reg.save_as(path)
    counts = reg.counts()
    progress.finish(f"created a sample register at {path}")
    out.write(
        f"{counts.customers} customers, {counts.contacts} contacts, {counts.facilities} facilities, "
        f"{counts.service_objects} service objects, {counts.users} users\n"
    )
    out.write("try: kartotek search berg · kartotek show 1001 · kartotek history 1001 · kartotek stats\n")
    return 0


CSV_SUFFIXES = (".csv", ".txt", ".tsv")


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    source = Path(args.file)
    if not source.is_file():
        raise CliError(f"{source}: no such file")
    if args.kind or source.suffix.lower() in CSV_SUFFIXES:
        return import_csv(args, source, out)
    csv_only = [flag for flag, given in [("--skip-bad-rows", args.skip_bad_rows), ("--upsert", args.upsert),
                                         ("--map", args.map), ("--delimiter", args.delimiter)] if given]
    if csv_only:
        raise CliError(f"{csv_only[0]} is for CSV files (a .csv or .txt file, or give --kind)")
    text = source.read_text(encoding="utf-8-sig")
    try:
        head = json.loads(text) if source.suffix == ".json" else None
    except json.JSONDecodeError:
        head = None
    if isinstance(head, dict) and head.get("format") == "kartotek-register":
        if args.check_duplicates:
            raise CliError("--check-duplicates is for customers; a whole-register document makes a new register")
        return import_document(args, source, text, out)
    return import_customers(args, source, text, out)


def import_document(args: argparse.Namespace, source: Path, text: str, out: TextIO) -> int:
    """A whole-register document becomes a new register."""
    path = register_path(args)
    if (path / SNAPSHOT).exists():
        raise CliError(f"a register already exists at {path}; a whole-register document needs a new one")
    reg = k.Register.import_json(text)
    counts = reg.counts()
    if args.dry_run:
        out.write(f"dry run: {source} holds a valid register with {counts.customers} customers\n")
        return 0
    reg.save_as(path)
    out.write(f"created a register at {path} from {source}: {counts.customers} customers, "
              f"{counts.users} users\n")
    return 0


def import_customers(args: argparse.Namespace, source: Path, text: str, out: TextIO) -> int:
    """Customers from a JSON array or JSON Lines, all or nothing: every record
    is tried on a copy of the register first."""
    records = list(read_records(source, text))
    with open_register(args, durability="none") as reg:
        actor = acting_user(reg, args.user)
        trial = k.Register.import_json(reg.export_json(1))
        customers: list[tuple[int, k.Customer]] = []
        failures: list[str] = []
        trial_ids: list[int] = []
        for where, record in records:
            try:
                customer = k.Customer.from_dict(record)
                trial_ids.append(trial.create_customer(actor, customer, source="import"))
                customers.append((where, customer))
            except Error as e:
                failures.append(f"{source}: record at line {where}: {e}")
        if failures:
            for failure in failures[:20]:
                sys.stderr.write(failure + "\n")
            more = " (first 20 shown)" if len(failures) > 20 else ""
            raise CliError(f"{len(failures)} of {len(records)} records refused{more}; nothing imported")
        if args.dry_run:
            out.write(f"dry run: all {len(records)} records of {source} would import\n")
            if args.check_duplicates:
                report_duplicates(trial, actor, trial_ids, out, would=True)
            return 0
        progress = Progress("importing", quiet=args.quiet)
        created = []
        for i, (where, customer) in enumerate(customers, 1):
            created.append(reg.create_customer(actor, customer, source="import"))
            progress.update(i, len(customers))
        reg.sync()
        progress.finish(f"imported {len(customers)} customers from {source}")
        if args.check_duplicates:
            report_duplicates(reg, actor, created, out, would=False)
    return 0


def report_duplicates(reg: k.Register, actor: int, created: Sequence[int], out: TextIO, *, would: bool) -> None:
    """Writes the lines of duplicate_lines()."""
    out.write("".join(line + "\n" for line in duplicate_lines(reg, actor, created, would=would)))


def duplicate_lines(reg: k.Register, actor: int, created: Sequence[int], *, would: bool) -> list[str]:
    """The customers just imported (`created`) that look like other
    customers, already there or imported with them, one line each, and a
    summary: a warning, never a refusal."""
    new = set(created)
    lines = []
    for cid in created:
        customer = reg.customer(actor, cid)
        for pair in reg.similar_customers(actor, customer):
            if pair.second in new and pair.second < cid:
                continue  # that pair was listed from the other side
            other = record_label(reg, actor, "customer", pair.second)
            where = "also imported" if pair.second in new else "already there"
            lines.append(f"{customer.number} {customer.name} looks like {other} ({where}; score {pair.score}: "
                         f"{', '.join(pair.reasons)})")
    if lines:
        lines.append(f"{counted(len(lines), 'pairs')} found, each perhaps one customer entered twice: "
                     f"{'import, then ' if would else ''}see `kartotek duplicates` and join them with "
                     "`kartotek merge`")
    else:
        lines.append(f"no imported customer {'would look' if would else 'looks'} like another")
    return lines


DELIMITERS = {",": ",", ";": ";", "tab": "\t", "\t": "\t", "\\t": "\t"}


def mapping_of(pairs: Sequence[str]) -> dict[str, Optional[str]]:
    """--map HEADER=COLUMN arguments as import_csv's mapping (an empty
    COLUMN: the header is not read)."""
    mapping: dict[str, Optional[str]] = {}
    for pair in pairs:
        header, sep, column = pair.partition("=")
        if not sep or not header:
            raise CliError(f"--map {pair!r}: expected HEADER=COLUMN (HEADER= leaves the header unread)")
        mapping[header] = column.strip() or None
    return mapping


def problem_text(source: Path, p: k.ImportProblem) -> str:
    where = f"row {p.row}" + (f", column {p.column!r} ({p.value!r})" if p.column else "")
    return f"{source}: {where}: {p.reason}"


SINGULAR = {"rows": "row", "bad rows": "bad row", "customers": "customer", "contacts": "contact", "pairs": "pair",
            "facilities": "facility"}


def counted(n: int, what: str) -> str:
    """`n` and `what` (a plural), singular for 1: "1 bad row", "2 bad rows"."""
    return f"{n} {SINGULAR.get(what, what) if n == 1 else what}"


def import_csv(args: argparse.Namespace, source: Path, out: TextIO) -> int:
    """Customers, contacts or facilities from a CSV file, as one change (all or
    nothing unless --skip-bad-rows)."""
    kind: ImportKind = args.kind or "customers"
    delimiter = None
    if args.delimiter is not None:
        if args.delimiter not in DELIMITERS:
            raise CliError(f"--delimiter {args.delimiter!r}: expected ',', ';' or 'tab'")
        delimiter = DELIMITERS[args.delimiter]
    mapping = mapping_of(args.map or [])
    data = source.read_bytes()
    bars: dict[str, Progress] = {}

    def progress(phase: str, done: int, total: int) -> bool:
        if phase not in bars:
            for bar in bars.values():
                bar.clear()
            bars[phase] = Progress(phase, quiet=args.quiet)
        bars[phase].update(done, total)
        return True

    if args.check_duplicates and kind != "customers":
        raise CliError("--check-duplicates is for customers")
    warnings: list[str] = []
    with open_register(args, durability="none") as reg:
        actor = acting_user(reg, args.user)
        # A dry run that looks for duplicates imports into a copy, to compare
        # the imported customers with the others.
        target = k.Register.import_json(reg.export_json(1)) if args.check_duplicates and args.dry_run else reg
        started = datetime.now(timezone.utc) - timedelta(seconds=1)
        try:
            report = target.import_csv(
                actor, data, kind=kind, dry_run=args.dry_run and target is reg, skip_bad_rows=args.skip_bad_rows,
                upsert=args.upsert, mapping=mapping, delimiter=delimiter, progress=progress,
            )
        finally:
            for bar in bars.values():
                bar.clear()
        if report.applied and target is reg:
            reg.sync()
        if args.check_duplicates:
            created = [e.record.id for e in target.history(actor, since=started)
                       if report.applied and e.change == report.change and e.record.kind == "customer"
                       and e.action == "created"]
            warnings = duplicate_lines(target, actor, created, would=args.dry_run)

    tab = "tab" if report.delimiter == "\t" else repr(report.delimiter)
    out.write(f"{source}: {report.encoding}, delimiter {tab}, {counted(report.rows, 'rows')}\n")
    out.write("columns: " + ", ".join(
        f"{m.header} → {m.column or '(not read)'}" for m in report.columns) + "\n")
    out.flush()
    limit = args.max_problems
    for problem in report.problems[: limit or None]:
        sys.stderr.write(problem_text(source, problem) + "\n")
    if limit and len(report.problems) > limit:
        sys.stderr.write(f"{source}: … and {len(report.problems) - limit} more problems "
                         "(--max-problems 0 shows every one)\n")

    done = report.created + report.updated
    details = f"({report.created} created, {report.updated} updated)"
    bad = counted(len(report.problems), "bad rows")
    if report.cancelled:
        raise CliError(f"{source}: cancelled; nothing imported")
    if report.problems and (done == 0 or not args.skip_bad_rows):
        nothing = "dry run: nothing would be imported" if args.dry_run else "nothing imported"
        raise CliError(f"{source}: {nothing}: {bad}"
                       + ("" if args.skip_bad_rows else " (--skip-bad-rows imports the others)"))
    skipped = f"; {bad} skipped" if report.problems else ""
    if args.dry_run:
        out.write(f"dry run: {counted(done, kind)} would be imported {details}{skipped}\n")
    else:
        out.write(f"imported {counted(done, kind)} {details}{skipped}\n")
    out.write("".join(line + "\n" for line in warnings))
    return 0


def list_filters(args: argparse.Namespace, reg: k.Register, actor: int) -> dict[str, Any]:
    """The keywords of export_<list> that the command line gives."""
    customer = customer_by_number(reg, actor, args.customer).id if args.customer else None
    filters: dict[str, Any] = {}
    if args.list == "orders":
        if args.text:
            raise CliError("--text does not filter orders; give --customer or --kind")
        filters.update(customer=customer, kind=args.kind, closed=None if args.all else False)
    else:
        if args.kind:
            raise CliError("--kind is for --list orders")
        filters["active"] = None if args.all else True
        text = args.text or ""
        if args.list == "customers":
            if customer is not None:
                raise CliError("--customer is for contacts, facilities and orders")
            filters["text"] = text
            if args.technician:
                filters["technician"] = technician_id(reg, actor, args.technician)
        elif args.list == "contacts":
            filters.update(last_name=text, customer=customer)
        else:
            filters.update(text=text, customer=customer)
    if args.technician and args.list != "customers":
        raise CliError("--technician is for --list customers")
    if args.sort:
        filters["sort"] = args.sort
    if args.descending:
        filters["descending"] = True
    return filters


def export_format(args: argparse.Namespace) -> ExportFormat:
    if args.format:
        fmt: ExportFormat = args.format
        return fmt
    if not args.output or args.output == "-":
        return "csv"
    return "json" if Path(args.output).suffix.lower() == ".json" else "excel"


def export_list(args: argparse.Namespace, out: TextIO) -> int:
    fmt = export_format(args)
    columns = [c.strip() for c in args.columns.split(",") if c.strip()] if args.columns else None
    bar = Progress(f"exporting {args.list}", quiet=args.quiet)
    with open_register(args) as reg:
        actor = acting_user(reg, args.user)
        filters = list_filters(args, reg, actor)
        exports: dict[str, Callable[..., bytes]] = {
            "customers": reg.export_customers,
            "contacts": reg.export_contacts,
            "facilities": reg.export_facilities,
            "orders": reg.export_orders,
        }
        export = exports[args.list]
        try:
            data: bytes = export(actor, columns=columns, format=fmt,
                                 progress=lambda phase, done, total: bar.update(done, total), **filters)
        finally:
            bar.clear()
    if args.output and args.output != "-":
        Path(args.output).write_bytes(data)
        sys.stderr.write(f"wrote {args.output}\n")
    else:
        write_bytes(out, data)
    return 0


def write_bytes(out: TextIO, data: bytes) -> None:
    """The bytes of a file on `out`: as they are on a real stream, as text on
    an in-memory one."""
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        out.flush()
        buffer.write(data)
        buffer.flush()
    else:
        out.write(data.decode("utf-8-sig"))


def cmd_columns(args: argparse.Namespace, out: TextIO) -> int:
    columns = k.Register.columns(args.list)
    if args.json:
        out.write(json.dumps([c.to_dict() for c in columns], ensure_ascii=False, indent=2) + "\n")
        return 0
    rows = [["column", "import", "export", "headers"]]
    for c in columns:
        rows.append([c.name, "yes" if c.importable else "–", "yes" if c.exported else "–", ", ".join(c.headers)])
    table(rows, out)
    return 0


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    if args.list:
        if args.customers:
            raise CliError("give --list customers or --customers (JSON Lines), not both")
        return export_list(args, out)
    list_only = [flag for flag, given in [
        ("--format", args.format), ("--columns", args.columns), ("--all", args.all), ("--customer", args.customer),
        ("--technician", args.technician), ("--kind", args.kind), ("--sort", args.sort),
        ("--descending", args.descending)] if given]
    if list_only:
        raise CliError(f"{list_only[0]} needs --list customers|contacts|facilities|orders")
    with open_register(args) as reg:
        actor = acting_user(reg, args.user)
        if args.customers:
            page = reg.search_customers(actor, args.text or "", sort="number", limit=2**62)
            text = "".join(json.dumps(c.to_dict(), ensure_ascii=False) + "\n" for c in page)
        else:
            text = reg.export_json(actor) + "\n"
    if args.output and args.output != "-":
        Path(args.output).write_text(text, encoding="utf-8")
        sys.stderr.write(f"wrote {args.output}\n")
    else:
        out.write(text)
    return 0


def cmd_search(args: argparse.Namespace, out: TextIO) -> int:
    with open_register(args) as reg:
        actor = acting_user(reg, args.user)
        technician = technician_id(reg, actor, args.technician) if args.technician else None
        page = reg.search_customers(
            actor,
            " ".join(args.text),
            match="prefix" if args.prefix else "substring",
            active=None if args.all else True,
            technician=technician,
            sort=args.sort,
            limit=args.limit,
        )
        names = user_names(reg, actor)
    if args.json:
        out.write(json.dumps([c.to_dict() for c in page], ensure_ascii=False, indent=2) + "\n")
        return 0
    rows = [["number", "name", "city", "technician"]]
    for c in page:
        tech = names.get(c.assigned_technician, "") if c.assigned_technician else ""
        rows.append([c.number, c.name + ("" if c.active else " (inactive)"), city_of(c), tech])
    table(rows, out)
    out.write(f"{len(page)} of {page.total}\n")
    return 0


def cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    with open_register(args) as reg:
        actor = acting_user(reg, args.user)
        c = customer_by_number(reg, actor, args.number)
        contacts = reg.contacts_of(actor, c.id)
        facilities = [(f, reg.service_objects_of(actor, f.id)) for f in reg.facilities_of(actor, c.id)]
        names = user_names(reg, actor)
    if args.json:
        doc = {
            "customer": c.to_dict(),
            "contacts": [x.to_dict() for x in contacts],
            "facilities": [
                {"facility": f.to_dict(), "service_objects": [s.to_dict() for s in objects]}
                for f, objects in facilities
            ],
        }
        out.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return 0
    a = c.invoice_address
    lines = [
        f"{c.number}  {c.name}" + ("" if c.active else "  (inactive)"),
        f"  kind:        {c.kind}" + (f", org. no. {c.organisation_number}" if c.organisation_number else ""),
        f"  address:     {', '.join(x for x in [a.care_of, a.street, f'{a.postal_code} {a.city}'.strip(), a.country] if x)}",
        f"  e-mail:      {c.email}",
        f"  phone:       {c.phone}",
        f"  technician:  {names.get(c.assigned_technician, '') if c.assigned_technician else '–'}",
    ]
    if c.category:
        lines.append(f"  category:    {c.category}")
    lines.append(f"contacts ({len(contacts)})")
    for lc in contacts:
        p = lc.contact
        role = f" – {lc.link.role}" if lc.link.role else ""
        lines.append(f"  {p.first_name} {p.last_name}{role}  {p.email}  {p.phone}".rstrip())
    lines.append(f"facilities ({len(facilities)})")
    for f, objects in facilities:
        lines.append(f"  {f.number}  {f.name}".rstrip())
        for s in objects:
            lines.append(f"    {s.identifier}  {s.type}  {s.name}".rstrip())
    out.write("\n".join(lines) + "\n")
    return 0


def planned_text(o: k.Order) -> str:
    return o.planned.strftime("%Y-%m-%d %H:%M") if o.planned else ""


def cmd_orders(args: argparse.Namespace, out: TextIO) -> int:
    with open_register(args) as reg:
        actor = acting_user(reg, args.user)
        customer = customer_by_number(reg, actor, args.number) if args.number else None
        query = k.OrderQuery(
            kind=args.kind,
            customer=customer.id if customer else None,
            assigned_to_me=args.mine,
            closed=None if args.all else False,
            sort=args.sort,
            descending=args.descending,
            limit=args.limit if args.limit > 0 else 1,
        )
        page = reg.search_orders(actor, query)
        if args.limit == 0 and page.total > 0:  # 0: every one
            query.limit = page.total
            page = reg.search_orders(actor, query)
        customers = {
            o.customer: (c.number, c.name) for o in page
            if (c := reg.find_customer(actor, o.customer)) is not None
        }
        names = user_names(reg, actor)
    if args.json:
        out.write(json.dumps([o.to_dict() for o in page], ensure_ascii=False, indent=2) + "\n")
        return 0
    rows = [["kind", "number", "customer", "subject", "status", "planned", "assigned"]]
    for o in page:
        number, name = customers.get(o.customer, ("", f"#{o.customer}"))
        rows.append([
            o.kind, str(o.number), f"{number} {name}".strip(), o.subject,
            "closed" if o.closed else o.status, planned_text(o),
            ", ".join(names.get(u, str(u)) for u in o.assigned),
        ])
    table(rows, out)
    out.write(f"{len(page)} of {page.total}\n")
    return 0


def cmd_todo(args: argparse.Namespace, out: TextIO) -> int:
    with open_register(args) as reg:
        actor = acting_user(reg, args.user)
        items = reg.todo(actor)
        orders = {i.order: reg.order(actor, i.order) for i in items}
    if args.json:
        out.write(json.dumps([i.to_dict() for i in items], ensure_ascii=False, indent=2) + "\n")
        return 0
    rows = [["when", "what", "order", "text"]]
    for i in items:
        o = orders[i.order]
        when = i.when.strftime("%Y-%m-%d %H:%M") if i.when else ""
        what = next((b.kind for b in o.bookings if b.id == i.booking), "booking") if i.booking else "contact order"
        rows.append([when, what, f"{o.kind} {o.number}", i.text])
    table(rows, out)
    out.write(f"{len(items)} to do\n")
    return 0


def cmd_history(args: argparse.Namespace, out: TextIO) -> int:
    with open_register(args) as reg:
        actor = acting_user(reg, args.user)
        if args.number:
            c = customer_by_number(reg, actor, args.number)
            entries = reg.history(actor, ("customer", c.id))
        else:
            entries = reg.history(actor)
        names = user_names(reg, actor)
    if args.limit:
        entries = entries[-args.limit:]
    if args.json:
        out.write(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=2) + "\n")
        return 0
    rows = [["time", "user", "record", "action", "change"]]
    for e in entries:
        old, new = e.old_value, e.new_value
        if e.field == "assigned_technician":  # user ids as logins
            old, new = (names.get(v, v) if isinstance(v, int) else v for v in (old, new))
        change = f"{e.field}: {value_text(old)} → {value_text(new)}" if e.field else ""
        rows.append([
            e.at.strftime("%Y-%m-%d %H:%M:%S"),
            names.get(e.actor, str(e.actor)),
            f"{e.record.kind} {e.record.id}",
            e.action,
            change,
        ])
    table(rows, out)
    return 0


def cmd_assign(args: argparse.Namespace, out: TextIO) -> int:
    if (args.technician is None) == (not args.none):
        raise CliError("give a technician's login or --none")
    with open_register(args) as reg:
        actor = acting_user(reg, args.user)
        c = customer_by_number(reg, actor, args.number)
        tech = None if args.none else technician_id(reg, actor, args.technician)
        reg.assign_technician(actor, c.id, tech)
    who = "nobody" if tech is None else args.technician
    out.write(f"customer {c.number} {c.name} is assigned to {who}\n")
    return 0


def cmd_deactivate(args: argparse.Namespace, out: TextIO) -> int:
    with open_register(args) as reg:
        actor = acting_user(reg, args.user)
        c = customer_by_number(reg, actor, args.number)
        if args.reactivate:
            reg.reactivate_customer(actor, c.id)
        else:
            reg.deactivate_customer(actor, c.id)
    out.write(f"customer {c.number} {c.name} is {'active' if args.reactivate else 'deactivated'}\n")
    return 0


ACTIVITY_KINDS: list[str] = list(get_args(ActivityKind))


def contact_name(p: k.Contact) -> str:
    return f"{p.first_name} {p.last_name}".strip() or f"contact {p.id}"


def activity_text(a: k.Activity) -> str:
    """What an activity is about, on one line of at most 60 characters."""
    if a.kind in ("note", "journal"):
        text = a.text
    elif a.kind == "file":
        text = a.file.name if a.file else ""
    elif a.kind == "email":
        text = f"{a.subject} ({a.sender} → {', '.join(a.recipients)})"
    else:
        text = a.subject
    line = " ".join(text.split())
    return line if len(line) <= 60 else line[:59] + "…"


def activity_state(a: k.Activity) -> str:
    if a.kind == "task":
        return a.status
    if a.kind == "reminder":
        return "done" if a.done else ""
    return ""


def cmd_activities(args: argparse.Namespace, out: TextIO) -> int:
    with open_register(args) as reg:
        actor = acting_user(reg, args.user)
        customer = customer_by_number(reg, actor, args.customer).id if args.customer is not None else None
        contact = reg.contact(actor, args.contact).id if args.contact is not None else None

        def search(limit: int) -> k.Page[k.Activity]:
            return reg.search_activities(
                actor, kinds=args.kind, customer=customer, contact=contact, statuses=args.status,
                since=args.since, until=args.until, descending=args.descending, limit=limit,
            )

        page = search(args.limit if args.limit > 0 else 1)
        if args.limit == 0 and page.total > 0:  # 0: every one
            page = search(page.total)
        names = user_names(reg, actor)
        on: dict[tuple[str, int], str] = {}
        for a in page:
            if a.customer is not None and ("customer", a.customer) not in on:
                c = reg.find_customer(actor, a.customer)
                on["customer", a.customer] = f"{c.number} {c.name}" if c else f"customer {a.customer}"
            if a.contact is not None and ("contact", a.contact) not in on:
                p = reg.find_contact(actor, a.contact)
                on["contact", a.contact] = contact_name(p) if p else f"contact {a.contact}"
    if args.json:
        out.write(json.dumps([a.to_dict() for a in page], ensure_ascii=False, indent=2) + "\n")
        return 0
    rows = [["when", "kind", "on", "owner", "status", "text"]]
    for a in page:
        record = ("customer", a.customer) if a.customer is not None else ("contact", a.contact or 0)
        rows.append([
            a.at.strftime("%Y-%m-%d %H:%M"), a.kind, on.get(record, ""),
            names.get(a.owner, str(a.owner)) if a.owner else "", activity_state(a), activity_text(a),
        ])
    table(rows, out)
    out.write(f"{len(page)} of {page.total}\n")
    return 0


def cmd_note(args: argparse.Namespace, out: TextIO) -> int:
    text = " ".join(args.text)
    with open_register(args) as reg:
        actor = acting_user(reg, args.user)
        if args.customer is not None:
            c = customer_by_number(reg, actor, args.customer)
            note = reg.add_note(actor, customer=c.id, text=text)
            where = f"customer {c.number} {c.name}"
        else:
            p = reg.contact(actor, args.contact)
            note = reg.add_note(actor, contact=p.id, text=text)
            where = f"contact {p.id} {contact_name(p)}"
    out.write(f"added note {note} to {where}\n")
    return 0


def cmd_vcard(args: argparse.Namespace, out: TextIO) -> int:
    """A customer's or a contact's vCard as text, or its QR code (SVG, PNG)."""
    version: VCardVersion = args.vcard_version
    with open_register(args) as reg:
        actor = acting_user(reg, args.user)
        if args.customer is not None:
            card = reg.customer_vcard(actor, customer_by_number(reg, actor, args.customer).id, version)
        else:
            card = reg.contact_vcard(actor, args.contact, version)
    level: QrErrorCorrection = args.level
    if args.qr == "png":
        data = k.qr_png(card, module_size=args.module_size, margin=args.margin, level=level)
    elif args.qr == "svg":
        data = k.qr_svg(card, module_size=args.module_size, margin=args.margin, level=level).encode("utf-8")
    else:
        data = card.encode("utf-8")
    if args.output and args.output != "-":
        Path(args.output).write_bytes(data)
        sys.stderr.write(f"wrote {args.output}\n")
    elif args.qr == "png":
        raise CliError("--qr png writes an image: give --output FILE")
    else:
        write_bytes(out, data)
    return 0


def contact_by_id(reg: k.Register, actor: int, contact_id: int) -> k.Contact:
    p = reg.find_contact(actor, contact_id)
    if p is None:
        raise NotFound(f"no contact person with id {contact_id}")
    return p


def record_label(reg: k.Register, actor: int, kind: str, record_id: int) -> str:
    """A customer as "number name", a contact as "#id name", marked when inactive."""
    if kind == "customer":
        c = reg.find_customer(actor, record_id)
        if c is None:
            return f"customer {record_id}"
        return f"{c.number} {c.name}" + ("" if c.active else " (inactive)")
    p = reg.find_contact(actor, record_id)
    if p is None:
        return f"contact {record_id}"
    return f"#{p.id} {contact_name(p)}" + ("" if p.active else " (inactive)")


def candidate_of(args: argparse.Namespace) -> Optional[k.Customer | k.Contact]:
    """The record not yet saved that --name, --org-number, --email and
    --phone describe, or None when none of them is given."""
    given = [args.name, args.org_number, args.email, args.phone]
    if not any(given):
        return None
    if args.contacts:
        if args.org_number:
            raise CliError("--org-number is for customers; contact persons have none")
        first, _, last = (args.name or "").strip().rpartition(" ")
        return k.Contact(first_name=first, last_name=last, email=args.email or "", phone=args.phone or "")
    return k.Customer(name=args.name or "", organisation_number=args.org_number or "",
                      email=args.email or "", phone=args.phone or "")


def cmd_duplicates(args: argparse.Namespace, out: TextIO) -> int:
    kind: RecordKind = "contact" if args.contacts else "customer"
    candidate = candidate_of(args)
    with open_register(args) as reg:
        actor = acting_user(reg, args.user)
        if candidate is None and not (args.quiet or args.json) and sys.stderr.isatty():
            count = reg.counts().customers if kind == "customer" else reg.counts().contacts
            sys.stderr.write(f"comparing {count:,} {kind}s …\r")
            sys.stderr.flush()
        if isinstance(candidate, k.Contact):
            found = reg.similar_contacts(actor, candidate, min_score=args.min_score)
        elif isinstance(candidate, k.Customer):
            found = reg.similar_customers(actor, candidate, min_score=args.min_score)
        else:
            found = reg.find_duplicates(actor, kind, min_score=args.min_score, limit=args.limit or 2**32)
        if args.limit:
            found = found[: args.limit]
        labels = {i: record_label(reg, actor, kind, i) for p in found for i in (p.first, p.second) if i}
    if args.json:
        out.write(json.dumps([p.to_dict() for p in found], ensure_ascii=False, indent=2) + "\n")
        return 0
    if candidate is not None:
        rows = [["score", f"existing {kind}", "reasons"]]
        rows += [[str(p.score), labels[p.second], ", ".join(p.reasons)] for p in found]
    else:
        rows = [["score", kind, f"same {kind}?", "reasons"]]
        rows += [[str(p.score), labels[p.first], labels[p.second], ", ".join(p.reasons)] for p in found]
    if candidate is None and not (args.quiet or args.json) and sys.stderr.isatty():
        sys.stderr.write("\033[K")
    table(rows, out)
    what = ("candidate" if candidate is not None else "pair") + ("" if len(found) == 1 else "s")
    out.write(f"{len(found)} {what} scoring {args.min_score} or more\n")
    if found and candidate is None:
        out.write(f"join a pair with `kartotek merge{' --contacts' if args.contacts else ''} KEEP REMOVE`\n")
    return 0


PLURALS = {"facility": "facilities", "activity": "activities", "service_object": "service objects"}


def noun(kind: str, n: int) -> str:
    """A record kind as a noun for n of them: "1 facility", "2 facilities"."""
    if n == 1:
        return kind.replace("_", " ")
    return PLURALS.get(kind, kind.replace("_", " ") + "s")


def merge_summary(entries: Sequence[k.HistoryEntry], merged: set[tuple[str, int]]) -> str:
    """What a merge moved, from its history entries: the records other than
    the two merged, counted by kind."""
    moved: dict[str, set[int]] = {}
    for e in entries:
        if (e.record.kind, e.record.id) not in merged:
            moved.setdefault(e.record.kind, set()).add(e.record.id)
    if not moved:
        return "no other record named it"
    return ", ".join(f"{len(ids)} {noun(kind, len(ids))}" for kind, ids in sorted(moved.items()))


def cmd_merge(args: argparse.Namespace, out: TextIO) -> int:
    kind = "contact" if args.contacts else "customer"
    take = [name for group in args.take or [] for name in group.split(",") if name]
    with open_register(args) as reg:
        actor = acting_user(reg, args.user)
        if args.contacts:
            try:
                keep_id, remove_id = int(args.keep), int(args.remove)
            except ValueError:
                raise CliError("contact persons are named by id (see `kartotek duplicates --contacts`)") from None
            keep_id, remove_id = contact_by_id(reg, actor, keep_id).id, contact_by_id(reg, actor, remove_id).id
        else:
            keep_id = customer_by_number(reg, actor, args.keep).id
            remove_id = customer_by_number(reg, actor, args.remove).id
            if keep_id == remove_id and args.keep.strip() != args.remove.strip():
                raise CliError(f"customer number {args.remove} finds {record_label(reg, actor, kind, keep_id)}: "
                               "it was merged into it before")
        keep_label = record_label(reg, actor, kind, keep_id)
        remove_label = record_label(reg, actor, kind, remove_id)
        target = k.Register.import_json(reg.export_json(1)) if args.dry_run else reg
        started = datetime.now(timezone.utc) - timedelta(seconds=1)
        if args.contacts:
            target.merge_contacts(actor, keep_id, remove_id, take=take)
        else:
            target.merge_customers(actor, keep_id, remove_id, take=take)
        recent = [e for e in target.history(actor, since=started) if e.source == "merge"]
        change = max((e.change for e in recent), default=0)
        entries = [e for e in recent if e.change == change]
    summary = merge_summary(entries, {(kind, keep_id), (kind, remove_id)})
    if args.dry_run:
        out.write(f"dry run: would merge {kind} {remove_label} into {keep_label}; records to re-point: {summary}\n")
    else:
        out.write(f"merged {kind} {remove_label} into {keep_label}; records re-pointed: {summary}\n")
    if take:
        out.write(f"taken from {remove_label}: {', '.join(take)}\n")
    return 0


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    """Opens a copy of the register's files, so the register itself is never
    changed (not even a torn journal tail is cut) and may be open elsewhere."""
    path = register_path(args)
    if not (path / SNAPSHOT).exists():
        raise CliError(f"no register at {path}")
    with tempfile.TemporaryDirectory(prefix="kartotek-check-") as tmp:
        copy = Path(tmp) / "register"
        copy.mkdir()
        for name in (SNAPSHOT, JOURNAL):
            if (path / name).exists():
                shutil.copyfile(path / name, copy / name)
        try:
            with k.Register.open(copy, create=False, durability="none") as reg:
                report = reg.open_report
                counts = reg.counts()
        except Error as e:
            raise CliError(f"{path} is damaged: {e}") from None
    out.write(
        f"{path}: ok (snapshot format {report.snapshot_format} up to change {report.snapshot_change}, "
        f"{report.replayed} journal records)\n"
    )
    if report.cut_tail:
        out.write(f"note: the journal ends in a torn record that the next open will cut: {report.cut_tail}\n")
    out.write(f"{counts.customers} customers, {counts.contacts} contacts, {counts.facilities} facilities, "
              f"{counts.service_objects} service objects, {counts.orders} orders, {counts.activities} activities, "
              f"{counts.users} users, {counts.history_entries} history entries\n")
    return 0


def cmd_compact(args: argparse.Namespace, out: TextIO) -> int:
    path = register_path(args)
    before = sum(f.stat().st_size for f in (path / SNAPSHOT, path / JOURNAL) if f.exists())
    with open_register(args) as reg:
        reg.compact()
    after = sum(f.stat().st_size for f in (path / SNAPSHOT, path / JOURNAL) if f.exists())
    out.write(f"compacted {path}: {before:,} bytes → {after:,} bytes\n")
    return 0


def cmd_stats(args: argparse.Namespace, out: TextIO) -> int:
    path = register_path(args)
    with open_register(args) as reg:
        actor = acting_user(reg, args.user)
        counts = reg.counts()
        report = reg.open_report
        inactive = reg.search_customers(actor, active=False, limit=1).total
        unassigned = reg.search_customers(actor, unassigned_only=True, limit=1).total
    sizes = {name: (path / name).stat().st_size for name in (SNAPSHOT, JOURNAL) if (path / name).exists()}
    stats = {
        **counts.to_dict(),
        "inactive_customers": inactive,
        "unassigned_customers": unassigned,
        "snapshot_bytes": sizes.get(SNAPSHOT, 0),
        "journal_bytes": sizes.get(JOURNAL, 0),
        "journal_records": report.replayed,
    }
    if args.json:
        out.write(json.dumps(stats, indent=2) + "\n")
        return 0
    table([[key.replace("_", " "), f"{value:,}"] for key, value in stats.items()], out)
    return 0


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kartotek",
        description="Maintain a kartotek register: customers, contacts, facilities, orders and their history.",
    )
    parser.add_argument("--version", action="version", version=f"kartotek {k.version()}")
    parser.add_argument(
        "--register", metavar="PATH",
        default=os.environ.get("KARTOTEK_REGISTER") or DEFAULT_REGISTER,
        help="the register's directory (default: $KARTOTEK_REGISTER, else ./kartotek-register)",
    )
    parser.add_argument(
        "--user", metavar="LOGIN", default=os.environ.get("KARTOTEK_USER") or None,
        help="act as this user (default: $KARTOTEK_USER, else the first administrator)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, run: Callable[[argparse.Namespace, TextIO], int], help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(run=run)
        return p

    p = command("init", cmd_init, "create an empty register with its first administrator")
    p.add_argument("--locale", default="sv", help="sorting and search rules: sv, da, nb, fi, en … (default sv)")
    p.add_argument("--admin", default="admin", metavar="LOGIN", help="the administrator's login (default admin)")
    p.add_argument("--admin-name", default="Administrator", metavar="NAME")

    p = command("demo", cmd_demo, "create a realistic sample register to play with")
    p.add_argument("--customers", type=int, default=1000, metavar="N", help="how many customers (default 1000)")
    p.add_argument("--seed", type=int, default=1, help="the same seed gives the same register (default 1)")

    p = command("import", cmd_import,
                "import customers, contacts or facilities from a CSV file (.csv, .txt, or with --kind), "
                "customers from JSON (an array or JSON Lines), or make a new register from a "
                "whole-register JSON document; all or nothing")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="check everything, change nothing")
    p.add_argument("--kind", choices=["customers", "contacts", "facilities"],
                   help="what a CSV file holds (default customers); reads FILE as CSV")
    p.add_argument("--skip-bad-rows", action="store_true", help="CSV: import the good rows, report the bad")
    p.add_argument("--upsert", action="store_true",
                   help="CSV: update the records that exist (customers by number, facilities by customer "
                        "and number) instead of refusing their rows")
    p.add_argument("--map", action="append", metavar="HEADER=COLUMN",
                   help="CSV: read HEADER as COLUMN (see `kartotek columns`); HEADER= leaves it unread; "
                        "repeatable")
    p.add_argument("--delimiter", metavar="D", help="CSV: ',', ';' or 'tab' (default: detected)")
    p.add_argument("--max-problems", type=int, default=100, metavar="N",
                   help="CSV: show at most N problems (default 100, 0: all)")
    p.add_argument("--check-duplicates", action="store_true",
                   help="customers: list the imported ones that look like customers already there, or like "
                        "each other (a warning: they are imported all the same, unless --dry-run)")

    p = command("export", cmd_export,
                "write the whole register as JSON, its customers as JSON Lines, or a list "
                "(--list) as a CSV file for Excel, plain CSV or JSON")
    p.add_argument("--customers", action="store_true", help="customers only, one JSON object a line")
    p.add_argument("--list", choices=["customers", "contacts", "facilities", "orders"],
                   help="the list to export, with its filters below")
    p.add_argument("--format", choices=["excel", "csv", "json"],
                   help="with --list: excel (UTF-8 with BOM, ';', decimal commas), csv (RFC 4180: ',') or "
                        "json; default: "
                        "json for a .json file, excel for another file, csv on standard output")
    p.add_argument("--columns", metavar="A,B,C", help="with --list: these columns (see `kartotek columns`)")
    p.add_argument("--text", help="only records matching this text (contacts: last name)")
    p.add_argument("--all", action="store_true", help="with --list: inactive records (closed orders) too")
    p.add_argument("--customer", metavar="NUMBER", help="with --list: the contacts, facilities or orders of "
                                                        "this customer")
    p.add_argument("--technician", metavar="LOGIN", help="with --list customers: those assigned to this user")
    p.add_argument("--kind", choices=["work_order", "service_order", "error_report", "quotation",
                                      "contact_order", "sales_order"], help="with --list orders: this kind")
    p.add_argument("--sort", help="with --list: the column to sort by (as the list's search sorts)")
    p.add_argument("--descending", action="store_true")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")

    p = command("columns", cmd_columns, "the columns a list imports and exports, with the headers recognised")
    p.add_argument("list", choices=["customers", "contacts", "facilities", "orders"])
    p.add_argument("--json", action="store_true")

    p = command("search", cmd_search, "find customers by name, contact person or e-mail")
    p.add_argument("text", nargs="*", help="text to look for (nothing: every customer)")
    p.add_argument("--prefix", action="store_true", help="match the start of words only")
    p.add_argument("--all", action="store_true", help="include deactivated customers")
    p.add_argument("--technician", metavar="LOGIN", help="only customers assigned to this user")
    p.add_argument("--sort", default="name", choices=["name", "number", "city", "created_at"])
    p.add_argument("--limit", type=int, default=20, help="at most this many (default 20)")
    p.add_argument("--json", action="store_true", help="JSON records instead of a table")

    p = command("show", cmd_show, "a customer with contacts, facilities and service objects")
    p.add_argument("number", help="customer number")
    p.add_argument("--json", action="store_true")

    p = command("history", cmd_history, "the change history of a customer, or of the whole register")
    p.add_argument("number", nargs="?", help="customer number (nothing: every record)")
    p.add_argument("--limit", type=int, default=50, help="the last N entries (default 50, 0: all)")
    p.add_argument("--json", action="store_true")

    p = command("orders", cmd_orders, "list orders: open ones by default, of one customer or all")
    p.add_argument("number", nargs="?", help="customer number (nothing: every customer's)")
    p.add_argument("--kind", choices=["work_order", "service_order", "error_report", "quotation",
                                      "contact_order", "sales_order"])
    p.add_argument("--mine", action="store_true", help="only orders assigned to the acting user")
    p.add_argument("--all", action="store_true", help="closed orders too (listed last)")
    p.add_argument("--sort", choices=["number", "kind", "customer", "subject", "status", "planned",
                                      "created_at"],
                   help="default: newest first; contact orders by planned date")
    p.add_argument("--descending", action="store_true")
    p.add_argument("--limit", type=int, default=20, help="at most this many (default 20, 0: all)")
    p.add_argument("--json", action="store_true")

    p = command("todo", cmd_todo, "the acting user's to-do list: his open contact orders and bookings")
    p.add_argument("--json", action="store_true")

    p = command("assign", cmd_assign, "make a technician responsible for a customer")
    p.add_argument("number", help="customer number")
    p.add_argument("technician", nargs="?", metavar="LOGIN", help="the technician's login")
    p.add_argument("--none", action="store_true", help="remove the assignment")

    p = command("deactivate", cmd_deactivate, "deactivate a customer (history and records are kept)")
    p.add_argument("number", help="customer number")
    p.add_argument("--reactivate", action="store_true", help="make the customer active again")

    p = command("activities", cmd_activities,
                "the CRM of a customer or a contact person: notes, meetings, tasks, e-mails, journal "
                "entries, files and reminders, oldest first")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--customer", metavar="NUMBER", help="the customer with this number")
    who.add_argument("--contact", type=int, metavar="ID",
                     help="the contact person with this id (with the notes on his companies)")
    p.add_argument("--kind", nargs="+", action="extend", choices=ACTIVITY_KINDS, metavar="KIND",
                   help=f"only these kinds: {', '.join(ACTIVITY_KINDS)}")
    p.add_argument("--status", nargs="+", action="extend", metavar="STATUS",
                   help="only tasks with one of these statuses (the settings' task statuses)")
    p.add_argument("--since", metavar="DATE", help="from this date or time on (ISO 8601: 2026-03-01)")
    p.add_argument("--until", metavar="DATE", help="before this date or time")
    p.add_argument("--descending", action="store_true", help="newest first")
    p.add_argument("--limit", type=int, default=50, help="at most this many (default 50, 0: all)")
    p.add_argument("--json", action="store_true")

    p = command("note", cmd_note, "write a note on a customer or a contact person")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--customer", metavar="NUMBER", help="the customer with this number")
    who.add_argument("--contact", type=int, metavar="ID", help="the contact person with this id")
    p.add_argument("text", nargs="+", metavar="TEXT", help="the note (several words are joined by spaces)")

    p = command("vcard", cmd_vcard,
                "a customer's or a contact person's vCard, or its QR code for a phone to read")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--customer", metavar="NUMBER", help="the customer with this number")
    who.add_argument("--contact", type=int, metavar="ID", help="the contact person with this id")
    p.add_argument("--version", dest="vcard_version", choices=["3.0", "4.0"], default="4.0",
                   help="vCard 3.0 (RFC 2426) or 4.0 (RFC 6350; the default)")
    p.add_argument("--qr", choices=["svg", "png"], help="write the vCard's QR code instead of its text")
    p.add_argument("--module-size", type=int, default=8, metavar="PIXELS",
                   help="with --qr: pixels per module (1 to 32, default 8)")
    p.add_argument("--margin", type=int, default=4, metavar="MODULES",
                   help="with --qr: the quiet zone in modules (0 to 16, default 4)")
    p.add_argument("--level", choices=["low", "medium", "quartile", "high"], default="medium",
                   help="with --qr: error correction (default medium)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")

    p = command("duplicates", cmd_duplicates,
                "customers (or contact persons) that look like one entered twice, the likeliest first; "
                "with --name, --org-number, --email or --phone: those like a record not yet created")
    p.add_argument("--contacts", action="store_true", help="contact persons instead of customers")
    p.add_argument("--min-score", type=int, default=50, metavar="N",
                   help="only pairs scoring N or more, 1 to 100 (default 50)")
    p.add_argument("--limit", type=int, default=100, help="at most this many (default 100, 0: all)")
    p.add_argument("--name", help="the name of a customer (a contact's first and last name) not yet created")
    p.add_argument("--org-number", metavar="NUMBER", help="its organisation number")
    p.add_argument("--email", help="its e-mail address")
    p.add_argument("--phone", help="its phone number")
    p.add_argument("--json", action="store_true", help="the pairs as JSON")

    p = command("merge", cmd_merge,
                "join customer REMOVE into customer KEEP (or contact persons, by id, with --contacts): "
                "every contact, facility, order and activity moves to KEEP, REMOVE is deleted and its "
                "number finds KEEP; all or nothing")
    p.add_argument("keep", metavar="KEEP", help="the customer number (contact id) to keep")
    p.add_argument("remove", metavar="REMOVE", help="the customer number (contact id) joined into KEEP")
    p.add_argument("--contacts", action="store_true", help="KEEP and REMOVE are contact persons' ids")
    p.add_argument("--take", action="append", metavar="FIELD[,FIELD]",
                   help="take this field's value from REMOVE (email, phone, invoice_address, custom.KEY …); "
                        "every other field keeps KEEP's value; repeatable")
    p.add_argument("--dry-run", action="store_true", help="check the merge and say what it moves, change nothing")

    command("check", cmd_check, "verify the register's files without changing them")
    command("compact", cmd_compact, "fold the journal into a new snapshot")
    p = command("stats", cmd_stats, "counts and file sizes")
    p.add_argument("--json", action="store_true")
    return parser


def main(argv: Optional[Sequence[str]] = None, out: TextIO = sys.stdout) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args, out)
        return code
    except (Error, CliError) as e:
        message = str(e)
        if isinstance(e, ValidationError) and e.field and not message.startswith(e.field):
            message = f"{e.field}: {message}"
        sys.stderr.write(f"kartotek: error: {message}\n")
        return 1
    except OSError as e:
        sys.stderr.write(f"kartotek: error: {e.strerror or e}"
                         + (f": {e.filename}" if e.filename else "") + "\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("kartotek: interrupted\n")
        return 130


if __name__ == "__main__":
    sys.exit(main())
