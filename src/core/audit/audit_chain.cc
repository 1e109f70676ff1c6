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
  expected_seq_ = r.seq + 1;
  prev_hash_ = r.hash;
}

}  // namespace civicgrid
