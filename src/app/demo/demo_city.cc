#include "app/demo/demo_city.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <future>
#include <memory>
#include <mutex>

#include "app/demo/demo_catalog.h"
#include "app/demo/demo_events.h"
#include "app/demo/demo_rules.h"
#include "app/demo/demo_territory.h"
#include "app/demo/demo_text.h"
#include "core/ports/crypto.h"
#include "core/ports/store.h"
#include "core/routing/working_calendar.h"

namespace civicgrid {

namespace {

// Events per unit of work (one savepoint in the store's group commit; bigger units cost fewer
// savepoints), units the writer has not started yet, and units not yet committed (memory).
constexpr std::int64_t kEventsPerUnit = 2500;
constexpr int kUnitsQueued = 2;
constexpr int kUnitsInFlight = 6;

// A user to create; `person` (if any) receives its actor once it has an id.
struct UserPlan {
  std::string username;
  std::string display_name;
  std::string phone;
  RoleSet roles;
  int region = -1;      // index into DemoTerritory::regions
  int department = -1;  // index into DemoDepartments()
  DemoPerson* person = nullptr;
};

Status SubmitAndWait(Store& store, WriteWork work) {
  std::promise<Status> promise;
  auto future = promise.get_future();
  store.Submit(std::move(work), [&promise](Status s) { promise.set_value(std::move(s)); });
  return future.get();
}

int DepartmentIndex(std::string_view code) {
  const auto departments = DemoDepartments();
  for (std::size_t i = 0; i < departments.size(); ++i) {
    if (departments[i].code == code) return static_cast<int>(i);
  }
  return -1;
}

std::string Numbered(std::string_view prefix, int n, int width) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%0*d", width, n);
  return std::string(prefix) + buf;
}

// Everyone in the city, with their scope. Role-named logins first, in Role order.
std::vector<UserPlan> PlanUsers(const DemoTerritory& t, DemoWorld& world, std::uint64_t seed) {
  DemoRng rng(seed, 3);
  const auto departments = DemoDepartments();
  const int district = static_cast<int>(t.district);
  const int city = static_cast<int>(t.city);
  world.grid_workers.resize(t.grids.size());
  world.handlers.resize(departments.size());
  world.dispatchers.resize(4);
  world.operators.resize(5);
  world.leaders.resize(2);
  world.street_leads.resize(t.streets.size());
  world.citizens.resize(200);

  std::vector<UserPlan> plans;
  const auto add = [&](std::string username, RoleSet roles, int region, int department,
                       DemoPerson* person, std::string display_name = {}) {
    UserPlan p;
    p.username = std::move(username);
    p.display_name = display_name.empty() ? DemoPersonName(rng) : std::move(display_name);
    p.phone = DemoMobile(rng);
    p.roles = roles;
    p.region = region;
    p.department = department;
    p.person = person;
    plans.push_back(std::move(p));
  };
  const int main_department = DepartmentIndex(kDemoMainDepartment);
  const int police = DepartmentIndex("police");
  const int court = DepartmentIndex("court");
  for (int i = 0; i < kRoleCount; ++i) {
    const Role role = static_cast<Role>(i);
    std::string name(RoleName(role));
    switch (role) {
      case Role::kCitizen: add(name, {role}, -1, -1, &world.citizens[0]); break;
      case Role::kGridWorker:
        add(name, {role}, static_cast<int>(t.grids[0].region), -1, &world.grid_worker_login);
        break;
      case Role::kOperator: add(name, {role}, district, -1, &world.operators[0]); break;
      case Role::kDispatcher: add(name, {role}, district, -1, &world.dispatchers[0]); break;
      case Role::kHandler: add(name, {role}, -1, main_department, &world.handler_login); break;
      case Role::kStreetLead:
        add(name, {role}, static_cast<int>(t.streets[0]), -1, &world.street_leads[0]);
        break;
      case Role::kLeader: add(name, {role}, district, -1, &world.leaders[0]); break;
      case Role::kMediator: add(name, {role}, district, -1, nullptr); break;
      case Role::kPoliceClerk:
      case Role::kCustodian: add(name, {role}, district, police, nullptr); break;
      case Role::kProsecutorClerk:
        add(name, {role}, district, DepartmentIndex("procuratorate"), nullptr);
        break;
      case Role::kCourtClerk:
      case Role::kFinanceOfficer: add(name, {role}, district, court, nullptr); break;
      case Role::kLawyer: add(name, {role}, -1, -1, nullptr); break;
      case Role::kAuditor:
      case Role::kAdmin: add(name, {role}, city, -1, nullptr); break;
    }
  }
  for (std::size_t g = 0; g < t.grids.size(); ++g) {
    const Region& grid = t.regions[t.grids[g].region];
    add("gw_" + grid.code, {Role::kGridWorker}, static_cast<int>(t.grids[g].region), -1,
        &world.grid_workers[g]);
  }
  for (std::size_t d = 0; d < departments.size(); ++d) {
    add("handler_" + std::string(departments[d].code), {Role::kHandler}, -1, static_cast<int>(d),
        &world.handlers[d]);
  }
  for (int i = 1; i < 4; ++i) {
    add(Numbered("dispatcher_", i, 2), {Role::kDispatcher}, district, -1, &world.dispatchers[i]);
  }
  for (int i = 1; i < 5; ++i) {
    add(Numbered("operator_", i, 2), {Role::kOperator}, district, -1, &world.operators[i]);
  }
  add("leader_01", {Role::kLeader}, district, -1, &world.leaders[1]);
  for (std::size_t s = 0; s < t.streets.size(); ++s) {
    const Region& street = t.regions[t.streets[s]];
    if (s > 0) {
      add("sl_" + street.code, {Role::kStreetLead}, static_cast<int>(t.streets[s]), -1,
          &world.street_leads[s]);
    }
    add("med_" + street.code, {Role::kMediator}, static_cast<int>(t.streets[s]), -1, nullptr);
  }
  for (int i = 1; i < 200; ++i) {
    add(Numbered("cit_", i, 4), {Role::kCitizen}, -1, -1,
        &world.citizens[static_cast<std::size_t>(i)]);
  }
  add("video_ai", {Role::kOperator}, district, -1, &world.camera, "视频智能分析平台");
  add("platform_12345", {Role::kOperator}, city, -1, &world.transfer, "12345政务服务便民热线");
  add("petition_desk", {Role::kOperator}, district, DepartmentIndex("petition"),
      &world.petition_desk, "信访接待窗口");
  return plans;
}

}  // namespace

