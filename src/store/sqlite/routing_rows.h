// The routing tables of the SQLite schema (migration 5): column lists and row readers shared by
// the read pool (routing_store.cc) and the writer (routing_write_tx.cc).
#pragma once

#include <string>
#include <vector>

#include "core/common/result.h"
#include "core/routing/event_routing.h"
#include "core/routing/responsibility_rule.h"
#include "store/sqlite/sqlite_connection.h"

namespace civicgrid {

inline constexpr const char* kRuleColumns =
    "id,category,region_level,version,department_id,co_handlers,time_limit,time_unit,"
    "verification,created_at,created_by";
Result<ResponsibilityRule> ReadRule(const Stmt& s);
std::string EncodeIdList(const std::vector<DepartmentId>& ids);  // "3,7,9"

inline constexpr const char* kRoutingColumns =
    "event_id,mode,rule_id,rule_version,lead_department_id,clock_start,limit_ms,wall_clock,"
    "verification";
Result<EventRouting> ReadRouting(const Stmt& s);
std::optional<DispatchMode> DispatchModeFromName(std::string_view name);

// Reads the routing record of `id` with its co-handlers on `conn`.
Result<std::optional<EventRouting>> LoadEventRouting(Connection& conn, EventId id);
// Reads the whistle `id` (or every whistle of `event` when id is 0) with their calls.
Result<std::vector<Whistle>> LoadWhistles(Connection& conn, std::int64_t id, EventId event);

}  // namespace civicgrid
