// benchmarks/data_set.cpp: the generated Nordic register. The word lists
// start with the common names so that the skewed picks give the repetition
// of a real register (many Anderssons, few Wästbergs).

#include "data_set.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <optional>
#include <span>
#include <string_view>

namespace bench {

std::uint64_t Random::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::size_t Random::below(std::size_t n) {
  // The modulo bias (n / 2^64) is far below anything a benchmark can see.
  return static_cast<std::size_t>(next() % n);
}

double Random::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

bool Random::chance(double p) { return uniform() < p; }

std::size_t Random::skewed(std::size_t n) {
  double u = uniform();
  return static_cast<std::size_t>(u * u * static_cast<double>(n));
}

namespace {

// The statuses of each kind of order, as a Nordic service company lists
// them; generated orders that are done have the later ones.
constexpr std::string_view kJobStatuses[] = {"Ny", "Planerad", "Pågår", "Klar", "Fakturerad"};
constexpr std::string_view kQuotationStatuses[] = {"Ny", "Skickad", "Accepterad", "Avböjd"};

}  // namespace

kartotek::Settings bench_settings() {
  kartotek::Settings s;
  s.locale = "sv";
  s.auto_number = true;
  s.number_prefix.assign(1, 'K');
  s.next_number = 10001;
  s.order_statuses.clear();
  for (const auto& [kind, name] : kartotek::EnumNames<kartotek::OrderKind>::names) {
    std::span<const std::string_view> list = kJobStatuses;
    if (kind == kartotek::OrderKind::quotation) list = kQuotationStatuses;
    s.order_statuses.push_back({kind, std::vector<std::string>(list.begin(), list.end())});
  }
  return s;
}

std::string customer_number(std::size_t index) {
  std::string number = "K";
  number += std::to_string(10001 + index);
  return number;
}

namespace {

using Words = std::span<const std::string_view>;

struct City {
  std::string_view name;
  std::string_view postal;  // leading digits of its postal codes
};

struct Country {
  std::string_view name;
  std::string_view language;
  std::string_view domain;       // top-level domain
  std::string_view phone;        // country calling code
  std::string_view company_form;
  double share;                  // of the customers
  Words first_names;
  Words last_names;
  Words streets;
  std::span<const City> cities;
  Words trades;
  Words housing;                 // housing cooperatives: a large customer group
  std::string_view housing_form;
  Words providers;               // private e-mail providers
  double lat, lon;               // rough centre, for positions
};

constexpr std::string_view kSeFirst[] = {
    "Anna", "Lars", "Maria", "Anders", "Eva", "Johan", "Karin", "Per", "Kristina", "Erik",
    "Lena", "Karl", "Sara", "Mikael", "Emma", "Peter", "Ingrid", "Jan", "Åsa", "Nils",
    "Birgitta", "Björn", "Margareta", "Göran", "Elin", "Håkan", "Johanna", "Mats", "Sofia",
    "Magnus", "Maja", "Stefan", "Ebba", "Fredrik", "Agnes", "Gustav", "Ida", "Oskar", "Hanna",
    "Olof", "Linnéa", "Örjan", "Märta", "Sören", "Åke", "Jörgen", "Signe", "Ture", "Gösta", "Solveig"};
constexpr std::string_view kSeLast[] = {
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
    "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Jönsson",
    "Lindberg", "Lindqvist", "Lindström", "Lundberg", "Lundgren", "Bergström", "Åberg", "Öberg",
    "Ågren", "Ängström", "Östlund", "Söderberg", "Söderström", "Sjöberg", "Sjögren", "Björk",
    "Ström", "Hägg", "Löfgren", "Nyström", "Åström", "Holmström", "Forsberg", "Wallin",
    "Engström", "Håkansson", "Sandström", "Zetterberg", "Wästberg", "Ekström", "Sällström",
    "Fröberg", "Hörnqvist", "Dahlén"};
constexpr std::string_view kSeStreets[] = {
    "Storgatan", "Kungsgatan", "Drottninggatan", "Ringvägen", "Skolgatan", "Kyrkogatan",
    "Ängsvägen", "Björkvägen", "Åsvägen", "Sjövägen", "Östra Hamngatan", "Västra Vägen",
    "Industrivägen", "Järnvägsgatan", "Södra Förstadsgatan", "Hälsingegatan", "Gärdesvägen",
    "Köpmangatan", "Trädgårdsgatan", "Mölndalsvägen", "Götgatan", "Ölandsgatan", "Älvgatan",
    "Fältvägen"};
constexpr City kSeCities[] = {
    {"Stockholm", "11"}, {"Göteborg", "41"}, {"Malmö", "21"}, {"Uppsala", "75"},
    {"Västerås", "72"}, {"Örebro", "70"}, {"Linköping", "58"}, {"Helsingborg", "25"},
    {"Jönköping", "55"}, {"Norrköping", "60"}, {"Lund", "22"}, {"Umeå", "90"},
    {"Gävle", "80"}, {"Borås", "50"}, {"Södertälje", "15"}, {"Eskilstuna", "63"},
    {"Växjö", "35"}, {"Luleå", "97"}, {"Sundsvall", "85"}, {"Östersund", "83"},
    {"Skövde", "54"}, {"Trollhättan", "46"}, {"Karlstad", "65"}, {"Falun", "79"},
    {"Ängelholm", "26"}, {"Mölndal", "43"}, {"Täby", "18"}, {"Åre", "83"}, {"Älmhult", "34"},
    {"Kalmar", "39"}};
constexpr std::string_view kSeTrades[] = {
    "Kyl & Värme", "VVS", "El", "Fastighetsservice", "Ventilation", "Bygg", "Måleri", "Hiss",
    "Värmepumpar", "Tak & Fasad", "Städ", "Låsservice", "Bilverkstad", "Tandvård",
    "Redovisning", "Livsmedel", "Bageri", "Förvaltning"};
constexpr std::string_view kSeHousing[] = {
    "Ängsbacken", "Björkhagen", "Sjöutsikten", "Tallåsen", "Solgläntan", "Ekbacken", "Kvarnen",
    "Fyren", "Måsen", "Lärkan", "Rönnen", "Hästhagen", "Ålgräset", "Örnen", "Granen",
    "Äppellunden", "Körsbäret", "Göken"};
constexpr std::string_view kSeProviders[] = {"gmail.com", "hotmail.com", "telia.com",
                                             "outlook.com", "bredband.net", "icloud.com"};

constexpr std::string_view kNoFirst[] = {
    "Ingrid", "Ole", "Kari", "Knut", "Solveig", "Bjørn", "Tone", "Øyvind", "Siri", "Jørgen",
    "Astrid", "Håvard", "Marit", "Sindre", "Tor", "Ragnhild", "Terje", "Åse", "Geir", "Ståle",
    "Bodil", "Eirik", "Sølvi", "Trond"};
constexpr std::string_view kNoLast[] = {
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
    "Jensen", "Karlsen", "Haugen", "Bakke", "Solberg", "Strøm", "Sæther", "Løken", "Dahl",
    "Lie", "Nygård", "Bråten", "Haugland", "Aasen", "Fjæra", "Ødegård", "Østby", "Bjørnstad",
    "Sørli", "Våge"};
constexpr std::string_view kNoStreets[] = {
    "Storgata", "Kirkeveien", "Bjørkeveien", "Sjøgata", "Fjordveien", "Skoleveien",
    "Løkkeveien", "Øvre Slottsgate", "Ålesundgata", "Bærumsveien", "Strandgata", "Tøyengata"};
constexpr City kNoCities[] = {
    {"Oslo", "0"}, {"Bergen", "5"}, {"Trondheim", "7"}, {"Stavanger", "4"}, {"Bærum", "13"},
    {"Kristiansand", "46"}, {"Drammen", "30"}, {"Tromsø", "90"}, {"Bodø", "80"},
    {"Ålesund", "60"}, {"Fredrikstad", "16"}, {"Lørenskog", "14"}, {"Hønefoss", "35"}};
constexpr std::string_view kNoTrades[] = {"Rør", "Elektro", "Ventilasjon", "Varmepumper",
                                          "Eiendomsdrift", "Bygg", "Maling", "Heis", "Kjøling"};
constexpr std::string_view kNoHousing[] = {"Solbakken", "Fjellsiden", "Bjørkelia", "Åsen",
                                           "Sjøsiden", "Granly", "Lønneberget", "Måkeskjær"};
constexpr std::string_view kNoProviders[] = {"online.no", "gmail.com", "hotmail.no", "altibox.no"};

constexpr std::string_view kDkFirst[] = {
    "Mette", "Jens", "Kirsten", "Søren", "Hanne", "Niels", "Lise", "Mads", "Anne", "Rasmus",
    "Jørn", "Bodil", "Bent", "Karen", "Kjeld", "Søs", "Frederik", "Inger", "Poul", "Ærling"};
constexpr std::string_view kDkLast[] = {
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Møller",
    "Østergaard", "Damgaard", "Kjær", "Bæk", "Lauridsen", "Frølich", "Ærenlund", "Søgaard",
    "Bøgh"};
constexpr std::string_view kDkStreets[] = {"Søndergade", "Nørregade", "Vestergade", "Østergade",
                                           "Møllevej", "Skovvej", "Kirkevej", "Ågade",
                                           "Strandvejen", "Bøgevej", "Fælledvej", "Nørrebrogade"};
constexpr City kDkCities[] = {
    {"København", "1"}, {"Aarhus", "80"}, {"Odense", "50"}, {"Aalborg", "90"},
    {"Esbjerg", "67"}, {"Randers", "89"}, {"Kolding", "60"}, {"Horsens", "87"}, {"Vejle", "71"},
    {"Roskilde", "40"}, {"Helsingør", "30"}, {"Næstved", "47"}, {"Køge", "46"},
    {"Hørsholm", "29"}, {"Sønderborg", "64"}};
constexpr std::string_view kDkTrades[] = {"VVS", "El-service", "Ventilation", "Varmepumper",
                                          "Ejendomsservice", "Byg", "Maler", "Tømrer", "Køleteknik"};
constexpr std::string_view kDkHousing[] = {"Søbakken", "Ægirsgade", "Bøgely", "Fælledhaven",
                                           "Kærgården", "Højager", "Lærkehøj"};
constexpr std::string_view kDkProviders[] = {"mail.dk", "gmail.com", "hotmail.dk", "jubii.dk"};

constexpr std::string_view kFiFirst[] = {
    "Aino", "Juha", "Eeva", "Mikko", "Päivi", "Jari", "Liisa", "Timo", "Sanna", "Jyrki",
    "Väinö", "Matti", "Pekka", "Tuomas", "Kaisa", "Sirpa", "Hannu", "Tiina", "Jörgen", "Märta"};
constexpr std::string_view kFiLast[] = {
    "Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine",
    "Heikkinen", "Koskinen", "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen",
    "Heinonen", "Niemi", "Kärkkäinen", "Sjöholm", "Lindroos", "Åkerlund", "Öhman", "Pääkkönen"};
constexpr std::string_view kFiStreets[] = {"Mannerheimintie", "Hämeenkatu", "Kauppakatu",
                                           "Koulukatu", "Järvikatu", "Mäkikatu", "Kirkkokatu",
                                           "Puistotie", "Sääksjärventie", "Ålandsvägen"};
constexpr City kFiCities[] = {
    {"Helsinki", "00"}, {"Espoo", "02"}, {"Tampere", "33"}, {"Vantaa", "01"}, {"Oulu", "90"},
    {"Turku", "20"}, {"Jyväskylä", "40"}, {"Lahti", "15"}, {"Kuopio", "70"},
    {"Hämeenlinna", "13"}, {"Mariehamn", "22"}, {"Jakobstad", "68"}, {"Vaasa", "65"},
    {"Seinäjoki", "60"}};
constexpr std::string_view kFiTrades[] = {"LVI", "Sähkö", "Kiinteistöhuolto", "Rakennus",
                                          "Lämpöpumput", "Ilmanvaihto", "Kylmätekniikka"};
constexpr std::string_view kFiHousing[] = {"Kuusela", "Mäntylä", "Koivikko", "Järvenranta",
                                           "Päivärinne", "Männistö", "Kärppä"};
constexpr std::string_view kFiProviders[] = {"gmail.com", "kolumbus.fi", "elisanet.fi",
                                             "hotmail.fi"};

const Country kCountries[] = {
    {"Sverige", "sv", "se", "+46", "AB", 0.60, kSeFirst, kSeLast, kSeStreets, kSeCities,
     kSeTrades, kSeHousing, "Bostadsrättsföreningen", kSeProviders, 59.0, 15.5},
    {"Norge", "nb", "no", "+47", "AS", 0.15, kNoFirst, kNoLast, kNoStreets, kNoCities,
     kNoTrades, kNoHousing, "Borettslaget", kNoProviders, 60.5, 9.5},
    {"Danmark", "da", "dk", "+45", "ApS", 0.15, kDkFirst, kDkLast, kDkStreets, kDkCities,
     kDkTrades, kDkHousing, "Andelsboligforeningen", kDkProviders, 55.9, 10.0},
    {"Suomi", "fi", "fi", "+358", "Oy", 0.10, kFiFirst, kFiLast, kFiStreets, kFiCities,
     kFiTrades, kFiHousing, "Asunto Oy", kFiProviders, 61.5, 24.5},
};

constexpr std::string_view kTitles[] = {"VD", "Ekonomichef", "Fastighetsskötare",
                                        "Driftansvarig", "Inköpare", "Ordförande",
                                        "Teknisk förvaltare", "Kontorschef"};
constexpr std::string_view kRoles[] = {"Beställare", "Fakturamottagare", "Kontaktperson på plats"};
constexpr std::string_view kCategories[] = {"Avtalskund", "A-kund", "B-kund", "Bostadsrätt",
                                            "Offentlig", "Industri"};
constexpr std::string_view kObjectTypes[] = {"Värmepump", "Ventilationsaggregat", "Hiss",
                                             "Brandlarm", "Kylaggregat", "Bergvärmepump",
                                             "Solcellsanläggning", "Oljepanna", "Port"};
constexpr std::string_view kModels[] = {"NIBE F2040", "Thermia Atlas", "IVT Greenline HE",
                                        "Daikin Altherma", "Mitsubishi Ecodan", "Swegon Gold RX",
                                        "Systemair SAVE VTR", "KONE MonoSpace", "Schindler 3300",
                                        "Panasonic Aquarea", "CTC EcoAir", "Flexit Nordic"};
constexpr std::string_view kPlaces[] = {"källare", "vind", "pannrum", "fläktrum", "entré",
                                        "tak", "garage", "trapphus A", "trapphus B", "kök"};
constexpr std::string_view kComments[] = {
    "Portkod 1234. Ring innan besök.", "Nyckel finns hos fastighetsskötaren.",
    "Faktura via e-post, 30 dagar netto.", "Hund på tomten – ring på grinden.",
    "Avtal förnyas varje år i mars. Kontrollera serviceintervall.",
    "Parkering på gården, infart från baksidan."};

template <class T, std::size_t N>
std::span<const T> all(const T (&a)[N]) {
  return std::span<const T>(a, N);
}

template <class T>
const T& pick(Random& rng, std::span<const T> words) {
  return words[rng.skewed(words.size())];
}

template <class T>
const T& pick_even(Random& rng, std::span<const T> words) {
  return words[rng.below(words.size())];
}

std::string digits(Random& rng, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s.push_back(static_cast<char>('0' + rng.below(10)));
  return s;
}

// ascii: the e-mail and web form of a Nordic name: lower case, å ä → a,
// ö ø → o, æ → ae, é → e, spaces and '&' dropped or turned into `space`.
std::string ascii(std::string_view name, std::string_view space) {
  static constexpr std::pair<std::string_view, std::string_view> kMap[] = {
      {"å", "a"}, {"Å", "a"}, {"ä", "a"}, {"Ä", "a"}, {"ö", "o"}, {"Ö", "o"}, {"ø", "o"},
      {"Ø", "o"}, {"æ", "ae"}, {"Æ", "ae"}, {"é", "e"}, {"ü", "u"}};
  std::string out;
  for (std::size_t i = 0; i < name.size();) {
    bool mapped = false;
    for (auto [from, to] : kMap) {
      if (name.substr(i, from.size()) == from) {
        out += to;
        i += from.size();
        mapped = true;
        break;
      }
    }
    if (mapped) continue;
    char ch = name[i++];
    if (ch >= 'A' && ch <= 'Z') out.push_back(static_cast<char>(ch - 'A' + 'a'));
    else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) out.push_back(ch);
    else if ((ch == ' ' || ch == '-') && !out.empty() && !out.ends_with(space)) out += space;
  }
  if (out.ends_with(space)) out.resize(out.size() - space.size());
  return out;
}

const Country& pick_country(Random& rng) {
  double u = rng.uniform();
  for (const auto& c : kCountries) {
    if (u < c.share) return c;
    u -= c.share;
  }
  return kCountries[0];
}

std::string postal_code(Random& rng, const Country& country, const City& city) {
  std::string_view name = country.name;
  if (name == "Sverige") {
    std::string code = std::string(city.postal) + digits(rng, 3);
    return code.substr(0, 3) + " " + code.substr(3);
  }
  std::size_t length = name == "Suomi" ? 5 : 4;
  return std::string(city.postal) + digits(rng, length - city.postal.size());
}

std::string phone(Random& rng, const Country& country, bool mobile) {
  std::string_view name = country.name;
  if (name == "Sverige")
    return mobile ? "07" + digits(rng, 1) + "-" + digits(rng, 3) + " " + digits(rng, 2) + " " + digits(rng, 2)
                  : "+46 " + std::to_string(rng.between(8, 99)) + " " + digits(rng, 3) + " " +
                        digits(rng, 2) + " " + digits(rng, 2);
  if (name == "Suomi")
    return "+358 " + std::string(mobile ? "40 " : "9 ") + digits(rng, 3) + " " + digits(rng, 4);
  return std::string(country.phone) + " " + digits(rng, 2) + " " + digits(rng, 2) + " " +
         digits(rng, 2) + " " + digits(rng, 2);
}

std::string organisation_number(Random& rng, const Country& country) {
  std::string_view name = country.name;
  if (name == "Sverige") return "556" + digits(rng, 3) + "-" + digits(rng, 4);
  if (name == "Norge") return "9" + digits(rng, 2) + " " + digits(rng, 3) + " " + digits(rng, 3);
  if (name == "Danmark") return "DK" + digits(rng, 8);
  return digits(rng, 7) + "-" + digits(rng, 1);
}

kartotek::Address address(Random& rng, const Country& country, const City& city) {
  kartotek::Address a;
  a.street = std::string(pick(rng, country.streets)) + " " + std::to_string(rng.between(1, 120));
  if (rng.chance(0.15)) a.street += " " + std::string(1, static_cast<char>('A' + rng.below(4)));
  a.postal_code = postal_code(rng, country, city);
  a.city = std::string(city.name);
  a.country = std::string(country.name);
  return a;
}

struct Person {
  std::string first, last;
};

Person person(Random& rng, const Country& country) {
  return {std::string(pick(rng, country.first_names)), std::string(pick(rng, country.last_names))};
}

struct CustomerDraft {
  kartotek::Customer customer;
  const Country* country = nullptr;
  const City* city = nullptr;
  std::string domain;  // companies: their web and e-mail domain
};

CustomerDraft make_customer(Random& rng, std::size_t serial) {
  CustomerDraft d;
  const Country& country = pick_country(rng);
  const City& city = pick(rng, country.cities);
  d.country = &country;
  d.city = &city;
  kartotek::Customer& c = d.customer;
  bool company = rng.chance(0.4);
  c.kind = company ? kartotek::CustomerKind::company : kartotek::CustomerKind::private_person;
  c.invoice_address = address(rng, country, city);
  c.language = std::string(country.language);
  if (company) {
    std::string trade(pick(rng, country.trades));
    std::string last(pick(rng, country.last_names));
    switch (rng.below(6)) {
      case 0: c.name = last + "s " + trade + " " + std::string(country.company_form); break;
      case 1: c.name = std::string(city.name) + " " + trade + " " + std::string(country.company_form); break;
      case 2:
        c.name = std::string(country.housing_form) + " " + std::string(pick(rng, country.housing)) +
                 (rng.chance(0.5) ? " " + std::to_string(rng.between(1, 40)) : "");
        break;
      case 3: c.name = last + " & Söner " + trade + " " + std::string(country.company_form); break;
      case 4: c.name = trade + " i " + std::string(city.name) + " " + std::string(country.company_form); break;
      default: c.name = last + " " + trade + " " + std::string(country.company_form); break;
    }
    c.organisation_number = organisation_number(rng, country);
    // Serial in the domain keeps it unique, as real domains are.
    d.domain = ascii(c.name, "-") + std::to_string(serial % 997) + "." + std::string(country.domain);
    c.email = std::string(rng.chance(0.7) ? "info@" : "faktura@") + d.domain;
    if (rng.chance(0.6)) c.website = "www." + d.domain;
    c.category = std::string(pick_even(rng, all(kCategories)));
  } else {
    Person p = person(rng, country);
    c.name = rng.chance(0.6) ? p.first + " " + p.last : p.last + " " + p.first;
    if (rng.chance(0.9))
      c.email = ascii(p.first, ".") + "." + ascii(p.last, ".") +
                (rng.chance(0.5) ? std::to_string(rng.between(1, 99)) : "") + "@" +
                std::string(pick(rng, country.providers));
    if (rng.chance(0.03)) c.invoice_address.care_of = "c/o " + person(rng, country).last;
    c.category = "Privat";
  }
  c.phone = phone(rng, country, !company && rng.chance(0.6));
  if (rng.chance(0.7))
    c.position = kartotek::GeoPosition{country.lat + (rng.uniform() - 0.5) * 4,
                                       country.lon + (rng.uniform() - 0.5) * 6};
  if (rng.chance(0.2)) c.comments = std::string(pick_even(rng, all(kComments)));
  return d;
}

kartotek::Contact make_contact(Random& rng, const CustomerDraft& company, std::size_t k) {
  kartotek::Contact p;
  Person who = person(rng, *company.country);
  p.first_name = who.first;
  p.last_name = who.last;
  p.title = std::string(kTitles[(k * 3 + rng.below(3)) % std::size(kTitles)]);
  p.email = ascii(who.first, ".") + "." + ascii(who.last, ".") + "@" + company.domain;
  p.phone = phone(rng, *company.country, false);
  if (rng.chance(0.8)) p.mobile = phone(rng, *company.country, true);
  p.category = k == 0 ? "Beslutsfattare" : "";
  return p;
}

// ---- custom field values and orders ------------------------------------------

// The day the generated register is as of.
constexpr std::chrono::sys_days kToday{std::chrono::year{2025} / 11 / 3};

kartotek::FieldDefinition customer_field(std::string_view key, std::string sv, std::string en,
                                         kartotek::FieldType type, std::int32_t display_order) {
  kartotek::FieldDefinition f;
  f.kind = kartotek::RecordKind::customer;
  f.key = std::string(key);
  f.labels = {{"sv", std::move(sv)}, {"en", std::move(en)}};
  f.type = type;
  f.display_order = display_order;
  return f;
}

std::string iso_date(std::chrono::sys_days day) {
  const std::chrono::year_month_day d{day};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return buf;
}

// The group's custom fields of customers, and the values most customers
// hold; companies more often have the higher agreement levels.
void add_custom_values(DataSet& data, std::uint64_t seed) {
  using kartotek::FieldType;
  Random rng(seed ^ 0xc057f1e1d5ULL);
  auto& fields = data.customer_fields;
  fields.push_back(customer_field(kAgreementField, "Avtalsnivå", "Agreement level", FieldType::choice, 1));
  fields.back().choices.assign(std::begin(kAgreementLevels), std::end(kAgreementLevels));
  fields.push_back(customer_field(kCustomerSinceField, "Kund sedan", "Customer since", FieldType::date, 2));
  fields.push_back(customer_field(kEmployeesField, "Antal anställda", "Number of employees", FieldType::integer, 3));

  const std::chrono::sys_days since{std::chrono::year{1995} / 1 / 1};
  const auto days = static_cast<std::size_t>((kToday - since).count());
  for (auto& c : data.customers) {
    const bool company = c.kind == kartotek::CustomerKind::company;
    if (rng.chance(0.7)) {
      const double u = rng.uniform();
      const std::size_t level = u < (company ? 0.25 : 0.1) ? 0 : u < (company ? 0.65 : 0.4) ? 1 : 2;
      c.custom.set(std::string(kAgreementField), kartotek::Value(std::string(kAgreementLevels[level])));
    }
    if (rng.chance(0.85))
      c.custom.set(std::string(kCustomerSinceField),
                   kartotek::Value(iso_date(since + std::chrono::days{static_cast<int>(rng.below(days))})));
    if (company && rng.chance(0.8))
      c.custom.set(std::string(kEmployeesField), kartotek::Value(static_cast<std::int64_t>(1 + rng.skewed(500))));
  }
}

// An article of the group's price list, written on order lines as free
// lines (the data set has no catalogue: the lines carry everything).
struct PriceListArticle {
  std::string_view number, name, unit;
  double price;
  bool time_article;
};
constexpr PriceListArticle kWorkTime{"ARB", "Arbetstid tekniker", "tim", 695, true};
constexpr PriceListArticle kTravel{"RES", "Resa och framkörning", "st", 450, false};
constexpr PriceListArticle kServiceAgreement{"SERV", "Service enligt avtal", "st", 1950, false};
constexpr PriceListArticle kMaterials[] = {
    {"FILT-F7", "Filter F7", "st", 289, false},      {"MTRL", "Förbrukningsmaterial", "st", 150, false},
    {"PUMP-25", "Cirkulationspump 25-60", "st", 2890, false}, {"KM-R410", "Köldmedium R410A", "kg", 890, false},
    {"SK-01", "Styrkort", "st", 4350, false},        {"EXP-18", "Expansionskärl 18 l", "st", 1190, false}};

constexpr std::string_view kSymptoms[] = {"larmar", "startar inte", "läcker vatten", "låter mycket",
                                          "ger ingen värme", "löser ut jordfelsbrytaren", "visar felkod E12",
                                          "har stannat"};
constexpr std::string_view kSince[] = {"sedan i morse.", "sedan helgen.", "sedan i går kväll.",
                                       "då och då de senaste veckorna."};
constexpr std::string_view kJobs[] = {"Byte av filter", "Byte av cirkulationspump", "Injustering av ventilation",
                                      "Byte av expansionskärl", "Reparation efter felanmälan", "Byte av styrkort",
                                      "Påfyllning av köldmedium"};
constexpr std::string_view kServiceTasks[] = {"Årlig service enligt avtal.",
                                              "Kontrollera filter, tryck och larmhistorik.",
                                              "Byt filter vid behov."};
constexpr std::string_view kVisitNotes[] = {
    "Ring innan besök.", "Portkod finns i kundkortet.", "Kunden är hemma efter kl. 15.", "Parkering på gården.",
    "Nyckel hämtas hos fastighetsskötaren.", "Serviceprotokoll skickas till beställaren."};

kartotek::OrderLine order_line(const PriceListArticle& a, double quantity, double hours = 0) {
  kartotek::OrderLine l;
  l.article_number = std::string(a.number);
  l.description = std::string(a.name);
  l.quantity = quantity;
  l.unit = std::string(a.unit);
  l.price = a.price;
  l.time_article = a.time_article;
  l.hours = hours;
  return l;
}

// "Värmepump" → "värmepump" (the object types begin with an ASCII letter).
std::string lower_first(std::string_view word) {
  std::string out(word);
  if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z') out[0] = static_cast<char>(out[0] - 'A' + 'a');
  return out;
}

// One order of customer `c` (index), entered on `entered`: its kind, place,
// texts, planned date, lines and state as of kToday.
kartotek::Order make_order(Random& rng, const DataSet& data, std::size_t c, std::chrono::sys_days entered,
                           std::pair<std::uint32_t, std::uint32_t> facilities,
                           const std::vector<std::pair<std::uint32_t, std::uint32_t>>& objects,
                           std::uint32_t orderer) {
  using kartotek::OrderKind;
  using std::chrono::days;
  const bool company = data.customers[c].kind == kartotek::CustomerKind::company;
  kartotek::Order o;
  o.customer = kartotek::CustomerId{c + 1};
  const double k = rng.uniform();
  o.kind = k < 0.45 ? OrderKind::service_order
           : k < 0.7 ? OrderKind::error_report
           : k < 0.9 ? OrderKind::work_order
                     : OrderKind::quotation;
  const std::uint32_t facility =
      facilities.first + static_cast<std::uint32_t>(rng.below(facilities.second - facilities.first));
  o.facility = kartotek::FacilityId{facility + 1u};
  std::string thing;
  const bool on_object = o.kind == OrderKind::service_order || o.kind == OrderKind::error_report ||
                         rng.chance(o.kind == OrderKind::work_order ? 0.8 : 0.5);
  if (on_object) {
    const auto [first, end] = objects[facility];
    const std::uint32_t object = first + static_cast<std::uint32_t>(rng.below(end - first));
    o.service_object = kartotek::ServiceObjectId{object + 1u};
    thing = lower_first(data.service_objects[object].type);
  } else {
    thing = lower_first(pick(rng, all(kObjectTypes)));
  }
  if (company && rng.chance(0.6)) o.contact = kartotek::ContactId{orderer + 1u};
  if (company && rng.chance(0.3)) o.customer_order_number = "IO-" + digits(rng, 6);
  if (std::uint32_t t = data.technician_of[c]) o.assigned.push_back(kartotek::UserId{t + 1u});

  std::optional<std::chrono::sys_days> planned;
  switch (o.kind) {
    case OrderKind::service_order:
      o.subject = "Årlig service " + thing;
      o.description = std::string(pick_even(rng, all(kServiceTasks))) + " " +
                      std::string(pick_even(rng, all(kVisitNotes)));
      planned = entered + days{rng.between(7, 60)};
      break;
    case OrderKind::error_report: {
      const std::string symptom(pick(rng, all(kSymptoms)));
      o.subject = "Felanmälan: " + thing + " " + symptom;
      o.description = "Kunden ringde och uppger att anläggningen " + symptom + " " +
                      std::string(pick_even(rng, all(kSince)));
      if (rng.chance(0.5)) o.description += " " + std::string(pick_even(rng, all(kVisitNotes)));
      planned = entered + days{rng.between(0, 3)};
      break;
    }
    case OrderKind::work_order:
      o.subject = std::string(pick(rng, all(kJobs)));
      o.description = (rng.chance(0.5) ? "Efter felanmälan. " : "Enligt godkänd offert. ") +
                      std::string(pick_even(rng, all(kVisitNotes)));
      planned = entered + days{rng.between(3, 30)};
      break;
    default:
      o.subject = (rng.chance(0.5) ? "Offert: ny " : "Offert: serviceavtal ") + thing;
      o.description = "Offert efter besök på plats. Giltig 30 dagar.";
      if (rng.chance(0.6)) planned = entered + days{rng.between(7, 30)};
      break;
  }
  // A visit between 07:00 and 15:30.
  if (planned) o.planned = kartotek::Timestamp{*planned} + std::chrono::minutes{7 * 60 + 30 * rng.below(18)};

  // Done three weeks after its date, but for a few forgotten ones.
  const bool past = planned.value_or(entered) + days{21} < kToday;
  o.closed = past && !rng.chance(0.03);
  const bool quotation = o.kind == OrderKind::quotation;
  if (o.closed) {
    o.status = quotation ? (rng.chance(0.4) ? "Accepterad" : "Avböjd") : (rng.chance(0.8) ? "Fakturerad" : "Klar");
  } else if (past || planned.value_or(kToday) <= kToday) {
    o.status = quotation ? "Skickad" : "Pågår";
  } else {
    o.status = quotation ? "Ny" : entered + days{3} > kToday ? "Ny" : "Planerad";
  }

  // Lines: what was (or is to be) charged; time lines carry the hours of
  // work done, or of a quotation's estimate.
  const double hours = o.closed ? 0.5 * static_cast<double>(rng.between(2, 8)) : 0;
  switch (o.kind) {
    case OrderKind::service_order:
      o.lines.push_back(order_line(kServiceAgreement, 1));
      o.lines.push_back(order_line(kWorkTime, 1, hours));
      break;
    case OrderKind::error_report:
      o.lines.push_back(order_line(kWorkTime, 1, hours));
      o.lines.push_back(order_line(kTravel, 1));
      break;
    case OrderKind::work_order:
      o.lines.push_back(order_line(kWorkTime, 1, hours));
      for (std::size_t m = rng.below(3); m > 0; --m)
        o.lines.push_back(order_line(pick(rng, all(kMaterials)), static_cast<double>(rng.between(1, 4))));
      break;
    default:
      o.lines.push_back(order_line(kWorkTime, 1, 0.5 * static_cast<double>(rng.between(4, 24))));
      o.lines.push_back(order_line(pick(rng, all(kMaterials)), 1));
      break;
  }
  return o;
}

// The customers' orders, entered over the four years up to kToday: companies
// 0–25 (most a few), private persons 0–4. They are loaded in the order they
// were entered, so one customer's orders lie apart in both engines.
void add_orders(DataSet& data, std::uint64_t seed) {
  Random rng(seed ^ 0x04de45e1ec7ULL);
  const std::size_t n = data.customers.size();
  // Each customer's facilities, each facility's service objects and each
  // company's contact persons are consecutive in the data set: [first, end).
  std::vector<std::pair<std::uint32_t, std::uint32_t>> facilities(n), objects(data.facilities.size());
  for (std::uint32_t f = 0; f < data.facilities.size(); ++f) {
    auto& range = facilities[data.facilities[f].customer.value - 1];
    if (range.first == range.second) range.first = f;
    range.second = f + 1;
  }
  for (std::uint32_t s = 0; s < data.service_objects.size(); ++s) {
    auto& range = objects[data.service_objects[s].facility.value - 1];
    if (range.first == range.second) range.first = s;
    range.second = s + 1;
  }
  std::vector<std::uint32_t> orderer(n, 0);  // a company's first contact, its Beställare
  for (auto it = data.links.rbegin(); it != data.links.rend(); ++it) orderer[it->customer] = it->contact;

  struct Entered {
    std::chrono::sys_days day;
    kartotek::Order order;
  };
  std::vector<Entered> entered;
  entered.reserve(n * 4);
  const std::chrono::sys_days first = kToday - std::chrono::days{4 * 365};
  const auto span = static_cast<std::size_t>((kToday - first).count());
  for (std::size_t c = 0; c < n; ++c) {
    const bool company = data.customers[c].kind == kartotek::CustomerKind::company;
    for (std::size_t k = rng.skewed(company ? 26 : 5); k > 0; --k) {
      const std::chrono::sys_days day = first + std::chrono::days{static_cast<int>(rng.below(span + 1))};
      entered.push_back({day, make_order(rng, data, c, day, facilities[c], objects, orderer[c])});
    }
  }
  std::stable_sort(entered.begin(), entered.end(), [](const Entered& a, const Entered& b) { return a.day < b.day; });
  data.orders.reserve(entered.size());
  for (auto& e : entered) data.orders.push_back(std::move(e.order));
}

}  // namespace

