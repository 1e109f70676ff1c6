// Routing end to end on a real SQLite demo city (no events) with an injected clock: statutory,
// negotiated and designated dispatch, whistle lateness, the escalation chain, automatic
// supervision exactly once per level, suspension in office time, duplicates and queues.
#include "core/routing/routing_service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <mutex>

#include "app/application.h"
#include "app/demo/demo_city.h"
#include "core/ports/clock.h"
#include "core/routing/deadline_watcher.h"
#include "core/territory/territory.h"
#include "crypto/sodium_crypto.h"
#include "store/sqlite/sqlite_store.h"

namespace civicgrid {
namespace {

TimeMs At(std::string_view iso) { return ParseIso(iso).value(); }

class FakeClock final : public Clock {
 public:
  TimeMs Now() const override { return now_.load(); }
  void Set(std::string_view iso) { now_.store(At(iso)); }
  void Set(TimeMs t) { now_.store(t); }

 private:
  std::atomic<TimeMs> now_{0};
};

template <typename T, typename Start>
Result<T> Sync(Start&& start) {
  std::promise<Result<T>> promise;
  auto future = promise.get_future();
  start([&promise](Result<T> r) { promise.set_value(std::move(r)); });
  return future.get();
}

class RoutingServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    path_ = (std::filesystem::temp_directory_path() /
             ("civicgrid_routing_" + std::to_string(::getpid()) + ".db"))
                .string();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
    {
      auto store = SqliteStore::Open(path_);
      ASSERT_TRUE(store.has_value());
      auto calendar = LoadCalendar("");
      ASSERT_TRUE(calendar.has_value());
      const SodiumCrypto crypto(SodiumCrypto::kOpsLimitMin, SodiumCrypto::kMemLimitMin);
      DemoOptions options;
      options.events = 0;
      options.password = "routing-test-pass";
      options.now = At("2026-03-01T09:00:00+08:00");
      auto summary = GenerateDemoCity(**store, crypto, *calendar, options);
      ASSERT_TRUE(summary.has_value()) << summary.error().message;
      ASSERT_TRUE((*store)->Close().ok());
    }
    clock_ = new FakeClock();
    clock_->Set("2026-03-02T09:00:00+08:00");  // a Monday
    AppOptions options;
    options.db_path = path_;
    options.clock = clock_;
    auto app = Application::Open(options);
    ASSERT_TRUE(app.has_value()) << app.error().message;
    app_ = app->release();
  }
  static void TearDownTestSuite() {
    delete app_;
    delete clock_;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }

