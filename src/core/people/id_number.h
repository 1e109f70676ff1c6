// The 18-digit resident identity number of GB 11643-1999: 6-digit address code, 8-digit birth
// date (YYYYMMDD), 3-digit sequence, and a check digit (0-9 or X) from the ISO 7064 MOD 11-2
// checksum over the first 17 digits.
#pragma once

#include <string>
#include <string_view>

#include "core/common/result.h"

namespace civicgrid {

// The number in canonical form (a lower-case 'x' check digit becomes 'X'), or kInvalidArgument
// with field "id_number" and reason "wrong_length", "not_digits", "bad_date" or "bad_checksum".
Result<std::string> ValidateIdNumber(std::string_view text);
// The check digit ('0'-'9' or 'X') for the first 17 digits.
char IdNumberCheckDigit(std::string_view first17);
// "110101199003071234" -> "1101**********1234": the first four and last four characters.
std::string MaskIdNumber(std::string_view id_number);

}  // namespace civicgrid
