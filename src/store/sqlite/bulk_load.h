// Bulk loading: a store that is about to take a large amount of data (the demo city, imports)
// drops its secondary indexes and builds them once at the end:
// one sorted build is several times cheaper than as many random b-tree inserts. The dropped
// definitions are kept in the database (deferred_indexes), so a load that crashes midway has
// them rebuilt at the next Open.
#pragma once

#include <functional>

#include "core/common/result.h"
#include "store/sqlite/sqlite_connection.h"

namespace civicgrid {

// Records and drops every explicit non-unique index. Unique indexes stay: they enforce
// constraints; so does the index the writer seeks in every transaction (events_created).
Status DeferIndexes(Connection& c);

// Whether indexes are deferred (a bulk load is under way or was interrupted).
Result<bool> HasDeferredIndexes(Connection& c);

// Builds what DeferIndexes deferred, reporting the fraction done after each index.
Status BuildDeferredIndexes(Connection& c, const std::function<void(double)>& progress);

// Unjournaled loading (SqliteOptions::unjournaled), for a new database: records in store_meta
// that a load without a journal is under way, then leaves WAL for journal_mode OFF.
Status BeginUnjournaledLoad(Connection& c);

// Syncs the loaded database, returns it to WAL and forgets the record, so that it counts as
// loaded only once everything in it is on disk.
Status EndUnjournaledLoad(Connection& c);

// Fails (kFailedPrecondition) on a database whose unjournaled load did not finish: a crash
// without a journal may have left it inconsistent, so it must be made again.
Status RefuseUnfinishedUnjournaledLoad(Connection& c);

}  // namespace civicgrid
