// Small text helpers the core needs without a JSON library.
#pragma once

#include <string>
#include <string_view>

namespace civicgrid {

// Appends `s` as a JSON string literal (quotes included). `s` must be valid UTF-8.
void AppendJsonString(std::string& out, std::string_view s);
// True when `s` is well-formed UTF-8 (no overlong forms, no surrogates, ≤ U+10FFFF).
bool IsValidUtf8(std::string_view s);
// Number of Unicode code points in valid UTF-8.
std::size_t Utf8Length(std::string_view s);
// Trims ASCII whitespace at both ends.
std::string_view Trim(std::string_view s);

}  // namespace civicgrid
