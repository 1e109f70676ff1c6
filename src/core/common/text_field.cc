#include "core/common/text_field.h"

#include "core/common/text.h"

namespace civicgrid {

Status CheckTextField(const std::string& value, std::size_t max_chars, const char* field,
                      bool required) {
  if (!IsValidUtf8(value)) {
    return Fail(ErrorCode::kMalformed, std::string(field) + " is not valid UTF-8", field,
                "invalid_utf8");
  }
  if (required && Trim(value).empty()) {
    return Fail(ErrorCode::kMalformed, std::string(field) + " is required", field, "missing_field");
  }
  if (Utf8Length(value) > max_chars) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(field) + " is longer than " + std::to_string(max_chars) + " characters",
                field);
  }
  return Status::Ok();
}

}  // namespace civicgrid
