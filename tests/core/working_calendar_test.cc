#include "core/routing/working_calendar.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace civicgrid {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TimeMs At(std::string_view iso) {
  const std::optional<TimeMs> t = ParseIso(iso);
  EXPECT_TRUE(t.has_value()) << iso;
  return t.value_or(0);
}

class WorkingCalendarTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* year : {"2024", "2025", "2026"}) {
      const std::string path =
          std::string(CIVICGRID_SOURCE_DIR) + "/data/calendar/cn-" + year + ".csv";
      const std::string text = ReadFile(path);
      ASSERT_FALSE(text.empty()) << path;
      const Status s = calendar_.LoadCsv(text);
      ASSERT_TRUE(s.ok()) << path << ": " << s.error().message;
    }
  }

  // The deadline shown in Shanghai time, so failures read like the SPEC.
  std::string Due(std::string_view start, int amount, TimeUnit unit) const {
    return FormatIsoShanghai(calendar_.Deadline(At(start), amount, unit));
  }

  bool Working(int y, int m, int d) const { return calendar_.IsWorkingDay(CivilDate{y, m, d}); }

  WorkingCalendar calendar_;
};

constexpr TimeUnit kH = TimeUnit::kHours;
constexpr TimeUnit kWh = TimeUnit::kWorkingHours;
constexpr TimeUnit kWd = TimeUnit::kWorkingDays;

TEST_F(WorkingCalendarTest, SpecExample) {
  EXPECT_EQ(Due("2026-03-02T10:00:00+08:00", 3, kWd), "2026-03-05T17:30:00+08:00");
}

struct Case {
  const char* start;
  int amount;
  TimeUnit unit;
  const char* due;
};

void CheckCases(const WorkingCalendar& calendar, const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    EXPECT_EQ(FormatIsoShanghai(calendar.Deadline(At(c.start), c.amount, c.unit)), c.due)
        << c.start << " + " << c.amount << " " << TimeUnitName(c.unit);
  }
}

TEST_F(WorkingCalendarTest, WorkingDaysSkipWeekends) {
  CheckCases(calendar_, {
                            {"2026-03-06T10:00:00+08:00", 1, kWd, "2026-03-09T17:30:00+08:00"},
                            {"2026-03-07T10:00:00+08:00", 1, kWd, "2026-03-09T17:30:00+08:00"},
                            {"2026-03-08T23:59:00+08:00", 1, kWd, "2026-03-09T17:30:00+08:00"},
                            {"2026-03-06T23:30:00+08:00", 5, kWd, "2026-03-13T17:30:00+08:00"},
                            // 2026-03-06T16:00Z is already Saturday in Shanghai.
                            {"2026-03-06T16:00:00Z", 1, kWd, "2026-03-09T17:30:00+08:00"},
                            {"2026-03-06T15:59:00Z", 1, kWd, "2026-03-09T17:30:00+08:00"},
                            {"2026-03-05T16:00:00Z", 1, kWd, "2026-03-09T17:30:00+08:00"},
                        });
  EXPECT_FALSE(Working(2026, 3, 7));
  EXPECT_FALSE(Working(2026, 3, 8));
  EXPECT_TRUE(Working(2026, 3, 9));
}

