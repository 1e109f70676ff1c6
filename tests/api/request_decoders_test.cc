#include "api/json/request_decoders.h"

#include <gtest/gtest.h>

#include <string>

namespace civicgrid {
namespace {

constexpr const char* kGoodCreate = R"({
  "source": "hotline", "category": "0101", "title": "井盖缺失",
  "description": "和平路与南京街交叉口井盖缺失，有安全隐患",
  "location": {"lon": 123.43, "lat": 41.80, "address": "和平区南京南街1号"},
  "reporter": {"name": "张先生", "phone": "13800138000"},
  "priority": 1,
  "attachments": [{"type": "photo", "url": "https://example.org/a.jpg"}],
  "unknown": {"nested": [1, 2.5, "x", true, null, {"k": []}]}
})";

TEST(DecodeCreateEventTest, DecodesEveryField) {
  auto c = DecodeCreateEvent(kGoodCreate);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->source, EventSource::kHotline);
  EXPECT_EQ(c->category, "0101");
  EXPECT_EQ(c->title, "井盖缺失");
  EXPECT_EQ(c->description, "和平路与南京街交叉口井盖缺失，有安全隐患");
  ASSERT_TRUE(c->lon && c->lat);
  EXPECT_DOUBLE_EQ(*c->lon, 123.43);
  EXPECT_DOUBLE_EQ(*c->lat, 41.80);
  EXPECT_EQ(c->address, "和平区南京南街1号");
  EXPECT_EQ(c->reporter_name, "张先生");
  EXPECT_EQ(c->reporter_phone, "13800138000");
  EXPECT_EQ(c->priority, 1);
  ASSERT_EQ(c->attachments.size(), 1u);
  EXPECT_EQ(c->attachments[0].type, "photo");
  EXPECT_EQ(c->attachments[0].url, "https://example.org/a.jpg");
  EXPECT_TRUE(c->idempotency_key.empty());
}

TEST(DecodeCreateEventTest, MinimalBodyAndEscapes) {
  auto c = DecodeCreateEvent(
      R"({"source":"grid_app","category":"02","title":"\u4e95\u76d6 \"x\"","location":{"lon":1,"lat":-2}})");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->title, "井盖 \"x\"");
  EXPECT_DOUBLE_EQ(*c->lon, 1.0);
  EXPECT_DOUBLE_EQ(*c->lat, -2.0);
  EXPECT_EQ(c->priority, 0);
}

TEST(DecodeCreateEventTest, NullCountsAsAbsent) {
  auto c = DecodeCreateEvent(
      R"({"source":"web","category":"01","title":"t","description":null,"reporter":null,)"
      R"("location":{"lon":1,"lat":2,"address":null}})");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->description, "");
  auto missing = DecodeCreateEvent(
      R"({"source":"web","category":"01","title":null,"location":{"lon":1,"lat":2}})");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().reason, "missing_field");
  EXPECT_EQ(missing.error().field, "title");
}

