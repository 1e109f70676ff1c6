#include "store/sqlite/audit_row.h"

namespace civicgrid {

void BindAudit(Stmt& s, const AuditRecord& r) {
  s.Bind(1, r.seq);
  s.Bind(2, r.at);
  s.Bind(3, r.actor_id);
  s.Bind(4, r.actor_name);
  s.Bind(5, r.remote_address);
  s.Bind(6, r.action);
  s.Bind(7, r.object_type);
  s.Bind(8, r.object_id);
  s.Bind(9, r.before);
  s.Bind(10, r.after);
  s.Bind(11, r.prev_hash);
  s.Bind(12, r.hash);
}

AuditRecord ReadAudit(const Stmt& s) {
  AuditRecord r;
  r.seq = s.Int(0);
  r.at = s.Int(1);
  r.actor_id = s.Int(2);
  r.actor_name = s.Text(3);
  r.remote_address = s.Text(4);
  r.action = s.Text(5);
  r.object_type = s.Text(6);
  r.object_id = s.Text(7);
  r.before = s.Text(8);
  r.after = s.Text(9);
  r.prev_hash = s.Text(10);
  r.hash = s.Text(11);
  return r;
}

}  // namespace civicgrid
