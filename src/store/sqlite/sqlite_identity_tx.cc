// SqliteWriteTx: identity administration (issue 4). Statements are prepared on first use and
// kept in the connection's statement cache.
#include "store/sqlite/sqlite_write_tx.h"
#include "store/sqlite/user_row.h"

namespace civicgrid {

Result<std::optional<User>> SqliteWriteTx::FindUser(UserId id) {
  static const std::string kSql =
      std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?";
  auto stmt = conn_.Prepare(kSql);
  if (!stmt) return stmt.error();
  Stmt s(*stmt);
  s.Bind(1, id);
  const int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<User>();
  if (rc != SQLITE_ROW) return SqliteError(conn_.db(), rc, "reading a user");
  return std::optional<User>(ReadUser(s));
}

Status SqliteWriteTx::UpdateUser(const User& u) {
  auto stmt = conn_.Prepare(
      "UPDATE users SET display_name = ?2, password_hash = ?3, roles = ?4, region_id = ?5, "
      "department_id = ?6, disabled = ?7, must_change_password = ?8 WHERE id = ?1");
  if (!stmt) return stmt.error();
  Stmt s(*stmt);
  s.Bind(1, u.id);
  s.Bind(2, u.display_name);
  s.Bind(3, u.password_hash);
  s.Bind(4, static_cast<std::int64_t>(u.roles.bits()));
  s.Bind(5, u.region_id);
  s.Bind(6, u.department_id);
  s.Bind(7, u.disabled ? 1 : 0);
  s.Bind(8, u.must_change_password ? 1 : 0);
  if (Status st = Done(s.Step(), "updating a user"); !st.ok()) return st;
  if (sqlite3_changes(conn_.db()) == 0) {
    return Fail(ErrorCode::kNotFound, "user " + std::to_string(u.id) + " not found", "id");
  }
  return Status::Ok();
}

Status SqliteWriteTx::DeleteUserSessions(UserId id) {
  auto stmt = conn_.Prepare("DELETE FROM sessions WHERE user_id = ?");
  if (!stmt) return stmt.error();
  Stmt s(*stmt);
  s.Bind(1, id);
  return Done(s.Step(), "ending a user's sessions");
}

}  // namespace civicgrid
