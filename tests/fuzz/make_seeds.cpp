// tests/fuzz/make_seeds.cpp: writes the seed corpus of the fuzz targets.
//
// Builds the base register (fuzz_support.hpp) in memory, applies a handful of
// commands of every kind of record, and writes
//   fuzz_snapshot_payload/  the state payload of the base and of the full register
//   fuzz_snapshot_file/     the same as snapshot files (header + payload)
//   fuzz_journal/           the full register's journal records in the chunk
//                           format, whole and with a torn, a zero and a
//                           corrupt tail
//   fuzz_json_import/       export_json of the base and of the full register
// The output is deterministic (fixed clock); it is committed under
// tests/fuzz/corpus/ and regenerated only when a format changes:
//   build-fuzz/make_seeds tests/fuzz/corpus

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "fuzz_support.hpp"
#include "storage.hpp"

using namespace kartotek;
namespace fs = std::filesystem;

namespace {

fs::path out_dir;

void write(const std::string& target, const std::string& name, std::string_view bytes) {
  fs::create_directories(out_dir / target);
  std::ofstream out(out_dir / target / name, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + (out_dir / target / name).string());
  std::cout << (out_dir / target / name).string() << ": " << bytes.size() << " bytes\n";
}

std::string state_of(const Register& reg) {
  std::ostringstream out(std::ios::binary);
  reg.write_state(out);
  return std::move(out).str();
}

std::string chunks(const std::vector<std::string>& payloads, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (payloads[i].find(fuzz::kChunkSeparator) != std::string::npos)
      throw std::runtime_error("a journal record holds the chunk separator; change the seed commands");
    if (!out.empty()) out += fuzz::kChunkSeparator;
    out += fuzz::chunk(fuzz::framed, payloads[i]);
  }
  return out;
}

