// Camera alarms in the core (issue 5): the duty roster's nearest on-duty worker (against a
// brute-force scan) and the state machine's confirm/dismiss by the grid worker an alarm was
// sent to.
#include <gtest/gtest.h>

#include <random>

#include "core/camera/camera.h"
#include "core/camera/duty_roster.h"
#include "core/events/state_machine.h"

namespace civicgrid {
namespace {

constexpr TimeMs kNow = 1'780'000'000'000;
constexpr double kLon = 117.20, kLat = 39.13;

TEST(DutyRosterTest, PicksTheNearestWorkerCheckedInWithinTheWindow) {
  DutyRoster roster;
  roster.Update(1, kLon + 0.0030, kLat, kNow - kMsPerHour);       // ~260 m
  roster.Update(2, kLon + 0.0005, kLat, kNow - 10 * kMsPerHour);  // ~43 m, off duty
  roster.Update(3, kLon, kLat + 0.0010, kNow - 2 * kMsPerHour);   // ~111 m
  auto best = roster.Nearest(kLon, kLat, kNow - 4 * kMsPerHour, 3000);
  ASSERT_TRUE(best.has_value());
  EXPECT_EQ(best->user_id, 3);
  EXPECT_NEAR(best->metres, 111.3, 1.0);
  // Worker 3 is passed over (e.g. disabled): the next nearest on duty.
  best = roster.Nearest(kLon, kLat, kNow - 4 * kMsPerHour, 3000, [](UserId u) { return u != 3; });
  ASSERT_TRUE(best.has_value());
  EXPECT_EQ(best->user_id, 1);
  // A wider window makes worker 2 on duty again.
  EXPECT_EQ(roster.Nearest(kLon, kLat, kNow - 12 * kMsPerHour, 3000)->user_id, 2);
  // Nobody within 100 m.
  EXPECT_FALSE(roster.Nearest(kLon, kLat, kNow - 4 * kMsPerHour, 100).has_value());
}

TEST(DutyRosterTest, KeepsOnlyTheLatestPositionOfAWorker) {
  DutyRoster roster;
  roster.Update(7, kLon, kLat, kNow - kMsPerHour);
  roster.Update(7, kLon + 0.2, kLat, kNow);             // moved ~17 km away
  roster.Update(7, kLon, kLat, kNow - 2 * kMsPerHour);  // an older one committed late
  EXPECT_EQ(roster.size(), 1u);
  EXPECT_FALSE(roster.Nearest(kLon, kLat, kNow - kMsPerDay, 3000).has_value());
  auto there = roster.Nearest(kLon + 0.2, kLat, kNow - kMsPerDay, 3000);
  ASSERT_TRUE(there.has_value());
  EXPECT_EQ(there->user_id, 7);
  roster.Remove(7);
  EXPECT_EQ(roster.size(), 0u);
  EXPECT_FALSE(roster.Nearest(kLon + 0.2, kLat, kNow - kMsPerDay, 3000).has_value());
}

TEST(DutyRosterTest, AgreesWithABruteForceScan) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> dx(-0.15, 0.15);
  std::uniform_int_distribution<TimeMs> age(0, 8 * kMsPerHour);
  struct Point {
    double lon, lat;
    TimeMs at;
  };
  std::vector<Point> points;
  DutyRoster roster;
  for (UserId u = 1; u <= 3000; ++u) {
    points.push_back({kLon + dx(rng), kLat + dx(rng), kNow - age(rng)});
    roster.Update(u, points.back().lon, points.back().lat, points.back().at);
  }
  const TimeMs since = kNow - 4 * kMsPerHour;
  for (int q = 0; q < 500; ++q) {
    const double lon = kLon + dx(rng), lat = kLat + dx(rng);
    const double max_metres = q % 2 == 0 ? 3000 : 800;
    UserId want = 0;
    double want_m = 0;
    for (std::size_t i = 0; i < points.size(); ++i) {
      if (points[i].at < since) continue;
      const double m = ApproxMetres(lon, lat, points[i].lon, points[i].lat);
      if (m <= max_metres && (want == 0 || m < want_m)) {
        want = static_cast<UserId>(i + 1);
        want_m = m;
      }
    }
    auto got = roster.Nearest(lon, lat, since, max_metres);
    ASSERT_EQ(got.has_value(), want != 0) << "query " << q;
    if (got) {
      EXPECT_EQ(got->user_id, want) << "query " << q;
    }
  }
}

TEST(AlarmTypesTest, TypeNamesAreLowerCaseWordsAndTheDefaultsAreWellFormed) {
  const std::vector<std::string> good = {"illegal_parking", "a", "type_2", "x_x_x"};
  for (const std::string& t : good) EXPECT_TRUE(IsAlarmTypeName(t)) << t;
  const std::vector<std::string> bad = {"",    "Illegal", "a-b", "a b", "%41", std::string(65, 'a'),
                                        "井盖"};
  for (const std::string& t : bad) EXPECT_FALSE(IsAlarmTypeName(t)) << t;
  EXPECT_TRUE(IsAlarmTypeName(std::string(64, 'a')));
  ASSERT_FALSE(DefaultAlarmTypes().empty());
  for (const AlarmType& t : DefaultAlarmTypes()) {
    EXPECT_TRUE(IsAlarmTypeName(t.type)) << t.type;
    EXPECT_FALSE(t.category.empty()) << t.type;
    EXPECT_FALSE(t.label.empty()) << t.type;
  }
}

Event CameraEvent(UserId assignee) {
  Event e;
  e.id = 1;
  e.source = EventSource::kCamera;
  e.status = EventStatus::kReported;
  e.version = 1;
  e.assignee_user_id = assignee;
  return e;
}

Actor GridWorker(UserId id) {
  Actor a;
  a.user_id = id;
  a.username = "gw";
  a.roles.Add(Role::kGridWorker);
  return a;
}

ActionRequest Request(EventAction action, std::string note = {}) {
  ActionRequest r;
  r.action = action;
  r.expected_version = 1;
  r.note = std::move(note);
  return r;
}

TransitionContext Ctx() {
  TransitionContext c;
  c.now = kNow;
  return c;
}

TEST(CameraAlarmStateTest, TheAssignedGridWorkerConfirmsOrDismisses) {
  auto confirmed = ApplyAction(CameraEvent(9), Request(EventAction::kAccept), GridWorker(9), Ctx());
  ASSERT_TRUE(confirmed.has_value()) << confirmed.error().message;
  EXPECT_EQ(confirmed->after.status, EventStatus::kAccepted);
  EXPECT_EQ(confirmed->entry.actor_role, "grid_worker");
  EXPECT_EQ(confirmed->entry.data, R"({"camera_alarm":"confirmed"})");

  auto no_reason = ApplyAction(CameraEvent(9), Request(EventAction::kReject), GridWorker(9), Ctx());
  ASSERT_FALSE(no_reason.has_value());
  EXPECT_EQ(no_reason.error().field, "note");
  auto dismissed =
      ApplyAction(CameraEvent(9), Request(EventAction::kReject, "误报"), GridWorker(9), Ctx());
  ASSERT_TRUE(dismissed.has_value());
  EXPECT_EQ(dismissed->after.status, EventStatus::kRejected);
  EXPECT_EQ(dismissed->entry.data, R"({"camera_alarm":"dismissed"})");
}

TEST(CameraAlarmStateTest, NobodyElseGainsTheGridWorkersRight) {
  // Another grid worker; an event that is not a camera's; one no longer reported.
  EXPECT_EQ(
      ApplyAction(CameraEvent(9), Request(EventAction::kAccept), GridWorker(8), Ctx()).error().code,
      ErrorCode::kPermissionDenied);
  Event hotline = CameraEvent(9);
  hotline.source = EventSource::kHotline;
  EXPECT_EQ(ApplyAction(hotline, Request(EventAction::kAccept), GridWorker(9), Ctx()).error().code,
            ErrorCode::kPermissionDenied);
  Event accepted = CameraEvent(9);
  accepted.status = EventStatus::kAccepted;
  EXPECT_EQ(ApplyAction(accepted, Request(EventAction::kReject, "误报"), GridWorker(9), Ctx())
                .error()
                .code,
            ErrorCode::kPermissionDenied);
  // Other actions stay as they were for the assignee.
  EXPECT_EQ(
      ApplyAction(CameraEvent(9), Request(EventAction::kMerge), GridWorker(9), Ctx()).error().code,
      ErrorCode::kPermissionDenied);
}

}  // namespace
}  // namespace civicgrid
