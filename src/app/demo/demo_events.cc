#include "app/demo/demo_events.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "app/demo/demo_catalog.h"
#include "app/demo/demo_text.h"
#include "core/events/history_chain.h"
#include "core/events/state_machine.h"
#include "core/ports/crypto.h"
#include "core/routing/working_calendar.h"

namespace civicgrid {

namespace {

constexpr TimeMs kNever = std::numeric_limits<TimeMs>::max();
constexpr int kDays = 365;

// Where the generated event stops, whatever its age (the backlog, and a guaranteed example of
// every status).
enum class Stop {
  kNone,
  kReported,
  kAccepted,
  kDispatched,
  kInProgress,
  kHandled,
  kRejected,
  kClosed,
  kEvaluated
};

// Share of reports per channel (grid_app, hotline, web, open311, camera, walk_in, petition,
// transfer), as in the order of EventSource.
constexpr std::array<double, kEventSourceCount> kSourceWeights = {45, 30, 8, 4, 5, 4, 2, 2};

// Reports per hour of the (Shanghai) day, by channel habits.
constexpr std::array<double, 24> kOfficeHours = {0.02, 0.01, 0.01, 0.01, 0.01, 0.02, 0.1,  0.5,
                                                 2.5,  4,    4,    3.5,  1.5,  2.5,  4,    4,
                                                 3.5,  2,    0.5,  0.2,  0.1,  0.05, 0.03, 0.02};
constexpr std::array<double, 24> kHotlineHours = {0.3, 0.15, 0.1, 0.1, 0.1, 0.2, 0.6, 1.5,
                                                  3,   4.5,  5,   4.5, 2.5, 3,   4.5, 5,
                                                  4.5, 3.5,  2.5, 2.5, 2.5, 2,   1.2, 0.6};
constexpr std::array<double, 24> kOnlineHours = {0.5, 0.3, 0.2, 0.1, 0.1, 0.2, 0.5, 1.2,
                                                 2,   3,   3.5, 3,   2.5, 2.5, 3,   3,
                                                 3,   2.5, 2.5, 3,   3.5, 3.5, 2.5, 1.2};
constexpr std::array<double, 24> kCameraHours = {0.5, 0.4, 0.3, 0.3, 0.3, 0.5, 1,   2,
                                                 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5,
                                                 2.5, 2.5, 2.5, 2,   1.5, 1,   0.8, 0.6};

int HourProfile(EventSource s) {
  switch (s) {
    case EventSource::kHotline: return 1;
    case EventSource::kWeb:
    case EventSource::kOpen311: return 2;
    case EventSource::kCamera: return 3;
    default: return 0;
  }
}

constexpr const char* kDescriptionPrefix[kEventSourceCount] = {
    "网格员巡查发现：",
    "市民来电反映：",
    "网友在政务服务网留言反映：",
    "市民通过“随手拍”应用反映：",
    "",
    "群众到综治中心窗口反映：",
    "来访群众反映：",
    "12345政务服务便民热线转办，市民反映：",
};
constexpr const char* kDescriptionSuffix[] = {
    "请相关部门尽快处理。", "希望尽快解决。", "诉求人要求尽快处理并回复。", "请予以核实处理。", "",
};
constexpr const char* kRejectNotes[] = {
    "经核实，该诉求不属于受理范围，已向诉求人解释说明",
    "诉求人电话无法接通，信息不全无法办理",
    "该事项已进入司法程序，已告知诉求人依法通过诉讼途径解决",
    "经现场核实，反映的问题不存在",
};
constexpr const char* kReturnNotes[] = {
    "该事项不属于本部门职责，请重新派遣",
    "经核实属于其他部门管辖，申请退回",
};
constexpr const char* kCommentNotes[] = {
    "诉求人再次来电询问办理进度",
    "已电话联系诉求人，说明正在办理",
    "诉求人补充反映：问题仍然存在",
};
constexpr const char* kSuperviseNotes[] = {
    "",
    "已超过办理时限，请加快办理并及时反馈",
    "超期未办结，列入督办，请部门负责人亲自协调",
    "挂牌督办，请于三个工作日内办结并报告",
};
constexpr const char* kSuspendNotes[] = {
    "需等待第三方检测鉴定结果，申请暂停计时",
    "涉及产权单位确认，申请暂停办理时限",
};
constexpr const char* kVerifyNotes[] = {
    "经现场核查，已整改到位",
    "电话回访诉求人，确认问题已解决",
};
constexpr const char* kRateNotes[] = {
    "",
    "回访诉求人，对处理结果不满意",
    "回访诉求人，对处理时效不满意",
    "回访诉求人，表示基本满意",
    "回访诉求人，表示满意",
    "回访诉求人，对处理结果非常满意",
};

template <typename T, std::size_t N>
const T& PickOf(const T (&items)[N], DemoRng& rng) {
  return items[rng.Below(static_cast<std::uint32_t>(N))];
}

// Shanghai days since the epoch.
std::int64_t LocalDay(TimeMs t) {
  const TimeMs local = t + kShanghaiOffsetMs;
  return (local >= 0 ? local : local - kMsPerDay + 1) / kMsPerDay;
}

// The role the report row names, as EventService::Create chooses it.
std::string_view ReportRole(const Actor& actor) {
  for (Role r :
       {Role::kOperator, Role::kGridWorker, Role::kDispatcher, Role::kStreetLead, Role::kCitizen}) {
    if (actor.roles.Has(r)) return RoleName(r);
  }
  return {};
}

struct CategoryInfo {
  const DemoCategorySpec* spec = nullptr;
  std::size_t department = 0;  // index into DemoDepartments()
  std::vector<std::string_view> titles, details, results;
};

double SeasonFactor(std::uint32_t flags, int month) {
  double f = 1;
  if (flags & kDemoHeating) {
    f *= (month >= 11 || month <= 3) ? 1.0 : (month == 10 || month == 4) ? 0.1 : 0.0;
  }
  if (flags & kDemoSummer) f *= (month >= 5 && month <= 9) ? 1.8 : 0.6;
  if (flags & kDemoWinter) {
    f *= (month == 12 || month <= 2) ? 2.5 : (month == 11 || month == 3) ? 1.2 : 0.7;
  }
  return f;
}

struct Stamp {
  TimeMs at = 0;
  EventSource source = EventSource::kWeb;
  friend bool operator<(const Stamp& a, const Stamp& b) {
    return a.at != b.at ? a.at < b.at : a.source < b.source;
  }
};

// A recent event, for duplicates to be merged into.
struct Recent {
  EventId id = 0;
  std::size_t category = 0;
  std::size_t grid = 0;
  double lon = 0, lat = 0;
  TimeMs created = 0;
  TimeMs open_until = kNever;
};

}  // namespace

class DemoEventGenerator::Impl {
 public:
  Impl(const DemoWorld& world, const WorkingCalendar& calendar, const Crypto& crypto,
       std::uint64_t seed, std::int64_t total, TimeMs now, EventId first_id);

