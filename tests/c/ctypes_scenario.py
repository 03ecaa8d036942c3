"""tests/c/ctypes_scenario.py: another language wraps libkartotek with no C
compiler. A small wrapper over Python's ctypes (errors become exceptions,
JSON becomes dicts, cursors become iterators, handles are freed by their
owners) drives a whole scenario: a register on a Python clock, users,
customers, contacts and links, facilities and service objects, searches,
updates with revisions and conflicts, history, settings, several threads,
misuse, and a register on disk: created, closed, reopened (locked while open),
compacted, exported and imported as JSON, saved elsewhere. Then a CSV file is
imported with a progress callback written in Python, and lists are exported.
Then the CRM: activities made, listed through a query object, updated on a
revision, reassigned by an array of ids; e-mails restricted; employees linked;
a reminder due. Then custom fields: defined, carried by customers, filtered
and sorted by, and a change of type refused with its report, then made.
Last, duplicates: a Nordic pair found, an unsaved customer checked, the two
cards merged (the old number finds the kept one), and two contacts merged.

    python ctypes_scenario.py <path to libkartotek.so>
"""

import ctypes
import json
import os
import sys
import tempfile
import threading
from ctypes import (CFUNCTYPE, POINTER, byref, c_char_p, c_int, c_int64, c_size_t, c_uint,
                    c_uint32, c_uint64, c_void_p)

KT_OK, KT_DONE = 0, 1
KT_NOT_FOUND, KT_PERMISSION_DENIED, KT_INVALID, KT_CONFLICT = -1, -2, -3, -4
KT_MISUSE = -8
KT_ANY = -1

CLOCK_FN = CFUNCTYPE(c_int64, c_void_p)
PROGRESS_FN = CFUNCTYPE(c_int, c_char_p, c_uint64, c_uint64, c_void_p)


class KartotekError(Exception):
    def __init__(self, status, name, message, field):
        super().__init__(f"{name}: {message}")
        self.status, self.message, self.field = status, message, field