TEST_F(WorkingCalendarTest, SpringFestival2026WithMakeUpSaturdays) {
  // Holidays Sun 02-15 .. Mon 02-23; make-up working Saturdays 02-14 and 02-28.
  EXPECT_TRUE(Working(2026, 2, 13));
  EXPECT_TRUE(Working(2026, 2, 14));
  for (int d = 15; d <= 23; ++d) EXPECT_FALSE(Working(2026, 2, d)) << d;
  EXPECT_TRUE(Working(2026, 2, 24));
  EXPECT_TRUE(Working(2026, 2, 28));
  EXPECT_FALSE(Working(2026, 3, 1));
  CheckCases(calendar_, {
                            {"2026-02-13T10:00:00+08:00", 1, kWd, "2026-02-14T17:30:00+08:00"},
                            {"2026-02-13T10:00:00+08:00", 2, kWd, "2026-02-24T17:30:00+08:00"},
                            {"2026-02-14T10:00:00+08:00", 1, kWd, "2026-02-24T17:30:00+08:00"},
                            {"2026-02-18T10:00:00+08:00", 1, kWd, "2026-02-24T17:30:00+08:00"},
                            {"2026-02-25T10:00:00+08:00", 3, kWd, "2026-02-28T17:30:00+08:00"},
                            {"2026-02-25T10:00:00+08:00", 4, kWd, "2026-03-02T17:30:00+08:00"},
                            {"2026-02-10T09:00:00+08:00", 10, kWd, "2026-03-02T17:30:00+08:00"},
                            // Friday 16:30: one hour on Friday, one on the make-up Saturday.
                            {"2026-02-13T16:30:00+08:00", 2, kWh, "2026-02-14T09:30:00+08:00"},
                            {"2026-02-14T16:30:00+08:00", 2, kWh, "2026-02-24T09:30:00+08:00"},
                        });
}

TEST_F(WorkingCalendarTest, NationalDayWeeks) {
  // 2026: Mid-Autumn Fri 09-25 .. Sun 09-27, National Day Thu 10-01 .. Wed 10-07, make-up
  // Sunday 09-20 and Saturday 10-10.
  EXPECT_TRUE(Working(2026, 9, 20));
  EXPECT_FALSE(Working(2026, 9, 25));
  EXPECT_FALSE(Working(2026, 10, 5));
  EXPECT_TRUE(Working(2026, 10, 10));
  EXPECT_FALSE(Working(2026, 10, 11));
  CheckCases(calendar_, {
                            {"2026-09-19T10:00:00+08:00", 1, kWd, "2026-09-20T17:30:00+08:00"},
                            {"2026-09-24T10:00:00+08:00", 1, kWd, "2026-09-28T17:30:00+08:00"},
                            {"2026-09-30T10:00:00+08:00", 1, kWd, "2026-10-08T17:30:00+08:00"},
                            {"2026-09-30T10:00:00+08:00", 3, kWd, "2026-10-10T17:30:00+08:00"},
                            {"2026-09-30T10:00:00+08:00", 4, kWd, "2026-10-12T17:30:00+08:00"},
                            {"2026-09-30T16:30:00+08:00", 2, kWh, "2026-10-08T09:30:00+08:00"},
                            // 2025: National Day and Mid-Autumn 10-01 .. 10-08, make-up Sunday
                            // 09-28 and Saturday 10-11.
                            {"2025-09-27T10:00:00+08:00", 1, kWd, "2025-09-28T17:30:00+08:00"},
                            {"2025-09-30T10:00:00+08:00", 1, kWd, "2025-10-09T17:30:00+08:00"},
                            {"2025-09-30T10:00:00+08:00", 3, kWd, "2025-10-11T17:30:00+08:00"},
                            // 2024: 10-01 .. 10-07, make-up Sunday 09-29 and Saturday 10-12.
                            {"2024-09-28T10:00:00+08:00", 1, kWd, "2024-09-29T17:30:00+08:00"},
                            {"2024-09-30T10:00:00+08:00", 1, kWd, "2024-10-08T17:30:00+08:00"},
                            {"2024-09-30T10:00:00+08:00", 5, kWd, "2024-10-12T17:30:00+08:00"},
                        });
}