DataSet generate(std::size_t customers, std::uint64_t seed) {
  DataSet data;
  Random rng(seed);

  std::size_t technicians = std::max<std::size_t>(2, customers / 2000);
  for (std::size_t t = 0; t < technicians; ++t) {
    const Country& country = kCountries[0];
    Person p = person(rng, country);
    kartotek::User u;
    u.login = "t" + std::to_string(t + 1) + "." + ascii(p.last, ".");
    u.name = p.first + " " + p.last;
    u.email = ascii(p.first, ".") + "." + ascii(p.last, ".") + "@service.example";
    data.technicians.push_back(std::move(u));
  }

  data.customers.reserve(customers);
  data.technician_of.reserve(customers);
  data.contacts.reserve(customers * 13 / 10);
  data.facilities.reserve(customers * 3 / 2);
  data.service_objects.reserve(customers * 3);

  for (std::size_t i = 0; i < customers; ++i) {
    CustomerDraft d = make_customer(rng, i);
    const auto customer_id = static_cast<std::uint64_t>(i + 1);
    bool company = d.customer.kind == kartotek::CustomerKind::company;
    if (company) {
      ++data.companies;
      for (std::size_t k = 0; k < 3; ++k) {
        data.contacts.push_back(make_contact(rng, d, k));
        DataSet::Link l;
        l.customer = static_cast<std::uint32_t>(i);
        l.contact = static_cast<std::uint32_t>(data.contacts.size() - 1);
        l.role = std::string(kRoles[k]);
        l.send_work_orders = k == 0;
        l.send_service_protocol = k == 2;
        data.links.push_back(std::move(l));
      }
    }
    std::size_t sites = company ? rng.between(1, 3) : 1;
    for (std::size_t s = 0; s < sites; ++s) {
      kartotek::Facility f;
      f.customer = kartotek::CustomerId{customer_id};
      if (!company) {
        f.name = "Bostad";
        f.address = d.customer.invoice_address;
      } else {
        const City& city = s == 0 ? *d.city : pick(rng, d.country->cities);
        f.address = address(rng, *d.country, city);
        f.name = s == 0 ? "Huvudkontor" : "Fastighet " + f.address.street;
      }
      f.number = "A" + std::to_string(i + 1) + "-" + std::to_string(s + 1);
      data.facilities.push_back(std::move(f));
      const auto facility_id = static_cast<std::uint64_t>(data.facilities.size());
      std::size_t objects = rng.between(1, 3);
      for (std::size_t o = 0; o < objects; ++o) {
        kartotek::ServiceObject so;
        so.facility = kartotek::FacilityId{facility_id};
        std::string_view model = pick(rng, all(kModels));
        so.type = std::string(pick(rng, all(kObjectTypes)));
        so.identifier = std::string(model.substr(0, model.find(' '))) + "-" + digits(rng, 8);
        so.name = std::string(model) + ", " + std::string(pick_even(rng, all(kPlaces)));
        data.service_objects.push_back(std::move(so));
      }
    }
    data.technician_of.push_back(rng.chance(0.9) ? static_cast<std::uint32_t>(rng.below(technicians) + 1) : 0);
    data.customers.push_back(std::move(d.customer));
  }

  Random extra(seed ^ 0x5eed0fc0ffeeULL);
  for (std::size_t i = 0; i < 2000; ++i)
    data.extra_customers.push_back(make_customer(extra, customers + i).customer);
  add_custom_values(data, seed);
  add_orders(data, seed);
  return data;
}

