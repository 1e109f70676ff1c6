#include "core/people/id_number.h"

#include <gtest/gtest.h>

namespace civicgrid {
namespace {

std::string ReasonOf(std::string_view id) {
  auto r = ValidateIdNumber(id);
  return r ? "ok" : r.error().reason;
}

TEST(IdNumberTest, ValidNumbersPass) {
  EXPECT_EQ(ReasonOf("110101199003070011"), "ok");
  EXPECT_EQ(ReasonOf("440524198001010013"), "ok");
  EXPECT_EQ(ReasonOf("110105200002290013"), "ok") << "29 February of a leap year";
}

TEST(IdNumberTest, CheckDigitXInEitherCase) {
  auto upper = ValidateIdNumber("11010519491231002X");
  ASSERT_TRUE(upper);
  EXPECT_EQ(*upper, "11010519491231002X");
  auto lower = ValidateIdNumber("11010519491231002x");
  ASSERT_TRUE(lower);
  EXPECT_EQ(*lower, "11010519491231002X") << "canonical form has an upper-case X";
  EXPECT_EQ(IdNumberCheckDigit("11010519491231002"), 'X');
}

TEST(IdNumberTest, BadChecksum) {
  EXPECT_EQ(ReasonOf("110101199003070012"), "bad_checksum");
  EXPECT_EQ(ReasonOf("110105194912310021"), "bad_checksum") << "X expected, 1 given";
  EXPECT_EQ(ReasonOf("110101199003070010"), "bad_checksum");
}

TEST(IdNumberTest, BadDate) {
  EXPECT_EQ(ReasonOf("110101199013070016"), "bad_date") << "month 13";
  EXPECT_EQ(ReasonOf("110101199002300014"), "bad_date") << "30 February";
  EXPECT_EQ(ReasonOf("110105190002290010"), "bad_date") << "1900 is not a leap year";
  EXPECT_EQ(ReasonOf("110101199003000010"), "bad_date") << "day 0";
}

TEST(IdNumberTest, WrongLengthAndCharacters) {
  EXPECT_EQ(ReasonOf(""), "wrong_length");
  EXPECT_EQ(ReasonOf("11010119900307001"), "wrong_length");
  EXPECT_EQ(ReasonOf("1101011990030700111"), "wrong_length");
  EXPECT_EQ(ReasonOf("110101900307001"), "wrong_length") << "old 15-digit numbers";
  EXPECT_EQ(ReasonOf("1101011990030700A1"), "not_digits");
  EXPECT_EQ(ReasonOf("11010119900307001Y"), "not_digits");
  EXPECT_EQ(ValidateIdNumber("123").error().field, "id_number");
}

TEST(IdNumberTest, MaskKeepsFirstAndLastFour) {
  EXPECT_EQ(MaskIdNumber("110101199003071234"), "1101**********1234");
  EXPECT_EQ(MaskIdNumber("11010519491231002X"), "1101**********002X");
}

}  // namespace
}  // namespace civicgrid