struct BadCase {
  const char* name;
  std::string body;
  ErrorCode code;
  const char* reason;
  const char* field;
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class DecodeCreateEventBadTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(DecodeCreateEventBadTest, Refuses) {
  const BadCase& c = GetParam();
  auto r = DecodeCreateEvent(c.body);
  ASSERT_FALSE(r) << c.name;
  EXPECT_EQ(r.error().code, c.code) << c.name << ": " << r.error().message;
  EXPECT_EQ(r.error().reason, c.reason) << c.name << ": " << r.error().message;
  EXPECT_EQ(r.error().field, c.field) << c.name;
}

std::string Deep(int depth) {
  std::string s =
      R"({"source":"web","category":"01","title":"t","location":{"lon":1,"lat":2},"x":)";
  s += std::string(static_cast<std::size_t>(depth), '[');
  s += std::string(static_cast<std::size_t>(depth), ']');
  s += "}";
  return s;
}

std::string WithTitle(std::string raw_title_json) {
  return R"({"source":"web","category":"01","title":)" + raw_title_json +
         R"(,"location":{"lon":1,"lat":2}})";
}

const BadCase kBadCreates[] = {
    {"empty", "", ErrorCode::kMalformed, "invalid_json", ""},
    {"whitespace", "  \n", ErrorCode::kMalformed, "invalid_json", ""},
    {"not_json", "hello", ErrorCode::kMalformed, "invalid_json", ""},
    {"array", "[1,2]", ErrorCode::kMalformed, "wrong_type", ""},
    {"string", "\"x\"", ErrorCode::kMalformed, "wrong_type", ""},
    {"truncated", R"({"source":"web","title":"x")", ErrorCode::kMalformed, "invalid_json", ""},
    {"trailing_garbage",
     R"({"source":"web","category":"01","title":"t","location":{"lon":1,"lat":2}} x)",
     ErrorCode::kMalformed, "invalid_json", ""},
    {"two_objects",
     R"({"source":"web","category":"01","title":"t","location":{"lon":1,"lat":2}}{})",
     ErrorCode::kMalformed, "invalid_json", ""},
    {"trailing_comma",
     R"({"source":"web","category":"01","title":"t","location":{"lon":1,"lat":2},})",
     ErrorCode::kMalformed, "invalid_json", ""},
    {"bad_atom_in_unknown",
     R"({"source":"web","category":"01","title":"t","location":{"lon":1,"lat":2},"x":tru})",
     ErrorCode::kMalformed, "invalid_json", "x"},
    {"bad_number_in_unknown",
     R"({"source":"web","category":"01","title":"t","location":{"lon":1,"lat":2},"x":01})",
     ErrorCode::kMalformed, "invalid_json", "x"},
    {"missing_source", R"({"category":"01","title":"t","location":{"lon":1,"lat":2}})",
     ErrorCode::kMalformed, "missing_field", "source"},
    {"missing_category", R"({"source":"web","title":"t","location":{"lon":1,"lat":2}})",
     ErrorCode::kMalformed, "missing_field", "category"},
    {"missing_title", R"({"source":"web","category":"01","location":{"lon":1,"lat":2}})",
     ErrorCode::kMalformed, "missing_field", "title"},
    {"missing_location", R"({"source":"web","category":"01","title":"t"})", ErrorCode::kMalformed,
     "missing_field", "location"},
    {"missing_lon", R"({"source":"web","category":"01","title":"t","location":{"lat":2}})",
     ErrorCode::kMalformed, "missing_field", "location.lon"},
    {"missing_lat", R"({"source":"web","category":"01","title":"t","location":{"lon":2}})",
     ErrorCode::kMalformed, "missing_field", "location.lat"},
    {"title_number", WithTitle("5"), ErrorCode::kMalformed, "wrong_type", "title"},
    {"title_object", WithTitle("{}"), ErrorCode::kMalformed, "wrong_type", "title"},
    {"source_number", R"({"source":1,"category":"01","title":"t","location":{"lon":1,"lat":2}})",
     ErrorCode::kMalformed, "wrong_type", "source"},
    {"location_string", R"({"source":"web","category":"01","title":"t","location":"somewhere"})",
     ErrorCode::kMalformed, "wrong_type", "location"},
    {"lon_string",
     R"({"source":"web","category":"01","title":"t","location":{"lon":"123.4","lat":2}})",
     ErrorCode::kMalformed, "wrong_type", "location.lon"},
    {"lat_bool", R"({"source":"web","category":"01","title":"t","location":{"lon":1,"lat":true}})",
     ErrorCode::kMalformed, "wrong_type", "location.lat"},
    {"lon_huge", R"({"source":"web","category":"01","title":"t","location":{"lon":1e400,"lat":2}})",
     ErrorCode::kMalformed, "number_out_of_range", "location.lon"},
    {"priority_float",
     R"({"source":"web","category":"01","title":"t","priority":1.5,"location":{"lon":1,"lat":2}})",
     ErrorCode::kMalformed, "wrong_type", "priority"},
    {"priority_huge",
     R"({"source":"web","category":"01","title":"t","priority":4294967296,"location":{"lon":1,"lat":2}})",
     ErrorCode::kMalformed, "number_out_of_range", "priority"},
    {"priority_beyond_int64",
     R"({"source":"web","category":"01","title":"t","priority":99999999999999999999,"location":{"lon":1,"lat":2}})",
     ErrorCode::kMalformed, "number_out_of_range", "priority"},
    {"priority_beyond_uint64",
     R"({"source":"web","category":"01","title":"t","priority":999999999999999999999999,"location":{"lon":1,"lat":2}})",
     ErrorCode::kMalformed, "number_out_of_range", "priority"},
    {"duplicate_key",
     R"({"source":"web","source":"hotline","category":"01","title":"t","location":{"lon":1,"lat":2}})",
     ErrorCode::kMalformed, "duplicate_key", "source"},
    {"duplicate_key_escaped",
     R"({"title":"a","ti\u0074le":"b","source":"web","category":"01","location":{"lon":1,"lat":2}})",
     ErrorCode::kMalformed, "duplicate_key", "title"},
    {"duplicate_nested_key",
     R"({"source":"web","category":"01","title":"t","location":{"lon":1,"lat":2,"lon":3}})",
     ErrorCode::kMalformed, "duplicate_key", "location.lon"},
    {"duplicate_unknown_key",
     R"({"source":"web","category":"01","title":"t","location":{"lon":1,"lat":2},"x":1,"x":2})",
     ErrorCode::kMalformed, "duplicate_key", "x"},
    {"invalid_utf8", WithTitle("\"\xff\xfe\""), ErrorCode::kMalformed, "invalid_utf8", ""},
    {"overlong_slash", WithTitle("\"\xc0\xaf\""), ErrorCode::kMalformed, "invalid_utf8", ""},
    {"overlong_nul", WithTitle("\"\xc0\x80\""), ErrorCode::kMalformed, "invalid_utf8", ""},
    {"overlong_3byte", WithTitle("\"\xe0\x80\xaf\""), ErrorCode::kMalformed, "invalid_utf8", ""},
    {"utf16_surrogate_bytes", WithTitle("\"\xed\xa0\x80\""), ErrorCode::kMalformed, "invalid_utf8",
     ""},
    {"beyond_unicode", WithTitle("\"\xf4\x90\x80\x80\""), ErrorCode::kMalformed, "invalid_utf8",
     ""},
    {"truncated_sequence", WithTitle("\"\xe4\xba\""), ErrorCode::kMalformed, "invalid_utf8", ""},
    {"invalid_utf8_in_key", "{\"\xff\":1}", ErrorCode::kMalformed, "invalid_utf8", ""},
    {"lone_surrogate_escape", WithTitle(R"("\ud800")"), ErrorCode::kMalformed, "invalid_json",
     "title"},
    {"raw_control_char", WithTitle("\"a\nb\""), ErrorCode::kMalformed, "invalid_json", ""},
    {"too_deep", Deep(100), ErrorCode::kMalformed, "too_deep", "x"},
    {"very_deep", Deep(100000), ErrorCode::kMalformed, "too_deep", "x"},
    {"attachments_object",
     R"({"source":"web","category":"01","title":"t","location":{"lon":1,"lat":2},"attachments":{}})",
     ErrorCode::kMalformed, "wrong_type", "attachments"},
    {"attachment_not_object",
     R"({"source":"web","category":"01","title":"t","location":{"lon":1,"lat":2},"attachments":["x"]})",
     ErrorCode::kMalformed, "wrong_type", "attachments[0]"},
    {"attachment_without_url",
     R"({"source":"web","category":"01","title":"t","location":{"lon":1,"lat":2},"attachments":[{"type":"photo"}]})",
     ErrorCode::kMalformed, "missing_field", "attachments[0].url"},
    {"unknown_source",
     R"({"source":"fax","category":"01","title":"t","location":{"lon":1,"lat":2}})",
     ErrorCode::kInvalidArgument, "unknown_source", "source"},
};

INSTANTIATE_TEST_SUITE_P(All, DecodeCreateEventBadTest, ::testing::ValuesIn(kBadCreates),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(DecodeCreateEventTest, SemanticRangesAreLeftToTheService) {
  // Out-of-range coordinates and long titles are well-formed: the use case answers 422.
  auto c = DecodeCreateEvent(WithTitle("\"" + std::string(300, 'x') + "\""));
  ASSERT_TRUE(c) << c.error().message;
  auto far = DecodeCreateEvent(
      R"({"source":"web","category":"01","title":"t","location":{"lon":500,"lat":-100}})");
  ASSERT_TRUE(far) << far.error().message;
  EXPECT_DOUBLE_EQ(*far->lon, 500);
}

TEST(DecodeCreateEventTest, ManyKeysDoNotTakeQuadraticTime) {
  std::string body = R"({"source":"web","category":"01","title":"t","location":{"lon":1,"lat":2})";
  for (int i = 0; i < 50000; ++i) body += ",\"k" + std::to_string(i) + "\":0";
  body += "}";
  auto c = DecodeCreateEvent(body);
  ASSERT_TRUE(c) << c.error().message;
  body.insert(body.size() - 1, ",\"k49999\":1");
  auto dup = DecodeCreateEvent(body);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().reason, "duplicate_key");
}

TEST(DecodeActionRequestTest, DecodesEveryField) {
  auto a = DecodeActionRequest(
      R"({"action":"dispatch","expected_version":3,"note":"请处理","department":12,"target":7,)"
      R"("passed":false,"rating":5,"level":2,"attachments":[{"type":"photo","url":"u"}],)"
      R"("deadline":"2026-03-05T17:30:00+08:00"})");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->action, EventAction::kDispatch);
  EXPECT_EQ(a->expected_version, 3);
  EXPECT_EQ(a->note, "请处理");
  EXPECT_EQ(a->department, 12);
  EXPECT_EQ(a->target, 7);
  ASSERT_TRUE(a->passed.has_value());
  EXPECT_FALSE(*a->passed);
  EXPECT_EQ(a->rating, 5);
  EXPECT_EQ(a->level, 2);
  ASSERT_EQ(a->attachments.size(), 1u);
  ASSERT_TRUE(a->deadline.has_value());
  EXPECT_EQ(*a->deadline, *ParseIso("2026-03-05T09:30:00Z"));
}

