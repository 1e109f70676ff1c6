#include "core/identity/org_admin.h"

#include "core/audit/audit_record.h"
#include "core/common/text.h"
#include "core/ports/clock.h"
#include "core/ports/crypto.h"
#include "core/routing/reference_data.h"

namespace civicgrid {

namespace {

constexpr std::size_t kMaxNameChars = 50;
constexpr std::size_t kMaxNameEnChars = 100;

Unexpected<Error> NoSuchDepartment(DepartmentId id) {
  return Fail(ErrorCode::kNotFound, "department " + std::to_string(id) + " not found", "id");
}

Status MayAdminister(const Actor& actor) {
  if (!actor.roles.Has(Role::kAdmin)) {
    return Fail(ErrorCode::kPermissionDenied, "only an admin may manage organisation units");
  }
  return Status::Ok();
}

// City-wide admins manage every department; a region-scoped admin those serving its subtree.
bool InScope(const Actor& actor, const ReferenceData& ref, RegionId region) {
  if (actor.scope.region_id == 0 && actor.scope.department_id == 0) return true;
  if (actor.scope.region_level == static_cast<int>(RegionLevel::kCity)) return true;
  if (actor.scope.region_code.empty()) return false;
  const Region* r = ref.territory().Find(region);
  return r != nullptr &&
         r->code.compare(0, actor.scope.region_code.size(), actor.scope.region_code) == 0;
}

bool IsValidCode(std::string_view code) {
  if (code.empty() || code.size() > 32) return false;
  for (char c : code) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status CheckText(const std::string& text, const char* field, std::size_t max, bool required) {
  if (!IsValidUtf8(text)) {
    return Fail(ErrorCode::kMalformed, std::string(field) + " is not valid UTF-8", field,
                "invalid_utf8");
  }
  if (required && text.empty()) {
    return Fail(ErrorCode::kInvalidArgument, std::string(field) + " must not be empty", field);
  }
  if (Utf8Length(text) > max) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(field) + " is longer than " + std::to_string(max) + " characters",
                field);
  }
  return Status::Ok();
}

// The changed fields' own checks (those that do not need the stored row).
Status CheckDraft(const Actor& actor, const ReferenceData& ref, const DepartmentDraft& d) {
  if (d.name) {
    if (auto s = CheckText(*d.name, "name", kMaxNameChars, true); !s) return s;
  }
  if (d.name_en) {
    if (auto s = CheckText(*d.name_en, "name_en", kMaxNameEnChars, false); !s) return s;
  }
  if (d.region_id) {
    if (*d.region_id != 0 && ref.territory().Find(*d.region_id) == nullptr) {
      return Fail(ErrorCode::kInvalidArgument, "no region " + std::to_string(*d.region_id),
                  "region_id", "unknown_region");
    }
    if (!InScope(actor, ref, *d.region_id)) {
      return Fail(ErrorCode::kInvalidArgument, "the region is outside your own scope", "region_id",
                  "out_of_scope");
    }
  }
  return Status::Ok();
}

}  // namespace

bool IsCityWideAdmin(const Actor& actor) {
  if (!actor.roles.Has(Role::kAdmin)) return false;
  if (actor.scope.region_id == 0 && actor.scope.department_id == 0) return true;
  return actor.scope.region_level == static_cast<int>(RegionLevel::kCity);
}

OrgAdminService::OrgAdminService(Store& store, const Clock& clock, const Crypto& crypto,
                                 ReferenceSource reference, std::function<void()> changed)
    : store_(store),
      clock_(clock),
      crypto_(crypto),
      reference_(std::move(reference)),
      changed_(std::move(changed)) {}

std::string OrgAdminService::AuditJson(const Department& d) {
  std::string s = "{\"code\":";
  AppendJsonString(s, d.code);
  s += ",\"name\":";
  AppendJsonString(s, d.name);
  s += ",\"name_en\":";
  AppendJsonString(s, d.name_en);
  s += ",\"region_id\":" + std::to_string(d.region_id);
  s += std::string(",\"disabled\":") + (d.disabled ? "true" : "false");
  s += '}';
  return s;
}