def load(path):
    lib = ctypes.CDLL(path)

    def fn(name, restype, *argtypes):
        f = getattr(lib, name)
        f.restype, f.argtypes = restype, list(argtypes)

    P = c_void_p  # every handle is opaque: a pointer and nothing more
    fn("kt_version", c_char_p)
    fn("kt_abi_version", c_int)
    fn("kt_status_name", c_char_p, c_int)
    fn("kt_error_code", c_int)
    fn("kt_error_message", c_char_p)
    fn("kt_error_field", c_char_p)
    fn("kt_error_clear", None)
    fn("kt_string_free", None, P)
    fn("kt_buffer_free", None, P)
    fn("kt_register_options_new", c_int, POINTER(P))
    fn("kt_register_options_free", None, P)
    fn("kt_register_options_set_settings", c_int, P, c_char_p)
    fn("kt_register_options_set_clock", c_int, P, CLOCK_FN, P)
    fn("kt_register_new", c_int, POINTER(P))
    fn("kt_register_new_with_options", c_int, POINTER(P), P)
    fn("kt_register_free", None, P)
    fn("kt_register_create_first_administrator", c_int, POINTER(c_uint64), P, c_char_p, c_char_p)
    fn("kt_register_counts", c_int, POINTER(P), P)
    fn("kt_register_state", c_int, POINTER(P), POINTER(c_size_t), P)
    fn("kt_cursor_next", c_int, POINTER(P), P)
    fn("kt_cursor_total", c_int, POINTER(c_size_t), P)
    fn("kt_cursor_remaining", c_int, POINTER(P), P)
    fn("kt_cursor_free", None, P)
    for kind in ("customer", "contact", "facility", "service_object", "user"):
        fn(f"kt_{kind}_create", c_int, POINTER(c_uint64), P, c_uint64, c_char_p)
        fn(f"kt_{kind}_update", c_int, P, c_uint64, c_uint64, c_uint64, c_char_p)
        fn(f"kt_{kind}_get", c_int, POINTER(P), P, c_uint64, c_uint64)
    for name in ("kt_customer_deactivate", "kt_customer_reactivate", "kt_customer_delete",
                 "kt_contact_delete", "kt_facility_delete", "kt_service_object_delete"):
        fn(name, c_int, P, c_uint64, c_uint64)
    fn("kt_customer_assign_technician", c_int, P, c_uint64, c_uint64, c_uint64)
    fn("kt_customer_get_by_number", c_int, POINTER(P), P, c_uint64, c_char_p)
    for name in ("kt_customer_contacts", "kt_customer_facilities", "kt_contact_links",
                 "kt_facility_service_objects"):
        fn(name, c_int, POINTER(P), P, c_uint64, c_uint64)
    fn("kt_user_list", c_int, POINTER(P), P, c_uint64)
    fn("kt_contact_link", c_int, P, c_uint64, c_char_p)
    fn("kt_contact_link_update", c_int, P, c_uint64, c_uint64, c_uint64, c_char_p)
    fn("kt_contact_unlink", c_int, P, c_uint64, c_uint64, c_uint64)
    fn("kt_settings_get", c_int, POINTER(P), P, c_uint64)
    fn("kt_settings_update", c_int, P, c_uint64, c_char_p)
    fn("kt_customer_query_new", c_int, POINTER(P))
    fn("kt_customer_query_free", None, P)
    fn("kt_customer_query_set_text", c_int, P, c_char_p)
    fn("kt_customer_query_set_match", c_int, P, c_char_p)
    fn("kt_customer_query_set_search_in", c_int, P, c_uint)
    fn("kt_customer_query_set_active", c_int, P, c_int)
    fn("kt_customer_query_set_kind", c_int, P, c_char_p)
    fn("kt_customer_query_set_category", c_int, P, c_char_p)
    fn("kt_customer_query_set_technician", c_int, P, c_uint64)
    fn("kt_customer_query_set_unassigned_only", c_int, P, c_int)
    fn("kt_customer_query_set_sort", c_int, P, c_char_p, c_int)
    fn("kt_customer_query_set_page", c_int, P, c_size_t, c_size_t)
    fn("kt_customer_search", c_int, POINTER(P), P, c_uint64, P)
    fn("kt_contact_query_new", c_int, POINTER(P))
    fn("kt_contact_query_free", None, P)
    fn("kt_contact_query_set_last_name", c_int, P, c_char_p)
    fn("kt_contact_query_set_sort", c_int, P, c_char_p, c_int)
    fn("kt_contact_search", c_int, POINTER(P), P, c_uint64, P)
    fn("kt_history_query_new", c_int, POINTER(P))
    fn("kt_history_query_free", None, P)
    fn("kt_history_query_set_record", c_int, P, c_char_p, c_uint64)
    fn("kt_history_query_set_from", c_int, P, c_char_p)
    fn("kt_history_query_set_to", c_int, P, c_char_p)
    fn("kt_history", c_int, POINTER(P), P, c_uint64, P)
    fn("kt_open_options_new", c_int, POINTER(P))
    fn("kt_open_options_free", None, P)
    fn("kt_open_options_set_durability", c_int, P, c_char_p)
    fn("kt_open_options_set_batch_interval_ms", c_int, P, c_uint32)
    fn("kt_open_options_set_create", c_int, P, c_int)
    fn("kt_open_options_set_settings", c_int, P, c_char_p)
    fn("kt_open_options_set_clock", c_int, P, CLOCK_FN, P)
    fn("kt_register_open", c_int, POINTER(P), c_char_p, P)
    fn("kt_register_open_report", c_int, POINTER(P), P)
    fn("kt_register_is_persistent", c_int, POINTER(c_int), P)
    fn("kt_register_compact", c_int, P)
    fn("kt_register_sync", c_int, P)
    fn("kt_register_save_as", c_int, P, c_char_p)
    fn("kt_register_export_json", c_int, POINTER(P), P, c_uint64)
    fn("kt_register_import_json", c_int, POINTER(P), c_char_p, P)
    fn("kt_import_options_new", c_int, POINTER(P))
    fn("kt_import_options_free", None, P)
    fn("kt_import_options_set_kind", c_int, P, c_char_p)
    fn("kt_import_options_set_dry_run", c_int, P, c_int)
    fn("kt_import_options_map_column", c_int, P, c_char_p, c_char_p)
    fn("kt_import_options_set_progress", c_int, P, PROGRESS_FN, P)
    fn("kt_import_csv", c_int, POINTER(P), P, c_uint64, ctypes.c_char_p, c_size_t, P)
    fn("kt_export_options_new", c_int, POINTER(P))
    fn("kt_export_options_free", None, P)
    fn("kt_export_options_set_format", c_int, P, c_char_p)
    fn("kt_export_options_add_column", c_int, P, c_char_p)
    fn("kt_export_options_set_progress", c_int, P, PROGRESS_FN, P)
    for kind in ("customer", "contact", "facility", "order"):
        fn(f"kt_{kind}_export", c_int, POINTER(P), POINTER(c_size_t), P, c_uint64, P, P)
    fn("kt_facility_query_new", c_int, POINTER(P))
    fn("kt_facility_query_free", None, P)
    fn("kt_facility_query_set_text", c_int, P, c_char_p)
    fn("kt_facility_search", c_int, POINTER(P), P, c_uint64, P)
    fn("kt_list_columns", c_int, POINTER(P), c_char_p)
    fn("kt_activity_create", c_int, POINTER(c_uint64), P, c_uint64, c_char_p)
    fn("kt_activity_update", c_int, P, c_uint64, c_uint64, c_uint64, c_char_p)
    fn("kt_activity_delete", c_int, P, c_uint64, c_uint64)
    fn("kt_activity_get", c_int, POINTER(P), P, c_uint64, c_uint64)
    fn("kt_activities_reassign", c_int, P, c_uint64, POINTER(c_uint64), c_size_t, c_uint64)
    fn("kt_contact_restrict_emails", c_int, P, c_uint64, c_uint64, c_int)
    fn("kt_customer_link_employee", c_int, P, c_uint64, c_uint64, c_uint64)
    fn("kt_customer_employees", c_int, POINTER(P), P, c_uint64, c_uint64)
    fn("kt_activity_query_new", c_int, POINTER(P))
    fn("kt_activity_query_free", None, P)
    fn("kt_activity_query_add_kind", c_int, P, c_char_p)
    fn("kt_activity_query_set_contact", c_int, P, c_uint64)
    fn("kt_activity_query_set_owner", c_int, P, c_uint64)
    fn("kt_activity_query_set_json", c_int, P, c_char_p)
    fn("kt_activity_search", c_int, POINTER(P), P, c_uint64, P)
    fn("kt_due_reminders", c_int, POINTER(P), P, c_uint64, c_char_p)
    fn("kt_field_define", c_int, P, c_uint64, c_char_p)
    fn("kt_field_update", c_int, P, c_uint64, c_char_p, c_char_p, c_uint64, c_char_p)
    fn("kt_field_retire", c_int, P, c_uint64, c_char_p, c_char_p)
    fn("kt_field_restore", c_int, P, c_uint64, c_char_p, c_char_p)
    fn("kt_field_change_type", c_int, P, c_uint64, c_char_p, c_char_p, c_uint64, c_char_p, c_char_p)
    fn("kt_field_type_conversions", c_int, POINTER(P), P, c_uint64, c_char_p, c_char_p, c_char_p, c_char_p)
    fn("kt_field_definitions", c_int, POINTER(P), P, c_uint64, c_char_p, c_int)
    fn("kt_customer_query_add_custom_filter", c_int, P, c_char_p, c_char_p, c_char_p)
    fn("kt_customer_query_clear_custom_filters", c_int, P)
    fn("kt_customer_query_set_custom_sort", c_int, P, c_char_p, c_int)
    fn("kt_duplicates_find", c_int, POINTER(P), P, c_uint64, c_char_p, c_int, c_size_t)
    fn("kt_customer_similar", c_int, POINTER(P), P, c_uint64, c_char_p, c_int)
    fn("kt_contact_similar", c_int, POINTER(P), P, c_uint64, c_char_p, c_int)
    fn("kt_customers_merge", c_int, P, c_uint64, c_uint64, c_uint64, c_char_p)
    fn("kt_contacts_merge", c_int, P, c_uint64, c_uint64, c_uint64, c_char_p)
    return lib


