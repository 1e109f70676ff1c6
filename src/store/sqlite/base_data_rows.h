// Columns and row readers of the base-data tables (issue 3), shared by the read side
// (base_data_store.cc) and the writer (base_data_write_tx.cc).
#pragma once

#include <string>
#include <vector>

#include "core/people/base_data.h"
#include "core/ports/store.h"
#include "store/sqlite/sqlite_connection.h"

namespace civicgrid {

inline constexpr const char* kHouseholdColumns =
    "id, grid_id, community_id, street_id, district_id, number, address, head_name, phone, "
    "created_at, updated_at";
inline constexpr const char* kResidentColumns =
    "id, household_id, grid_id, community_id, street_id, district_id, name, gender, birth_date, "
    "id_sealed, id_blind, id_masked, resident_type, phone, status, arrived_at, departed_at, "
    "created_at, updated_at";
inline constexpr const char* kPlaceColumns =
    "id, kind, name, address, lon, lat, grid_id, community_id, street_id, district_id, contact, "
    "phone, risk_level, created_at, updated_at";
inline constexpr const char* kKeyPersonColumns =
    "id, resident_id, grid_id, community_id, street_id, district_id, category, level, worker_id, "
    "visit_interval_days, last_visit_at, next_visit_due, note, created_at, updated_at";
inline constexpr const char* kPatrolColumns =
    "id, user_id, at, lon, lat, grid_id, community_id, street_id, district_id, note";
inline constexpr const char* kPatrolLogColumns =
    "id, user_id, day, grid_id, community_id, street_id, district_id, content, created_at";

Household ReadHousehold(const Stmt& s);
Resident ReadResident(const Stmt& s);
Place ReadPlace(const Stmt& s);
KeyPerson ReadKeyPerson(const Stmt& s);
PatrolCheckIn ReadPatrol(const Stmt& s);
PatrolLog ReadPatrolLog(const Stmt& s);

// "grid_id = ?" for the filter's level, with the id appended to `binds` ("1" for all, "0" for
// nothing).
std::string ScopeCondition(const RegionFilter& f, std::vector<SqlValue>& binds);

}  // namespace civicgrid