namespace {

// ---- records entered twice ---------------------------------------------------

// Nordic letters and their other case, and what they become without accents.
struct Letter {
  std::string_view lower, upper, plain_lower, plain_upper;
};
constexpr Letter kLetters[] = {{"å", "Å", "a", "A"}, {"ä", "Ä", "a", "A"}, {"ö", "Ö", "o", "O"},
                               {"æ", "Æ", "ae", "Ae"}, {"ø", "Ø", "o", "O"}, {"é", "É", "e", "E"},
                               {"ü", "Ü", "u", "U"}};

// `text` in upper case (or lower), Nordic letters included.
std::string recase(std::string_view text, bool upper) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    bool mapped = false;
    for (const auto& l : kLetters) {
      std::string_view from = upper ? l.lower : l.upper;
      if (text.substr(i, from.size()) == from) {
        out += upper ? l.upper : l.lower;
        i += from.size();
        mapped = true;
        break;
      }
    }
    if (mapped) continue;
    char ch = text[i++];
    if (upper && ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    if (!upper && ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    out.push_back(ch);
  }
  return out;
}

// `text` typed on a keyboard without å ä ö æ ø: "Söderström" → "Soderstrom".
std::string without_accents(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    bool mapped = false;
    for (const auto& l : kLetters) {
      if (text.substr(i, l.lower.size()) == l.lower) {
        out += l.plain_lower;
      } else if (text.substr(i, l.upper.size()) == l.upper) {
        out += l.plain_upper;
      } else {
        continue;
      }
      i += l.lower.size();
      mapped = true;
      break;
    }
    if (!mapped) out.push_back(text[i++]);
  }
  return out;
}