class Kartotek:
    """The wrapper: what a binding in any language would do."""

    def __init__(self, lib):
        self.lib = lib

    def check(self, status):
        if status < 0:
            lib = self.lib
            raise KartotekError(status, lib.kt_status_name(status).decode(),
                                lib.kt_error_message().decode(), lib.kt_error_field().decode())
        return status

    def take_string(self, ptr):
        """Copies a library string into Python and frees it with its one free function."""
        try:
            return ctypes.string_at(ptr.value).decode("utf-8")
        finally:
            self.lib.kt_string_free(ptr)

    def call_json(self, name, *args):
        out = c_void_p()
        self.check(getattr(self.lib, name)(byref(out), *args))
        return json.loads(self.take_string(out))

    def call_id(self, name, *args):
        out = c_uint64()
        self.check(getattr(self.lib, name)(byref(out), *args))
        return out.value

    def cursor(self, name, *args):
        """Yields every item of the cursor a call returns, then frees it."""
        cur = c_void_p()
        self.check(getattr(self.lib, name)(byref(cur), *args))
        try:
            item = c_void_p()
            while self.check(self.lib.kt_cursor_next(byref(item), cur)) == KT_OK:
                yield json.loads(self.take_string(item))
        finally:
            self.lib.kt_cursor_free(cur)

    def page(self, name, *args):
        """A search's page as a list, with the total over all pages."""
        cur = c_void_p()
        self.check(getattr(self.lib, name)(byref(cur), *args))
        try:
            total, rest = c_size_t(), c_void_p()
            self.check(self.lib.kt_cursor_total(byref(total), cur))
            self.check(self.lib.kt_cursor_remaining(byref(rest), cur))
            return json.loads(self.take_string(rest)), total.value
        finally:
            self.lib.kt_cursor_free(cur)


def enc(value):
    return json.dumps(value).encode("utf-8")


def expect_error(status, field, words, call, *args):
    try:
        call(*args)
    except KartotekError as e:
        assert e.status == status, f"{e}: expected status {status}"
        assert e.field == field, f"{e}: field {e.field!r}, expected {field!r}"
        assert words in e.message, f"{e}: lacks {words!r}"
        return
    raise AssertionError(f"{call.__name__ if hasattr(call, '__name__') else call} did not fail")


