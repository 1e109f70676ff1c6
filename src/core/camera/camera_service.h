// Use cases of camera alarms (issue 5): the admins' camera registry, and an alarm of the
// video-analytics system becoming an event of source `camera` at the camera's position, sent to
// the nearest on-duty grid worker (who confirms it with `accept` or dismisses it with `reject`,
// state_machine.h IsCameraAlarmAssignee). Every call checks role and scope here; every write
// appends its audit record in its unit.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/camera/camera.h"
#include "core/camera/duty_roster.h"
#include "core/common/result.h"
#include "core/events/event_service.h"
#include "core/people/base_data.h"
#include "core/people/people_service.h"
#include "core/ports/store.h"

namespace civicgrid {

class Clock;
class Crypto;
class ReferenceData;

// Who counts as on duty and how far an alarm may be sent (`civicgrid serve --on-duty-hours H
// --camera-max-metres M`).
struct CameraDispatchPolicy {
  TimeMs on_duty_window_ms = 4 * kMsPerHour;  // a patrol check-in within this long
  double max_metres = 3000;                   // no worker farther than this gets the alarm
};

struct CameraInput {
  std::optional<std::string> code;  // create only
  std::optional<std::string> name;
  std::optional<double> lon, lat;  // both or neither on update
  std::optional<bool> enabled;
};

struct CameraAlarmInput {
  std::string camera_id;  // the camera's code
  std::string alarm_id;   // the video system's id of this alarm (a retry repeats it)
  std::string type;
  std::optional<TimeMs> time;
  std::string snapshot_url;
};

struct AlarmOutcome {
  CameraAlarm alarm;
  Camera camera;
  Event event;
  bool replayed = false;  // the same (camera, alarm id) was received before
};

class CameraService {
 public:
  using ReferenceSource = std::function<std::shared_ptr<const ReferenceData>()>;
  template <typename T>
  using Done = std::function<void(Result<T>)>;

  CameraService(Store& store, const Clock& clock, const Crypto& crypto, ReferenceSource reference,
                EventService& events, CameraDispatchPolicy policy = {});

  // Fills the duty roster with every enabled grid worker's latest check-in within the window.
  Status LoadRoster();
  // After a committed check-in (wired to PatrolService): the worker's latest position.
  void OnCheckIn(const Actor& actor, const PatrolCheckIn& check_in);

  void Create(const Actor& actor, CameraInput in, Done<Camera> done);
  void Update(const Actor& actor, std::int64_t id, CameraInput in, Done<Camera> done);
  Result<Camera> Get(const Actor& actor, std::int64_t id);
  Result<std::vector<Camera>> List(const Actor& actor, ListOptions options);

  // The alarm type mapping (any user: the video system's operators and the centre read it).
  Result<std::vector<AlarmType>> AlarmTypes(const Actor& actor);
  // Maps `in.type` (new or existing) to a category of the catalogue with a label (city-wide
  // admins).
  void PutAlarmType(const Actor& actor, AlarmType in, Done<AlarmType> done);

  // An alarm from the video system (operator role; the camera in the caller's scope).
  void ReceiveAlarm(const Actor& actor, CameraAlarmInput in, Done<AlarmOutcome> done);

  // The on-duty grid worker an alarm at this point would go to now.
  std::optional<DutyCandidate> NearestOnDuty(double lon, double lat);
  const CameraDispatchPolicy& policy() const { return policy_; }

 private:
  Store& store_;
  const Clock& clock_;
  const Crypto& crypto_;
  ReferenceSource reference_;
  EventService& events_;
  CameraDispatchPolicy policy_;
  DutyRoster roster_;
};

}  // namespace civicgrid
