/*
 * kartotek.h: the C API of kartotek, the register core of service and CRM
 * software (customers, contact persons, facilities, service objects, users,
 * orders, CRM activities, settings and field-level history).
 *
 * Plain C (C99 or later), usable from C++ and, through any foreign function
 * interface, from C#, Go, Rust, Java, Delphi or Python. docs/c-api.md explains
 * the conventions at length; in short:
 *
 *  - Handles are opaque (kt_register, kt_cursor, options and query objects).
 *    Each is created by a `_new` function through `**out` and released by its
 *    own NULL-safe `_free` function. No struct layout is part of the ABI.
 *  - Every call that can fail returns an int status: KT_OK (0), KT_DONE (1,
 *    the end of a cursor) or a negative kt_status. Results go through
 *    out-parameters, which come first and are named `out`. On failure every
 *    out-parameter is set to NULL (or 0).
 *  - The last error (status, message, field) is kept per thread: read it with
 *    kt_error_code(), kt_error_message() and kt_error_field() right after the
 *    call that failed.
 *  - Records cross as JSON text (UTF-8) in the one schema that the C++ API
 *    (to_json), Python and the JSON export share. Every string the library
 *    returns is freed with kt_string_free(), every byte buffer with
 *    kt_buffer_free(). Input strings are NUL-terminated UTF-8; invalid UTF-8
 *    is refused with KT_INVALID before anything else happens.
 *  - Values that have a name in the JSON schema (customer kinds, order
 *    kinds, sort columns, match modes, record kinds) cross as that name.
 *    Points in time cross as ISO 8601 UTC text.
 *  - Ids are uint64_t; 0 is never a valid id. Every command and every read
 *    runs on behalf of an actor: the id of an active user of the register.
 *  - No C++ exception ever leaves the library.
 *
 * Threading: a kt_register may be used from several threads at once; reads
 * run in parallel, commands one at a time (as in the C++ API). Options, query
 * and cursor objects are not locked: change one from one thread at a time. A
 * query that is no longer changed may be passed to searches on several
 * threads at once. The last error is per thread.
 *
 * Common status codes, not repeated below: KT_MISUSE when a handle or a
 * required pointer is NULL, or a handle is not a live object of the expected
 * kind (freed, or of another type); KT_INVALID when an input string is not
 * valid UTF-8 or a JSON text is malformed; KT_PERMISSION_DENIED when the
 * actor is not an active user; KT_NOMEM when memory ran out; KT_INTERNAL for
 * a failure the library did not foresee (a bug: please report it). On a
 * register opened on a directory (kt_register_open), every command may also
 * return KT_IO: its journal record could not be written or synced, and the
 * command was not applied (after a failed sync the register refuses further
 * commands until it is reopened).
 */
#ifndef KARTOTEK_H
#define KARTOTEK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* KT_API: marks the exported functions. Define KT_STATIC when linking the
 * static library on Windows. */
#if defined(_WIN32) && !defined(KT_STATIC)
#  if defined(KT_BUILDING_LIBRARY)
#    define KT_API __declspec(dllexport)
#  else
#    define KT_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) || defined(__clang__)
#  define KT_API __attribute__((visibility("default")))
#else
#  define KT_API
#endif

/* ------------------------------------------------------------------------
 * Versions
 * ------------------------------------------------------------------------ */

/* The version of kartotek these declarations come from. */
#define KT_VERSION_MAJOR 0
#define KT_VERSION_MINOR 1
#define KT_VERSION_PATCH 0
#define KT_VERSION_STRING "0.1.0"

/* KT_ABI_VERSION: the ABI these declarations describe. It changes only when
 * a function is removed or changes its signature or meaning, and it is the
 * number in the shared library's SONAME (libkartotek.so.1). Additions do not
 * change it. */
#define KT_ABI_VERSION 1

/* kt_version: the version of the linked library ("0.1.0"); compare it with
 * KT_VERSION_STRING to see that header and library agree. The string is
 * static: do not free it. Thread-safe. */
KT_API const char *kt_version(void);

/* kt_abi_version: the ABI version of the linked library; a program built
 * against this header needs it to equal KT_ABI_VERSION. Thread-safe. */
KT_API int kt_abi_version(void);

/* ------------------------------------------------------------------------
 * Status codes and the last error
 * ------------------------------------------------------------------------ */

/* kt_status: what a call returns. The values are part of the ABI and never
 * change; new codes may be added (treat an unknown negative code as an
 * error). */
typedef enum kt_status {
  KT_OK = 0,                  /* success */
  KT_DONE = 1,                /* a cursor has no more items (not an error) */
  KT_NOT_FOUND = -1,          /* the record named does not exist */
  KT_PERMISSION_DENIED = -2,  /* the actor may not do this, or is no active user */
  KT_INVALID = -3,            /* a value is not acceptable; kt_error_field() names it */
  KT_CONFLICT = -4,           /* the change collides with the register's state
                                 (number in use, linked records, stale revision) */
  KT_CORRUPT = -5,            /* stored data failed a check (registers on disk) */
  KT_IO = -6,                 /* the operating system refused a read or write */
  KT_NOMEM = -7,              /* memory ran out; nothing was changed */
  KT_MISUSE = -8,             /* the API was used wrongly: a NULL or freed handle,
                                 a NULL out-parameter */
  KT_INTERNAL = -9            /* an unforeseen failure inside the library (a bug) */
} kt_status;

/* kt_error_code: the status of the last call on this thread that reported
 * one: the error of the last failed call, or KT_OK when the last fallible
 * call succeeded. Thread-safe (the state is per thread). */
KT_API int kt_error_code(void);

/* kt_error_message: one line in English saying what went wrong in the last
 * failed call on this thread ("" when the last call succeeded). Never NULL.
 * The string belongs to the library and stays valid until the next kt_ call
 * on this thread; copy it to keep it. */
KT_API const char *kt_error_message(void);

/* kt_error_field: for KT_INVALID, the path of the field or argument that was
 * refused ("number", "invoice_address.city", "service_articles[0].hours",
 * "json", "limit"); "" when the error names no field. Never NULL; same
 * lifetime as kt_error_message(). */
KT_API const char *kt_error_field(void);

/* kt_error_clear: resets this thread's last error to KT_OK. */
KT_API void kt_error_clear(void);

/* kt_status_name: the name of a status code ("KT_NOT_FOUND"), or
 * "KT_UNKNOWN" for a value that is none of them. Static string: do not free
 * it. Thread-safe. */
KT_API const char *kt_status_name(int status);

/* ------------------------------------------------------------------------
 * Memory
 * ------------------------------------------------------------------------ */

/* kt_string_free: frees a string the library returned (JSON text). NULL is a
 * harmless no-op. Use nothing else to free such strings, and free each once. */
KT_API void kt_string_free(char *str);

/* kt_buffer_free: frees a byte buffer the library returned
 * (kt_register_state, the exports such as kt_customer_export, vCards and
 * QR codes). NULL is a harmless no-op. */
KT_API void kt_buffer_free(unsigned char *buffer);

/* ------------------------------------------------------------------------
 * Registers
 * ------------------------------------------------------------------------ */

/* kt_register: one register (the data of one group). Safe to use from
 * several threads at once; free it only when no other thread uses it. */
typedef struct kt_register kt_register;

/* kt_register_options: how a new register is made. Grows with new setters;
 * its layout is private. Not locked: set it up from one thread. */
typedef struct kt_register_options kt_register_options;

/* kt_clock_fn: a clock for the register: returns the current time as
 * microseconds since 1970-01-01T00:00:00Z. The register calls it once per
 * command, from the thread applying the command, while it holds the
 * register's write lock: it must be safe to call from any thread and must
 * not call back into the same register. `payload` is the pointer given to
 * kt_register_options_set_clock(). */
typedef int64_t (*kt_clock_fn)(void *payload);

/* kt_register_options_new: options with the defaults (system clock, default
 * settings). Free with kt_register_options_free(). */
KT_API int kt_register_options_new(kt_register_options **out);

/* kt_register_options_free: frees the options. NULL is a no-op; a pointer
 * that is not live options (freed twice) is detected where possible and
 * reported as KT_MISUSE in the last error, without freeing anything. */
KT_API void kt_register_options_free(kt_register_options *options);

/* kt_register_options_set_settings: the settings of the new register, as a
 * JSON object over the current ones (members not named keep their value, so
 * {"locale":"da"} changes only the locale). KT_INVALID for malformed JSON, an
 * unknown member or a wrong type (kt_error_field() names it). An unknown
 * locale is reported when the register is made. */
KT_API int kt_register_options_set_settings(kt_register_options *options,
                                            const char *settings_json);

/* kt_register_options_set_clock: the clock the register reads; NULL `now`
 * restores the system clock. `payload` is passed to every call of `now` and
 * must stay valid as long as the register lives. */
KT_API int kt_register_options_set_clock(kt_register_options *options, kt_clock_fn now,
                                         void *payload);

/* kt_register_new: an empty register in memory with the system clock and
 * default settings. Free it with kt_register_free(). */
KT_API int kt_register_new(kt_register **out);

/* kt_register_new_with_options: an empty register in memory made as
 * `options` say (NULL: the defaults). The options may be freed afterwards.
 * KT_INVALID (field "locale") for a locale the library does not know. */
KT_API int kt_register_new_with_options(kt_register **out, const kt_register_options *options);

/* kt_register_free: frees the register and everything in it. NULL is a
 * no-op. A register opened on a directory is closed: every applied command
 * is synced to disk (whatever the durability; a failure there is not
 * reported, and the next open finds what reached the disk) and the
 * directory's lock is released. Cursors made from it stay valid (they hold
 * copies). Freeing a
 * register twice, or a pointer that is no register, is detected where
 * possible and reported as KT_MISUSE in the last error without touching
 * memory (best effort: once the address is reused by a new register, a
 * stale pointer cannot be told from it). */
KT_API void kt_register_free(kt_register *reg);

/* kt_register_create_first_administrator: the register's first user, an
 * administrator; his id goes to `*out`. It is the one call without an actor.
 * KT_CONFLICT when the register already has users; KT_INVALID for a bad
 * login or name (empty, spaces in the login, too long). */
KT_API int kt_register_create_first_administrator(uint64_t *out, kt_register *reg,
                                                  const char *login, const char *name);

/* kt_register_counts: the number of records of each kind, as a JSON object
 * {"customers":n,"contacts":n,"facilities":n,"service_objects":n,"users":n,
 * "history_entries":n,"orders":n,"activities":n}. Free `*out` with
 * kt_string_free(). Takes no actor (as in the C++ API). */
KT_API int kt_register_counts(char **out, kt_register *reg);

/* kt_register_state: a deterministic binary dump of the whole state (two
 * registers with equal state give equal bytes), for comparisons and
 * diagnostics; its format is the library's own and not an exchange format.
 * `*out` (free it with kt_buffer_free()) receives `*out_size` bytes. */
KT_API int kt_register_state(unsigned char **out, size_t *out_size, kt_register *reg);

/* ------------------------------------------------------------------------
 * Registers on disk
 *
 * A register kept in a directory (its files: docs/file-formats.md) is opened
 * with kt_register_open() and is then a kt_register like one in memory:
 * every other function works on it, and every command is written to the
 * directory's journal before it returns (durable as the options say). While
 * it is open the directory is locked: a second open, from this process or
 * another, is KT_CONFLICT. kt_register_free() closes it.
 *
 * Failures of the files: KT_IO when the operating system refuses a read or
 * write; KT_CORRUPT when stored data fails a check (the message names the
 * file, and for the journal the offset; no file is changed). A torn last
 * journal record, the trace of a write cut off by a crash, is not an error:
 * it is cut off and reported in kt_register_open_report().
 * ------------------------------------------------------------------------ */

/* kt_open_options: how a register is opened. Grows with new setters; its
 * layout is private. Not locked: set it up from one thread. Defaults:
 * durability "sync", a batch interval of 100 ms, create a missing register,
 * default settings, the system clock. */
typedef struct kt_open_options kt_open_options;

/* kt_open_options_new: options with the defaults. Free with
 * kt_open_options_free(). */
KT_API int kt_open_options_new(kt_open_options **out);

/* kt_open_options_free: frees the options. NULL is a no-op; a freed or
 * foreign pointer is detected where possible (KT_MISUSE in the last error). */
KT_API void kt_open_options_free(kt_open_options *options);

/* kt_open_options_set_durability: when an acknowledged command (one whose
 * call returned KT_OK) is on stable storage:
 *  "sync"  (the default) before the call returns; writers committing at the
 *          same time share one sync;
 *  "batch" within the batch interval after it returns (a crash may lose the
 *          commands of the last interval, whole, never part of one);
 *  "none"  when the operating system writes it back, and at
 *          kt_register_sync() and kt_register_free().
 * KT_INVALID (field "durability") for another name. */
KT_API int kt_open_options_set_durability(kt_open_options *options, const char *durability);

/* kt_open_options_set_batch_interval_ms: the interval of the "batch"
 * durability, in milliseconds (default 100; ignored by the other modes).
 * KT_INVALID (field "batch_interval_ms") for 0. */
