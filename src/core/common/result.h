// Result<T> and Status: errors as values, spelled like std::expected so C++23 is a rename.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace civicgrid {

// Canonical codes (after absl::StatusCode), plus the few HTTP needs to tell apart.
enum class ErrorCode {
  kMalformed,           // the request cannot be read: bad JSON, wrong type, missing field
  kInvalidArgument,     // readable but semantically invalid: unknown category, rating 7
  kUnauthenticated,     // no or bad credentials
  kPermissionDenied,    // the caller's role may not do this
  kNotFound,            // absent, or outside the caller's scope (no existence leak)
  kAlreadyExists,       // a unique key is taken
  kAborted,             // optimistic concurrency: a stale version
  kFailedPrecondition,  // not allowed in the object's current state
  kPayloadTooLarge,
  kUnsupportedMediaType,
  kResourceExhausted,  // rate limited
  kUnavailable,        // shutting down, overloaded
  kInternal,
};

const char* DefaultReason(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string reason;   // stable machine-readable slug, e.g. "stale_version"
  std::string message;  // for people
  std::string field;    // the offending input field, or empty

  Error() = default;
  Error(ErrorCode c, std::string msg, std::string fld = {}, std::string rsn = {})
      : code(c),
        reason(rsn.empty() ? DefaultReason(c) : std::move(rsn)),
        message(std::move(msg)),
        field(std::move(fld)) {}
};

template <typename E>
struct Unexpected {
  E error;
};
inline Unexpected<Error> Fail(ErrorCode c, std::string msg, std::string field = {},
                              std::string reason = {}) {
  return {Error(c, std::move(msg), std::move(field), std::move(reason))};
}
inline Unexpected<Error> Fail(Error e) { return {std::move(e)}; }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}                // NOLINT(google-explicit-constructor)
  Result(Unexpected<Error> e) : v_(std::move(e.error)) {}  // NOLINT
  Result(Error e) : v_(std::move(e)) {}                    // NOLINT

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  T& value() & {
    assert(has_value());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(has_value());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(has_value());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const {
    assert(!has_value());
    return std::get<1>(v_);
  }
  Error& error() {
    assert(!has_value());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, Error> v_;
};

// Status is Result without a value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Unexpected<Error> e) : err_(std::move(e.error)), ok_(false) {}  // NOLINT
  Status(Error e) : err_(std::move(e)), ok_(false) {}                    // NOLINT
  static Status Ok() { return {}; }
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    assert(!ok_);
    return err_;
  }

 private:
  Error err_;
  bool ok_ = true;
};

}  // namespace civicgrid