  void SetUp() override {
    ASSERT_NE(app_, nullptr);
    ref_ = app_->reference();
    for (const Region& r : ref_->territory().regions()) {
      if (r.level == RegionLevel::kCity && city_ == 0) city_ = r.id;
      if (r.level == RegionLevel::kDistrict && district_ == 0) district_ = r.id;
      if (r.level == RegionLevel::kGrid && grid_ == nullptr) grid_ = &r;
    }
    ASSERT_NE(grid_, nullptr);
    const RegionPath path = ref_->territory().PathOf(grid_->id);
    street_ = path.street_id;
    community_ = path.community_id;
    // A point inside the grid: the mean of its outer ring.
    const auto& ring = grid_->polygon.rings.at(0);
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
      lon_ += ring[i].lon / static_cast<double>(ring.size() - 1);
      lat_ += ring[i].lat / static_cast<double>(ring.size() - 1);
    }
    ASSERT_EQ(ref_->territory().LocateGrid(lon_, lat_), grid_);
    // A category the list covers at street level (working days) and one it is silent on.
    for (const ResponsibilityRule& r : app_->routing().rules()->rules()) {
      if (r.region_level == RegionLevel::kStreet && r.time_unit == TimeUnit::kWorkingDays &&
          listed_.empty() && r.co_handlers.empty()) {
        listed_ = r.category;
      }
    }
    for (const Category& c : ref_->categories()) {
      if (c.parent_code.empty() && c.department_id != 0 &&
          app_->routing().rules()->Find(c.code, RegionLevel::kStreet) == nullptr &&
          silent_.empty()) {
        silent_ = c.code;
      }
    }
    ASSERT_FALSE(listed_.empty());
    ASSERT_FALSE(silent_.empty());
    departments_.clear();
    for (const Department& d : ref_->departments()) departments_.push_back(d.id);
  }

  static Actor Make(std::string name, RoleSet roles, RegionId region = 0,
                    DepartmentId department = 0) {
    Actor a;
    a.user_id = 9000 + static_cast<UserId>(name.size());
    a.username = std::move(name);
    a.roles = roles;
    a.scope.region_id = region;
    a.scope.department_id = department;
    if (region != 0) {
      a.scope.region_level = static_cast<int>(app_->reference()->territory().Find(region)->level);
    }
    return a;
  }
  Actor Dispatcher() const { return Make("dispatcher", {Role::kDispatcher}, city_); }
  Actor Leader() const { return Make("leader", {Role::kLeader}, district_); }
  Actor Admin() const { return Make("admin", {Role::kAdmin}); }
  Actor Handler(DepartmentId d) const { return Make("handler", {Role::kHandler}, 0, d); }
  Actor StreetLead() const { return Make("street_lead", {Role::kStreetLead}, street_); }
  Actor Operator() const { return Make("operator", {Role::kOperator}, city_); }

  Event Report(const std::string& category, double dlon = 0, double dlat = 0) {
    CreateEventCommand cmd;
    cmd.source = EventSource::kHotline;
    cmd.category = category;
    cmd.title = "测试事件";
    cmd.lon = lon_ + dlon;
    cmd.lat = lat_ + dlat;
    auto created = Sync<CreateOutcome>(
        [&](auto done) { app_->events().Create(Operator(), cmd, std::move(done)); });
    EXPECT_TRUE(created.has_value()) << created.error().message;
    return created->event;
  }
  Result<Event> Act(const Actor& who, const Event& e, EventAction action,
                    std::string note = "处理说明") {
    ActionRequest r;
    r.action = action;
    r.expected_version = e.version;
    r.note = std::move(note);
    return Sync<Event>([&](auto done) { app_->events().Act(who, e.id, r, std::move(done)); });
  }
  std::vector<HistoryEntry> History(EventId id) { return app_->store().EventHistory(id).value(); }
  std::size_t CountAudit(std::string_view action) {
    std::size_t n = 0;
    (void)app_->store().ScanAudit([&](const AuditRecord& r) {
      n += r.action == action ? 1 : 0;
      return true;
    });
    return n;
  }

  static inline std::string path_;
  static inline FakeClock* clock_ = nullptr;
  static inline Application* app_ = nullptr;
  std::shared_ptr<const ReferenceData> ref_;
  RegionId city_ = 0, district_ = 0, street_ = 0, community_ = 0;
  const Region* grid_ = nullptr;
  double lon_ = 0, lat_ = 0;
  std::string listed_, silent_;
  std::vector<DepartmentId> departments_;
};

