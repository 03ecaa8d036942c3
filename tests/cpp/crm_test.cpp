// The CRM: every rule of docs/crm.md, each with a test that fails when the
// rule breaks — notes (and who sees notes of private customers), meetings,
// tasks, e-mails and their restriction, the customer journal, files,
// reminders, linked employees and the history of all of them. A refused
// command must leave the register byte for byte as it was.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <set>

#include <unistd.h>

#include "test_support.hpp"

using namespace kartotek;
using namespace std::chrono_literals;
using kartotek::test::at;
using kartotek::test::staff_user;

namespace {

const std::vector<Right> kSee{Right::customers_view, Right::contacts_view};
const std::vector<Right> kSeeAndEdit{Right::customers_view, Right::contacts_view, Right::customers_edit,
                                     Right::contacts_edit};

struct Crm : kartotek::test::Fixture {
  CustomerId company = add_customer("100", "Söderström & Co AB");
  CustomerId person = [this] {
    Customer c;
    c.number = "200";
    c.name = "Åsa Öberg";
    c.kind = CustomerKind::private_person;
    return reg.apply(staff, CreateCustomer{c});
  }();
  ContactId contact = add_contact("Örjan", "Ågren", "orjan@example.se");
  // A second staff user who may see and edit customers and contacts, and
  // one who may only look.
  UserId colleague = reg.apply(admin, CreateUser{staff_user("kollega", "Karl Kollega", kSeeAndEdit)});
  UserId viewer = reg.apply(admin, CreateUser{staff_user("tittare", "Tilda Tittare", kSee)});

  Crm() { reg.apply(staff, LinkContact{ContactLink{contact, company, "VD", false, false}}); }

  ActivityId add(UserId actor, Activity a) { return reg.apply(actor, CreateActivity{std::move(a)}); }

  static Activity note_on(CustomerId c, std::string text) {
    Activity a;
    a.kind = ActivityKind::note;
    a.customer = c;
    a.text = std::move(text);
    return a;
  }
  static Activity note_on(ContactId c, std::string text) {
    Activity a;
    a.kind = ActivityKind::note;
    a.contact = c;
    a.text = std::move(text);
    return a;
  }
  static Activity meeting(ContactId c, Timestamp start, std::string subject) {
    Activity a;
    a.kind = ActivityKind::meeting;
    a.contact = c;
    a.at = start;
    a.subject = std::move(subject);
    return a;
  }
  static Activity task(CustomerId c, Timestamp due, std::string subject, std::string status = {}) {
    Activity a;
    a.kind = ActivityKind::task;
    a.customer = c;
    a.at = due;
    a.subject = std::move(subject);
    a.status = std::move(status);
    return a;
  }
  static Activity email(ContactId c, std::string subject) {
    Activity a;
    a.kind = ActivityKind::email;
    a.contact = c;
    a.sender = "orjan@example.se";
    a.recipients = {"service@example.se"};
    a.subject = std::move(subject);
    a.text = "Hej,\nvärmepumpen låter igen.";
    return a;
  }
  static Activity journal(CustomerId c, Timestamp day, std::string text) {
    Activity a;
    a.kind = ActivityKind::journal;
    a.customer = c;
    a.at = day;
    a.text = std::move(text);
    return a;
  }
  static Activity file(CustomerId c, std::string name) {
    Activity a;
    a.kind = ActivityKind::file;
    a.customer = c;
    FileInfo f;
    f.name = std::move(name);
    f.size = 2048;
    f.sha256 = std::string(64, 'b');
    f.media_type = "application/pdf";
    a.file = f;
    return a;
  }
  static Activity reminder(CustomerId c, Timestamp due, UserId owner, std::string subject) {
    Activity a;
    a.kind = ActivityKind::reminder;
    a.customer = c;
    a.at = due;
    a.owner = owner;
    a.subject = std::move(subject);
    return a;
  }

  std::vector<std::uint64_t> ids(UserId actor, ActivityQuery q) const {
    q.limit = 1000;
    std::vector<std::uint64_t> out;
    for (const auto& a : reg.search_activities(actor, q).items) out.push_back(a.id.value);
    return out;
  }
  std::vector<std::uint64_t> ids_on(UserId actor, ContactId c, bool company_notes = true) const {
    ActivityQuery q;
    q.contact = c;
    q.company_notes = company_notes;
    return ids(actor, q);
  }
  std::vector<std::uint64_t> ids_on(UserId actor, CustomerId c) const {
    ActivityQuery q;
    q.customer = c;
    return ids(actor, q);
  }
  bool sees(UserId actor, ActivityId id) const { return reg.find_activity(actor, id).has_value(); }
  bool sees_history(UserId actor, ActivityId id) const { return !reg.history(actor, ref(id)).empty(); }
};

std::vector<std::uint64_t> v(std::initializer_list<ActivityId> ids) {
  std::vector<std::uint64_t> out;
  for (auto id : ids) out.push_back(id.value);
  return out;
}

}  // namespace