void OrgAdminService::Finish(Status s, const std::shared_ptr<Department>& result,
                             const DepartmentDone& done) {
  if (!s) return done(s.error());
  if (changed_) changed_();
  done(*result);
}

void OrgAdminService::CreateDepartment(const Actor& actor, DepartmentDraft draft,
                                       DepartmentDone done) {
  if (auto s = MayAdminister(actor); !s) return done(s.error());
  if (!draft.code) {
    return done(Fail(ErrorCode::kMalformed, "\"code\" is required", "code", "missing_field"));
  }
  if (!draft.name) {
    return done(Fail(ErrorCode::kMalformed, "\"name\" is required", "name", "missing_field"));
  }
  if (!IsValidCode(*draft.code)) {
    return done(Fail(ErrorCode::kInvalidArgument, "code must be 1 to 32 of A-Z, a-z, 0-9, _ and -",
                     "code", "invalid_code"));
  }
  auto ref = reference_();
  // A scoped admin's department serves its region: region_id 0 (city-wide) is out of its reach.
  if (!draft.region_id) draft.region_id = actor.scope.region_id;
  if (auto s = CheckDraft(actor, *ref, draft); !s) return done(s.error());
  Department initial;
  initial.code = *draft.code;
  initial.name = *draft.name;
  initial.name_en = draft.name_en.value_or("");
  initial.region_id = *draft.region_id;
  initial.disabled = draft.disabled.value_or(false);
  auto result = std::make_shared<Department>();
  AuditRecord record = AuditOf(actor, clock_.Now(), "department.create", "department", "");
  const Crypto& crypto = crypto_;
  store_.Submit(
      [initial, result, record, &crypto](WriteTx& tx) mutable -> Status {
        auto existing = tx.FindDepartmentByCode(initial.code);
        if (!existing) return existing.error();
        if (existing->has_value()) {
          return Fail(ErrorCode::kAlreadyExists, "the department code is taken", "code",
                      "code_taken");
        }
        Department d = initial;
        if (auto s = tx.InsertDepartment(d); !s) return s;
        if (d.disabled) {
          if (auto s = tx.UpdateDepartment(d); !s) return s;
        }
        record.object_id = std::to_string(d.id);
        record.after = AuditJson(d);
        *result = d;
        return AppendAuditRecord(tx, crypto, record);
      },
      [this, result, done = std::move(done)](Status s) { Finish(s, result, done); });
}

void OrgAdminService::UpdateDepartment(const Actor& actor, DepartmentId id, DepartmentDraft change,
                                       DepartmentDone done) {
  if (auto s = MayAdminister(actor); !s) return done(s.error());
  auto ref = reference_();
  // Out of scope is not found, before anything about the body is said.
  const Department* known = ref->FindDepartment(id);
  if (known == nullptr || !InScope(actor, *ref, known->region_id)) {
    return done(NoSuchDepartment(id));
  }
  if (change.code && *change.code != known->code) {
    return done(Fail(ErrorCode::kInvalidArgument, "a department's code does not change", "code",
                     "immutable"));
  }
  if (auto s = CheckDraft(actor, *ref, change); !s) return done(s.error());
  auto result = std::make_shared<Department>();
  AuditRecord record =
      AuditOf(actor, clock_.Now(), "department.update", "department", std::to_string(id));
  const Crypto& crypto = crypto_;
  store_.Submit(
      [actor, ref, id, change, result, record, &crypto](WriteTx& tx) mutable -> Status {
        auto found = tx.FindDepartment(id);
        if (!found) return found.error();
        if (!found->has_value() || !InScope(actor, *ref, (*found)->region_id)) {
          return NoSuchDepartment(id);
        }
        Department d = **found;
        record.before = AuditJson(d);
        if (change.name) d.name = *change.name;
        if (change.name_en) d.name_en = *change.name_en;
        if (change.region_id) d.region_id = *change.region_id;
        if (change.disabled) d.disabled = *change.disabled;
        record.after = AuditJson(d);
        if (auto s = tx.UpdateDepartment(d); !s) return s;
        *result = d;
        return AppendAuditRecord(tx, crypto, record);
      },
      [this, result, done = std::move(done)](Status s) { Finish(s, result, done); });
}

}  // namespace civicgrid
