// Cameras and their alarms (issue 5, SPEC §2/§3): a video-analytics system reports an alarm of a
// camera; it becomes an event of source `camera` at the camera's position. Plain values; the
// rules are in camera_service.h.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/common/time.h"
#include "core/identity/actor.h"
#include "core/territory/territory.h"

namespace civicgrid {

struct Camera {
  std::int64_t id = 0;
  std::string code;  // the video system's camera id, unique ("CAM-0001")
  std::string name;
  double lon = 0;
  double lat = 0;
  RegionPath path;  // the grid holding the position, located when created or moved
  bool enabled = true;
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
};

// One received alarm; (camera_id, alarm_id) is unique, so a retried alarm finds its event.
struct CameraAlarm {
  std::int64_t camera_id = 0;
  std::string alarm_id;
  std::string type;
  TimeMs alarm_at = 0;  // when the camera saw it
  std::string snapshot_url;
  std::int64_t event_id = 0;
  UserId assigned_user_id = 0;  // the on-duty grid worker it was sent to; 0: the centre's queue
  double assigned_metres = 0;   // how far that worker's latest position was
  TimeMs received_at = 0;
};

// What an alarm type becomes: the event category and the title's words. Stored
// (camera_alarm_types); an admin maps new types or re-maps old ones (PUT
// /api/v1/camera-alarm-types/{type}).
struct AlarmType {
  std::string type;      // as the video system sends it: [a-z0-9_], 1-64 bytes
  std::string category;  // an event category code of the catalogue
  std::string label;     // zh-CN, for the event title
};

// The mapping a new database starts with (docs/ROUTING.md "Camera alarms").
std::span<const AlarmType> DefaultAlarmTypes();
// Whether `type` is a well-formed alarm type name.
bool IsAlarmTypeName(std::string_view type);

}  // namespace civicgrid
