#include "store/row_codec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace civicgrid {
namespace {

TEST(RowCodec, AttachmentsRoundTrip) {
  const std::vector<Attachment> in = {
      {"photo", "https://x.test/a.jpg?q=\"1\"&r=中文"}, {"video", "a\\b\n\t\x01"}, {"", ""}};
  const std::string json = EncodeAttachments(in);
  auto out = DecodeAttachments(json);
  ASSERT_TRUE(out) << json;
  ASSERT_EQ(out->size(), in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ((*out)[i].type, in[i].type);
    EXPECT_EQ((*out)[i].url, in[i].url);
  }
  EXPECT_EQ(EncodeAttachments({}), "[]");
  EXPECT_TRUE(DecodeAttachments("[]")->empty());
  EXPECT_TRUE(DecodeAttachments("")->empty());
}

TEST(RowCodec, AttachmentsReadEscapesAndSkipUnknownKeys) {
  auto out = DecodeAttachments(
      R"([ {"type":"photo","size":[1,{"a":null}],"url":"\u4e95\ud83d\ude00\/x"} ])");
  ASSERT_TRUE(out);
  ASSERT_EQ(out->size(), 1u);
  EXPECT_EQ((*out)[0].type, "photo");
  EXPECT_EQ((*out)[0].url, "井😀/x");
  for (const char* bad :
       {"[", "{}", "[{\"type\":1}]", "[{\"type\":\"a\"}", "[]x", "[\"\\ud800\"]"}) {
    EXPECT_FALSE(DecodeAttachments(bad)) << bad;
  }
}

TEST(RowCodec, PolygonsRoundTripExactly) {
  Polygon in;
  in.rings = {{{123.45678901234567, 41.8},
               {0.1 + 0.2, -0.0},
               {1e-300, -1.7976931348623157e308},
               {123.45678901234567, 41.8}},
              {},
              {{std::nextafter(1.0, 2.0), 5e-324}}};
  const std::string json = EncodePolygon(in);
  auto out = DecodePolygon(json);
  ASSERT_TRUE(out) << json;
  ASSERT_EQ(out->rings.size(), in.rings.size());
  for (std::size_t r = 0; r < in.rings.size(); ++r) {
    ASSERT_EQ(out->rings[r].size(), in.rings[r].size());
    for (std::size_t k = 0; k < in.rings[r].size(); ++k) {
      EXPECT_EQ(out->rings[r][k].lon, in.rings[r][k].lon);
      EXPECT_EQ(out->rings[r][k].lat, in.rings[r][k].lat);
      EXPECT_EQ(std::signbit(out->rings[r][k].lat), std::signbit(in.rings[r][k].lat));
    }
  }
  EXPECT_EQ(EncodePolygon({}), "[]");
  EXPECT_TRUE(DecodePolygon("[]")->rings.empty());
  EXPECT_FALSE(DecodePolygon("[[[1]]]"));
  EXPECT_FALSE(DecodePolygon("[[[1,x]]]"));
}

}  // namespace
}  // namespace civicgrid
