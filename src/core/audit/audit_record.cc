#include "core/audit/audit_record.h"

#include "core/events/history_chain.h"
#include "core/ports/crypto.h"
#include "core/ports/store.h"

namespace civicgrid {
namespace {

void AppendField(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
}

}  // namespace

std::string AuditHashInput(const AuditRecord& r) {
  std::string out;
  out.reserve(160 + r.before.size() + r.after.size());
  AppendField(out, std::to_string(r.seq));
  AppendField(out, std::to_string(r.at));
  AppendField(out, std::to_string(r.actor_id));
  AppendField(out, r.actor_name);
  AppendField(out, r.remote_address);
  AppendField(out, r.action);
  AppendField(out, r.object_type);
  AppendField(out, r.object_id);
  AppendField(out, r.before);
  AppendField(out, r.after);
  AppendField(out, r.prev_hash);
  return out;
}

std::string AuditRowHash(const Crypto& crypto, const AuditRecord& r) {
  return crypto.Sha256Hex(AuditHashInput(r));
}

AuditRecord AuditOf(const Actor& actor, TimeMs at, std::string action, std::string object_type,
                    std::string object_id) {
  AuditRecord r;
  r.at = at;
  r.actor_id = actor.user_id;
  r.actor_name = actor.username;
  r.remote_address = actor.remote_address;
  r.action = std::move(action);
  r.object_type = std::move(object_type);
  r.object_id = std::move(object_id);
  return r;
}

Status AppendAuditRecord(WriteTx& tx, const Crypto& crypto, AuditRecord r) {
  auto tail = tx.LastAudit();
  if (!tail) return tail.error();
  r.seq = tail->seq + 1;
  r.prev_hash = tail->seq == 0 ? GenesisHash() : tail->hash;
  r.hash = AuditRowHash(crypto, r);
  return tx.AppendAudit(r);
}

}  // namespace civicgrid
