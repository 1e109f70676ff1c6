// Reading the rows of one query into values: the loop every SqliteStore read shares.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/sqlite_connection.h"

namespace civicgrid {

// Runs `sql` with `binds` and appends every row, read with `read`, to `out`.
template <typename T>
Status CollectRows(Connection& c, const std::string& sql, const std::vector<SqlValue>& binds,
                   T (*read)(const Stmt&), std::vector<T>& out, std::string_view doing) {
  auto prepared = c.Prepare(sql);
  if (!prepared) return prepared.error();
  Stmt s(*prepared);
  for (std::size_t i = 0; i < binds.size(); ++i) s.Bind(static_cast<int>(i + 1), binds[i]);
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(read(s));
  if (rc != SQLITE_DONE) return SqliteError(c.db(), rc, doing);
  return Status::Ok();
}

// The first row of `sql`, or none.
template <typename T>
Result<std::optional<T>> FirstRow(Connection& c, const std::string& sql,
                                  const std::vector<SqlValue>& binds, T (*read)(const Stmt&),
                                  std::string_view doing) {
  std::vector<T> rows;
  if (Status s = CollectRows(c, sql, binds, read, rows, doing); !s) return s.error();
  if (rows.empty()) return std::optional<T>();
  return std::optional<T>(std::move(rows.front()));
}

}  // namespace civicgrid
