#include "core/events/event.h"

#include <array>
#include <cstdio>

namespace civicgrid {

namespace {

constexpr std::array<std::string_view, kEventStatusCount> kStatusNames = {
    "reported",    "accepted", "rejected", "merged",    "dispatched",
    "in_progress", "handled",  "closed",   "evaluated",
};
constexpr std::array<std::string_view, kEventActionCount> kActionNames = {
    "report",    "accept",  "reject",   "merge",  "self_resolve", "dispatch",
    "claim",     "return",  "feedback", "verify", "rate",         "escalate",
    "supervise", "suspend", "resume",   "extend", "comment",
};
constexpr std::array<std::string_view, kEventSourceCount> kSourceNames = {
    "grid_app", "hotline", "web", "open311", "camera", "walk_in", "petition", "transfer",
};

template <typename E, std::size_t N>
std::optional<E> Lookup(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

}  // namespace

std::string_view StatusName(EventStatus s) { return kStatusNames[static_cast<std::size_t>(s)]; }
std::optional<EventStatus> StatusFromName(std::string_view n) {
  return Lookup<EventStatus>(kStatusNames, n);
}
std::string_view ActionName(EventAction a) { return kActionNames[static_cast<std::size_t>(a)]; }
std::optional<EventAction> ActionFromName(std::string_view n) {
  return Lookup<EventAction>(kActionNames, n);
}
std::string_view SourceName(EventSource s) { return kSourceNames[static_cast<std::size_t>(s)]; }
std::optional<EventSource> SourceFromName(std::string_view n) {
  return Lookup<EventSource>(kSourceNames, n);
}

std::string EventNumberDay(TimeMs reported_at) {
  const TimeMs local = reported_at + kShanghaiOffsetMs;
  const CivilDate d = CivilFromDays((local >= 0 ? local : local - kMsPerDay + 1) / kMsPerDay);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", d.year, d.month, d.day);
  return buf;
}

std::string EventNumber(std::string_view day, std::int64_t seq) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "-%06lld", static_cast<long long>(seq));
  return std::string(day) + buf;
}

bool IsOpen(EventStatus s) {
  switch (s) {
    case EventStatus::kReported:
    case EventStatus::kAccepted:
    case EventStatus::kDispatched:
    case EventStatus::kInProgress:
    case EventStatus::kHandled: return true;
    default: return false;
  }
}

}  // namespace civicgrid