KT_API int kt_open_options_set_batch_interval_ms(kt_open_options *options, uint32_t milliseconds);

/* kt_open_options_set_create: non-zero (the default): a directory that
 * holds no register gets a new, empty one (the directory itself is made if
 * missing; its parent must exist). 0: opening such a path is KT_NOT_FOUND. */
KT_API int kt_open_options_set_create(kt_open_options *options, int create);

/* kt_open_options_set_settings: the settings of a register that the open
 * creates, as a JSON object over the current ones (as
 * kt_register_options_set_settings()). A register that exists keeps its own
 * settings. An unknown locale is reported when the register is created. */
KT_API int kt_open_options_set_settings(kt_open_options *options, const char *settings_json);

/* kt_open_options_set_clock: the clock the register reads (kt_clock_fn; the
 * same rules as kt_register_options_set_clock()); NULL `now` restores the
 * system clock. `payload` must stay valid as long as the register lives.
 * Replaying the journal does not call it: replayed commands keep their
 * recorded times. */
KT_API int kt_open_options_set_clock(kt_open_options *options, kt_clock_fn now, void *payload);

/* kt_register_open: the register kept in directory `path` (NUL-terminated
 * UTF-8; KT_INVALID, field "path", when not valid UTF-8 or empty), opened as
 * `options` say (NULL: the defaults; the options may be freed afterwards).
 * Its snapshot is loaded and its journal replayed. KT_NOT_FOUND when there
 * is no register and creating is off; KT_CONFLICT when the register is open
 * already (in this process or another); KT_CORRUPT when stored data fails a
 * check; KT_IO when the operating system refuses; KT_INVALID (field
 * "locale") for a new register's unknown locale. Free `*out` with
 * kt_register_free(), which closes it. */
KT_API int kt_register_open(kt_register **out, const char *path, const kt_open_options *options);

/* kt_register_open_report: what opening found, as a JSON object
 * {"created":bool, "snapshot_format":n, "snapshot_change":n, "replayed":n,
 * "skipped":n, "cut_tail":"...", "upgraded_from":n}: whether the open created the register,
 * the format version of the snapshot and the last change it holds, how many
 * journal records were applied and how many skipped (the snapshot held them
 * already), and the torn last journal record that was cut off, with its
 * offset and why ("" when the journal ended cleanly), and the earlier file
 * format the register was written in, which opening rewrote it from (0 when
 * it was current). For a register in
 * memory every member has its zero value. Free `*out` with
 * kt_string_free(). */
KT_API int kt_register_open_report(char **out, kt_register *reg);

/* kt_register_is_persistent: `*out` is 1 for a register opened on a
 * directory, 0 for one in memory (made by kt_register_new* or
 * kt_register_import_json()). */
KT_API int kt_register_is_persistent(int *out, kt_register *reg);

/* kt_register_compact: writes the whole state as a new snapshot and starts
 * an empty journal, so that the next open replays nothing; a crash at any
 * step leaves a register that opens with every acknowledged change. It
 * holds the register's write lock: commands and reads on other threads wait
 * while it runs. A no-op for a register in memory. KT_IO when a file cannot
 * be written (if the new journal cannot be started, the register then
 * refuses commands until it is reopened). */
KT_API int kt_register_compact(kt_register *reg);

/* kt_register_sync: makes every applied command durable now (for the
 * "batch" and "none" durability; a no-op for "sync" and in memory). KT_IO
 * when the sync fails. */
KT_API int kt_register_sync(kt_register *reg);

/* kt_register_close: makes every applied command durable, closes the
 * journal and releases the directory's lock, so that another process can
 * open the register while this handle lives on. Afterwards reads still
 * answer from memory, but commands and kt_register_compact() are
 * KT_CONFLICT. Closing twice, or a register in memory, is KT_OK. KT_IO when
 * the final sync fails (the register then stays open). The handle still
 * needs kt_register_free(). */
KT_API int kt_register_close(kt_register *reg);

/* kt_register_is_closed: `*out` is 1 after kt_register_close(), else 0. */
KT_API int kt_register_is_closed(int *out, kt_register *reg);

/* kt_register_save_as: writes the register's whole state (in memory or on
 * disk) as a new register in directory `path`, which must be empty or
 * missing (its parent must exist); open it with kt_register_open(). The
 * register itself stays where it is. KT_CONFLICT when a register exists at
 * `path` or is open there; KT_INVALID (field "path") for invalid UTF-8 or
 * an empty path; KT_IO when the operating system refuses. Takes no actor
 * (as in the C++ API). */
KT_API int kt_register_save_as(kt_register *reg, const char *path);

/* ------------------------------------------------------------------------
 * The whole register as JSON
 *
 * One JSON document holds a whole register: {"format":"kartotek-register",
 * "version":1, "settings", "counters", "retired_numbers", "customers",
 * "contacts", "contact_links", "facilities", "service_objects", "users",
 * "history"}, records in the same form as everywhere else
 * (docs/json-schema.md).
 * ------------------------------------------------------------------------ */

/* kt_register_export_json: the whole register as one JSON document in
 * `*out` (free it with kt_string_free()). Administrators only
 * (KT_PERMISSION_DENIED otherwise). */
KT_API int kt_register_export_json(char **out, kt_register *reg, uint64_t actor);

/* kt_register_import_json: a new register in memory holding exactly what
 * `json` (a document of kt_register_export_json()) holds: exporting it
 * gives the same document. Of `options` (NULL: the defaults) only the clock
 * is used; the settings come from the document. KT_INVALID naming the path
 * for a document of the wrong shape (field "json" for malformed JSON,
 * "format" or "version" for another kind of document, "customers[0].name"
 * ...); KT_CORRUPT for a document whose records contradict each other (two
 * customers with one number, a link to a missing record). To keep it on
 * disk, kt_register_save_as() it. Free `*out` with kt_register_free(). */
KT_API int kt_register_import_json(kt_register **out, const char *json,
                                   const kt_register_options *options);

/* ------------------------------------------------------------------------
 * Cursors: the results of searches and lists
 * ------------------------------------------------------------------------ */

/* kt_cursor: the items of one search page or one list, taken at the moment
 * of the call (later changes to the register do not show). Each item is a
 * JSON object. Independent of the register it came from. Use it from one
 * thread at a time. */
typedef struct kt_cursor kt_cursor;

/* kt_cursor_next: the next item as JSON in `*out` (free it with
 * kt_string_free()) and KT_OK, or KT_DONE with `*out` NULL when every item
 * has been returned. */
KT_API int kt_cursor_next(char **out, kt_cursor *cursor);

/* kt_cursor_total: for a search, the number of matches in the whole result
 * (every page); for a list, the number of items. */
KT_API int kt_cursor_total(size_t *out, kt_cursor *cursor);

/* kt_cursor_remaining: the items not yet returned by kt_cursor_next(), as
 * one JSON array ("[]" when none); the cursor is then at its end. Free
 * `*out` with kt_string_free(). */
KT_API int kt_cursor_remaining(char **out, kt_cursor *cursor);

/* kt_cursor_free: frees the cursor. NULL is a no-op; a freed or foreign
 * pointer is detected where possible (KT_MISUSE in the last error). */
KT_API void kt_cursor_free(kt_cursor *cursor);

/* ------------------------------------------------------------------------
 * Customers
 *
 * A customer crosses as the JSON object of the C++ Customer: {"id",
 * "number", "name", "kind", "organisation_number", "invoice_address",
 * "visiting_address", "postal_address", "email", "phone", "website",
 * "position", "language", "category", "discount_letters", "cost_center",
 * "customer_order_number", "comments", "active", "assigned_technician",
 * "service_articles", "work_order_articles", "created_at", "revision",
 * "employees", "custom"}: "employees" are the staff users linked to it
 * directly (kt_customer_link_employee()); "custom" its custom field values,
 * {key: value} (see "Custom fields").
 * ------------------------------------------------------------------------ */

/* kt_customer_create: creates a customer from a JSON object; its id goes to
 * `*out`. Members not given take their defaults; fields the register keeps
 * ("id", "active", "assigned_technician", "created_at", "revision",
 * "employees") may be absent and are refused when set otherwise. An empty
 * number gets the next generated one when the auto_number setting is on. KT_INVALID (with the
 * field) for a value the rules refuse; KT_CONFLICT for a number in use or
 * retired. */
KT_API int kt_customer_create(uint64_t *out, kt_register *reg, uint64_t actor,
                              const char *customer_json);

/* kt_customer_update: changes customer `customer` by a JSON patch: members
 * named in `patch_json` replace the current values, the others stay (nested
 * objects such as "invoice_address" are patched member by member; lists are
 * replaced whole). `revision` is the revision the change is based on (from
 * the record as read): KT_CONFLICT when the customer has changed since. The
 * patch may repeat "id" and "revision" only with the same values. Fields the
 * register keeps ("active", "assigned_technician", "created_at",
 * "employees") change only
 * through their own calls: a patch that alters them is KT_INVALID. Changing
 * the number needs an administrator (KT_PERMISSION_DENIED). KT_NOT_FOUND
 * when there is no such customer. */
KT_API int kt_customer_update(kt_register *reg, uint64_t actor, uint64_t customer,
                              uint64_t revision, const char *patch_json);

/* kt_customer_deactivate / kt_customer_reactivate: sets the customer
 * inactive or active again; repeating one changes nothing. KT_NOT_FOUND when
 * there is no such customer. */
KT_API int kt_customer_deactivate(kt_register *reg, uint64_t actor, uint64_t customer);
KT_API int kt_customer_reactivate(kt_register *reg, uint64_t actor, uint64_t customer);

/* kt_customer_delete: deletes the customer; its number is never handed out
 * again. KT_CONFLICT while contact persons or facilities are linked to it,
 * or it has orders (deactivate it instead); KT_NOT_FOUND when there is no
 * such customer. */
KT_API int kt_customer_delete(kt_register *reg, uint64_t actor, uint64_t customer);

/* kt_customer_assign_technician: makes user `technician` responsible for the
 * customer; 0 removes the assignment. KT_NOT_FOUND for an unknown customer
 * or user; KT_INVALID (field "technician") for a deactivated user. */
KT_API int kt_customer_assign_technician(kt_register *reg, uint64_t actor, uint64_t customer,
                                         uint64_t technician);

/* kt_customer_get: the customer as JSON in `*out` (free with
 * kt_string_free()). KT_NOT_FOUND when there is no such customer. */
KT_API int kt_customer_get(char **out, kt_register *reg, uint64_t actor, uint64_t customer);

/* kt_customer_get_by_number: the customer with this number (compared after
 * trimming and ignoring case) as JSON in `*out`. KT_NOT_FOUND when no
 * customer has it. */
KT_API int kt_customer_get_by_number(char **out, kt_register *reg, uint64_t actor,
                                     const char *number);

/* kt_customer_query: what a customer search matches, filters, sorts and
 * which page it returns. Defaults: every customer, sorted by name, offset 0,
 * limit 50. Not locked: set it up from one thread. */
typedef struct kt_customer_query kt_customer_query;

/* kt_search_in: where customer search text is looked for (bit flags). */
typedef enum kt_search_in {
  KT_SEARCH_NAME = 1,          /* the customer's name */
  KT_SEARCH_CONTACT_NAME = 2,  /* first, last or full name of a linked contact person */
  KT_SEARCH_EMAIL = 4,         /* the customer's e-mail or a linked contact person's */
  KT_SEARCH_CUSTOM = 8,        /* the customer's searchable custom fields of text types */
  KT_SEARCH_EVERYWHERE = 15
} kt_search_in;

/* KT_ANY: for the `active` filters: active and inactive records alike. */
#define KT_ANY (-1)

/* kt_customer_query_new: a query with the defaults; free it with
 * kt_customer_query_free(). */
KT_API int kt_customer_query_new(kt_customer_query **out);

/* kt_customer_query_free: frees the query. NULL is a no-op; a freed or
 * foreign pointer is detected where possible (KT_MISUSE in the last error). */
KT_API void kt_customer_query_free(kt_customer_query *query);

/* kt_customer_query_set_text: the search text (NULL or "" matches every
 * customer). Matching ignores case and follows the register's locale. */
KT_API int kt_customer_query_set_text(kt_customer_query *query, const char *text);

/* kt_customer_query_set_match: how the text matches: "substring" (the
 * default) or "prefix". KT_INVALID (field "match") for another name. */
KT_API int kt_customer_query_set_match(kt_customer_query *query, const char *match);

/* kt_customer_query_set_search_in: where the text is looked for: a non-zero
 * combination of kt_search_in flags (default KT_SEARCH_EVERYWHERE).
 * KT_INVALID (field "search_in") for 0 or unknown bits. */
KT_API int kt_customer_query_set_search_in(kt_customer_query *query, unsigned search_in);

/* kt_customer_query_set_active: 1 only active customers, 0 only inactive
 * ones, KT_ANY both (the default). KT_INVALID for another value. */
KT_API int kt_customer_query_set_active(kt_customer_query *query, int active);

/* kt_customer_query_set_kind: only customers of this kind ("company" or
 * "private"); NULL: any kind. KT_INVALID (field "kind") for another name. */
KT_API int kt_customer_query_set_kind(kt_customer_query *query, const char *kind);

