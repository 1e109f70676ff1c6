// The base data of the grids (SPEC §2): households, residents, the floating population's moves,
// places, key persons with their visits, and grid workers' patrols and daily logs. Plain values;
// the rules are in the use cases (people_service.h, patrol_service.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/common/time.h"
#include "core/identity/actor.h"
#include "core/territory/territory.h"

namespace civicgrid {

// 户籍 registered, 流动 floating, 境外 overseas, 留守 left-behind, 空巢 empty-nest elderly,
// 特扶 special-support.
enum class ResidentType : std::uint8_t {
  kRegistered,
  kFloating,
  kOverseas,
  kLeftBehind,
  kEmptyNest,
  kSpecialCare,
};
std::string_view ResidentTypeName(ResidentType t);
std::string_view ResidentTypeLabel(ResidentType t);  // 户籍, 流动, ...
std::optional<ResidentType> ResidentTypeFromName(std::string_view name);

struct Household {
  std::int64_t id = 0;
  RegionPath path;
  std::string number;  // 户号, may be empty
  std::string address;
  std::string head_name;
  std::string phone;
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
};

// "present" or "departed" (floating population deregistered on departure).
enum class ResidentStatus : std::uint8_t { kPresent, kDeparted };
std::string_view ResidentStatusName(ResidentStatus s);

struct Resident {
  std::int64_t id = 0;
  std::int64_t household_id = 0;  // 0: none
  RegionPath path;
  std::string name;
  std::string gender;      // "male", "female" or ""
  std::string birth_date;  // YYYY-MM-DD, from the ID number
  std::string id_sealed;   // the ID number sealed by the Cipher
  std::string id_blind;    // its blind index
  std::string id_masked;   // 1101**********1234
  ResidentType type = ResidentType::kRegistered;
  std::string phone;
  ResidentStatus status = ResidentStatus::kPresent;
  std::optional<TimeMs> arrived_at;
  std::optional<TimeMs> departed_at;
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
};

// One line of a resident's arrival/departure history (人来登记、人走注销).
struct ResidentMove {
  std::int64_t id = 0;
  std::int64_t resident_id = 0;
  std::string kind;  // "arrive" or "depart"
  TimeMs at = 0;
  RegionId grid_id = 0;
  UserId actor_id = 0;
  std::string note;
};

// enterprise 企业, shop 商铺, school 学校, rental_house 出租屋, risk_source 危险源.
enum class PlaceKind : std::uint8_t { kEnterprise, kShop, kSchool, kRentalHouse, kRiskSource };
std::string_view PlaceKindName(PlaceKind k);
std::optional<PlaceKind> PlaceKindFromName(std::string_view name);

struct Place {
  std::int64_t id = 0;
  PlaceKind kind = PlaceKind::kShop;
  std::string name;
  std::string address;
  double lon = 0;
  double lat = 0;
  RegionPath path;
  std::string contact;
  std::string phone;
  int risk_level = 0;  // 0 none, 1 low .. 3 high (risk sources)
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
};

// 重点人员: a resident under care or control, visited by a responsible grid worker.
struct KeyPerson {
  std::int64_t id = 0;
  std::int64_t resident_id = 0;
  RegionPath path;       // the resident's
  std::string category;  // e.g. community_correction 社区矫正, drug 吸毒, mental 精神障碍
  std::string level;     // care/control level: "care" 关爱, "attention" 关注, "control" 管控
  UserId worker_id = 0;  // the responsible grid worker
  int visit_interval_days = 30;  // the visit plan: at least one visit per interval
  std::optional<TimeMs> last_visit_at;
  TimeMs next_visit_due = 0;
  std::string note;
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
};

struct KeyPersonVisit {
  std::int64_t id = 0;
  std::int64_t key_person_id = 0;
  UserId worker_id = 0;
  TimeMs at = 0;
  std::string note;
};

// A patrol check-in: where a grid worker was, when.
struct PatrolCheckIn {
  std::int64_t id = 0;
  UserId user_id = 0;
  TimeMs at = 0;
  double lon = 0;
  double lat = 0;
  RegionPath path;  // where the position lies (all 0: in no grid)
  std::string note;
};

// 民情日志: a grid worker's daily log entry.
struct PatrolLog {
  std::int64_t id = 0;
  UserId user_id = 0;
  std::string day;  // YYYY-MM-DD, Shanghai time
  RegionPath path;  // the author's grid
  std::string content;
  TimeMs created_at = 0;
};

}  // namespace civicgrid
