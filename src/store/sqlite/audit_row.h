// The audit_log row of the SQLite schema: its column list, and the code that binds a record for
// the writer and reads one back for the read pool.
#pragma once

#include "core/audit/audit_record.h"
#include "store/sqlite/sqlite_connection.h"

namespace civicgrid {

// Every column of audit_log, in the order BindAudit and ReadAudit use.
inline constexpr const char* kAuditColumns =
    "seq,at,actor_id,actor_name,remote_address,action,object_type,object_id,before,after,"
    "prev_hash,hash";

// Binds parameters 1..12 of `stmt` in kAuditColumns order.
void BindAudit(Stmt& stmt, const AuditRecord& r);
// Reads the record at the current row of `stmt` (columns kAuditColumns from index 0).
AuditRecord ReadAudit(const Stmt& stmt);

}  // namespace civicgrid