TEST_F(RoutingServiceTest, StatutoryDispatchOnAcceptKeepsTheRuleVersionItRanUnder) {
  clock_->Set("2026-03-02T09:00:00+08:00");
  const ResponsibilityRule rule = *app_->routing().rules()->Find(listed_, RegionLevel::kStreet);
  Event e = Report(listed_);
  auto accepted = Act(Dispatcher(), e, EventAction::kAccept);
  ASSERT_TRUE(accepted.has_value()) << accepted.error().message;
  EXPECT_EQ(accepted->status, EventStatus::kDispatched);
  EXPECT_EQ(accepted->department_id, rule.department_id);
  ASSERT_TRUE(accepted->deadline.has_value());
  EXPECT_EQ(*accepted->deadline,
            ref_->calendar().Deadline(clock_->Now(), rule.time_limit, rule.time_unit));
  auto routing = app_->routing().Routing(Dispatcher(), e.id);
  ASSERT_TRUE(routing.has_value() && routing->has_value());
  EXPECT_EQ((*routing)->mode, DispatchMode::kStatutory);
  EXPECT_EQ((*routing)->rule_version, rule.version);
  const auto history = History(e.id);
  ASSERT_EQ(history.size(), 3u);  // report, accept, dispatch (by the system)
  EXPECT_EQ(history[2].action, EventAction::kDispatch);
  EXPECT_EQ(history[2].actor_name, "system");
  EXPECT_NE(history[2].data.find("\"rule_version\":" + std::to_string(rule.version)),
            std::string::npos);

  // An admin changes the rule: a new version; the first event keeps the old one.
  RuleDraft draft;
  draft.category = listed_;
  draft.region_level = RegionLevel::kStreet;
  draft.department_id = rule.department_id;
  draft.time_limit = rule.time_limit + 1;
  draft.time_unit = rule.time_unit;
  const std::size_t updates = CountAudit("rule.update");
  auto saved = Sync<ResponsibilityRule>(
      [&](auto done) { app_->routing().SaveRule(Admin(), draft, false, std::move(done)); });
  ASSERT_TRUE(saved.has_value()) << saved.error().message;
  EXPECT_EQ(saved->version, rule.version + 1);
  EXPECT_EQ(CountAudit("rule.update"), updates + 1);
  Event second = Report(listed_);
  auto dispatched = Act(Dispatcher(), second, EventAction::kAccept);
  ASSERT_TRUE(dispatched.has_value());
  EXPECT_EQ(app_->routing().Routing(Dispatcher(), second.id)->value().rule_version,
            rule.version + 1);
  EXPECT_EQ(app_->routing().Routing(Dispatcher(), e.id)->value().rule_version, rule.version);
  auto versions = app_->routing().ListRules(Admin(), true);
  ASSERT_TRUE(versions.has_value());
  int seen = 0;
  for (const auto& r : *versions)
    seen += r.category == listed_ && r.region_level == RegionLevel::kStreet;
  EXPECT_EQ(seen, 2);  // both versions are kept
}

TEST_F(RoutingServiceTest, RuleEditsAreCheckedAndRefusedWithoutChange) {
  RuleDraft draft;
  draft.category = listed_;
  draft.region_level = RegionLevel::kStreet;
  draft.department_id = departments_[0];
  draft.time_limit = 3;
  auto as_dispatcher = Sync<ResponsibilityRule>(
      [&](auto done) { app_->routing().SaveRule(Dispatcher(), draft, false, std::move(done)); });
  ASSERT_FALSE(as_dispatcher.has_value());
  EXPECT_EQ(as_dispatcher.error().code, ErrorCode::kPermissionDenied);
  draft.department_id = 999999;
  auto unknown = Sync<ResponsibilityRule>(
      [&](auto done) { app_->routing().SaveRule(Admin(), draft, false, std::move(done)); });
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
  draft.department_id = departments_[0];
  auto twice = Sync<ResponsibilityRule>(
      [&](auto done) { app_->routing().SaveRule(Admin(), draft, true, std::move(done)); });
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().code, ErrorCode::kAlreadyExists);
  const int version = app_->routing().rules()->Find(listed_, RegionLevel::kStreet)->version;
  auto current = app_->store().LoadRules(true);
  ASSERT_TRUE(current.has_value());
  for (const auto& r : *current) {
    if (r.category == listed_ && r.region_level == RegionLevel::kStreet) {
      EXPECT_EQ(r.version, version);
    }
  }
}

