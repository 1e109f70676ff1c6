// The demo city's base data (issue 3): for every grid 300-600 households with their residents
// (户籍, 流动, 留守, ... with valid, sealed ID numbers), places with points inside the grid, key
// persons with visit plans (some overdue), and the grid workers' patrols and daily logs of the
// last week. Deterministic for a seed and `now` (apart from the sealing nonces).
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "core/common/result.h"
#include "core/common/time.h"

namespace civicgrid {

class Cipher;
class Crypto;
class ReferenceData;
class Store;

struct DemoPeopleOptions {
  std::uint64_t seed = 1;
  int households_per_grid = -1;  // -1: 300 to 600 per grid (the default); 0: no base data
  TimeMs now = 0;
  std::function<void(std::string_view stage, double fraction)> progress;
};

struct DemoPeopleSummary {
  std::int64_t households = 0, residents = 0, places = 0, key_persons = 0, patrols = 0, logs = 0;
};

Result<DemoPeopleSummary> GenerateDemoPeople(Store& store, const Crypto& crypto,
                                             const Cipher& cipher, const ReferenceData& reference,
                                             const DemoPeopleOptions& options);

}  // namespace civicgrid