def scenario(lib):
    kt = Kartotek(lib)
    assert lib.kt_version().decode() == "0.1.0", lib.kt_version()
    assert lib.kt_abi_version() == 1

    # A register on a clock written in Python.
    now = [1767600000 * 1000000]  # 2026-01-05T08:00:00Z

    @CLOCK_FN
    def clock(_payload):
        now[0] += 60 * 1000000  # each command a minute later
        return now[0]

    options, reg = c_void_p(), c_void_p()
    kt.check(lib.kt_register_options_new(byref(options)))
    kt.check(lib.kt_register_options_set_settings(options, enc({"auto_number": True, "number_prefix": "K",
                                                                "number_padding": 4})))
    kt.check(lib.kt_register_options_set_clock(options, clock, None))
    kt.check(lib.kt_register_new_with_options(byref(reg), options))
    lib.kt_register_options_free(options)

    admin = kt.call_id("kt_register_create_first_administrator", reg, b"anna", "Anna Lindqvist".encode())
    every_right = kt.call_json("kt_rights_all")
    assert "customers.view" in every_right and len(every_right) == len(set(every_right))
    tekla = kt.call_id("kt_user_create", reg, admin,
                       enc({"login": "tekla", "name": "Tekla Tekniker", "rights": every_right}))
    assert kt.call_json("kt_user_rights", reg, admin, tekla) == every_right
    assert [u["login"] for u in kt.cursor("kt_user_list", reg, admin)] == ["anna", "tekla"]
    assert kt.call_json("kt_user_get", reg, tekla, tekla)["administrator"] is False
    kt.check(lib.kt_user_update(reg, admin, tekla, 1, enc({"email": "tekla@firma.se"})))

    # Customers: generated numbers, Nordic names.
    aberg = kt.call_id("kt_customer_create", reg, tekla, enc({
        "name": "Åberg & Söner Kyl AB", "invoice_address": {"street": "Storgatan 1", "city": "Göteborg"},
        "email": "info@aberg.se"}))
    ostlund = kt.call_id("kt_customer_create", reg, tekla, enc({"name": "Östlund VVS", "kind": "private"}))
    zetter = kt.call_id("kt_customer_create", reg, tekla, enc({"name": "Zetterberg El", "category": "El"}))
    record = kt.call_json("kt_customer_get", reg, tekla, aberg)
    assert record["number"] == "K0001" and record["invoice_address"]["city"] == "Göteborg"
    assert record["created_at"] == "2026-01-05T08:04:00.000000Z", record["created_at"]
    assert kt.call_json("kt_customer_get_by_number", reg, tekla, b"k0002")["id"] == ostlund

    # An update is a patch based on the revision read; a stale one is a conflict.
    kt.check(lib.kt_customer_update(reg, tekla, aberg, record["revision"], enc({"phone": "031-12 34 56"})))
    expect_error(KT_CONFLICT, "", "has changed since it was read",
                 kt.check, lib.kt_customer_update(reg, tekla, aberg, record["revision"], enc({"phone": "1"})))
    expect_error(KT_INVALID, "invoice_address.town", "unknown field",
                 kt.check, lib.kt_customer_update(reg, tekla, aberg, 2, enc({"invoice_address": {"town": "x"}})))
    expect_error(KT_INVALID, "json", "UTF-8",
                 kt.check, lib.kt_customer_update(reg, tekla, aberg, 2, b'{"name":"\xff"}'))
    expect_error(KT_INVALID, "json", "offset", kt.check, lib.kt_customer_update(reg, tekla, aberg, 2, b"{"))
    expect_error(KT_PERMISSION_DENIED, "", "administrator",
                 kt.check, lib.kt_customer_update(reg, tekla, aberg, 2, enc({"number": "X1"})))
    expect_error(KT_NOT_FOUND, "", "customer 99", kt.call_json, "kt_customer_get", reg, tekla, 99)

    # Contacts and links.
    lisa = kt.call_id("kt_contact_create", reg, tekla, enc({"first_name": "Lisa", "last_name": "Kvist",
                                                            "email": "lisa@kvist.se"}))
    kt.check(lib.kt_contact_update(reg, tekla, lisa, 1, enc({"title": "Inköpare"})))
    kt.check(lib.kt_contact_link(reg, tekla, enc({"contact": lisa, "customer": aberg, "role": "Inköp"})))
    kt.check(lib.kt_contact_link(reg, tekla, enc({"contact": lisa, "customer": zetter})))
    kt.check(lib.kt_contact_link_update(reg, tekla, lisa, aberg, enc({"send_work_orders": True})))
    linked = list(kt.cursor("kt_customer_contacts", reg, tekla, aberg))
    assert linked[0]["contact"]["title"] == "Inköpare" and linked[0]["link"]["send_work_orders"] is True
    assert [l["customer"] for l in kt.cursor("kt_contact_links", reg, tekla, lisa)] == [aberg, zetter]
    kt.check(lib.kt_contact_unlink(reg, tekla, lisa, zetter))
    assert kt.call_json("kt_contact_get", reg, tekla, lisa)["revision"] == 2

    # Facilities and service objects.
    site = kt.call_id("kt_facility_create", reg, tekla, enc({"customer": aberg, "name": "Verkstan"}))
    pump = kt.call_id("kt_service_object_create", reg, tekla, enc({"facility": site, "identifier": "SN-77",
                                                                   "type": "Värmepump"}))
    kt.check(lib.kt_facility_update(reg, tekla, site, 1, enc({"comments": "Port 3"})))
    kt.check(lib.kt_service_object_update(reg, tekla, pump, 1, enc({"name": "Pump 1"})))
    assert [f["name"] for f in kt.cursor("kt_customer_facilities", reg, tekla, aberg)] == ["Verkstan"]
    assert [s["name"] for s in kt.cursor("kt_facility_service_objects", reg, tekla, site)] == ["Pump 1"]
    assert kt.call_json("kt_facility_get", reg, tekla, site)["comments"] == "Port 3"
    assert kt.call_json("kt_service_object_get", reg, tekla, pump)["type"] == "Värmepump"
    expect_error(KT_CONFLICT, "", "linked to it", kt.check, lib.kt_customer_delete(reg, tekla, aberg))

    # Search: Swedish order (Z < Å < Ö), filters, paging with a total.
    query = c_void_p()
    kt.check(lib.kt_customer_query_new(byref(query)))
    names, total = kt.page("kt_customer_search", reg, tekla, query)
    assert [c["name"] for c in names] == ["Zetterberg El", "Åberg & Söner Kyl AB", "Östlund VVS"], names
    kt.check(lib.kt_customer_query_set_text(query, "kvist".encode()))  # a contact person's name
    assert [c["id"] for c in kt.page("kt_customer_search", reg, tekla, query)[0]] == [aberg]
    kt.check(lib.kt_customer_query_set_text(query, None))
    kt.check(lib.kt_customer_query_set_kind(query, b"private"))
    assert [c["id"] for c in kt.page("kt_customer_search", reg, tekla, query)[0]] == [ostlund]
    kt.check(lib.kt_customer_query_set_kind(query, None))
    kt.check(lib.kt_customer_query_set_sort(query, b"number", 1))
    kt.check(lib.kt_customer_query_set_page(query, 0, 2))
    items, total = kt.page("kt_customer_search", reg, tekla, query)
    assert [c["number"] for c in items] == ["K0003", "K0002"] and total == 3
    expect_error(KT_INVALID, "sort", "expected one of", kt.check, lib.kt_customer_query_set_sort(query, b"x", 0))
    lib.kt_customer_query_free(query)

    contacts = c_void_p()
    kt.check(lib.kt_contact_query_new(byref(contacts)))
    kt.check(lib.kt_contact_query_set_last_name(contacts, b"kv"))
    assert [c["id"] for c in kt.page("kt_contact_search", reg, tekla, contacts)[0]] == [lisa]
    lib.kt_contact_query_free(contacts)

    # Assignment, deactivation.
    kt.check(lib.kt_customer_assign_technician(reg, admin, ostlund, tekla))
    kt.check(lib.kt_customer_deactivate(reg, admin, ostlund))
    kt.check(lib.kt_customer_reactivate(reg, admin, ostlund))
    assert kt.call_json("kt_customer_get", reg, tekla, ostlund)["assigned_technician"] == tekla

    # History of one record, within a time range.
    history = c_void_p()
    kt.check(lib.kt_history_query_new(byref(history)))
    kt.check(lib.kt_history_query_set_record(history, b"customer", aberg))
    entries = list(kt.cursor("kt_history", reg, admin, history))
    assert entries[0]["action"] == "created" and entries[1]["field"] == "phone", entries[:2]
    kt.check(lib.kt_history_query_set_from(history, entries[1]["at"].encode()))
    kt.check(lib.kt_history_query_set_to(history, entries[1]["at"].encode()))
    assert list(kt.cursor("kt_history", reg, admin, history)) == []  # [from, to) is empty
    expect_error(KT_INVALID, "from", "not a timestamp", kt.check, lib.kt_history_query_set_from(history, b"now"))
    lib.kt_history_query_free(history)
    assert len(list(kt.cursor("kt_history", reg, admin, None))) > 10

    # Settings: a patch; the counter moved with every generated number.
    settings = kt.call_json("kt_settings_get", reg, admin)
    assert settings["next_number"] == 4 and settings["locale"] == "sv"
    kt.check(lib.kt_settings_update(reg, admin, enc({"number_prefix": "C"})))
    expect_error(KT_PERMISSION_DENIED, "", "administrator",
                 kt.check, lib.kt_settings_update(reg, tekla, enc({"number_prefix": "D"})))

    # Several Python threads on one register (ctypes releases the GIL in calls).
    errors = []

    def worker(n):
        try:
            for i in range(25):
                kt.call_id("kt_customer_create", reg, tekla, enc({"name": f"Tråd {n}-{i}"}))
                list(kt.cursor("kt_customer_search", reg, tekla, None))
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    counts = kt.call_json("kt_register_counts", reg)
    assert counts["customers"] == 3 + 100 and counts["users"] == 2, counts

    state, size = c_void_p(), c_size_t()
    kt.check(lib.kt_register_state(byref(state), byref(size), reg))
    assert size.value > 0 and ctypes.string_at(state.value, 4)
    lib.kt_buffer_free(state)

    # Cleaning up: contact and service object, facility, then the customer.
    kt.check(lib.kt_contact_delete(reg, tekla, lisa))
    kt.check(lib.kt_service_object_delete(reg, tekla, pump))
    kt.check(lib.kt_facility_delete(reg, tekla, site))
    kt.check(lib.kt_customer_delete(reg, tekla, aberg))
    expect_error(KT_NOT_FOUND, "", "does not exist", kt.call_json, "kt_customer_get", reg, tekla, aberg)

    # Misuse is reported, not a crash: NULL handles, a register freed twice.
    expect_error(KT_MISUSE, "", "reg is NULL", kt.call_json, "kt_settings_get", None, admin)
    lib.kt_register_free(reg)
    lib.kt_error_clear()
    lib.kt_register_free(reg)
    assert lib.kt_error_code() == KT_MISUSE and b"not a live kt_register" in lib.kt_error_message()
    expect_error(KT_MISUSE, "", "not a live kt_register", kt.call_json, "kt_settings_get", reg, admin)