TEST_F(RoutingServiceTest, NegotiatedDispatchCoHandlersReportAndTheLeadFinishes) {
  clock_->Set("2026-03-03T10:00:00+08:00");
  Event e = Report(silent_);
  auto accepted = Act(Dispatcher(), e, EventAction::kAccept);
  ASSERT_TRUE(accepted.has_value());
  EXPECT_EQ(accepted->status, EventStatus::kAccepted);  // the list is silent: no automatic dispatch
  const DepartmentId lead = departments_[0], a = departments_[1], b = departments_[2];
  auto refused = Sync<Event>([&](auto done) {
    app_->routing().DispatchNegotiated(Dispatcher(), e.id, accepted->version, lead, {lead, a}, "",
                                       std::move(done));
  });
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  auto dispatched = Sync<Event>([&](auto done) {
    app_->routing().DispatchNegotiated(Dispatcher(), e.id, accepted->version, lead, {a, b},
                                       "三部门商定", std::move(done));
  });
  ASSERT_TRUE(dispatched.has_value()) << dispatched.error().message;
  EXPECT_EQ(dispatched->department_id, lead);
  EXPECT_TRUE(dispatched->deadline.has_value());
  auto part = Sync<Event>([&](auto done) {
    app_->routing().ReportCoHandlerPart(Handler(a), e.id, "已完成本部门部分", std::move(done));
  });
  ASSERT_TRUE(part.has_value()) << part.error().message;
  auto again = Sync<Event>([&](auto done) {
    app_->routing().ReportCoHandlerPart(Handler(a), e.id, "再报", std::move(done));
  });
  EXPECT_EQ(again.error().code, ErrorCode::kFailedPrecondition);
  auto stranger = Sync<Event>([&](auto done) {
    app_->routing().ReportCoHandlerPart(Handler(departments_[3]), e.id, "x", std::move(done));
  });
  EXPECT_EQ(stranger.error().code, ErrorCode::kNotFound);
  auto routing = app_->routing().Routing(Dispatcher(), e.id)->value();
  EXPECT_EQ(routing.mode, DispatchMode::kNegotiated);
  ASSERT_EQ(routing.co_handlers.size(), 2u);
  EXPECT_TRUE(routing.co_handlers[0].department_id == a
                  ? routing.co_handlers[0].reported_at.has_value()
                  : routing.co_handlers[1].reported_at.has_value());
  // The lead claims and reports back: the event is handled.
  Event current = app_->store().FindEvent(e.id)->value();
  auto claimed = Act(Handler(lead), current, EventAction::kClaim);
  ASSERT_TRUE(claimed.has_value()) << claimed.error().message;
  auto handled = Act(Handler(lead), *claimed, EventAction::kFeedback, "牵头部门已办结");
  ASSERT_TRUE(handled.has_value());
  EXPECT_EQ(handled->status, EventStatus::kHandled);
}

TEST_F(RoutingServiceTest, ALeaderDesignatesWhereTheListIsSilentAndAddsTheCategory) {
  clock_->Set("2026-03-04T10:00:00+08:00");
  // A category silent at street level, distinct from the one other tests rely on.
  std::string category;
  for (const Category& c : ref_->categories()) {
    if (c.parent_code.empty() && c.code != silent_ &&
        app_->routing().rules()->Find(c.code, RegionLevel::kStreet) == nullptr) {
      category = c.code;
      break;
    }
  }
  ASSERT_FALSE(category.empty());
  Event e = Report(category);
  auto accepted = Act(Dispatcher(), e, EventAction::kAccept);
  ASSERT_TRUE(accepted.has_value());
  const DepartmentId chosen = departments_[4];
  auto by_dispatcher = Sync<Event>([&](auto done) {
    app_->routing().Designate(Dispatcher(), e.id, accepted->version, chosen, std::nullopt, "",
                              std::move(done));
  });
  EXPECT_EQ(by_dispatcher.error().code, ErrorCode::kPermissionDenied);
  RuleDraft add;
  add.time_limit = 2;
  add.time_unit = TimeUnit::kWorkingDays;
  auto designated = Sync<Event>([&](auto done) {
    app_->routing().Designate(Leader(), e.id, accepted->version, chosen, add, "指定办理",
                              std::move(done));
  });
  ASSERT_TRUE(designated.has_value()) << designated.error().message;
  EXPECT_EQ(designated->department_id, chosen);
  EXPECT_EQ(*designated->deadline,
            ref_->calendar().Deadline(clock_->Now(), 2, TimeUnit::kWorkingDays));
  ASSERT_NE(app_->routing().rules()->Find(category, RegionLevel::kStreet), nullptr);
  // From now on the list answers: the next such event is dispatched on acceptance.
  Event next = Report(category);
  auto auto_dispatched = Act(Dispatcher(), next, EventAction::kAccept);
  ASSERT_TRUE(auto_dispatched.has_value());
  EXPECT_EQ(auto_dispatched->status, EventStatus::kDispatched);
  EXPECT_EQ(auto_dispatched->department_id, chosen);
}

