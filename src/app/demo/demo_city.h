// `civicgrid demo`: a realistic synthetic city written into an empty store — the region tree
// with grid polygons, departments, the responsibility list, users for every role and a year of
// events in every state with coherent, hash-chained histories. Deterministic for a given seed
// and `now` (apart from password hashes' salts and a generated password).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.h"
#include "core/common/time.h"

namespace civicgrid {

class Crypto;
class Store;
class WorkingCalendar;

struct DemoOptions {
  std::int64_t events = 20000;
  std::uint64_t seed = 1;
  std::string password;  // every demo user's password; empty: a random one, returned in logins
  TimeMs now = 0;        // "today": events lie in the 365 days before it; 0 = the system clock
  // Called on the calling thread with a stage name and the fraction of it done, often.
  std::function<void(std::string_view stage, double fraction)> progress;
};

struct DemoLogin {
  std::string username;  // the role's name: admin, dispatcher, handler, ...
  std::string role;
  std::string password;
};

struct DemoSummary {
  std::vector<DemoLogin> logins;  // one per role, in Role order
  std::int64_t regions = 0, grids = 0, departments = 0, categories = 0, users = 0, events = 0,
               history_rows = 0;
  double seconds = 0;
};

// Writes the demo city through `store` (its writer; reads only to check that it is empty).
// Fails with kFailedPrecondition when the store already holds regions, and with the store's
// error when a write fails (what was committed before stays).
Result<DemoSummary> GenerateDemoCity(Store& store, const Crypto& crypto,
                                     const WorkingCalendar& calendar, const DemoOptions& options);

}  // namespace civicgrid
