#include "store/sqlite/sqlite_connection.h"

namespace civicgrid {

ErrorCode SqliteErrorCode(int rc) {
  switch (rc & 0xFF) {
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY ||
          rc == SQLITE_CONSTRAINT_ROWID) {
        return ErrorCode::kAlreadyExists;
      }
      return ErrorCode::kFailedPrecondition;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY: return ErrorCode::kUnavailable;
    default: return ErrorCode::kInternal;
  }
}

Error SqliteError(sqlite3* db, int rc, std::string_view doing) {
  std::string msg(doing);
  msg += ": ";
  msg += db != nullptr && sqlite3_errcode(db) == rc ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return Error(SqliteErrorCode(rc), std::move(msg));
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, bool create,
                                                     int busy_timeout_ms) {
  // SQLite's memory statistics take a global mutex on every allocation, and nothing here reads
  // them. The setting only takes before SQLite initialises (the first open); later it is refused
  // and changes nothing.
  static const int kMemoryStatisticsOff = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)kMemoryStatisticsOff;
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (create) flags |= SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error e = SqliteError(db, rc, "opening database " + path);
    sqlite3_close_v2(db);
    return e;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  return std::unique_ptr<Connection>(new Connection(db));
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Result<sqlite3_stmt*> Connection::Prepare(std::string_view sql) {
  if (auto it = cache_.find(sql); it != cache_.end()) return it->second;
  if (cache_.size() >= kMaxCachedStatements) {
    // Only the dynamic list queries can grow the cache; start over rather than track use.
    for (auto& [text, stmt] : cache_) sqlite3_finalize(stmt);
    cache_.clear();
  }
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, "preparing a statement");
  if (stmt == nullptr) return Fail(ErrorCode::kInternal, "empty SQL statement");
  cache_.emplace(std::string(sql), stmt);
  return stmt;
}

Status Connection::Run(std::string_view sql) {
  auto stmt = Prepare(sql);
  if (!stmt) return stmt.error();
  Stmt s(*stmt);
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) return SqliteError(db_, rc, sql);
  return Status::Ok();
}

Status Connection::Exec(const char* sql, std::string_view doing) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string msg(doing);
  msg += ": ";
  msg += err != nullptr ? err : sqlite3_errstr(rc);
  sqlite3_free(err);
  return Error(SqliteErrorCode(rc), std::move(msg));
}

Result<std::int64_t> Connection::QueryInt(const char* sql) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql, -1, &raw, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, sql);
  rc = sqlite3_step(raw);
  std::int64_t v = 0;
  if (rc == SQLITE_ROW) v = sqlite3_column_int64(raw, 0);
  sqlite3_finalize(raw);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqliteError(db_, rc, sql);
  return v;
}

Result<std::string> Connection::QueryText(const char* sql) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql, -1, &raw, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, sql);
  rc = sqlite3_step(raw);
  std::string v;
  if (rc == SQLITE_ROW && sqlite3_column_text(raw, 0) != nullptr) {
    v = reinterpret_cast<const char*>(sqlite3_column_text(raw, 0));
  }
  sqlite3_finalize(raw);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqliteError(db_, rc, sql);
  return v;
}

Status InTransaction(Connection& c, std::string_view doing, const std::function<Status()>& body) {
  if (Status s = c.Exec("BEGIN IMMEDIATE", doing); !s.ok()) return s;
  Status s = body();
  if (s.ok()) s = c.Exec("COMMIT", doing);
  if (!s.ok()) (void)c.Exec("ROLLBACK", doing);
  return s;
}

}  // namespace civicgrid
