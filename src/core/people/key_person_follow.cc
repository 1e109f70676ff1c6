#include "core/people/key_person_follow.h"

#include <algorithm>

#include "core/audit/audit_record.h"
#include "core/people/base_data_audit.h"
#include "core/territory/territory.h"

namespace civicgrid {

Result<std::vector<UserId>> GridWorkersCovering(Store& store, const Territory& territory,
                                                RegionId grid) {
  auto workers = store.ListUsersWithRole(Role::kGridWorker);
  if (!workers) return workers.error();
  std::vector<UserId> own, wider;
  for (const User& u : *workers) {
    if (u.disabled || u.region_id == 0 || !territory.IsWithin(grid, u.region_id)) continue;
    (u.region_id == grid ? own : wider).push_back(u.id);
  }
  std::sort(own.begin(), own.end());
  std::sort(wider.begin(), wider.end());
  own.insert(own.end(), wider.begin(), wider.end());
  return own;
}

Status FollowResident(WriteTx& tx, const Crypto& crypto, const Actor& actor, TimeMs now,
                      const Resident& resident, const std::vector<UserId>& workers) {
  auto found = tx.FindKeyPersonOfResident(resident.id);
  if (!found) return found.error();
  if (!found->has_value() || (*found)->path.grid_id == resident.path.grid_id) {
    return Status::Ok();
  }
  KeyPerson k = std::move(**found);
  const std::string before = KeyPersonJson(k);
  k.path = resident.path;
  if (std::find(workers.begin(), workers.end(), k.worker_id) == workers.end()) {
    k.worker_id = workers.empty() ? 0 : workers.front();
  }
  k.updated_at = now;
  if (Status s = tx.UpdateKeyPersonPlacement(k); !s) return s;
  AuditRecord a = AuditOf(actor, now, "key_person.regrid", "key_person", std::to_string(k.id));
  a.before = before;
  a.after = KeyPersonJson(k);
  return AppendAuditRecord(tx, crypto, std::move(a));
}

}  // namespace civicgrid