  std::int64_t generated() const { return generated_; }
  Status Next(std::int64_t count, DemoBatch& out);

 private:
  Status One(std::size_t index, DemoBatch& out);
  // Runs the event's life from its report up to `now_` (or `stop`). Errors land in status_.
  void Simulate(Stop stop, bool self_resolve, const Recent* target, TimeMs merge_at);

  // One step of the state machine as `who` at `at` (at least a second after the previous
  // step), appended to the history. False (and status_ set) if the machine refuses: a bug.
  bool Act(const DemoPerson& who, TimeMs at, ActionRequest& request,
           TransitionContext context = {});
  bool Simple(const DemoPerson& who, TimeMs at, EventAction action, std::string note = {});
  // Supervision notices (督办) due before `next` on an overdue event, then whether `next` has
  // come: false means the event's story stops here.
  bool Wait(TimeMs next);

  TimeMs Minutes(int lo, int hi) { return rng_.Int64(lo, hi) * kMsPerMinute; }
  // A delay between lo and hi minutes, short ones more likely; minutes in a fast event.
  TimeMs Delay(int lo_minutes, int hi_minutes) {
    if (fast_) return Minutes(1, 20);
    const double u = rng_.Uniform();
    return (lo_minutes + static_cast<TimeMs>((hi_minutes - lo_minutes) * u * u)) * kMsPerMinute +
           rng_.Int64(0, 59) * kMsPerSecond;
  }
  // The same instant if it is in office hours, else a moment after the next opening.
  TimeMs Office(TimeMs t);
  // The same instant between 08:00 and 21:00, else a moment after the next 08:00: when the
  // centre calls people back and grid workers go and look.
  TimeMs Daytime(TimeMs t);
  bool Due(TimeMs t) const { return t <= now_; }

  const DemoPerson& Dispatcher() { return rng_.Pick(world_.dispatchers); }
  const DemoPerson& Operator() { return rng_.Pick(world_.operators); }
  const DemoPerson& Leader() { return rng_.Pick(world_.leaders); }
  const DemoPerson& Handler(std::size_t department) {
    const bool main = DemoDepartments()[department].code == kDemoMainDepartment;
    return main && rng_.Chance(0.5) ? world_.handler_login : world_.handlers[department];
  }
  const DemoPerson& GridWorker() {
    return grid_ == 0 && rng_.Chance(0.5) ? world_.grid_worker_login : world_.grid_workers[grid_];
  }
  std::optional<TimeMs> DeadlineFrom(TimeMs start) const {
    const auto& spec = *category_->spec;
    if (spec.time_limit <= 0) return std::nullopt;
    return calendar_.Deadline(start, spec.time_limit, spec.time_unit);
  }
  Attachment Photo() {
    return {"photo", "/demo/photos/" + std::to_string(rng_.Int(1, 24)) + ".jpg"};
  }
  void Describe(Event& e, EventSource source, const DemoGrid& grid);