// ---- notes ----------------------------------------------------------------------

TEST_CASE("a note records its author and time, its text is required", "[crm][notes]") {
  Crm s;
  s.clock->set(at("2026-02-01T09:30:00Z"));
  auto id = s.add(s.colleague, Crm::note_on(s.company, "Vill ha offert på ny värmepump."));
  Activity n = s.reg.activity(s.admin, id);
  CHECK(n.owner == s.colleague);
  CHECK(n.created_by == s.colleague);
  CHECK(n.at == at("2026-02-01T09:30:00Z"));
  CHECK(n.revision == 1);
  CHECK_INVALID(s, "text", s.staff, CreateActivity{Crm::note_on(s.company, "  ")});
  auto with_subject = Crm::note_on(s.company, "x");
  with_subject.subject = "not for notes";
  CHECK_INVALID(s, "subject", s.staff, CreateActivity{with_subject});
  auto by_other = Crm::note_on(s.company, "x");
  by_other.owner = s.admin;
  CHECK_INVALID(s, "owner", s.staff, CreateActivity{by_other});
  auto both = Crm::note_on(s.company, "x");
  both.contact = s.contact;
  CHECK_INVALID(s, "customer", s.staff, CreateActivity{both});
  CHECK_INVALID(s, "customer", s.staff, CreateActivity{Activity{}});
}

TEST_CASE("a contact shows his own notes and those written on his companies", "[crm][notes]") {
  Crm s;
  auto own = s.add(s.staff, Crm::note_on(s.contact, "Föredrar telefon."));
  s.clock->advance(1h);
  auto on_company = s.add(s.staff, Crm::note_on(s.company, "Ny inköpschef."));
  auto task_on_company = s.add(s.staff, Crm::task(s.company, at("2026-03-01T00:00:00Z"), "Ring"));
  auto other = s.add_customer("300", "Annat AB");
  auto elsewhere = s.add(s.staff, Crm::note_on(other, "Inte hans."));
  CHECK(s.ids_on(s.staff, s.contact) == v({own, on_company}));
  CHECK(s.ids_on(s.staff, s.contact, false) == v({own}));
  CHECK(s.ids_on(s.staff, s.company) == v({on_company, task_on_company}));
  (void)elsewhere;
  // Unlinked, the company's notes leave his list.
  s.reg.apply(s.staff, UnlinkContact{s.contact, s.company});
  CHECK(s.ids_on(s.staff, s.contact) == v({own}));
}

TEST_CASE("notes of a private customer: its author, its assigned technician and administrators only",
          "[crm][notes][rights]") {
  Crm s;
  auto tech = s.reg.apply(s.admin, CreateUser{staff_user("tekniker", "Tore Tekniker",
                                                          {Right::customers_view_assigned, Right::customers_edit_assigned})});
  auto note = s.add(s.colleague, Crm::note_on(s.person, "Nyckel under mattan."));
  auto company_note = s.add(s.colleague, Crm::note_on(s.company, "Öppet 7–16."));
  CHECK(s.sees(s.colleague, note));                  // the author
  CHECK(s.sees(s.admin, note));                      // an administrator
  CHECK_FALSE(s.sees(s.staff, note));                // every other right, but not hers
  CHECK_FALSE(s.sees(s.viewer, note));
  CHECK_FALSE(s.sees(tech, note));                   // not (yet) assigned to the customer
  CHECK(s.ids_on(s.staff, s.person).empty());
  CHECK_FALSE(s.sees_history(s.staff, note));
  // The customer's own history says a note was added, nothing of what it says.
  bool leaked = false;
  for (const auto& e : s.reg.history(s.staff, ref(s.person)))
    if (to_json(e.new_value).find("Nyckel") != std::string::npos) leaked = true;
  CHECK_FALSE(leaked);
  s.reg.apply(s.admin, AssignTechnician{s.person, tech});
  CHECK(s.sees(tech, note));
  CHECK(s.ids_on(tech, s.person) == v({note}));
  // Others may not change or delete what they cannot see.
  CHECK_REFUSED(s, NotFound, s.staff, DeleteActivity{note});
  // A company's notes are seen by all who see the company.
  CHECK(s.sees(s.viewer, company_note));
  CHECK(s.sees(s.staff, company_note));
}

