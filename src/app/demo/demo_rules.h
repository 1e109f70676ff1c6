// The demo city's responsibility list: every category that names a department gets a rule at
// street and at district level (so statutory dispatch works before and after escalation);
// categories without a department are left to designated dispatch.
#pragma once

#include "core/common/result.h"
#include "core/ports/store.h"

namespace civicgrid {

class Crypto;

Status SeedDemoRules(WriteTx& tx, const Crypto& crypto, const Category& category, TimeMs now);

}  // namespace civicgrid