/* kt_customer_query_set_category: only customers of this category (equal
 * after folding case); NULL: any category. */
KT_API int kt_customer_query_set_category(kt_customer_query *query, const char *category);

/* kt_customer_query_set_technician: only customers assigned to this user; 0:
 * any technician. */
KT_API int kt_customer_query_set_technician(kt_customer_query *query, uint64_t technician);

/* kt_customer_query_set_unassigned_only: non-zero: only customers without an
 * assigned technician. */
KT_API int kt_customer_query_set_unassigned_only(kt_customer_query *query, int unassigned_only);

/* kt_customer_query_set_sort: the column to sort by ("number", "name",
 * "kind", "organisation_number", "category", "email", "phone", "city",
 * "postal_code", "active", "technician", "created_at"), ties by id;
 * non-zero `descending` reverses the order. KT_INVALID (field "sort") for
 * another name. */
KT_API int kt_customer_query_set_sort(kt_customer_query *query, const char *column,
                                      int descending);

/* kt_customer_query_set_page: which page the search returns: the matches at
 * positions [offset, offset + limit) of the sorted result. A limit of 0 is
 * refused by the search (KT_INVALID, field "limit"). */
KT_API int kt_customer_query_set_page(kt_customer_query *query, size_t offset, size_t limit);

/* kt_customer_query_add_custom_filter: adds a condition on the customer's
 * custom field `key` (see "Custom fields"); every condition added must
 * hold. `match` is "equals" (the same value; text ignores case as the
 * search does, and a multi_choice field equals each choice it holds),
 * "contains" (text types: the value holds the text), "at_least" or
 * "at_most" (integer, decimal and date fields: an inclusive bound).
 * `value_json` is the value as JSON ("\"Nord\"", "40", "\"2026-01-31\"");
 * NULL or "null" with "equals" keeps the customers without a value.
 * KT_INVALID here (field "match") for another match name, (field "value")
 * for malformed JSON; the search refuses a filter the definitions do not
 * allow, naming it: "custom[0].key" for a key customers do not have (or
 * have retired), "custom[0].match" for a match the field's type does not
 * allow, "custom[0].value" for a value of the wrong type or no choice of
 * the field. */
KT_API int kt_customer_query_add_custom_filter(kt_customer_query *query, const char *key,
                                               const char *match, const char *value_json);

/* kt_customer_query_clear_custom_filters: no custom conditions again. */
KT_API int kt_customer_query_clear_custom_filters(kt_customer_query *query);

/* kt_customer_query_set_custom_sort: sorts by custom field `key` instead of
 * the column of kt_customer_query_set_sort() (numbers and dates by value,
 * choices in the field's order of choices, text by the locale), ties by
 * id; customers without a value come last in both directions. Non-zero
 * `descending` reverses the order (it is the one direction of both
 * setters). NULL `key`: the column again. A key customers do not have is
 * refused by the search (KT_INVALID, field "custom_sort"). */
KT_API int kt_customer_query_set_custom_sort(kt_customer_query *query, const char *key,
                                             int descending);

/* kt_customer_search: the page of customers `query` asks for (NULL: the
 * defaults), as a cursor of customer JSON objects; kt_cursor_total() gives
 * the number of matches on all pages. Free `*out` with kt_cursor_free(). */
KT_API int kt_customer_search(kt_cursor **out, kt_register *reg, uint64_t actor,
                              const kt_customer_query *query);

/* kt_customer_contacts: the contact persons of a customer, ordered by last
 * and first name, as a cursor of objects {"link": <contact link>, "contact":
 * <contact>}. KT_NOT_FOUND when there is no such customer. */
KT_API int kt_customer_contacts(kt_cursor **out, kt_register *reg, uint64_t actor,
                                uint64_t customer);

/* kt_customer_facilities: the facilities of a customer in id order, as a
 * cursor of facility JSON objects. KT_NOT_FOUND when there is no such
 * customer. */
KT_API int kt_customer_facilities(kt_cursor **out, kt_register *reg, uint64_t actor,
                                  uint64_t customer);

/* ------------------------------------------------------------------------
 * Contact persons and their links to customers
 *
 * A contact crosses as {"id", "first_name", "last_name", "title", "email",
 * "phone", "mobile", "category", "comments", "active", "created_at",
 * "revision", "emails_restricted", "custom"} ("emails_restricted" is the
 * register's, changed by kt_contact_restrict_emails() only; "custom" as
 * for customers); a contact link as
 * {"contact", "customer", "role", "send_service_protocol",
 * "send_work_orders"}.
 * ------------------------------------------------------------------------ */

/* kt_contact_create: creates a contact from a JSON object; his id goes to
 * `*out`. He needs a first or a last name (KT_INVALID). */
KT_API int kt_contact_create(uint64_t *out, kt_register *reg, uint64_t actor,
                             const char *contact_json);

/* kt_contact_update: changes contact `contact` by a JSON patch based on
 * `revision`; the rules of kt_customer_update() apply (KT_CONFLICT for a
 * stale revision, KT_NOT_FOUND, KT_INVALID). */
KT_API int kt_contact_update(kt_register *reg, uint64_t actor, uint64_t contact,
                             uint64_t revision, const char *patch_json);

/* kt_contact_delete: deletes the contact and his links to customers.
 * KT_NOT_FOUND when there is no such contact. */
KT_API int kt_contact_delete(kt_register *reg, uint64_t actor, uint64_t contact);

/* kt_contact_get: the contact as JSON in `*out` (free with
 * kt_string_free()). KT_NOT_FOUND when there is no such contact. */
KT_API int kt_contact_get(char **out, kt_register *reg, uint64_t actor, uint64_t contact);

/* kt_contact_link: makes a contact a contact person of a customer, from a
 * contact link JSON object (its "contact" and "customer" are required).
 * KT_NOT_FOUND for an unknown contact or customer; KT_CONFLICT when the
 * link exists already. */
KT_API int kt_contact_link(kt_register *reg, uint64_t actor, const char *link_json);

/* kt_contact_link_update: changes the role and flags of the link between
 * `contact` and `customer` by a JSON patch (its "contact" and "customer", if
 * given, must name the same link). KT_NOT_FOUND when they are not linked. */
KT_API int kt_contact_link_update(kt_register *reg, uint64_t actor, uint64_t contact,
                                  uint64_t customer, const char *patch_json);

/* kt_contact_unlink: removes the link between `contact` and `customer`.
 * KT_NOT_FOUND when they are not linked. */
KT_API int kt_contact_unlink(kt_register *reg, uint64_t actor, uint64_t contact,
                             uint64_t customer);

/* kt_contact_links: the links of a contact to customers, in customer id
 * order, as a cursor of contact link objects. KT_NOT_FOUND when there is no
 * such contact. */
KT_API int kt_contact_links(kt_cursor **out, kt_register *reg, uint64_t actor,
                            uint64_t contact);

/* kt_contact_query: a contact search: by all or part of the last name, with
 * filters, sorted and paged. Defaults: every contact, sorted by last name,
 * offset 0, limit 50. Not locked: set it up from one thread. */
typedef struct kt_contact_query kt_contact_query;

/* kt_contact_query_new / kt_contact_query_free: as for kt_customer_query. */
KT_API int kt_contact_query_new(kt_contact_query **out);
KT_API void kt_contact_query_free(kt_contact_query *query);

/* kt_contact_query_set_last_name: all or part of the last name (NULL or "":
 * every contact). */
KT_API int kt_contact_query_set_last_name(kt_contact_query *query, const char *last_name);

/* kt_contact_query_set_match: "substring" (the default) or "prefix". */
KT_API int kt_contact_query_set_match(kt_contact_query *query, const char *match);

/* kt_contact_query_set_active: 1 only active contacts, 0 only inactive ones,
 * KT_ANY both (the default). */
KT_API int kt_contact_query_set_active(kt_contact_query *query, int active);

/* kt_contact_query_set_category: only contacts of this category; NULL: any. */
KT_API int kt_contact_query_set_category(kt_contact_query *query, const char *category);

/* kt_contact_query_set_customer: only contact persons of this customer; 0:
 * any contact. */
KT_API int kt_contact_query_set_customer(kt_contact_query *query, uint64_t customer);

/* kt_contact_query_set_sort: "last_name" (the default; ties by first name),
 * "first_name", "email", "category" or "created_at"; ties by id. */
KT_API int kt_contact_query_set_sort(kt_contact_query *query, const char *column,
                                     int descending);

/* kt_contact_query_set_page: the matches at [offset, offset + limit). */
KT_API int kt_contact_query_set_page(kt_contact_query *query, size_t offset, size_t limit);

/* kt_contact_query_add_custom_filter / _clear_custom_filters /
 * _set_custom_sort: conditions on and sorting by the contacts' custom
 * fields, as for kt_customer_query. */
KT_API int kt_contact_query_add_custom_filter(kt_contact_query *query, const char *key,
                                              const char *match, const char *value_json);
KT_API int kt_contact_query_clear_custom_filters(kt_contact_query *query);
KT_API int kt_contact_query_set_custom_sort(kt_contact_query *query, const char *key,
                                            int descending);

/* kt_contact_search: the page of contacts `query` asks for (NULL: the
 * defaults), as a cursor of contact JSON objects. */
KT_API int kt_contact_search(kt_cursor **out, kt_register *reg, uint64_t actor,
                             const kt_contact_query *query);

/* ------------------------------------------------------------------------
 * Facilities and service objects
 *
 * A facility crosses as {"id", "customer", "name", "number", "address",
 * "comments", "active", "created_at", "revision", "custom"}; a service
 * object as {"id", "facility", "identifier", "type", "name", "comments",
 * "active", "created_at", "revision", "custom"} ("custom" as for
 * customers).
 * ------------------------------------------------------------------------ */

/* kt_facility_create: creates a facility of the customer named in its
 * "customer" member; its id goes to `*out`. KT_NOT_FOUND for an unknown
 * customer; KT_INVALID without a name. */
KT_API int kt_facility_create(uint64_t *out, kt_register *reg, uint64_t actor,
                              const char *facility_json);

/* kt_facility_update: changes facility `facility` by a JSON patch based on
 * `revision` (rules as kt_customer_update()); a new "customer" moves it to
 * another customer. */
KT_API int kt_facility_update(kt_register *reg, uint64_t actor, uint64_t facility,
                              uint64_t revision, const char *patch_json);

/* kt_facility_delete: deletes the facility. KT_CONFLICT while service
 * objects are at it; KT_NOT_FOUND when there is no such facility. */
KT_API int kt_facility_delete(kt_register *reg, uint64_t actor, uint64_t facility);

/* kt_facility_get: the facility as JSON in `*out` (free with
 * kt_string_free()). KT_NOT_FOUND when there is no such facility. */
KT_API int kt_facility_get(char **out, kt_register *reg, uint64_t actor, uint64_t facility);

/* kt_facility_service_objects: the service objects at a facility in id
 * order, as a cursor of service object JSON objects. KT_NOT_FOUND when there
 * is no such facility. */
KT_API int kt_facility_service_objects(kt_cursor **out, kt_register *reg, uint64_t actor,
                                       uint64_t facility);

/* kt_facility_query: a facility search: facilities whose name or number
 * holds a text, with filters, sorted and paged. Defaults: every facility,
 * sorted by name, offset 0, limit 50. Not locked: set it up from one
 * thread. */
typedef struct kt_facility_query kt_facility_query;

/* kt_facility_query_new / kt_facility_query_free: as for kt_customer_query. */
KT_API int kt_facility_query_new(kt_facility_query **out);
KT_API void kt_facility_query_free(kt_facility_query *query);

/* kt_facility_query_set_text: all or part of the facility's name or number,
 * or of one of its searchable custom fields of text types (NULL or "":
 * every facility). */
KT_API int kt_facility_query_set_text(kt_facility_query *query, const char *text);

/* kt_facility_query_set_customer: only the facilities of this customer; 0:
 * any customer. */
KT_API int kt_facility_query_set_customer(kt_facility_query *query, uint64_t customer);

/* kt_facility_query_set_active: 1 only active facilities, 0 only inactive
 * ones, KT_ANY both (the default). KT_INVALID (field "active") for another
 * value. */
KT_API int kt_facility_query_set_active(kt_facility_query *query, int active);

/* kt_facility_query_set_sort: "name" (the default), "number", "city",
 * "customer" (in the order of the customers' numbers) or "created_at", ties
 * by id; non-zero `descending` reverses the order. KT_INVALID (field
 * "sort") for another name. */
KT_API int kt_facility_query_set_sort(kt_facility_query *query, const char *column,
                                      int descending);

/* kt_facility_query_set_page: the matches at [offset, offset + limit). A
 * limit of 0 is refused by the search (KT_INVALID, field "limit"). */
KT_API int kt_facility_query_set_page(kt_facility_query *query, size_t offset, size_t limit);

/* kt_facility_query_add_custom_filter / _clear_custom_filters /
 * _set_custom_sort: conditions on and sorting by the facilities' custom
 * fields, as for kt_customer_query. */
KT_API int kt_facility_query_add_custom_filter(kt_facility_query *query, const char *key,
                                               const char *match, const char *value_json);