TEST_CASE("only the author or an administrator changes or deletes a note", "[crm][notes][rights]") {
  Crm s;
  auto id = s.add(s.colleague, Crm::note_on(s.company, "Första."));
  Activity n = s.reg.activity(s.staff, id);
  n.text = "Ändrad av annan.";
  CHECK_REFUSED(s, PermissionDenied, s.staff, UpdateActivity{n});
  CHECK_REFUSED(s, PermissionDenied, s.staff, DeleteActivity{id});
  n.text = "Ändrad av författaren.";
  s.reg.apply(s.colleague, UpdateActivity{n});
  CHECK(s.reg.activity(s.staff, id).text == "Ändrad av författaren.");
  CHECK(s.reg.activity(s.staff, id).revision == 2);
  CHECK_REFUSED(s, Conflict, s.colleague, UpdateActivity{n});  // stale revision
  s.reg.apply(s.admin, DeleteActivity{id});
  CHECK_FALSE(s.reg.find_activity(s.admin, id));
}

TEST_CASE("adding to a record's CRM needs the right to edit it, customer users see none of it",
          "[crm][rights]") {
  Crm s;
  CHECK_REFUSED(s, PermissionDenied, s.viewer, CreateActivity{Crm::note_on(s.company, "x")});
  CHECK_REFUSED(s, PermissionDenied, s.viewer, CreateActivity{Crm::note_on(s.contact, "x")});
  auto blind = s.reg.apply(s.admin, CreateUser{staff_user("blind", "Blind", {Right::customers_edit})});
  CHECK_REFUSED(s, NotFound, blind, CreateActivity{Crm::note_on(s.company, "x")});
  auto portal = s.reg.apply(s.staff, CreateCustomerUser{s.company, s.contact, "portal"});
  auto note = s.add(s.staff, Crm::note_on(s.company, "Intern."));
  auto mail = s.add(s.staff, Crm::email(s.contact, "Fråga"));
  CHECK_FALSE(s.sees(portal, note));
  CHECK_FALSE(s.sees(portal, mail));
  CHECK(s.ids_on(portal, s.company).empty());
  CHECK_FALSE(s.sees_history(portal, note));
  CHECK_REFUSED(s, PermissionDenied, portal, CreateActivity{Crm::note_on(s.company, "x")});  // he sees his customer, not its CRM
}

// ---- meetings and tasks ------------------------------------------------------------

TEST_CASE("a meeting has an owner, a start, a subject and staff participants", "[crm][meetings]") {
  Crm s;
  auto m = Crm::meeting(s.contact, at("2026-02-10T10:00:00Z"), "Genomgång");
  m.end = at("2026-02-10T11:00:00Z");
  m.participants = {s.colleague, s.staff, s.colleague};
  auto id = s.add(s.staff, m);
  Activity got = s.reg.activity(s.staff, id);
  CHECK(got.owner == s.staff);  // the actor, when none is given
  CHECK(got.participants == std::vector<UserId>{s.staff, s.colleague});
  auto no_start = m;
  no_start.at = Timestamp{};
  CHECK_INVALID(s, "at", s.staff, CreateActivity{no_start});
  auto backwards = m;
  backwards.end = at("2026-02-10T09:00:00Z");
  CHECK_INVALID(s, "end", s.staff, CreateActivity{backwards});
  auto no_subject = m;
  no_subject.subject = "";
  CHECK_INVALID(s, "subject", s.staff, CreateActivity{no_subject});
  auto stranger = m;
  stranger.participants = {UserId{999}};
  CHECK_INVALID(s, "participants[0]", s.staff, CreateActivity{stranger});
  auto portal = s.reg.apply(s.staff, CreateCustomerUser{s.company, s.contact, "portal"});
  auto customer_owner = m;
  customer_owner.owner = portal;
  CHECK_INVALID(s, "owner", s.staff, CreateActivity{customer_owner});
}

TEST_CASE("the owner of several selected meetings changes at once, all or none", "[crm][meetings]") {
  Crm s;
  auto m1 = s.add(s.staff, Crm::meeting(s.contact, at("2026-02-10T10:00:00Z"), "Ett"));
  auto m2 = s.add(s.staff, Crm::meeting(s.contact, at("2026-02-11T10:00:00Z"), "Två"));
  auto m3 = s.add(s.staff, Crm::meeting(s.contact, at("2026-02-12T10:00:00Z"), "Tre"));
  auto note = s.add(s.staff, Crm::note_on(s.contact, "Ingen ägare."));
  s.reg.apply(s.staff, ReassignActivities{{m1, m3}, s.colleague});
  CHECK(s.reg.activity(s.staff, m1).owner == s.colleague);
  CHECK(s.reg.activity(s.staff, m2).owner == s.staff);
  CHECK(s.reg.activity(s.staff, m3).owner == s.colleague);
  ActivityQuery mine;
  mine.owner = s.colleague;
  CHECK(s.ids(s.staff, mine) == v({m1, m3}));
  // One that cannot change refuses them all.
  CHECK_INVALID(s, "activities[1]", s.staff, ReassignActivities{{m2, note}, s.colleague});
  CHECK_REFUSED(s, PermissionDenied, s.viewer, ReassignActivities{{m2}, s.colleague});
  CHECK_INVALID(s, "owner", s.staff, ReassignActivities{{m2}, UserId{999}});
  // History of each says who owned it before.
  auto h = s.reg.history(s.staff, ref(m1));
  REQUIRE(h.size() == 2);
  CHECK(h[1].field == "owner");
  CHECK(h[1].old_value == to_value(s.staff));
  CHECK(h[1].new_value == to_value(s.colleague));
}

