// Working-time arithmetic for suspensions and supervision levels, deadline colours and the
// responsibility list's lookup, on the real 2024-2026 official calendars.
#include "core/routing/deadline_policy.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/routing/calendar_settings.h"
#include "core/routing/responsibility_rule.h"

namespace civicgrid {
namespace {

TimeMs At(std::string_view iso) {
  const std::optional<TimeMs> t = ParseIso(iso);
  EXPECT_TRUE(t.has_value()) << iso;
  return t.value_or(0);
}

constexpr TimeMs kHour = 3'600'000;

class DeadlinePolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* year : {"2024", "2025", "2026"}) {
      std::ifstream in(std::string(CIVICGRID_SOURCE_DIR) + "/data/calendar/cn-" + year + ".csv");
      std::stringstream text;
      text << in.rdbuf();
      ASSERT_TRUE(calendar_.LoadCsv(text.str()).ok()) << year;
    }
  }
  std::string Add(std::string_view start, TimeMs ms) const {
    return FormatIsoShanghai(calendar_.AddWorkingMs(At(start), ms));
  }
  WorkingCalendar calendar_;
};

TEST_F(DeadlinePolicyTest, AddWorkingMsSkipsNightsWeekendsAndHolidays) {
  // Friday 16:30 + 2 h: one hour on Friday, one on Monday morning.
  EXPECT_EQ(Add("2026-03-06T16:30:00+08:00", 2 * kHour), "2026-03-09T09:30:00+08:00");
  // Lunch does not count: 11:30 + 1 h = 14:00.
  EXPECT_EQ(Add("2026-03-09T11:30:00+08:00", kHour), "2026-03-09T14:00:00+08:00");
  // Ending exactly at the close of office hours answers the close.
  EXPECT_EQ(Add("2026-03-09T16:30:00+08:00", kHour), "2026-03-09T17:30:00+08:00");
  // Started outside office hours: counts from the next opening.
  EXPECT_EQ(Add("2026-03-07T10:00:00+08:00", kHour), "2026-03-09T09:30:00+08:00");
}

TEST_F(DeadlinePolicyTest, AddWorkingMsAcrossTheYearBoundaryAndAMakeUpSunday) {
  // 2025-12-31 (Wed) 17:00 + 2 h: half an hour on New Year's Eve; 1-3 January 2026 are holidays
  // and Sunday 4 January is a make-up working day.
  EXPECT_EQ(Add("2025-12-31T17:00:00+08:00", 2 * kHour), "2026-01-04T10:00:00+08:00");
  // 2024-12-31 (Tue) 17:00 + 1 h: 1 January 2025 is a holiday.
  EXPECT_EQ(Add("2024-12-31T17:00:00+08:00", kHour), "2025-01-02T09:00:00+08:00");
}

TEST_F(DeadlinePolicyTest, SuspensionOverTheNationalDayHolidayMovesTheDeadlineByOfficeTime) {
  // Suspended Tuesday 2025-09-30 16:30, resumed Thursday 2025-10-09 09:30 (1-8 October off):
  // one office hour on each side, not 9 days.
  const TimeMs paused =
      calendar_.WorkingMsBetween(At("2025-09-30T16:30:00+08:00"), At("2025-10-09T09:30:00+08:00"));
  EXPECT_EQ(paused, 2 * kHour);
  // A deadline of Friday 10 October 17:00 moves by those two office hours: half an hour on
  // Friday, 1.5 h on Saturday 11 October (a make-up working day).
  EXPECT_EQ(Add("2025-10-10T17:00:00+08:00", paused), "2025-10-11T10:00:00+08:00");
}

TEST_F(DeadlinePolicyTest, ColoursTurnYellowAt80PercentAndRedAtTheDeadline) {
  // Five working days from Monday 2026-03-02: due Monday 2026-03-09 17:30; the limit is five
  // office days of 7.5 h (08:30-12:00, 13:30-17:30) = 37.5 h, yellow with 7.5 h left.
  const TimeMs start = At("2026-03-02T08:30:00+08:00");
  DeadlineClock clock;
  clock.deadline = calendar_.Deadline(start, 5, TimeUnit::kWorkingDays);
  clock.limit_ms = LimitMs(calendar_, 5, TimeUnit::kWorkingDays);
  ASSERT_EQ(FormatIsoShanghai(clock.deadline), "2026-03-09T17:30:00+08:00");
  ASSERT_EQ(clock.limit_ms, 75 * kHour / 2);
  auto colour = [&](std::string_view at) {
    return std::string(DeadlineColourName(ColourAt(calendar_, clock, At(at))));
  };
  EXPECT_EQ(colour("2026-03-06T12:00:00+08:00"), "green");   // 11.5 h left
  EXPECT_EQ(colour("2026-03-07T12:00:00+08:00"), "yellow");  // Saturday: 7.5 h left (= 20%)
  EXPECT_EQ(colour("2026-03-09T10:00:00+08:00"), "yellow");  // 6 h left
  EXPECT_EQ(colour("2026-03-09T17:30:00+08:00"), "red");
  EXPECT_EQ(colour("2026-04-01T10:00:00+08:00"), "red");
  // Plain hours count on the wall clock: 24 h, yellow from 19.2 h.
  DeadlineClock wall{start + 24 * kHour, 24 * kHour, true};
  EXPECT_EQ(ColourAt(calendar_, wall, start + 19 * kHour), DeadlineColour::kGreen);
  EXPECT_EQ(ColourAt(calendar_, wall, start + 20 * kHour), DeadlineColour::kYellow);
  EXPECT_EQ(ColourAt(calendar_, DeadlineClock{}, start), DeadlineColour::kNone);
}