bool ascii_lower(char ch) { return ch >= 'a' && ch <= 'z'; }

// One slip of the finger in `text`, among its first `length` bytes: a lower
// case ASCII letter of a word of 5 bytes or more changed, dropped, doubled
// or swapped with the next. Digits are never touched (names whose digits
// differ are different companies). Unchanged when no letter qualifies.
std::string typo(Random& rng, std::string text, std::size_t length) {
  std::vector<std::size_t> at;
  for (std::size_t b = 0; b < length;) {
    std::size_t e = b;
    while (e < length && text[e] != ' ') ++e;
    if (e - b >= 5)
      for (std::size_t i = b; i < e; ++i)
        if (ascii_lower(text[i])) at.push_back(i);
    b = e + 1;
  }
  if (at.empty()) return text;
  const std::size_t i = at[rng.below(at.size())];
  switch (rng.below(4)) {
    case 0: text.erase(i, 1); break;
    case 1: text.insert(i, 1, text[i]); break;
    case 2:
      if (i + 1 < length && ascii_lower(text[i + 1]) && text[i + 1] != text[i]) {
        std::swap(text[i], text[i + 1]);
        break;
      }
      [[fallthrough]];
    default: {
      char other = static_cast<char>('a' + rng.below(25));
      if (other >= text[i]) ++other;
      text[i] = other;
    }
  }
  return text;
}