TEST(DecodeActionRequestTest, EveryActionNameButReport) {
  for (int i = 0; i < kEventActionCount; ++i) {
    auto action = static_cast<EventAction>(i);
    std::string body =
        R"({"action":")" + std::string(ActionName(action)) + R"(","expected_version":1})";
    auto a = DecodeActionRequest(body);
    if (action == EventAction::kReport) {
      ASSERT_FALSE(a);
      EXPECT_EQ(a.error().code, ErrorCode::kInvalidArgument);
    } else {
      ASSERT_TRUE(a) << body;
      EXPECT_EQ(a->action, action);
    }
  }
}

class DecodeActionBadTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(DecodeActionBadTest, Refuses) {
  const BadCase& c = GetParam();
  auto r = DecodeActionRequest(c.body);
  ASSERT_FALSE(r) << c.name;
  EXPECT_EQ(r.error().code, c.code) << c.name << ": " << r.error().message;
  EXPECT_EQ(r.error().reason, c.reason) << c.name << ": " << r.error().message;
  EXPECT_EQ(r.error().field, c.field) << c.name;
}

const BadCase kBadActions[] = {
    {"missing_action", R"({"expected_version":1})", ErrorCode::kMalformed, "missing_field",
     "action"},
    {"missing_version", R"({"action":"accept"})", ErrorCode::kMalformed, "missing_field",
     "expected_version"},
    {"null_version", R"({"action":"accept","expected_version":null})", ErrorCode::kMalformed,
     "missing_field", "expected_version"},
    {"version_string", R"({"action":"accept","expected_version":"1"})", ErrorCode::kMalformed,
     "wrong_type", "expected_version"},
    {"version_float", R"({"action":"accept","expected_version":1.0})", ErrorCode::kMalformed,
     "wrong_type", "expected_version"},
    {"version_huge", R"({"action":"accept","expected_version":18446744073709551615})",
     ErrorCode::kMalformed, "number_out_of_range", "expected_version"},
    {"rating_string", R"({"action":"rate","expected_version":1,"rating":"5"})",
     ErrorCode::kMalformed, "wrong_type", "rating"},
    {"rating_huge", R"({"action":"rate","expected_version":1,"rating":2147483648})",
     ErrorCode::kMalformed, "number_out_of_range", "rating"},
    {"passed_string", R"({"action":"verify","expected_version":1,"passed":"yes"})",
     ErrorCode::kMalformed, "wrong_type", "passed"},
    {"department_object", R"({"action":"dispatch","expected_version":1,"department":{"id":1}})",
     ErrorCode::kMalformed, "wrong_type", "department"},
    {"duplicate_action", R"({"action":"accept","action":"reject","expected_version":1})",
     ErrorCode::kMalformed, "duplicate_key", "action"},
    {"unknown_action", R"({"action":"teleport","expected_version":1})", ErrorCode::kInvalidArgument,
     "unknown_action", "action"},
    {"report_is_not_an_action", R"({"action":"report","expected_version":1})",
     ErrorCode::kInvalidArgument, "unknown_action", "action"},
    {"bad_deadline", R"({"action":"extend","expected_version":1,"deadline":"next week"})",
     ErrorCode::kInvalidArgument, "invalid_time", "deadline"},
    {"deadline_number", R"({"action":"extend","expected_version":1,"deadline":1700000000})",
     ErrorCode::kMalformed, "wrong_type", "deadline"},
};

