#include "store/sqlite/event_row.h"

#include <string>

#include "store/row_codec.h"

namespace civicgrid {
namespace {

Unexpected<Error> Corrupt(std::string_view what, std::string_view value) {
  return Fail(ErrorCode::kInternal,
              "stored " + std::string(what) + " '" + std::string(value) + "' is not known");
}

}  // namespace

Result<Event> ReadEvent(const Stmt& s) {
  Event e;
  e.id = s.Int(0);
  e.number = s.Text(1);
  const auto source = SourceFromName(s.Text(2));
  if (!source) return Corrupt("event source", s.Text(2));
  e.source = *source;
  e.category = s.Text(3);
  e.title = s.Text(4);
  e.description = s.Text(5);
  e.lon = s.Real(6);
  e.lat = s.Real(7);
  e.address = s.Text(8);
  e.grid_id = s.Int(9);
  e.community_id = s.Int(10);
  e.street_id = s.Int(11);
  e.district_id = s.Int(12);
  e.owner_region_id = s.Int(13);
  e.reporter_name = s.Text(14);
  e.reporter_phone = s.Text(15);
  e.reporter_user_id = s.Int(16);
  e.priority = static_cast<int>(s.Int(17));
  const auto status = StatusFromName(s.Text(18));
  if (!status) return Corrupt("event status", s.Text(18));
  e.status = *status;
  e.version = s.Int(19);
  e.department_id = s.Int(20);
  e.assignee_user_id = s.Int(21);
  e.deadline = s.OptionalInt(22);
  e.suspended = s.Int(23) != 0;
  e.suspended_at = s.Int(24);
  e.supervision_level = static_cast<int>(s.Int(25));
  e.escalation_level = static_cast<int>(s.Int(26));
  e.merged_into = s.Int(27);
  e.rating = static_cast<int>(s.Int(28));
  auto attachments = DecodeAttachments(s.Text(29));
  if (!attachments) return attachments.error();
  e.attachments = std::move(*attachments);
  e.created_at = s.Int(30);
  e.updated_at = s.Int(31);
  e.closed_at = s.OptionalInt(32);
  e.last_hash = s.Text(33);
  e.history_count = s.Int(34);
  return e;
}

Result<HistoryEntry> ReadHistory(const Stmt& s) {
  HistoryEntry h;
  h.event_id = s.Int(0);
  h.seq = s.Int(1);
  const auto action = ActionFromName(s.Text(2));
  if (!action) return Corrupt("history action", s.Text(2));
  h.action = *action;
  h.actor_id = s.Int(3);
  h.actor_name = s.Text(4);
  h.actor_role = s.Text(5);
  h.at = s.Int(6);
  const auto from = StatusFromName(s.Text(7));
  if (!from) return Corrupt("history status", s.Text(7));
  h.from_status = *from;
  const auto to = StatusFromName(s.Text(8));
  if (!to) return Corrupt("history status", s.Text(8));
  h.to_status = *to;
  h.note = s.Text(9);
  h.data = s.Text(10);
  h.prev_hash = s.Text(11);
  h.hash = s.Text(12);
  return h;
}

}  // namespace civicgrid
