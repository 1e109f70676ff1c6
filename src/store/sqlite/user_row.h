// The users row of the SQLite schema: its column list and the code that reads one back.
#pragma once

#include "core/identity/user.h"
#include "store/sqlite/sqlite_connection.h"

namespace civicgrid {

inline constexpr const char* kUserColumns =
    "id, username, display_name, password_hash, roles, region_id, department_id, disabled, "
    "must_change_password";

// Reads the user at the current row of `stmt` (columns kUserColumns from index 0).
User ReadUser(const Stmt& s);

}  // namespace civicgrid
