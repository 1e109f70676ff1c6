// Instants are UTC milliseconds since the Unix epoch inside; Asia/Shanghai (UTC+8, no daylight
// saving since 1991) for working-day arithmetic and display.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace civicgrid {

using TimeMs = std::int64_t;

inline constexpr TimeMs kMsPerSecond = 1000;
inline constexpr TimeMs kMsPerMinute = 60 * kMsPerSecond;
inline constexpr TimeMs kMsPerHour = 60 * kMsPerMinute;
inline constexpr TimeMs kMsPerDay = 24 * kMsPerHour;
inline constexpr TimeMs kShanghaiOffsetMs = 8 * kMsPerHour;

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  friend bool operator==(const CivilDate&, const CivilDate&) = default;
  friend auto operator<=>(const CivilDate&, const CivilDate&) = default;
};

// Days since 1970-01-01 for a proleptic Gregorian date, and back.
std::int64_t DaysFromCivil(CivilDate d);
CivilDate CivilFromDays(std::int64_t days);
// 0 = Monday ... 6 = Sunday.
int WeekdayFromDays(std::int64_t days);
bool IsValidDate(CivilDate d);

// "2026-03-05T17:30:00+08:00": the instant shown in Asia/Shanghai, whole seconds.
std::string FormatIsoShanghai(TimeMs t);
// "2026-03-05"
std::string FormatDate(CivilDate d);
// Accepts "YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM)" and a bare date "YYYY-MM-DD" (midnight in
// Asia/Shanghai). A date-time without an offset is read as Asia/Shanghai, as people there write it.
std::optional<TimeMs> ParseIso(std::string_view text);
std::optional<CivilDate> ParseDate(std::string_view text);

}  // namespace civicgrid
