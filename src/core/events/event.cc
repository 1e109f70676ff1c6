#include "core/events/event.h"

#include <array>

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