KT_API int kt_facility_query_clear_custom_filters(kt_facility_query *query);
KT_API int kt_facility_query_set_custom_sort(kt_facility_query *query, const char *key,
                                             int descending);

/* kt_facility_search: the page of facilities `query` asks for (NULL: the
 * defaults), among those the actor sees, as a cursor of facility JSON
 * objects; kt_cursor_total() gives the number of matches on all pages. */
KT_API int kt_facility_search(kt_cursor **out, kt_register *reg, uint64_t actor,
                              const kt_facility_query *query);

/* kt_service_object_create: creates a service object at the facility named
 * in its "facility" member; its id goes to `*out`. KT_NOT_FOUND for an
 * unknown facility; KT_INVALID without an identifier. */
KT_API int kt_service_object_create(uint64_t *out, kt_register *reg, uint64_t actor,
                                    const char *service_object_json);

/* kt_service_object_update: changes service object `service_object` by a
 * JSON patch based on `revision` (rules as kt_customer_update()). */
KT_API int kt_service_object_update(kt_register *reg, uint64_t actor, uint64_t service_object,
                                    uint64_t revision, const char *patch_json);

/* kt_service_object_delete: deletes the service object. KT_NOT_FOUND when
 * there is no such service object. */
KT_API int kt_service_object_delete(kt_register *reg, uint64_t actor, uint64_t service_object);

/* kt_service_object_get: the service object as JSON in `*out` (free with
 * kt_string_free()). KT_NOT_FOUND when there is no such service object. */
KT_API int kt_service_object_get(char **out, kt_register *reg, uint64_t actor,
                                 uint64_t service_object);

/* ------------------------------------------------------------------------
 * Users
 *
 * A user crosses as {"id", "login", "name", "email", "language",
 * "administrator", "active", "created_at", "revision", "kind", "customer",
 * "contact", "groups", "rights", "locked"}: `kind` "staff" or "customer";
 * a customer user is bound to `customer` (made from its contact person
 * `contact`), holds no rights and may be `locked`; staff hold `rights` (names
 * such as "customers.view", see kt_rights_all()) and those of their user
 * `groups` (ids). docs/rights.md says what each right allows. Every read is
 * filtered by the actor's rights: a record he may not see is KT_NOT_FOUND,
 * absent from lists, and has no history for him.
 * ------------------------------------------------------------------------ */

/* kt_user_create: creates a user (administrators only:
 * KT_PERMISSION_DENIED otherwise); his id goes to `*out`. KT_CONFLICT for a
 * login that is taken. */
KT_API int kt_user_create(uint64_t *out, kt_register *reg, uint64_t actor, const char *user_json);

/* kt_user_update: changes user `user` by a JSON patch based on `revision`
 * (administrators only; rules as kt_customer_update()). Deactivating or
 * demoting the last active administrator is KT_CONFLICT. */
KT_API int kt_user_update(kt_register *reg, uint64_t actor, uint64_t user, uint64_t revision,
                          const char *patch_json);

/* kt_user_get: the user as JSON in `*out` (free with kt_string_free()).
 * KT_NOT_FOUND when there is no such user. */
KT_API int kt_user_get(char **out, kt_register *reg, uint64_t actor, uint64_t user);

/* kt_user_list: every user in id order, as a cursor of user JSON objects
 * (a customer user sees only himself). */
KT_API int kt_user_list(kt_cursor **out, kt_register *reg, uint64_t actor);

/* kt_customer_user_create: a customer user (portal login `login`) for
 * contact person `contact` of `customer`, named and addressed as the
 * contact; his id goes to `*out`. Needs the right
 * customers.create_customer_users (KT_PERMISSION_DENIED) and sight of the
 * customer (KT_NOT_FOUND); KT_INVALID (field "contact") when the contact is
 * not a contact person of that customer; KT_CONFLICT for a taken login. */
KT_API int kt_customer_user_create(uint64_t *out, kt_register *reg, uint64_t actor, uint64_t customer,
                                   uint64_t contact, const char *login);

/* kt_customer_user_set_locked: locks (non-zero) or unlocks (0) a customer
 * user; needs customers.change_customer_user_rights. */
KT_API int kt_customer_user_set_locked(kt_register *reg, uint64_t actor, uint64_t user, int locked);

/* kt_customer_user_delete: removes a customer user (his history stays);
 * needs customers.delete_customer_users. Staff users are not deleted but
 * deactivated (kt_user_update with {"active":false}). */
KT_API int kt_customer_user_delete(kt_register *reg, uint64_t actor, uint64_t user);

/* kt_user_rights: the rights user `user` holds, his own and his groups', as
 * a JSON array of names in `*out` (free with kt_string_free()): every right
 * for an administrator, none for a customer user. */
KT_API int kt_user_rights(char **out, kt_register *reg, uint64_t actor, uint64_t user);

/* kt_assign_menu: the active staff users by user group, for choosing whom
 * to assign, as a JSON array in `*out` (free with kt_string_free()):
 * [{"group": id, "name": "...", "users": [<user>, ...]}, ...], groups by
 * name, users by name, and last {"group": null, "name": ""} with the users
 * in no group. Staff only (a customer user: KT_PERMISSION_DENIED). */
KT_API int kt_assign_menu(char **out, kt_register *reg, uint64_t actor);

/* kt_rights_all: the name of every right, as a JSON array in `*out` (free
 * with kt_string_free()). */
KT_API int kt_rights_all(char **out);

/* kt_user_group_create / _update / _delete: user groups, {"id", "name",
 * "rights", "created_at", "revision"} (administrators only). A group still
 * holding users cannot be deleted (KT_CONFLICT naming them); a group name
 * is unique, ignoring case (KT_CONFLICT). */
KT_API int kt_user_group_create(uint64_t *out, kt_register *reg, uint64_t actor, const char *group_json);
KT_API int kt_user_group_update(kt_register *reg, uint64_t actor, uint64_t group, uint64_t revision,
                                const char *patch_json);
KT_API int kt_user_group_delete(kt_register *reg, uint64_t actor, uint64_t group);

/* kt_user_group_get / kt_user_group_list: for staff (customer users see
 * none: KT_NOT_FOUND, an empty list). */
KT_API int kt_user_group_get(char **out, kt_register *reg, uint64_t actor, uint64_t group);
KT_API int kt_user_group_list(kt_cursor **out, kt_register *reg, uint64_t actor);

/* ------------------------------------------------------------------------
 * Notifications
 *
 * Commands that concern a user (being assigned a customer or an order, or no
 * longer; a booking made for him; a booking or reminder of his that is due) leave a
 * notification for him in the register's outbox, in the same transaction:
 * {"id", "recipient", "kind" ("assigned", "unassigned", "order_assigned",
 * "order_unassigned", "booking", "reminder"),
 * "subject": {"kind", "id"}, "text" (in his language, naming the subject
 * only if he may see it), "language", "channel" ("in_app", "email"),
 * "created_at"}. The host delivers them and then acknowledges them; until
 * then they stay, across crashes and restarts.
 * ------------------------------------------------------------------------ */

/* kt_notifications: the actor's own notifications in the outbox, oldest
 * first, at most `limit`, as a cursor of notification JSON objects. */
KT_API int kt_notifications(kt_cursor **out, kt_register *reg, uint64_t actor, size_t limit);

/* kt_outbox: every user's notifications in the outbox, oldest first, at most
 * `limit`, for the host that delivers them (administrators only). */
KT_API int kt_outbox(kt_cursor **out, kt_register *reg, uint64_t actor, size_t limit);

/* kt_notifications_acknowledge: removes the `count` notifications `ids`
 * from the outbox (a recipient his own, an administrator any; another
 * user's is KT_NOT_FOUND). Ids already acknowledged are skipped, so a
 * repeated acknowledgement after a crash is harmless. */
KT_API int kt_notifications_acknowledge(kt_register *reg, uint64_t actor, const uint64_t *ids, size_t count);

/* ------------------------------------------------------------------------
 * Settings
 *
 * The settings cross as {"locale", "number_min_length", "number_max_length",
 * "auto_number", "number_prefix", "number_padding", "next_number",
 * "discount_letters", "notification_channels", "order_statuses",
 * "contact_orders_by_number", "require_customer_order_number",
 * "task_statuses"}: "order_statuses" is a list of {"kind", "statuses"}, the
 * statuses an order of that kind may have (the first is a new order's);
 * "task_statuses" the statuses a CRM task may have (the first is a new
 * task's).
 * ------------------------------------------------------------------------ */

/* kt_settings_get: the register's settings as JSON in `*out` (free with
 * kt_string_free()). */
KT_API int kt_settings_get(char **out, kt_register *reg, uint64_t actor);

/* kt_settings_update: changes the settings by a JSON patch over the current
 * ones (administrators only). Settings carry no revision: members the patch
 * does not name keep the values read at the start of the call. KT_INVALID
 * for a value the rules refuse (an unknown locale, next_number moving back);
 * KT_CONFLICT for removing a discount letter a customer still carries, or
 * an order status an order still has. */
KT_API int kt_settings_update(kt_register *reg, uint64_t actor, const char *patch_json);

/* ------------------------------------------------------------------------
 * Orders
 *
 * docs/orders.md gives the rules. An order (kind "work_order",
 * "service_order", "error_report", "quotation", "contact_order" or
 * "sales_order") crosses as {"id", "kind", "number", "customer", "facility",
 * "service_object", "contact", "subject", "description", "status",
 * "planned", "assigned", "cost_center", "customer_order_number", "lines",
 * "notes", "time_entries", "bookings", "files", "origin", "sales_order",
 * "closed", "closed_at", "created_by", "created_at", "revision",
 * "last_item", "custom"} ("custom" as for customers):
 *  - a line: {"id", "article_number", "description", "quantity", "unit",
 *    "price", "time_article", "hours", "date"};
 *  - a note: {"at", "author", "text"}; a time entry: {"at", "user",
 *    "hours", "text"};
 *  - a booking: {"id", "kind" ("phone", "meeting", "digital"), "when",
 *    "user", "text", "done", "reminded"};
 *  - a file: {"id", "name", "size", "sha256", "media_type", "uploaded_by",
 *    "uploaded_at"} (the metadata only; the host keeps the content).
 * Each kind has its own running number (1, 2, ...), set by the register and
 * never reused. Orders and articles are records for the history queries
 * ("order", "article"). Who may do what: docs/rights.md (the orders.* and,
 * for contact orders, contact_orders.* rights).
 * ------------------------------------------------------------------------ */

/* kt_order_create: creates an order from a JSON object (its "kind" defaults
 * to "work_order"; "customer" is required); its id goes to `*out`. The
 * register sets the number (the kind's next), the status when empty (the
 * kind's first), "created_by", "created_at" and "revision", and puts the
 * customer's service or work order articles before the lines of a new
 * service or work order. Fields only the register or their own calls change
 * ("assigned" aside, see below; "notes", "time_entries", "files", "closed",
 * "origin", "sales_order" ...) are refused when set. "assigned" may name
 * users to assign at once (needs the assign right, or assign-self for the
 * actor alone); the customer's assigned technician is assigned as well.
 * Each assigned user gets an "order_assigned" notification. KT_NOT_FOUND
 * for an unknown customer; KT_INVALID (field "customer") for a deactivated
 * one, or naming the field for another value the rules refuse (a status
 * the settings do not list, a facility of another customer, a missing
 * customer's order number when the settings require it ...). */
KT_API int kt_order_create(uint64_t *out, kt_register *reg, uint64_t actor, const char *order_json);

/* kt_contact_order_create: creates a contact order (`order_json` as for
 * kt_order_create; its "kind" may be left out, and any other kind is
 * KT_INVALID, field "kind") whose customer and facility may be named by the
 * contact data at hand instead of by id. `new_customer_json` (NULL: none)
 * is a customer JSON object: the one customer the actor sees whose name
 * equals its name is used; with none, a customer is created from it (needs
 * customers.create); with several, KT_INVALID ("new_customer.name": give
 * the customer's id instead). `new_facility_json` (NULL: none) is a facility JSON
 * object likewise matched among that customer's facilities or created
 * (needs facilities.create). The order's id goes to `*out`. A malformed
 * text or refused member of these two is KT_INVALID naming "new_customer"
 * or "new_facility" (and the member: "new_customer.name"). */
KT_API int kt_contact_order_create(uint64_t *out, kt_register *reg, uint64_t actor,
                                   const char *order_json, const char *new_customer_json,
                                   const char *new_facility_json);

/* kt_order_update: changes open order `order` by a JSON patch based on
 * `revision` (rules as kt_customer_update(): KT_CONFLICT for a stale
 * revision). What it may change: "facility", "service_object", "contact",
 * "subject", "description", "status", "planned", "cost_center",
 * "customer_order_number", "lines" and "bookings"; the rest changes only
 * through the calls below (a patch that alters it is KT_INVALID). "lines"
 * and "bookings" are lists and so replaced whole: an element with id 0 is
 * new, one left out is removed; give every member of an element kept (the
 * order as read has them). A booking for another user notifies him
 * ("booking"). KT_CONFLICT for a closed order. */
