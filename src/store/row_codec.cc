#include "store/row_codec.h"

#include <charconv>
#include <cstdint>

#include "core/common/text.h"

namespace civicgrid {
namespace {

// A minimal JSON reader for the shapes this file writes.
class JsonReader {
 public:
  explicit JsonReader(std::string_view s) : s_(s) {}

  bool AtEnd() {
    SkipWs();
    return i_ == s_.size();
  }
  bool Consume(char c) {
    SkipWs();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }

  bool ReadString(std::string& out) {
    out.clear();
    if (!Consume('"')) return false;
    while (i_ < s_.size()) {
      const char c = s_[i_++];
      if (c == '"') return true;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (i_ >= s_.size()) return false;
      const char e = s_[i_++];
      switch (e) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          std::uint32_t cp;
          if (!ReadHex4(cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            std::uint32_t lo;
            if (i_ + 1 >= s_.size() || s_[i_] != '\\' || s_[i_ + 1] != 'u') return false;
            i_ += 2;
            if (!ReadHex4(lo) || lo < 0xDC00 || lo > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return false;
          }
          AppendUtf8(out, cp);
          break;
        }
        default: return false;
      }
    }
    return false;
  }

  bool ReadNumber(double& out) {
    SkipWs();
    const char* begin = s_.data() + i_;
    const char* end = s_.data() + s_.size();
    const auto [ptr, ec] = std::from_chars(begin, end, out);
    if (ec != std::errc()) return false;
    i_ += static_cast<std::size_t>(ptr - begin);
    return true;
  }

  // Skips one value of any type (for keys this reader does not know).
  bool SkipValue(int depth = 0) {
    if (depth > 32) return false;
    SkipWs();
    if (i_ >= s_.size()) return false;
    const char c = s_[i_];
    if (c == '"') {
      std::string ignored;
      return ReadString(ignored);
    }
    if (c == '[' || c == '{') {
      const char close = c == '[' ? ']' : '}';
      ++i_;
      if (Consume(close)) return true;
      do {
        if (c == '{') {
          std::string key;
          if (!ReadString(key) || !Consume(':')) return false;
        }
        if (!SkipValue(depth + 1)) return false;
      } while (Consume(','));
      return Consume(close);
    }
    std::size_t j = i_;
    while (j < s_.size() && s_[j] != ',' && s_[j] != ']' && s_[j] != '}' && s_[j] != ' ') ++j;
    if (j == i_) return false;
    i_ = j;
    return true;
  }

 private:
  void SkipWs() {
    while (i_ < s_.size() &&
           (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) {
      ++i_;
    }
  }
  bool ReadHex4(std::uint32_t& out) {
    if (i_ + 4 > s_.size()) return false;
    out = 0;
    for (int k = 0; k < 4; ++k) {
      const char h = s_[i_++];
      out <<= 4;
      if (h >= '0' && h <= '9') {
        out |= static_cast<std::uint32_t>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        out |= static_cast<std::uint32_t>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        out |= static_cast<std::uint32_t>(h - 'A' + 10);
      } else {
        return false;
      }
    }
    return true;
  }
  static void AppendUtf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

void AppendDouble(std::string& out, double v) {
  char buf[32];
  const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, ec == std::errc() ? ptr : buf);
}

Unexpected<Error> Corrupt(std::string_view what) {
  return Fail(ErrorCode::kInternal, "stored " + std::string(what) + " is not readable");
}

}  // namespace

std::string EncodeAttachments(const std::vector<Attachment>& attachments) {
  std::string out = "[";
  for (std::size_t i = 0; i < attachments.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += "{\"type\":";
    AppendJsonString(out, attachments[i].type);
    out += ",\"url\":";
    AppendJsonString(out, attachments[i].url);
    out.push_back('}');
  }
  out.push_back(']');
  return out;
}

Result<std::vector<Attachment>> DecodeAttachments(std::string_view json) {
  std::vector<Attachment> out;
  JsonReader r(json);
  if (r.AtEnd()) return out;
  if (!r.Consume('[')) return Corrupt("attachments");
  if (r.Consume(']'))
    return r.AtEnd() ? Result<std::vector<Attachment>>(std::move(out)) : Corrupt("attachments");
  do {
    if (!r.Consume('{')) return Corrupt("attachments");
    Attachment a;
    if (!r.Consume('}')) {
      do {
        std::string key;
        if (!r.ReadString(key) || !r.Consume(':')) return Corrupt("attachments");
        bool ok;
        if (key == "type") {
          ok = r.ReadString(a.type);
        } else if (key == "url") {
          ok = r.ReadString(a.url);
        } else {
          ok = r.SkipValue();
        }
        if (!ok) return Corrupt("attachments");
      } while (r.Consume(','));
      if (!r.Consume('}')) return Corrupt("attachments");
    }
    out.push_back(std::move(a));
  } while (r.Consume(','));
  if (!r.Consume(']') || !r.AtEnd()) return Corrupt("attachments");
  return out;
}

std::string EncodePolygon(const Polygon& polygon) {
  std::string out = "[";
  for (std::size_t i = 0; i < polygon.rings.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.push_back('[');
    const auto& ring = polygon.rings[i];
    for (std::size_t k = 0; k < ring.size(); ++k) {
      if (k > 0) out.push_back(',');
      out.push_back('[');
      AppendDouble(out, ring[k].lon);
      out.push_back(',');
      AppendDouble(out, ring[k].lat);
      out.push_back(']');
    }
    out.push_back(']');
  }
  out.push_back(']');
  return out;
}

Result<Polygon> DecodePolygon(std::string_view json) {
  Polygon out;
  JsonReader r(json);
  if (r.AtEnd()) return out;
  if (!r.Consume('[')) return Corrupt("polygon");
  if (r.Consume(']')) return r.AtEnd() ? Result<Polygon>(std::move(out)) : Corrupt("polygon");
  do {
    if (!r.Consume('[')) return Corrupt("polygon");
    std::vector<GeoPoint> ring;
    if (!r.Consume(']')) {
      do {
        GeoPoint p;
        if (!r.Consume('[') || !r.ReadNumber(p.lon) || !r.Consume(',') || !r.ReadNumber(p.lat) ||
            !r.Consume(']')) {
          return Corrupt("polygon");
        }
        ring.push_back(p);
      } while (r.Consume(','));
      if (!r.Consume(']')) return Corrupt("polygon");
    }
    out.rings.push_back(std::move(ring));
  } while (r.Consume(','));
  if (!r.Consume(']') || !r.AtEnd()) return Corrupt("polygon");
  return out;
}

}  // namespace civicgrid
