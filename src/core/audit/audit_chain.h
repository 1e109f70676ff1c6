// Verifies the audit log's hash chain (core/audit/audit_record.h): records numbered 1, 2, ...
// without gaps, each linked to the previous record's hash and hashing to its own `hash`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/audit/audit_record.h"

namespace civicgrid {

class Crypto;

struct BrokenAuditLink {
  std::int64_t seq = 0;
  std::string problem;  // e.g. "hash does not match the record's content"
};

// Feed records in seq order; collects every broken link. The chain alone cannot show that its
// newest records were removed: an anchor (a record's seq and hash kept elsewhere, e.g. printed
// by an earlier run) can.
class AuditChainVerifier {
 public:
  explicit AuditChainVerifier(const Crypto& crypto) : crypto_(crypto) {}
  // Before the first Add: record `seq` must exist and carry `hash`.
  void ExpectAnchor(std::int64_t seq, std::string hash) {
    anchor_seq_ = seq;
    anchor_hash_ = std::move(hash);
  }
  void Add(const AuditRecord& r);
  // After the last Add: checks the anchor was reached.
  void Finish();
  AuditLink tail() const { return {expected_seq_ - 1, prev_hash_}; }
  const std::vector<BrokenAuditLink>& broken() const { return broken_; }
  std::int64_t records() const { return records_; }

 private:
  const Crypto& crypto_;
  std::int64_t expected_seq_ = 1;
  std::string prev_hash_;
  std::vector<BrokenAuditLink> broken_;
  std::int64_t records_ = 0;
  std::int64_t anchor_seq_ = 0;
  std::string anchor_hash_;
};

}  // namespace civicgrid