TEST_F(WorkingCalendarTest, YearBoundaries) {
  CheckCases(calendar_, {
                            // 2026-01-01 .. 03 off, Sunday 01-04 a make-up working day.
                            {"2025-12-31T10:00:00+08:00", 1, kWd, "2026-01-04T17:30:00+08:00"},
                            {"2025-12-31T10:00:00+08:00", 2, kWd, "2026-01-05T17:30:00+08:00"},
                            {"2025-12-31T17:00:00+08:00", 1, kWh, "2026-01-04T09:00:00+08:00"},
                            // 2025-01-01 (Wednesday) off.
                            {"2024-12-31T10:00:00+08:00", 1, kWd, "2025-01-02T17:30:00+08:00"},
                            {"2024-12-31T10:00:00+08:00", 3, kWd, "2025-01-06T17:30:00+08:00"},
                            // 1.5 h on 12-31, then 3.5 h from 01-02 08:30, ending exactly at noon.
                            {"2024-12-31T16:00:00+08:00", 5, kWh, "2025-01-02T12:00:00+08:00"},
                        });
  EXPECT_FALSE(Working(2025, 1, 1));
  EXPECT_TRUE(Working(2026, 1, 4));
}

TEST_F(WorkingCalendarTest, WorkingHours) {
  CheckCases(calendar_, {
                            // Across lunch.
                            {"2026-03-02T11:00:00+08:00", 2, kWh, "2026-03-02T14:30:00+08:00"},
                            // Ending exactly at a period's end answers that end.
                            {"2026-03-02T09:00:00+08:00", 3, kWh, "2026-03-02T12:00:00+08:00"},
                            {"2026-03-02T08:30:00+08:00", 7, kWh, "2026-03-02T17:00:00+08:00"},
                            // Across a night and a weekend.
                            {"2026-03-02T16:00:00+08:00", 3, kWh, "2026-03-03T10:00:00+08:00"},
                            {"2026-03-06T16:30:00+08:00", 2, kWh, "2026-03-09T09:30:00+08:00"},
                            // Across Qingming (Sat 04-04 .. Mon 04-06).
                            {"2026-04-03T16:30:00+08:00", 2, kWh, "2026-04-07T09:30:00+08:00"},
                            // Many days: 75 h are ten full working days.
                            {"2026-03-02T08:30:00+08:00", 75, kWh, "2026-03-13T17:30:00+08:00"},
                            {"2026-03-02T08:30:00+08:00", 76, kWh, "2026-03-16T09:30:00+08:00"},
                        });
}

TEST_F(WorkingCalendarTest, StartOutsideOfficeHours) {
  CheckCases(calendar_, {
                            {"2026-03-02T07:00:00+08:00", 1, kWh, "2026-03-02T09:30:00+08:00"},
                            {"2026-03-02T12:30:00+08:00", 1, kWh, "2026-03-02T14:30:00+08:00"},
                            {"2026-03-02T12:00:00+08:00", 1, kWh, "2026-03-02T14:30:00+08:00"},
                            {"2026-03-02T17:30:00+08:00", 1, kWh, "2026-03-03T09:30:00+08:00"},
                            {"2026-03-02T20:00:00+08:00", 1, kWh, "2026-03-03T09:30:00+08:00"},
                            {"2026-03-07T10:00:00+08:00", 1, kWh, "2026-03-09T09:30:00+08:00"},
                            {"2026-03-02T20:00:00+08:00", 1, kWd, "2026-03-03T17:30:00+08:00"},
                        });
}

TEST_F(WorkingCalendarTest, HoursIgnoreTheCalendar) {
  CheckCases(calendar_, {
                            {"2026-02-16T23:00:00+08:00", 5, kH, "2026-02-17T04:00:00+08:00"},
                            {"2026-03-06T16:30:00+08:00", 48, kH, "2026-03-08T16:30:00+08:00"},
                        });
}