TEST_CASE("a task's status comes from the settings' list, and tasks filter by several statuses", "[crm][tasks]") {
  Crm s;
  Settings st = s.reg.settings(s.admin);
  CHECK(st.task_statuses == default_task_statuses());
  st.task_statuses = {"ny", "pågår", "väntar", "klar"};
  s.reg.apply(s.admin, UpdateSettings{st});
  auto t1 = s.add(s.staff, Crm::task(s.company, at("2026-02-01T00:00:00Z"), "Skicka offert"));
  auto t2 = s.add(s.staff, Crm::task(s.company, at("2026-02-02T00:00:00Z"), "Boka service", "pågår"));
  auto t3 = s.add(s.staff, Crm::task(s.company, at("2026-02-03T00:00:00Z"), "Fakturera", "klar"));
  CHECK(s.reg.activity(s.staff, t1).status == "ny");  // the list's first
  CHECK_INVALID(s, "status", s.staff, CreateActivity{Crm::task(s.company, at("2026-02-01T00:00:00Z"), "x", "okänd")});
  CHECK_INVALID(s, "at", s.staff, CreateActivity{Crm::task(s.company, Timestamp{}, "utan datum")});
  ActivityQuery q;
  q.kinds = {ActivityKind::task};
  q.statuses = {"ny", "pågår"};
  CHECK(s.ids(s.staff, q) == v({t1, t2}));
  q.statuses = {"klar"};
  CHECK(s.ids(s.staff, q) == v({t3}));
  q.statuses = {};
  q.descending = true;
  CHECK(s.ids(s.staff, q) == v({t3, t2, t1}));
  // A status still in use stays listed.
  st = s.reg.settings(s.admin);
  st.task_statuses = {"ny", "pågår", "väntar"};
  CHECK_REFUSED(s, Conflict, s.admin, UpdateSettings{st});
  st.task_statuses = {"ny", "pågår", "klar", "ny"};
  CHECK_INVALID(s, "task_statuses[3]", s.admin, UpdateSettings{st});
}

TEST_CASE("a field a kind does not use is refused", "[crm][validation]") {
  Crm s;
  auto t = Crm::task(s.company, at("2026-02-01T00:00:00Z"), "Uppgift");
  t.participants = {s.staff};
  CHECK_INVALID(s, "participants", s.staff, CreateActivity{t});
  auto m = Crm::meeting(s.contact, at("2026-02-01T00:00:00Z"), "Möte");
  m.status = "open";
  CHECK_INVALID(s, "status", s.staff, CreateActivity{m});
  auto n = Crm::note_on(s.company, "x");
  n.file = FileInfo{};
  CHECK_INVALID(s, "file", s.staff, CreateActivity{n});
  auto e = Crm::email(s.contact, "x");
  e.owner = s.staff;
  CHECK_INVALID(s, "owner", s.staff, CreateActivity{e});
  auto d = Crm::note_on(s.company, "x");
  d.done = true;
  CHECK_INVALID(s, "done", s.staff, CreateActivity{d});
}

// ---- e-mails ----------------------------------------------------------------------------

TEST_CASE("an e-mail is linked to a contact, with valid addresses", "[crm][email]") {
  Crm s;
  auto id = s.add(s.staff, Crm::email(s.contact, "Värmepump"));
  Activity e = s.reg.activity(s.viewer, id);
  CHECK(e.contact == s.contact);
  CHECK(e.text == "Hej,\nvärmepumpen låter igen.");
  auto on_customer = Crm::email(s.contact, "x");
  on_customer.contact.reset();
  on_customer.customer = s.company;
  CHECK_INVALID(s, "contact", s.staff, CreateActivity{on_customer});
  auto bad_from = Crm::email(s.contact, "x");
  bad_from.sender = "inte en adress";
  CHECK_INVALID(s, "sender", s.staff, CreateActivity{bad_from});
  auto no_to = Crm::email(s.contact, "x");
  no_to.recipients.clear();
  CHECK_INVALID(s, "recipients", s.staff, CreateActivity{no_to});
  auto bad_to = Crm::email(s.contact, "x");
  bad_to.recipients.push_back("@");
  CHECK_INVALID(s, "recipients[1]", s.staff, CreateActivity{bad_to});
}

