// The hash chain's canonical form is a stored contract: every history row already written must
// verify after any change to the code that builds it (civicgrid audit verify).
#include <gtest/gtest.h>

#include "core/events/history_chain.h"
#include "crypto/sodium_crypto.h"

namespace civicgrid {
namespace {

TEST(HistoryRowHash, IsSha256OverThePreviousHashAndTheCanonicalForm) {
  const SodiumCrypto crypto(SodiumCrypto::kOpsLimitMin, SodiumCrypto::kMemLimitMin);
  HistoryEntry h;
  h.event_id = 7;
  h.seq = 2;
  h.action = EventAction::kDispatch;
  h.actor_id = 3;
  h.actor_name = "王芳";
  h.actor_role = "dispatcher";
  h.at = 1'790'000'000'000;
  h.from_status = EventStatus::kAccepted;
  h.to_status = EventStatus::kDispatched;
  h.note = "派往\"城管\"\n";
  h.data = R"({"department_id":4})";
  h.prev_hash = GenesisHash();
  // printf '%s' '<64 zeros>{"event":7,"seq":2,"action":"dispatch","actor":3,"actor_name":"王芳",
  // "role":"dispatcher","at":1790000000000,"from":"accepted","to":"dispatched",
  // "note":"派往\"城管\"\n","data":"{\"department_id\":4}"}' | sha256sum  (one line)
  EXPECT_EQ(HistoryRowHash(crypto, h),
            "58b3d86d700f03f78ddbeb367de0710a355bb6f35ceb66cae4c363cccc4ef166");
}

}  // namespace
}  // namespace civicgrid
