// kartotek/ids.hpp: strong 64-bit record ids. Ids are handed out by the
// register from one counter per record kind and never reused, not even after a
// deletion; 0 is never a valid id.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace kartotek {

template <class Tag>
struct Id {
  std::uint64_t value = 0;

  constexpr Id() = default;
  constexpr explicit Id(std::uint64_t v) : value(v) {}
  constexpr explicit operator bool() const noexcept { return value != 0; }
  friend constexpr auto operator<=>(Id, Id) = default;

  template <class Archive>
  void serialize(Archive& ar) { ar(value); }
};

using CustomerId = Id<struct CustomerTag>;
using ContactId = Id<struct ContactTag>;
using FacilityId = Id<struct FacilityTag>;
using ServiceObjectId = Id<struct ServiceObjectTag>;
using UserId = Id<struct UserTag>;
using UserGroupId = Id<struct UserGroupTag>;
using OrderId = Id<struct OrderTag>;
using ArticleId = Id<struct ArticleTag>;
using ActivityId = Id<struct ActivityTag>;

// The kinds of record the register holds; history and references name them.
enum class RecordKind : std::uint8_t {
  customer,
  contact,
  facility,
  service_object,
  user,
  settings,
  user_group,
  order,
  article,
  activity,  // a note, meeting, task, e-mail, journal entry, file or reminder (kartotek/crm.hpp)
};

// RecordRef: a reference to any record, as history and notifications carry it.
struct RecordRef {
  RecordKind kind = RecordKind::customer;
  std::uint64_t id = 0;
  friend constexpr auto operator<=>(const RecordRef&, const RecordRef&) = default;
};

template <class Tag> RecordRef ref(Id<Tag> id);
template <> inline RecordRef ref(CustomerId id) { return {RecordKind::customer, id.value}; }
template <> inline RecordRef ref(ContactId id) { return {RecordKind::contact, id.value}; }
template <> inline RecordRef ref(FacilityId id) { return {RecordKind::facility, id.value}; }
template <> inline RecordRef ref(ServiceObjectId id) { return {RecordKind::service_object, id.value}; }
template <> inline RecordRef ref(UserId id) { return {RecordKind::user, id.value}; }
template <> inline RecordRef ref(UserGroupId id) { return {RecordKind::user_group, id.value}; }
template <> inline RecordRef ref(OrderId id) { return {RecordKind::order, id.value}; }
template <> inline RecordRef ref(ArticleId id) { return {RecordKind::article, id.value}; }
template <> inline RecordRef ref(ActivityId id) { return {RecordKind::activity, id.value}; }

}  // namespace kartotek

template <class Tag>
struct std::hash<kartotek::Id<Tag>> {
  std::size_t operator()(kartotek::Id<Tag> id) const noexcept {
    return std::hash<std::uint64_t>{}(id.value);
  }
};
