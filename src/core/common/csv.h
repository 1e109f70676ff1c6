// CSV (RFC 4180) reading and writing for imports and exports: comma-separated, fields with a
// comma, quote or line break quoted ("" inside quotes is a quote), CRLF or LF line ends, an
// optional UTF-8 BOM at the start.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace civicgrid {

class CsvReader {
 public:
  explicit CsvReader(std::string_view text);
  // The next record into `fields`; false at the end. `malformed` is set when a quoted field is
  // not closed (the rest of the text is then one field).
  bool Next(std::vector<std::string>& fields, bool& malformed);
  // 1-based line number where the last record returned started.
  std::size_t line() const { return line_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t next_line_ = 1;
  std::size_t line_ = 0;
};

// Appends `value` as one CSV field (quoted when it needs to be).
void AppendCsvField(std::string& out, std::string_view value);
// Appends the fields as one record ending in CRLF.
void AppendCsvRecord(std::string& out, const std::vector<std::string>& fields);

}  // namespace civicgrid