  const DemoWorld& world_;
  const WorkingCalendar& calendar_;
  const Crypto& crypto_;
  DemoRng rng_;
  const TimeMs now_;
  const EventId first_id_;
  std::int64_t generated_ = 0;

  std::vector<Stamp> stamps_;  // creation times, sorted
  std::vector<std::pair<std::size_t, Stop>> forced_;
  std::vector<CategoryInfo> categories_;  // the leaves
  // [group][month - 1]: 0 every channel, 1 cameras, 2 petitions and disputes.
  std::array<std::array<WeightedTable, 12>, 3> category_tables_;
  // The categories the "handler" login's department answers for, for the newest report.
  WeightedTable main_department_categories_;
  WeightedTable grid_table_;
  std::array<Recent, 64> recent_{};
  std::size_t recent_count_ = 0;
  RegionId district_id_ = 0;

  // The event being simulated.
  Event ev_;
  const CategoryInfo* category_ = nullptr;
  std::size_t grid_ = 0;
  const DemoPerson* reporter_ = nullptr;  // when the reporter is a registered citizen
  std::size_t variant_ = 0;               // which title, and the detail and result that go with it
  bool fast_ = false;
  bool late_ = false;
  std::vector<HistoryEntry>* rows_ = nullptr;
  std::string prev_hash_;
  TimeMs last_at_ = 0;
  Status status_;
};

DemoEventGenerator::Impl::Impl(const DemoWorld& world, const WorkingCalendar& calendar,
                               const Crypto& crypto, std::uint64_t seed, std::int64_t total,
                               TimeMs now, EventId first_id)
    : world_(world),
      calendar_(calendar),
      crypto_(crypto),
      rng_(seed, 2),
      now_(now / kMsPerSecond * kMsPerSecond),
      first_id_(first_id) {
  const DemoTerritory& territory = *world.territory;
  district_id_ = territory.regions[territory.district].id;

  // Categories and their weights per month and channel group.
  const auto departments = DemoDepartments();
  for (const auto& spec : DemoCategories()) {
    if (spec.parent.empty()) continue;
    CategoryInfo info;
    info.spec = &spec;
    for (std::size_t d = 0; d < departments.size(); ++d) {
      if (departments[d].code == spec.department) info.department = d;
    }
    info.titles = SplitTemplates(spec.titles);
    info.details = SplitTemplates(spec.details);
    info.results = SplitTemplates(spec.results);
    categories_.push_back(std::move(info));
  }
  std::vector<double> main_weights;
  for (const auto& c : categories_) {
    main_weights.push_back(departments[c.department].code == kDemoMainDepartment ? c.spec->weight
                                                                                 : 0.0);
  }
  main_department_categories_ = WeightedTable(main_weights);
  for (int month = 1; month <= 12; ++month) {
    std::array<std::vector<double>, 3> weights;
    for (const auto& c : categories_) {
      const double w = c.spec->weight * SeasonFactor(c.spec->flags, month);
      weights[0].push_back(w);
      weights[1].push_back((c.spec->flags & kDemoCamera) ? w : 0);
      weights[2].push_back((c.spec->flags & kDemoPetition) ? w : 0);
    }
    for (std::size_t g = 0; g < 3; ++g) {
      category_tables_[g][static_cast<std::size_t>(month - 1)] = WeightedTable(weights[g]);
    }
  }
  std::vector<double> grid_weights;
  for (const auto& g : territory.grids) grid_weights.push_back(g.weight);
  grid_table_ = WeightedTable(grid_weights);

  // When: the past 365 days, a slowly growing number of reports (the platform is being taken
  // up), fewer on days off, by the hour habits of each channel.
  const std::int64_t today = LocalDay(now_);
  std::vector<double> day_weights;
  for (int d = 0; d < kDays; ++d) {
    const std::int64_t day = today - (kDays - 1) + d;
    const double trend = 0.75 + 0.5 * d / (kDays - 1);
    day_weights.push_back(trend * (calendar.IsWorkingDay(CivilFromDays(day)) ? 1.0 : 0.55));
  }
  const WeightedTable day_table(day_weights);
  const WeightedTable source_table(
      std::vector<double>(kSourceWeights.begin(), kSourceWeights.end()));
  const std::array<WeightedTable, 4> hour_tables = {
      WeightedTable(std::vector<double>(kOfficeHours.begin(), kOfficeHours.end())),
      WeightedTable(std::vector<double>(kHotlineHours.begin(), kHotlineHours.end())),
      WeightedTable(std::vector<double>(kOnlineHours.begin(), kOnlineHours.end())),
      WeightedTable(std::vector<double>(kCameraHours.begin(), kCameraHours.end()))};
  stamps_.reserve(static_cast<std::size_t>(std::max<std::int64_t>(total, 0)));
  for (std::int64_t i = 0; i < total; ++i) {
    Stamp s;
    do {
      s.source = static_cast<EventSource>(source_table.Pick(rng_));
      const auto day = today - (kDays - 1) + static_cast<std::int64_t>(day_table.Pick(rng_));
      const auto hour = static_cast<TimeMs>(
          hour_tables[static_cast<std::size_t>(HourProfile(s.source))].Pick(rng_));
      s.at = day * kMsPerDay - kShanghaiOffsetMs + hour * kMsPerHour +
             rng_.Int64(0, 3599) * kMsPerSecond;
    } while (s.at >= now_);
    stamps_.push_back(s);
  }
  std::sort(stamps_.begin(), stamps_.end());
  // The newest report is a hotline call still waiting for triage, about a matter of the
  // "handler" login's department: the printed logins can walk the whole loop on it (dispatcher
  // accepts, the list dispatches it to that department, handler claims) on any day.
  if (!stamps_.empty()) stamps_.back().source = EventSource::kHotline;

  // One example of each status among the newest events at least three days old, on a fast
  // track so that it surely gets there; the rest arise from the flow.
  const auto cut = std::upper_bound(stamps_.begin(), stamps_.end(),
                                    Stamp{now_ - 3 * kMsPerDay, EventSource::kTransfer});
  std::size_t k = static_cast<std::size_t>(cut - stamps_.begin());
  for (Stop stop : {Stop::kReported, Stop::kAccepted, Stop::kDispatched, Stop::kInProgress,
                    Stop::kHandled, Stop::kRejected, Stop::kClosed, Stop::kEvaluated}) {
    if (k == 0) break;
    forced_.emplace_back(--k, stop);
  }
}

TimeMs DemoEventGenerator::Impl::Office(TimeMs t) {
  if (fast_) return t;
  constexpr TimeMs kOpen = 8 * kMsPerHour + 30 * kMsPerMinute;
  constexpr TimeMs kClose = 17 * kMsPerHour + 30 * kMsPerMinute;
  std::int64_t day = LocalDay(t);
  const TimeMs in_day = t + kShanghaiOffsetMs - day * kMsPerDay;
  const bool working = calendar_.IsWorkingDay(CivilFromDays(day));
  if (working && in_day >= kOpen && in_day < kClose) return t;
  if (!(working && in_day < kOpen)) {
    for (int i = 0; i < 40; ++i) {
      ++day;
      if (calendar_.IsWorkingDay(CivilFromDays(day))) break;
    }
  }
  return day * kMsPerDay - kShanghaiOffsetMs + kOpen + Minutes(0, 150) +
         rng_.Int64(0, 59) * kMsPerSecond;
}

TimeMs DemoEventGenerator::Impl::Daytime(TimeMs t) {
  if (fast_) return t;
  const std::int64_t day = LocalDay(t);
  const TimeMs in_day = t + kShanghaiOffsetMs - day * kMsPerDay;
  if (in_day >= 8 * kMsPerHour && in_day < 21 * kMsPerHour) return t;
  const std::int64_t next = in_day < 8 * kMsPerHour ? day : day + 1;
  return next * kMsPerDay - kShanghaiOffsetMs + 8 * kMsPerHour + Minutes(0, 150) +
         rng_.Int64(0, 59) * kMsPerSecond;
}

bool DemoEventGenerator::Impl::Act(const DemoPerson& who, TimeMs at, ActionRequest& request,
                                   TransitionContext context) {
  at = std::max(at, last_at_ + kMsPerSecond);
  context.now = at;
  request.expected_version = ev_.version;
  auto transition = ApplyAction(ev_, request, who.actor, context);
  if (!transition) {
    status_ = Fail(ErrorCode::kInternal, "demo event " + std::to_string(ev_.id) + ": " +
                                             std::string(ActionName(request.action)) + " as " +
                                             who.actor.username +
                                             " refused: " + transition.error().message);
    return false;
  }
  ev_ = std::move(transition->after);
  HistoryEntry& h = transition->entry;
  h.seq = ++ev_.history_count;
  h.prev_hash = std::move(prev_hash_);
  h.hash = HistoryRowHash(crypto_, h);
  prev_hash_ = h.hash;
  last_at_ = at;
  rows_->push_back(std::move(h));
  return true;
}

bool DemoEventGenerator::Impl::Simple(const DemoPerson& who, TimeMs at, EventAction action,
                                      std::string note) {
  ActionRequest request;
  request.action = action;
  request.note = std::move(note);
  return Act(who, at, request);
}

bool DemoEventGenerator::Impl::Wait(TimeMs next) {
  // Only the handler's part is on the clock: dispatched and in progress.
  const bool handling =
      ev_.status == EventStatus::kDispatched || ev_.status == EventStatus::kInProgress;
  if (ev_.deadline && !fast_ && !ev_.suspended && handling) {
    const TimeMs deadline = *ev_.deadline;
    for (int level = ev_.supervision_level + 1; level <= 3; ++level) {
      const TimeMs after = level == 1   ? 2 * kMsPerHour
                           : level == 2 ? 3 * kMsPerDay
                                        : 15 * kMsPerDay;
      const TimeMs at = std::max(deadline + after + Minutes(0, 360), last_at_ + Minutes(5, 60));
      if (at >= next || !Due(at)) break;
      ActionRequest request;
      request.action = EventAction::kSupervise;
      request.level = level;
      request.note = kSuperviseNotes[level];
      if (!Act(level == 1 ? Dispatcher() : Leader(), at, request)) return false;
      late_ = true;
    }
  }
  return Due(next);
}

void DemoEventGenerator::Impl::Describe(Event& e, EventSource source, const DemoGrid& grid) {
  const auto& roads = world_.territory->roads;
  const std::size_t side = rng_.Below(4);
  DemoPlace place;
  place.compound = grid.compounds[rng_.Below(2)];
  place.road = roads[static_cast<std::size_t>(grid.roads[side])];
  place.cross = roads[static_cast<std::size_t>(grid.roads[(side < 2 ? 2 : 0) + rng_.Below(2)])];
  place.number = rng_.Int(1, 199);
  place.building = rng_.Int(1, 36);
  place.unit = rng_.Int(1, 6);

  e.address = "和平区";
  e.address += place.road;
  e.address += std::to_string(place.number) + "号";
  if (rng_.Chance(0.6)) {
    e.address += place.compound;
    e.address += std::to_string(place.building) + "号楼";
  }

  const CategoryInfo& c = *category_;
  if (source == EventSource::kCamera) {
    e.title = std::string(place.road) + std::to_string(place.number) + "号监控识别：";
    e.title += c.spec->name;
    e.description = "视频智能分析系统告警：监控点位（";
    e.description += place.road;
    e.description += std::to_string(place.number) + "号，编号CAM-" +
                     std::to_string(rng_.Int(10000, 99999)) + "）识别到“";
    e.description += c.spec->name;
    e.description +=
        "”，置信度0." + std::to_string(rng_.Int(80, 99)) + "，抓拍图片已上传，请核实处置。";
    return;
  }
  e.title.clear();
  AppendFilled(e.title, c.titles[variant_ % c.titles.size()], place, rng_);
  e.description = kDescriptionPrefix[static_cast<std::size_t>(source)];
  AppendFilled(e.description, c.details[variant_ % c.details.size()], place, rng_);
  e.description += "（地点：";
  e.description += e.address;
  e.description += "）。";
  e.description += PickOf(kDescriptionSuffix, rng_);
}

Status DemoEventGenerator::Impl::Next(std::int64_t count, DemoBatch& out) {
  const auto end =
      std::min<std::int64_t>(generated_ + count, static_cast<std::int64_t>(stamps_.size()));
  out.events.reserve(out.events.size() + static_cast<std::size_t>(end - generated_));
  out.history.reserve(out.history.size() + static_cast<std::size_t>(end - generated_) * 8);
  for (; generated_ < end; ++generated_) {
    if (auto s = One(static_cast<std::size_t>(generated_), out); !s) return s;
  }
  return Status::Ok();
}

Status DemoEventGenerator::Impl::One(std::size_t index, DemoBatch& out) {
  const DemoTerritory& territory = *world_.territory;
  const Stamp stamp = stamps_[index];
  const TimeMs created = stamp.at;
  const EventSource source = stamp.source;
  const int month = CivilFromDays(LocalDay(created)).month;

  const bool newest = index + 1 == stamps_.size();
  Stop stop = newest ? Stop::kReported : Stop::kNone;
  for (const auto& [i, s] : forced_) {
    if (i == index) stop = s;
  }
  fast_ = stop != Stop::kNone;
  late_ = false;
  if (!fast_) {
    if (now_ - created < 4 * kMsPerDay) {
      if (rng_.Chance(0.15)) {
        stop = static_cast<Stop>(static_cast<int>(Stop::kAccepted) + rng_.Int(0, 3));
      }
    } else {
      const double r = rng_.Uniform();
      stop = r < 0.003   ? Stop::kDispatched
             : r < 0.008 ? Stop::kInProgress
             : r < 0.010 ? Stop::kHandled
                         : Stop::kNone;
    }
  }

  // A duplicate of a recent open report: same category, same place, merged soon after.
  const Recent* target = nullptr;
  TimeMs merge_at = 0;
  const double merge_p = source == EventSource::kHotline  ? 0.04
                         : source == EventSource::kCamera ? 0.05
                                                          : 0.02;
  if (stop == Stop::kNone && rng_.Chance(merge_p)) {
    merge_at = created + Delay(3, 180);
    for (std::size_t n = 0; n < recent_count_; ++n) {
      const Recent& r = recent_[(recent_count_ - 1 - n) % recent_.size()];
      if (created - r.created > 7 * kMsPerDay) break;
      if (r.open_until > merge_at) {
        target = &r;
        break;
      }
    }
  }

  // What and where.
  const int group = source == EventSource::kCamera                       ? 1
                    : source == EventSource::kPetition                   ? 2
                    : source == EventSource::kWalkIn && rng_.Chance(0.5) ? 2
                                                                         : 0;
  const std::size_t category =
      target ? target->category
      : newest
          ? main_department_categories_.Pick(rng_)
          : category_tables_[static_cast<std::size_t>(group)][static_cast<std::size_t>(month - 1)]
                .Pick(rng_);
  category_ = &categories_[category];
  grid_ = target ? target->grid : grid_table_.Pick(rng_);
  const DemoGrid& grid = territory.grids[grid_];
  const Region& grid_region = territory.regions[grid.region];
  GeoPoint point;
  if (target) {
    point = {std::round((target->lon + rng_.Uniform(-3e-4, 3e-4)) * 1e6) / 1e6,
             std::round((target->lat + rng_.Uniform(-3e-4, 3e-4)) * 1e6) / 1e6};
    if (!PointInRing(grid_region.polygon.rings.front(), point.lon, point.lat)) {
      point = {target->lon, target->lat};
    }
  } else {
    point = SamplePointInGrid(grid, grid_region, rng_);
  }

  ev_ = Event();
  ev_.id = first_id_ + static_cast<EventId>(index);
  ev_.source = source;
  ev_.category = std::string(category_->spec->code);
  ev_.lon = point.lon;
  ev_.lat = point.lat;
  ev_.grid_id = grid_region.id;
  ev_.community_id = territory.regions[territory.communities[grid.community]].id;
  ev_.street_id = territory.regions[territory.streets[grid.street]].id;
  ev_.district_id = district_id_;
  ev_.owner_region_id = ev_.street_id;
  ev_.priority = category_->spec->priority;
  ev_.created_at = created;
  ev_.updated_at = created;

  // Who reported it.
  const DemoPerson* actor = nullptr;
  reporter_ = nullptr;
  switch (source) {
    case EventSource::kGridApp:
      actor = &GridWorker();
      ev_.reporter_name = actor->display_name;
      ev_.reporter_phone = actor->phone;
      break;
    case EventSource::kWeb:
    case EventSource::kOpen311:
      actor = reporter_ = &rng_.Pick(world_.citizens);
      ev_.reporter_name = actor->display_name;
      ev_.reporter_phone = actor->phone;
      break;
    case EventSource::kCamera:
      actor = &world_.camera;
      ev_.reporter_name = actor->display_name;
      break;
    case EventSource::kPetition: actor = &world_.petition_desk; break;
    case EventSource::kTransfer: actor = &world_.transfer; break;
    case EventSource::kHotline:
    case EventSource::kWalkIn: actor = &Operator(); break;
  }
  if (ev_.reporter_name.empty()) {
    ev_.reporter_name = rng_.Chance(source == EventSource::kHotline ? 0.35 : 0.1)
                            ? DemoPolitePerson(rng_)
                            : DemoPersonName(rng_);
    ev_.reporter_phone = DemoMobile(rng_);
  }
  ev_.reporter_user_id = actor->actor.user_id;
  std::vector<Attachment> report_attachments;
  if (source == EventSource::kGridApp || source == EventSource::kCamera ||
      (source == EventSource::kOpen311 && rng_.Chance(0.7))) {
    report_attachments.push_back(Photo());
  }

  // The report row, as EventService::Create writes it.
  rows_ = &out.history;
  HistoryEntry report;
  report.event_id = ev_.id;
  report.seq = 1;
  report.action = EventAction::kReport;
  report.actor_id = actor->actor.user_id;
  report.actor_name = actor->actor.username;
  report.actor_role = std::string(ReportRole(actor->actor));
  report.at = created;
  report.data = "{\"source\":\"" + std::string(SourceName(source)) + "\"}";
  report.prev_hash = GenesisHash();
  report.hash = HistoryRowHash(crypto_, report);
  prev_hash_ = report.hash;
  last_at_ = created;
  ev_.history_count = 1;
  rows_->push_back(std::move(report));

  variant_ = rng_.Below(static_cast<std::uint32_t>(category_->titles.size()));
  const bool self_resolve = source == EventSource::kGridApp && stop == Stop::kNone &&
                            (category_->spec->flags & kDemoSelfResolve) && rng_.Chance(0.45);
  Simulate(stop, self_resolve, target, merge_at);
  if (!status_) return status_;

  // The event row: the state the history leads to, plus what the machine never touches.
  Event& e = out.events.emplace_back(std::move(ev_));
  e.last_hash = prev_hash_;
  if (!report_attachments.empty()) {
    e.attachments.insert(e.attachments.begin(), report_attachments.begin(),
                         report_attachments.end());
  }
  Describe(e, source, grid);
  out.history_end.push_back(out.history.size());

  Recent& r = recent_[recent_count_++ % recent_.size()];
  r = Recent{e.id, category, grid_, e.lon, e.lat, created, e.closed_at.value_or(kNever)};
  return Status::Ok();
}

void DemoEventGenerator::Impl::Simulate(Stop stop, bool self_resolve, const Recent* target,
                                        TimeMs merge_at) {
  const CategoryInfo& cat = *category_;
  const auto result_note = [&] { return std::string(cat.results[variant_ % cat.results.size()]); };
  TimeMs t = ev_.created_at;
  if (stop == Stop::kReported) return;

  if (self_resolve) {
    if (!Wait(t += Delay(5, 90))) return;
    ActionRequest request;
    request.action = EventAction::kSelfResolve;
    request.note = "网格员现场处置：" + result_note();
    request.attachments.push_back(Photo());
    if (!Act(GridWorker(), t, request) || !rng_.Chance(0.2)) return;
    if (!Wait(t = Daytime(last_at_ + Delay(60, 48 * 60)))) return;
    ActionRequest rate;
    rate.action = EventAction::kRate;
    rate.rating = rng_.Chance(0.8) ? 5 : 4;
    rate.note = kRateNotes[rate.rating];
    Act(Operator(), t, rate);
    return;
  }

  const double reject_p = stop == Stop::kRejected                ? 1
                          : stop != Stop::kNone                  ? 0
                          : ev_.source == EventSource::kCamera   ? 0.12
                          : ev_.source == EventSource::kPetition ? 0.05
                                                                 : 0.035;
  if (rng_.Chance(reject_p)) {
    if (!Wait(t += Delay(3, 240))) return;
    Simple(Dispatcher(), t, EventAction::kReject,
           ev_.source == EventSource::kCamera ? "经核实为误报，现场无此问题"
                                              : PickOf(kRejectNotes, rng_));
    return;
  }
  if (target != nullptr) {
    if (!Wait(merge_at)) return;
    ActionRequest request;
    request.action = EventAction::kMerge;
    request.target = target->id;
    request.note = "经核实与已受理的同一位置同类事件反映同一问题，合并办理";
    TransitionContext context;
    context.target_mergeable = true;
    Act(Dispatcher(), merge_at, request, context);
    return;
  }

  if (!Wait(t += Delay(3, 240)) || !Simple(Dispatcher(), t, EventAction::kAccept)) return;
  if (stop == Stop::kAccepted) return;

  // 乡呼县应: the street cannot solve it and hands it up to the district.
  if (!fast_ && rng_.Chance(0.015)) {
    if (!Wait(t = last_at_ + Delay(60, 30 * 60))) return;
    ActionRequest request;
    request.action = EventAction::kEscalate;
    request.note = "涉及多个部门职责交叉，街道层面无法协调解决，提请区级协调";
    TransitionContext context;
    context.parent_region_id = district_id_;
    const DemoPerson& lead = world_.street_leads[world_.territory->grids[grid_].street];
    if (!Act(lead, t, request, context)) return;
  }

  // Dispatch, sometimes to the wrong department first, which returns it.
  const auto dispatch = [&](std::size_t department) {
    ActionRequest request;
    request.action = EventAction::kDispatch;
    request.department = world_.department_ids[department];
    request.note = rng_.Chance(0.3) ? "请按职责办理" : "";
    TransitionContext context;
    context.department_exists = true;
    context.dispatch_deadline = DeadlineFrom(std::max(t, last_at_ + kMsPerSecond));
    return Act(Dispatcher(), t, request, context);
  };
  if (!Wait(t = last_at_ + Delay(2, 120))) return;
  const std::size_t department = cat.department;
  if (!fast_ && rng_.Chance(0.04)) {
    const auto n = static_cast<std::uint32_t>(world_.department_ids.size());
    const std::size_t wrong = (department + 1 + rng_.Below(n - 1)) % n;
    if (!dispatch(wrong) || !Wait(t = Office(last_at_ + Delay(60, 16 * 60))) ||
        !Simple(Handler(wrong), t, EventAction::kReturn, PickOf(kReturnNotes, rng_)) ||
        !Wait(t = last_at_ + Delay(10, 120))) {
      return;
    }
  }
  if (!dispatch(department)) return;
  const DemoPerson& handler = Handler(department);

  if (!fast_ && rng_.Chance(0.06)) {
    if (!Wait(t = Daytime(last_at_ + Delay(30, 600))) ||
        !Simple(Operator(), t, EventAction::kComment, PickOf(kCommentNotes, rng_))) {
      return;
    }
  }
  if (stop == Stop::kDispatched) {
    Wait(now_ + 1);
    return;
  }

  // Urgent matters (limits in wall-clock hours) are taken on at once, day or night.
  const bool urgent = cat.spec->time_unit == TimeUnit::kHours;
  t = urgent ? last_at_ + Delay(5, 90) : Office(last_at_ + Delay(10, 360));
  if (!Wait(t) || !Simple(handler, t, EventAction::kClaim)) {
    return;
  }
  if (stop == Stop::kInProgress) {
    Wait(now_ + 1);
    return;
  }

  // The clock paused while something outside is awaited.
  if (!fast_ && rng_.Chance(0.015)) {
    if (!Wait(t = last_at_ + Delay(60, 24 * 60)) ||
        !Simple(Dispatcher(), t, EventAction::kSuspend, PickOf(kSuspendNotes, rng_)) ||
        !Wait(t = last_at_ + Delay(24 * 60, 10 * 24 * 60)) ||
        !Simple(rng_.Chance(0.5) ? Dispatcher() : Leader(), t, EventAction::kResume)) {
      return;
    }
  }

  // When the handler reports back: mostly well within the limit, sometimes late.
  const TimeMs start = last_at_;
  const auto plan_feedback = [&](TimeMs deadline) {
    if (fast_) return start + Minutes(10, 60);
    const double r = rng_.Uniform();
    const double fraction = r < 0.85   ? rng_.Uniform(0.1, 0.8)
                            : r < 0.95 ? rng_.Uniform(0.8, 1.0)
                                       : rng_.Uniform(1.05, 3.0);
    const TimeMs span = std::max<TimeMs>(deadline - start, 2 * kMsPerHour);
    const TimeMs at = start + static_cast<TimeMs>(static_cast<double>(span) * fraction);
    return urgent ? at : Office(at);
  };
  TimeMs feedback_at = plan_feedback(ev_.deadline.value_or(start + 3 * kMsPerDay));
  if (!fast_ && ev_.deadline && *ev_.deadline > start + kMsPerHour &&
      cat.spec->time_unit == TimeUnit::kWorkingDays && rng_.Chance(0.02)) {
    // A complex case: the deadline is extended before it passes.
    if (!Wait(t = start + (*ev_.deadline - start) / 2)) return;
    ActionRequest request;
    request.action = EventAction::kExtend;
    request.note = "情况复杂，涉及多个部门协调，申请延长办理时限";
    request.deadline = calendar_.Deadline(*ev_.deadline, rng_.Int(3, 10), TimeUnit::kWorkingDays);
    if (!Act(Dispatcher(), t, request)) return;
    feedback_at = plan_feedback(*ev_.deadline);
  }
  if (ev_.deadline && feedback_at > *ev_.deadline) late_ = true;
  if (!Wait(feedback_at)) return;
  ActionRequest feedback;
  feedback.action = EventAction::kFeedback;
  feedback.note = result_note() + "，已电话告知诉求人。";
  if (rng_.Chance(0.7)) feedback.attachments.push_back(Photo());
  if (!Act(handler, feedback_at, feedback) || stop == Stop::kHandled) return;

  // Verification on site or by phone; sometimes it fails and the handler must do it again.
  const auto verify = [&](bool passed) {
    ActionRequest request;
    request.action = EventAction::kVerify;
    request.passed = passed;
    request.note = passed ? PickOf(kVerifyNotes, rng_) : "现场核查未整改到位，退回重办";
    return Act(rng_.Chance(0.3) ? GridWorker() : Dispatcher(), t, request);
  };
  if (!Wait(t = Daytime(last_at_ + Delay(60, 48 * 60)))) return;
  if (!fast_ && rng_.Chance(0.03)) {
    if (!verify(false) || !Wait(t = Office(last_at_ + Delay(4 * 60, 72 * 60))) ||
        !Simple(handler, t, EventAction::kFeedback, "已按核查意见重新整改，现已整改到位") ||
        !Wait(t = Daytime(last_at_ + Delay(60, 48 * 60)))) {
      return;
    }
  }
  if (!verify(true) || stop == Stop::kClosed) return;

  // The call-back (回访), or the citizen's own rating.
  if (stop != Stop::kEvaluated && !rng_.Chance(0.8)) return;
  if (!Wait(t = Daytime(last_at_ + Delay(60, 72 * 60)))) return;
  static constexpr int kRatings[] = {5, 5, 5, 5, 5, 5, 4, 4, 4, 3};
  static constexpr int kLateRatings[] = {5, 5, 4, 4, 4, 3, 3, 2, 2, 1};
  ActionRequest rate;
  rate.action = EventAction::kRate;
  rate.rating = late_ ? PickOf(kLateRatings, rng_) : PickOf(kRatings, rng_);
  if (rng_.Chance(0.02)) rate.rating = 1;
  TransitionContext context;
  if (reporter_ != nullptr && rng_.Chance(0.6)) {
    context.actor_is_reporter = true;
    Act(*reporter_, t, rate, context);
    return;
  }
  rate.note = kRateNotes[rate.rating];
  Act(Operator(), t, rate, context);
}

DemoEventGenerator::DemoEventGenerator(const DemoWorld& world, const WorkingCalendar& calendar,
                                       const Crypto& crypto, std::uint64_t seed, std::int64_t total,
                                       TimeMs now, EventId first_id)
    : impl_(std::make_unique<Impl>(world, calendar, crypto, seed, total, now, first_id)) {}

DemoEventGenerator::~DemoEventGenerator() = default;

std::int64_t DemoEventGenerator::generated() const { return impl_->generated(); }

Status DemoEventGenerator::Next(std::int64_t count, DemoBatch& out) {
  return impl_->Next(count, out);
}

}  // namespace civicgrid
