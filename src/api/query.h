// URL pieces: percent-decoding, query strings, numeric ids and the opaque list cursor.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/result.h"

namespace civicgrid {

// Decodes %XX escapes (and '+' as a space when `plus_is_space`); nullopt on a bad escape.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

// The parameters of a query string, decoded. Parse fails (kMalformed) on a bad escape or on
// a value that is not UTF-8.
class QueryParams {
 public:
  static Result<QueryParams> Parse(std::string_view query);
  // The first value of `name`, or nullopt.
  std::optional<std::string_view> Get(std::string_view name) const;
  bool empty() const { return items_.empty(); }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// A positive decimal integer that fits int64 (no sign, no leading '+', no spaces), or nullopt.
std::optional<std::int64_t> ParsePositiveInt(std::string_view text);
// A non-negative decimal integer that fits int64, or nullopt.
std::optional<std::int64_t> ParseNonNegativeInt(std::string_view text);

// The cursor of an event list page: opaque to clients (URL-safe base64 of the last id).
std::string EncodeCursor(std::int64_t last_id);
std::optional<std::int64_t> DecodeCursor(std::string_view cursor);

}  // namespace civicgrid