TEST_F(WorkingCalendarTest, AmountZero) {
  const TimeMs saturday_night = At("2026-03-07T03:00:00+08:00");
  EXPECT_EQ(calendar_.Deadline(saturday_night, 0, kH), saturday_night);
  EXPECT_EQ(calendar_.Deadline(saturday_night, 0, kWh), saturday_night);
  CheckCases(calendar_, {
                            {"2026-03-02T10:00:00+08:00", 0, kWd, "2026-03-02T17:30:00+08:00"},
                            {"2026-03-02T19:00:00+08:00", 0, kWd, "2026-03-02T17:30:00+08:00"},
                            {"2026-03-07T03:00:00+08:00", 0, kWd, "2026-03-09T17:30:00+08:00"},
                            {"2026-02-14T03:00:00+08:00", 0, kWd, "2026-02-14T17:30:00+08:00"},
                        });
}

TEST_F(WorkingCalendarTest, WorkingMsBetween) {
  const TimeMs monday_9 = At("2026-03-02T09:00:00+08:00");
  EXPECT_EQ(calendar_.WorkingMsBetween(monday_9, monday_9), 0);
  EXPECT_EQ(calendar_.WorkingMsBetween(monday_9, monday_9 - kMsPerHour), 0);
  EXPECT_EQ(calendar_.WorkingMsBetween(monday_9, At("2026-03-02T14:00:00+08:00")),
            3 * kMsPerHour + 30 * kMsPerMinute);
  // A whole week is five office days.
  EXPECT_EQ(calendar_.WorkingMsBetween(monday_9, At("2026-03-09T09:00:00+08:00")),
            5 * (7 * kMsPerHour + 30 * kMsPerMinute));
  // Spring Festival: Friday 02-13 17:00 to Tuesday 02-24 09:00 is half an hour on Friday, the
  // make-up Saturday and half an hour on Tuesday.
  EXPECT_EQ(
      calendar_.WorkingMsBetween(At("2026-02-13T17:00:00+08:00"), At("2026-02-24T09:00:00+08:00")),
      8 * kMsPerHour + 30 * kMsPerMinute);
}

// Office time by stepping minute by minute: slow and obviously right.
TimeMs SlowWorkingMsBetween(const WorkingCalendar& calendar, TimeMs a, TimeMs b) {
  TimeMs total = 0;
  for (TimeMs t = a; t < b; t += kMsPerMinute) {
    const TimeMs local = t + kShanghaiOffsetMs;
    const std::int64_t day = local / kMsPerDay;
    const TimeMs minute = (local - day * kMsPerDay) / kMsPerMinute;
    if (!calendar.IsWorkingDay(CivilFromDays(day))) continue;
    const bool office = (minute >= 8 * 60 + 30 && minute < 12 * 60) ||
                        (minute >= 13 * 60 + 30 && minute < 17 * 60 + 30);
    if (office) total += kMsPerMinute;
  }
  return total;
}

TEST_F(WorkingCalendarTest, WorkingMsBetweenMatchesMinuteStepping) {
  std::mt19937_64 rng(7);
  const TimeMs from = At("2024-01-01T00:00:00+08:00") / kMsPerMinute;
  const TimeMs to = At("2026-12-31T00:00:00+08:00") / kMsPerMinute;
  std::uniform_int_distribution<TimeMs> minute(from, to);
  std::uniform_int_distribution<TimeMs> span_minutes(0, 20 * 24 * 60);
  for (int i = 0; i < 300; ++i) {
    const TimeMs a = minute(rng) * kMsPerMinute;
    const TimeMs b = a + span_minutes(rng) * kMsPerMinute;
    ASSERT_EQ(calendar_.WorkingMsBetween(a, b), SlowWorkingMsBetween(calendar_, a, b))
        << FormatIsoShanghai(a) << " .. " << FormatIsoShanghai(b);
  }
}

