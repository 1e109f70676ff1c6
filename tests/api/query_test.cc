#include "api/query.h"

#include <gtest/gtest.h>

#include "api/api.h"

namespace civicgrid {
namespace {

TEST(PercentDecodeTest, Decodes) {
  EXPECT_EQ(*PercentDecode("a%20b+c", true), "a b c");
  EXPECT_EQ(*PercentDecode("a%20b+c", false), "a b+c");
  EXPECT_EQ(*PercentDecode("%E4%BA%95%E7%9B%96", true), "井盖");
  EXPECT_EQ(*PercentDecode("%2e%2E", false), "..");
  EXPECT_FALSE(PercentDecode("%", true));
  EXPECT_FALSE(PercentDecode("%4", true));
  EXPECT_FALSE(PercentDecode("%zz", true));
  EXPECT_FALSE(PercentDecode("abc%", true));
}

TEST(QueryParamsTest, ParsesAndKeepsFirstValue) {
  auto q =
      QueryParams::Parse("status=reported,accepted&q=%E4%BA%95%E7%9B%96&limit=10&limit=20&flag&=x");
  ASSERT_TRUE(q);
  EXPECT_EQ(*q->Get("status"), "reported,accepted");
  EXPECT_EQ(*q->Get("q"), "井盖");
  EXPECT_EQ(*q->Get("limit"), "10");
  EXPECT_EQ(*q->Get("flag"), "");
  EXPECT_FALSE(q->Get("missing"));
  EXPECT_TRUE(QueryParams::Parse("")->empty());
}

TEST(QueryParamsTest, RefusesBadEscapesAndInvalidUtf8) {
  auto bad = QueryParams::Parse("q=%zz");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kMalformed);
  auto utf8 = QueryParams::Parse("q=%ff%fe");
  ASSERT_FALSE(utf8);
  EXPECT_EQ(utf8.error().reason, "invalid_utf8");
  EXPECT_FALSE(QueryParams::Parse("q=%C0%AF"));  // overlong '/'
}

TEST(ParseIntTest, PositiveAndNonNegative) {
  EXPECT_EQ(*ParsePositiveInt("1"), 1);
  EXPECT_EQ(*ParsePositiveInt("9223372036854775807"), INT64_MAX);
  EXPECT_FALSE(ParsePositiveInt("9223372036854775808"));
  EXPECT_FALSE(ParsePositiveInt("0"));
  EXPECT_FALSE(ParsePositiveInt("-1"));
  EXPECT_FALSE(ParsePositiveInt("+1"));
  EXPECT_FALSE(ParsePositiveInt("1a"));
  EXPECT_FALSE(ParsePositiveInt(" 1"));
  EXPECT_FALSE(ParsePositiveInt(""));
  EXPECT_FALSE(ParsePositiveInt("99999999999999999999999"));
  EXPECT_EQ(*ParseNonNegativeInt("0"), 0);
}

TEST(CursorTest, RoundTripsAndRefusesForgeries) {
  for (std::int64_t id : {1LL, 9LL, 10LL, 123LL, 4567LL, 1000000LL, 9223372036854775807LL}) {
    std::string c = EncodeCursor(id);
    for (char ch : c) {
      EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_') << c;
    }
    auto back = DecodeCursor(c);
    ASSERT_TRUE(back) << c;
    EXPECT_EQ(*back, id);
  }
  EXPECT_FALSE(DecodeCursor(""));
  EXPECT_FALSE(DecodeCursor("!!!"));
  EXPECT_FALSE(DecodeCursor("MA"));    // "0"
  EXPECT_FALSE(DecodeCursor("LTE"));   // "-1"
  EXPECT_FALSE(DecodeCursor("YWJj"));  // "abc"
  EXPECT_FALSE(DecodeCursor("MTIz="));
  EXPECT_FALSE(DecodeCursor(std::string(100, 'M')));
  std::string c = EncodeCursor(123);
  c.back() = c.back() == 'z' ? 'y' : 'z';
  EXPECT_FALSE(DecodeCursor(c).has_value() && *DecodeCursor(c) == 123);
}

TEST(BearerTokenTest, Parses) {
  EXPECT_EQ(BearerToken("Bearer abc"), "abc");
  EXPECT_EQ(BearerToken("bearer  abc "), "abc");
  EXPECT_EQ(BearerToken("BEARER abc"), "abc");
  EXPECT_EQ(BearerToken("Basic abc"), "");
  EXPECT_EQ(BearerToken("Bearer"), "");
  EXPECT_EQ(BearerToken("Bearer "), "");
  EXPECT_EQ(BearerToken(""), "");
}

}  // namespace
}  // namespace civicgrid