TEST_F(RoutingServiceTest, WhistleShowsWhoCameAndWhoWasLate) {
  clock_->Set("2026-03-05T09:00:00+08:00");
  Event e = Report(silent_);
  const DepartmentId a = departments_[0], b = departments_[1], c = departments_[2];
  auto bad = Sync<Whistle>([&](auto done) {
    app_->routing().BlowWhistle(StreetLead(), e.id, {a, a}, 30, "", std::move(done));
  });
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  auto not_street = Sync<Whistle>([&](auto done) {
    app_->routing().BlowWhistle(Dispatcher(), e.id, {a}, 30, "", std::move(done));
  });
  EXPECT_EQ(not_street.error().code, ErrorCode::kPermissionDenied);  // a city-level dispatcher
  auto whistle = Sync<Whistle>([&](auto done) {
    app_->routing().BlowWhistle(StreetLead(), e.id, {a, b, c}, 30, "街道吹哨，请各部门到场",
                                std::move(done));
  });
  ASSERT_TRUE(whistle.has_value()) << whistle.error().message;
  clock_->Set("2026-03-05T09:10:00+08:00");
  ASSERT_TRUE(Sync<Whistle>([&](auto done) {
                app_->routing().ReportToWhistle(Handler(a), whistle->id, std::move(done));
              }).has_value());
  clock_->Set("2026-03-05T09:45:00+08:00");
  ASSERT_TRUE(Sync<Whistle>([&](auto done) {
                app_->routing().ReportToWhistle(Handler(b), whistle->id, std::move(done));
              }).has_value());
  auto twice = Sync<Whistle>([&](auto done) {
    app_->routing().ReportToWhistle(Handler(b), whistle->id, std::move(done));
  });
  EXPECT_EQ(twice.error().code, ErrorCode::kFailedPrecondition);
  auto stranger = Sync<Whistle>([&](auto done) {
    app_->routing().ReportToWhistle(Handler(departments_[5]), whistle->id, std::move(done));
  });
  EXPECT_EQ(stranger.error().code, ErrorCode::kNotFound);
  auto views = app_->routing().Whistles(StreetLead(), e.id);
  ASSERT_TRUE(views.has_value());
  ASSERT_EQ(views->size(), 1u);
  const WhistleView& v = views->front();
  ASSERT_EQ(v.whistle.calls.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const DepartmentId d = v.whistle.calls[i].department_id;
    EXPECT_EQ(v.whistle.calls[i].reported_at.has_value(), d != c) << d;  // who came
    EXPECT_EQ(v.late[i], d != a) << d;  // b came after 30 min, c has not come
  }
  EXPECT_GE(CountAudit("whistle.report"), 2u);
}

