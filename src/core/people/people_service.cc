#include "core/people/people_service.h"

#include "core/audit/audit_record.h"
#include "core/common/text.h"
#include "core/common/text_field.h"
#include "core/events/event_service.h"
#include "core/people/base_data_audit.h"
#include "core/people/id_number.h"
#include "core/people/key_person_follow.h"
#include "core/ports/cipher.h"
#include "core/ports/clock.h"
#include "core/routing/reference_data.h"
#include "core/territory/region_path_scope.h"

namespace civicgrid {

namespace {

constexpr RoleSet kReaders = {Role::kGridWorker,  Role::kStreetLead, Role::kLeader,
                              Role::kPoliceClerk, Role::kAdmin,      Role::kAuditor};
constexpr RoleSet kWriters = {Role::kGridWorker, Role::kStreetLead, Role::kPoliceClerk,
                              Role::kAdmin};
constexpr RoleSet kFullIdNumber = {Role::kPoliceClerk, Role::kAdmin};

Status CheckPhone(const std::string& phone) {
  if (phone.size() > 20) {
    return Fail(ErrorCode::kInvalidArgument, "phone is too long", "phone");
  }
  for (char c : phone) {
    if (!((c >= '0' && c <= '9') || c == '+' || c == '-' || c == ' ')) {
      return Fail(ErrorCode::kInvalidArgument, "phone may hold digits, +, - and spaces only",
                  "phone");
    }
  }
  return Status::Ok();
}

Unexpected<Error> NotFound(const char* what) {
  return Fail(ErrorCode::kNotFound, std::string("no such ") + what, "id", "not_found");
}

Status RequireRead(const Actor& actor) {
  if (!MayReadBaseData(actor)) {
    return Fail(ErrorCode::kPermissionDenied, "your role may not read the grids' base data");
  }
  return Status::Ok();
}

Status RequireWrite(const Actor& actor) {
  if (!MayWriteBaseData(actor)) {
    return Fail(ErrorCode::kPermissionDenied, "your role may not edit the grids' base data");
  }
  return Status::Ok();
}

// The grid a new row goes to: `grid_id`, or the caller's own grid; inside the caller's scope.
Result<RegionPath> ResolveGrid(const Actor& actor, const Territory& territory, RegionId grid_id) {
  if (grid_id == 0) {
    const Region* own = territory.Find(actor.scope.region_id);
    if (own == nullptr || own->level != RegionLevel::kGrid) {
      return Fail(ErrorCode::kInvalidArgument, "grid_id is required", "grid_id", "missing_field");
    }
    grid_id = own->id;
  }
  const Region* grid = territory.Find(grid_id);
  if (grid == nullptr || !ScopeOf(actor, territory).Covers(territory.PathOf(grid_id))) {
    return Fail(ErrorCode::kNotFound, "no such grid", "grid_id", "not_found");
  }
  if (grid->level != RegionLevel::kGrid) {
    return Fail(ErrorCode::kInvalidArgument, "grid_id must name a grid", "grid_id", "not_a_grid");
  }
  return territory.PathOf(grid_id);
}

Result<BaseDataQuery> QueryFor(const Actor& actor, const Territory& territory,
                               const ListOptions& options) {
  if (options.limit < 1 || options.limit > 500) {
    return Fail(ErrorCode::kInvalidArgument, "limit must be 1 to 500", "limit");
  }
  auto scope = Narrow(ScopeOf(actor, territory), territory, options.region_id);
  if (!scope) return Fail(ErrorCode::kNotFound, "no such region", "region_id", "not_found");
  BaseDataQuery q;
  q.scope = *scope;
  q.before_id = options.before_id;
  q.limit = options.limit;
  return q;
}

// Column protection: answers carry ID numbers and phone numbers masked; only the audited reveal
// (RevealResident) shows them in full.
ResidentView Masked(Resident r) {
  ResidentView v;
  v.id_number = r.id_masked;
  if (!r.phone.empty()) r.phone = MaskPhone(r.phone);
  v.resident = std::move(r);
  return v;
}
Household Masked(Household h) {
  if (!h.phone.empty()) h.phone = MaskPhone(h.phone);
  return h;
}
Place Masked(Place p) {
  if (!p.phone.empty()) p.phone = MaskPhone(p.phone);
  return p;
}
template <typename T>
Result<std::vector<T>> AllMasked(Result<std::vector<T>> rows) {
  if (!rows) return rows;
  for (T& row : *rows) row = Masked(std::move(row));
  return rows;
}

bool IsKnownLevel(std::string_view level) {
  return level == "care" || level == "attention" || level == "control";
}

}  // namespace

bool MayReadBaseData(const Actor& actor) { return actor.roles.Intersects(kReaders); }
bool MayWriteBaseData(const Actor& actor) { return actor.roles.Intersects(kWriters); }
bool MaySeeFullIdNumber(const Actor& actor) { return actor.roles.Intersects(kFullIdNumber); }

// Answers `row` (a full view) once the view is recorded in the audit log as `action`.
template <typename Row>
void AnswerAfterAudit(Store& store, const Crypto& crypto, const Actor& actor, TimeMs now,
                      const char* action, const char* object_type, std::int64_t id, Row row,
                      std::function<void(Result<Row>)> done) {
  auto result = std::make_shared<Row>(std::move(row));
  store.Submit(
      [actor, now, action, object_type, id, &crypto](WriteTx& tx) -> Status {
        return AppendAuditRecord(tx, crypto,
                                 AuditOf(actor, now, action, object_type, std::to_string(id)));
      },
      [result, done = std::move(done)](Status s) {
        if (!s) return done(s.error());
        done(std::move(*result));
      });
}

PeopleService::PeopleService(Store& store, const Clock& clock, const Crypto& crypto,
                             const Cipher& cipher, ReferenceSource reference)
    : store_(store),
      clock_(clock),
      crypto_(crypto),
      cipher_(cipher),
      reference_(std::move(reference)) {}

// --- Households ---

void PeopleService::CreateHousehold(const Actor& actor, HouseholdInput in, Done<Household> done) {
  if (Status s = RequireWrite(actor); !s) return done(s.error());
  for (const auto& check :
       {CheckTextField(in.address, 300, "address", true),
        CheckTextField(in.number, 50, "number", false),
        CheckTextField(in.head_name, 50, "head_name", false), CheckPhone(in.phone)}) {
    if (!check) return done(check.error());
  }
  auto ref = reference_();
  auto path = ResolveGrid(actor, ref->territory(), in.grid_id);
  if (!path) return done(path.error());
  const TimeMs now = clock_.Now();
  auto row = std::make_shared<Household>();
  row->path = *path;
  row->number = std::move(in.number);
  row->address = std::string(Trim(in.address));
  row->head_name = std::move(in.head_name);
  row->phone = std::move(in.phone);
  row->created_at = now;
  row->updated_at = now;
  const Household draft = *row;
  const Crypto& crypto = crypto_;
  store_.Submit(
      [row, draft, actor, now, &crypto](WriteTx& tx) -> Status {
        *row = draft;
        if (Status s = tx.InsertHousehold(*row); !s) return s;
        AuditRecord a =
            AuditOf(actor, now, "household.create", "household", std::to_string(row->id));
        a.after = HouseholdJson(*row);
        return AppendAuditRecord(tx, crypto, std::move(a));
      },
      [row, done = std::move(done)](Status s) {
        if (!s) return done(s.error());
        done(Masked(std::move(*row)));
      });
}

Result<Household> PeopleService::GetHousehold(const Actor& actor, std::int64_t id) {
  if (Status s = RequireRead(actor); !s) return s.error();
  auto found = store_.FindHousehold(id);
  if (!found) return found.error();
  auto ref = reference_();
  if (!found->has_value() || !ScopeOf(actor, ref->territory()).Covers((*found)->path)) {
    return NotFound("household");
  }
  return Masked(std::move(**found));
}

void PeopleService::RevealHousehold(const Actor& actor, std::int64_t id, Done<Household> done) {
  auto view = GetHousehold(actor, id);
  if (!view) return done(view.error());
  if (!MaySeeFullIdNumber(actor)) {
    return done(Fail(ErrorCode::kPermissionDenied, "your role may not see phone numbers in full"));
  }
  auto stored = store_.FindHousehold(id);
  if (!stored) return done(stored.error());
  if (!stored->has_value()) return done(NotFound("household"));
  AnswerAfterAudit(store_, crypto_, actor, clock_.Now(), "household.view_phone", "household", id,
                   std::move(**stored), std::move(done));
}

Result<std::vector<Household>> PeopleService::ListHouseholds(const Actor& actor,
                                                             ListOptions options) {
  if (Status s = RequireRead(actor); !s) return s.error();
  auto ref = reference_();
  auto q = QueryFor(actor, ref->territory(), options);
  if (!q) return q.error();
  return AllMasked(store_.ListHouseholds(*q));
}

// --- Residents ---

void PeopleService::CreateResident(const Actor& actor, ResidentInput in, Done<ResidentView> done) {
  if (Status s = RequireWrite(actor); !s) return done(s.error());
  for (const auto& check : {CheckTextField(in.name, 50, "name", true), CheckPhone(in.phone)}) {
    if (!check) return done(check.error());
  }
  auto id_number = ValidateIdNumber(Trim(in.id_number));
  if (!id_number) return done(id_number.error());
  auto type = ResidentTypeFromName(in.type);
  if (!type) {
    return done(Fail(ErrorCode::kInvalidArgument,
                     "type must be registered, floating, overseas, left_behind, empty_nest or "
                     "special_care",
                     "type", "unknown_type"));
  }
  auto ref = reference_();
  const Territory& territory = ref->territory();
  RegionPath path;
  if (in.household_id != 0) {
    auto household = GetHousehold(actor, in.household_id);
    if (!household) {
      if (household.error().code == ErrorCode::kNotFound) {
        return done(Fail(ErrorCode::kNotFound, "no such household", "household_id", "not_found"));
      }
      return done(household.error());
    }
    path = household->path;
  } else {
    auto grid = ResolveGrid(actor, territory, in.grid_id);
    if (!grid) return done(grid.error());
    path = *grid;
  }
  const TimeMs now = clock_.Now();
  Resident r;
  r.household_id = in.household_id;
  r.path = path;
  r.name = std::string(Trim(in.name));
  const std::string& id = *id_number;
  r.gender = ((id[16] - '0') % 2 == 1) ? "male" : "female";
  r.birth_date = id.substr(6, 4) + "-" + id.substr(10, 2) + "-" + id.substr(12, 2);
  r.id_sealed = cipher_.Seal(id);
  r.id_blind = cipher_.BlindIndex(id);
  r.id_masked = MaskIdNumber(id);
  r.type = *type;
  r.phone = std::move(in.phone);
  r.created_at = now;
  r.updated_at = now;
  const bool floating = *type == ResidentType::kFloating || *type == ResidentType::kOverseas;
  if (floating) r.arrived_at = in.arrived_at.value_or(now);
  auto row = std::make_shared<Resident>();
  const Crypto& crypto = crypto_;
  store_.Submit(
      [row, r, actor, now, floating, &crypto](WriteTx& tx) -> Status {
        *row = r;
        if (Status s = tx.InsertResident(*row); !s) {
          if (s.error().code == ErrorCode::kAlreadyExists) {
            return Fail(ErrorCode::kAlreadyExists, "a resident with this ID number is registered",
                        "id_number", "duplicate_id_number");
          }
          return s;
        }
        AuditRecord a = AuditOf(actor, now, "resident.create", "resident", std::to_string(row->id));
        a.after = ResidentJson(*row);
        if (Status s = AppendAuditRecord(tx, crypto, std::move(a)); !s) return s;
        if (floating) {
          ResidentMove m{
              0, row->id, "arrive", *row->arrived_at, row->path.grid_id, actor.user_id, "人来登记"};
          if (Status s = tx.InsertResidentMove(m); !s) return s;
        }
        return Status::Ok();
      },
      [row, done = std::move(done)](Status s) {
        if (!s) return done(s.error());
        done(Masked(std::move(*row)));
      });
}

Result<ResidentView> PeopleService::GetResident(const Actor& actor, std::int64_t id) {
  if (Status s = RequireRead(actor); !s) return s.error();
  auto found = store_.FindResident(id);
  if (!found) return found.error();
  auto ref = reference_();
  if (!found->has_value() || !ScopeOf(actor, ref->territory()).Covers((*found)->path)) {
    return NotFound("resident");
  }
  return Masked(std::move(**found));
}

void PeopleService::RevealResident(const Actor& actor, std::int64_t id, Done<ResidentView> done) {
  auto view = GetResident(actor, id);
  if (!view) return done(view.error());
  if (!MaySeeFullIdNumber(actor)) {
    return done(Fail(ErrorCode::kPermissionDenied, "your role may not see ID numbers in full"));
  }
  auto plain = cipher_.Open(view->resident.id_sealed);
  if (!plain) return done(Fail(ErrorCode::kInternal, "the stored ID number cannot be opened"));
  // The full view shows the phone number unmasked too (the same audited record covers both).
  auto stored = store_.FindResident(id);
  if (!stored) return done(stored.error());
  if (!stored->has_value()) return done(NotFound("resident"));
  ResidentView full = std::move(*view);
  full.id_number = std::move(*plain);
  full.resident.phone = (*stored)->phone;
  full.revealed = true;
  AnswerAfterAudit(store_, crypto_, actor, clock_.Now(), "resident.view_id_number", "resident", id,
                   std::move(full), std::move(done));
}

Result<std::vector<ResidentView>> PeopleService::ListResidents(
    const Actor& actor, ListOptions options, std::optional<ResidentType> type,
    std::optional<ResidentStatus> status, std::int64_t household_id, std::string id_number) {
  if (Status s = RequireRead(actor); !s) return s.error();
  auto ref = reference_();
  auto q = QueryFor(actor, ref->territory(), options);
  if (!q) return q.error();
  q->resident_type = type;
  q->resident_status = status;
  q->household_id = household_id;
  if (!id_number.empty()) {
    auto valid = ValidateIdNumber(Trim(id_number));
    if (!valid) return valid.error();
    q->id_blind = cipher_.BlindIndex(*valid);
  }
  auto rows = store_.ListResidents(*q);
  if (!rows) return rows.error();
  std::vector<ResidentView> out;
  out.reserve(rows->size());
  for (Resident& r : *rows) out.push_back(Masked(std::move(r)));
  return out;
}

void PeopleService::Arrive(const Actor& actor, std::int64_t id, MoveInput in,
                           Done<ResidentView> done) {
  if (Status s = RequireWrite(actor); !s) return done(s.error());
  if (Status s = CheckTextField(in.note, 500, "note", false); !s) return done(s.error());
  auto current = GetResident(actor, id);
  if (!current) return done(current.error());
  auto ref = reference_();
  std::optional<RegionPath> new_path;
  if (in.household_id != 0) {
    // Arriving into a household: its grid, whatever grid_id says.
    auto household = GetHousehold(actor, in.household_id);
    if (!household) {
      if (household.error().code == ErrorCode::kNotFound) {
        return done(Fail(ErrorCode::kNotFound, "no such household", "household_id", "not_found"));
      }
      return done(household.error());
    }
    new_path = household->path;
  } else if (in.grid_id != 0) {
    auto grid = ResolveGrid(actor, ref->territory(), in.grid_id);
    if (!grid) return done(grid.error());
    new_path = *grid;
  }
  std::vector<UserId> new_grid_workers;
  if (new_path) {
    auto workers = GridWorkersCovering(store_, ref->territory(), new_path->grid_id);
    if (!workers) return done(workers.error());
    new_grid_workers = std::move(*workers);
  }
  const RegionFilter scope = ScopeOf(actor, ref->territory());
  const TimeMs now = clock_.Now();
  const TimeMs at = in.at.value_or(now);
  auto row = std::make_shared<Resident>();
  const Crypto& crypto = crypto_;
  store_.Submit(
      [=, &crypto](WriteTx& tx) -> Status {
        auto found = tx.FindResident(id);
        if (!found) return found.error();
        if (!found->has_value() || !scope.Covers((*found)->path)) return NotFound("resident");
        Resident r = std::move(**found);
        if (r.status == ResidentStatus::kPresent) {
          return Fail(ErrorCode::kFailedPrecondition, "the resident is registered as present",
                      "status", "already_present");
        }
        const std::string before = ResidentJson(r);
        r.status = ResidentStatus::kPresent;
        r.arrived_at = at;
        r.departed_at.reset();
        if (new_path) {
          r.path = *new_path;
          r.household_id = in.household_id;  // 0 when arriving into a grid without a household
        }
        r.updated_at = now;
        if (Status s = tx.UpdateResident(r); !s) return s;
        if (new_path) {
          if (Status s = FollowResident(tx, crypto, actor, now, r, new_grid_workers); !s) return s;
        }
        ResidentMove m{0, r.id, "arrive", at, r.path.grid_id, actor.user_id, in.note};
        if (Status s = tx.InsertResidentMove(m); !s) return s;
        AuditRecord a = AuditOf(actor, now, "resident.arrive", "resident", std::to_string(id));
        a.before = before;
        a.after = ResidentJson(r);
        if (Status s = AppendAuditRecord(tx, crypto, std::move(a)); !s) return s;
        *row = std::move(r);
        return Status::Ok();
      },
      [row, done = std::move(done)](Status s) {
        if (!s) return done(s.error());
        done(Masked(std::move(*row)));
      });
}

void PeopleService::Depart(const Actor& actor, std::int64_t id, MoveInput in,
                           Done<ResidentView> done) {
  if (Status s = RequireWrite(actor); !s) return done(s.error());
  if (Status s = CheckTextField(in.note, 500, "note", false); !s) return done(s.error());
  auto current = GetResident(actor, id);
  if (!current) return done(current.error());
  auto ref = reference_();
  const RegionFilter scope = ScopeOf(actor, ref->territory());
  const TimeMs now = clock_.Now();
  const TimeMs at = in.at.value_or(now);
  auto row = std::make_shared<Resident>();
  const Crypto& crypto = crypto_;
  store_.Submit(
      [=, &crypto](WriteTx& tx) -> Status {
        auto found = tx.FindResident(id);
        if (!found) return found.error();
        if (!found->has_value() || !scope.Covers((*found)->path)) return NotFound("resident");
        Resident r = std::move(**found);
        if (r.status == ResidentStatus::kDeparted) {
          return Fail(ErrorCode::kFailedPrecondition, "the resident has already departed", "status",
                      "already_departed");
        }
        if (r.arrived_at && at < *r.arrived_at) {
          return Fail(ErrorCode::kInvalidArgument, "the departure is before the arrival", "at");
        }
        const std::string before = ResidentJson(r);
        r.status = ResidentStatus::kDeparted;
        r.departed_at = at;
        r.updated_at = now;
        if (Status s = tx.UpdateResident(r); !s) return s;
        ResidentMove m{0, r.id, "depart", at, r.path.grid_id, actor.user_id, in.note};
        if (Status s = tx.InsertResidentMove(m); !s) return s;
        AuditRecord a = AuditOf(actor, now, "resident.depart", "resident", std::to_string(id));
        a.before = before;
        a.after = ResidentJson(r);
        if (Status s = AppendAuditRecord(tx, crypto, std::move(a)); !s) return s;
        *row = std::move(r);
        return Status::Ok();
      },
      [row, done = std::move(done)](Status s) {
        if (!s) return done(s.error());
        done(Masked(std::move(*row)));
      });
}

Result<std::vector<ResidentMove>> PeopleService::Moves(const Actor& actor, std::int64_t id) {
  auto resident = GetResident(actor, id);
  if (!resident) return resident.error();
  return store_.ResidentMoves(id);
}

// --- Places ---

void PeopleService::CreatePlace(const Actor& actor, PlaceInput in, Done<Place> done) {
  if (Status s = RequireWrite(actor); !s) return done(s.error());
  auto kind = PlaceKindFromName(in.kind);
  if (!kind) {
    return done(Fail(ErrorCode::kInvalidArgument,
                     "kind must be enterprise, shop, school, rental_house or risk_source", "kind",
                     "unknown_kind"));
  }
  for (const auto& check :
       {CheckTextField(in.name, 100, "name", true),
        CheckTextField(in.address, 300, "address", false),
        CheckTextField(in.contact, 50, "contact", false), CheckPhone(in.phone)}) {
    if (!check) return done(check.error());
  }
  if (!in.lon || !in.lat || !IsValidLonLat(*in.lon, *in.lat)) {
    return done(Fail(ErrorCode::kInvalidArgument,
                     "a place needs lon in [-180, 180] and lat in [-90, 90]", "location",
                     "invalid_location"));
  }
  if (in.risk_level < 0 || in.risk_level > 3) {
    return done(Fail(ErrorCode::kInvalidArgument, "risk_level must be 0 to 3", "risk_level"));
  }
  auto ref = reference_();
  const Region* grid = ref->territory().LocateGrid(*in.lon, *in.lat);
  if (grid == nullptr) {
    return done(Fail(ErrorCode::kInvalidArgument, "the point lies in no grid", "location",
                     "outside_grids"));
  }
  auto path = ResolveGrid(actor, ref->territory(), grid->id);
  if (!path) return done(path.error());
  const TimeMs now = clock_.Now();
  Place p;
  p.kind = *kind;
  p.name = std::string(Trim(in.name));
  p.address = std::move(in.address);
  p.lon = *in.lon;
  p.lat = *in.lat;
  p.path = *path;
  p.contact = std::move(in.contact);
  p.phone = std::move(in.phone);
  p.risk_level = in.risk_level;
  p.created_at = now;
  p.updated_at = now;
  auto row = std::make_shared<Place>();
  const Crypto& crypto = crypto_;
  store_.Submit(
      [row, p, actor, now, &crypto](WriteTx& tx) -> Status {
        *row = p;
        if (Status s = tx.InsertPlace(*row); !s) return s;
        AuditRecord a = AuditOf(actor, now, "place.create", "place", std::to_string(row->id));
        a.after = PlaceJson(*row);
        return AppendAuditRecord(tx, crypto, std::move(a));
      },
      [row, done = std::move(done)](Status s) {
        if (!s) return done(s.error());
        done(Masked(std::move(*row)));
      });
}

Result<Place> PeopleService::GetPlace(const Actor& actor, std::int64_t id) {
  if (Status s = RequireRead(actor); !s) return s.error();
  auto found = store_.FindPlace(id);
  if (!found) return found.error();
  auto ref = reference_();
  if (!found->has_value() || !ScopeOf(actor, ref->territory()).Covers((*found)->path)) {
    return NotFound("place");
  }
  return Masked(std::move(**found));
}

void PeopleService::RevealPlace(const Actor& actor, std::int64_t id, Done<Place> done) {
  auto view = GetPlace(actor, id);
  if (!view) return done(view.error());
  if (!MaySeeFullIdNumber(actor)) {
    return done(Fail(ErrorCode::kPermissionDenied, "your role may not see phone numbers in full"));
  }
  auto stored = store_.FindPlace(id);
  if (!stored) return done(stored.error());
  if (!stored->has_value()) return done(NotFound("place"));
  AnswerAfterAudit(store_, crypto_, actor, clock_.Now(), "place.view_phone", "place", id,
                   std::move(**stored), std::move(done));
}

Result<std::vector<Place>> PeopleService::ListPlaces(const Actor& actor, ListOptions options,
                                                     std::optional<PlaceKind> kind) {
  if (Status s = RequireRead(actor); !s) return s.error();
  auto ref = reference_();
  auto q = QueryFor(actor, ref->territory(), options);
  if (!q) return q.error();
  q->place_kind = kind;
  return AllMasked(store_.ListPlaces(*q));
}

// --- Key persons ---

void PeopleService::CreateKeyPerson(const Actor& actor, KeyPersonInput in, Done<KeyPerson> done) {
  if (Status s = RequireWrite(actor); !s) return done(s.error());
  for (const auto& check : {CheckTextField(in.category, 50, "category", true),
                            CheckTextField(in.note, 500, "note", false)}) {
    if (!check) return done(check.error());
  }
  if (!IsKnownLevel(in.level)) {
    return done(Fail(ErrorCode::kInvalidArgument, "level must be care, attention or control",
                     "level", "unknown_level"));
  }
  if (in.visit_interval_days < 1 || in.visit_interval_days > 365) {
    return done(Fail(ErrorCode::kInvalidArgument, "visit_interval_days must be 1 to 365",
                     "visit_interval_days"));
  }
  auto resident = GetResident(actor, in.resident_id);
  if (!resident) {
    if (resident.error().code == ErrorCode::kNotFound) {
      return done(Fail(ErrorCode::kNotFound, "no such resident", "resident_id", "not_found"));
    }
    return done(resident.error());
  }
  const UserId worker_id = in.worker_id != 0 ? in.worker_id : actor.user_id;
  auto worker = store_.FindUser(worker_id);
  if (!worker) return done(worker.error());
  auto ref = reference_();
  if (!worker->has_value() || !(*worker)->roles.Has(Role::kGridWorker) ||
      !ref->territory().IsWithin(resident->resident.path.grid_id, (*worker)->region_id)) {
    return done(Fail(ErrorCode::kInvalidArgument,
                     "the responsible worker must be a grid worker of the resident's grid",
                     "worker_id", "invalid_worker"));
  }
  const TimeMs now = clock_.Now();
  KeyPerson k;
  k.resident_id = in.resident_id;
  k.path = resident->resident.path;
  k.category = std::string(Trim(in.category));
  k.level = in.level;
  k.worker_id = worker_id;
  k.visit_interval_days = in.visit_interval_days;
  k.next_visit_due = now + in.visit_interval_days * kMsPerDay;
  k.note = std::move(in.note);
  k.created_at = now;
  k.updated_at = now;
  auto row = std::make_shared<KeyPerson>();
  const Crypto& crypto = crypto_;
  store_.Submit(
      [row, k, actor, now, &crypto](WriteTx& tx) -> Status {
        *row = k;
        if (Status s = tx.InsertKeyPerson(*row); !s) {
          if (s.error().code == ErrorCode::kAlreadyExists) {
            return Fail(ErrorCode::kAlreadyExists, "the resident is already a key person",
                        "resident_id", "duplicate_key_person");
          }
          return s;
        }
        AuditRecord a =
            AuditOf(actor, now, "key_person.create", "key_person", std::to_string(row->id));
        a.after = KeyPersonJson(*row);
        return AppendAuditRecord(tx, crypto, std::move(a));
      },
      [row, done = std::move(done)](Status s) {
        if (!s) return done(s.error());
        done(std::move(*row));
      });
}

Result<KeyPerson> PeopleService::GetKeyPerson(const Actor& actor, std::int64_t id) {
  if (Status s = RequireRead(actor); !s) return s.error();
  auto found = store_.FindKeyPerson(id);
  if (!found) return found.error();
  auto ref = reference_();
  if (!found->has_value() || !ScopeOf(actor, ref->territory()).Covers((*found)->path)) {
    return NotFound("key person");
  }
  return std::move(**found);
}

Result<std::vector<KeyPerson>> PeopleService::ListKeyPersons(const Actor& actor,
                                                             ListOptions options, bool overdue) {
  if (Status s = RequireRead(actor); !s) return s.error();
  auto ref = reference_();
  auto q = QueryFor(actor, ref->territory(), options);
  if (!q) return q.error();
  if (overdue) q->due_before = clock_.Now();
  return store_.ListKeyPersons(*q);
}

void PeopleService::RecordVisit(const Actor& actor, std::int64_t key_person_id, VisitInput in,
                                Done<KeyPersonVisit> done) {
  if (Status s = RequireWrite(actor); !s) return done(s.error());
  if (Status s = CheckTextField(in.note, 2000, "note", true); !s) return done(s.error());
  auto current = GetKeyPerson(actor, key_person_id);
  if (!current) return done(current.error());
  const TimeMs now = clock_.Now();
  const TimeMs at = in.at.value_or(now);
  if (at > now + kMsPerHour) {
    return done(Fail(ErrorCode::kInvalidArgument, "a visit cannot lie in the future", "at"));
  }
  auto ref = reference_();
  const RegionFilter scope = ScopeOf(actor, ref->territory());
  auto row = std::make_shared<KeyPersonVisit>();
  const Crypto& crypto = crypto_;
  store_.Submit(
      [=, &crypto](WriteTx& tx) -> Status {
        auto found = tx.FindKeyPerson(key_person_id);
        if (!found) return found.error();
        if (!found->has_value() || !scope.Covers((*found)->path)) return NotFound("key person");
        KeyPerson k = std::move(**found);
        const std::string before = KeyPersonJson(k);
        KeyPersonVisit v{0, key_person_id, actor.user_id, at, in.note};
        if (Status s = tx.InsertKeyPersonVisit(v); !s) return s;
        if (!k.last_visit_at || at > *k.last_visit_at) {
          k.last_visit_at = at;
          k.next_visit_due = at + k.visit_interval_days * kMsPerDay;
        }
        k.updated_at = now;
        if (Status s = tx.UpdateKeyPersonVisit(k); !s) return s;
        AuditRecord a =
            AuditOf(actor, now, "key_person.visit", "key_person", std::to_string(key_person_id));
        a.before = before;
        a.after = KeyPersonJson(k);
        if (Status s = AppendAuditRecord(tx, crypto, std::move(a)); !s) return s;
        *row = v;
        return Status::Ok();
      },
      [row, done = std::move(done)](Status s) {
        if (!s) return done(s.error());
        done(std::move(*row));
      });
}

Result<std::vector<KeyPersonVisit>> PeopleService::Visits(const Actor& actor,
                                                          std::int64_t key_person_id) {
  auto k = GetKeyPerson(actor, key_person_id);
  if (!k) return k.error();
  return store_.KeyPersonVisits(key_person_id);
}

}  // namespace civicgrid