KT_API int kt_order_update(kt_register *reg, uint64_t actor, uint64_t order, uint64_t revision,
                           const char *patch_json);

/* kt_order_assign: the users assigned to the order become exactly the
 * `count` users `users` (active staff; `users` may be NULL when `count` is
 * 0, which unassigns everyone). The newly assigned get an "order_assigned"
 * notification, those taken off an "order_unassigned" one. Needs the assign
 * right, or assign-self to add or remove only the actor himself
 * (KT_PERMISSION_DENIED). KT_INVALID (field "users") for a user who is no
 * active staff user; KT_CONFLICT for a closed order. */
KT_API int kt_order_assign(kt_register *reg, uint64_t actor, uint64_t order, const uint64_t *users,
                           size_t count);

/* kt_order_add_note: appends an entry (now, the actor, `text`) to the
 * order's notes log; entries are never changed or removed. Allowed on a
 * closed order too. */
KT_API int kt_order_add_note(kt_register *reg, uint64_t actor, uint64_t order, const char *text);

/* kt_order_add_time: records `hours` (more than 0; KT_INVALID, field
 * "hours", otherwise, NaN and infinities included) the actor spent on the
 * open order, with a `text` (NULL: ""). KT_CONFLICT for a closed order. */
KT_API int kt_order_add_time(kt_register *reg, uint64_t actor, uint64_t order, double hours,
                             const char *text);

/* kt_order_add_file: adds the metadata of a file the host has stored, a
 * file JSON object ({"name", "size", "sha256" (64 lowercase hex digits),
 * "media_type"}); the register sets "id", "uploaded_by" and "uploaded_at"
 * (the new file is the last of the order's "files"). A refused member is
 * KT_INVALID naming it under "file" ("file.sha256"). Needs the upload
 * right. KT_CONFLICT for a closed order. */
KT_API int kt_order_add_file(kt_register *reg, uint64_t actor, uint64_t order, const char *file_json);

/* kt_order_remove_file: removes file `file` (its "id") from the order.
 * Needs the delete-files right; KT_NOT_FOUND when the order has no such
 * file; KT_CONFLICT for a closed order. */
KT_API int kt_order_remove_file(kt_register *reg, uint64_t actor, uint64_t order, uint32_t file);

/* kt_order_close / kt_order_reopen: archives the order ("closed" and
 * "closed_at"; it stays listed, after the open ones, and keeps its notes)
 * or opens it again. Both need the edit right. While closed, the order is
 * not changed: updates, assignment, time and files are KT_CONFLICT. */
KT_API int kt_order_close(kt_register *reg, uint64_t actor, uint64_t order);
KT_API int kt_order_reopen(kt_register *reg, uint64_t actor, uint64_t order);

/* kt_order_delete: deletes the order; its number is not handed out again.
 * Needs the delete right. KT_CONFLICT for a contact order that became a
 * sales order, and for that sales order. */
KT_API int kt_order_delete(kt_register *reg, uint64_t actor, uint64_t order);

/* kt_order_convert_to_sales_order: contact order `order` led to a sale: a
 * sales order with the same customer, facility, service object, contact,
 * subject, description, cost center, customer's order number and lines is
 * created (its id goes to `*out`), the two are linked ("origin" on the
 * sales order, "sales_order" on the contact order) and the contact order is
 * closed. KT_INVALID (field "order") for another kind of order; KT_CONFLICT
 * for a contact order converted already. */
KT_API int kt_order_convert_to_sales_order(uint64_t *out, kt_register *reg, uint64_t actor,
                                           uint64_t order);

/* kt_order_get: the order as JSON in `*out` (free with kt_string_free()).
 * KT_NOT_FOUND when there is no such order (or the actor may not see it). */
KT_API int kt_order_get(char **out, kt_register *reg, uint64_t actor, uint64_t order);

/* kt_order_get_by_number: the order of kind `kind` ("work_order" ...;
 * KT_INVALID, field "kind", for another name) with this number, as JSON in
 * `*out`. KT_NOT_FOUND when there is none. */
KT_API int kt_order_get_by_number(char **out, kt_register *reg, uint64_t actor, const char *kind,
                                  uint64_t number);

/* kt_order_recipients: who a work order, or a service order's protocol, is
 * sent to, as a JSON object in `*out` (free with kt_string_free()):
 * {"to": [...], "without_email": [...]}, each element {"contact", "name",
 * "email"}: the customer's contact persons flagged "send_work_orders" (for
 * a work order) or "send_service_protocol" (for a service order); flagged
 * contacts without an e-mail address are in "without_email". KT_INVALID
 * (field "kind") for other kinds of order. */
KT_API int kt_order_recipients(char **out, kt_register *reg, uint64_t actor, uint64_t order);

/* kt_order_query: what an order list shows: filters, sort and page.
 * Defaults: every order the actor sees, in the default order, offset 0,
 * limit 10. Not locked: set it up from one thread. */
typedef struct kt_order_query kt_order_query;

/* kt_order_query_new / kt_order_query_free: as for kt_customer_query. */
KT_API int kt_order_query_new(kt_order_query **out);
KT_API void kt_order_query_free(kt_order_query *query);

/* kt_order_query_set_kind: only orders of this kind ("work_order" ...);
 * NULL: any kind. KT_INVALID (field "kind") for another name. */
KT_API int kt_order_query_set_kind(kt_order_query *query, const char *kind);

/* kt_order_query_set_customer: only the orders of this customer (the order
 * list of a customer card); 0: any customer. */
KT_API int kt_order_query_set_customer(kt_order_query *query, uint64_t customer);

/* kt_order_query_set_status: only orders with this status; NULL: any. */
KT_API int kt_order_query_set_status(kt_order_query *query, const char *status);

/* kt_order_query_set_assigned_to_me: non-zero: only orders the searching
 * actor is assigned to. */
KT_API int kt_order_query_set_assigned_to_me(kt_order_query *query, int assigned_to_me);

/* kt_order_query_set_assigned_to: only orders user `user` is assigned to;
 * 0: anybody's. */
KT_API int kt_order_query_set_assigned_to(kt_order_query *query, uint64_t user);

/* kt_order_query_set_planned_from / kt_order_query_set_planned_to: only
 * orders planned within [from, to), as ISO 8601 UTC (the forms of
 * kt_history_query_set_from()); either end set leaves out orders without a
 * planned date. NULL leaves that end open. KT_INVALID (field
 * "planned_from" or "planned_to") for another form. */
KT_API int kt_order_query_set_planned_from(kt_order_query *query, const char *from);
KT_API int kt_order_query_set_planned_to(kt_order_query *query, const char *to);

/* kt_order_query_set_closed: 1 only closed orders, 0 only open ones, KT_ANY
 * both (the default). KT_INVALID (field "closed") for another value. */
KT_API int kt_order_query_set_closed(kt_order_query *query, int closed);

/* kt_order_query_set_sort: the column to sort by ("number", "kind",
 * "customer" (its name), "subject", "status", "planned", "created_at",
 * "cost_center", "customer_order_number"), ties by id; non-zero
 * `descending` reverses the order. Whatever the column, closed orders come
 * after the open ones. NULL `column`: the default order (contact orders by
 * planned date, undated last, or by number when the setting
 * contact_orders_by_number is on; other lists newest first), which a
 * non-zero `descending` reverses. KT_INVALID (field "sort") for another
 * name. */
KT_API int kt_order_query_set_sort(kt_order_query *query, const char *column, int descending);

/* kt_order_query_set_page: the matches at [offset, offset + limit) (limit
 * 10 by default: the first ten of a customer card; "view all" asks again
 * with the cursor's total as the limit). A limit of 0 is refused by the
 * search (KT_INVALID, field "limit"). */
KT_API int kt_order_query_set_page(kt_order_query *query, size_t offset, size_t limit);

/* kt_order_query_add_custom_filter / _clear_custom_filters /
 * _set_custom_sort: conditions on and sorting by the orders' custom
 * fields, as for kt_customer_query. A custom sort replaces the column of
 * kt_order_query_set_sort(); closed orders still come after the open
 * ones. */
KT_API int kt_order_query_add_custom_filter(kt_order_query *query, const char *key,
                                            const char *match, const char *value_json);
KT_API int kt_order_query_clear_custom_filters(kt_order_query *query);
KT_API int kt_order_query_set_custom_sort(kt_order_query *query, const char *key,
                                          int descending);

/* kt_order_query_set_json: sets the query from a JSON object in the form
 * saved filters carry ({"kind", "customer", "status", "assigned_to_me",
 * "assigned_to", "planned_from", "planned_to", "closed", "sort",
 * "descending", "offset", "limit", "custom", "custom_sort"}; the "query"
 * of a kt_order_filters() item), over the current values: members not
 * named keep theirs. "custom" is the list of custom conditions, each
 * {"key", "match", "value"}, replaced whole; "custom_sort" a field's key
 * ("" for none). On KT_INVALID (naming the member) the query is
 * unchanged. */
KT_API int kt_order_query_set_json(kt_order_query *query, const char *query_json);

/* kt_order_search: the page of orders `query` asks for (NULL: the
 * defaults), among those the actor sees, as a cursor of order JSON
 * objects; kt_cursor_total() gives the number of matches on all pages. */
KT_API int kt_order_search(kt_cursor **out, kt_register *reg, uint64_t actor,
                           const kt_order_query *query);

/* kt_order_filter_save: saves `query` (NULL: the defaults; the query may be
 * freed afterwards) as the actor's own favourite filter `name`, replacing
 * one of that name (names compare ignoring case). KT_INVALID (field "name")
 * for an empty name, (field "query.limit") for a limit of 0; customer users
 * keep no favourites (KT_PERMISSION_DENIED). */
KT_API int kt_order_filter_save(kt_register *reg, uint64_t actor, const char *name,
                                const kt_order_query *query);

/* kt_order_filter_delete: removes the actor's favourite filter `name`.
 * KT_NOT_FOUND when he has none of that name. */
KT_API int kt_order_filter_delete(kt_register *reg, uint64_t actor, const char *name);

/* kt_order_filters: the actor's own favourite filters by name, as a cursor
 * of {"owner", "name", "query"} objects; nobody reads another's. Give a
 * "query" to kt_order_query_set_json() to search by it. */
KT_API int kt_order_filters(kt_cursor **out, kt_register *reg, uint64_t actor);

/* kt_todo: the actor's to-do list: his open contact orders (dated by their
 * planned date, booking 0) and his bookings not yet done (dated by their
 * time), by date, undated last, as a cursor of {"when", "order", "booking",
 * "text"} objects. */
KT_API int kt_todo(kt_cursor **out, kt_register *reg, uint64_t actor);

/* kt_due_reminders: the bookings and the reminders on customers due at
 * `now` (ISO 8601 UTC as for kt_history_query_set_from(); KT_INVALID, field
 * "now", for another form): their time has come and they are not done,
 * oldest first, as a cursor of {"order", "booking", "activity"} objects: a
 * booking's item has its order's id and the booking, and "activity" null;
 * a reminder's has "order" null, an empty booking, and the reminder's
 * activity. The actor's own; for an administrator, everyone's. */
KT_API int kt_due_reminders(kt_cursor **out, kt_register *reg, uint64_t actor, const char *now);

/* kt_reminders_raise: every booking and every reminder on a customer whose
 * time has come (by the register's clock), not done and not yet reminded,
 * gets a "reminder" notification to its user, once ("reminded" becomes
 * true; the subject of a reminder's is {"kind":"activity", "id"}). The host calls it now and then
 * as an administrator (KT_PERMISSION_DENIED for anybody else). */
KT_API int kt_reminders_raise(kt_register *reg, uint64_t actor);

/* ------------------------------------------------------------------------
 * Articles
 *
 * The group's article catalogue: an article crosses as {"id", "number",
 * "name", "unit", "price", "time_article", "created_at", "revision"}. A
 * line naming a catalogue article takes its name, unit and price where the
 * line leaves them empty, and always its time-article flag. Numbers are
 * unique, ignoring case. Administrators change the catalogue; staff read it.
 * ------------------------------------------------------------------------ */

/* kt_article_create: creates an article; its id goes to `*out`. KT_CONFLICT
 * for a number in use; KT_INVALID for a value the rules refuse. */
KT_API int kt_article_create(uint64_t *out, kt_register *reg, uint64_t actor, const char *article_json);

/* kt_article_update: changes article `article` by a JSON patch based on
 * `revision` (rules as kt_customer_update()). KT_NOT_FOUND when there is no
 * such article. */
KT_API int kt_article_update(kt_register *reg, uint64_t actor, uint64_t article, uint64_t revision,
                             const char *patch_json);

/* kt_article_delete: removes the article from the catalogue (lines that
 * named it keep their copy). KT_NOT_FOUND when there is no such article. */
KT_API int kt_article_delete(kt_register *reg, uint64_t actor, uint64_t article);

/* kt_article_list: the catalogue by number, as a cursor of article JSON
 * objects (empty for a customer user, who sees no catalogue). */
KT_API int kt_article_list(kt_cursor **out, kt_register *reg, uint64_t actor);

/* kt_article_get_by_number: the article with this number (trimmed,
 * ignoring case) as JSON in `*out` (free with kt_string_free()).
 * KT_NOT_FOUND when none has it (always, for a customer user). */
