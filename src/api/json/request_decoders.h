// Decoding of request bodies into commands (simdjson On-Demand). Decoders check JSON syntax,
// UTF-8, types, presence, duplicate keys and number ranges: all kMalformed (HTTP 400) with a
// specific reason ("invalid_json", "invalid_utf8", "wrong_type", "missing_field",
// "duplicate_key", "number_out_of_range", "too_deep") and the offending field path. Names that
// must map to an enum (source, action) and times fail with kInvalidArgument (422). Other
// semantic checks are the use cases'. Unknown fields are ignored (but must be valid JSON); a
// null value counts as absent.
#pragma once

#include <string>
#include <string_view>

#include "core/common/result.h"
#include "core/events/event_service.h"
#include "core/events/state_machine.h"
#include "core/identity/org_admin.h"
#include "core/identity/user_admin.h"
#include "core/routing/calendar_settings.h"
#include "core/routing/responsibility_rule.h"

namespace civicgrid {

struct LoginRequest {
  std::string username;
  std::string password;
};

// Maximum nesting of arrays and objects in a request body.
inline constexpr int kMaxJsonDepth = 32;

Result<LoginRequest> DecodeLoginRequest(std::string_view body);
// The command without its idempotency key (a header, not part of the body).
Result<CreateEventCommand> DecodeCreateEvent(std::string_view body);
Result<ActionRequest> DecodeActionRequest(std::string_view body);

// Identity administration (issue 4). Role names must be known (422 "unknown_role").
struct PasswordChangeRequest {
  std::string old_password;
  std::string new_password;
};
Result<NewUser> DecodeNewUser(std::string_view body);
Result<UserChange> DecodeUserChange(std::string_view body);
Result<PasswordChangeRequest> DecodePasswordChange(std::string_view body);
// {"password": "..."}: an admin's password reset.
Result<std::string> DecodePasswordReset(std::string_view body);
// --- Routing (issue 5): every routing body's fields, each present only when sent ---
struct RoutingRequest {
  std::optional<std::string> category;
  std::optional<RegionLevel> region_level;
  std::optional<std::int64_t> department, lead, expected_version;
  std::optional<std::vector<std::int64_t>> co_handlers, departments;
  std::optional<int> time_limit, respond_within_minutes;
  std::optional<TimeUnit> time_unit;
  std::optional<Verification> verification;
  std::optional<std::string> note, decision;
  std::optional<bool> add_to_list;
  std::optional<std::vector<OfficePeriod>> office_hours;
  std::optional<std::vector<LocalDay>> days;
};
Result<RoutingRequest> DecodeRoutingRequest(std::string_view body);

// --- Organisation units (issue 4): POST and PATCH /api/v1/departments bodies ---
Result<DepartmentDraft> DecodeDepartmentDraft(std::string_view body);

}  // namespace civicgrid
