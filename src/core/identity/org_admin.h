// Organisation units (SPEC §1, issue 4): an admin creates and changes departments (name, the
// region they serve, disabled). A region-scoped admin manages the departments of that subtree
// only: others answer kNotFound, as with users. A disabled department stays listed (accounts and
// history still name it) but nothing can be dispatched to it. Every write appends its audit
// record in the same write unit; after a commit the reference data is reloaded (`changed`).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/common/result.h"
#include "core/identity/actor.h"
#include "core/ports/store.h"
#include "core/routing/catalog.h"

namespace civicgrid {

class Clock;
class Crypto;
class ReferenceData;

// The fields of a create (code required) or a change (absent ones stay; code never changes).
struct DepartmentDraft {
  std::optional<std::string> code;  // 1 to 32 of [A-Za-z0-9_-]
  std::optional<std::string> name;  // 1 to 50 characters
  std::optional<std::string> name_en;
  std::optional<RegionId> region_id;
  std::optional<bool> disabled;
};

// An admin whose scope is the whole city (no region and no department, or the city itself): the
// only kind that may change what applies city-wide (the responsibility list, the calendar).
bool IsCityWideAdmin(const Actor& actor);

class OrgAdminService {
 public:
  using ReferenceSource = std::function<std::shared_ptr<const ReferenceData>()>;
  using DepartmentDone = std::function<void(Result<Department>)>;

  // `changed` runs after a committed write, before `done`: it reloads the reference data so that
  // the answer and every later request see the change.
  OrgAdminService(Store& store, const Clock& clock, const Crypto& crypto, ReferenceSource reference,
                  std::function<void()> changed);

  void CreateDepartment(const Actor& actor, DepartmentDraft draft, DepartmentDone done);
  void UpdateDepartment(const Actor& actor, DepartmentId id, DepartmentDraft change,
                        DepartmentDone done);

  static std::string AuditJson(const Department& d);

 private:
  void Finish(Status s, const std::shared_ptr<Department>& result, const DepartmentDone& done);

  Store& store_;
  const Clock& clock_;
  const Crypto& crypto_;
  ReferenceSource reference_;
  std::function<void()> changed_;
};

}  // namespace civicgrid