INSTANTIATE_TEST_SUITE_P(All, DecodeActionBadTest, ::testing::ValuesIn(kBadActions),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(DecodeLoginRequestTest, DecodesAndRefuses) {
  auto ok = DecodeLoginRequest(R"({"username":"operator","password":"p@ss 密码"})");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->username, "operator");
  EXPECT_EQ(ok->password, "p@ss 密码");
  auto missing = DecodeLoginRequest(R"({"username":"operator"})");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().field, "password");
  auto wrong = DecodeLoginRequest(R"({"username":1,"password":"x"})");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().reason, "wrong_type");
}

TEST(DecodeTest, ParserIsReusableAfterErrorsAndLargeBodies) {
  std::string big = std::string(R"({"source":"web","category":"01","title":")") +
                    std::string(500000, 'a') + R"(","location":{"lon":1,"lat":2}})";
  ASSERT_TRUE(DecodeCreateEvent(big));
  ASSERT_FALSE(DecodeCreateEvent("{"));
  auto small = DecodeCreateEvent(
      R"({"source":"web","category":"01","title":"t","location":{"lon":1,"lat":2}})");
  ASSERT_TRUE(small) << small.error().message;
  EXPECT_EQ(small->title, "t");
}

}  // namespace
}  // namespace civicgrid