TEST_CASE("an administrator restricts a contact's e-mails to administrators and gives access back",
          "[crm][email][rights]") {
  Crm s;
  auto mail = s.add(s.staff, Crm::email(s.contact, "Känsligt"));
  auto note = s.add(s.staff, Crm::note_on(s.contact, "Inte ett e-brev."));
  CHECK_REFUSED(s, PermissionDenied, s.staff, RestrictEmails{s.contact, true});
  s.clock->set(at("2026-03-01T12:00:00Z"));
  s.reg.apply(s.admin, RestrictEmails{s.contact, true});
  CHECK(s.reg.contact(s.staff, s.contact).emails_restricted);
  CHECK(s.sees(s.admin, mail));
  CHECK_FALSE(s.sees(s.staff, mail));
  CHECK_FALSE(s.sees(s.viewer, mail));
  CHECK_FALSE(s.sees_history(s.staff, mail));
  CHECK(s.sees(s.staff, note));  // only e-mails are restricted
  CHECK(s.ids_on(s.staff, s.contact) == v({note}));
  CHECK(s.ids_on(s.admin, s.contact) == v({mail, note}));
  CHECK_REFUSED(s, PermissionDenied, s.staff, CreateActivity{Crm::email(s.contact, "Nytt")});
  CHECK_REFUSED(s, NotFound, s.staff, DeleteActivity{mail});
  // UpdateContact cannot lift it.
  Contact c = s.reg.contact(s.staff, s.contact);
  c.emails_restricted = false;
  CHECK_INVALID(s, "emails_restricted", s.staff, UpdateContact{c});
  s.clock->set(at("2026-03-02T12:00:00Z"));
  s.reg.apply(s.admin, RestrictEmails{s.contact, false});
  CHECK(s.sees(s.staff, mail));
  // Both changes are in the contact's history, with who and when.
  std::vector<HistoryEntry> changes;
  for (const auto& e : s.reg.history(s.staff, ref(s.contact)))
    if (e.field == "emails_restricted") changes.push_back(e);
  REQUIRE(changes.size() == 2);
  CHECK(changes[0].actor == s.admin);
  CHECK(changes[0].at == at("2026-03-01T12:00:00Z"));
  CHECK(changes[0].new_value == Value(true));
  CHECK(changes[1].new_value == Value(false));
}

// ---- the customer journal ------------------------------------------------------------------

TEST_CASE("the journal: dated entries on a customer, an inspector deletes only his own", "[crm][journal][rights]") {
  Crm s;
  auto inspector = s.reg.apply(s.admin, CreateUser{staff_user("inspektor", "Inga Inspektör", kSeeAndEdit)});
  auto mine = s.add(inspector, Crm::journal(s.company, at("2026-01-20T00:00:00Z"), "Besiktning utan anmärkning."));
  auto theirs = s.add(s.colleague, Crm::journal(s.company, at("2026-01-21T00:00:00Z"), "Filterbyte."));
  CHECK(s.reg.activity(s.staff, mine).at == at("2026-01-20T00:00:00Z"));
  CHECK(s.reg.activity(s.staff, mine).owner == inspector);
  auto today = s.add(inspector, Crm::journal(s.company, Timestamp{}, "Utan datum: i dag."));
  CHECK(s.reg.activity(s.staff, today).at == s.clock->now());
  auto on_contact = Crm::journal(s.company, at("2026-01-20T00:00:00Z"), "x");
  on_contact.customer.reset();
  on_contact.contact = s.contact;
  CHECK_INVALID(s, "customer", inspector, CreateActivity{on_contact});
  CHECK_REFUSED(s, PermissionDenied, inspector, DeleteActivity{theirs});
  s.reg.apply(inspector, DeleteActivity{mine});
  CHECK_FALSE(s.reg.find_activity(s.admin, mine));
  s.reg.apply(s.admin, DeleteActivity{theirs});  // an administrator deletes any
  CHECK_FALSE(s.reg.find_activity(s.admin, theirs));
  ActivityQuery q;
  q.customer = s.company;
  q.kinds = {ActivityKind::journal};
  CHECK(s.ids(s.staff, q) == v({today}));
}

// ---- files -----------------------------------------------------------------------------------

