// Strict reading of small JSON request bodies for the base-data endpoints (simdjson DOM): the
// body must be an object; a wrong type or a missing required field is kMalformed (HTTP 400) with
// the field named, like request_decoders.h; a bad time is kInvalidArgument (422). Unknown
// fields are ignored; null counts as absent.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/common/result.h"
#include "core/common/time.h"

namespace civicgrid {

class BodyReader {
 public:
  // kMalformed for invalid JSON or a body that is not an object.
  static Result<BodyReader> Parse(std::string_view body);
  BodyReader(BodyReader&&) noexcept;
  BodyReader& operator=(BodyReader&&) noexcept;
  ~BodyReader();

  // Each reads `key` into `out` (left as is when absent); false with error() set on failure.
  bool String(std::string_view key, std::string& out, bool required = false);
  bool Int(std::string_view key, std::int64_t& out, bool required = false);
  bool Int(std::string_view key, int& out, bool required = false);
  bool Double(std::string_view key, std::optional<double>& out, bool required = false);
  // An ISO 8601 time string (time.h ParseIso).
  bool Time(std::string_view key, std::optional<TimeMs>& out);
  // The raw JSON text of `key` (for nested values such as a GeoJSON geometry), or "" if absent.
  bool Raw(std::string_view key, std::string& out, bool required = false);

  const Error& error() const { return error_; }

  // --- For PATCH bodies (issue 3, geo helper) ---
  // True when `key` is present and not null.
  bool Has(std::string_view key) const;
  // False with error() set (kMalformed, "unknown_field") when the body has a key not in
  // `allowed`: a misspelt field must not read as "nothing to change".
  bool OnlyKeys(std::initializer_list<std::string_view> allowed);

 private:
  struct Impl;
  BodyReader();
  std::unique_ptr<Impl> impl_;
  Error error_;
};

}  // namespace civicgrid
