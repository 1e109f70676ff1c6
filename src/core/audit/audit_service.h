// The audit trail's use cases: auditors (and admins) read the log, filtered by user, object and
// time; reads that reveal protected columns in full are recorded as audit records themselves.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/audit/audit_record.h"
#include "core/common/result.h"
#include "core/identity/actor.h"
#include "core/ports/store.h"

namespace civicgrid {

class Clock;
class Crypto;

class AuditService {
 public:
  AuditService(Store& store, const Clock& clock, const Crypto& crypto);

  // Roles auditor and admin only (kPermissionDenied otherwise); limit 1 to 500.
  Result<AuditPage> List(const Actor& actor, AuditQuery query);
  // Records that `actor` saw a protected value of these objects in full (e.g.
  // "event.view_contact"): one record per object, all in one write unit; `done` after they
  // commit. Callers show the values only when they did.
  void RecordViews(const Actor& actor, std::string action, std::string object_type,
                   std::vector<std::string> object_ids, std::function<void(Status)> done);

 private:
  Store& store_;
  const Clock& clock_;
  const Crypto& crypto_;
};

}  // namespace civicgrid
