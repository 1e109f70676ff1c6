// The event (事件 / work order) and its append-only history, SPEC §3.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/time.h"
#include "core/identity/actor.h"

namespace civicgrid {

using EventId = std::int64_t;

enum class EventStatus : std::uint8_t {
  kReported,
  kAccepted,
  kRejected,
  kMerged,
  kDispatched,
  kInProgress,
  kHandled,
  kClosed,
  kEvaluated,
};
inline constexpr int kEventStatusCount = 9;

enum class EventAction : std::uint8_t {
  kReport,  // creation; only ever the first history row
  kAccept,
  kReject,
  kMerge,
  kSelfResolve,
  kDispatch,
  kClaim,
  kReturn,
  kFeedback,
  kVerify,
  kRate,
  kEscalate,
  kSupervise,
  kSuspend,
  kResume,
  kExtend,
  kComment,
};
inline constexpr int kEventActionCount = 17;

enum class EventSource : std::uint8_t {
  kGridApp,
  kHotline,
  kWeb,
  kOpen311,
  kCamera,
  kWalkIn,
  kPetition,
  kTransfer,
};
inline constexpr int kEventSourceCount = 8;

std::string_view StatusName(EventStatus s);
std::optional<EventStatus> StatusFromName(std::string_view name);
std::string_view ActionName(EventAction a);
std::optional<EventAction> ActionFromName(std::string_view name);
std::string_view SourceName(EventSource s);
std::optional<EventSource> SourceFromName(std::string_view name);

// The event number "20261121-000123": the Shanghai date of the report and its daily sequence.
std::string EventNumberDay(TimeMs reported_at);  // "20261121"
std::string EventNumber(std::string_view day, std::int64_t seq);

// Open: still owned by someone who must act. Terminal states take only comments.
bool IsOpen(EventStatus s);

struct Attachment {
  std::string type;  // photo, video, audio, document
  std::string url;
};

struct Event {
  EventId id = 0;
  std::string number;  // "20261121-000123": the Shanghai date of the report and a daily sequence
  EventSource source = EventSource::kWeb;
  std::string category;  // category code
  std::string title;
  std::string description;
  double lon = 0;
  double lat = 0;
  std::string address;
  RegionId grid_id = 0;  // 0 when the point is in no grid
  RegionId community_id = 0;
  RegionId street_id = 0;
  RegionId district_id = 0;
  RegionId owner_region_id = 0;  // the level that owns it; escalation moves it up
  std::string reporter_name;
  std::string reporter_phone;
  UserId reporter_user_id = 0;  // the user who reported (0 for anonymous channels)
  int priority = 2;             // 1 urgent, 2 normal, 3 low
  EventStatus status = EventStatus::kReported;
  std::int64_t version = 1;
  DepartmentId department_id = 0;  // current assignee department, 0 if none
  UserId assignee_user_id = 0;     // the handler who claimed it
  std::optional<TimeMs> deadline;
  bool suspended = false;
  TimeMs suspended_at = 0;  // when the clock was paused
  int supervision_level = 0;
  int escalation_level = 0;
  EventId merged_into = 0;
  int rating = 0;  // 1..5 once evaluated
  std::vector<Attachment> attachments;
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
  std::optional<TimeMs> closed_at;
  std::string last_hash;  // hash of the newest history row
  std::int64_t history_count = 0;
};

struct HistoryEntry {
  EventId event_id = 0;
  std::int64_t seq = 0;  // 1 = the report
  EventAction action = EventAction::kReport;
  UserId actor_id = 0;
  std::string actor_name;
  std::string actor_role;  // the role the action was taken as
  TimeMs at = 0;
  EventStatus from_status = EventStatus::kReported;
  EventStatus to_status = EventStatus::kReported;
  std::string note;
  std::string data;  // canonical JSON of action-specific fields (department, rating, ...)
  std::string prev_hash;
  std::string hash;
};

}  // namespace civicgrid
