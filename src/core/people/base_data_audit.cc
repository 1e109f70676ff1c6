#include "core/people/base_data_audit.h"

#include <initializer_list>
#include <utility>

#include "core/common/text.h"

namespace civicgrid {

namespace {

// {"key":"value",...}: the fields of an audit record's before/after, all as strings.
std::string Json(std::initializer_list<std::pair<const char*, std::string>> fields) {
  std::string out = "{";
  bool first = true;
  for (const auto& [key, value] : fields) {
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, key);
    out += ':';
    AppendJsonString(out, value);
  }
  out += '}';
  return out;
}

}  // namespace

std::string HouseholdJson(const Household& h) {
  return Json({{"grid_id", std::to_string(h.path.grid_id)},
               {"number", h.number},
               {"address", h.address},
               {"head_name", h.head_name},
               {"phone", h.phone}});
}

// The ID number appears in audit records masked only: the log is not a second copy of it.
std::string ResidentJson(const Resident& r) {
  return Json({{"household_id", std::to_string(r.household_id)},
               {"grid_id", std::to_string(r.path.grid_id)},
               {"name", r.name},
               {"id_number", r.id_masked},
               {"type", std::string(ResidentTypeName(r.type))},
               {"phone", r.phone},
               {"status", std::string(ResidentStatusName(r.status))}});
}

std::string PlaceJson(const Place& p) {
  return Json({{"kind", std::string(PlaceKindName(p.kind))},
               {"name", p.name},
               {"address", p.address},
               {"lon", std::to_string(p.lon)},
               {"lat", std::to_string(p.lat)},
               {"grid_id", std::to_string(p.path.grid_id)},
               {"risk_level", std::to_string(p.risk_level)}});
}

std::string KeyPersonJson(const KeyPerson& k) {
  return Json({{"resident_id", std::to_string(k.resident_id)},
               {"grid_id", std::to_string(k.path.grid_id)},
               {"category", k.category},
               {"level", k.level},
               {"worker_id", std::to_string(k.worker_id)},
               {"visit_interval_days", std::to_string(k.visit_interval_days)},
               {"next_visit_due", std::to_string(k.next_visit_due)}});
}

}  // namespace civicgrid
