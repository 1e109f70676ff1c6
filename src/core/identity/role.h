// The roles of SPEC §1. A user may hold several.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace civicgrid {

enum class Role : std::uint8_t {
  kCitizen,
  kGridWorker,
  kOperator,
  kDispatcher,
  kHandler,
  kStreetLead,
  kLeader,
  kMediator,
  kPoliceClerk,
  kProsecutorClerk,
  kCourtClerk,
  kCustodian,
  kFinanceOfficer,
  kLawyer,
  kAuditor,
  kAdmin,
};
inline constexpr int kRoleCount = 16;

std::string_view RoleName(Role r);
std::optional<Role> RoleFromName(std::string_view name);

// A small set of roles as a bit mask: cheap to copy and to test.
class RoleSet {
 public:
  constexpr RoleSet() = default;
  constexpr RoleSet(std::initializer_list<Role> roles) {
    for (Role r : roles) bits_ |= Bit(r);
  }
  constexpr bool Has(Role r) const { return (bits_ & Bit(r)) != 0; }
  constexpr bool Intersects(RoleSet o) const { return (bits_ & o.bits_) != 0; }
  constexpr void Add(Role r) { bits_ |= Bit(r); }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr std::uint32_t bits() const { return bits_; }
  static constexpr RoleSet FromBits(std::uint32_t b) {
    RoleSet s;
    s.bits_ = b;
    return s;
  }

 private:
  static constexpr std::uint32_t Bit(Role r) { return 1u << static_cast<unsigned>(r); }
  std::uint32_t bits_ = 0;
};

}  // namespace civicgrid
