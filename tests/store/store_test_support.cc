#include "store_test_support.h"

namespace civicgrid::store_test {

Event SampleEvent(int n, TimeMs created_at) {
  Event e;
  e.number = "20261121-" + std::to_string(100000 + n);
  e.source = static_cast<EventSource>(n % kEventSourceCount);
  e.category = n % 3 == 0 ? "0101" : (n % 3 == 1 ? "0102" : "0201");
  e.title = "事件 " + std::to_string(n);
  e.description = "description " + std::to_string(n);
  e.lon = 123.4 + n * 0.001;
  e.lat = 41.8 - n * 0.001;
  e.address = "沈阳市和平区 " + std::to_string(n) + " 号";
  e.district_id = 10 + n % 2;
  e.street_id = 100 + n % 4;
  e.community_id = 1000 + n % 8;
  e.grid_id = 10000 + n % 16;
  e.owner_region_id = e.grid_id;
  e.reporter_name = "张三";
  e.reporter_phone = "13800138000";
  e.reporter_user_id = 500 + n % 5;
  e.priority = 1 + n % 3;
  e.status = static_cast<EventStatus>(n % kEventStatusCount);
  e.version = 1 + n % 4;
  e.department_id = 20 + n % 6;
  e.assignee_user_id = n % 7 == 0 ? 0 : 600 + n % 7;
  if (n % 4 != 0) e.deadline = created_at + (n % 2 == 0 ? -1 : 1) * 3600000;
  e.created_at = created_at;
  e.updated_at = created_at + 1000 * n;
  return e;
}

HistoryEntry SampleHistory(const Event& e, std::int64_t seq) {
  HistoryEntry h;
  h.event_id = e.id;
  h.seq = seq;
  h.action = seq == 1 ? EventAction::kReport : EventAction::kComment;
  h.actor_id = 42;
  h.actor_name = "网格员李四";
  h.actor_role = "grid_worker";
  h.at = e.created_at + seq;
  h.from_status = EventStatus::kReported;
  h.to_status = EventStatus::kReported;
  h.note = "note " + std::to_string(seq);
  h.data = "{\"seq\":" + std::to_string(seq) + "}";
  h.prev_hash = seq == 1 ? "" : "hash" + std::to_string(seq - 1);
  h.hash = "hash" + std::to_string(seq);
  return h;
}

}  // namespace civicgrid::store_test
