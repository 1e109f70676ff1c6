#include "store/sqlite/user_row.h"

namespace civicgrid {

User ReadUser(const Stmt& s) {
  User u;
  u.id = s.Int(0);
  u.username = s.Text(1);
  u.display_name = s.Text(2);
  u.password_hash = s.Text(3);
  u.roles = RoleSet::FromBits(static_cast<std::uint32_t>(s.Int(4)));
  u.region_id = s.Int(5);
  u.department_id = s.Int(6);
  u.disabled = s.Int(7) != 0;
  u.must_change_password = s.Int(8) != 0;
  return u;
}

}  // namespace civicgrid
