// SqliteStore reads of the base data (issue 3): households, residents, places, key persons,
// patrols. Lists are keyset-paged by descending id and filtered by the caller's region subtree.
#include <functional>

#include "store/sqlite/base_data_rows.h"
#include "store/sqlite/read_rows.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_store.h"

namespace civicgrid {

namespace {

// "SELECT columns FROM table WHERE scope AND extra [AND id < before] ORDER BY id DESC LIMIT n".
std::string PagedSelect(const char* columns, const char* table, const BaseDataQuery& q,
                        std::string conditions, std::vector<SqlValue>& binds) {
  std::vector<SqlValue> scope_binds;
  std::string sql = std::string("SELECT ") + columns + " FROM " + table + " WHERE " +
                    ScopeCondition(q.scope, scope_binds);
  binds.insert(binds.begin(), scope_binds.begin(), scope_binds.end());
  sql += conditions;
  if (q.before_id > 0) {
    sql += " AND id < ?";
    binds.emplace_back(std::int64_t{q.before_id});
  }
  sql += " ORDER BY id DESC LIMIT ?";
  binds.emplace_back(std::int64_t{q.limit});
  return sql;
}

}  // namespace

#define CIVICGRID_FIND_BY_ID(Type, Method, Columns, Table, Reader)                                \
  Result<std::optional<Type>> SqliteStore::Method(std::int64_t id) {                              \
    std::vector<Type> rows;                                                                       \
    Status s = WithReader([&](Connection& c) {                                                    \
      return CollectRows<Type>(c,                                                                 \
                               std::string("SELECT ") + Columns + " FROM " Table " WHERE id = ?", \
                               {SqlValue(std::int64_t{id})}, &Reader, rows, "reading " Table);    \
    });                                                                                           \
    if (!s) return s.error();                                                                     \
    if (rows.empty()) return std::optional<Type>();                                               \
    return std::optional<Type>(std::move(rows.front()));                                          \
  }

CIVICGRID_FIND_BY_ID(Household, FindHousehold, kHouseholdColumns, "households", ReadHousehold)
CIVICGRID_FIND_BY_ID(Resident, FindResident, kResidentColumns, "residents", ReadResident)
CIVICGRID_FIND_BY_ID(Place, FindPlace, kPlaceColumns, "places", ReadPlace)
CIVICGRID_FIND_BY_ID(KeyPerson, FindKeyPerson, kKeyPersonColumns, "key_persons", ReadKeyPerson)

#undef CIVICGRID_FIND_BY_ID

Result<std::vector<Household>> SqliteStore::ListHouseholds(const BaseDataQuery& q) {
  std::vector<SqlValue> binds;
  const std::string sql = PagedSelect(kHouseholdColumns, "households", q, "", binds);
  std::vector<Household> out;
  Status s = WithReader(
      [&](Connection& c) { return CollectRows(c, sql, binds, &ReadHousehold, out, "households"); });
  if (!s) return s.error();
  return out;
}

Result<std::vector<Resident>> SqliteStore::ListResidents(const BaseDataQuery& q) {
  std::vector<SqlValue> binds;
  std::string conditions;
  if (q.household_id != 0) {
    conditions += " AND household_id = ?";
    binds.emplace_back(std::int64_t{q.household_id});
  }
  if (q.resident_type) {
    conditions += " AND resident_type = ?";
    binds.emplace_back(std::string(ResidentTypeName(*q.resident_type)));
  }
  if (q.resident_status) {
    conditions += " AND status = ?";
    binds.emplace_back(std::string(ResidentStatusName(*q.resident_status)));
  }
  if (!q.id_blind.empty()) {
    conditions += " AND id_blind = ?";
    binds.emplace_back(q.id_blind);
  }
  const std::string sql = PagedSelect(kResidentColumns, "residents", q, conditions, binds);
  std::vector<Resident> out;
  Status s = WithReader(
      [&](Connection& c) { return CollectRows(c, sql, binds, &ReadResident, out, "residents"); });
  if (!s) return s.error();
  return out;
}

Result<std::vector<ResidentMove>> SqliteStore::ResidentMoves(std::int64_t resident_id) {
  std::vector<ResidentMove> out;
  Status s = WithReader([&](Connection& c) -> Status {
    auto prepared = c.Prepare(
        "SELECT id, resident_id, kind, at, grid_id, actor_id, note FROM resident_moves "
        "WHERE resident_id = ? ORDER BY id");
    if (!prepared) return prepared.error();
    Stmt st(*prepared);
    st.Bind(1, resident_id);
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      out.push_back({st.Int(0), st.Int(1), std::string(st.Text(2)), st.Int(3), st.Int(4), st.Int(5),
                     std::string(st.Text(6))});
    }
    if (rc != SQLITE_DONE) return SqliteError(c.db(), rc, "reading resident moves");
    return Status::Ok();
  });
  if (!s) return s.error();
  return out;
}

Result<std::vector<Place>> SqliteStore::ListPlaces(const BaseDataQuery& q) {
  std::vector<SqlValue> binds;
  std::string conditions;
  if (q.place_kind) {
    conditions += " AND kind = ?";
    binds.emplace_back(std::string(PlaceKindName(*q.place_kind)));
  }
  const std::string sql = PagedSelect(kPlaceColumns, "places", q, conditions, binds);
  std::vector<Place> out;
  Status s = WithReader(
      [&](Connection& c) { return CollectRows(c, sql, binds, &ReadPlace, out, "places"); });
  if (!s) return s.error();
  return out;
}