TEST_F(RoutingServiceTest, EscalationChainMovesOwnerAndClockAndKeepsEveryLevel) {
  clock_->Set("2026-03-06T09:00:00+08:00");
  Event e = Report(listed_);
  auto dispatched = Act(Dispatcher(), e, EventAction::kAccept);
  ASSERT_TRUE(dispatched.has_value());
  ASSERT_EQ(dispatched->owner_region_id, street_);
  const TimeMs first_deadline = *dispatched->deadline;
  clock_->Set("2026-03-09T10:00:00+08:00");
  auto up = Act(Dispatcher(), *dispatched, EventAction::kEscalate, "街道无法协调，请区级处理");
  ASSERT_TRUE(up.has_value()) << up.error().message;
  EXPECT_EQ(up->owner_region_id, district_);
  EXPECT_EQ(up->escalation_level, 1);
  // The district's rule dispatches it again; the clock restarts from the escalation.
  const ResponsibilityRule* district_rule =
      app_->routing().rules()->Find(listed_, RegionLevel::kDistrict);
  ASSERT_NE(district_rule, nullptr);
  EXPECT_EQ(up->status, EventStatus::kDispatched);
  EXPECT_EQ(up->department_id, district_rule->department_id);
  EXPECT_EQ(*up->deadline, ref_->calendar().Deadline(clock_->Now(), district_rule->time_limit,
                                                     district_rule->time_unit));
  EXPECT_GT(*up->deadline, first_deadline);
  auto top = Act(Dispatcher(), *up, EventAction::kEscalate, "区级无法解决，请市级处理");
  ASSERT_TRUE(top.has_value());
  EXPECT_EQ(top->owner_region_id, city_);
  EXPECT_EQ(top->status, EventStatus::kAccepted);  // no city-level rule: waits for a dispatcher
  auto beyond = Act(Dispatcher(), *top, EventAction::kEscalate, "再上报");
  ASSERT_FALSE(beyond.has_value());
  EXPECT_EQ(beyond.error().code, ErrorCode::kFailedPrecondition);
  std::vector<std::string> chain;
  for (const HistoryEntry& h : History(e.id)) {
    if (h.action == EventAction::kEscalate) chain.push_back(h.note + " " + h.data);
  }
  ASSERT_EQ(chain.size(), 2u);
  EXPECT_NE(chain[0].find("街道无法协调"), std::string::npos);
  EXPECT_NE(chain[0].find("\"from_region\":" + std::to_string(street_)), std::string::npos);
  EXPECT_NE(chain[1].find("\"to_region\":" + std::to_string(city_)), std::string::npos);
}

TEST_F(RoutingServiceTest, AutomaticSupervisionFiresExactlyOncePerLevel) {
  clock_->Set("2026-03-02T09:00:00+08:00");
  Event e = Report(listed_);
  auto dispatched = Act(Dispatcher(), e, EventAction::kAccept);
  ASSERT_TRUE(dispatched.has_value());
  ASSERT_TRUE(dispatched->deadline.has_value());
  const auto routing = app_->routing().Routing(Dispatcher(), e.id)->value();
  const DeadlineClock clock = app_->routing().ClockOf(*dispatched, &routing);

  // The watcher with the real supervision write; each write's outcome re-arms it.
  std::mutex mu;
  std::condition_variable cv;
  int writes = 0;
  std::unique_ptr<DeadlineWatcher> watcher;
  watcher = std::make_unique<DeadlineWatcher>(*clock_, [&](EventId id) {
    app_->routing().SuperviseDue(id, [&, id](Result<RoutingService::Supervised> r) {
      if (r) watcher->Watch(id, r->next_due);
      std::lock_guard lock(mu);
      ++writes;
      cv.notify_all();
    });
  });
  watcher->Start();
  watcher->Watch(e.id, app_->routing().NextSupervisionAt(*dispatched));
  auto wait_writes = [&](int n) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(20), [&] { return writes >= n; });
  };
  auto level = [&] { return app_->store().FindEvent(e.id)->value().supervision_level; };
  auto notices = [&] { return app_->routing().Notices(Dispatcher(), e.id)->size(); };

  clock_->Set(clock.deadline - 1);
  watcher->Wake();
  EXPECT_EQ(level(), 0);
  clock_->Set(clock.deadline);  // 100%
  watcher->Wake();
  ASSERT_TRUE(wait_writes(1));
  EXPECT_EQ(level(), 1);
  EXPECT_EQ(notices(), 1u);
  // A second firing for the same level (a duplicate wake-up) writes nothing.
  auto repeat = Sync<RoutingService::Supervised>(
      [&](auto done) { app_->routing().SuperviseDue(e.id, std::move(done)); });
  ASSERT_TRUE(repeat.has_value());
  EXPECT_EQ(notices(), 1u);
  clock_->Set(SupervisionDueAt(ref_->calendar(), clock, 2));  // 150%
  watcher->Wake();
  ASSERT_TRUE(wait_writes(2));
  EXPECT_EQ(level(), 2);
  clock_->Set(SupervisionDueAt(ref_->calendar(), clock, 3) + 86'400'000LL * 30);  // far beyond
  watcher->Wake();
  ASSERT_TRUE(wait_writes(3));
  EXPECT_EQ(level(), 3);
  watcher->Wake();
  watcher->Stop();
  EXPECT_EQ(notices(), 3u);
  int supervise_rows = 0;
  for (const HistoryEntry& h : History(e.id)) {
    if (h.action == EventAction::kSupervise) {
      ++supervise_rows;
      EXPECT_EQ(h.actor_name, "system");
    }
  }
  EXPECT_EQ(supervise_rows, 3);
  // The department's queue shows it as supervised and overdue.
  const Actor handler = Handler(dispatched->department_id);
  auto supervised = app_->routing().Queue(handler, QueueKind::kSupervised, 500, 0);
  ASSERT_TRUE(supervised.has_value());
  bool found = false;
  for (const Event& q : supervised->items) found = found || q.id == e.id;
  EXPECT_TRUE(found);
  auto overdue = app_->routing().Queue(handler, QueueKind::kOverdue, 500, 0);
  found = false;
  for (const Event& q : overdue->items) found = found || q.id == e.id;
  EXPECT_TRUE(found);
}