def on_disk(lib):
    """A register in a directory: created, closed, reopened; the lock; the
    open report; compaction; export, import and save_as."""
    kt = Kartotek(lib)
    now = [1767600000 * 1000000]

    @CLOCK_FN
    def clock(_payload):
        now[0] += 1000000
        return now[0]

    def open_register(path, create=True, durability=b"batch"):
        options, reg = c_void_p(), c_void_p()
        kt.check(lib.kt_open_options_new(byref(options)))
        try:
            kt.check(lib.kt_open_options_set_durability(options, durability))
            kt.check(lib.kt_open_options_set_batch_interval_ms(options, 20))
            kt.check(lib.kt_open_options_set_create(options, 1 if create else 0))
            kt.check(lib.kt_open_options_set_settings(options, enc({"locale": "sv"})))
            kt.check(lib.kt_open_options_set_clock(options, clock, None))
            kt.check(lib.kt_register_open(byref(reg), os.fsencode(path), options))
        finally:
            lib.kt_open_options_free(options)
        return reg

    with tempfile.TemporaryDirectory(prefix="kartotek-ctypes-") as scratch:
        path = os.path.join(scratch, "Kund register åäö")  # spaces and non-ASCII in the path
        reg = open_register(path)
        report = kt.call_json("kt_register_open_report", reg)
        assert report["created"] is True and report["replayed"] == 0, report
        persistent = c_int()
        kt.check(lib.kt_register_is_persistent(byref(persistent), reg))
        assert persistent.value == 1
        admin = kt.call_id("kt_register_create_first_administrator", reg, b"anna", b"Anna")
        aberg = kt.call_id("kt_customer_create", reg, admin, enc({"number": "1001", "name": "Åberg AB"}))
        kt.check(lib.kt_customer_update(reg, admin, aberg, 1, enc({"phone": "031-1"})))
        kt.check(lib.kt_register_sync(reg))

        # While it is open, the directory is locked.
        expect_error(KT_CONFLICT, "", "already open", open_register, path)
        lib.kt_register_free(reg)

        # Closed and reopened without creating: the journal is replayed.
        reg = open_register(path, create=False, durability=b"sync")
        report = kt.call_json("kt_register_open_report", reg)
        assert report == {"created": False, "snapshot_format": 8, "snapshot_change": 0, "replayed": 3,
                          "skipped": 0, "cut_tail": "", "upgraded_from": 0}, report
        record = kt.call_json("kt_customer_get", reg, admin, aberg)
        assert record["name"] == "Åberg AB" and record["phone"] == "031-1" and record["revision"] == 2

        # Compacted: the next open replays nothing.
        kt.check(lib.kt_register_compact(reg))
        doc = c_void_p()
        kt.check(lib.kt_register_export_json(byref(doc), reg, admin))
        exported = kt.take_string(doc)
        lib.kt_register_free(reg)
        reg = open_register(path, create=False)
        assert kt.call_json("kt_register_open_report", reg)["replayed"] == 0

        # Export, import into memory, save elsewhere, open that.
        copy = c_void_p()
        kt.check(lib.kt_register_import_json(byref(copy), exported.encode(), None))
        kt.check(lib.kt_register_is_persistent(byref(persistent), copy))
        assert persistent.value == 0
        assert kt.call_json("kt_register_export_json", copy, admin) == json.loads(exported)
        saved = os.path.join(scratch, "saved")
        kt.check(lib.kt_register_save_as(copy, os.fsencode(saved)))
        lib.kt_register_free(copy)
        other = open_register(saved, create=False)
        assert kt.call_json("kt_customer_get", other, admin, aberg) == record
        lib.kt_register_free(other)

        expect_error(KT_INVALID, "format", "kartotek-register",
                     kt.check, lib.kt_register_import_json(byref(copy), b'{"format":"x","version":1}', None))
        expect_error(KT_NOT_FOUND, "", "no register at", open_register, os.path.join(scratch, "none"), False)
        expect_error(KT_INVALID, "path", "UTF-8", kt.check, lib.kt_register_open(byref(copy), b"/tmp/\xff", None))
        lib.kt_register_free(reg)


