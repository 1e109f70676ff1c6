// SqliteWriteTx: organisation units (issue 4). Statements are prepared on first use and kept in
// the connection's statement cache.
#include "store/sqlite/sqlite_write_tx.h"

namespace civicgrid {

namespace {

constexpr const char* kDepartmentColumns = "id, code, name, name_en, region_id, disabled";

Department ReadDepartment(Stmt& s) {
  Department d;
  d.id = s.Int(0);
  d.code = s.Text(1);
  d.name = s.Text(2);
  d.name_en = s.Text(3);
  d.region_id = s.Int(4);
  d.disabled = s.Int(5) != 0;
  return d;
}

}  // namespace

Result<std::optional<Department>> SqliteWriteTx::FindDepartment(DepartmentId id) {
  static const std::string kSql =
      std::string("SELECT ") + kDepartmentColumns + " FROM departments WHERE id = ?";
  auto stmt = conn_.Prepare(kSql);
  if (!stmt) return stmt.error();
  Stmt s(*stmt);
  s.Bind(1, id);
  const int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<Department>();
  if (rc != SQLITE_ROW) return SqliteError(conn_.db(), rc, "reading a department");
  return std::optional<Department>(ReadDepartment(s));
}

Result<std::optional<Department>> SqliteWriteTx::FindDepartmentByCode(std::string_view code) {
  static const std::string kSql =
      std::string("SELECT ") + kDepartmentColumns + " FROM departments WHERE code = ?";
  auto stmt = conn_.Prepare(kSql);
  if (!stmt) return stmt.error();
  Stmt s(*stmt);
  s.Bind(1, code);
  const int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<Department>();
  if (rc != SQLITE_ROW) return SqliteError(conn_.db(), rc, "reading a department");
  return std::optional<Department>(ReadDepartment(s));
}

Status SqliteWriteTx::UpdateDepartment(const Department& d) {
  auto stmt = conn_.Prepare(
      "UPDATE departments SET name = ?2, name_en = ?3, region_id = ?4, disabled = ?5 "
      "WHERE id = ?1");
  if (!stmt) return stmt.error();
  Stmt s(*stmt);
  s.Bind(1, d.id);
  s.Bind(2, d.name);
  s.Bind(3, d.name_en);
  s.Bind(4, d.region_id);
  s.Bind(5, d.disabled ? 1 : 0);
  if (Status st = Done(s.Step(), "updating a department"); !st.ok()) return st;
  if (sqlite3_changes(conn_.db()) == 0) {
    return Fail(ErrorCode::kNotFound, "department " + std::to_string(d.id) + " not found", "id");
  }
  return Status::Ok();
}

}  // namespace civicgrid
