#include "core/audit/audit_chain.h"

#include "core/events/history_chain.h"

namespace civicgrid {

void AuditChainVerifier::Add(const AuditRecord& r) {
  if (records_++ == 0) prev_hash_ = GenesisHash();
  if (r.seq != expected_seq_) {
    broken_.push_back({r.seq, "expected seq " + std::to_string(expected_seq_) +
                                  ": a record is missing or renumbered"});
  }
  if (r.prev_hash != prev_hash_) {
    broken_.push_back({r.seq, "prev_hash does not match the previous record's hash"});
  }
  if (AuditRowHash(crypto_, r) != r.hash) {
    broken_.push_back({r.seq, "hash does not match the record's content"});
  }
  if (anchor_seq_ != 0 && r.seq == anchor_seq_ && r.hash != anchor_hash_) {
    broken_.push_back({r.seq, "hash differs from the anchor: the log was rewritten"});
  }
  expected_seq_ = r.seq + 1;
  prev_hash_ = r.hash;
}

void AuditChainVerifier::Finish() {
  if (anchor_seq_ > expected_seq_ - 1) {
    broken_.push_back({anchor_seq_, "missing: the log ends at seq " +
                                        std::to_string(expected_seq_ - 1) +
                                        " (records removed from its end)"});
  }
}

}  // namespace civicgrid