TEST_CASE("files: upload needs Upload, deletion needs Delete uploaded files", "[crm][files][rights]") {
  Crm s;
  auto uploader = s.reg.apply(s.admin, CreateUser{staff_user("upp", "Ulla Upp", {Right::customers_view,
                                                                                 Right::customers_upload})});
  auto editor = s.reg.apply(s.admin, CreateUser{staff_user("red", "Rolf Red", {Right::customers_view,
                                                                               Right::customers_edit})});
  CHECK_REFUSED(s, PermissionDenied, editor, CreateActivity{Crm::file(s.company, "avtal.pdf")});
  s.clock->set(at("2026-04-01T08:00:00Z"));
  auto id = s.add(uploader, Crm::file(s.company, " avtal.pdf "));
  Activity f = s.reg.activity(s.staff, id);
  REQUIRE(f.file);
  CHECK(f.file->name == "avtal.pdf");
  CHECK(f.file->uploaded_by == uploader);
  CHECK(f.file->uploaded_at == at("2026-04-01T08:00:00Z"));
  CHECK(f.owner == uploader);
  auto bad = Crm::file(s.company, "x.pdf");
  bad.file->sha256 = "abc";
  CHECK_INVALID(s, "file.sha256", uploader, CreateActivity{bad});
  auto missing = Crm::file(s.company, "x.pdf");
  missing.file.reset();
  CHECK_INVALID(s, "file", uploader, CreateActivity{missing});
  // A file is not changed, only removed.
  f.file->name = "annat.pdf";
  CHECK_INVALID(s, "file", s.admin, UpdateActivity{f});
  CHECK_REFUSED(s, PermissionDenied, uploader, DeleteActivity{id});
  CHECK_REFUSED(s, PermissionDenied, editor, DeleteActivity{id});
  auto deleter = s.reg.apply(s.admin, CreateUser{staff_user("del", "Dag Del", {Right::customers_view,
                                                                             Right::customers_delete_files})});
  s.reg.apply(deleter, DeleteActivity{id});
  CHECK_FALSE(s.reg.find_activity(s.admin, id));
  // On a contact: the contacts module's rights.
  auto on_contact = Crm::file(s.company, "cv.pdf");
  on_contact.customer.reset();
  on_contact.contact = s.contact;
  CHECK_REFUSED(s, NotFound, uploader, CreateActivity{on_contact});  // he does not see contacts
  auto contact_uploader = s.reg.apply(s.admin, CreateUser{staff_user("cup", "C Up", {Right::contacts_view,
                                                                                    Right::contacts_upload})});
  CHECK(s.add(contact_uploader, on_contact));
}

// ---- reminders ----------------------------------------------------------------------------------

TEST_CASE("a reminder on a customer is due through the bookings' reminder mechanism", "[crm][reminders]") {
  Crm s;
  auto id = s.add(s.staff, Crm::reminder(s.company, at("2026-02-01T09:00:00Z"), s.colleague, "Ring om avtalet"));
  CHECK(s.reg.due_reminders(s.colleague, at("2026-01-31T00:00:00Z")).empty());
  auto due = s.reg.due_reminders(s.colleague, at("2026-02-01T09:00:00Z"));
  REQUIRE(due.size() == 1);
  REQUIRE(due[0].activity);
  CHECK(due[0].activity->id == id);
  CHECK(due[0].order == OrderId{});
  CHECK(s.reg.due_reminders(s.staff, at("2026-02-02T00:00:00Z")).empty());  // not his
  CHECK(s.reg.due_reminders(s.admin, at("2026-02-02T00:00:00Z")).size() == 1);
  // RaiseReminders notifies once, when due.
  s.reg.apply(s.admin, RaiseReminders{});
  CHECK(s.reg.notifications(s.colleague).empty());
  s.clock->set(at("2026-02-01T09:00:00Z"));
  s.reg.apply(s.admin, RaiseReminders{});
  auto sent = s.reg.notifications(s.colleague);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].kind == NotificationKind::reminder);
  CHECK(sent[0].subject == ref(id));
  CHECK(sent[0].text.find("Ring om avtalet") != std::string::npos);
  CHECK(s.reg.activity(s.staff, id).reminded);
  s.reg.apply(s.admin, RaiseReminders{});
  CHECK(s.reg.notifications(s.colleague).size() == 1);
  // Moved later, it reminds again; done, it is no longer due.
  Activity r = s.reg.activity(s.staff, id);
  r.at = at("2026-02-03T09:00:00Z");
  s.reg.apply(s.staff, UpdateActivity{r});
  CHECK_FALSE(s.reg.activity(s.staff, id).reminded);
  s.clock->set(at("2026-02-03T09:00:00Z"));
  s.reg.apply(s.admin, RaiseReminders{});
  CHECK(s.reg.notifications(s.colleague).size() == 2);
  r = s.reg.activity(s.staff, id);
  r.done = true;
  s.reg.apply(s.staff, UpdateActivity{r});
  CHECK(s.reg.due_reminders(s.colleague, at("2026-02-04T00:00:00Z")).empty());
  // The register keeps `reminded`.
  r = s.reg.activity(s.staff, id);
  r.reminded = false;
  CHECK_INVALID(s, "reminded", s.staff, UpdateActivity{r});
  // A reminder goes to someone who sees its customer.
  auto blind = s.reg.apply(s.admin, CreateUser{staff_user("blind", "Blind", {Right::contacts_view})});
  CHECK_INVALID(s, "owner", s.staff, CreateActivity{Crm::reminder(s.company, at("2026-02-01T09:00:00Z"), blind, "x")});
  auto on_contact = Crm::reminder(s.company, at("2026-02-01T09:00:00Z"), s.staff, "x");
  on_contact.customer.reset();
  on_contact.contact = s.contact;
  CHECK_INVALID(s, "customer", s.staff, CreateActivity{on_contact});
}

