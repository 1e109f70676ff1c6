#include "core/camera/camera_service.h"

#include "core/audit/audit_record.h"
#include "core/common/text.h"
#include "core/common/text_field.h"
#include "core/identity/org_admin.h"
#include "core/ports/clock.h"
#include "core/routing/reference_data.h"
#include "core/territory/region_path_scope.h"

namespace civicgrid {

namespace {

constexpr RoleSet kCameraAdmins = {Role::kAdmin};
constexpr RoleSet kCameraReaders = {Role::kAdmin,      Role::kAuditor, Role::kOperator,
                                    Role::kDispatcher, Role::kLeader,  Role::kStreetLead};
// The video-analytics platform signs in with an operator account (the demo's `video_ai`).
constexpr RoleSet kAlarmSenders = {Role::kOperator};
constexpr TimeMs kMaxAlarmClockSkewMs = 5 * 60 * 1000;  // an alarm time this far ahead is refused

bool IsCameraCode(std::string_view code) {
  if (code.empty() || code.size() > 64) return false;
  for (char c : code) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

bool IsSnapshotUrl(std::string_view url) {
  if (url.size() > 2048) return false;
  std::string_view rest;
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return false;
  }
  if (rest.empty() || rest.front() == '/') return false;  // a host is required
  for (unsigned char c : url) {
    if (c <= 0x20 || c == 0x7f) return false;
  }
  return IsValidUtf8(url);
}

// The grid holding the point, within the caller's scope.
Result<RegionPath> PlaceCamera(const Actor& actor, const Territory& territory, double lon,
                               double lat) {
  if (!IsValidLonLat(lon, lat)) {
    return Fail(ErrorCode::kInvalidArgument,
                "a camera needs lon in [-180, 180] and lat in [-90, 90]", "location",
                "invalid_location");
  }
  const Region* grid = territory.LocateGrid(lon, lat);
  if (grid == nullptr) {
    return Fail(ErrorCode::kInvalidArgument, "the point lies in no grid", "location",
                "outside_grids");
  }
  const RegionPath path = territory.PathOf(grid->id);
  if (!ScopeOf(actor, territory).Covers(path)) {
    return Fail(ErrorCode::kNotFound, "no such grid in your scope", "location", "not_found");
  }
  return path;
}

std::string CameraJson(const Camera& c) {
  std::string s = "{\"code\":";
  AppendJsonString(s, c.code);
  s += ",\"name\":";
  AppendJsonString(s, c.name);
  s += ",\"lon\":" + std::to_string(c.lon) + ",\"lat\":" + std::to_string(c.lat) +
       ",\"grid_id\":" + std::to_string(c.path.grid_id) +
       ",\"enabled\":" + (c.enabled ? "true" : "false") + "}";
  return s;
}

Status NotFound(std::int64_t id) {
  return Fail(ErrorCode::kNotFound, "camera " + std::to_string(id) + " not found", "id");
}

}  // namespace

CameraService::CameraService(Store& store, const Clock& clock, const Crypto& crypto,
                             ReferenceSource reference, EventService& events,
                             CameraDispatchPolicy policy)
    : store_(store),
      clock_(clock),
      crypto_(crypto),
      reference_(std::move(reference)),
      events_(events),
      policy_(policy) {}

// --- The duty roster ---

Status CameraService::LoadRoster() {
  auto workers = store_.ListUsersWithRole(Role::kGridWorker);
  if (!workers) return workers.error();
  std::vector<UserId> ids;
  ids.reserve(workers->size());
  for (const User& u : *workers) ids.push_back(u.id);
  auto latest = store_.LatestPatrolPositions(ids, clock_.Now() - policy_.on_duty_window_ms);
  if (!latest) return latest.error();
  for (const PatrolCheckIn& p : *latest) roster_.Update(p.user_id, p.lon, p.lat, p.at);
  return Status::Ok();
}

void CameraService::OnCheckIn(const Actor& actor, const PatrolCheckIn& p) {
  if (actor.roles.Has(Role::kGridWorker)) roster_.Update(p.user_id, p.lon, p.lat, p.at);
}

std::optional<DutyCandidate> CameraService::NearestOnDuty(double lon, double lat) {
  const TimeMs since = clock_.Now() - policy_.on_duty_window_ms;
  // A worker disabled (or no longer a grid worker) since their check-in is passed over.
  auto still_a_worker = [this](UserId id) {
    auto user = store_.FindUser(id);
    return user && user->has_value() && !(*user)->disabled && (*user)->roles.Has(Role::kGridWorker);
  };
  return roster_.Nearest(lon, lat, since, policy_.max_metres, still_a_worker);
}

// --- The alarm type mapping ---

Result<std::vector<AlarmType>> CameraService::AlarmTypes(const Actor&) {
  return store_.ListAlarmTypes();
}

void CameraService::PutAlarmType(const Actor& actor, AlarmType in, Done<AlarmType> done) {
  // The mapping applies city-wide: an admin scoped to a district or street may not change it.
  if (!IsCityWideAdmin(actor)) {
    return done(Fail(ErrorCode::kPermissionDenied, "only a city-wide admin maps alarm types"));
  }
  if (!IsAlarmTypeName(in.type)) {
    return done(Fail(ErrorCode::kInvalidArgument,
                     "an alarm type is 1 to 64 lower-case letters, digits or _", "type"));
  }
  if (in.category.empty()) {
    return done(Fail(ErrorCode::kMalformed, "category is required", "category", "missing_field"));
  }
  if (reference_()->FindCategory(in.category) == nullptr) {
    return done(Fail(ErrorCode::kInvalidArgument, "unknown category '" + in.category + "'",
                     "category", "unknown_category"));
  }
  if (Status s = CheckTextField(in.label, 100, "label", true); !s) return done(s.error());
  in.label = std::string(Trim(in.label));
  const TimeMs now = clock_.Now();
  const Crypto& crypto = crypto_;
  store_.Submit(
      [in, actor, now, &crypto](WriteTx& tx) -> Status {
        auto before = tx.FindAlarmType(in.type);
        if (!before) return before.error();
        if (Status s = tx.PutAlarmType(in); !s) return s;
        const auto json = [](const AlarmType& t) {
          std::string out = "{\"category\":";
          AppendJsonString(out, t.category);
          out += ",\"label\":";
          AppendJsonString(out, t.label);
          return out + "}";
        };
        AuditRecord a =
            AuditOf(actor, now,
                    before->has_value() ? "camera_alarm_type.update" : "camera_alarm_type.create",
                    "camera_alarm_type", in.type);
        if (before->has_value()) a.before = json(**before);
        a.after = json(in);
        return AppendAuditRecord(tx, crypto, std::move(a));
      },
      [in, done = std::move(done)](Status s) {
        if (!s) return done(s.error());
        done(in);
      });
}

// --- The registry ---

void CameraService::Create(const Actor& actor, CameraInput in, Done<Camera> done) {
  if (!actor.roles.Intersects(kCameraAdmins)) {
    return done(Fail(ErrorCode::kPermissionDenied, "only admins register cameras"));
  }
  if (!in.code) {
    return done(Fail(ErrorCode::kMalformed, "code is required", "code", "missing_field"));
  }
  if (!IsCameraCode(*in.code)) {
    return done(Fail(ErrorCode::kInvalidArgument,
                     "code must be 1 to 64 letters, digits or - _ . :", "code"));
  }
  if (Status s = CheckTextField(in.name.value_or(""), 100, "name", true); !s)
    return done(s.error());
  if (!in.lon || !in.lat) {
    return done(
        Fail(ErrorCode::kMalformed, "location needs lon and lat", "location", "missing_field"));
  }
  auto ref = reference_();
  auto path = PlaceCamera(actor, ref->territory(), *in.lon, *in.lat);
  if (!path) return done(path.error());
  auto taken = store_.FindCameraByCode(*in.code);
  if (!taken) return done(taken.error());
  if (taken->has_value()) {
    return done(
        Fail(ErrorCode::kAlreadyExists, "a camera with code " + *in.code + " exists", "code"));
  }
  const TimeMs now = clock_.Now();
  Camera draft;
  draft.code = *in.code;
  draft.name = std::string(Trim(*in.name));
  draft.lon = *in.lon;
  draft.lat = *in.lat;
  draft.path = *path;
  draft.enabled = in.enabled.value_or(true);
  draft.created_at = now;
  draft.updated_at = now;
  auto row = std::make_shared<Camera>();
  const Crypto& crypto = crypto_;
  store_.Submit(
      [row, draft, actor, now, &crypto](WriteTx& tx) -> Status {
        *row = draft;
        if (Status s = tx.InsertCamera(*row); !s) return s;
        AuditRecord a = AuditOf(actor, now, "camera.create", "camera", std::to_string(row->id));
        a.after = CameraJson(*row);
        return AppendAuditRecord(tx, crypto, std::move(a));
      },
      [row, done = std::move(done)](Status s) {
        if (!s) return done(s.error());
        done(std::move(*row));
      });
}

void CameraService::Update(const Actor& actor, std::int64_t id, CameraInput in, Done<Camera> done) {
  if (!actor.roles.Intersects(kCameraAdmins)) {
    return done(Fail(ErrorCode::kPermissionDenied, "only admins edit cameras"));
  }
  auto current = Get(actor, id);
  if (!current) return done(current.error());
  if (in.code && *in.code != current->code) {
    return done(Fail(ErrorCode::kInvalidArgument, "a camera's code cannot change", "code"));
  }
  if (in.name) {
    if (Status s = CheckTextField(*in.name, 100, "name", true); !s) return done(s.error());
  }
  std::optional<RegionPath> path;
  if (in.lon.has_value() != in.lat.has_value()) {
    return done(
        Fail(ErrorCode::kMalformed, "a move needs both lon and lat", "location", "missing_field"));
  }
  if (in.lon) {
    auto ref = reference_();
    auto placed = PlaceCamera(actor, ref->territory(), *in.lon, *in.lat);
    if (!placed) return done(placed.error());
    path = *placed;
  }
  const TimeMs now = clock_.Now();
  auto row = std::make_shared<Camera>();
  const Crypto& crypto = crypto_;
  store_.Submit(
      [row, id, in, path, actor, now, &crypto](WriteTx& tx) -> Status {
        auto found = tx.FindCamera(id);
        if (!found) return found.error();
        if (!found->has_value()) return NotFound(id);
        const Camera before = **found;
        *row = before;
        if (in.name) row->name = std::string(Trim(*in.name));
        if (path) {
          row->lon = *in.lon;
          row->lat = *in.lat;
          row->path = *path;
        }
        if (in.enabled) row->enabled = *in.enabled;
        row->updated_at = now;
        if (Status s = tx.UpdateCamera(*row); !s) return s;
        AuditRecord a = AuditOf(actor, now, "camera.update", "camera", std::to_string(id));
        a.before = CameraJson(before);
        a.after = CameraJson(*row);
        return AppendAuditRecord(tx, crypto, std::move(a));
      },
      [row, done = std::move(done)](Status s) {
        if (!s) return done(s.error());
        done(std::move(*row));
      });
}

Result<Camera> CameraService::Get(const Actor& actor, std::int64_t id) {
  if (!actor.roles.Intersects(kCameraReaders)) {
    return Fail(ErrorCode::kPermissionDenied, "your role may not read cameras");
  }
  auto found = store_.FindCamera(id);
  if (!found) return found.error();
  auto ref = reference_();
  if (!found->has_value() || !ScopeOf(actor, ref->territory()).Covers((*found)->path)) {
    return NotFound(id).error();
  }
  return std::move(**found);
}

Result<std::vector<Camera>> CameraService::List(const Actor& actor, ListOptions options) {
  if (!actor.roles.Intersects(kCameraReaders)) {
    return Fail(ErrorCode::kPermissionDenied, "your role may not read cameras");
  }
  if (options.limit < 1 || options.limit > 500) {
    return Fail(ErrorCode::kInvalidArgument, "limit must be 1 to 500", "limit");
  }
  auto ref = reference_();
  const RegionFilter scope = ScopeOf(actor, ref->territory());
  BaseDataQuery q;
  q.scope = scope;
  if (options.region_id != 0) {
    auto narrow = Narrow(scope, ref->territory(), options.region_id);
    if (!narrow) return Fail(ErrorCode::kNotFound, "no such region", "region_id");
    q.scope = *narrow;
  }
  q.before_id = options.before_id;
  q.limit = options.limit;
  return store_.ListCameras(q);
}

// --- Alarms ---

void CameraService::ReceiveAlarm(const Actor& actor, CameraAlarmInput in, Done<AlarmOutcome> done) {
  if (!actor.roles.Intersects(kAlarmSenders)) {
    return done(Fail(ErrorCode::kPermissionDenied,
                     "camera alarms come from the video system's operator account"));
  }
  if (in.camera_id.empty()) {
    return done(Fail(ErrorCode::kMalformed, "camera_id is required", "camera_id", "missing_field"));
  }
  if (in.alarm_id.empty()) {
    return done(Fail(ErrorCode::kMalformed, "alarm_id is required", "alarm_id", "missing_field"));
  }
  if (in.alarm_id.size() > 128 || !IsValidUtf8(in.alarm_id)) {
    return done(Fail(ErrorCode::kInvalidArgument, "alarm_id must be UTF-8 of at most 128 bytes",
                     "alarm_id"));
  }
  if (in.type.empty()) {
    return done(Fail(ErrorCode::kMalformed, "type is required", "type", "missing_field"));
  }
  auto mapped = store_.FindAlarmType(in.type);
  if (!mapped) return done(mapped.error());
  if (!mapped->has_value()) {
    return done(Fail(ErrorCode::kInvalidArgument,
                     "unknown alarm type (GET /api/v1/camera-alarm-types lists them)", "type",
                     "unknown_alarm_type"));
  }
  const AlarmType type = std::move(**mapped);
  const TimeMs now = clock_.Now();
  if (!in.time) {
    return done(Fail(ErrorCode::kMalformed, "time is required", "time", "missing_field"));
  }
  if (*in.time > now + kMaxAlarmClockSkewMs) {
    return done(Fail(ErrorCode::kInvalidArgument, "time lies in the future", "time"));
  }
  if (in.snapshot_url.empty()) {
    return done(
        Fail(ErrorCode::kMalformed, "snapshot_url is required", "snapshot_url", "missing_field"));
  }
  if (!IsSnapshotUrl(in.snapshot_url)) {
    return done(Fail(ErrorCode::kInvalidArgument,
                     "snapshot_url must be an http or https URL of at most 2048 bytes",
                     "snapshot_url"));
  }
  auto ref = reference_();
  auto found = store_.FindCameraByCode(in.camera_id);
  if (!found) return done(found.error());
  if (!found->has_value() || !ScopeOf(actor, ref->territory()).Covers((*found)->path)) {
    return done(Fail(ErrorCode::kNotFound, "camera " + in.camera_id + " not found", "camera_id"));
  }
  const Camera camera = std::move(**found);
  if (!camera.enabled) {
    return done(Fail(ErrorCode::kInvalidArgument, "camera " + camera.code + " is disabled",
                     "camera_id", "camera_disabled"));
  }
  if (ref->FindCategory(type.category) == nullptr) {
    return done(Fail(ErrorCode::kInvalidArgument,
                     "alarm type " + in.type + " maps to category " + std::string(type.category) +
                         ", which the catalogue lacks",
                     "type", "unknown_category"));
  }

  const std::optional<DutyCandidate> worker = NearestOnDuty(camera.lon, camera.lat);
  CameraAlarm draft;
  draft.camera_id = camera.id;
  draft.alarm_id = std::move(in.alarm_id);
  draft.type = std::move(in.type);
  draft.alarm_at = *in.time;
  draft.snapshot_url = std::move(in.snapshot_url);
  draft.assigned_user_id = worker ? worker->user_id : 0;
  draft.assigned_metres = worker ? worker->metres : 0;
  draft.received_at = now;

  CreateEventCommand cmd;
  cmd.source = EventSource::kCamera;
  cmd.category = std::string(type.category);
  cmd.title = "视频告警：" + std::string(type.label) + "（" + camera.name + "）";
  cmd.description = "摄像头 " + camera.code + " 于 " + FormatIsoShanghai(draft.alarm_at) +
                    " 报警：" + std::string(type.label) + "（告警编号 " + draft.alarm_id + "）";
  cmd.lon = camera.lon;
  cmd.lat = camera.lat;
  cmd.address = camera.name;
  cmd.reporter_name = "视频智能分析";
  cmd.attachments.push_back(Attachment{"photo", draft.snapshot_url});
  cmd.assignee_user_id = draft.assigned_user_id;
  auto alarm = std::make_shared<CameraAlarm>();
  cmd.find_earlier = [alarm, draft](WriteTx& tx) -> Result<std::optional<EventId>> {
    auto earlier = tx.FindCameraAlarm(draft.camera_id, draft.alarm_id);
    if (!earlier) return earlier.error();
    if (!earlier->has_value()) return std::optional<EventId>();
    *alarm = **earlier;
    return std::optional<EventId>((*earlier)->event_id);
  };
  const Crypto& crypto = crypto_;
  cmd.also_write = [alarm, draft, actor, now, &crypto](WriteTx& tx, const Event& e) -> Status {
    *alarm = draft;
    alarm->event_id = e.id;
    if (Status s = tx.InsertCameraAlarm(*alarm); !s) return s;
    AuditRecord a = AuditOf(actor, now, "camera.alarm", "camera_alarm",
                            std::to_string(draft.camera_id) + "/" + draft.alarm_id);
    std::string after = "{\"camera\":" + std::to_string(draft.camera_id) + ",\"alarm_id\":";
    AppendJsonString(after, draft.alarm_id);
    after += ",\"type\":";
    AppendJsonString(after, draft.type);
    after += ",\"event\":" + std::to_string(e.id) +
             ",\"assigned_user_id\":" + std::to_string(draft.assigned_user_id) + "}";
    a.after = std::move(after);
    return AppendAuditRecord(tx, crypto, std::move(a));
  };
  events_.Create(actor, std::move(cmd),
                 [alarm, camera, done = std::move(done)](Result<CreateOutcome> created) {
                   if (!created) return done(created.error());
                   done(AlarmOutcome{*alarm, camera, std::move(created->event), created->replayed});
                 });
}

}  // namespace civicgrid
