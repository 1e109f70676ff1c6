// The JSON shapes of the REST API (SPEC §7): events, history, users, reference data.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/events/event.h"
#include "core/identity/actor.h"
#include "core/identity/auth_service.h"
#include "core/ports/store.h"

namespace civicgrid {

class JsonWriter;
class ReferenceData;

// What an event's JSON depends on besides the event.
struct EventView {
  const ReferenceData* reference = nullptr;  // names of category, regions, department
  bool full_contact = false;                 // otherwise the reporter's phone is masked
  TimeMs now = 0;                            // for "overdue"
};

// A user as /me and login show it.
struct UserView {
  UserId id = 0;
  std::string username;
  std::string display_name;
  RoleSet roles;
  DepartmentId department_id = 0;
  RegionId region_id = 0;
  bool disabled = false;
  bool must_change_password = false;
};
UserView UserViewOf(const Actor& actor);
UserView UserViewOf(const User& user);

void WriteEvent(JsonWriter& w, const Event& e, const EventView& view);
std::string EncodeEvent(const Event& e, const EventView& view);
// {"items":[...],"next_cursor":"..."|null}
std::string EncodeEventPage(const EventPage& page, const EventView& view);
std::string EncodeHistory(const std::vector<HistoryEntry>& history);

std::string EncodeUser(const UserView& user, const ReferenceData* reference);
std::string EncodeLogin(const LoginResult& login, const ReferenceData* reference);
// {"items":[user...],"next_cursor":"..."|null} for the user administration list.
std::string EncodeUserPage(const UserPage& page, const ReferenceData* reference);

std::string EncodeCategories(const ReferenceData& reference);
std::string EncodeDepartments(const ReferenceData& reference);
// One department, as an item of EncodeDepartments (organisation units, issue 4).
std::string EncodeDepartment(const Department& department, const ReferenceData* reference);
// The region tree; with `geometry`, each region carries its polygon as GeoJSON (or null).
std::string EncodeRegions(const ReferenceData& reference, bool geometry);

}  // namespace civicgrid
