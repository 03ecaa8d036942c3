/*
 * kartotek.h: the C API of kartotek, the register core of service and CRM
 * software (customers, contact persons, facilities, service objects, users,
 * settings and field-level history).
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
 *  - Values that have a name in the JSON schema (customer kinds, sort
 *    columns, match modes, record kinds) cross as that name.
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
 * (kt_register_state). NULL is a harmless no-op. */
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
 * "history_entries":n}. Free `*out` with kt_string_free(). Takes no actor
 * (as in the C++ API). */
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
 * "service_articles", "work_order_articles", "created_at", "revision"}.
 * ------------------------------------------------------------------------ */

/* kt_customer_create: creates a customer from a JSON object; its id goes to
 * `*out`. Members not given take their defaults; fields the register keeps
 * ("id", "active", "assigned_technician", "created_at", "revision") may be
 * absent and are refused when set otherwise. An empty number gets the next
 * generated one when the auto_number setting is on. KT_INVALID (with the
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
 * register keeps ("active", "assigned_technician", "created_at") change only
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
 * again. KT_CONFLICT while contact persons or facilities are linked to it;
 * KT_NOT_FOUND when there is no such customer. */
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
  KT_SEARCH_EVERYWHERE = 7
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
 * "revision"}; a contact link as {"contact", "customer", "role",
 * "send_service_protocol", "send_work_orders"}.
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

/* kt_contact_search: the page of contacts `query` asks for (NULL: the
 * defaults), as a cursor of contact JSON objects. */
KT_API int kt_contact_search(kt_cursor **out, kt_register *reg, uint64_t actor,
                             const kt_contact_query *query);

/* ------------------------------------------------------------------------
 * Facilities and service objects
 *
 * A facility crosses as {"id", "customer", "name", "number", "address",
 * "comments", "active", "created_at", "revision"}; a service object as
 * {"id", "facility", "identifier", "type", "name", "comments", "active",
 * "created_at", "revision"}.
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
 * Commands that concern a user (being assigned a customer, or no longer)
 * leave a notification for him in the register's outbox, in the same
 * transaction: {"id", "recipient", "kind" ("assigned", "unassigned"),
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
 * "discount_letters"}.
 * ------------------------------------------------------------------------ */

/* kt_settings_get: the register's settings as JSON in `*out` (free with
 * kt_string_free()). */
KT_API int kt_settings_get(char **out, kt_register *reg, uint64_t actor);

/* kt_settings_update: changes the settings by a JSON patch over the current
 * ones (administrators only). Settings carry no revision: members the patch
 * does not name keep the values read at the start of the call. KT_INVALID
 * for a value the rules refuse (an unknown locale, next_number moving back);
 * KT_CONFLICT for removing a discount letter a customer still carries. */
KT_API int kt_settings_update(kt_register *reg, uint64_t actor, const char *patch_json);

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
 * "customer", "contact", "facility", "service_object", "user" or
 * "settings" (whose one record has id 1). NULL `kind`: every record again.
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

#ifdef __cplusplus
}
#endif

#endif /* KARTOTEK_H */
