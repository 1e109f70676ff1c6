#include "core/people/id_number.h"

namespace civicgrid {

namespace {

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool IsValidBirthDate(std::string_view yyyymmdd) {
  const int year = std::stoi(std::string(yyyymmdd.substr(0, 4)));
  const int month = std::stoi(std::string(yyyymmdd.substr(4, 2)));
  const int day = std::stoi(std::string(yyyymmdd.substr(6, 2)));
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int days = month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
  return day <= days;
}

Unexpected<Error> Invalid(std::string message, std::string reason) {
  return Fail(ErrorCode::kInvalidArgument, std::move(message), "id_number", std::move(reason));
}

}  // namespace

char IdNumberCheckDigit(std::string_view first17) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kDigits[] = "10X98765432";
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[static_cast<std::size_t>(i)] - '0') * kWeights[i];
  return kDigits[sum % 11];
}

Result<std::string> ValidateIdNumber(std::string_view text) {
  if (text.size() != 18) {
    return Invalid("the ID number must have 18 characters, not " + std::to_string(text.size()),
                   "wrong_length");
  }
  std::string id(text);
  for (std::size_t i = 0; i < 17; ++i) {
    if (id[i] < '0' || id[i] > '9') {
      return Invalid("the first 17 characters of the ID number must be digits", "not_digits");
    }
  }
  if (id[17] == 'x') id[17] = 'X';
  if (!((id[17] >= '0' && id[17] <= '9') || id[17] == 'X')) {
    return Invalid("the check digit of the ID number must be 0-9 or X", "not_digits");
  }
  if (!IsValidBirthDate(std::string_view(id).substr(6, 8))) {
    return Invalid("the ID number holds no valid birth date", "bad_date");
  }
  if (IdNumberCheckDigit(id) != id[17]) {
    return Invalid("the check digit of the ID number is wrong", "bad_checksum");
  }
  return id;
}

std::string MaskIdNumber(std::string_view id) {
  if (id.size() <= 8) return std::string(id.size(), '*');
  return std::string(id.substr(0, 4)) + std::string(id.size() - 8, '*') +
         std::string(id.substr(id.size() - 4));
}

}  // namespace civicgrid