KT_API int kt_article_get_by_number(char **out, kt_register *reg, uint64_t actor, const char *number);

/* ------------------------------------------------------------------------
 * CRM
 *
 * The CRM around customers and contact persons (docs/crm.md gives the
 * rules). Notes, meetings, tasks, e-mails, journal entries, files and
 * reminders are all activities, one record kind ("activity" in history),
 * each on exactly one customer ("customer") or one contact ("contact"). An
 * activity crosses as {"id", "kind", "customer", "contact", "owner", "at",
 * "end", "subject", "text", "status", "participants", "sender",
 * "recipients", "file", "done", "reminded", "created_by", "created_at",
 * "revision"}; its "kind" ("note", "meeting", "task", "email", "journal",
 * "file", "reminder") says which fields it uses:
 *
 *   kind      on                 owner                at        also
 *   note      customer, contact  its author (kept)    written   text
 *   meeting   customer, contact  the meeting's owner  start     end, subject, text, participants
 *   task      customer, contact  the task's owner     due       subject, text, status
 *   email     contact            -                    sent      subject, text, sender, recipients
 *   journal   customer           its author (kept)    its day   text
 *   file      customer, contact  its uploader (kept)  uploaded  file (as an order's file)
 *   reminder  customer           the user reminded    due       subject, text, done, reminded (kept)
 *
 * A field a kind does not use stays empty (null, "", [] or false): set, it
 * is KT_INVALID naming it. "id", "created_by", "created_at", "revision"
 * and the fields marked "kept" are the register's; "kind", "customer" and
 * "contact" never change. Who sees an activity: whoever sees the record it
 * is on, except notes on private customers (their author, the customer's
 * assigned technician and administrators) and the e-mails of a contact
 * restricted to administrators; customer users see none. An activity the
 * actor may not see is KT_NOT_FOUND, absent from searches, and has no
 * history for him.
 * ------------------------------------------------------------------------ */

/* kt_activity_create: creates an activity from a JSON object ("kind"
 * defaults to "note"; "customer" or "contact", one of them, is required);
 * its id goes to `*out`. The register sets the author of a note or journal
 * entry and the uploader of a file (the actor), the time of a note or file
 * (now), a journal entry's day or an e-mail's time when left out (now), a
 * task's status when empty (the first of the settings' "task_statuses"),
 * and the owner of a meeting, task or reminder when left out (the actor).
 * Needs the right to edit the record it is on (customers.edit or
 * contacts.edit), a file the upload right instead (customers.upload or
 * contacts.upload): KT_PERMISSION_DENIED; an e-mail on a contact whose
 * e-mails are restricted, an administrator. KT_NOT_FOUND when the record
 * it is on does not exist (or the actor may not see it); KT_INVALID naming
 * the field for a value the rules refuse ("subject" required, "at"
 * required for a meeting, task or reminder, "end" before the start,
 * "status" not in the settings, "participants[1]" or "owner" no active
 * staff user, "sender" or "recipients[0]" no e-mail address,
 * "file.sha256" ...). */
KT_API int kt_activity_create(uint64_t *out, kt_register *reg, uint64_t actor, const char *activity_json);

/* kt_activity_update: changes activity `activity` by a JSON patch based on
 * `revision` (rules as kt_customer_update(): KT_CONFLICT for a stale
 * revision; lists such as "participants" and "recipients" are replaced
 * whole). A patch that alters what never changes or what the register
 * keeps is KT_INVALID naming it; a file is not changed at all, only
 * deleted ("file"). A note or journal entry is changed by its author or an
 * administrator only, the rest by whoever may edit the record it is on
 * (KT_PERMISSION_DENIED). A reminder moved to another time or user reminds
 * again. KT_NOT_FOUND when there is no such activity (or the actor may not
 * see it). */
KT_API int kt_activity_update(kt_register *reg, uint64_t actor, uint64_t activity, uint64_t revision,
                              const char *patch_json);

/* kt_activity_delete: deletes the activity (its history stays, for
 * administrators). Notes and journal entries: their author or an
 * administrator; files: the delete-files right (customers.delete_files or
 * contacts.delete_files); the rest: the right to edit the record it is on
 * (KT_PERMISSION_DENIED). KT_NOT_FOUND when there is no such activity (or
 * the actor may not see it). */
KT_API int kt_activity_delete(kt_register *reg, uint64_t actor, uint64_t activity);

/* kt_activity_get: the activity as JSON in `*out` (free with
 * kt_string_free()). KT_NOT_FOUND when there is no such activity (or the
 * actor may not see it). */
KT_API int kt_activity_get(char **out, kt_register *reg, uint64_t actor, uint64_t activity);

/* kt_activities_reassign: user `owner` (an active staff user; KT_INVALID,
 * field "owner", otherwise) becomes the owner of the `count` meetings and
 * tasks `activities` (NULL only when `count` is 0), all at once or, when
 * one of them cannot change, none: KT_INVALID naming it
 * ("activities[1]": no meeting or task), KT_NOT_FOUND, or
 * KT_PERMISSION_DENIED (the right to edit the record it is on). An id
 * given twice counts once. */
KT_API int kt_activities_reassign(kt_register *reg, uint64_t actor, const uint64_t *activities, size_t count,
                                  uint64_t owner);

/* kt_contact_restrict_emails: an administrator (KT_PERMISSION_DENIED for
 * anybody else) restricts the e-mails of contact `contact` to
 * administrators (non-zero `restricted`), or gives the access back (0).
 * While restricted, his e-mails are hidden from everybody else and only
 * administrators add new ones; the contact's "emails_restricted" shows it
 * and changes only through this call. Repeating it changes nothing.
 * KT_NOT_FOUND when there is no such contact. */
KT_API int kt_contact_restrict_emails(kt_register *reg, uint64_t actor, uint64_t contact, int restricted);

/* kt_customer_link_employee / kt_customer_unlink_employee: ties staff user
 * `user` to the customer directly, or unties him (the customer's
 * "employees", which change only through these calls). Needs the right to
 * edit the customer. KT_INVALID (field "user") for a user who is no active
 * staff user; KT_CONFLICT when he is linked already; KT_NOT_FOUND for an
 * unknown customer, and for unlinking a user who is not linked. */
KT_API int kt_customer_link_employee(kt_register *reg, uint64_t actor, uint64_t customer, uint64_t user);
KT_API int kt_customer_unlink_employee(kt_register *reg, uint64_t actor, uint64_t customer, uint64_t user);

/* kt_customer_employees: the staff users tied to the customer, by user id,
 * as a cursor of {"user", "name", "linked", "orders"} objects: "linked"
 * is true for those linked directly, "orders" counts the customer's orders
 * (that the actor sees) each was assigned to or recorded time on.
 * KT_NOT_FOUND when there is no such customer (or the actor may not see
 * it; always for a customer user). */
KT_API int kt_customer_employees(kt_cursor **out, kt_register *reg, uint64_t actor, uint64_t customer);

/* kt_activity_query: which activities a list shows; every filter set
 * narrows it. Defaults: every activity the actor sees, oldest first (by
 * "at", then id), offset 0, limit 50. Not locked: set it up from one
 * thread. */
typedef struct kt_activity_query kt_activity_query;

/* kt_activity_query_new / kt_activity_query_free: as for
 * kt_customer_query. */
KT_API int kt_activity_query_new(kt_activity_query **out);
KT_API void kt_activity_query_free(kt_activity_query *query);

/* kt_activity_query_add_kind: adds kind `kind` ("note", "meeting", "task",
 * "email", "journal", "file", "reminder"; KT_INVALID, field "kind", for
 * another name) to the kinds listed; while none is added every kind is.
 * kt_activity_query_clear_kinds: every kind again. */
KT_API int kt_activity_query_add_kind(kt_activity_query *query, const char *kind);
KT_API int kt_activity_query_clear_kinds(kt_activity_query *query);

/* kt_activity_query_set_customer / kt_activity_query_set_contact: only the
 * activities on this customer, or on this contact; 0: any. Setting both is
 * refused by the search (KT_INVALID, field "contact"). A contact's list
 * also holds the notes written on the customers he is a contact person of,
 * unless kt_activity_query_set_company_notes() turned that off (0; on,
 * non-zero, by default). */
KT_API int kt_activity_query_set_customer(kt_activity_query *query, uint64_t customer);
KT_API int kt_activity_query_set_contact(kt_activity_query *query, uint64_t contact);
KT_API int kt_activity_query_set_company_notes(kt_activity_query *query, int company_notes);

/* kt_activity_query_set_owner: only the activities user `owner` owns (the
 * owner of a meeting, task or reminder, the author of a note or journal
 * entry, the uploader of a file); 0: anybody's. */
KT_API int kt_activity_query_set_owner(kt_activity_query *query, uint64_t owner);

/* kt_activity_query_add_status: adds a task status to those listed: with
 * any added, only tasks with one of them are listed. The status is text
 * (KT_INVALID, field "status", when not valid UTF-8); a status no task has
 * matches nothing. kt_activity_query_clear_statuses: no status filter. */
KT_API int kt_activity_query_add_status(kt_activity_query *query, const char *status);
KT_API int kt_activity_query_clear_statuses(kt_activity_query *query);

/* kt_activity_query_set_since / kt_activity_query_set_until: only
 * activities whose "at" lies within [since, until), as ISO 8601 UTC (the
 * forms of kt_history_query_set_from()); NULL leaves that end open.
 * KT_INVALID (field "since" or "until") for another form. */
KT_API int kt_activity_query_set_since(kt_activity_query *query, const char *since);
KT_API int kt_activity_query_set_until(kt_activity_query *query, const char *until);

/* kt_activity_query_set_descending: non-zero: newest first. */
KT_API int kt_activity_query_set_descending(kt_activity_query *query, int descending);

/* kt_activity_query_set_page: the matches at [offset, offset + limit). A
 * limit of 0 is refused by the search (KT_INVALID, field "limit"). */
KT_API int kt_activity_query_set_page(kt_activity_query *query, size_t offset, size_t limit);

/* kt_activity_query_set_json: sets the query from a JSON object of the C++
 * ActivityQuery ({"kinds", "customer", "contact", "company_notes",
 * "owner", "statuses", "since", "until", "descending", "offset",
 * "limit"}), over the current values: members not named keep theirs. On
 * KT_INVALID (naming the member: "kinds[0]", "since") the query is
 * unchanged. */
KT_API int kt_activity_query_set_json(kt_activity_query *query, const char *query_json);

/* kt_activity_search: the page of activities `query` asks for (NULL: the
 * defaults), among those the actor sees, as a cursor of activity JSON
 * objects; kt_cursor_total() gives the number of matches on all pages.
 * Free `*out` with kt_cursor_free(). */
KT_API int kt_activity_search(kt_cursor **out, kt_register *reg, uint64_t actor,
                              const kt_activity_query *query);

/* ------------------------------------------------------------------------
 * Custom fields
 *
 * The group's own fields on customers, contacts, facilities, service
 * objects and orders (docs/custom-fields.md gives the rules). A field is
 * named by its kind of record ("customer", "contact", "facility",
 * "service_object", "order"; another name is KT_INVALID, field "kind") and
 * its key, and crosses as {"kind", "key", "labels", "type", "required",
 * "default_value", "choices", "display_order", "searchable", "retired",
 * "revision"}: "labels" a list of {"language", "text"} (at least one),
 * "type" one of "text", "integer", "decimal", "date", "boolean", "choice",
 * "multi_choice", "email", "phone", "url", "choices" the choices of the
 * two choice types, "default_value" the value a new record gets when it
 * has none (null: none), "searchable" whether a search's text looks in it
 * (fields of text types: the customer search with KT_SEARCH_CUSTOM, the
 * facility search's text). "retired" and "revision" are the register's.
 * The key (a lowercase letter, then lowercase letters, digits or '_', at
 * most 40) never changes, nor does the kind.
 *
 * A record's values are its "custom" member, {key: value}, in the form of
 * each type: text for text, date ("YYYY-MM-DD"), choice, email, phone and
 * url; a number for integer and decimal; true or false; a list of choices
 * for multi_choice. Every create and update checks them: a key the kind
 * does not define (or has retired), a value of the wrong type, no choice
 * of the field, or a required field without a value is KT_INVALID naming
 * "custom.<key>", and the register is unchanged. An update patches
 * "custom" key by key like any nested object: the keys a patch names
 * replace the values, null removes one, the others stay. History records
 * each value as its own field, "custom.<key>". CSV exports write a column
 * "custom.<key>" for each field in use (after the list's columns, in
 * display order; a multi_choice value's choices joined by '|'); an import
 * reads such a column by "custom.<key>", by the key or by a label, and
 * kt_export_options_add_column() and kt_import_options_map_column() take
 * "custom.<key>" as a column's name (kt_list_columns(), which needs no
 * register, does not list them).
 *
 * Administrators define and change fields (KT_PERMISSION_DENIED for
 * anybody else); staff read the definitions, customer users none.
 * ------------------------------------------------------------------------ */

