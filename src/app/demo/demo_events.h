// Generates the demo city's events: when and where they are reported, by whom, about what, and
// what happened to them since, by running the real state machine (ApplyAction) step by step so
// that every history is one the server could have written.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "app/demo/demo_random.h"
#include "app/demo/demo_territory.h"
#include "core/common/result.h"
#include "core/events/event.h"
#include "core/identity/actor.h"

namespace civicgrid {

class Crypto;
class WorkingCalendar;

// A demo user as the generator acts with it.
struct DemoPerson {
  Actor actor;
  std::string display_name;
  std::string phone;
};

// The stored reference data the events refer to (ids filled in after the inserts).
struct DemoWorld {
  const DemoTerritory* territory = nullptr;  // regions[].id set
  std::vector<DepartmentId> department_ids;  // parallel to DemoDepartments()
  std::vector<DemoPerson> grid_workers;      // one per grid (gw_<code>)
  DemoPerson grid_worker_login;              // "grid_worker", in the first grid
  std::vector<DemoPerson> handlers;          // one per department (handler_<code>)
  DemoPerson handler_login;                  // "handler", in kDemoMainDepartment
  std::vector<DemoPerson> dispatchers;
  std::vector<DemoPerson> operators;  // hotline and front-desk staff
  std::vector<DemoPerson> leaders;
  std::vector<DemoPerson> street_leads;  // one per street
  std::vector<DemoPerson> citizens;      // registered users of the web and app channels
  DemoPerson camera;                     // the video-analytics platform's account
  DemoPerson transfer;                   // the 12345 platform that transfers orders
  DemoPerson petition_desk;              // the letters-and-visits reception
};

// A unit of generated events with their history rows, ready to be written.
struct DemoBatch {
  std::vector<Event> events;  // number holds the day ("20261121"); the writer appends "-NNNNNN"
  std::vector<HistoryEntry> history;     // every row of every event, in order
  std::vector<std::size_t> history_end;  // per event: one past its last row in `history`
};

class DemoEventGenerator {
 public:
  // Events are numbered from `first_id` in order of creation; `total` are spread over the
  // 365 days before `now`.
  DemoEventGenerator(const DemoWorld& world, const WorkingCalendar& calendar, const Crypto& crypto,
                     std::uint64_t seed, std::int64_t total, TimeMs now, EventId first_id);
  ~DemoEventGenerator();
  DemoEventGenerator(const DemoEventGenerator&) = delete;
  DemoEventGenerator& operator=(const DemoEventGenerator&) = delete;

  std::int64_t generated() const;
  // Appends the next `count` events (fewer at the end) to `out`. Fails only on a bug: an action
  // the state machine refuses.
  Status Next(std::int64_t count, DemoBatch& out);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace civicgrid