def transfer(lib):
    """A CSV file in Windows-1252 imported with a progress callback written in
    Python (a dry run, then for real, then cancelled), facilities searched,
    and lists exported as Excel's CSV and as JSON."""
    kt = Kartotek(lib)
    reg = c_void_p()
    kt.check(lib.kt_register_new(byref(reg)))
    admin = kt.call_id("kt_register_create_first_administrator", reg, b"anna", b"Anna")

    calls = []

    @PROGRESS_FN
    def progress(phase, done, total, _payload):
        calls.append((phase.decode(), done, total))
        return 1

    @PROGRESS_FN
    def cancel(_phase, _done, _total, _payload):
        return 0

    data = "Kundnummer;Namn;Ort;Skräp\r\n1001;Åsa Öberg;Göteborg;x\r\n1002;Ek AB;Umeå;y\r\n".encode("cp1252")
    options = c_void_p()
    kt.check(lib.kt_import_options_new(byref(options)))
    try:
        kt.check(lib.kt_import_options_set_progress(options, progress, None))
        kt.check(lib.kt_import_options_map_column(options, "Skräp".encode(), b""))
        kt.check(lib.kt_import_options_set_dry_run(options, 1))
        report = kt.call_json("kt_import_csv", reg, admin, data, len(data), options)
        assert report["dry_run"] is True and report["applied"] is False and report["created"] == 2, report
        assert kt.call_json("kt_register_counts", reg)["customers"] == 0
        kt.check(lib.kt_import_options_set_dry_run(options, 0))
        del calls[:]
        report = kt.call_json("kt_import_csv", reg, admin, data, len(data), options)
        assert report["encoding"] == "windows-1252" and report["delimiter"] == ";", report
        assert report["columns"][3] == {"header": "Skräp", "column": ""}, report["columns"]
        assert report["created"] == 2 and report["applied"] is True and report["problems"] == [], report
        phases = {phase for phase, _, _ in calls}
        assert calls and {"reading", "rows"} <= phases, calls
        assert kt.call_json("kt_customer_get_by_number", reg, admin, b"1001")["name"] == "Åsa Öberg"

        # A callback returning 0 cancels: nothing is applied.
        more = "Kundnummer;Namn;Skräp\n1003;Ask AB;z\n".encode("cp1252")  # the mapping still applies
        kt.check(lib.kt_import_options_set_progress(options, cancel, None))
        report = kt.call_json("kt_import_csv", reg, admin, more, len(more), options)
        assert report["cancelled"] is True and report["applied"] is False, report
        assert kt.call_json("kt_register_counts", reg)["customers"] == 2

        expect_error(KT_INVALID, "kind", "exported, not imported",
                     kt.check, lib.kt_import_options_set_kind(options, b"orders"))
    finally:
        lib.kt_import_options_free(options)

    kt.check(lib.kt_import_options_new(byref(options)))
    try:
        kt.check(lib.kt_import_options_set_kind(options, b"facilities"))
        sites = "customer_number,name,number\n1001,Verkstan,F-1\n1002,Lagret,F-2\n".encode()
        report = kt.call_json("kt_import_csv", reg, admin, sites, len(sites), options)
        assert report["kind"] == "facilities" and report["created"] == 2, report
    finally:
        lib.kt_import_options_free(options)
    query = c_void_p()
    kt.check(lib.kt_facility_query_new(byref(query)))
    kt.check(lib.kt_facility_query_set_text(query, b"verk"))
    items, total = kt.page("kt_facility_search", reg, admin, query)
    assert [f["number"] for f in items] == ["F-1"] and total == 1, items
    lib.kt_facility_query_free(query)

    def export(name, options):
        buffer, size = c_void_p(), c_size_t()
        kt.check(getattr(lib, name)(byref(buffer), byref(size), reg, admin, None, options))
        try:
            return ctypes.string_at(buffer.value, size.value)
        finally:
            lib.kt_buffer_free(buffer)

    excel = export("kt_customer_export", None)
    assert excel.startswith(b"\xef\xbb\xbf") and b";" in excel, excel
    assert "Åsa Öberg" in excel.decode("utf-8-sig")

    records = []

    @PROGRESS_FN
    def count(phase, done, total, _payload):
        records.append((phase.decode(), done, total))
        return 1

    eo = c_void_p()
    kt.check(lib.kt_export_options_new(byref(eo)))
    try:
        kt.check(lib.kt_export_options_set_format(eo, b"json"))
        kt.check(lib.kt_export_options_add_column(eo, b"number"))
        kt.check(lib.kt_export_options_add_column(eo, b"name"))
        kt.check(lib.kt_export_options_set_progress(eo, count, None))
        rows = json.loads(export("kt_customer_export", eo).decode())
        assert {"number": "1001", "name": "Åsa Öberg"} in rows and len(rows) == 2, rows
        assert records and records[-1] == ("records", 2, 2), records
        facilities = json.loads(export("kt_facility_export", eo).decode())
        assert sorted(f["number"] for f in facilities) == ["F-1", "F-2"], facilities
    finally:
        lib.kt_export_options_free(eo)

    columns = kt.call_json("kt_list_columns", b"customers")
    assert any(c["name"] == "number" and "Kundnummer" in c["headers"] for c in columns), columns
    expect_error(KT_INVALID, "list", "expected one of", kt.call_json, "kt_list_columns", b"x")
    lib.kt_register_free(reg)