Result<DemoSummary> GenerateDemoCity(Store& store, const Crypto& crypto,
                                     const WorkingCalendar& calendar, const DemoOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const auto progress = [&options](std::string_view stage, double fraction) {
    if (options.progress) options.progress(stage, fraction);
  };
  if (options.events < 0) {
    return Fail(ErrorCode::kInvalidArgument, "the number of events must be >= 0", "events");
  }
  const TimeMs now = options.now != 0 ? options.now
                                      : std::chrono::duration_cast<std::chrono::milliseconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count();
  auto existing = store.LoadRegions();
  if (!existing) return existing.error();
  if (!existing->empty()) {
    return Fail(ErrorCode::kFailedPrecondition,
                "the database already has regions; generate the demo into a new database");
  }

  progress("passwords", 0);
  const std::string password =
      options.password.empty() ? crypto.RandomToken().substr(0, 12) : options.password;
  // One argon2id hash (slow by design) shared by every demo user: the string carries its own
  // salt, so it verifies for each of them; sharing a salt is acceptable for demo accounts only.
  auto password_hash = crypto.HashPassword(password);
  if (!password_hash) return password_hash.error();

  progress("territory", 0);
  DemoTerritory territory = BuildDemoTerritory(options.seed);
  DemoWorld world;
  world.territory = &territory;
  std::vector<UserPlan> plans = PlanUsers(territory, world, options.seed);
  const auto departments = DemoDepartments();
  const auto categories = DemoCategories();

  // Reference data in one unit: ids are assigned as the rows go in, parents first.
  std::vector<User> users(plans.size());
  Status stored = SubmitAndWait(store, [&](WriteTx& tx) -> Status {
    for (std::size_t i = 0; i < territory.regions.size(); ++i) {
      Region& r = territory.regions[i];
      const int parent = territory.parent[i];
      r.parent_id = parent < 0 ? 0 : territory.regions[static_cast<std::size_t>(parent)].id;
      if (auto s = tx.InsertRegion(r); !s) return s;
    }
    const RegionId district_id = territory.regions[territory.district].id;
    for (const auto& spec : departments) {
      Department d;
      d.code = std::string(spec.code);
      d.name = std::string(spec.name);
      d.name_en = std::string(spec.name_en);
      d.region_id = district_id;
      if (auto s = tx.InsertDepartment(d); !s) return s;
      world.department_ids.push_back(d.id);
    }
    for (const auto& spec : categories) {
      Category c;
      c.code = std::string(spec.code);
      c.name = std::string(spec.name);
      c.name_en = std::string(spec.name_en);
      c.parent_code = std::string(spec.parent);
      const int d = DepartmentIndex(spec.department);
      c.department_id = d < 0 ? 0 : world.department_ids[static_cast<std::size_t>(d)];
      c.time_limit = spec.time_limit;
      c.time_unit = spec.time_unit;
      c.priority = spec.priority;
      if (auto s = tx.UpsertCategory(c); !s) return s;
      if (auto s = SeedDemoRules(tx, crypto, c, now); !s) return s;
    }
    for (std::size_t i = 0; i < plans.size(); ++i) {
      const UserPlan& p = plans[i];
      User& u = users[i];
      u.username = p.username;
      u.display_name = p.display_name;
      u.password_hash = *password_hash;
      u.roles = p.roles;
      u.region_id = p.region < 0 ? 0 : territory.regions[static_cast<std::size_t>(p.region)].id;
      u.department_id =
          p.department < 0 ? 0 : world.department_ids[static_cast<std::size_t>(p.department)];
      if (auto s = tx.InsertUser(u); !s) return s;
    }
    return Status::Ok();
  });
  if (!stored) return stored.error();
  for (std::size_t i = 0; i < plans.size(); ++i) {
    if (plans[i].person == nullptr) continue;
    DemoPerson& person = *plans[i].person;
    const User& u = users[i];
    person.actor.user_id = u.id;
    person.actor.username = u.username;
    person.actor.roles = u.roles;
    person.actor.scope.department_id = u.department_id;
    if (plans[i].region >= 0) {
      const Region& r = territory.regions[static_cast<std::size_t>(plans[i].region)];
      person.actor.scope.region_id = r.id;
      person.actor.scope.region_code = r.code;
      person.actor.scope.region_level = static_cast<int>(r.level);
    }
    person.display_name = plans[i].display_name;
    person.phone = plans[i].phone;
  }
  progress("territory", 1);

  // Events: generated here while the writer stores the previous units.
  EventQuery newest;
  newest.visibility.all = true;
  newest.limit = 1;
  auto page = store.ListEvents(newest);
  if (!page) return page.error();
  const EventId first_id = page->items.empty() ? 1 : page->items.front().id + 1;
  DemoEventGenerator generator(world, calendar, crypto, options.seed, options.events, now,
                               first_id);
  // Flow control: the generator runs ahead of the writer by at most kUnitsQueued units that the
  // writer has not started yet, so that it keeps working while the writer commits a batch.
  std::mutex mu;
  std::condition_variable cv;
  int queued = 0;              // guarded by mu: submitted, work not started
  int in_flight = 0;           // guarded by mu: submitted, not done
  std::int64_t committed = 0;  // guarded by mu: events in units that are done
  Status failure;              // guarded by mu: the first failed unit's
  // Done batches, freed here rather than on the writer thread, the bottleneck (a batch is tens of
  // thousands of strings).
  std::vector<std::shared_ptr<DemoBatch>> done_batches;  // guarded by mu
  std::int64_t history_rows = 0;
  Status generated;
  const auto fraction = [&] {
    return static_cast<double>(committed) / static_cast<double>(options.events);
  };
  progress("events", 0);
  while (generator.generated() < options.events) {
    {
      std::vector<std::shared_ptr<DemoBatch>> to_free;
      {
        std::lock_guard lock(mu);
        to_free.swap(done_batches);
      }
    }
    auto batch = std::make_shared<DemoBatch>();
    generated = generator.Next(kEventsPerUnit, *batch);
    if (!generated) break;
    history_rows += static_cast<std::int64_t>(batch->history.size());
    double done_fraction = 0;
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return queued < kUnitsQueued && in_flight < kUnitsInFlight; });
      if (!failure) break;
      ++queued;
      ++in_flight;
      done_fraction = fraction();
    }
    progress("events", done_fraction);
    auto unit_started = std::make_shared<bool>(false);
    store.Submit(
        [batch, unit_started, &mu, &cv, &queued](WriteTx& tx) -> Status {
          {
            std::lock_guard lock(mu);
            if (!*unit_started) --queued;  // the work may run again (store.h); count it once
            *unit_started = true;
          }
          cv.notify_all();
          std::size_t row = 0;
          std::string day;
          std::int64_t seq = 1, reserved_until = 0;  // seq..reserved_until: taken, not yet used
          for (std::size_t i = 0; i < batch->events.size(); ++i) {
            Event& e = batch->events[i];
            // The events come in creation order: take a day's numbers once for the run of its
            // events (one sequence update a day, not one an event).
            if (seq > reserved_until) {
              day = EventNumberDay(e.created_at);
              std::size_t run = i + 1;
              while (run < batch->events.size() &&
                     EventNumberDay(batch->events[run].created_at) == day) {
                ++run;
              }
              const auto count = static_cast<std::int64_t>(run - i);
              auto first = tx.ReserveDailySequences(day, count);
              if (!first) return first.error();
              seq = *first;
              reserved_until = *first + count - 1;
            }
            auto id = tx.NextEventId();
            if (!id) return id.error();
            if (*id != e.id) {
              return Fail(ErrorCode::kInternal, "the store gave event id " + std::to_string(*id) +
                                                    " where the demo " + "expected " +
                                                    std::to_string(e.id) +
                                                    "; generate the demo into a new database");
            }
            e.number = EventNumber(day, seq++);
            if (auto s = tx.InsertEvent(e); !s) return s;
            for (; row < batch->history_end[i]; ++row) {
              if (auto s = tx.AppendHistory(batch->history[row]); !s) return s;
            }
          }
          return Status::Ok();
        },
        [batch, unit_started, &mu, &cv, &queued, &in_flight, &committed, &failure,
         &done_batches](Status s) {
          {
            std::lock_guard lock(mu);
            if (!*unit_started) --queued;
            --in_flight;
            done_batches.push_back(batch);
            if (s) committed += static_cast<std::int64_t>(batch->events.size());
            if (!s && failure) failure = std::move(s);
          }
          cv.notify_all();
        });
  }
  for (;;) {
    double done_fraction = 0;
    {
      std::unique_lock lock(mu);
      if (cv.wait_for(lock, std::chrono::milliseconds(200), [&] { return in_flight == 0; })) {
        if (!failure) return failure.error();
        break;
      }
      done_fraction = fraction();
    }
    progress("events", done_fraction);
  }
  if (!generated) return generated.error();
  progress("events", 1);

  DemoSummary summary;
  for (int i = 0; i < kRoleCount; ++i) {
    const std::string role(RoleName(static_cast<Role>(i)));
    summary.logins.push_back({role, role, password});
  }
  summary.regions = static_cast<std::int64_t>(territory.regions.size());
  summary.grids = static_cast<std::int64_t>(territory.grids.size());
  summary.departments = static_cast<std::int64_t>(departments.size());
  summary.categories = static_cast<std::int64_t>(categories.size());
  summary.users = static_cast<std::int64_t>(plans.size());
  summary.events = generator.generated();
  summary.history_rows = history_rows;
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace civicgrid
