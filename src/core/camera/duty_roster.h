// The latest patrol position of every grid worker, in memory, for "the nearest on-duty grid
// worker" of a camera alarm (issue 5). Bursts of thousands of alarms per second must not scan
// the patrol table: positions are bucketed in cells of about 1 km and a lookup searches rings
// of cells outwards from the alarm until no nearer worker can exist. Filled from the store when
// the server starts and updated after every committed check-in. Thread-safe: lookups share a
// lock, updates take it alone.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <shared_mutex>
#include <unordered_map>
#include <vector>

#include "core/common/time.h"
#include "core/identity/actor.h"

namespace civicgrid {

struct DutyCandidate {
  UserId user_id = 0;
  double lon = 0;
  double lat = 0;
  TimeMs at = 0;  // the check-in
  double metres = 0;
};

// Metres between two nearby points (equirectangular; exact enough within a city).
double ApproxMetres(double lon1, double lat1, double lon2, double lat2);

class DutyRoster {
 public:
  // Keeps the newer of the held and the given position of `user`.
  void Update(UserId user, double lon, double lat, TimeMs at);
  void Remove(UserId user);
  // The nearest user whose latest position is at or after `since`, within `max_metres`, for
  // whom `eligible` (when set) answers true; nullopt when there is none.
  std::optional<DutyCandidate> Nearest(double lon, double lat, TimeMs since, double max_metres,
                                       const std::function<bool(UserId)>& eligible = {}) const;
  std::size_t size() const;

 private:
  struct Entry {
    double lon = 0;
    double lat = 0;
    TimeMs at = 0;
    std::int64_t cell = 0;
  };
  static std::int64_t CellOf(double lon, double lat);
  mutable std::shared_mutex mu_;
  std::unordered_map<UserId, Entry> users_;
  std::unordered_map<std::int64_t, std::vector<UserId>> cells_;
};

}  // namespace civicgrid
