#include "core/common/csv.h"

namespace civicgrid {

CsvReader::CsvReader(std::string_view text) : text_(text) {
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
}

bool CsvReader::Next(std::vector<std::string>& fields, bool& malformed) {
  fields.clear();
  malformed = false;
  // Skip blank lines between records.
  while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
    if (text_[pos_] == '\n') ++next_line_;
    ++pos_;
  }
  if (pos_ >= text_.size()) return false;
  line_ = next_line_;
  std::string field;
  bool quoted = false;
  while (true) {
    if (pos_ >= text_.size()) {
      if (quoted) malformed = true;
      fields.push_back(std::move(field));
      return true;
    }
    const char c = text_[pos_];
    if (quoted) {
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          field += '"';
          pos_ += 2;
          continue;
        }
        quoted = false;
        ++pos_;
        continue;
      }
      if (c == '\n') ++next_line_;
      field += c;
      ++pos_;
      continue;
    }
    if (c == '"' && field.empty()) {
      quoted = true;
      ++pos_;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      ++pos_;
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
      ++pos_;
      ++next_line_;
      fields.push_back(std::move(field));
      return true;
    } else {
      field += c;
      ++pos_;
    }
  }
}

void AppendCsvField(std::string& out, std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(value);
    return;
  }
  out += '"';
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void AppendCsvRecord(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    AppendCsvField(out, fields[i]);
  }
  out += "\r\n";
}

}  // namespace civicgrid