// ---- linked employees -------------------------------------------------------------------------

TEST_CASE("linked employees: directly linked users plus those who worked on the customer's orders",
          "[crm][employees]") {
  Crm s;
  auto worker = s.reg.apply(s.admin, CreateUser{staff_user("arbetare", "Arne Arbetare")});
  auto timer = s.reg.apply(s.admin, CreateUser{staff_user("tid", "Tid Tidsson")});
  s.reg.apply(s.staff, LinkEmployee{s.company, s.colleague});
  CHECK_REFUSED(s, Conflict, s.staff, LinkEmployee{s.company, s.colleague});
  CHECK_INVALID(s, "user", s.staff, LinkEmployee{s.company, UserId{999}});
  CHECK_REFUSED(s, PermissionDenied, s.viewer, LinkEmployee{s.company, s.staff});
  Order o;
  o.kind = OrderKind::work_order;
  o.customer = s.company;
  o.assigned = {worker};
  auto order = s.reg.apply(s.staff, CreateOrder{o, std::nullopt, std::nullopt});
  s.reg.apply(timer, AddTimeEntry{order, 1.5, "Felsökning"});
  auto list = s.reg.linked_employees(s.staff, s.company);
  REQUIRE(list.size() == 3);
  CHECK(list[0].user == s.colleague);
  CHECK(list[0].linked);
  CHECK(list[0].orders == 0);
  CHECK(list[0].name == "Karl Kollega");
  CHECK(list[1].user == worker);
  CHECK_FALSE(list[1].linked);
  CHECK(list[1].orders == 1);
  CHECK(list[2].user == timer);
  CHECK(list[2].orders == 1);
  // The link is the register's: UpdateCustomer cannot change it.
  Customer c = s.reg.customer(s.staff, s.company);
  CHECK(c.employees == std::vector<UserId>{s.colleague});
  c.employees.clear();
  CHECK_INVALID(s, "employees", s.staff, UpdateCustomer{c});
  s.reg.apply(s.staff, UnlinkEmployee{s.company, s.colleague});
  CHECK_REFUSED(s, NotFound, s.staff, UnlinkEmployee{s.company, s.colleague});
  CHECK(s.reg.linked_employees(s.staff, s.company).size() == 2);
  std::vector<Action> actions;
  for (const auto& e : s.reg.history(s.staff, ref(s.company)))
    if (e.field == "employees") actions.push_back(e.action);
  CHECK(actions == std::vector<Action>{Action::linked, Action::unlinked});
  // Someone who does not see orders is not told who worked on them.
  CHECK(s.reg.linked_employees(s.viewer, s.company).empty());
}

// ---- history, deletion, persistence ----------------------------------------------------------

TEST_CASE("the history of activities, filterable by time range, and on the record they are on", "[crm][history]") {
  Crm s;
  s.clock->set(at("2026-05-01T08:00:00Z"));
  auto t = s.add(s.staff, Crm::task(s.company, at("2026-06-01T00:00:00Z"), "Årlig kontroll"));
  s.clock->set(at("2026-05-10T08:00:00Z"));
  Activity a = s.reg.activity(s.staff, t);
  a.status = "done";
  s.reg.apply(s.staff, UpdateActivity{a});
  s.clock->set(at("2026-05-20T08:00:00Z"));
  s.reg.apply(s.staff, DeleteActivity{t});
  auto all = s.reg.history(s.admin, ref(t));
  REQUIRE(all.size() == 3);
  CHECK(all[0].action == Action::created);
  CHECK(all[1].field == "status");
  CHECK(all[1].old_value == Value("open"));
  CHECK(all[2].action == Action::deleted);
  auto may = s.reg.history(s.admin, ref(t), TimeRange{at("2026-05-05T00:00:00Z"), at("2026-05-15T00:00:00Z")});
  REQUIRE(may.size() == 1);
  CHECK(may[0].field == "status");
  // The customer's history lists the task coming and going.
  std::vector<Action> on_customer;
  for (const auto& e : s.reg.history(s.staff, ref(s.company), TimeRange{at("2026-05-01T00:00:00Z"), {}}))
    if (e.field == "activities") on_customer.push_back(e.action);
  CHECK(on_customer == std::vector<Action>{Action::linked, Action::unlinked});
  // A deleted activity's history is for administrators (it may have been private).
  CHECK(s.reg.history(s.staff, ref(t)).empty());
}

