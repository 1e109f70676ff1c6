// The responsibility list (权责清单 / 确责表, SPEC §3): for a category at a region level, which
// department answers, who helps, how long it may take and who verifies the result. Rules are
// versioned: an edit writes a new version and events keep the version they were dispatched under.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/common/time.h"
#include "core/routing/catalog.h"
#include "core/territory/region.h"

namespace civicgrid {

// Who checks the handler's result before the event closes.
enum class Verification : std::uint8_t { kNone, kReporter, kCentre };
std::string_view VerificationName(
    Verification v);  // "none", "reporter" (the grid worker), "centre"
std::optional<Verification> VerificationFromName(std::string_view name);

struct ResponsibilityRule {
  std::int64_t id = 0;  // the row of this version
  std::string category;
  RegionLevel region_level = RegionLevel::kStreet;
  int version = 1;  // 1, 2, ... per (category, region level)
  DepartmentId department_id = 0;
  std::vector<DepartmentId> co_handlers;
  int time_limit = 0;  // 0: no deadline
  TimeUnit time_unit = TimeUnit::kWorkingDays;
  Verification verification = Verification::kCentre;
  TimeMs created_at = 0;
  UserId created_by = 0;  // 0: seeded by the system
};

// The current version of every rule, indexed by (category, level). Immutable; swapped whole.
class ResponsibilityList {
 public:
  ResponsibilityList() = default;
  explicit ResponsibilityList(std::vector<ResponsibilityRule> current);

  // The rule for the category at that level, or nullptr when the list is silent.
  const ResponsibilityRule* Find(std::string_view category, RegionLevel level) const;
  const std::vector<ResponsibilityRule>& rules() const { return rules_; }

 private:
  static std::string Key(std::string_view category, RegionLevel level);
  std::vector<ResponsibilityRule> rules_;
  std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace civicgrid