def crm(lib):
    """The CRM of a customer and its contact person: notes, meetings, a task,
    an e-mail and a reminder, listed through an activity query; an update on
    a revision; meetings reassigned by an array of ids; e-mails restricted;
    employees linked; the reminder due."""
    kt = Kartotek(lib)
    reg = c_void_p()
    kt.check(lib.kt_register_new(byref(reg)))
    admin = kt.call_id("kt_register_create_first_administrator", reg, b"anna", b"Anna")
    tekla = kt.call_id("kt_user_create", reg, admin, enc({"login": "tekla", "name": "Tekla Tekniker",
                                                          "rights": kt.call_json("kt_rights_all")}))
    aberg = kt.call_id("kt_customer_create", reg, tekla, enc({"number": "1001", "name": "Åberg AB"}))
    lisa = kt.call_id("kt_contact_create", reg, tekla, enc({"first_name": "Lisa", "last_name": "Kvist"}))
    kt.check(lib.kt_contact_link(reg, tekla, enc({"contact": lisa, "customer": aberg})))

    def add(**activity):
        return kt.call_id("kt_activity_create", reg, tekla, enc(activity))

    note = add(customer=aberg, text="Ny inköpschef.")
    meetings = [add(kind="meeting", contact=lisa, at=f"2026-02-1{day}T10:00:00Z", subject=f"Möte {day}")
                for day in (1, 2)]
    task = add(kind="task", customer=aberg, at="2026-03-01", subject="Skicka offert")
    mail = add(kind="email", contact=lisa, subject="Offert", sender="lisa@kvist.se", recipients=["info@aberg.se"])
    reminder = add(kind="reminder", customer=aberg, at="2026-01-01T08:00:00Z", subject="Ring Lisa")
    assert kt.call_json("kt_activity_get", reg, tekla, task)["status"] == "open"
    expect_error(KT_INVALID, "subject", "required", lambda: add(kind="meeting", contact=lisa, at="2026-02-01"))

    # The contact's meetings through a query object; a page with its total.
    query = c_void_p()
    kt.check(lib.kt_activity_query_new(byref(query)))
    try:
        kt.check(lib.kt_activity_query_add_kind(query, b"meeting"))
        kt.check(lib.kt_activity_query_set_contact(query, lisa))
        items, total = kt.page("kt_activity_search", reg, tekla, query)
        assert [a["subject"] for a in items] == ["Möte 1", "Möte 2"] and total == 2, items

        # Both meetings to another owner at once, by an array of ids.
        ids = (c_uint64 * len(meetings))(*meetings)
        kt.check(lib.kt_activities_reassign(reg, tekla, ids, len(meetings), admin))
        kt.check(lib.kt_activity_query_set_owner(query, admin))
        assert [a["id"] for a in kt.page("kt_activity_search", reg, tekla, query)[0]] == meetings
        ids[1] = note
        expect_error(KT_INVALID, "activities[1]", "meetings and tasks",
                     kt.check, lib.kt_activities_reassign(reg, tekla, ids, 2, tekla))

        # The query as JSON: the contact's notes include his company's.
        kt.check(lib.kt_activity_query_set_json(query, enc({"kinds": ["note"], "owner": None})))
        assert [a["id"] for a in kt.page("kt_activity_search", reg, tekla, query)[0]] == [note]
    finally:
        lib.kt_activity_query_free(query)

    # An update is a patch on the revision read.
    kt.check(lib.kt_activity_update(reg, tekla, task, 1, enc({"status": "done"})))
    expect_error(KT_CONFLICT, "", "has changed since it was read",
                 kt.check, lib.kt_activity_update(reg, tekla, task, 1, enc({"status": "open"})))

    # Restricted e-mails are the administrators' alone, until given back.
    kt.check(lib.kt_contact_restrict_emails(reg, admin, lisa, 1))
    expect_error(KT_NOT_FOUND, "", "does not exist", kt.call_json, "kt_activity_get", reg, tekla, mail)
    kt.check(lib.kt_contact_restrict_emails(reg, admin, lisa, 0))
    assert kt.call_json("kt_activity_get", reg, tekla, mail)["sender"] == "lisa@kvist.se"

    # Employees, and the reminder due.
    kt.check(lib.kt_customer_link_employee(reg, tekla, aberg, tekla))
    assert list(kt.cursor("kt_customer_employees", reg, tekla, aberg)) == [
        {"user": tekla, "name": "Tekla Tekniker", "linked": True, "orders": 0}]
    due = list(kt.cursor("kt_due_reminders", reg, tekla, b"2026-01-02"))
    assert [d["activity"]["id"] for d in due] == [reminder] and due[0]["order"] is None, due
    kt.check(lib.kt_activity_delete(reg, tekla, reminder))
    assert kt.call_json("kt_register_counts", reg)["activities"] == 5
    lib.kt_register_free(reg)


def custom_fields(lib):
    """Custom fields: an administrator defines them from dicts, customers
    carry values, a list filters and sorts by them, a refused value names
    its field; a change of type is refused while a value does not convert
    (the report names it), then made."""
    kt = Kartotek(lib)
    reg = c_void_p()
    kt.check(lib.kt_register_new(byref(reg)))
    admin = kt.call_id("kt_register_create_first_administrator", reg, b"anna", b"Anna")
    tekla = kt.call_id("kt_user_create", reg, admin, enc({"login": "tekla", "name": "Tekla Tekniker",
                                                          "rights": kt.call_json("kt_rights_all")}))

    def define(**field):
        kt.check(lib.kt_field_define(reg, admin, enc(field)))

    define(key="size", labels=[{"language": "sv", "text": "Storlek"}])
    define(key="zone", type="choice", choices=["Syd", "Nord"], labels=[{"language": "sv", "text": "Distrikt"}])
    labels_x = [{"language": "sv", "text": "X"}]
    expect_error(KT_PERMISSION_DENIED, "", "administrator",
                 kt.check, lib.kt_field_define(reg, tekla, enc({"key": "x", "labels": labels_x})))
    fields = list(kt.cursor("kt_field_definitions", reg, tekla, b"customer", 0))
    assert [f["key"] for f in fields] == ["size", "zone"] and fields[1]["choices"] == ["Syd", "Nord"], fields
    kt.check(lib.kt_field_update(reg, admin, b"customer", b"zone", 1, enc({"display_order": -1})))
    assert [f["key"] for f in kt.cursor("kt_field_definitions", reg, tekla, None, 0)] == ["zone", "size"]

    def customer(number, name, **custom):
        return kt.call_id("kt_customer_create", reg, tekla, enc({"number": number, "name": name, "custom": custom}))

    aberg = customer("100", "Åberg AB", size=" 12 ", zone="Nord")
    berg = customer("101", "Berg AB", size="stor", zone="Syd")
    ceder = customer("102", "Cederlund AB")
    assert kt.call_json("kt_customer_get", reg, tekla, aberg)["custom"] == {"size": "12", "zone": "Nord"}
    expect_error(KT_INVALID, "custom.zone", "choices",
                 kt.check, lib.kt_customer_update(reg, tekla, ceder, 1, enc({"custom": {"zone": "Väst"}})))

    query = c_void_p()
    kt.check(lib.kt_customer_query_new(byref(query)))
    try:
        kt.check(lib.kt_customer_query_add_custom_filter(query, b"zone", b"equals", enc("syd")))
        assert [c["id"] for c in kt.page("kt_customer_search", reg, tekla, query)[0]] == [berg]
        kt.check(lib.kt_customer_query_clear_custom_filters(query))
        kt.check(lib.kt_customer_query_add_custom_filter(query, b"zone", b"equals", None))
        assert [c["id"] for c in kt.page("kt_customer_search", reg, tekla, query)[0]] == [ceder]
        kt.check(lib.kt_customer_query_clear_custom_filters(query))
        kt.check(lib.kt_customer_query_set_custom_sort(query, b"zone", 0))  # the choices' order
        items, total = kt.page("kt_customer_search", reg, tekla, query)
        assert [c["id"] for c in items] == [berg, aberg, ceder] and total == 3, items
        kt.check(lib.kt_customer_query_add_custom_filter(query, b"size", b"at_least", b"1"))
        expect_error(KT_INVALID, "custom[0].match", "integer, decimal and date",
                     kt.page, "kt_customer_search", reg, tekla, query)
    finally:
        lib.kt_customer_query_free(query)

    # "stor" is no number: the change is refused whole and the report says why.
    report = list(kt.cursor("kt_field_type_conversions", reg, admin, b"customer", b"size", b"integer", None))
    assert [(r["record"], r["value"]) for r in report] == [(berg, "stor")], report
    before = kt.call_json("kt_customer_get", reg, tekla, berg)
    expect_error(KT_CONFLICT, "", "does not convert",
                 kt.check, lib.kt_field_change_type(reg, admin, b"customer", b"size", 1, b"integer", None))
    assert kt.call_json("kt_customer_get", reg, tekla, berg) == before
    kt.check(lib.kt_customer_update(reg, tekla, berg, 1, enc({"custom": {"size": "40"}})))
    kt.check(lib.kt_field_change_type(reg, admin, b"customer", b"size", 1, b"integer", None))
    assert kt.call_json("kt_customer_get", reg, tekla, aberg)["custom"] == {"size": 12, "zone": "Nord"}

    # Retired: hidden and kept; restored: back.
    kt.check(lib.kt_field_retire(reg, admin, b"customer", b"zone"))
    assert [f["key"] for f in kt.cursor("kt_field_definitions", reg, tekla, b"customer", 0)] == ["size"]
    assert kt.call_json("kt_customer_get", reg, tekla, aberg)["custom"]["zone"] == "Nord"
    kt.check(lib.kt_field_restore(reg, admin, b"customer", b"zone"))
    assert len(list(kt.cursor("kt_field_definitions", reg, tekla, b"customer", 0))) == 2
    lib.kt_register_free(reg)