// How each country's company form is spelled out, or written otherwise.
std::string_view other_company_form(std::string_view form) {
  if (form == "AB") return "Aktiebolag";
  if (form == "AS") return "A/S";
  if (form == "ApS") return "Aps.";
  return "Oyj";
}

// The same phone number written as a local number, or without spaces:
// "+46 8 123 45 67" → "08-123 45 67", "070-123 45 67" → "0701234567".
std::string other_phone(std::string_view phone) {
  std::string out;
  if (phone.starts_with("+46 ") || phone.starts_with("+358 ")) {
    std::string_view rest = phone.substr(phone.find(' ') + 1);
    std::size_t space = rest.find(' ');
    out = "0" + std::string(rest.substr(0, space)) + "-" + std::string(rest.substr(space + 1));
    return out;
  }
  if (phone.starts_with("+")) phone = phone.substr(phone.find(' ') + 1);
  for (char ch : phone)
    if (ch != ' ' && ch != '-') out.push_back(ch);
  return out;
}

std::string only_digits(std::string_view text) {
  std::string out;
  for (char ch : text)
    if (ch >= '0' && ch <= '9') out.push_back(ch);
  return out;
}

// An e-mail address as someone else types it: "Info@Domain.se".
std::string other_email(Random& rng, std::string email) {
  if (rng.chance(0.5)) return recase(email, true);
  if (!email.empty() && ascii_lower(email[0])) email[0] = static_cast<char>(email[0] - 'a' + 'A');
  return email;
}

