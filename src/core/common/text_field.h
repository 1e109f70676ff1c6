// The checks every free-text field of a request gets in the core.
#pragma once

#include <cstddef>
#include <string>

#include "core/common/result.h"

namespace civicgrid {

// Valid UTF-8 (else 400 invalid_utf8), at most `max_chars` code points (else 422), and, when
// `required`, not blank (else 400 missing_field).
Status CheckTextField(const std::string& value, std::size_t max_chars, const char* field,
                      bool required);

}  // namespace civicgrid
