#include "api/json/request_decoders.h"

#include <simdjson.h>

#include <cstring>
#include <limits>
#include <unordered_set>
#include <vector>

#include "core/common/time.h"

namespace civicgrid {

namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

Error Malformed(std::string reason, std::string message, std::string field = {}) {
  return Error(ErrorCode::kMalformed, std::move(message), std::move(field), std::move(reason));
}

Error Invalid(std::string reason, std::string message, std::string field) {
  return Error(ErrorCode::kInvalidArgument, std::move(message), std::move(field),
               std::move(reason));
}

std::string Join(std::string_view path, std::string_view key) {
  std::string out;
  out.reserve(path.size() + key.size() + 1);
  out.append(path);
  if (!path.empty()) out.push_back('.');
  out.append(key);
  return out;
}

std::string Indexed(std::string_view path, std::size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

// True when `token` follows the JSON number grammar (so a parse failure means out of range).
bool IsJsonNumberSyntax(std::string_view t) {
  std::size_t i = 0;
  auto digit = [&](std::size_t k) { return k < t.size() && t[k] >= '0' && t[k] <= '9'; };
  if (i < t.size() && t[i] == '-') ++i;
  if (!digit(i)) return false;
  if (t[i] == '0') {
    ++i;
  } else {
    while (digit(i)) ++i;
  }
  if (i < t.size() && t[i] == '.') {
    ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  // The token may carry the whitespace that follows it.
  while (i < t.size() && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r')) ++i;
  return i == t.size();
}

Error FromSimdjson(error_code e, std::string field) {
  switch (e) {
    case simdjson::UTF8_ERROR:
      return Malformed("invalid_utf8", "the request body is not valid UTF-8", std::move(field));
    case simdjson::INCORRECT_TYPE:
      return Malformed("wrong_type", "a value has the wrong type", std::move(field));
    case simdjson::NUMBER_OUT_OF_RANGE:
      return Malformed("number_out_of_range", "a number is out of range", std::move(field));
    case simdjson::DEPTH_ERROR:
      return Malformed("too_deep", "the request body nests too deeply", std::move(field));
    case simdjson::EMPTY: return Malformed("invalid_json", "the request body is empty");
    default:
      return Malformed(
          "invalid_json",
          std::string("the request body is not valid JSON: ") + simdjson::error_message(e),
          std::move(field));
  }
}

class Keys {
 public:
  // False when `key` was seen before in this object.
  bool Insert(std::string_view key) {
    constexpr std::size_t kLinear = 16;
    if (set_.empty()) {
      for (auto k : small_) {
        if (k == key) return false;
      }
      small_.push_back(key);
      if (small_.size() > kLinear) set_.insert(small_.begin(), small_.end());
      return true;
    }
    return set_.insert(key).second;
  }

 private:
  std::vector<std::string_view> small_;
  std::unordered_set<std::string_view> set_;
};

Status SkipValue(od::value value, const std::string& path, int depth);

// Calls on_field(key, value, known) for each field; fields left unknown are checked to be valid
// JSON. Duplicate keys fail. `depth` is the nesting of the object itself (1 = the body).
template <typename OnField>
Status ForEachField(od::object& object, std::string_view path, int depth, OnField&& on_field) {
  if (depth > kMaxJsonDepth) {
    return Malformed("too_deep", "the request body nests too deeply", std::string(path));
  }
  Keys keys;
  for (auto field_result : object) {
    od::field field;
    if (auto e = std::move(field_result).get(field)) return FromSimdjson(e, std::string(path));
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return FromSimdjson(e, std::string(path));
    if (!keys.Insert(key)) {
      return Malformed("duplicate_key", "duplicate key \"" + std::string(key) + "\"",
                       Join(path, key));
    }
    od::value value = field.value();
    bool known = false;
    Status s = on_field(key, value, known);
    if (!s.ok()) return s;
    if (!known) {
      Status skip = SkipValue(value, Join(path, key), depth + 1);
      if (!skip.ok()) return skip;
    }
  }
  return Status::Ok();
}

// A scalar that looked like a value of its type but did not parse ("tru", "nul", "01").
Error BadToken(error_code e, const std::string& path) {
  if (e == simdjson::UTF8_ERROR) return FromSimdjson(e, path);
  return Malformed("invalid_json", "the request body is not valid JSON", path);
}

// Walks a value completely, so that malformed JSON in ignored fields is still refused.
Status SkipValue(od::value value, const std::string& path, int depth) {
  od::json_type type;
  if (auto e = value.type().get(type)) return FromSimdjson(e, path);
  switch (type) {
    case od::json_type::object: {
      od::object object;
      if (auto e = value.get_object().get(object)) return FromSimdjson(e, path);
      return ForEachField(object, path, depth,
                          [](std::string_view, od::value&, bool&) { return Status::Ok(); });
    }
    case od::json_type::array: {
      if (depth > kMaxJsonDepth) {
        return Malformed("too_deep", "the request body nests too deeply", path);
      }
      od::array array;
      if (auto e = value.get_array().get(array)) return FromSimdjson(e, path);
      for (auto element_result : array) {
        od::value element;
        if (auto e = std::move(element_result).get(element)) return FromSimdjson(e, path);
        Status s = SkipValue(element, path, depth + 1);
        if (!s.ok()) return s;
      }
      return Status::Ok();
    }
    case od::json_type::number: {
      double d;
      if (auto e = value.get_double().get(d)) {
        if (e == simdjson::NUMBER_ERROR && IsJsonNumberSyntax(value.raw_json_token())) {
          return Malformed("number_out_of_range", "a number is out of range", path);
        }
        return BadToken(e, path);
      }
      return Status::Ok();
    }
    case od::json_type::string: {
      std::string_view s;
      if (auto e = value.get_string().get(s)) return FromSimdjson(e, path);
      return Status::Ok();
    }
    case od::json_type::boolean: {
      bool b;
      if (auto e = value.get_bool().get(b)) return BadToken(e, path);
      return Status::Ok();
    }
    case od::json_type::null: {
      bool is_null = false;
      if (auto e = value.is_null().get(is_null)) return BadToken(e, path);
      if (!is_null) return BadToken(simdjson::N_ATOM_ERROR, path);
      return Status::Ok();
    }
  }
  return BadToken(simdjson::TAPE_ERROR, path);
}

// A value of a known field: null means absent.
Result<bool> IsNull(od::value& value, const std::string& field) {
  od::json_type type;
  if (auto e = value.type().get(type)) return FromSimdjson(e, field);
  if (type != od::json_type::null) return false;
  bool is_null = false;
  if (auto e = value.is_null().get(is_null)) return BadToken(e, field);
  if (!is_null) return BadToken(simdjson::N_ATOM_ERROR, field);
  return true;
}

Error WrongType(const std::string& field, std::string_view expected) {
  return Malformed("wrong_type", "\"" + field + "\" must be " + std::string(expected), field);
}

// Readers of typed values. They answer nullopt for null.
Result<std::optional<std::string>> ReadString(od::value& value, const std::string& field) {
  auto null = IsNull(value, field);
  if (!null) return null.error();
  if (*null) return std::optional<std::string>();
  std::string_view s;
  if (auto e = value.get_string().get(s)) {
    return e == simdjson::INCORRECT_TYPE ? WrongType(field, "a string") : FromSimdjson(e, field);
  }
  return std::optional<std::string>(std::string(s));
}

Result<std::optional<std::int64_t>> ReadInt64(od::value& value, const std::string& field) {
  auto null = IsNull(value, field);
  if (!null) return null.error();
  if (*null) return std::optional<std::int64_t>();
  od::json_type type;
  if (auto e = value.type().get(type)) return FromSimdjson(e, field);
  if (type != od::json_type::number) return WrongType(field, "an integer");
  od::number_type number_type;
  if (auto e = value.get_number_type().get(number_type)) {
    if (e == simdjson::NUMBER_ERROR) {
      std::string_view token = value.raw_json_token();
      if (IsJsonNumberSyntax(token)) {
        return Malformed("number_out_of_range", "\"" + field + "\" is out of range", field);
      }
    }
    return FromSimdjson(e, field);
  }
  if (number_type == od::number_type::unsigned_integer) {
    return Malformed("number_out_of_range", "\"" + field + "\" is out of range", field);
  }
  if (number_type == od::number_type::floating_point_number) {
    return WrongType(field, "an integer");
  }
  std::int64_t v;
  if (auto e = value.get_int64().get(v)) return FromSimdjson(e, field);
  return std::optional<std::int64_t>(v);
}

Result<std::optional<int>> ReadInt(od::value& value, const std::string& field) {
  auto v = ReadInt64(value, field);
  if (!v) return v.error();
  if (!v->has_value()) return std::optional<int>();
  std::int64_t n = **v;
  if (n < std::numeric_limits<int>::min() || n > std::numeric_limits<int>::max()) {
    return Malformed("number_out_of_range", "\"" + field + "\" is out of range", field);
  }
  return std::optional<int>(static_cast<int>(n));
}

Result<std::optional<double>> ReadDouble(od::value& value, const std::string& field) {
  auto null = IsNull(value, field);
  if (!null) return null.error();
  if (*null) return std::optional<double>();
  od::json_type type;
  if (auto e = value.type().get(type)) return FromSimdjson(e, field);
  if (type != od::json_type::number) return WrongType(field, "a number");
  double d;
  if (auto e = value.get_double().get(d)) {
    if (e == simdjson::NUMBER_ERROR && IsJsonNumberSyntax(value.raw_json_token())) {
      return Malformed("number_out_of_range", "\"" + field + "\" is out of range", field);
    }
    return FromSimdjson(e, field);
  }
  return std::optional<double>(d);
}

Result<std::optional<bool>> ReadBool(od::value& value, const std::string& field) {
  auto null = IsNull(value, field);
  if (!null) return null.error();
  if (*null) return std::optional<bool>();
  od::json_type type;
  if (auto e = value.type().get(type)) return FromSimdjson(e, field);
  if (type != od::json_type::boolean) return WrongType(field, "true or false");
  bool b;
  if (auto e = value.get_bool().get(b)) return BadToken(e, field);
  return std::optional<bool>(b);
}

// Reads an object-valued field; `found` is false for null.
template <typename OnField>
Status ReadObject(od::value& value, const std::string& field, int depth, bool& found,
                  OnField&& on_field) {
  auto null = IsNull(value, field);
  if (!null) return null.error();
  found = !*null;
  if (!found) return Status::Ok();
  od::object object;
  if (auto e = value.get_object().get(object)) {
    return e == simdjson::INCORRECT_TYPE ? WrongType(field, "an object") : FromSimdjson(e, field);
  }
  return ForEachField(object, field, depth, std::forward<OnField>(on_field));
}

// Assigns a decoded optional to `out` when present.
#define CG_READ_INTO(reader, out)               \
  do {                                          \
    auto r_ = reader;                           \
    if (!r_) return r_.error();                 \
    if (r_->has_value()) out = std::move(**r_); \
  } while (false)

Status ReadAttachments(od::value& value, const std::string& field, int depth,
                       std::vector<Attachment>& out) {
  auto null = IsNull(value, field);
  if (!null) return null.error();
  if (*null) return Status::Ok();
  od::array array;
  if (auto e = value.get_array().get(array)) {
    return e == simdjson::INCORRECT_TYPE ? WrongType(field, "an array") : FromSimdjson(e, field);
  }
  std::size_t index = 0;
  for (auto element_result : array) {
    od::value element;
    if (auto e = std::move(element_result).get(element)) return FromSimdjson(e, field);
    std::string path = Indexed(field, index++);
    Attachment attachment;
    bool has_type = false, has_url = false, found = false;
    Status s = ReadObject(element, path, depth + 1, found,
                          [&](std::string_view key, od::value& v, bool& known) -> Status {
                            if (key == "type") {
                              known = true;
                              CG_READ_INTO(ReadString(v, path + ".type"), attachment.type);
                              has_type = true;
                            } else if (key == "url") {
                              known = true;
                              CG_READ_INTO(ReadString(v, path + ".url"), attachment.url);
                              has_url = true;
                            }
                            return Status::Ok();
                          });
    if (!s.ok()) return s;
    if (!found) return WrongType(path, "an object");
    if (!has_type || attachment.type.empty()) {
      return Malformed("missing_field", "\"" + path + ".type\" is required", path + ".type");
    }
    if (!has_url || attachment.url.empty()) {
      return Malformed("missing_field", "\"" + path + ".url\" is required", path + ".url");
    }
    out.push_back(std::move(attachment));
  }
  return Status::Ok();
}

Error Missing(const std::string& field) {
  return Malformed("missing_field", "\"" + field + "\" is required", field);
}

// Parses `body` as one JSON object and calls on_field for its fields.
template <typename OnField>
Status DecodeObject(std::string_view body, OnField&& on_field) {
  thread_local od::parser parser;
  thread_local std::vector<char> buffer;
  if (buffer.size() < body.size() + simdjson::SIMDJSON_PADDING) {
    buffer.resize(body.size() + simdjson::SIMDJSON_PADDING);
  }
  if (!body.empty()) std::memcpy(buffer.data(), body.data(), body.size());
  std::memset(buffer.data() + body.size(), 0, simdjson::SIMDJSON_PADDING);
  od::document doc;
  if (auto e = parser.iterate(buffer.data(), body.size(), buffer.size()).get(doc)) {
    return FromSimdjson(e, {});
  }
  // Refuse anything after the object ("{...} x", "{...}{...}").
  std::string_view root;
  if (auto e = doc.raw_json().get(root)) return FromSimdjson(e, {});
  const char* end = buffer.data() + body.size();
  for (const char* p = root.data() + root.size(); p < end; ++p) {
    if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
      return Malformed("invalid_json", "unexpected content after the JSON object");
    }
  }
  doc.rewind();
  od::object object;
  if (auto e = doc.get_object().get(object)) {
    // A JSON value that is not an object is the wrong type; anything else is not JSON.
    if (e == simdjson::INCORRECT_TYPE) {
      std::string_view first = root.substr(0, 1);
      if (!first.empty() &&
          std::string_view("[\"-0123456789tfn").find(first[0]) != std::string_view::npos) {
        return Malformed("wrong_type", "the request body must be a JSON object");
      }
      return Malformed("invalid_json", "the request body is not valid JSON");
    }
    return FromSimdjson(e, {});
  }
  return ForEachField(object, "", 1, std::forward<OnField>(on_field));
}

}  // namespace

Result<LoginRequest> DecodeLoginRequest(std::string_view body) {
  LoginRequest out;
  bool has_username = false, has_password = false;
  Status s = DecodeObject(body, [&](std::string_view key, od::value& v, bool& known) -> Status {
    std::optional<std::string> value;
    if (key == "username") {
      known = true;
      CG_READ_INTO(ReadString(v, "username"), value);
      has_username = value.has_value();
      if (value) out.username = std::move(*value);
    } else if (key == "password") {
      known = true;
      CG_READ_INTO(ReadString(v, "password"), value);
      has_password = value.has_value();
      if (value) out.password = std::move(*value);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s.error();
  if (!has_username) return Missing("username");
  if (!has_password) return Missing("password");
  return out;
}

Result<CreateEventCommand> DecodeCreateEvent(std::string_view body) {
  CreateEventCommand out;
  std::optional<std::string> source, category, title;
  bool has_location = false;
  Status s = DecodeObject(body, [&](std::string_view key, od::value& v, bool& known) -> Status {
    known = true;
    if (key == "source") {
      CG_READ_INTO(ReadString(v, "source"), source);
    } else if (key == "category") {
      CG_READ_INTO(ReadString(v, "category"), category);
    } else if (key == "title") {
      CG_READ_INTO(ReadString(v, "title"), title);
    } else if (key == "description") {
      CG_READ_INTO(ReadString(v, "description"), out.description);
    } else if (key == "priority") {
      CG_READ_INTO(ReadInt(v, "priority"), out.priority);
    } else if (key == "location") {
      return ReadObject(v, "location", 2, has_location,
                        [&](std::string_view k, od::value& lv, bool& k_known) -> Status {
                          k_known = true;
                          if (k == "lon") {
                            CG_READ_INTO(ReadDouble(lv, "location.lon"), out.lon);
                          } else if (k == "lat") {
                            CG_READ_INTO(ReadDouble(lv, "location.lat"), out.lat);
                          } else if (k == "address") {
                            CG_READ_INTO(ReadString(lv, "location.address"), out.address);
                          } else {
                            k_known = false;
                          }
                          return Status::Ok();
                        });
    } else if (key == "reporter") {
      bool found = false;
      return ReadObject(v, "reporter", 2, found,
                        [&](std::string_view k, od::value& rv, bool& k_known) -> Status {
                          k_known = true;
                          if (k == "name") {
                            CG_READ_INTO(ReadString(rv, "reporter.name"), out.reporter_name);
                          } else if (k == "phone") {
                            CG_READ_INTO(ReadString(rv, "reporter.phone"), out.reporter_phone);
                          } else {
                            k_known = false;
                          }
                          return Status::Ok();
                        });
    } else if (key == "attachments") {
      return ReadAttachments(v, "attachments", 2, out.attachments);
    } else {
      known = false;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s.error();
  if (!source) return Missing("source");
  if (!category) return Missing("category");
  if (!title) return Missing("title");
  if (!has_location) return Missing("location");
  if (!out.lon) return Missing("location.lon");
  if (!out.lat) return Missing("location.lat");
  auto parsed_source = SourceFromName(*source);
  if (!parsed_source) {
    return Invalid("unknown_source", "unknown source \"" + *source + "\"", "source");
  }
  out.source = *parsed_source;
  out.category = std::move(*category);
  out.title = std::move(*title);
  return out;
}

Result<ActionRequest> DecodeActionRequest(std::string_view body) {
  ActionRequest out;
  std::optional<std::string> action, deadline;
  std::optional<std::int64_t> expected_version;
  Status s = DecodeObject(body, [&](std::string_view key, od::value& v, bool& known) -> Status {
    known = true;
    if (key == "action") {
      CG_READ_INTO(ReadString(v, "action"), action);
    } else if (key == "expected_version") {
      CG_READ_INTO(ReadInt64(v, "expected_version"), expected_version);
    } else if (key == "note") {
      CG_READ_INTO(ReadString(v, "note"), out.note);
    } else if (key == "department") {
      CG_READ_INTO(ReadInt64(v, "department"), out.department);
    } else if (key == "target") {
      CG_READ_INTO(ReadInt64(v, "target"), out.target);
    } else if (key == "passed") {
      CG_READ_INTO(ReadBool(v, "passed"), out.passed);
    } else if (key == "rating") {
      CG_READ_INTO(ReadInt(v, "rating"), out.rating);
    } else if (key == "level") {
      CG_READ_INTO(ReadInt(v, "level"), out.level);
    } else if (key == "deadline") {
      CG_READ_INTO(ReadString(v, "deadline"), deadline);
    } else if (key == "attachments") {
      return ReadAttachments(v, "attachments", 2, out.attachments);
    } else {
      known = false;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s.error();
  if (!action) return Missing("action");
  if (!expected_version) return Missing("expected_version");
  auto parsed_action = ActionFromName(*action);
  if (!parsed_action || *parsed_action == EventAction::kReport) {
    return Invalid("unknown_action", "unknown action \"" + *action + "\"", "action");
  }
  out.action = *parsed_action;
  out.expected_version = *expected_version;
  if (deadline) {
    auto t = ParseIso(*deadline);
    if (!t) {
      return Invalid("invalid_time", "\"deadline\" must be an ISO 8601 date-time", "deadline");
    }
    out.deadline = *t;
  }
  return out;
}

// --- Routing (issue 5) ---

namespace {

Status ReadIdArray(od::value& value, const std::string& field, std::vector<std::int64_t>& out) {
  auto null = IsNull(value, field);
  if (!null) return null.error();
  if (*null) return Status::Ok();
  od::array array;
  if (auto e = value.get_array().get(array)) {
    return e == simdjson::INCORRECT_TYPE ? WrongType(field, "an array") : FromSimdjson(e, field);
  }
  std::size_t index = 0;
  for (auto element_result : array) {
    od::value element;
    if (auto e = std::move(element_result).get(element)) return FromSimdjson(e, field);
    const std::string path = Indexed(field, index++);
    auto id = ReadInt64(element, path);
    if (!id) return id.error();
    if (!id->has_value()) return WrongType(path, "an integer");
    out.push_back(**id);
  }
  return Status::Ok();
}

// "08:30" -> 510.
std::optional<int> ParseClockMinute(std::string_view t) {
  if (t.size() != 5 || t[2] != ':') return std::nullopt;
  for (int i : {0, 1, 3, 4}) {
    if (t[static_cast<std::size_t>(i)] < '0' || t[static_cast<std::size_t>(i)] > '9') {
      return std::nullopt;
    }
  }
  const int h = (t[0] - '0') * 10 + (t[1] - '0');
  const int m = (t[3] - '0') * 10 + (t[4] - '0');
  if (h > 24 || m > 59 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

template <typename OnElement>
Status ReadObjectArray(od::value& value, const std::string& field, OnElement&& on_element) {
  auto null = IsNull(value, field);
  if (!null) return null.error();
  if (*null) return Status::Ok();
  od::array array;
  if (auto e = value.get_array().get(array)) {
    return e == simdjson::INCORRECT_TYPE ? WrongType(field, "an array") : FromSimdjson(e, field);
  }
  std::size_t index = 0;
  for (auto element_result : array) {
    od::value element;
    if (auto e = std::move(element_result).get(element)) return FromSimdjson(e, field);
    if (Status s = on_element(element, Indexed(field, index++)); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

Result<RoutingRequest> DecodeRoutingRequest(std::string_view body) {
  RoutingRequest out;
  std::optional<std::string> level, unit, verification;
  Status s = DecodeObject(body, [&](std::string_view key, od::value& v, bool& known) -> Status {
    known = true;
    if (key == "category") {
      CG_READ_INTO(ReadString(v, "category"), out.category);
    } else if (key == "region_level") {
      CG_READ_INTO(ReadString(v, "region_level"), level);
    } else if (key == "department") {
      CG_READ_INTO(ReadInt64(v, "department"), out.department);
    } else if (key == "lead") {
      CG_READ_INTO(ReadInt64(v, "lead"), out.lead);
    } else if (key == "co_handlers") {
      out.co_handlers.emplace();
      return ReadIdArray(v, "co_handlers", *out.co_handlers);
    } else if (key == "departments") {
      out.departments.emplace();
      return ReadIdArray(v, "departments", *out.departments);
    } else if (key == "time_limit") {
      CG_READ_INTO(ReadInt(v, "time_limit"), out.time_limit);
    } else if (key == "time_unit") {
      CG_READ_INTO(ReadString(v, "time_unit"), unit);
    } else if (key == "verification") {
      CG_READ_INTO(ReadString(v, "verification"), verification);
    } else if (key == "expected_version") {
      CG_READ_INTO(ReadInt64(v, "expected_version"), out.expected_version);
    } else if (key == "note") {
      CG_READ_INTO(ReadString(v, "note"), out.note);
    } else if (key == "add_to_list") {
      CG_READ_INTO(ReadBool(v, "add_to_list"), out.add_to_list);
    } else if (key == "respond_within_minutes") {
      CG_READ_INTO(ReadInt(v, "respond_within_minutes"), out.respond_within_minutes);
    } else if (key == "decision") {
      CG_READ_INTO(ReadString(v, "decision"), out.decision);
    } else if (key == "office_hours") {
      out.office_hours.emplace();
      return ReadObjectArray(v, "office_hours", [&](od::value& e, const std::string& path) {
        std::optional<std::string> start, end;
        bool found = false;
        Status st = ReadObject(e, path, 3, found,
                               [&](std::string_view k, od::value& pv, bool& kn) -> Status {
                                 kn = true;
                                 if (k == "start") {
                                   CG_READ_INTO(ReadString(pv, path + ".start"), start);
                                 } else if (k == "end") {
                                   CG_READ_INTO(ReadString(pv, path + ".end"), end);
                                 } else {
                                   kn = false;
                                 }
                                 return Status::Ok();
                               });
        if (!st.ok()) return st;
        if (!found) return Status(WrongType(path, "an object"));
        if (!start) return Status(Missing(path + ".start"));
        if (!end) return Status(Missing(path + ".end"));
        auto a = ParseClockMinute(*start);
        auto b = ParseClockMinute(*end);
        if (!a || !b) {
          return Status(Invalid("invalid_time", "office hours are written \"HH:MM\"", path));
        }
        out.office_hours->push_back(OfficePeriod{*a, *b});
        return Status::Ok();
      });
    } else if (key == "days") {
      out.days.emplace();
      return ReadObjectArray(v, "days", [&](od::value& e, const std::string& path) {
        std::optional<std::string> date, name;
        std::optional<bool> working;
        bool found = false;
        Status st = ReadObject(e, path, 3, found,
                               [&](std::string_view k, od::value& dv, bool& kn) -> Status {
                                 kn = true;
                                 if (k == "date") {
                                   CG_READ_INTO(ReadString(dv, path + ".date"), date);
                                 } else if (k == "working") {
                                   CG_READ_INTO(ReadBool(dv, path + ".working"), working);
                                 } else if (k == "name") {
                                   CG_READ_INTO(ReadString(dv, path + ".name"), name);
                                 } else {
                                   kn = false;
                                 }
                                 return Status::Ok();
                               });
        if (!st.ok()) return st;
        if (!found) return Status(WrongType(path, "an object"));
        if (!date) return Status(Missing(path + ".date"));
        auto parsed = ParseDate(*date);
        if (!parsed || !IsValidDate(*parsed)) {
          return Status(Invalid("invalid_time", "\"date\" must be YYYY-MM-DD", path + ".date"));
        }
        out.days->push_back(LocalDay{*parsed, working.value_or(false), name.value_or("")});
        return Status::Ok();
      });
    } else {
      known = false;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s.error();
  if (level) {
    auto l = RegionLevelFromName(*level);
    if (!l)
      return Invalid("invalid_argument", "unknown region level \"" + *level + "\"", "region_level");
    out.region_level = *l;
  }
  if (unit) {
    auto u = TimeUnitFromName(*unit);
    if (!u) {
      return Invalid("invalid_argument", "time_unit must be hours, working_hours or working_days",
                     "time_unit");
    }
    out.time_unit = *u;
  }
  if (verification) {
    auto vv = VerificationFromName(*verification);
    if (!vv) {
      return Invalid("invalid_argument", "verification must be none, reporter or centre",
                     "verification");
    }
    out.verification = *vv;
  }
  return out;
}

#undef CG_READ_INTO

}  // namespace civicgrid

// --- Identity administration (issue 4) ---

#define CG_READ_INTO(reader, out)               \
  do {                                          \
    auto r_ = reader;                           \
    if (!r_) return r_.error();                 \
    if (r_->has_value()) out = std::move(**r_); \
  } while (false)

namespace civicgrid {

namespace {

// A list of role names; an unknown name is kInvalidArgument (422) naming it.
Result<std::optional<RoleSet>> ReadRoles(od::value& value, const std::string& field) {
  auto null = IsNull(value, field);
  if (!null) return null.error();
  if (*null) return std::optional<RoleSet>();
  od::array array;
  if (auto e = value.get_array().get(array)) {
    return e == simdjson::INCORRECT_TYPE ? WrongType(field, "an array of role names")
                                         : FromSimdjson(e, field);
  }
  RoleSet roles;
  std::size_t index = 0;
  for (auto element_result : array) {
    od::value element;
    if (auto e = std::move(element_result).get(element)) return FromSimdjson(e, field);
    const std::string path = Indexed(field, index++);
    std::string_view name;
    if (auto e = element.get_string().get(name)) {
      return e == simdjson::INCORRECT_TYPE ? WrongType(path, "a role name") : FromSimdjson(e, path);
    }
    auto role = RoleFromName(name);
    if (!role) return Invalid("unknown_role", "unknown role \"" + std::string(name) + "\"", path);
    roles.Add(*role);
  }
  return std::optional<RoleSet>(roles);
}

// A non-negative id (0 = none).
Result<std::optional<std::int64_t>> ReadId(od::value& value, const std::string& field) {
  auto v = ReadInt64(value, field);
  if (!v) return v.error();
  if (v->has_value() && **v < 0) {
    return Malformed("number_out_of_range", "\"" + field + "\" must not be negative", field);
  }
  return v;
}

}  // namespace

Result<NewUser> DecodeNewUser(std::string_view body) {
  NewUser out;
  std::optional<std::string> username, password;
  std::optional<RoleSet> roles;
  Status s = DecodeObject(body, [&](std::string_view key, od::value& v, bool& known) -> Status {
    known = true;
    if (key == "username") {
      CG_READ_INTO(ReadString(v, "username"), username);
    } else if (key == "password") {
      CG_READ_INTO(ReadString(v, "password"), password);
    } else if (key == "display_name") {
      CG_READ_INTO(ReadString(v, "display_name"), out.display_name);
    } else if (key == "roles") {
      CG_READ_INTO(ReadRoles(v, "roles"), roles);
    } else if (key == "region_id") {
      CG_READ_INTO(ReadId(v, "region_id"), out.region_id);
    } else if (key == "department_id") {
      CG_READ_INTO(ReadId(v, "department_id"), out.department_id);
    } else {
      known = false;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s.error();
  if (!username) return Missing("username");
  if (!password) return Missing("password");
  if (!roles) return Missing("roles");
  out.username = std::move(*username);
  out.password = std::move(*password);
  out.roles = *roles;
  return out;
}

Result<UserChange> DecodeUserChange(std::string_view body) {
  UserChange out;
  Status s = DecodeObject(body, [&](std::string_view key, od::value& v, bool& known) -> Status {
    known = true;
    if (key == "display_name") {
      CG_READ_INTO(ReadString(v, "display_name"), out.display_name);
    } else if (key == "roles") {
      CG_READ_INTO(ReadRoles(v, "roles"), out.roles);
    } else if (key == "region_id") {
      CG_READ_INTO(ReadId(v, "region_id"), out.region_id);
    } else if (key == "department_id") {
      CG_READ_INTO(ReadId(v, "department_id"), out.department_id);
    } else {
      known = false;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s.error();
  return out;
}

Result<PasswordChangeRequest> DecodePasswordChange(std::string_view body) {
  PasswordChangeRequest out;
  std::optional<std::string> old_password, new_password;
  Status s = DecodeObject(body, [&](std::string_view key, od::value& v, bool& known) -> Status {
    known = true;
    if (key == "old_password") {
      CG_READ_INTO(ReadString(v, "old_password"), old_password);
    } else if (key == "new_password") {
      CG_READ_INTO(ReadString(v, "new_password"), new_password);
    } else {
      known = false;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s.error();
  if (!old_password) return Missing("old_password");
  if (!new_password) return Missing("new_password");
  out.old_password = std::move(*old_password);
  out.new_password = std::move(*new_password);
  return out;
}

Result<std::string> DecodePasswordReset(std::string_view body) {
  std::optional<std::string> password;
  Status s = DecodeObject(body, [&](std::string_view key, od::value& v, bool& known) -> Status {
    if (key == "password") {
      known = true;
      CG_READ_INTO(ReadString(v, "password"), password);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s.error();
  if (!password) return Missing("password");
  return std::move(*password);
}

// --- Organisation units (issue 4) ---

Result<DepartmentDraft> DecodeDepartmentDraft(std::string_view body) {
  DepartmentDraft out;
  Status s = DecodeObject(body, [&](std::string_view key, od::value& v, bool& known) -> Status {
    known = true;
    if (key == "code") {
      CG_READ_INTO(ReadString(v, "code"), out.code);
    } else if (key == "name") {
      CG_READ_INTO(ReadString(v, "name"), out.name);
    } else if (key == "name_en") {
      CG_READ_INTO(ReadString(v, "name_en"), out.name_en);
    } else if (key == "region_id") {
      CG_READ_INTO(ReadId(v, "region_id"), out.region_id);
    } else if (key == "disabled") {
      CG_READ_INTO(ReadBool(v, "disabled"), out.disabled);
    } else {
      known = false;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s.error();
  return out;
}

}  // namespace civicgrid

#undef CG_READ_INTO