const Country& country_named(std::string_view name) {
  for (const auto& c : kCountries)
    if (c.name == name) return c;
  return kCountries[0];
}

// A customer entered a second time (see plant_duplicates).
kartotek::Customer customer_twin(Random& rng, const kartotek::Customer& original) {
  const Country& country = country_named(original.invoice_address.country);
  const bool company = original.kind == kartotek::CustomerKind::company;
  kartotek::Customer c;
  c.kind = original.kind;
  c.language = original.language;
  c.category = original.category;
  c.invoice_address.country = original.invoice_address.country;
  c.invoice_address.city = original.invoice_address.city;

  std::string name = original.name;
  const std::string form = " " + std::string(country.company_form);
  const bool has_form = company && name.ends_with(form);
  const bool swap_names = !company && rng.chance(0.25);
  if (swap_names) {
    std::size_t space = name.find(' ');
    name = name.substr(space + 1) + " " + name.substr(0, space);
  } else if (rng.chance(0.4)) {
    name = typo(rng, name, has_form ? name.size() - form.size() : name.size());
  }
  if (has_form) {
    switch (rng.below(3)) {
      case 0: name.resize(name.size() - form.size()); break;
      case 1: name = name.substr(0, name.size() - form.size() + 1) + std::string(other_company_form(country.company_form)); break;
      default: break;
    }
  }
  if (company && rng.chance(0.5)) {
    if (std::size_t amp = name.find(" & "); amp != std::string::npos)
      name.replace(amp, 3, country.language == "sv" || country.language == "fi" ? " och " : " og ");
  }
  if (rng.chance(0.4)) name = without_accents(name);
  if (rng.chance(0.25)) name = recase(name, rng.chance(0.7));
  c.name = name;

  // What else was typed in: some keys of the original, or none of them.
  if (!rng.chance(0.15)) {
    if (company && rng.chance(0.6))
      c.organisation_number = rng.chance(0.5) ? only_digits(original.organisation_number) : original.organisation_number;
    if (!original.email.empty() && rng.chance(0.5))
      c.email = rng.chance(0.5) ? other_email(rng, original.email) : original.email;
    if (rng.chance(0.5)) c.phone = rng.chance(0.6) ? other_phone(original.phone) : original.phone;
  }
  if (rng.chance(0.6)) {
    c.invoice_address.street = original.invoice_address.street;
    c.invoice_address.postal_code = original.invoice_address.postal_code;
  }
  return c;
}