namespace civicgrid {

// --- Resident edits (issue 3, geo helper) ---

void PeopleService::UpdateResident(const Actor& actor, std::int64_t id, ResidentChange change,
                                   Done<ResidentView> done) {
  if (Status s = RequireWrite(actor); !s) return done(s.error());
  auto current = GetResident(actor, id);  // out of scope -> 404 before any input is judged
  if (!current) return done(current.error());
  if (change.empty()) {
    return done(Fail(ErrorCode::kInvalidArgument,
                     "nothing to change: give name, id_number, type, phone or household_id", "",
                     "empty_change"));
  }
  if (change.name) {
    if (Status s = CheckTextField(*change.name, 50, "name", true); !s) return done(s.error());
  }
  if (change.phone) {
    if (Status s = CheckPhone(*change.phone); !s) return done(s.error());
  }
  std::optional<std::string> id_number;
  if (change.id_number) {
    auto valid = ValidateIdNumber(Trim(*change.id_number));
    if (!valid) return done(valid.error());
    id_number = std::move(*valid);
  }
  std::optional<ResidentType> type;
  if (change.type) {
    type = ResidentTypeFromName(*change.type);
    if (!type) {
      return done(Fail(ErrorCode::kInvalidArgument,
                       "type must be registered, floating, overseas, left_behind, empty_nest or "
                       "special_care",
                       "type", "unknown_type"));
    }
  }
  std::optional<RegionPath> household_path;
  if (change.household_id && *change.household_id != 0) {
    auto household = GetHousehold(actor, *change.household_id);
    if (!household) {
      if (household.error().code == ErrorCode::kNotFound) {
        return done(Fail(ErrorCode::kNotFound, "no such household", "household_id", "not_found"));
      }
      return done(household.error());
    }
    household_path = household->path;
  } else if (change.household_id && *change.household_id < 0) {
    return done(
        Fail(ErrorCode::kInvalidArgument, "household_id must be positive or 0", "household_id"));
  }
  // Sealing happens here, once: the unit may run again and must not depend on the Cipher.
  std::optional<Resident> sealed;
  if (id_number) {
    Resident s;
    const std::string& n = *id_number;
    s.gender = ((n[16] - '0') % 2 == 1) ? "male" : "female";
    s.birth_date = n.substr(6, 4) + "-" + n.substr(10, 2) + "-" + n.substr(12, 2);
    s.id_sealed = cipher_.Seal(n);
    s.id_blind = cipher_.BlindIndex(n);
    s.id_masked = MaskIdNumber(n);
    sealed = std::move(s);
  }
  auto ref = reference_();
  std::vector<UserId> new_grid_workers;
  if (household_path) {
    auto workers = GridWorkersCovering(store_, ref->territory(), household_path->grid_id);
    if (!workers) return done(workers.error());
    new_grid_workers = std::move(*workers);
  }
  const RegionFilter scope = ScopeOf(actor, ref->territory());
  const TimeMs now = clock_.Now();
  auto row = std::make_shared<Resident>();
  const Crypto& crypto = crypto_;
  store_.Submit(
      [=, &crypto](WriteTx& tx) -> Status {
        auto found = tx.FindResident(id);
        if (!found) return found.error();
        if (!found->has_value() || !scope.Covers((*found)->path)) return NotFound("resident");
        Resident r = std::move(**found);
        const std::string before = ResidentJson(r);
        if (change.name) r.name = std::string(Trim(*change.name));
        if (change.phone) r.phone = *change.phone;
        if (type) r.type = *type;
        if (sealed) {
          r.gender = sealed->gender;
          r.birth_date = sealed->birth_date;
          r.id_sealed = sealed->id_sealed;
          r.id_blind = sealed->id_blind;
          r.id_masked = sealed->id_masked;
        }
        if (change.household_id) {
          r.household_id = *change.household_id;
          if (household_path) r.path = *household_path;
        }
        r.updated_at = now;
        if (Status s = tx.UpdateResidentDetails(r); !s) {
          if (s.error().code == ErrorCode::kAlreadyExists) {
            return Fail(ErrorCode::kAlreadyExists, "a resident with this ID number is registered",
                        "id_number", "duplicate_id_number");
          }
          return s;
        }
        AuditRecord a = AuditOf(actor, now, "resident.update", "resident", std::to_string(id));
        a.before = before;
        a.after = ResidentJson(r);
        if (Status s = AppendAuditRecord(tx, crypto, std::move(a)); !s) return s;
        if (household_path) {
          if (Status s = FollowResident(tx, crypto, actor, now, r, new_grid_workers); !s) return s;
        }
        *row = std::move(r);
        return Status::Ok();
      },
      [row, done = std::move(done)](Status s) {
        if (!s) return done(s.error());
        done(Masked(std::move(*row)));
      });
}

}  // namespace civicgrid
