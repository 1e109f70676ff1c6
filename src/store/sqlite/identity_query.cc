#include "store/sqlite/identity_query.h"

#include <string>
#include <vector>

#include "store/sqlite/audit_row.h"
#include "store/sqlite/user_row.h"

namespace civicgrid {

Result<UserPage> ListUsersOn(Connection& conn, const UserQuery& query) {
  std::string sql = std::string("SELECT ") + kUserColumns + " FROM users WHERE 1";
  if (query.before_id > 0) sql += " AND id < ?1";
  if (!query.region_code.empty()) {
    sql += " AND region_id IN (SELECT id FROM regions WHERE substr(code, 1, length(?2)) = ?2)";
  }
  sql += " ORDER BY id DESC LIMIT ?3";
  auto stmt = conn.Prepare(sql);
  if (!stmt) return stmt.error();
  Stmt s(*stmt);
  if (query.before_id > 0) s.Bind(1, query.before_id);
  if (!query.region_code.empty()) s.Bind(2, query.region_code);
  s.Bind(3, static_cast<std::int64_t>(query.limit) + 1);
  UserPage page;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) page.items.push_back(ReadUser(s));
  if (rc != SQLITE_DONE) return SqliteError(conn.db(), rc, "listing users");
  if (page.items.size() > static_cast<std::size_t>(query.limit)) {
    page.items.pop_back();
    page.has_more = true;
  }
  return page;
}

Result<AuditPage> ListAuditOn(Connection& conn, const AuditQuery& query) {
  std::string sql = std::string("SELECT ") + kAuditColumns + " FROM audit_log WHERE 1";
  if (query.actor_id != 0) sql += " AND actor_id = ?1";
  if (!query.object_type.empty()) sql += " AND object_type = ?2";
  if (!query.object_id.empty()) sql += " AND object_id = ?3";
  if (query.from) sql += " AND at >= ?4";
  if (query.to) sql += " AND at < ?5";
  if (query.before_seq > 0) sql += " AND seq < ?6";
  sql += " ORDER BY seq DESC LIMIT ?7";
  auto stmt = conn.Prepare(sql);
  if (!stmt) return stmt.error();
  Stmt s(*stmt);
  if (query.actor_id != 0) s.Bind(1, query.actor_id);
  if (!query.object_type.empty()) s.Bind(2, query.object_type);
  if (!query.object_id.empty()) s.Bind(3, query.object_id);
  if (query.from) s.Bind(4, *query.from);
  if (query.to) s.Bind(5, *query.to);
  if (query.before_seq > 0) s.Bind(6, query.before_seq);
  s.Bind(7, static_cast<std::int64_t>(query.limit) + 1);
  AuditPage page;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) page.items.push_back(ReadAudit(s));
  if (rc != SQLITE_DONE) return SqliteError(conn.db(), rc, "listing the audit log");
  if (page.items.size() > static_cast<std::size_t>(query.limit)) {
    page.items.pop_back();
    page.has_more = true;
  }
  return page;
}

}  // namespace civicgrid
