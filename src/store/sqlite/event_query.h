// ListEvents on SQLite: the query is turned into one or more "arms", each an SQL query for the ids
// of matching events newest first that one index answers in order (an equality on an indexed
// column, then the keyset range on id), so that a page costs about `limit` index entries per arm
// instead of a sort of every match. A disjunction (the visibility criteria, several statuses, the
// codes under a category prefix) becomes one arm per alternative; the page is the top of the
// merged arms. Text search drives from the FTS index instead, which yields rowids in order too.
#pragma once

#include <string>
#include <vector>

#include "core/common/result.h"
#include "core/ports/store.h"
#include "store/sqlite/sqlite_connection.h"

namespace civicgrid {

struct EventQueryArm {
  std::string sql;  // selects `id`, newest first, at most `limit + 1` rows
  std::vector<SqlValue> binds;
};

struct EventQueryPlan {
  bool empty = false;  // nothing can match (e.g. no visibility, an unknown category)
  // One arm walking events_created backwards (id, created_at), without a LIMIT: the caller keeps
  // the largest ids and stops by the creation-order bound (a creation-time range on its own).
  bool walk_created = false;
  std::vector<EventQueryArm> arms;
};

// Plans `query` on `conn` (which it reads to list the category codes under a prefix).
Result<EventQueryPlan> PlanEventQuery(Connection& conn, const EventQuery& query);

// Runs the query on `conn` in one read transaction.
Result<EventPage> ListEventsOn(Connection& conn, const EventQuery& query);

}  // namespace civicgrid