// A contact person entered a second time, for the twin of his company.
kartotek::Contact contact_twin(Random& rng, const kartotek::Contact& original) {
  kartotek::Contact p;
  p.first_name = rng.chance(0.5) ? without_accents(original.first_name) : original.first_name;
  p.last_name = rng.chance(0.3) ? typo(rng, original.last_name, original.last_name.size()) : original.last_name;
  if (rng.chance(0.3)) p.last_name = without_accents(p.last_name);
  p.title = original.title;
  if (rng.chance(0.7)) p.email = rng.chance(0.3) ? other_email(rng, original.email) : original.email;
  if (rng.chance(0.5)) p.mobile = original.mobile;
  if (rng.chance(0.3)) p.phone = other_phone(original.phone);
  return p;
}

}  // namespace

PlantedDuplicates plant_duplicates(DataSet& data, double share, std::size_t candidates, std::uint64_t seed) {
  PlantedDuplicates planted;
  Random rng(seed ^ 0xd0b1e7a1c5ULL);
  const std::size_t customers = data.customers.size();
  // The first contact person of each company: its links come in company order.
  std::vector<std::uint32_t> first_contact(customers, PlantedDuplicates::kNew);
  for (const auto& l : data.links)
    if (first_contact[l.customer] == PlantedDuplicates::kNew) first_contact[l.customer] = l.contact;

  for (std::size_t i = 0; i < customers; ++i) {
    if (!rng.chance(share)) continue;
    const auto twin = static_cast<std::uint32_t>(data.customers.size());
    data.customers.push_back(customer_twin(rng, data.customers[i]));
    data.technician_of.push_back(0);
    planted.customers.push_back({static_cast<std::uint32_t>(i), twin});
    if (std::uint32_t contact = first_contact[i]; contact != PlantedDuplicates::kNew && rng.chance(0.5)) {
      const auto contact_twin_index = static_cast<std::uint32_t>(data.contacts.size());
      data.contacts.push_back(contact_twin(rng, data.contacts[contact]));
      DataSet::Link l;
      l.customer = twin;
      l.contact = contact_twin_index;
      l.role = std::string(kRoles[0]);
      data.links.push_back(std::move(l));
      planted.contacts.push_back({contact, contact_twin_index});
    }
  }

  for (std::size_t k = 0; k < candidates; ++k) {
    if (k % 2 == 0) {
      const std::size_t i = rng.below(customers);
      planted.candidates.push_back(customer_twin(rng, data.customers[i]));
      planted.resembles.push_back(static_cast<std::uint32_t>(i));
    } else {
      planted.candidates.push_back(make_customer(rng, customers + 3000 + k).customer);
      planted.resembles.push_back(PlantedDuplicates::kNew);
    }
  }
  return planted;
}