def duplicates(lib):
    """Duplicates: two cards of one company found with their score and
    reasons, an unsaved customer checked before it is created (nothing
    saved), a refused take named, the cards merged with a field taken (the
    facility and the contact move; the old number finds the kept card), and
    two contacts merged."""
    kt = Kartotek(lib)
    reg = c_void_p()
    kt.check(lib.kt_register_new(byref(reg)))
    admin = kt.call_id("kt_register_create_first_administrator", reg, b"anna", b"Anna")
    tekla = kt.call_id("kt_user_create", reg, admin, enc({"login": "tekla", "name": "Tekla Tekniker",
                                                          "rights": kt.call_json("kt_rights_all")}))
    keep = kt.call_id("kt_customer_create", reg, tekla, enc({"number": "100", "name": "Söderström & Co AB",
                                                             "email": "info@soderstrom.se"}))
    removed = kt.call_id("kt_customer_create", reg, tekla, enc({"number": "200", "name": "Soderstrom och Co",
                                                                "phone": "08-123 45 67"}))
    site = kt.call_id("kt_facility_create", reg, tekla, enc({"customer": removed, "name": "Lagret"}))
    lisa = kt.call_id("kt_contact_create", reg, tekla, enc({"first_name": "Lisa", "last_name": "Kvist",
                                                            "email": "lisa@kvist.se"}))
    kt.check(lib.kt_contact_link(reg, tekla, enc({"contact": lisa, "customer": removed})))
    every = ctypes.c_size_t(-1).value  # SIZE_MAX: every pair

    pairs = list(kt.cursor("kt_duplicates_find", reg, tekla, b"customer", 50, every))
    assert pairs == [{"kind": "customer", "first": keep, "second": removed, "score": 60,
                      "reasons": ["same name"]}], pairs
    counts = kt.call_json("kt_register_counts", reg)
    similar = list(kt.cursor("kt_customer_similar", reg, tekla, enc({"name": "SÖDERSTRÖM AB",
                                                                      "email": "INFO@soderstrom.se"}), 50))
    assert [(p["first"], p["second"], p["score"]) for p in similar] == [(0, keep, 95), (0, removed, 60)], similar
    assert kt.call_json("kt_register_counts", reg) == counts
    expect_error(KT_INVALID, "min_score", "between 1 and 100",
                 lambda: list(kt.cursor("kt_duplicates_find", reg, tekla, b"customer", 0, every)))

    expect_error(KT_INVALID, "take[0]", "kept by the register",
                 kt.check, lib.kt_customers_merge(reg, tekla, keep, removed, enc(["number"])))
    expect_error(KT_INVALID, "take", "offset", kt.check, lib.kt_customers_merge(reg, tekla, keep, removed, b"[phone]"))
    kt.check(lib.kt_customers_merge(reg, tekla, keep, removed, enc(["phone"])))
    kept = kt.call_json("kt_customer_get_by_number", reg, tekla, b"200")
    assert (kept["id"], kept["number"], kept["phone"], kept["email"]) == (
        keep, "100", "08-123 45 67", "info@soderstrom.se"), kept
    assert kt.call_json("kt_facility_get", reg, tekla, site)["customer"] == keep
    assert [l["customer"] for l in kt.cursor("kt_contact_links", reg, tekla, lisa)] == [keep]
    expect_error(KT_NOT_FOUND, "", "does not exist", kt.call_json, "kt_customer_get", reg, tekla, removed)

    twin = kt.call_id("kt_contact_create", reg, tekla, enc({"first_name": "lisa", "last_name": "KVIST",
                                                            "email": "Lisa@Kvist.se", "mobile": "070-123 45 67"}))
    pairs = list(kt.cursor("kt_duplicates_find", reg, tekla, b"contact", 50, every))
    assert [(p["first"], p["second"], p["reasons"]) for p in pairs] == [(lisa, twin, ["same name", "email"])], pairs
    kt.check(lib.kt_contacts_merge(reg, tekla, lisa, twin, enc(["mobile"])))
    assert kt.call_json("kt_contact_get", reg, tekla, lisa)["mobile"] == "070-123 45 67"
    assert list(kt.cursor("kt_duplicates_find", reg, tekla, b"contact", 1, every)) == []
    lib.kt_register_free(reg)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    lib = load(sys.argv[1])
    scenario(lib)
    on_disk(lib)
    transfer(lib)
    crm(lib)
    custom_fields(lib)
    duplicates(lib)
    print("ctypes scenario: passed")


if __name__ == "__main__":
    main()
