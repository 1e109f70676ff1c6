#include "core/events/history_chain.h"

#include "core/events/event_service.h"
#include "core/ports/crypto.h"

namespace civicgrid {

const std::string& GenesisHash() {
  static const std::string genesis(64, '0');
  return genesis;
}

std::string HistoryRowHash(const Crypto& crypto, const HistoryEntry& h) {
  std::string input = h.prev_hash;
  EventService::AppendHistoryHashInput(input, h);
  return crypto.Sha256Hex(input);
}

void HistoryChainVerifier::Add(const HistoryEntry& h) {
  ++rows_;
  if (h.event_id != current_) {
    current_ = h.event_id;
    expected_seq_ = 1;
    prev_hash_ = GenesisHash();
    ++events_;
  }
  if (h.seq != expected_seq_) {
    broken_.push_back({h.event_id, h.seq,
                       "expected seq " + std::to_string(expected_seq_) + ": a row is missing"});
  }
  if (h.prev_hash != prev_hash_) {
    broken_.push_back({h.event_id, h.seq, "prev_hash does not match the previous row's hash"});
  }
  if (HistoryRowHash(crypto_, h) != h.hash) {
    broken_.push_back({h.event_id, h.seq, "hash does not match the row's content"});
  }
  expected_seq_ = h.seq + 1;
  prev_hash_ = h.hash;
}

void HistoryChainVerifier::CheckHead(EventId id, std::int64_t history_count,
                                     const std::string& last_hash) {
  if (id != current_) {
    broken_.push_back({id, 0, "the event has no history"});
    return;
  }
  if (expected_seq_ - 1 != history_count || prev_hash_ != last_hash) {
    broken_.push_back({id, expected_seq_ - 1,
                       "the newest row does not match the event (rows deleted or replaced)"});
  }
}

}  // namespace civicgrid
