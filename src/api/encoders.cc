#include "api/encoders.h"

#include <unordered_map>

#include "api/json/json_writer.h"
#include "api/query.h"
#include "core/common/time.h"
#include "core/events/event_service.h"
#include "core/routing/deadline_policy.h"
#include "core/routing/reference_data.h"

namespace civicgrid {

namespace {

// Actor has no display name yet; use it as soon as it gets one, the username until then.
template <typename T>
std::string DisplayNameOf(const T& who) {
  if constexpr (requires { who.display_name; }) {
    if (!who.display_name.empty()) return who.display_name;
  }
  return who.username;
}

void WriteTimeOrNull(JsonWriter& w, std::string_view key, const std::optional<TimeMs>& t) {
  w.Key(key);
  if (t) {
    w.String(FormatIsoShanghai(*t));
  } else {
    w.Null();
  }
}

const Region* FindRegion(const ReferenceData* reference, RegionId id) {
  if (id == 0 || reference == nullptr) return nullptr;
  return reference->territory().Find(id);
}

// {"id","code","name"} (and "level" when asked), or null for 0.
void WriteRegionRef(JsonWriter& w, std::string_view key, RegionId id,
                    const ReferenceData* reference, bool with_level = false) {
  w.Key(key);
  if (id == 0) {
    w.Null();
    return;
  }
  w.StartObject().Field("id", id);
  if (const Region* r = FindRegion(reference, id)) {
    w.Field("code", r->code).Field("name", r->name);
    if (with_level) w.Field("level", RegionLevelName(r->level));
  }
  w.EndObject();
}

void WriteDepartmentRef(JsonWriter& w, std::string_view key, DepartmentId id,
                        const ReferenceData* reference, bool with_code = false) {
  w.Key(key);
  if (id == 0) {
    w.Null();
    return;
  }
  w.StartObject().Field("id", id);
  const Department* d = reference != nullptr ? reference->FindDepartment(id) : nullptr;
  if (d != nullptr) {
    if (with_code) w.Field("code", d->code);
    w.Field("name", d->name);
  }
  w.EndObject();
}

void WriteAttachments(JsonWriter& w, const std::vector<Attachment>& attachments) {
  w.Key("attachments").StartArray();
  for (const auto& a : attachments) {
    w.StartObject().Field("type", a.type).Field("url", a.url).EndObject();
  }
  w.EndArray();
}

void WriteRoles(JsonWriter& w, RoleSet roles) {
  w.Key("roles").StartArray();
  for (int i = 0; i < kRoleCount; ++i) {
    auto role = static_cast<Role>(i);
    if (roles.Has(role)) w.String(RoleName(role));
  }
  w.EndArray();
}

void WriteUser(JsonWriter& w, const UserView& user, const ReferenceData* reference) {
  w.StartObject();
  w.Field("id", user.id);
  w.Field("username", user.username);
  w.Field("display_name", user.display_name.empty() ? user.username : user.display_name);
  WriteRoles(w, user.roles);
  WriteDepartmentRef(w, "department", user.department_id, reference, /*with_code=*/true);
  WriteRegionRef(w, "region", user.region_id, reference, /*with_level=*/true);
  w.Field("disabled", user.disabled);
  w.Field("must_change_password", user.must_change_password);
  w.EndObject();
}

void WritePolygon(JsonWriter& w, const Polygon& polygon) {
  if (polygon.rings.empty()) {
    w.Null();
    return;
  }
  w.StartObject().Field("type", "Polygon").Key("coordinates").StartArray();
  for (const auto& ring : polygon.rings) {
    w.StartArray();
    for (const auto& p : ring) w.StartArray().Double(p.lon).Double(p.lat).EndArray();
    w.EndArray();
  }
  w.EndArray().EndObject();
}

using ChildMap = std::unordered_map<RegionId, std::vector<const Region*>>;

void WriteRegionNode(JsonWriter& w, const Region& r, const ChildMap& children, bool geometry,
                     int depth) {
  w.StartObject();
  w.Field("id", r.id).Field("code", r.code).Field("name", r.name);
  w.Field("level", RegionLevelName(r.level));
  w.IdOrNull("parent_id", r.parent_id == r.id ? 0 : r.parent_id);
  if (geometry) {
    w.Key("geometry");
    WritePolygon(w, r.polygon);
  }
  w.Key("children").StartArray();
  constexpr int kMaxRegionDepth = 16;  // guards against a cycle in bad data
  auto it = children.find(r.id);
  if (it != children.end() && depth < kMaxRegionDepth) {
    for (const Region* child : it->second) {
      WriteRegionNode(w, *child, children, geometry, depth + 1);
    }
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace

UserView UserViewOf(const Actor& actor) {
  UserView v;
  v.id = actor.user_id;
  v.username = actor.username;
  v.display_name = DisplayNameOf(actor);
  v.roles = actor.roles;
  v.department_id = actor.scope.department_id;
  v.region_id = actor.scope.region_id;
  v.must_change_password = actor.must_change_password;
  return v;
}

UserView UserViewOf(const User& user) {
  UserView v;
  v.id = user.id;
  v.username = user.username;
  v.display_name = DisplayNameOf(user);
  v.roles = user.roles;
  v.department_id = user.department_id;
  v.region_id = user.region_id;
  v.disabled = user.disabled;
  v.must_change_password = user.must_change_password;
  return v;
}

void WriteEvent(JsonWriter& w, const Event& e, const EventView& view) {
  const ReferenceData* ref = view.reference;
  w.StartObject();
  w.Field("id", e.id);
  w.Field("number", e.number);
  w.Field("source", SourceName(e.source));
  w.Field("category", e.category);
  const Category* category = ref != nullptr ? ref->FindCategory(e.category) : nullptr;
  w.Key("category_name");
  if (category != nullptr) {
    w.String(category->name);
  } else {
    w.Null();
  }
  w.Field("title", e.title);
  w.Field("description", e.description);
  w.Key("location").StartObject();
  w.Field("lon", e.lon).Field("lat", e.lat).Field("address", e.address);
  w.EndObject();
  WriteRegionRef(w, "grid", e.grid_id, ref);
  WriteRegionRef(w, "community", e.community_id, ref);
  WriteRegionRef(w, "street", e.street_id, ref);
  WriteRegionRef(w, "district", e.district_id, ref);
  w.IdOrNull("owner_region_id", e.owner_region_id);
  w.Key("reporter").StartObject();
  w.Field("name", e.reporter_name);
  w.Field("phone", view.full_contact || e.reporter_phone.empty() ? e.reporter_phone
                                                                 : MaskPhone(e.reporter_phone));
  w.IdOrNull("user_id", e.reporter_user_id);
  w.EndObject();
  w.Field("priority", e.priority);
  w.Field("status", StatusName(e.status));
  w.Field("version", e.version);
  WriteDepartmentRef(w, "department", e.department_id, ref);
  w.IdOrNull("assignee", e.assignee_user_id);
  WriteTimeOrNull(w, "deadline", e.deadline);
  bool overdue = IsOpen(e.status) && e.deadline.has_value() && *e.deadline < view.now;
  w.Field("overdue", overdue);
  w.Field("deadline_state",
          DeadlineColourName(ref != nullptr ? EventDeadlineColour(e, *ref, view.now)
                                            : DeadlineColour::kNone));
  w.Field("suspended", e.suspended);
  w.Field("supervision_level", e.supervision_level);
  w.Field("escalation_level", e.escalation_level);
  w.IdOrNull("merged_into", e.merged_into);
  w.IdOrNull("rating", e.rating);
  WriteAttachments(w, e.attachments);
  w.Field("created_at", FormatIsoShanghai(e.created_at));
  w.Field("updated_at", FormatIsoShanghai(e.updated_at));
  WriteTimeOrNull(w, "closed_at", e.closed_at);
  w.EndObject();
}

std::string EncodeEvent(const Event& e, const EventView& view) {
  JsonWriter w;
  WriteEvent(w, e, view);
  return w.Take();
}

std::string EncodeEventPage(const EventPage& page, const EventView& view) {
  JsonWriter w;
  w.StartObject().Key("items").StartArray();
  for (const auto& e : page.items) WriteEvent(w, e, view);
  w.EndArray();
  w.Key("next_cursor");
  if (page.has_more && !page.items.empty()) {
    w.String(EncodeCursor(page.items.back().id));
  } else {
    w.Null();
  }
  w.EndObject();
  return w.Take();
}

std::string EncodeHistory(const std::vector<HistoryEntry>& history) {
  JsonWriter w;
  w.StartObject().Key("items").StartArray();
  for (const auto& h : history) {
    w.StartObject();
    w.Field("seq", h.seq);
    w.Field("action", ActionName(h.action));
    w.Key("actor").StartObject();
    w.Field("id", h.actor_id).Field("username", h.actor_name).Field("role", h.actor_role);
    w.EndObject();
    w.Field("at", FormatIsoShanghai(h.at));
    w.Field("from_status", StatusName(h.from_status));
    w.Field("to_status", StatusName(h.to_status));
    w.Field("note", h.note);
    w.Key("data");
    if (!h.data.empty() && h.data != "{}" && (h.data.front() == '{' || h.data.front() == '[')) {
      w.Raw(h.data);
    } else {
      w.Null();
    }
    w.Field("prev_hash", h.prev_hash);
    w.Field("hash", h.hash);
    w.EndObject();
  }
  w.EndArray().EndObject();
  return w.Take();
}

std::string EncodeUser(const UserView& user, const ReferenceData* reference) {
  JsonWriter w;
  WriteUser(w, user, reference);
  return w.Take();
}

std::string EncodeLogin(const LoginResult& login, const ReferenceData* reference) {
  JsonWriter w;
  w.StartObject();
  w.Field("token", login.token);
  w.Field("token_type", "Bearer");
  w.Field("expires_at", FormatIsoShanghai(login.expires_at));
  w.Key("user");
  WriteUser(w, UserViewOf(login.user), reference);
  w.EndObject();
  return w.Take();
}

std::string EncodeUserPage(const UserPage& page, const ReferenceData* reference) {
  JsonWriter w;
  w.StartObject().Key("items").StartArray();
  for (const User& u : page.items) WriteUser(w, UserViewOf(u), reference);
  w.EndArray();
  w.Key("next_cursor");
  if (page.has_more && !page.items.empty()) {
    w.String(EncodeCursor(page.items.back().id));
  } else {
    w.Null();
  }
  w.EndObject();
  return w.Take();
}

std::string EncodeCategories(const ReferenceData& reference) {
  JsonWriter w;
  w.StartObject().Key("items").StartArray();
  for (const auto& c : reference.categories()) {
    w.StartObject();
    w.Field("code", c.code).Field("name", c.name).Field("name_en", c.name_en);
    w.StringOrNull("parent", c.parent_code);
    WriteDepartmentRef(w, "department", c.department_id, &reference);
    w.Key("time_limit");
    if (c.time_limit > 0) {
      w.StartObject().Field("amount", c.time_limit).Field("unit", TimeUnitName(c.time_unit));
      w.EndObject();
    } else {
      w.Null();
    }
    w.Field("priority", c.priority);
    w.EndObject();
  }
  w.EndArray().EndObject();
  return w.Take();
}

void WriteDepartment(JsonWriter& w, const Department& d, const ReferenceData* reference) {
  w.StartObject();
  w.Field("id", d.id).Field("code", d.code).Field("name", d.name).Field("name_en", d.name_en);
  WriteRegionRef(w, "region", d.region_id, reference, /*with_level=*/true);
  w.Field("disabled", d.disabled);
  w.EndObject();
}

std::string EncodeDepartments(const ReferenceData& reference) {
  JsonWriter w;
  w.StartObject().Key("items").StartArray();
  for (const auto& d : reference.departments()) WriteDepartment(w, d, &reference);
  w.EndArray().EndObject();
  return w.Take();
}

std::string EncodeDepartment(const Department& department, const ReferenceData* reference) {
  JsonWriter w;
  WriteDepartment(w, department, reference);
  return w.Take();
}

std::string EncodeRegions(const ReferenceData& reference, bool geometry) {
  const auto& territory = reference.territory();
  ChildMap children;
  std::vector<const Region*> roots;
  for (const auto& r : territory.regions()) {
    if (r.parent_id == 0 || r.parent_id == r.id || territory.Find(r.parent_id) == nullptr) {
      roots.push_back(&r);
    } else {
      children[r.parent_id].push_back(&r);
    }
  }
  JsonWriter w;
  w.StartObject().Key("items").StartArray();
  for (const Region* root : roots) WriteRegionNode(w, *root, children, geometry, 0);
  w.EndArray().EndObject();
  return w.Take();
}

}  // namespace civicgrid