TEST_F(DeadlinePolicyTest, SupervisionLevelsFallDueAt100150And200Percent) {
  DeadlineClock clock;
  clock.deadline = At("2026-03-09T17:30:00+08:00");
  clock.limit_ms = 75 * kHour / 2;  // five office days
  EXPECT_EQ(FormatIsoShanghai(SupervisionDueAt(calendar_, clock, 1)), "2026-03-09T17:30:00+08:00");
  // +18.75 office hours: Tue 7.5, Wed 7.5, Thu 3.75 (08:30-12:00 and 13:30-13:45).
  EXPECT_EQ(FormatIsoShanghai(SupervisionDueAt(calendar_, clock, 2)), "2026-03-12T13:45:00+08:00");
  // +37.5 office hours: five working days.
  EXPECT_EQ(FormatIsoShanghai(SupervisionDueAt(calendar_, clock, 3)), "2026-03-16T17:30:00+08:00");
  EXPECT_EQ(SupervisionLevelAt(calendar_, clock, At("2026-03-09T17:29:59+08:00")), 0);
  EXPECT_EQ(SupervisionLevelAt(calendar_, clock, At("2026-03-09T17:30:00+08:00")), 1);
  EXPECT_EQ(SupervisionLevelAt(calendar_, clock, At("2026-03-12T13:44:59+08:00")), 1);
  EXPECT_EQ(SupervisionLevelAt(calendar_, clock, At("2026-03-12T13:45:00+08:00")), 2);
  EXPECT_EQ(SupervisionLevelAt(calendar_, clock, At("2026-06-01T09:00:00+08:00")), 3);
}

TEST_F(DeadlinePolicyTest, LocalDaysOffAndOfficeHoursApplyOnTopOfTheOfficialCalendar) {
  CalendarSettings settings;
  settings.office_hours = {{9 * 60, 12 * 60}, {14 * 60, 18 * 60}};
  settings.days = {{CivilDate{2026, 3, 10}, false, "区级调休"}};
  auto local = ApplyCalendarSettings(calendar_, settings);
  ASSERT_TRUE(local.has_value());
  EXPECT_FALSE(local->IsWorkingDay(CivilDate{2026, 3, 10}));
  // Monday 17:00 + 2 h: one hour Monday (to 18:00), Tuesday off, one hour Wednesday from 09:00.
  EXPECT_EQ(FormatIsoShanghai(local->AddWorkingMs(At("2026-03-09T17:00:00+08:00"), 2 * kHour)),
            "2026-03-11T10:00:00+08:00");
  CalendarSettings bad;
  bad.office_hours = {{12 * 60, 9 * 60}};
  EXPECT_FALSE(ApplyCalendarSettings(calendar_, bad).has_value());
}

TEST(ResponsibilityListTest, FindsTheRuleOfTheCategoryAtTheLevel) {
  ResponsibilityRule street;
  street.category = "U06010";
  street.region_level = RegionLevel::kStreet;
  street.department_id = 3;
  ResponsibilityRule district = street;
  district.region_level = RegionLevel::kDistrict;
  district.department_id = 4;
  ResponsibilityList list({street, district});
  ASSERT_NE(list.Find("U06010", RegionLevel::kStreet), nullptr);
  EXPECT_EQ(list.Find("U06010", RegionLevel::kStreet)->department_id, 3);
  EXPECT_EQ(list.Find("U06010", RegionLevel::kDistrict)->department_id, 4);
  EXPECT_EQ(list.Find("U06010", RegionLevel::kCity), nullptr);
  EXPECT_EQ(list.Find("U06011", RegionLevel::kStreet), nullptr);
}

}  // namespace
}  // namespace civicgrid