TEST_F(RoutingServiceTest, SuspensionPausesTheClockInOfficeTime) {
  clock_->Set("2026-03-02T09:00:00+08:00");
  Event e = Report(listed_);
  auto dispatched = Act(Dispatcher(), e, EventAction::kAccept);
  ASSERT_TRUE(dispatched.has_value());
  const TimeMs deadline = *dispatched->deadline;
  clock_->Set("2026-03-06T16:30:00+08:00");  // Friday
  auto suspended = Act(Dispatcher(), *dispatched, EventAction::kSuspend, "等待鉴定");
  ASSERT_TRUE(suspended.has_value());
  clock_->Set("2026-03-09T09:30:00+08:00");  // Monday: one office hour on each side
  auto resumed = Act(Dispatcher(), *suspended, EventAction::kResume);
  ASSERT_TRUE(resumed.has_value()) << resumed.error().message;
  EXPECT_EQ(*resumed->deadline, ref_->calendar().AddWorkingMs(deadline, 2 * 3'600'000));
}

TEST_F(RoutingServiceTest, DuplicatesAreProposedAndMerged) {
  clock_->Set("2026-03-10T09:00:00+08:00");
  Event first = Report(silent_);
  clock_->Set("2026-03-10T11:00:00+08:00");
  Event near = Report(silent_, 0.0001, 0.0001);  // about 15 m away
  Event far = Report(silent_, 0.02, 0);          // about 2 km away
  Event other = Report(listed_, 0.0001, 0);      // another category
  auto proposals = app_->routing().Duplicates(Dispatcher(), near.id);
  ASSERT_TRUE(proposals.has_value());
  bool proposed = false;
  for (const auto& p : *proposals) {
    proposed = proposed || (p.event_id == near.id && p.candidate_id == first.id &&
                            p.state == DuplicateState::kProposed);
  }
  EXPECT_TRUE(proposed);
  for (const Event& e : {far, other}) {
    auto listed = app_->routing().Duplicates(Dispatcher(), e.id);
    ASSERT_TRUE(listed.has_value());
    for (const auto& p : *listed) EXPECT_NE(p.candidate_id, first.id) << e.id;
  }
  auto merged = Sync<Event>([&](auto done) {
    app_->routing().ResolveDuplicate(Dispatcher(), near.id, first.id, true, std::move(done));
  });
  ASSERT_TRUE(merged.has_value()) << merged.error().message;
  EXPECT_EQ(merged->status, EventStatus::kMerged);
  EXPECT_EQ(merged->merged_into, first.id);
  bool recorded = false;
  for (const HistoryEntry& h : History(first.id)) {
    recorded =
        recorded || h.data.find("\"merged_from\":" + std::to_string(near.id)) != std::string::npos;
  }
  EXPECT_TRUE(recorded);
  auto after = app_->routing().Duplicates(Dispatcher(), near.id);
  ASSERT_TRUE(after.has_value());
  for (const auto& p : *after) {
    if (p.candidate_id == first.id) {
      EXPECT_EQ(p.state, DuplicateState::kMerged);
    }
  }
}

