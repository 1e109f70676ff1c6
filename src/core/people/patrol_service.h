// Use cases of grid workers' duty: patrol check-ins with a position (placed in its grid), the
// daily log 民情日志, and for leaders the patrol coverage per grid and who has not patrolled.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/common/result.h"
#include "core/identity/actor.h"
#include "core/people/base_data.h"
#include "core/people/people_service.h"

namespace civicgrid {

struct GridCoverage {
  RegionId grid_id = 0;
  std::string code;
  std::string name;
  int check_ins = 0;
  int workers = 0;  // distinct users who checked in there
};

struct IdleWorker {
  UserId user_id = 0;
  std::string username;
  std::string display_name;
  RegionId grid_id = 0;
};

struct CoverageReport {
  TimeMs from = 0;
  TimeMs to = 0;
  std::vector<GridCoverage> grids;        // every grid of the scope, by code
  std::vector<IdleWorker> not_patrolled;  // grid workers of the scope without a check-in
  int covered_grids = 0;
};

class PatrolService {
 public:
  using ReferenceSource = std::function<std::shared_ptr<const ReferenceData>()>;
  template <typename T>
  using Done = std::function<void(Result<T>)>;

  PatrolService(Store& store, const Clock& clock, const Crypto& crypto, ReferenceSource reference);

  // Called after each committed check-in (camera alarms keep the latest positions; issue 5).
  // Set once while wiring, before requests arrive.
  void SetCheckInListener(std::function<void(const Actor&, const PatrolCheckIn&)> listener) {
    check_in_listener_ = std::move(listener);
  }
  void CheckIn(const Actor& actor, std::optional<double> lon, std::optional<double> lat,
               std::string note, Done<PatrolCheckIn> done);
  // `day` YYYY-MM-DD (Shanghai); empty: today.
  void WriteLog(const Actor& actor, std::string day, std::string content, Done<PatrolLog> done);
  Result<std::vector<PatrolCheckIn>> ListCheckIns(const Actor& actor, ListOptions options,
                                                  UserId user_id, std::optional<TimeMs> from,
                                                  std::optional<TimeMs> to);
  Result<std::vector<PatrolLog>> ListLogs(const Actor& actor, ListOptions options, UserId user_id,
                                          std::optional<TimeMs> from, std::optional<TimeMs> to);
  // Coverage of [from, to) (default: today in Shanghai) in the caller's scope or `region_id`.
  Result<CoverageReport> Coverage(const Actor& actor, RegionId region_id,
                                  std::optional<TimeMs> from, std::optional<TimeMs> to);

 private:
  Store& store_;
  const Clock& clock_;
  const Crypto& crypto_;
  ReferenceSource reference_;
  std::function<void(const Actor&, const PatrolCheckIn&)> check_in_listener_;
};

}  // namespace civicgrid
