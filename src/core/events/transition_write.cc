#include "core/events/transition_write.h"

#include "core/events/history_chain.h"

namespace civicgrid {

Result<Event> WriteTransition(WriteTx& tx, const Crypto& crypto, const Event& before,
                              Transition t) {
  HistoryEntry& h = t.entry;
  Event& after = t.after;
  h.seq = before.history_count + 1;
  h.prev_hash = before.last_hash;
  h.hash = HistoryRowHash(crypto, h);
  after.last_hash = h.hash;
  after.history_count = h.seq;
  if (auto s = tx.UpdateEvent(after); !s) return s.error();
  if (auto s = tx.AppendHistory(h); !s) return s.error();
  return std::move(after);
}

}  // namespace civicgrid