/* kt_field_define: defines a new custom field from a JSON object of its
 * definition (members not given take their defaults: no labels, type
 * "text", not required, no default, no choices, display order 0, not
 * searchable; "retired" and "revision" may be absent and are refused when
 * set). KT_INVALID naming the member for what the rules refuse ("kind",
 * "key", "labels", "labels[0].language", "choices" for a choice field
 * without choices or another type with some, "choices[1]" for a choice
 * given twice, "default_value" for a default that is no valid value);
 * KT_CONFLICT when the kind has a field with that key, retired or not. */
KT_API int kt_field_define(kt_register *reg, uint64_t actor, const char *definition_json);

/* kt_field_update: changes field `key` of `kind` by a JSON patch of its
 * definition based on `revision` (rules as kt_customer_update():
 * KT_CONFLICT for a stale revision; lists such as "labels" and "choices"
 * are replaced whole). It changes "labels", "required", "default_value",
 * "choices" (adding any; removing one that a record holds is KT_CONFLICT),
 * "display_order" and "searchable". A patch that alters "kind" or "key"
 * (they name the field), "type" (kt_field_change_type()) or "retired"
 * (kt_field_retire(), kt_field_restore()) is KT_INVALID naming it.
 * KT_NOT_FOUND when the kind has no such field. */
KT_API int kt_field_update(kt_register *reg, uint64_t actor, const char *kind, const char *key,
                           uint64_t revision, const char *patch_json);

/* kt_field_retire / kt_field_restore: hides field `key` of `kind`, or shows
 * it again. A retired field is left out of kt_field_definitions() (unless
 * asked for), of an export's default columns and of searches (a filter or
 * sort naming it is refused), and refuses new and changed values, in
 * imports too; records keep theirs, also through updates that leave the
 * key out, and show them again once it is restored. Repeating one
 * changes nothing. KT_NOT_FOUND when the kind has no such field. */
KT_API int kt_field_retire(kt_register *reg, uint64_t actor, const char *kind, const char *key);
KT_API int kt_field_restore(kt_register *reg, uint64_t actor, const char *kind, const char *key);

/* kt_field_change_type: gives field `key` of `kind` the type `type` (a
 * name as in the definition; KT_INVALID, field "type", for another) and
 * the choices `choices_json` (a JSON array of texts for "choice" and
 * "multi_choice"; NULL: none), converting every value records hold to it,
 * based on the definition's `revision` (KT_CONFLICT when stale). Text
 * becomes a number, a date or a choice where it is one, numbers and the
 * rest become text, a choice becomes a multi_choice of one and back; a
 * default that does not convert is dropped. When some stored value does
 * not convert nothing changes: KT_CONFLICT, whose message says how many do
 * not and names the first ("customer 4's \"stor\""), and
 * kt_field_type_conversions() lists them all. Each converted value is in
 * its record's history. KT_INVALID (field "choices") for choices the type
 * does not take, or malformed JSON; KT_NOT_FOUND when the kind has no such
 * field. */
KT_API int kt_field_change_type(kt_register *reg, uint64_t actor, const char *kind, const char *key,
                                uint64_t revision, const char *type, const char *choices_json);

/* kt_field_type_conversions: what kt_field_change_type() with `type` and
 * `choices_json` would refuse: every stored value of field `key` of `kind`
 * that would not convert, by record id, as a cursor of {"kind", "record",
 * "value", "reason"} objects ("record" the record's id, "value" the value
 * as stored); empty when every stored value would convert. Whether the
 * type takes the choices given is the change's to check (KT_INVALID, field
 * "choices"). Administrators only (KT_PERMISSION_DENIED). KT_NOT_FOUND
 * when the kind has no such field. */
KT_API int kt_field_type_conversions(kt_cursor **out, kt_register *reg, uint64_t actor, const char *kind,
                                     const char *key, const char *type, const char *choices_json);

/* kt_field_definitions: the custom fields of `kind` (NULL: of every kind),
 * by kind, display order and key, as a cursor of definition JSON objects;
 * retired fields only when `include_retired` is non-zero. Staff read them;
 * a customer user gets none. */
KT_API int kt_field_definitions(kt_cursor **out, kt_register *reg, uint64_t actor, const char *kind,
                                int include_retired);

/* ------------------------------------------------------------------------
 * Duplicates and merging
 *
 * Customers and contact persons that look like one company or person
 * entered twice ("Lindqvist Bygg AB" and "Lindkvist Bygg"), and the
 * merges that join two into one; docs/duplicates.md gives the rules and
 * the weights (names are compared ignoring case, accents, company forms
 * and small typos). A pair crosses as {"kind", "first", "second", "score",
 * "reasons"}: "kind" is "customer" or "contact"; "first" < "second" are
 * the ids of its two records, except for the candidates of a record not
 * yet saved, whose "first" is 0 (that record) and "second" the record it
 * resembles; "score" (0 to 100) is the sum of the weights of "reasons",
 * what the two share, in the order they are weighed ("same name",
 * "similar name", "organisation number", "email", "phone", "address",
 * "customer", "different organisation numbers").
 *
 * Finding duplicates only warns: it changes nothing and never keeps a
 * record from being created or imported. It compares only the records the
 * actor sees (a pair is listed to someone who sees both), deactivated ones
 * too, and needs no right beyond seeing them. Merging is a command and
 * needs the rights to edit and to delete the records, on both.
 * ------------------------------------------------------------------------ */

/* KT_DUPLICATES_MIN_SCORE, KT_DUPLICATES_LIMIT: the minimum score and the
 * number of pairs the C++ API asks for when not told otherwise. At 50 a
 * pair of companies needs the same or a nearly equal name, the same
 * organisation number, or an e-mail with a phone or an address; two private
 * customers or two contacts of one name need more than the name. Pass them
 * to ask for the defaults: 0 is no default here, it is refused. */
#define KT_DUPLICATES_MIN_SCORE 50
#define KT_DUPLICATES_LIMIT 1000

/* kt_duplicates_find: the pairs of customers (`kind` "customer") or of
 * contacts ("contact") scoring at least `min_score` (1 to 100), the best
 * first, then by ids, at most `limit` of them (SIZE_MAX: every pair), as a
 * cursor of pair JSON objects. KT_INVALID naming "kind" for another name,
 * "min_score" for a score outside 1 to 100, "limit" for 0. Each call
 * compares the register afresh, without an index (seconds for hundreds of
 * thousands of customers: benchmarks/RESULTS.md), under the register's read
 * lock: reads on other threads go on meanwhile, commands wait. */
KT_API int kt_duplicates_find(kt_cursor **out, kt_register *reg, uint64_t actor, const char *kind,
                              int min_score, size_t limit);

/* kt_customer_similar / kt_contact_similar: the customers (contacts) the
 * actor sees that a candidate resembles with at least `min_score` (1 to
 * 100; KT_INVALID, field "min_score", otherwise), as a cursor of pairs
 * whose "first" is 0 and "second" the record resembled, the best first:
 * "is this customer already here?", asked before kt_customer_create() or
 * an import. The candidate is a customer (contact) JSON object, read as
 * kt_customer_create() (kt_contact_create()) reads one: members not given
 * take their defaults, fields the register keeps may be absent, and a
 * malformed text, an unknown member or a wrong type is KT_INVALID naming it
 * ("json", "invoice_address.town"). It is not checked further, and nothing
 * is saved. A candidate with an "id" (a record being edited, as read) is
 * not compared with itself. A candidate contact has no customers yet, so
 * "customer" is never among his reasons. The first call folds every name
 * into an index the register keeps; later calls fold only the records
 * changed since, so a form can ask as it is typed in. */
KT_API int kt_customer_similar(kt_cursor **out, kt_register *reg, uint64_t actor,
                               const char *customer_json, int min_score);
KT_API int kt_contact_similar(kt_cursor **out, kt_register *reg, uint64_t actor,
                              const char *contact_json, int min_score);

/* kt_customers_merge: joins customer `remove` into customer `keep` in one
 * command, all or nothing. Every record naming `remove` is made to name
 * `keep`: its contact links (a contact of both keeps his link to `keep`,
 * with its role and flags), its facilities (and with them their service
 * objects), its orders of every kind, open and closed, its activities, its
 * customer users and the saved order filters naming it. `keep` takes the
 * custom values it lacks, the employees of both and, when it has none,
 * the assigned technician. `take_json` is a JSON array of the other fields
 * whose value comes from `remove`, even an empty one (top-level names such
 * as "email", "phone", "invoice_address", or "custom.<key>"; NULL: none);
 * every field not named keeps `keep`'s value. `remove` is then deleted;
 * its number is never handed out again, and kt_customer_get_by_number()
 * with it (or with a number merged into `remove` before) finds `keep` from
 * then on. The history of both records, with source "merge", holds every
 * reference that moved; each moved record has an entry of its own.
 *
 * Needs the rights to edit customers (customers.edit, or
 * customers.edit_assigned for customers assigned to the actor) and to
 * delete them (customers.delete), on both: KT_PERMISSION_DENIED otherwise.
 * KT_NOT_FOUND when either does not exist or the actor may not see it.
 * KT_INVALID naming "take" when `take_json` is malformed or no array of
 * texts ("take[1]" for an element that is no text), "take[i]" for a name
 * the merge does not take (no field of a customer, "custom" as a whole, a
 * field the register keeps such as "number" or "employees"), "remove" for
 * `keep` itself or a customer of the other kind (company and private),
 * "keep" for a deactivated `keep` (reactivate it first), or the field the
 * merged customer breaks a rule with ("custom.<key>" of a required field
 * neither holds). A refused merge leaves the register as it was. */
KT_API int kt_customers_merge(kt_register *reg, uint64_t actor, uint64_t keep, uint64_t remove,
                              const char *take_json);

/* kt_contacts_merge: joins contact `remove` into contact `keep` likewise:
 * his links to customers (where both are contact persons of a customer,
 * `keep`'s link stays), the orders naming him, his activities and the
 * customer users made from him move to `keep`, which takes the custom
 * values it lacks and the fields `take_json` names ("mobile", "title",
 * "custom.<key>" ...; NULL: none). `keep`'s e-mails are restricted when
 * either's were. `remove` is deleted. Needs the rights to edit contacts
 * (contacts.edit, or contacts.edit_assigned) and to delete them
 * (contacts.delete), on both: KT_PERMISSION_DENIED otherwise. KT_NOT_FOUND
 * and KT_INVALID ("take", "take[i]", "remove", "custom.<key>") as for
 * kt_customers_merge(); "emails_restricted" is kept by the register and
 * never taken. */
KT_API int kt_contacts_merge(kt_register *reg, uint64_t actor, uint64_t keep, uint64_t remove,
                             const char *take_json);

/* ------------------------------------------------------------------------
 * History
 *
 * An entry crosses as {"sequence", "change", "at", "actor", "source",
 * "record": {"kind", "id"}, "action", "field", "old_value", "new_value"};
 * "at" is an ISO 8601 UTC timestamp ("2026-11-23T09:30:00.000000Z").
 * ------------------------------------------------------------------------ */

/* kt_history_query: which history entries to list: those of one record or
 * of every record (the default), within [from, to) (open by default). Not
 * locked: set it up from one thread. */
typedef struct kt_history_query kt_history_query;

/* kt_history_query_new / kt_history_query_free: as for kt_customer_query. */
KT_API int kt_history_query_new(kt_history_query **out);
KT_API void kt_history_query_free(kt_history_query *query);

/* kt_history_query_set_record: only the entries of one record: `kind` is
 * "customer", "contact", "facility", "service_object", "user",
 * "user_group", "order", "article", "activity" or "settings" (whose one
 * record has id 1). NULL `kind`: every record again.
 * KT_INVALID (field "kind") for another name. */
KT_API int kt_history_query_set_record(kt_history_query *query, const char *kind, uint64_t id);

/* kt_history_query_set_from / kt_history_query_set_to: the start
 * (inclusive) and end (exclusive) of the time range, as ISO 8601 UTC
 * ("2026-11-23T09:30:00Z", optionally with fractional seconds, or a date
 * "2026-11-23" for its midnight); NULL leaves that end open. KT_INVALID
 * (field "from" or "to") for another form. */
KT_API int kt_history_query_set_from(kt_history_query *query, const char *from);
KT_API int kt_history_query_set_to(kt_history_query *query, const char *to);

/* kt_history: the entries `query` asks for (NULL: all of them), oldest
 * first, as a cursor of history entry JSON objects. */
KT_API int kt_history(kt_cursor **out, kt_register *reg, uint64_t actor,
                      const kt_history_query *query);

/* ------------------------------------------------------------------------
 * Import and export of lists
 *
 * Customers, contact persons and facilities are imported from the bytes of
 * a CSV file (kt_import_csv); customers, contacts, facilities and orders are
 * exported as a file (kt_customer_export ...). A list's columns are those
 * kt_list_columns() gives: an export writes their names as the header, an
 * import recognises a column by its name or by one of its Nordic and
 * English headers ("Kundnummer", "Namn", "E-post", "Postnummer", "Ort" ...;
 * ignoring case, spaces, dots, hyphens and underscores). docs/c-api.md,
 * "Import and export", gives an example.
 * ------------------------------------------------------------------------ */

