#include "app/demo/demo_rules.h"

#include "core/audit/audit_record.h"

namespace civicgrid {

Status SeedDemoRules(WriteTx& tx, const Crypto& crypto, const Category& category, TimeMs now) {
  if (category.department_id == 0 || category.parent_code.empty()) return Status::Ok();
  Actor system;
  system.username = "system";
  for (RegionLevel level : {RegionLevel::kStreet, RegionLevel::kDistrict}) {
    ResponsibilityRule rule;
    rule.category = category.code;
    rule.region_level = level;
    rule.version = 1;
    rule.department_id = category.department_id;
    rule.time_limit = category.time_limit;
    rule.time_unit = category.time_unit;
    rule.verification = Verification::kCentre;
    rule.created_at = now;
    if (auto s = tx.InsertRule(rule); !s) return s;
    AuditRecord r = AuditOf(system, now, "rule.create", "rule",
                            category.code + "|" + std::string(RegionLevelName(level)));
    r.after = "{\"department\":" + std::to_string(rule.department_id) +
              ",\"time_limit\":" + std::to_string(rule.time_limit) + ",\"time_unit\":\"" +
              std::string(TimeUnitName(rule.time_unit)) + "\"}";
    if (auto s = AppendAuditRecord(tx, crypto, std::move(r)); !s) return s;
  }
  return Status::Ok();
}

}  // namespace civicgrid
