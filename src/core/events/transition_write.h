// Writing a decided transition: links its history row into the event's hash chain and writes the
// event row and the history row in the unit's WriteTx. Shared by the event loop and the routing
// use cases, which chain several transitions in one unit (accept + statutory dispatch).
#pragma once

#include "core/common/result.h"
#include "core/events/state_machine.h"
#include "core/ports/store.h"

namespace civicgrid {

class Crypto;

// Fills seq and hashes from `before`, writes both rows and answers the event as written.
Result<Event> WriteTransition(WriteTx& tx, const Crypto& crypto, const Event& before,
                              Transition transition);

}  // namespace civicgrid
