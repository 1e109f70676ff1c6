// Use cases of the grids' base data: households, residents (ID numbers validated, sealed and
// masked), arrivals and departures of the floating population, places, key persons and their
// visits. Every call checks role and scope here: a grid worker sees and edits their grid, a
// street user the street's subtree, district/city users theirs; outside -> kNotFound, a role that
// may not -> kPermissionDenied. Every write appends its audit record in its write unit.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/common/result.h"
#include "core/identity/actor.h"
#include "core/people/base_data.h"
#include "core/ports/store.h"

namespace civicgrid {

class Cipher;
class Clock;
class Crypto;
class ReferenceData;

struct HouseholdInput {
  RegionId grid_id = 0;  // 0: the caller's grid (grid workers)
  std::string number;
  std::string address;
  std::string head_name;
  std::string phone;
};

struct ResidentInput {
  std::int64_t household_id = 0;  // the grid follows the household
  RegionId grid_id = 0;           // without a household; 0: the caller's grid
  std::string name;
  std::string id_number;
  std::string type;  // ResidentTypeName or its Chinese label
  std::string phone;
  std::optional<TimeMs> arrived_at;  // floating population: the arrival (default now)
};

struct MoveInput {
  std::optional<TimeMs> at;  // default now
  RegionId grid_id = 0;      // arrival only: the grid they arrive in (default: unchanged)
  std::int64_t household_id = 0;
  std::string note;
};

struct PlaceInput {
  std::string kind;
  std::string name;
  std::string address;
  std::optional<double> lon, lat;
  std::string contact;
  std::string phone;
  int risk_level = 0;
};

struct KeyPersonInput {
  std::int64_t resident_id = 0;
  std::string category;
  std::string level;
  UserId worker_id = 0;  // 0: the caller (a grid worker)
  int visit_interval_days = 30;
  std::string note;
};

struct VisitInput {
  std::optional<TimeMs> at;
  std::string note;
};

// A PATCH of a resident: absent fields stay as they are.
struct ResidentChange {
  std::optional<std::string> name;
  std::optional<std::string> id_number;
  std::optional<std::string> type;  // ResidentTypeName or its Chinese label
  std::optional<std::string> phone;
  // Another household (its grid follows) or 0: no household (the resident stays in the grid).
  std::optional<std::int64_t> household_id;
  bool empty() const { return !name && !id_number && !type && !phone && !household_id; }
};

// A resident as the caller may see them: the ID number masked unless revealed.
struct ResidentView {
  Resident resident;
  std::string id_number;  // masked, or in full when `revealed`
  bool revealed = false;
};

struct ListOptions {
  RegionId region_id = 0;  // narrow to this subtree of the caller's scope
  std::int64_t before_id = 0;
  int limit = 50;
};

class PeopleService {
 public:
  using ReferenceSource = std::function<std::shared_ptr<const ReferenceData>()>;
  template <typename T>
  using Done = std::function<void(Result<T>)>;

  PeopleService(Store& store, const Clock& clock, const Crypto& crypto, const Cipher& cipher,
                ReferenceSource reference);

  void CreateHousehold(const Actor& actor, HouseholdInput input, Done<Household> done);
  Result<Household> GetHousehold(const Actor& actor, std::int64_t id);
  // The household with its phone number in full, for the roles that may see phone numbers in
  // full (as RevealResident); audited ("household.view_phone") before it is answered.
  void RevealHousehold(const Actor& actor, std::int64_t id, Done<Household> done);
  Result<std::vector<Household>> ListHouseholds(const Actor& actor, ListOptions options);

  void CreateResident(const Actor& actor, ResidentInput input, Done<ResidentView> done);
  // The resident with the ID number and the phone number masked (households and places come with
  // their phone numbers masked too: column protection, issue 4).
  Result<ResidentView> GetResident(const Actor& actor, std::int64_t id);
  // The resident with the ID number and phone number in full, for the roles allowed to see
  // them; the view is audited ("resident.view_id_number") before it is answered.
  void RevealResident(const Actor& actor, std::int64_t id, Done<ResidentView> done);
  // `id_number` (optional) finds by exact ID number through the blind index.
  Result<std::vector<ResidentView>> ListResidents(const Actor& actor, ListOptions options,
                                                  std::optional<ResidentType> type,
                                                  std::optional<ResidentStatus> status,
                                                  std::int64_t household_id, std::string id_number);
  // 人来登记 / 人走注销: a departed resident arrives again, a present one departs; each adds a
  // line to the resident's history.
  void Arrive(const Actor& actor, std::int64_t id, MoveInput input, Done<ResidentView> done);
  void Depart(const Actor& actor, std::int64_t id, MoveInput input, Done<ResidentView> done);
  Result<std::vector<ResidentMove>> Moves(const Actor& actor, std::int64_t id);

  void CreatePlace(const Actor& actor, PlaceInput input, Done<Place> done);
  Result<Place> GetPlace(const Actor& actor, std::int64_t id);
  // The place with its phone number in full; audited ("place.view_phone") first.
  void RevealPlace(const Actor& actor, std::int64_t id, Done<Place> done);
  Result<std::vector<Place>> ListPlaces(const Actor& actor, ListOptions options,
                                        std::optional<PlaceKind> kind);

  void CreateKeyPerson(const Actor& actor, KeyPersonInput input, Done<KeyPerson> done);
  Result<KeyPerson> GetKeyPerson(const Actor& actor, std::int64_t id);
  // overdue: only those whose next visit was due before now.
  Result<std::vector<KeyPerson>> ListKeyPersons(const Actor& actor, ListOptions options,
                                                bool overdue);
  void RecordVisit(const Actor& actor, std::int64_t key_person_id, VisitInput input,
                   Done<KeyPersonVisit> done);
  Result<std::vector<KeyPersonVisit>> Visits(const Actor& actor, std::int64_t key_person_id);

  // --- Resident edits (issue 3, geo helper) ---
  // Changes the attributes given in `change` of a resident in the caller's scope (writers only).
  // A new ID number is validated (GB 11643), sealed and masked afresh, with gender and birth
  // date derived again; a household moves the resident to its grid. Audited "resident.update"
  // with before/after (ID number masked). Nothing changes on any error.
  void UpdateResident(const Actor& actor, std::int64_t id, ResidentChange change,
                      Done<ResidentView> done);

 private:
  Store& store_;
  const Clock& clock_;
  const Crypto& crypto_;
  const Cipher& cipher_;
  ReferenceSource reference_;
};

// Who reads, who writes, who sees ID numbers in full.
bool MayReadBaseData(const Actor& actor);
bool MayWriteBaseData(const Actor& actor);
bool MaySeeFullIdNumber(const Actor& actor);

}  // namespace civicgrid