Result<std::vector<KeyPerson>> SqliteStore::ListKeyPersons(const BaseDataQuery& q) {
  std::vector<SqlValue> binds;
  std::string conditions;
  if (q.user_id != 0) {
    conditions += " AND worker_id = ?";
    binds.emplace_back(std::int64_t{q.user_id});
  }
  if (q.due_before) {
    conditions += " AND next_visit_due < ?";
    binds.emplace_back(std::int64_t{*q.due_before});
  }
  const std::string sql = PagedSelect(kKeyPersonColumns, "key_persons", q, conditions, binds);
  std::vector<KeyPerson> out;
  Status s = WithReader([&](Connection& c) {
    return CollectRows(c, sql, binds, &ReadKeyPerson, out, "key persons");
  });
  if (!s) return s.error();
  return out;
}

Result<std::vector<KeyPersonVisit>> SqliteStore::KeyPersonVisits(std::int64_t key_person_id) {
  std::vector<KeyPersonVisit> out;
  Status s = WithReader([&](Connection& c) -> Status {
    auto prepared = c.Prepare(
        "SELECT id, key_person_id, worker_id, at, note FROM key_person_visits "
        "WHERE key_person_id = ? ORDER BY id DESC");
    if (!prepared) return prepared.error();
    Stmt st(*prepared);
    st.Bind(1, key_person_id);
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      out.push_back({st.Int(0), st.Int(1), st.Int(2), st.Int(3), std::string(st.Text(4))});
    }
    if (rc != SQLITE_DONE) return SqliteError(c.db(), rc, "reading visits");
    return Status::Ok();
  });
  if (!s) return s.error();
  return out;
}

namespace {

std::string TimeConditions(const BaseDataQuery& q, const char* column,
                           std::vector<SqlValue>& binds) {
  std::string conditions;
  if (q.user_id != 0) {
    conditions += " AND user_id = ?";
    binds.emplace_back(std::int64_t{q.user_id});
  }
  if (q.from) {
    conditions += std::string(" AND ") + column + " >= ?";
    binds.emplace_back(std::int64_t{*q.from});
  }
  if (q.to) {
    conditions += std::string(" AND ") + column + " < ?";
    binds.emplace_back(std::int64_t{*q.to});
  }
  return conditions;
}

}  // namespace

Result<std::vector<PatrolCheckIn>> SqliteStore::ListPatrols(const BaseDataQuery& q) {
  std::vector<SqlValue> binds;
  const std::string conditions = TimeConditions(q, "at", binds);
  const std::string sql = PagedSelect(kPatrolColumns, "patrols", q, conditions, binds);
  std::vector<PatrolCheckIn> out;
  Status s = WithReader(
      [&](Connection& c) { return CollectRows(c, sql, binds, &ReadPatrol, out, "patrols"); });
  if (!s) return s.error();
  return out;
}

Result<std::vector<PatrolLog>> SqliteStore::ListPatrolLogs(const BaseDataQuery& q) {
  std::vector<SqlValue> binds;
  const std::string conditions = TimeConditions(q, "created_at", binds);
  const std::string sql = PagedSelect(kPatrolLogColumns, "patrol_logs", q, conditions, binds);
  std::vector<PatrolLog> out;
  Status s = WithReader([&](Connection& c) {
    return CollectRows(c, sql, binds, &ReadPatrolLog, out, "patrol logs");
  });
  if (!s) return s.error();
  return out;
}

Result<std::vector<PatrolCheckIn>> SqliteStore::LatestPatrolPositions(
    const std::vector<UserId>& user_ids, TimeMs since) {
  std::vector<PatrolCheckIn> out;
  Status s = WithReader([&](Connection& c) -> Status {
    // One index seek per user on patrols(user_id, at).
    auto prepared = c.Prepare(std::string("SELECT ") + kPatrolColumns +
                              " FROM patrols WHERE user_id = ? AND at >= ? "
                              "ORDER BY at DESC, id DESC LIMIT 1");
    if (!prepared) return prepared.error();
    for (UserId user : user_ids) {
      Stmt st(*prepared);
      st.Bind(1, user);
      st.Bind(2, since);
      const int rc = st.Step();
      if (rc == SQLITE_ROW) {
        out.push_back(ReadPatrol(st));
      } else if (rc != SQLITE_DONE) {
        return SqliteError(c.db(), rc, "reading the latest patrol positions");
      }
    }
    return Status::Ok();
  });
  if (!s) return s.error();
  return out;
}

Result<std::vector<User>> SqliteStore::ListUsersWithRole(Role role) {
  std::vector<User> out;
  Status s = WithReader([&](Connection& c) -> Status {
    auto prepared = c.Prepare(
        "SELECT id, username, display_name, roles, region_id, department_id FROM users "
        "WHERE disabled = 0 AND (roles & ?) != 0 ORDER BY id");
    if (!prepared) return prepared.error();
    Stmt st(*prepared);
    st.Bind(1, static_cast<std::int64_t>(RoleSet{role}.bits()));
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      User u;
      u.id = st.Int(0);
      u.username = st.Text(1);
      u.display_name = st.Text(2);
      u.roles = RoleSet::FromBits(static_cast<std::uint32_t>(st.Int(3)));
      u.region_id = st.Int(4);
      u.department_id = st.Int(5);
      out.push_back(std::move(u));
    }
    if (rc != SQLITE_DONE) return SqliteError(c.db(), rc, "listing users by role");
    return Status::Ok();
  });
  if (!s) return s.error();
  return out;
}

}  // namespace civicgrid
