#include "core/routing/event_routing.h"

namespace civicgrid {

std::string_view DispatchModeName(DispatchMode m) {
  switch (m) {
    case DispatchMode::kStatutory: return "statutory";
    case DispatchMode::kNegotiated: return "negotiated";
    case DispatchMode::kDesignated: return "designated";
    case DispatchMode::kManual: return "manual";
  }
  return "manual";
}

std::string_view DuplicateStateName(DuplicateState s) {
  switch (s) {
    case DuplicateState::kProposed: return "proposed";
    case DuplicateState::kMerged: return "merged";
    case DuplicateState::kKept: return "kept";
  }
  return "proposed";
}

}  // namespace civicgrid
