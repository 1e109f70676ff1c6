#include "core/common/time.h"

#include <cstdio>

namespace civicgrid {

// Civil-date arithmetic after H. Hinnant's public-domain "chrono-compatible low-level date
// algorithms": eras of 400 years make the leap rule a closed form.
std::int64_t DaysFromCivil(CivilDate d) {
  const std::int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (d.month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return CivilDate{static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)};
}

int WeekdayFromDays(std::int64_t days) {
  // 1970-01-01 was a Thursday (3 when Monday is 0).
  const std::int64_t w = (days + 3) % 7;
  return static_cast<int>(w < 0 ? w + 7 : w);
}

bool IsValidDate(CivilDate d) {
  if (d.year < 1 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
  const int max_day = d.month == 2 && leap ? 29 : kDays[d.month - 1];
  return d.day <= max_day;
}

namespace {

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

bool ReadDigits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

std::string FormatDate(CivilDate d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

std::string FormatIsoShanghai(TimeMs t) {
  const TimeMs local = t + kShanghaiOffsetMs;
  const std::int64_t days = FloorDiv(local, kMsPerDay);
  const std::int64_t ms_of_day = local - days * kMsPerDay;
  const CivilDate d = CivilFromDays(days);
  const int secs = static_cast<int>(ms_of_day / kMsPerSecond);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", d.year, d.month, d.day,
                secs / 3600, secs / 60 % 60, secs % 60);
  return buf;
}

std::optional<CivilDate> ParseDate(std::string_view s) {
  CivilDate d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!ReadDigits(s, 0, 4, d.year) || !ReadDigits(s, 5, 2, d.month) ||
      !ReadDigits(s, 8, 2, d.day) || !IsValidDate(d)) {
    return std::nullopt;
  }
  return d;
}

std::optional<TimeMs> ParseIso(std::string_view s) {
  auto date = ParseDate(s.substr(0, 10));
  if (!date) return std::nullopt;
  const TimeMs day_start = DaysFromCivil(*date) * kMsPerDay;
  if (s.size() == 10) return day_start - kShanghaiOffsetMs;
  if (s[10] != 'T' && s[10] != ' ') return std::nullopt;
  int hh = 0, mm = 0, ss = 0;
  if (!ReadDigits(s, 11, 2, hh) || s.size() < 16 || s[13] != ':' || !ReadDigits(s, 14, 2, mm)) {
    return std::nullopt;
  }
  std::size_t pos = 16;
  TimeMs frac_ms = 0;
  if (pos < s.size() && s[pos] == ':') {
    if (!ReadDigits(s, pos + 1, 2, ss)) return std::nullopt;
    pos += 3;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      int scale = 100;
      const std::size_t start = pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        frac_ms += (s[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
      if (pos == start) return std::nullopt;
    }
  }
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  TimeMs offset = kShanghaiOffsetMs;
  if (pos == s.size()) {
    // no offset: Asia/Shanghai
  } else if (s[pos] == 'Z' && pos + 1 == s.size()) {
    offset = 0;
  } else if ((s[pos] == '+' || s[pos] == '-') && s.size() == pos + 6 && s[pos + 3] == ':') {
    int oh = 0, om = 0;
    if (!ReadDigits(s, pos + 1, 2, oh) || !ReadDigits(s, pos + 4, 2, om) || oh > 14 || om > 59) {
      return std::nullopt;
    }
    offset = (oh * kMsPerHour + om * kMsPerMinute) * (s[pos] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  return day_start + hh * kMsPerHour + mm * kMsPerMinute + ss * kMsPerSecond + frac_ms - offset;
}

}  // namespace civicgrid
