#include "api/json/body_reader.h"

#include <simdjson.h>

namespace civicgrid {

struct BodyReader::Impl {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
};

BodyReader::BodyReader() : impl_(std::make_unique<Impl>()) {}
BodyReader::BodyReader(BodyReader&&) noexcept = default;
BodyReader& BodyReader::operator=(BodyReader&&) noexcept = default;
BodyReader::~BodyReader() = default;

Result<BodyReader> BodyReader::Parse(std::string_view body) {
  BodyReader reader;
  simdjson::dom::element root;
  if (auto e = reader.impl_->parser.parse(body.data(), body.size()).get(root); e) {
    if (e == simdjson::UTF8_ERROR) {
      return Fail(ErrorCode::kMalformed, "the request body is not valid UTF-8", "", "invalid_utf8");
    }
    return Fail(ErrorCode::kMalformed, "the request body is not valid JSON", "", "invalid_json");
  }
  if (root.get(reader.impl_->object)) {
    return Fail(ErrorCode::kMalformed, "the request body must be a JSON object", "", "wrong_type");
  }
  return reader;
}

namespace {

Error WrongType(std::string_view key, const char* want) {
  return Error(ErrorCode::kMalformed, std::string(key) + " must be " + want, std::string(key),
               "wrong_type");
}

Error Missing(std::string_view key) {
  return Error(ErrorCode::kMalformed, std::string(key) + " is required", std::string(key),
               "missing_field");
}

}  // namespace

#define CIVICGRID_FIND(key, required)                            \
  simdjson::dom::element value;                                  \
  if (impl_->object.at_key(key).get(value) || value.is_null()) { \
    if (required) {                                              \
      error_ = Missing(key);                                     \
      return false;                                              \
    }                                                            \
    return true;                                                 \
  }

bool BodyReader::String(std::string_view key, std::string& out, bool required) {
  CIVICGRID_FIND(key, required)
  std::string_view s;
  if (value.get(s)) {
    error_ = WrongType(key, "a string");
    return false;
  }
  out = std::string(s);
  return true;
}

bool BodyReader::Int(std::string_view key, std::int64_t& out, bool required) {
  CIVICGRID_FIND(key, required)
  std::int64_t v;
  if (value.get(v)) {
    error_ = WrongType(key, "an integer");
    return false;
  }
  out = v;
  return true;
}

bool BodyReader::Int(std::string_view key, int& out, bool required) {
  std::int64_t v = out;
  if (!Int(key, v, required)) return false;
  if (v < -1000000000 || v > 1000000000) {
    error_ = Error(ErrorCode::kMalformed, std::string(key) + " is out of range", std::string(key),
                   "number_out_of_range");
    return false;
  }
  out = static_cast<int>(v);
  return true;
}

bool BodyReader::Double(std::string_view key, std::optional<double>& out, bool required) {
  CIVICGRID_FIND(key, required)
  double v;
  if (value.get(v)) {
    error_ = WrongType(key, "a number");
    return false;
  }
  out = v;
  return true;
}

bool BodyReader::Time(std::string_view key, std::optional<TimeMs>& out) {
  std::string text;
  if (!String(key, text)) return false;
  if (text.empty()) return true;
  auto t = ParseIso(text);
  if (!t) {
    error_ = Error(ErrorCode::kInvalidArgument, std::string(key) + " must be an ISO 8601 time",
                   std::string(key), "invalid_time");
    return false;
  }
  out = *t;
  return true;
}

bool BodyReader::Raw(std::string_view key, std::string& out, bool required) {
  CIVICGRID_FIND(key, required)
  out = simdjson::minify(value);
  return true;
}

#undef CIVICGRID_FIND

}  // namespace civicgrid

namespace civicgrid {

// --- For PATCH bodies (issue 3, geo helper) ---

bool BodyReader::Has(std::string_view key) const {
  simdjson::dom::element value;
  return !impl_->object.at_key(key).get(value) && !value.is_null();
}

bool BodyReader::OnlyKeys(std::initializer_list<std::string_view> allowed) {
  for (auto field : impl_->object) {
    bool known = false;
    for (std::string_view a : allowed) known |= field.key == a;
    if (!known) {
      const std::string key(field.key);
      error_ = Error(ErrorCode::kMalformed, "unknown field " + key, key, "unknown_field");
      return false;
    }
  }
  return true;
}

}  // namespace civicgrid
