// benchmarks/data_set.hpp: a deterministic, realistic register to load into
// both engines — Nordic companies and private customers with their custom
// field values, their contact persons, facilities, service objects and
// orders, and the technicians they are assigned to.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kartotek/contact.hpp"
#include "kartotek/custom_fields.hpp"
#include "kartotek/customer.hpp"
#include "kartotek/facility.hpp"
#include "kartotek/order.hpp"
#include "kartotek/settings.hpp"
#include "kartotek/user.hpp"

namespace bench {

// Random: a small seeded generator (splitmix64) whose sequence is the same on
// every platform and standard library, unlike std::*_distribution.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  // A number in [0, n); n > 0.
  std::size_t below(std::size_t n);
  // A number in [lo, hi].
  std::size_t between(std::size_t lo, std::size_t hi) { return lo + below(hi - lo + 1); }
  // True with probability `p`.
  bool chance(double p);
  // A number in [0, n) that favours the low end, as name frequencies do
  // (the first entries of each word list are the common names).
  std::size_t skewed(std::size_t n);
  double uniform();  // [0, 1)

 private:
  std::uint64_t state_;
};

// The settings both engines number customers by: "K10001", "K10002" …
// kartotek hands the numbers out itself (auto_number); the SQLite side
// computes the same string, as a host application would.
kartotek::Settings bench_settings();
std::string customer_number(std::size_t index);  // of the customer loaded index-th (0-based)

// The custom fields of customers the data set defines (DataSet::customer_fields),
// by key. The SQLite side keeps each in a column of that name.
inline constexpr std::string_view kAgreementField = "avtalsniva";      // choice: Guld, Silver, Brons
inline constexpr std::string_view kCustomerSinceField = "kund_sedan";  // date
inline constexpr std::string_view kEmployeesField = "antal_anstallda"; // integer, companies only
inline constexpr std::string_view kAgreementLevels[] = {"Guld", "Silver", "Brons"};

// DataSet: records in load order. Ids are handed out in this order by both
// engines, so record i of a kind has id i + 1 in each (the first
// administrator is user 1, technician t is user t + 2).
struct DataSet {
  struct Link {
    std::uint32_t customer = 0;  // index into customers
    std::uint32_t contact = 0;   // index into contacts
    std::string role;
    bool send_service_protocol = false;
    bool send_work_orders = false;
  };

  std::vector<kartotek::User> technicians;
  // Defined before the customers are loaded; customers carry their values
  // in `custom`.
  std::vector<kartotek::FieldDefinition> customer_fields;
  // Customers with an empty number (the register numbers them) and no
  // technician; technician_of[i] is the technician index + 1, or 0 for none.
  std::vector<kartotek::Customer> customers;
  std::vector<std::uint32_t> technician_of;
  std::vector<kartotek::Contact> contacts;
  std::vector<Link> links;
  // facility.customer / service_object.facility hold the 1-based id of the
  // record they belong to (index + 1), valid in both engines.
  std::vector<kartotek::Facility> facilities;
  std::vector<kartotek::ServiceObject> service_objects;
  // Orders in the order they were entered over the years (by date, so a
  // customer's orders are spread through the table), without number (each
  // kind numbers its own: the n-th order of a kind has number n in both
  // engines). customer, facility, service_object, contact and assigned hold
  // 1-based ids. An order with `closed` set is created open and then closed
  // (the register keeps closed_at); its lines' hours are the work done.
  std::vector<kartotek::Order> orders;
  // Further customers, not loaded, for the single-commit workload.
  std::vector<kartotek::Customer> extra_customers;

  std::size_t companies = 0;
};

// generate: `customers` customers (about 40 % companies with 3 contact
// persons each, the rest private persons), 1–3 facilities per company and one
// per private customer, 1–3 service objects per facility, one technician per
// 2,000 customers (at least 2) with 90 % of customers assigned; three custom
// fields of customers and most customers' values for them; 0–25 orders per
// company and 0–4 per private person, most of them few, planned over the
// four years before the data set's day (3 November 2025) and a few weeks
// after it. The same (customers, seed) always gives the same data set.
// Custom values and orders come from generators of their own, so the other
// records are the same as without them.
DataSet generate(std::size_t customers, std::uint64_t seed);

// PlantedDuplicates: what plant_duplicates added to a data set, so that a
// duplicate finder's answer can be held against it.
struct PlantedDuplicates {
  // A record of the data set entered a second time: indices into
  // DataSet::customers (or DataSet::contacts), original < twin.
  struct Pair {
    std::uint32_t original = 0;
    std::uint32_t twin = 0;
  };
  static constexpr std::uint32_t kNew = UINT32_MAX;

  std::vector<Pair> customers;
  std::vector<Pair> contacts;
  // Customers not in the data set, as typed into a create form: look-alikes
  // of a customer of it (resembles[i] is its index) and new ones
  // (resembles[i] is kNew), alternately.
  std::vector<kartotek::Customer> candidates;
  std::vector<std::uint32_t> resembles;
};

// plant_duplicates: enters about `share` of the customers of `data` a second
// time, appended after the others (so every record already there keeps its
// index and id), as the same company or person typed again years later or by
// an import: the name in other case, without its accents, with its company
// form dropped or spelled out, "&" written out, a letter changed, dropped,
// doubled or swapped, or a private person's names the other way round; and
// some of the original's organisation number, e-mail, phone and address,
// written differently where people do (digits only, a local phone number),
// or none of them. Half of the companies entered twice also get their first
// contact person again, varied likewise and linked to the twin. The twins
// have no facilities and no technician. Also makes `candidates` customers
// for similar_customers. Draws from its own generator, so the same (data,
// share, candidates, seed) always plants the same records.
PlantedDuplicates plant_duplicates(DataSet& data, double share, std::size_t candidates, std::uint64_t seed);

// The header row of excel_customers_csv, in its column order.
extern const std::vector<std::string_view> kCustomerCsvHeaders;

// excel_customers_csv: the customers of `data` as the bytes of the CSV file a
// Nordic Excel saves ("CSV UTF-8"): a byte order mark, `;` between fields, CR
// LF after each row, a header row of Swedish column names
// (kCustomerCsvHeaders), fields quoted only when they hold `;`, a quote or a
// line break (RFC 4180: the quote doubled). Customer i has the number
// customer_number(i), so an import gives the numbers the other workloads use.
// `quoted`, if given, receives the number of quoted fields.
std::string excel_customers_csv(const DataSet& data, std::size_t* quoted = nullptr);

}  // namespace bench
