#include <gtest/gtest.h>

#include <string>

#include "core/common/text.h"

namespace civicgrid {
namespace {

std::string Json(std::string_view s) {
  std::string out = "x";  // appends to what is there
  AppendJsonString(out, s);
  return out;
}

TEST(AppendJsonString, QuotesPlainAndChineseTextAsItIs) {
  EXPECT_EQ(Json(""), "x\"\"");
  EXPECT_EQ(Json("abc"), "x\"abc\"");
  EXPECT_EQ(Json("小区东门井盖缺失"), "x\"小区东门井盖缺失\"");
}

TEST(AppendJsonString, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(Json("say \"hi\""), "x\"say \\\"hi\\\"\"");
  EXPECT_EQ(Json("C:\\dir"), "x\"C:\\\\dir\"");
  EXPECT_EQ(Json("a\nb\rc\td"), "x\"a\\nb\\rc\\td\"");
  EXPECT_EQ(Json(std::string("\x01\x1f", 2)), "x\"\\u0001\\u001f\"");
  EXPECT_EQ(Json(std::string("\0", 1)), "x\"\\u0000\"");
  // Escapes at the start, the end and side by side, between runs of plain text.
  EXPECT_EQ(Json("\"井盖\\\n"), "x\"\\\"井盖\\\\\\n\"");
  EXPECT_EQ(Json("\x7f"), "x\"\x7f\"");  // DEL is no control character for JSON
}

}  // namespace
}  // namespace civicgrid