TEST_CASE("activities filter by time range and page", "[crm][search]") {
  Crm s;
  std::vector<ActivityId> ids;
  for (int day = 1; day <= 5; ++day)
    ids.push_back(s.add(s.staff, Crm::journal(s.company, at(("2026-03-0" + std::to_string(day) + "T00:00:00Z").c_str()),
                                              "Dag " + std::to_string(day))));
  ActivityQuery q;
  q.customer = s.company;
  q.since = at("2026-03-02T00:00:00Z");
  q.until = at("2026-03-04T00:00:00Z");
  CHECK(s.ids(s.staff, q) == v({ids[1], ids[2]}));
  q = {};
  q.kinds = {ActivityKind::journal};
  q.offset = 1;
  q.limit = 2;
  auto page = s.reg.search_activities(s.staff, q);
  CHECK(page.total == 5);
  REQUIRE(page.items.size() == 2);
  CHECK(page.items[0].id == ids[1]);
  q.limit = 0;
  CHECK_THROWS_AS(s.reg.search_activities(s.staff, q), ValidationError);
  // A range that ends before it starts holds nothing, through every index.
  q = {};
  q.since = at("2026-03-04T00:00:00Z");
  q.until = at("2026-03-02T00:00:00Z");
  CHECK(s.ids(s.staff, q).empty());
  q.customer = s.company;
  CHECK(s.ids(s.staff, q).empty());
  q.customer.reset();
  q.owner = s.staff;
  CHECK(s.ids(s.staff, q).empty());
}

TEST_CASE("deleting a customer or contact removes its activities, which history keeps", "[crm][delete]") {
  Crm s;
  auto other = s.add_customer("400", "Tillfällig AB");
  auto note = s.add(s.colleague, Crm::note_on(other, "Borttagen med kunden."));
  s.reg.apply(s.staff, DeleteCustomer{other});
  CHECK_FALSE(s.reg.find_activity(s.admin, note));
  auto h = s.reg.history(s.admin, ref(note));
  REQUIRE(h.size() == 2);
  CHECK(h[1].action == Action::deleted);
  auto mail = s.add(s.staff, Crm::email(s.contact, "Hej"));
  s.reg.apply(s.staff, DeleteContact{s.contact});
  CHECK_FALSE(s.reg.find_activity(s.admin, mail));
}

TEST_CASE("activities, restrictions and employees survive save and load", "[crm][persistence]") {
  Crm s;
  s.add(s.staff, Crm::note_on(s.person, "Privat."));
  auto m = Crm::meeting(s.contact, at("2026-02-10T10:00:00Z"), "Möte");
  m.participants = {s.colleague};
  s.add(s.staff, m);
  s.add(s.staff, Crm::file(s.company, "bild.png"));
  s.add(s.staff, Crm::reminder(s.company, at("2026-02-01T09:00:00Z"), s.staff, "Påminn"));
  s.add(s.staff, Crm::email(s.contact, "Ärende"));
  s.reg.apply(s.admin, RestrictEmails{s.contact, true});
  s.reg.apply(s.staff, LinkEmployee{s.company, s.colleague});
  const std::string before = s.state();

  auto dir = std::filesystem::temp_directory_path() / ("kartotek-crm-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  s.reg.save_as(dir);
  {
    Register loaded = Register::open(dir, OpenOptions{});
    std::ostringstream out;
    loaded.write_state(out);
    CHECK(out.str() == before);
    CHECK(loaded.counts().activities == 5);
  }
  std::filesystem::remove_all(dir);

  Register copy = Register::import_json(s.reg.export_json(s.admin));
  std::ostringstream out;
  copy.write_state(out);
  CHECK(out.str() == before);
}

TEST_CASE("CRM commands are journaled and replayed", "[crm][persistence]") {
  auto dir = std::filesystem::temp_directory_path() / ("kartotek-crm-journal-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::string before;
  {
    OpenOptions o;
    o.create = true;
    Register reg = Register::open(dir, o);
    auto admin = reg.create_first_administrator("admin", "Ada");
    Customer c;
    c.number = "1";
    c.name = "Kund";
    auto customer = reg.apply(admin, CreateCustomer{c});
    auto task = reg.apply(admin, CreateActivity{Crm::task(customer, at("2026-01-01T00:00:00Z"), "Uppgift")});
    reg.apply(admin, ReassignActivities{{task}, admin});
    reg.apply(admin, LinkEmployee{customer, admin});
    auto note = reg.apply(admin, CreateActivity{Crm::note_on(customer, "Anteckning")});
    reg.apply(admin, DeleteActivity{note});
    std::ostringstream out;
    reg.write_state(out);
    before = out.str();
  }
  Register reopened = Register::open(dir, OpenOptions{});
  std::ostringstream out;
  reopened.write_state(out);
  CHECK(out.str() == before);
  std::filesystem::remove_all(dir);
}
