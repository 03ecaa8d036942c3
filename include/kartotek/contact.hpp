// kartotek/contact.hpp: contact persons and their links to customers.
#pragma once

#include <string>
#include <tuple>

#include "kartotek/clock.hpp"
#include "kartotek/custom_fields.hpp"
#include "kartotek/describe.hpp"
#include "kartotek/ids.hpp"

namespace kartotek {

// Contact: a person. A person may be the contact of several customers; each
// such tie is a ContactLink. `id`, `created_at` and `revision` are kept by the
// register, and so is `emails_restricted` (RestrictEmails): while it is set
// only administrators read the e-mails linked to the contact.
struct Contact {
  ContactId id;
  std::string first_name;
  std::string last_name;
  std::string title;
  std::string email;
  std::string phone;
  std::string mobile;
  std::string category;
  std::string comments;
  bool active = true;
  Timestamp created_at{};
  std::uint64_t revision = 0;
  bool emails_restricted = false;
  CustomFields custom;  // docs/custom-fields.md

  friend bool operator==(const Contact&, const Contact&) = default;
};

template <> struct Describe<Contact> {
  static constexpr auto fields = std::make_tuple(
      field("id", &Contact::id), field("first_name", &Contact::first_name),
      field("last_name", &Contact::last_name), field("title", &Contact::title),
      field("email", &Contact::email), field("phone", &Contact::phone),
      field("mobile", &Contact::mobile), field("category", &Contact::category),
      field("comments", &Contact::comments), field("active", &Contact::active),
      field("created_at", &Contact::created_at), field("revision", &Contact::revision),
      field("emails_restricted", &Contact::emails_restricted, 5), field("custom", &Contact::custom, 6));
};

// ContactLink: a contact person of a customer, with his role there and whether
// service protocols and work orders sent for the customer go to his e-mail.
struct ContactLink {
  ContactId contact;
  CustomerId customer;
  std::string role;
  bool send_service_protocol = false;
  bool send_work_orders = false;

  friend bool operator==(const ContactLink&, const ContactLink&) = default;
};

template <> struct Describe<ContactLink> {
  static constexpr auto fields = std::make_tuple(
      field("contact", &ContactLink::contact), field("customer", &ContactLink::customer),
      field("role", &ContactLink::role),
      field("send_service_protocol", &ContactLink::send_service_protocol),
      field("send_work_orders", &ContactLink::send_work_orders));
};

}  // namespace kartotek
