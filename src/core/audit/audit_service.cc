#include "core/audit/audit_service.h"

#include "core/ports/clock.h"
#include "core/ports/crypto.h"

namespace civicgrid {

AuditService::AuditService(Store& store, const Clock& clock, const Crypto& crypto)
    : store_(store), clock_(clock), crypto_(crypto) {}

Result<AuditPage> AuditService::List(const Actor& actor, AuditQuery query) {
  if (!actor.roles.Intersects({Role::kAuditor, Role::kAdmin})) {
    return Fail(ErrorCode::kPermissionDenied, "only auditors and admins may read the audit log");
  }
  if (query.limit < 1 || query.limit > 500) {
    return Fail(ErrorCode::kInvalidArgument, "limit must be 1 to 500", "limit");
  }
  if (!query.object_id.empty() && query.object_type.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "object_id needs object_type", "object_id");
  }
  return store_.ListAudit(query);
}

void AuditService::RecordViews(const Actor& actor, std::string action, std::string object_type,
                               std::vector<std::string> object_ids,
                               std::function<void(Status)> done) {
  const AuditRecord record =
      AuditOf(actor, clock_.Now(), std::move(action), std::move(object_type), "");
  const Crypto& crypto = crypto_;
  store_.Submit(
      [record, object_ids = std::move(object_ids), &crypto](WriteTx& tx) {
        for (const std::string& id : object_ids) {
          AuditRecord r = record;
          r.object_id = id;
          if (auto s = AppendAuditRecord(tx, crypto, r); !s) return s;
        }
        return Status::Ok();
      },
      std::move(done));
}

}  // namespace civicgrid
