// A key person lives where their resident lives: when a resident moves to another grid (an
// arrival into it, or a PATCH into one of its households), the key person record moves in the
// same write unit, so that the new grid's worker sees and visits them and the old one no longer
// does.
#pragma once

#include <vector>

#include "core/common/result.h"
#include "core/identity/actor.h"
#include "core/people/base_data.h"
#include "core/ports/store.h"

namespace civicgrid {

class Crypto;
class Territory;

// The enabled grid workers whose scope covers `grid`: those of the grid itself first, then the
// rest, each group by ascending id. Read before the write unit.
Result<std::vector<UserId>> GridWorkersCovering(Store& store, const Territory& territory,
                                                RegionId grid);

// Inside the resident's write unit, after the resident row is written: when the resident is a
// key person placed in another grid than `resident.path`, the key person moves there. Its worker
// stays when they are among `workers` (the new grid's, from GridWorkersCovering); otherwise the
// first of them takes over, or nobody (worker 0) when the grid has none. Audited as
// key_person.regrid with before and after.
Status FollowResident(WriteTx& tx, const Crypto& crypto, const Actor& actor, TimeMs now,
                      const Resident& resident, const std::vector<UserId>& workers);

}  // namespace civicgrid