// Commands of every kind of record, on top of the base register.
void apply_commands(Register& reg) {
  const UserId admin = fuzz::kBaseAdministrator;
  const CustomerId aberg = fuzz::kBaseCustomer;

  UserGroup g;
  g.name = "Tekniker";
  g.rights = every_right();
  UserGroupId techs = reg.apply(admin, CreateUserGroup{g});
  User t;
  t.login = "tekla";
  t.name = "Tekla Tekniker";
  t.email = "tekla@example.se";
  t.groups = {techs};
  t.rights = {Right::customers_view_assigned};
  UserId tekla = reg.apply(admin, CreateUser{t});

  Settings s = reg.settings(admin);
  s.auto_number = true;
  s.number_prefix = "K";
  s.number_padding = 4;
  s.next_number = 200;
  s.discount_letters = {{"A", 5}, {"B", 12.5}};
  reg.apply(admin, UpdateSettings{s});

  Customer p;
  p.name = "Søren Ærø";
  p.kind = CustomerKind::private_person;
  p.language = "da";
  p.visiting_address = Address{"", "Strandvejen 9", "2100", "København", "DK"};
  p.position = GeoPosition{55.7, 12.58};
  p.discount_letters = {"A"};
  p.service_articles = {ArticleLine{"RESA", "Resekostnad", 1, "st", false, 0},
                        ArticleLine{"TIM", "Arbetstid", 1, "h", true, 1.5}};
  CustomerId soren = reg.apply(tekla, CreateCustomer{p});

  Contact k;
  k.first_name = "Lena";
  k.last_name = "Söderström";
  k.email = "lena@aberg-kyl.se";
  k.phone = "+46 31 12 34 56";
  ContactId lena = reg.apply(tekla, CreateContact{k});
  reg.apply(tekla, LinkContact{{lena, aberg, "Inköpschef", true, false}});
  reg.apply(tekla, LinkContact{{lena, soren, "Granne", false, false}});
  reg.apply(tekla, UpdateContactLink{{lena, aberg, "Inköpschef", true, true}});

  Facility f;
  f.customer = aberg;
  f.name = "Kylhuset";
  f.address = {"", "Lagergatan 3", "415 05", "Göteborg", "SE"};
  FacilityId fac = reg.apply(tekla, CreateFacility{f});
  ServiceObject so;
  so.facility = fac;
  so.identifier = "VP-0042";
  so.type = "Värmepump";
  reg.apply(tekla, CreateServiceObject{so});

  reg.apply(admin, AssignTechnician{aberg, tekla});
  Customer c = reg.customer(admin, aberg);
  c.phone = "031-12 34 50";
  c.discount_letters = {"B"};
  reg.apply(tekla, UpdateCustomer{c});
  reg.apply(tekla, UnlinkContact{lena, soren});
  reg.apply(tekla, DeactivateCustomer{soren});

  User portal;
  portal.login = "lena.portal";
  portal.name = "Lena Söderström";
  portal.kind = UserKind::customer;
  portal.customer = aberg;
  portal.contact = lena;
  UserId lena_portal = reg.apply(admin, CreateUser{portal});
  User locked = reg.user(admin, lena_portal);
  locked.locked = true;
  reg.apply(admin, UpdateUser{locked});
  UserGroup spare;
  spare.name = "Reserv";
  UserGroupId gone = reg.apply(admin, CreateUserGroup{spare});
  reg.apply(admin, DeleteUserGroup{gone});
  Settings channels = reg.settings(admin);
  channels.notification_channels = {Channel::in_app, Channel::email};
  reg.apply(admin, UpdateSettings{channels});
  reg.apply(admin, AssignTechnician{aberg, admin});  // notifies both
  reg.apply(admin, AcknowledgeNotifications{{NotificationId{1}}});
  ContactId sven = reg.apply(admin, CreateContact{[] {
    Contact x;
    x.first_name = "Sven";
    x.last_name = "Ek";
    return x;
  }()});
  reg.apply(admin, LinkContact{{sven, aberg, "", false, false}});
  UserId sven_portal = reg.apply(admin, CreateCustomerUser{aberg, sven, "sven"});
  reg.apply(admin, SetCustomerUserLocked{sven_portal, true});
  reg.apply(admin, DeleteCustomerUser{sven_portal});

  // Orders: every part of one, the catalogue and a favourite filter.
  Article tim;
  tim.number = "TIM";
  tim.name = "Arbetstimme";
  tim.unit = "h";
  tim.price = 650;
  tim.time_article = true;
  reg.apply(admin, CreateArticle{tim});
  Article gone_article;
  gone_article.number = "X";
  gone_article.name = "Utgår";
  reg.apply(admin, DeleteArticle{reg.apply(admin, CreateArticle{gone_article})});
  Order w;
  w.kind = OrderKind::work_order;
  w.customer = aberg;
  w.facility = fac;
  w.contact = lena;
  w.subject = "Kylaggregat läcker";
  w.planned = parse_timestamp("2026-12-02T08:00:00Z");
  OrderLine hours;
  hours.article_number = "TIM";
  w.lines = {hours};
  Booking call;
  call.kind = BookingKind::meeting;
  call.when = parse_timestamp("2000-01-01T09:00:00Z");
  call.user = tekla;
  w.bookings = {call};
  OrderId work = reg.apply(admin, CreateOrder{w, std::nullopt, std::nullopt});
  Order cur = reg.order(admin, work);
  cur.lines[0].hours = 2;
  cur.status = "in_progress";
  reg.apply(admin, UpdateOrder{cur});
  reg.apply(admin, AddOrderNote{work, "Kunden ringde"});
  reg.apply(admin, AddTimeEntry{work, 1.5, "Felsökning"});
  FileInfo photo;
  photo.name = "foto.jpg";
  photo.size = 2048;
  photo.sha256 = std::string(64, 'c');
  photo.media_type = "image/jpeg";
  reg.apply(admin, AddOrderFile{work, photo});
  reg.apply(admin, AssignOrder{work, {tekla, admin}});
  reg.apply(admin, RaiseReminders{});
  reg.apply(admin, CloseOrder{work});
  reg.apply(admin, ReopenOrder{work});
  Order lead_order;
  lead_order.kind = OrderKind::contact_order;
  lead_order.subject = "Serviceavtal";
  Customer prospect;
  prospect.name = "Ørsted Fastigheter";
  Facility site;
  site.name = "Huvudkontoret";
  OrderId lead = reg.apply(admin, CreateOrder{lead_order, prospect, site});
  reg.apply(admin, ConvertToSalesOrder{lead});
  Order spare_order;
  spare_order.kind = OrderKind::quotation;
  spare_order.customer = aberg;
  reg.apply(admin, DeleteOrder{reg.apply(admin, CreateOrder{spare_order, std::nullopt, std::nullopt})});
  OrderFilter mine;
  mine.name = "Mina";
  mine.query.assigned_to_me = true;
  mine.query.sort = OrderColumn::planned;
  reg.apply(admin, SaveOrderFilter{mine});
  // Imports: one journaled ImportRecords command per file.
  ImportOptions upsert;
  upsert.upsert = true;
  reg.import_csv(admin, "Kundnummer;Namn;E-post;Aktiv;Tekniker\n900;Import AB;import@example.se;ja;tekla\n"
                        "901;Nej AB;;nej;\n",
                 upsert);
  ImportOptions people;
  people.kind = ListKind::contacts;
  reg.import_csv(admin, "Namn;Kundnummer;Roll\nÅsa Öberg;900|901;Inköp\n", people);
  ImportOptions sites;
  sites.kind = ListKind::facilities;
  sites.upsert = true;
  reg.import_csv(admin, "Kundnummer;Anläggning;Anläggningsnummer;Ort\n900;Lagret;L1;Umeå\n", sites);

  // The CRM: every kind of activity and every CRM command.
  reg.apply(admin, LinkEmployee{aberg, tekla});
  Activity note;
  note.kind = ActivityKind::note;
  note.contact = lena;
  note.text = "Föredrar telefon.";
  ActivityId lena_note = reg.apply(admin, CreateActivity{note});
  Activity meeting;
  meeting.kind = ActivityKind::meeting;
  meeting.customer = aberg;
  meeting.subject = "Genomgång";
  meeting.at = parse_timestamp("2026-12-02T10:00:00Z");
  meeting.end = parse_timestamp("2026-12-02T11:00:00Z");
  meeting.participants = {tekla};
  ActivityId review = reg.apply(admin, CreateActivity{meeting});
  Activity task;
  task.kind = ActivityKind::task;
  task.customer = aberg;
  task.subject = "Skicka offert";
  task.at = parse_timestamp("2026-12-05T00:00:00Z");
  ActivityId offer = reg.apply(admin, CreateActivity{task});
  reg.apply(admin, ReassignActivities{{review, offer}, tekla});
  Activity mail;
  mail.kind = ActivityKind::email;
  mail.contact = lena;
  mail.sender = "lena@aberg.se";
  mail.recipients = {"service@example.se"};
  mail.subject = "Läckage";
  mail.text = "Hej!\nDet läcker igen.";
  reg.apply(admin, CreateActivity{mail});
  reg.apply(admin, RestrictEmails{lena, true});
  Activity day;
  day.kind = ActivityKind::journal;
  day.customer = aberg;
  day.text = "Besiktning.";
  reg.apply(tekla, CreateActivity{day});
  Activity file;
  file.kind = ActivityKind::file;
  file.customer = aberg;
  file.file = photo;
  reg.apply(admin, CreateActivity{file});
  Activity remind;
  remind.kind = ActivityKind::reminder;
  remind.customer = aberg;
  remind.subject = "Ring om avtalet";
  remind.at = parse_timestamp("2000-01-01T00:00:00Z");
  reg.apply(admin, CreateActivity{remind});
  reg.apply(admin, RaiseReminders{});
  Activity done = reg.activity(admin, offer);
  done.status = "done";
  reg.apply(admin, UpdateActivity{done});
  reg.apply(admin, DeleteActivity{lena_note});
  reg.apply(admin, UnlinkEmployee{aberg, tekla});

  // Custom fields: every command, values on each kind of record.
  FieldDefinition size;
  size.kind = RecordKind::customer;
  size.key = "size";
  size.labels = {{"sv", "Storlek"}, {"en", "Size"}};
  size.type = FieldType::text;
  size.searchable = true;
  reg.apply(admin, DefineField{size});
  FieldDefinition zone;
  zone.kind = RecordKind::order;
  zone.key = "zone";
  zone.labels = {{"sv", "Zon"}};
  zone.type = FieldType::choice;
  zone.choices = {"Nord", "Syd"};
  zone.default_value = Value("Nord");
  reg.apply(admin, DefineField{zone});
  FieldDefinition floor;
  floor.kind = RecordKind::facility;
  floor.key = "floors";
  floor.labels = {{"da", "Etager"}};
  floor.type = FieldType::integer;
  reg.apply(admin, DefineField{floor});
  Customer sized = reg.customer(admin, aberg);
  sized.custom.set("size", Value("12"));
  reg.apply(admin, UpdateCustomer{sized});
  reg.apply(admin, ChangeFieldType{RecordKind::customer, "size", FieldType::integer, {}, 1});
  FieldDefinition relabelled = reg.field_definitions(admin, RecordKind::order).front();
  relabelled.choices.push_back("Öst");
  relabelled.display_order = 2;
  reg.apply(admin, UpdateFieldDefinition{relabelled});
  reg.apply(admin, RetireField{RecordKind::facility, "floors"});
  reg.apply(admin, RestoreField{RecordKind::facility, "floors"});
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_seeds <corpus directory>\n";
    return 2;
  }
  out_dir = argv[1];
  try {
    auto memory = std::make_shared<fuzz::MemoryFileSystem>();
    Register reg = fuzz::open_base_register(memory);
    const auto dir = fuzz::lock_directory();

    write("fuzz_snapshot_payload", "base", state_of(reg));
    write("fuzz_snapshot_file", "base", memory->read(dir / "snapshot"));
    write("fuzz_json_import", "base.json", reg.export_json(fuzz::kBaseAdministrator));

    apply_commands(reg);
    std::string payload = state_of(reg);
    write("fuzz_snapshot_payload", "full", payload);
    write("fuzz_snapshot_file", "full", storage::encode_snapshot(payload));
    write("fuzz_json_import", "full.json", reg.export_json(fuzz::kBaseAdministrator));

    auto records = fuzz::journal_payloads(memory->read(dir / "journal"));
    const std::size_t n = records.size();
    write("fuzz_journal", "records", chunks(records, n));
    // The last record cut in the middle: cut off on open.
    write("fuzz_journal", "torn-tail",
          chunks(records, n - 1) + std::string(fuzz::kChunkSeparator) + fuzz::chunk(fuzz::cut, records[n - 1], 40));
    // Zeros after the records: a write that extended the file and never landed.
    write("fuzz_journal", "zero-tail",
          chunks(records, 4) + std::string(fuzz::kChunkSeparator) + fuzz::chunk(fuzz::raw, std::string(20, '\0')));
    // A bad checksum with records after it: Corrupt.
    write("fuzz_journal", "bad-checksum",
          chunks(records, 2) + std::string(fuzz::kChunkSeparator) + fuzz::chunk(fuzz::bad_checksum, records[2]) +
              std::string(fuzz::kChunkSeparator) + chunks(std::vector<std::string>(records.begin() + 3, records.end()), n - 3));
  } catch (const std::exception& e) {
    std::cerr << "make_seeds: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
