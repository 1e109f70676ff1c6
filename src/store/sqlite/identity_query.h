// Reads of identity administration and the audit trail on one pooled connection (issue 4).
#pragma once

#include "core/audit/audit_record.h"
#include "core/identity/user.h"
#include "store/sqlite/sqlite_connection.h"

namespace civicgrid {

Result<UserPage> ListUsersOn(Connection& conn, const UserQuery& query);
// Newest first; each filter uses its index (audit_log_actor, audit_log_object, audit_log_at)
// with the keyset on seq.
Result<AuditPage> ListAuditOn(Connection& conn, const AuditQuery& query);

}  // namespace civicgrid