TEST_F(WorkingCalendarTest, WorkingMsBetweenInvertsWorkingHoursDeadline) {
  std::mt19937_64 rng(42);
  const TimeMs from = At("2023-12-01T00:00:00+08:00");
  const TimeMs to = At("2026-12-31T00:00:00+08:00");
  std::uniform_int_distribution<TimeMs> instant(from, to);
  std::uniform_int_distribution<int> hours(0, 400);
  for (int i = 0; i < 20000; ++i) {
    const TimeMs start = instant(rng);
    const int n = hours(rng);
    const TimeMs due = calendar_.Deadline(start, n, kWh);
    ASSERT_GE(due, start);
    ASSERT_EQ(calendar_.WorkingMsBetween(start, due), n * kMsPerHour)
        << FormatIsoShanghai(start) << " + " << n << " working hours";
    // And not a moment earlier: the deadline is the first instant with enough office time.
    if (n > 0) {
      ASSERT_LT(calendar_.WorkingMsBetween(start, due - 1), n * kMsPerHour);
    }
  }
}

TEST_F(WorkingCalendarTest, WorkingDaysMatchDayByDayCounting) {
  std::mt19937_64 rng(3);
  const std::int64_t first_day = DaysFromCivil({2023, 12, 1});
  const std::int64_t last_day = DaysFromCivil({2026, 12, 31});
  std::uniform_int_distribution<std::int64_t> day_dist(first_day, last_day);
  std::uniform_int_distribution<int> amount_dist(1, 300);
  for (int i = 0; i < 2000; ++i) {
    const std::int64_t day = day_dist(rng);
    const int n = amount_dist(rng);
    std::int64_t d = day;
    for (int left = n; left > 0;) {
      ++d;
      if (calendar_.IsWorkingDay(CivilFromDays(d))) --left;
    }
    const TimeMs start = day * kMsPerDay - kShanghaiOffsetMs + 11 * kMsPerHour;
    const TimeMs expected = d * kMsPerDay - kShanghaiOffsetMs + (17 * 60 + 30) * kMsPerMinute;
    ASSERT_EQ(calendar_.Deadline(start, n, kWd), expected)
        << FormatIsoShanghai(start) << " + " << n << " working days";
  }
}

TEST_F(WorkingCalendarTest, LargeAmountsBeyondTheLoadedYears) {
  // 2030 has no holidays loaded: plain weekdays.
  CheckCases(calendar_, {
                            {"2030-01-07T10:00:00+08:00", 250, kWd, "2030-12-23T17:30:00+08:00"},
                            {"2030-01-07T08:30:00+08:00", 1500, kWh, "2030-10-11T17:30:00+08:00"},
                        });
}

TEST(WorkingCalendarOfficeHoursTest, CustomOfficeHours) {
  WorkingCalendar calendar;
  ASSERT_TRUE(calendar.SetOfficeHours({{9 * 60, 18 * 60}}).ok());
  CheckCases(calendar, {
                           {"2026-03-02T10:00:00+08:00", 1, kWd, "2026-03-03T18:00:00+08:00"},
                           {"2026-03-02T17:00:00+08:00", 2, kWh, "2026-03-03T10:00:00+08:00"},
                           {"2026-03-02T12:00:00+08:00", 6, kWh, "2026-03-02T18:00:00+08:00"},
                       });
  // No holidays loaded: 2026-10-01 is an ordinary Thursday.
  EXPECT_TRUE(calendar.IsWorkingDay({2026, 10, 1}));

  // Three periods, touching periods allowed.
  ASSERT_TRUE(
      calendar.SetOfficeHours({{8 * 60, 10 * 60}, {10 * 60, 11 * 60}, {14 * 60, 15 * 60}}).ok());
  CheckCases(calendar, {
                           {"2026-03-02T09:00:00+08:00", 2, kWh, "2026-03-02T11:00:00+08:00"},
                           {"2026-03-02T09:00:00+08:00", 3, kWh, "2026-03-02T15:00:00+08:00"},
                           {"2026-03-02T09:00:00+08:00", 4, kWh, "2026-03-03T09:00:00+08:00"},
                           {"2026-03-02T09:00:00+08:00", 1, kWd, "2026-03-03T15:00:00+08:00"},
                       });
  EXPECT_EQ(
      calendar.WorkingMsBetween(At("2026-03-02T00:00:00+08:00"), At("2026-03-03T00:00:00+08:00")),
      4 * kMsPerHour);
}

