// Thin RAII over the SQLite C API for the SQLite adapter's own files: a connection with a cache of
// prepared statements, a statement handle that resets itself, and error mapping. Internal to
// src/store (it includes sqlite3.h); other layers see only sqlite_store.h.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/common/result.h"

namespace civicgrid {

// The canonical code for an SQLite result code: constraint violations are kAlreadyExists
// (unique keys) or kFailedPrecondition (foreign keys, checks, triggers), busy/locked/full are
// kUnavailable, the rest kInternal.
ErrorCode SqliteErrorCode(int rc);
// An Error for `rc` on `db`, with SQLite's message and what we were doing.
Error SqliteError(sqlite3* db, int rc, std::string_view doing);

class Connection;
// Runs `body` in a write transaction (BEGIN IMMEDIATE) on `c`: committed if it succeeds, rolled
// back otherwise.
Status InTransaction(Connection& c, std::string_view doing, const std::function<Status()>& body);

using SqlValue = std::variant<std::int64_t, double, std::string>;

// A prepared statement in use: binds by 1-based index, steps, reads columns; resets and clears
// its bindings when it goes out of scope so the cached statement is ready for the next user.
// Text is bound without copying: the bound strings must outlive the steps.
class Stmt {
 public:
  explicit Stmt(sqlite3_stmt* s) : s_(s) {}
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }

  void Bind(int i, std::int64_t v) { sqlite3_bind_int64(s_, i, v); }
  void Bind(int i, int v) { sqlite3_bind_int64(s_, i, v); }
  void Bind(int i, double v) { sqlite3_bind_double(s_, i, v); }
  void Bind(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data() != nullptr ? v.data() : "", static_cast<int>(v.size()),
                      SQLITE_STATIC);
  }
  void Bind(int i, const std::optional<std::int64_t>& v) {
    if (v) {
      sqlite3_bind_int64(s_, i, *v);
    } else {
      sqlite3_bind_null(s_, i);
    }
  }
  void Bind(int i, const SqlValue& v) {
    std::visit([&](const auto& x) { Bind(i, x); }, v);
  }
  void Bind(int i, const std::string& v) { Bind(i, std::string_view(v)); }
  void Bind(int i, const char* v) { Bind(i, std::string_view(v)); }

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(s_); }

  std::int64_t Int(int col) const { return sqlite3_column_int64(s_, col); }
  double Real(int col) const { return sqlite3_column_double(s_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  std::string_view Text(int col) const {
    const auto* p = sqlite3_column_text(s_, col);
    if (p == nullptr) return {};
    return {reinterpret_cast<const char*>(p),
            static_cast<std::size_t>(sqlite3_column_bytes(s_, col))};
  }
  std::optional<std::int64_t> OptionalInt(int col) const {
    if (IsNull(col)) return std::nullopt;
    return Int(col);
  }

  sqlite3_stmt* get() const { return s_; }

 private:
  sqlite3_stmt* s_;
};

// One database connection, used by one thread at a time, with its prepared statements.
class Connection {
 public:
  // Opens `path` (no mutex: the caller serializes use) and sets the busy timeout.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, bool create,
                                                  int busy_timeout_ms);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  sqlite3* db() const { return db_; }

  // The cached statement for `sql`, prepared on first use.
  Result<sqlite3_stmt*> Prepare(std::string_view sql);
  // Runs the cached statement `sql` (one statement, no results), e.g. SAVEPOINT or COMMIT.
  Status Run(std::string_view sql);
  // Runs one or more statements without results (pragmas, scripts), parsing them every time.
  Status Exec(const char* sql, std::string_view doing);
  // The first column of the first row of `sql` as an integer (e.g. a pragma).
  Result<std::int64_t> QueryInt(const char* sql);
  // The first column of the first row of `sql` as text.
  Result<std::string> QueryText(const char* sql);

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  static constexpr std::size_t kMaxCachedStatements = 512;
  sqlite3* db_;
  std::map<std::string, sqlite3_stmt*, std::less<>> cache_;
};

}  // namespace civicgrid
