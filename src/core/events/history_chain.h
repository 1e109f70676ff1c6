// Verifies the hash chains of event histories (SPEC §3 全程留痕): each row carries the hash of
// the previous row of its event and its own hash over a canonical form of its content.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/events/event.h"

namespace civicgrid {

class Crypto;

// The hash a row must carry: SHA-256(prev_hash + canonical form of the row).
std::string HistoryRowHash(const Crypto& crypto, const HistoryEntry& h);
// The prev_hash of an event's first row.
const std::string& GenesisHash();

struct BrokenLink {
  EventId event_id = 0;
  std::int64_t seq = 0;
  std::string problem;  // e.g. "hash does not match the row's content"
};

// Feed rows in (event_id, seq) order; collects every broken link.
class HistoryChainVerifier {
 public:
  explicit HistoryChainVerifier(const Crypto& crypto) : crypto_(crypto) {}
  void Add(const HistoryEntry& h);
  // Checks the newest row of an event against the event row (catches deleted tail rows).
  void CheckHead(EventId id, std::int64_t history_count, const std::string& last_hash);
  const std::vector<BrokenLink>& broken() const { return broken_; }
  std::int64_t rows() const { return rows_; }
  std::int64_t events() const { return events_; }

 private:
  const Crypto& crypto_;
  EventId current_ = 0;
  std::int64_t expected_seq_ = 1;
  std::string prev_hash_;
  std::vector<BrokenLink> broken_;
  std::int64_t rows_ = 0;
  std::int64_t events_ = 0;
};

}  // namespace civicgrid