TEST(WorkingCalendarOfficeHoursTest, RejectsBadPeriods) {
  WorkingCalendar calendar;
  const std::vector<std::vector<OfficePeriod>> bad = {
      {},                                       // no office hours at all
      {{8 * 60, 12 * 60}, {11 * 60, 17 * 60}},  // overlapping
      {{13 * 60, 17 * 60}, {8 * 60, 12 * 60}},  // not ordered
      {{9 * 60, 9 * 60}},                       // empty
      {{10 * 60, 9 * 60}},                      // backwards
      {{-10, 9 * 60}},                          // before midnight
      {{20 * 60, 24 * 60 + 1}},                 // past the day
  };
  for (const auto& periods : bad) {
    const Status s = calendar.SetOfficeHours(periods);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  }
  // A rejected call keeps the old hours.
  EXPECT_EQ(FormatIsoShanghai(calendar.Deadline(At("2026-03-02T10:00:00+08:00"), 1, kWd)),
            "2026-03-03T17:30:00+08:00");
}

TEST(WorkingCalendarCsvTest, ParsesCommentsHeaderAndCrlf) {
  WorkingCalendar calendar;
  const Status s = calendar.LoadCsv(
      "\xEF\xBB\xBF# a comment\r\ndate,kind,name\r\n\r\n2030-01-07,holiday,x\r\n"
      "2030-01-05,workday,y, with comma\n2030-01-08,holiday,");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_FALSE(calendar.IsWorkingDay({2030, 1, 7}));
  EXPECT_FALSE(calendar.IsWorkingDay({2030, 1, 8}));
  EXPECT_TRUE(calendar.IsWorkingDay({2030, 1, 5}));
  EXPECT_FALSE(calendar.IsWorkingDay({2030, 1, 6}));
}

TEST(WorkingCalendarCsvTest, MalformedRowsNameTheLine) {
  struct Bad {
    const char* text;
    const char* line;
  };
  const std::vector<Bad> bad = {
      {"date,kind,name\n2026-13-01,holiday,x\n", "line 2"},
      {"# c\ndate,kind,name\n2026-01-01,holiday,x\n2026-01-02,vacation,x\n", "line 4"},
      {"2026-01-01 holiday\n", "line 1"},
      {"2026-01-01,holiday\n", "line 1"},
      {"date,kind,name\n\n2026-02-30,holiday,x\n", "line 3"},
      {"date,kind,name\n26-01-01,holiday,x\n", "line 2"},
  };
  for (const Bad& b : bad) {
    WorkingCalendar calendar;
    const Status s = calendar.LoadCsv(b.text);
    ASSERT_FALSE(s.ok()) << b.text;
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(s.error().message.find(b.line), std::string::npos) << s.error().message;
  }
  // A malformed file changes nothing, not even its good rows.
  WorkingCalendar calendar;
  ASSERT_FALSE(calendar.LoadCsv("2026-03-02,holiday,x\n2026-03-03,oops,y\n").ok());
  EXPECT_TRUE(calendar.IsWorkingDay({2026, 3, 2}));
}

TEST(WorkingCalendarCsvTest, LaterEntryForADayWins) {
  WorkingCalendar calendar;
  calendar.AddHoliday({2026, 3, 2});
  EXPECT_FALSE(calendar.IsWorkingDay({2026, 3, 2}));
  calendar.AddWorkday({2026, 3, 2});
  EXPECT_TRUE(calendar.IsWorkingDay({2026, 3, 2}));
  calendar.AddHoliday({2026, 3, 2});
  EXPECT_FALSE(calendar.IsWorkingDay({2026, 3, 2}));
}

}  // namespace
}  // namespace civicgrid