TEST_F(RoutingServiceTest, TheRuleDecidesWhoVerifiesAndNoneClosesOnTheLeadsReport) {
  clock_->Set("2026-03-11T09:00:00+08:00");
  // Two street rules other tests do not use: one verified by the grid worker, one by no one.
  std::vector<ResponsibilityRule> spare;
  for (const ResponsibilityRule& r : app_->routing().rules()->rules()) {
    if (r.region_level == RegionLevel::kStreet && r.category != listed_ && r.co_handlers.empty() &&
        spare.size() < 2) {
      spare.push_back(r);
    }
  }
  ASSERT_EQ(spare.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    RuleDraft draft;
    draft.category = spare[i].category;
    draft.region_level = RegionLevel::kStreet;
    draft.department_id = spare[i].department_id;
    draft.time_limit = spare[i].time_limit;
    draft.time_unit = spare[i].time_unit;
    draft.verification = i == 0 ? Verification::kReporter : Verification::kNone;
    ASSERT_TRUE(Sync<ResponsibilityRule>([&](auto done) {
                  app_->routing().SaveRule(Admin(), draft, false, std::move(done));
                }).has_value());
  }
  auto handle = [&](const ResponsibilityRule& rule) {
    Event e = Report(rule.category);
    auto dispatched = Act(Dispatcher(), e, EventAction::kAccept);
    EXPECT_TRUE(dispatched.has_value());
    auto claimed = Act(Handler(rule.department_id), *dispatched, EventAction::kClaim);
    EXPECT_TRUE(claimed.has_value());
    return Act(Handler(rule.department_id), *claimed, EventAction::kFeedback, "已办结");
  };
  auto handled = handle(spare[0]);
  ASSERT_TRUE(handled.has_value()) << handled.error().message;
  ASSERT_EQ(handled->status, EventStatus::kHandled);
  ActionRequest verify;
  verify.action = EventAction::kVerify;
  verify.expected_version = handled->version;
  verify.passed = true;
  auto by_centre = Sync<Event>(
      [&](auto done) { app_->events().Act(Dispatcher(), handled->id, verify, std::move(done)); });
  ASSERT_FALSE(by_centre.has_value());
  EXPECT_EQ(by_centre.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(app_->store().FindEvent(handled->id)->value().status, EventStatus::kHandled);
  const Actor grid_worker = Make("grid_worker", {Role::kGridWorker}, grid_->id);
  auto by_grid_worker = Sync<Event>(
      [&](auto done) { app_->events().Act(grid_worker, handled->id, verify, std::move(done)); });
  ASSERT_TRUE(by_grid_worker.has_value()) << by_grid_worker.error().message;
  EXPECT_EQ(by_grid_worker->status, EventStatus::kClosed);

  auto closed = handle(spare[1]);  // verification "none": the lead's report closes it
  ASSERT_TRUE(closed.has_value()) << closed.error().message;
  EXPECT_EQ(closed->status, EventStatus::kClosed);
  EXPECT_EQ(History(closed->id).back().actor_name, "system");
}

}  // namespace
}  // namespace civicgrid