/* kt_progress_fn: how far an import or export has come. `phase` is
 * "reading" (`done` and `total` in bytes of the file's text as UTF-8, after
 * every 64 KB), "rows" (rows of the file applied, of `total`; every 1000
 * rows) or "records" (records written by an export, of `total`); the string
 * is valid during the call only. A phase that runs to its end ends with a
 * call where `done` equals `total`. It runs on the thread that called the
 * import or export; in the phases "rows" and "records" the register is
 * locked, so it must not call into the same register (such a call returns
 * KT_CONFLICT rather than waiting forever). It must return rather than
 * unwind (no C++ exception, no longjmp out of it). Return non-zero to go
 * on, 0 to cancel. `payload` is the pointer given with the callback. */
typedef int (*kt_progress_fn)(const char *phase, uint64_t done, uint64_t total, void *payload);

/* kt_import_options: what kt_import_csv() imports and how. Defaults:
 * customers; applied all or nothing (one bad row and nothing is imported);
 * every row creates a record; headers recognised by name; the delimiter
 * detected; no progress callback. Not locked: set it up from one thread. */
typedef struct kt_import_options kt_import_options;

/* kt_import_options_new / kt_import_options_free: options with the
 * defaults, and freeing them (NULL is a no-op; a freed or foreign pointer
 * is detected where possible: KT_MISUSE in the last error). */
KT_API int kt_import_options_new(kt_import_options **out);
KT_API void kt_import_options_free(kt_import_options *options);

/* kt_import_options_set_kind: the list the file holds: "customers" (the
 * default), "contacts" (each linked to the customers whose numbers its
 * "customer_number" column names, separated by '|') or "facilities" (each
 * of the customer its "customer_number" names). KT_INVALID (field "kind")
 * for another name, "orders" included: orders are exported, not imported. */
KT_API int kt_import_options_set_kind(kt_import_options *options, const char *kind);

/* kt_import_options_set_dry_run: non-zero: every row is checked and
 * reported as if imported, and nothing is applied ("dry_run" true,
 * "applied" false in the report). */
KT_API int kt_import_options_set_dry_run(kt_import_options *options, int dry_run);

/* kt_import_options_set_skip_bad_rows: non-zero: the good rows are imported
 * and the bad ones reported and left out ("skipped"); 0 (the default): one
 * bad row and nothing is imported (the report still lists every problem). */
KT_API int kt_import_options_set_skip_bad_rows(kt_import_options *options, int skip_bad_rows);

/* kt_import_options_set_upsert: non-zero: a row whose record exists
 * (customers: by customer number; facilities: by the customer and the
 * facility number) updates the columns the file has and keeps the rest,
 * other rows create records; 0 (the default): every row creates a record,
 * and a customer number already in the register is a bad row. Contacts
 * have no number to match by: kt_import_csv() refuses an upsert of
 * contacts (KT_INVALID, field "upsert"). */
KT_API int kt_import_options_set_upsert(kt_import_options *options, int upsert);

/* kt_import_options_map_column: reads the file's header `header` as column
 * `column` (a name of kt_list_columns(), such as "invoice_address.city",
 * or "custom.<key>" for a custom field of the list's records), or, for "",
 * does not read it. Mapping a header again replaces its
 * mapping; headers not mapped are recognised by name. Both texts are
 * checked as UTF-8 (KT_INVALID, field "header" or "column"); a column the
 * list cannot import, and a header the file lacks, are refused by
 * kt_import_csv() (KT_INVALID, field "mapping"). */
KT_API int kt_import_options_map_column(kt_import_options *options, const char *header,
                                        const char *column);

/* kt_import_options_set_delimiter: the file's delimiter: ',', ';' or '\t';
 * 0 (the default) detects it. KT_INVALID (field "delimiter") for another
 * character. */
KT_API int kt_import_options_set_delimiter(kt_import_options *options, char delimiter);

/* kt_import_options_set_progress: the callback told of the import's
 * progress (kt_progress_fn; phases "reading" and "rows"); returning 0 from
 * it cancels the import, which then applies nothing and reports
 * "cancelled". NULL `progress`: none (the default). `payload` is passed to
 * every call and must stay valid during kt_import_csv(). */
KT_API int kt_import_options_set_progress(kt_import_options *options, kt_progress_fn progress,
                                          void *payload);

/* kt_import_csv: imports the records of a CSV file: `size` bytes at `data`
 * (NULL only when `size` is 0: an empty file, which is refused), as the
 * file holds them. They are not checked as UTF-8: the library detects the
 * encoding (UTF-8 with or without a byte order mark, else Windows-1252;
 * UTF-16 is refused) and the delimiter, as docs/csv.md says. `options`
 * NULL: the defaults. An applied import is one command: every record it
 * creates or changes is in history as made by `actor` (source "import").
 *
 * It needs the list's upload right ("customers.upload", "contacts.upload",
 * "facilities.upload"; KT_PERMISSION_DENIED before the file is read); a
 * row whose commands need a right the actor lacks (create; edit for an
 * upsert) is a bad row. A file refused as a whole (an encoding or CSV
 * error, no header, two headers read as one column, no header naming a
 * column, a mapping naming an unknown column or a header the file lacks)
 * is KT_INVALID with the reason. Rows refused are reported, not errors:
 * the call returns KT_OK with the report.
 *
 * The report, a JSON object in `*out` (free with kt_string_free()):
 *   "kind"       the list imported ("customers" ...);
 *   "encoding"   what the file was ("UTF-8", "UTF-8 with BOM",
 *                "windows-1252");
 *   "delimiter"  the delimiter used (";");
 *   "columns"    every header of the file, in order, with the column it was
 *                read as: [{"header", "column"}] ("" for a header not read);
 *   "rows"       the data rows (not the header);
 *   "created", "updated"  the records the good rows create and update
 *                (when "applied" is false: would have);
 *   "skipped"    the bad rows (left out, or keeping an import that is all
 *                or nothing from being applied);
 *   "problems"   why rows cannot be imported: [{"row", "column", "value",
 *                "reason"}], "row" counted as a spreadsheet counts it (the
 *                header is row 1), "column" the file's header ("" when the
 *                row as a whole is at fault), "value" the cell's text;
 *   "dry_run"    as asked;
 *   "applied"    true when the register changed;
 *   "cancelled"  true when the progress callback cancelled the import
 *                (nothing was applied);
 *   "change"     the import's change number in history (0 when nothing was
 *                applied). */
KT_API int kt_import_csv(char **out, kt_register *reg, uint64_t actor, const void *data, size_t size,
                         const kt_import_options *options);

/* kt_export_options: how a list is exported. Defaults: the list's default
 * columns, format "excel", no progress callback. Not locked: set it up from
 * one thread. */
typedef struct kt_export_options kt_export_options;

/* kt_export_options_new / kt_export_options_free: as for
 * kt_import_options. */
KT_API int kt_export_options_new(kt_export_options **out);
KT_API void kt_export_options_free(kt_export_options *options);

/* kt_export_options_set_format: "excel" (the default: CSV as a Nordic
 * Excel opens it: UTF-8 with a byte order mark, ';', CR LF, decimal
 * commas), "csv" (RFC 4180: UTF-8, ',', CR LF, decimal points) or "json"
 * (an array of objects, one per record, with the columns as members and
 * typed values). The header row of the CSV formats names the columns, so
 * an export imports back as it is. KT_INVALID (field "format") for another
 * name. */
KT_API int kt_export_options_set_format(kt_export_options *options, const char *format);

/* kt_export_options_add_column: adds column `column` (a name of
 * kt_list_columns(), or "custom.<key>" for a custom field of the list's
 * records) to those written, in the order added; while none is added the
 * list's default columns are written, and after them a column
 * "custom.<key>" for each custom field that is not retired. A name the
 * list does not have is refused by the export (KT_INVALID). */
KT_API int kt_export_options_add_column(kt_export_options *options, const char *column);

/* kt_export_options_clear_columns: back to the list's default columns. */
KT_API int kt_export_options_clear_columns(kt_export_options *options);

/* kt_export_options_set_progress: the callback told of the export's
 * progress (kt_progress_fn; phase "records"); returning 0 from it cancels
 * the export, which then returns KT_CONFLICT. NULL `progress`: none (the
 * default). `payload` must stay valid during the export. */
KT_API int kt_export_options_set_progress(kt_export_options *options, kt_progress_fn progress,
                                          void *payload);

/* kt_customer_export / kt_contact_export / kt_facility_export /
 * kt_order_export: the list `query` gives (its filters and sort, and its
 * page: set a limit of SIZE_MAX for every match), among the records the
 * actor sees, as a file in the format `options` names (NULL: the
 * defaults). NULL `query`: every record the actor sees, in the list's
 * default order. `*out` receives the file's `*out_size` bytes, followed by
 * a NUL that `*out_size` does not count (so a CSV or JSON export may be
 * read as a string); free it with kt_buffer_free(). KT_INVALID for a column
 * the list does not have, and (field "limit") for a page limit of 0;
 * KT_CONFLICT when the progress callback cancelled the export. */
KT_API int kt_customer_export(unsigned char **out, size_t *out_size, kt_register *reg, uint64_t actor,
                              const kt_customer_query *query, const kt_export_options *options);
KT_API int kt_contact_export(unsigned char **out, size_t *out_size, kt_register *reg, uint64_t actor,
                             const kt_contact_query *query, const kt_export_options *options);
KT_API int kt_facility_export(unsigned char **out, size_t *out_size, kt_register *reg, uint64_t actor,
                              const kt_facility_query *query, const kt_export_options *options);
KT_API int kt_order_export(unsigned char **out, size_t *out_size, kt_register *reg, uint64_t actor,
                           const kt_order_query *query, const kt_export_options *options);

/* kt_list_columns: the import and export columns of list `list`
 * ("customers", "contacts", "facilities" or "orders"; KT_INVALID, field
 * "list", for another name), in export order, as a JSON array in `*out`
 * (free with kt_string_free()) of {"name", "headers", "importable",
 * "exported", "description"}: `name` is what an export writes as the header
 * and what kt_import_options_map_column() and
 * kt_export_options_add_column() take, `headers` the other headers an
 * import recognises, `importable` false for export-only columns ("id",
 * "created_at" ...), `exported` whether it is among the default export
 * columns. Needs no register. */
KT_API int kt_list_columns(char **out, const char *list);

/* ------------------------------------------------------------------------
 * vCards and QR codes
 *
 * A customer's or a contact person's contact data as a vCard, version
 * "3.0" (RFC 2426) or "4.0" (RFC 6350), to put in a QR code that a phone's
 * camera reads; docs/vcard.md says what goes into each property. The QR
 * code of any bytes is drawn as an SVG document or a PNG image.
 * ------------------------------------------------------------------------ */

/* kt_customer_vcard: the customer's main contact data (name, phone,
 * e-mail, website, addresses, position) as a vCard of `version`: "3.0" or
 * "4.0" (NULL: "4.0"; KT_INVALID, field "version", for another name). It
 * is UTF-8 text with CR LF line ends, lines folded at 75 octets. `*out`
 * receives its `*out_size` bytes followed by a NUL that `*out_size` does
 * not count (so it may be read as a string); free it with
 * kt_buffer_free(). KT_NOT_FOUND when there is no such customer (or the
 * actor may not see it). */
KT_API int kt_customer_vcard(unsigned char **out, size_t *out_size, kt_register *reg, uint64_t actor,
                             uint64_t customer, const char *version);

/* kt_contact_vcard: the same for a contact person (name, title, phone,
 * mobile, e-mail); his ORG is the first company, in customer id order, that
 * he is the contact person of and the actor sees. KT_NOT_FOUND when there
 * is no such contact (or the actor may not see him). */
KT_API int kt_contact_vcard(unsigned char **out, size_t *out_size, kt_register *reg, uint64_t actor,
                            uint64_t contact, const char *version);

/* kt_qr_svg / kt_qr_png: the `size` bytes at `text` (NULL only when `size`
 * is 0; not checked as UTF-8: a QR code holds any bytes, and a vCard's are
 * UTF-8) as a QR code in 8-bit mode, of the smallest version that holds
 * them: kt_qr_svg as an SVG document (the dark modules as one path on a
 * white square, the viewBox in modules), kt_qr_png as a PNG image (1-bit
 * grayscale). `module_size` (1 to 32) is the side of a module in pixels,
 * `margin` (0 to 16) the quiet zone around the code in modules (readers
 * expect 4), `level` the error correction: "low", "medium" (NULL),
 * "quartile" or "high". `*out` receives the file's `*out_size` bytes and a
 * NUL that the size does not count; free it with kt_buffer_free().
 * KT_INVALID with field "text" for no bytes or more than the level holds
 * (2331 bytes at "medium"), "module_size", "margin" or "level" for a value
 * out of range. Needs no register; thread-safe. */
KT_API int kt_qr_svg(unsigned char **out, size_t *out_size, const void *text, size_t size, int module_size,
                     int margin, const char *level);
KT_API int kt_qr_png(unsigned char **out, size_t *out_size, const void *text, size_t size, int module_size,
                     int margin, const char *level);

#ifdef __cplusplus
}
#endif

#endif /* KARTOTEK_H */
