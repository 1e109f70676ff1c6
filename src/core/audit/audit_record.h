// The audit log (SPEC §1, issue 4): every write of the whole system — events, people, rules,
// users — appends one record in the same transaction as the write. Records form one hash chain
// in `seq` order, so an edit of any row with a plain SQL tool breaks a link that
// `civicgrid audit verify` names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/common/result.h"
#include "core/common/time.h"
#include "core/identity/actor.h"

namespace civicgrid {

class Crypto;
class WriteTx;

struct AuditRecord {
  std::int64_t seq = 0;  // 1, 2, ... in commit order; set by AppendAuditRecord
  TimeMs at = 0;
  UserId actor_id = 0;  // 0: the system itself (demo generation, the deadline watcher, ...)
  std::string actor_name;
  std::string remote_address;  // the client's address, "" for work not started by a request
  std::string action;       // dotted verb, e.g. "event.create", "user.disable", "resident.update"
  std::string object_type;  // e.g. "event", "user", "resident", "rule"
  std::string object_id;
  std::string before;  // JSON of the fields the write changed, as they were ("" for a create)
  std::string after;   // JSON of the same fields as written ("" for a delete)
  std::string prev_hash;
  std::string hash;
};

// The newest record of the chain: seq 0 and the genesis hash when the log is empty.
struct AuditLink {
  std::int64_t seq = 0;
  std::string hash;
};

// Audit records for an auditor, newest first (keyset on seq). Filters combine with AND.
struct AuditQuery {
  UserId actor_id = 0;             // 0: any
  std::string object_type;         // "": any
  std::string object_id;           // "": any (only with object_type)
  std::optional<TimeMs> from, to;  // [from, to)
  std::int64_t before_seq = 0;     // keyset cursor (0: from the newest)
  int limit = 50;
};

struct AuditPage {
  std::vector<AuditRecord> items;
  bool has_more = false;
};

// The canonical form a record's hash covers (every field but `hash`, length-prefixed).
std::string AuditHashInput(const AuditRecord& r);
// SHA-256(canonical form), lower-case hex.
std::string AuditRowHash(const Crypto& crypto, const AuditRecord& r);

// The record for a write `actor` makes now.
AuditRecord AuditOf(const Actor& actor, TimeMs at, std::string action, std::string object_type,
                    std::string object_id);

// Links `r` to the tail of the chain (seq, prev_hash, hash) and appends it. Call inside the
// write unit whose change it records, so both commit or neither does.
Status AppendAuditRecord(WriteTx& tx, const Crypto& crypto, AuditRecord r);

}  // namespace civicgrid
