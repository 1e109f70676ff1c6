// The SQLite schema as an ordered list of migrations. PRAGMA user_version holds the number of
// migrations applied; Open applies the missing ones in order, each in its own transaction.
#pragma once

#include <span>

#include "core/common/result.h"

namespace civicgrid {

class Connection;

struct SqliteMigration {
  int version;      // user_version after this migration: 1, 2, ...
  const char* sql;  // one or more statements
  // Work SQL cannot do, run after `sql` in the same transaction (e.g. filling an index from
  // existing rows with C++ text folding); may be null.
  Status (*backfill)(Connection& conn);
};

// All migrations, oldest first; the last one's version is the current schema version.
std::span<const SqliteMigration> SqliteMigrations();

// The open statuses (IsOpen), as the SQL list the overdue filter and its partial index share.
// A test checks it against the core's IsOpen.
inline constexpr const char* kSqlOpenStatuses =
    "('reported','accepted','dispatched','in_progress','handled')";

}  // namespace civicgrid
