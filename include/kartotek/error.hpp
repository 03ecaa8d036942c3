// kartotek/error.hpp: the one exception hierarchy of the C++ API.
#pragma once

#include <stdexcept>
#include <string>

namespace kartotek {

enum class ErrorCode {
  not_found,
  permission_denied,
  validation,
  conflict,
  corrupt,
  io,
};

// Error: base of every exception kartotek throws on purpose. `code()` tells the
// kind; the C API maps it to a status code and Python to a subclass.
class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

// NotFound: the record named does not exist (or is outside the actor's scope).
class NotFound : public Error {
 public:
  explicit NotFound(const std::string& message) : Error(ErrorCode::not_found, message) {}
};

// PermissionDenied: the actor lacks the right named in the message.
class PermissionDenied : public Error {
 public:
  explicit PermissionDenied(const std::string& message)
      : Error(ErrorCode::permission_denied, message) {}
};

// ValidationError: a value is not acceptable; `field()` names it ("number",
// "invoice_address.city", "locale" …).
class ValidationError : public Error {
 public:
  ValidationError(std::string field, const std::string& reason)
      : Error(ErrorCode::validation, field.empty() ? reason : field + ": " + reason),
        field_(std::move(field)) {}
  const std::string& field() const noexcept { return field_; }

 private:
  std::string field_;
};

// Conflict: the command collides with the register's state (a customer number
// already in use, a customer that still has linked records, a stale revision).
class Conflict : public Error {
 public:
  explicit Conflict(const std::string& message) : Error(ErrorCode::conflict, message) {}
};

// Corrupt: stored data failed a check.
class Corrupt : public Error {
 public:
  explicit Corrupt(const std::string& message) : Error(ErrorCode::corrupt, message) {}
};

// IoError: the operating system refused a read or write.
class IoError : public Error {
 public:
  explicit IoError(const std::string& message) : Error(ErrorCode::io, message) {}
};

}  // namespace kartotek
