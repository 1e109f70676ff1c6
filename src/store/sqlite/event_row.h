// The events and event_history rows of the SQLite schema: the column lists and the code that reads
// a row into the core structs, shared by the read pool and the writer.
#pragma once

#include "core/common/result.h"
#include "core/events/event.h"
#include "store/sqlite/sqlite_connection.h"

namespace civicgrid {

// Every column of events, in the order ReadEvent expects.
inline constexpr const char* kEventColumns =
    "id,number,source,category,title,description,lon,lat,address,grid_id,community_id,"
    "street_id,district_id,owner_region_id,reporter_name,reporter_phone,reporter_user_id,"
    "priority,status,version,department_id,assignee_user_id,deadline,suspended,suspended_at,"
    "supervision_level,escalation_level,merged_into,rating,attachments,created_at,updated_at,"
    "closed_at,last_hash,history_count";

// Reads the event at the current row of `stmt` (columns kEventColumns from index 0).
Result<Event> ReadEvent(const Stmt& stmt);

// Every column of event_history, in the order ReadHistory expects.
inline constexpr const char* kHistoryColumns =
    "event_id,seq,action,actor_id,actor_name,actor_role,at,from_status,to_status,note,data,"
    "prev_hash,hash";

Result<HistoryEntry> ReadHistory(const Stmt& stmt);

}  // namespace civicgrid