const std::vector<std::string_view> kCustomerCsvHeaders = {
    "Kundnummer", "Namn", "Typ", "Organisationsnummer", "c/o", "Adress", "Postnummer", "Ort",
    "Land", "E-post", "Telefon", "Webbplats", "Språk", "Kategori", "Kommentar"};

std::string excel_customers_csv(const DataSet& data, std::size_t* quoted) {
  std::size_t quotes = 0;
  std::string out = "\xEF\xBB\xBF";
  out.reserve(data.customers.size() * 200);
  auto field = [&](std::string_view text, bool last = false) {
    if (text.find_first_of(";\"\r\n") == std::string_view::npos) {
      out += text;
    } else {
      ++quotes;
      out += '"';
      for (char ch : text) {
        if (ch == '"') out += '"';
        out += ch;
      }
      out += '"';
    }
    out += last ? "\r\n" : ";";
  };
  for (std::size_t h = 0; h < kCustomerCsvHeaders.size(); ++h)
    field(kCustomerCsvHeaders[h], h + 1 == kCustomerCsvHeaders.size());
  for (std::size_t i = 0; i < data.customers.size(); ++i) {
    const kartotek::Customer& c = data.customers[i];
    const kartotek::Address& a = c.invoice_address;
    field(customer_number(i));
    field(c.name);
    field(c.kind == kartotek::CustomerKind::company ? "Företag" : "Privat");
    field(c.organisation_number);
    field(a.care_of);
    field(a.street);
    field(a.postal_code);
    field(a.city);
    field(a.country);
    field(c.email);
    field(c.phone);
    field(c.website);
    field(c.language);
    field(c.category);
    field(c.comments, true);
  }
  if (quoted) *quoted = quotes;
  return out;
}

}  // namespace bench
