#include "core/routing/responsibility_rule.h"

namespace civicgrid {

std::string_view VerificationName(Verification v) {
  switch (v) {
    case Verification::kNone: return "none";
    case Verification::kReporter: return "reporter";
    case Verification::kCentre: return "centre";
  }
  return "centre";
}

std::optional<Verification> VerificationFromName(std::string_view name) {
  for (Verification v : {Verification::kNone, Verification::kReporter, Verification::kCentre}) {
    if (VerificationName(v) == name) return v;
  }
  return std::nullopt;
}

ResponsibilityList::ResponsibilityList(std::vector<ResponsibilityRule> current)
    : rules_(std::move(current)) {
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    index_[Key(rules_[i].category, rules_[i].region_level)] = i;
  }
}

std::string ResponsibilityList::Key(std::string_view category, RegionLevel level) {
  std::string key(category);
  key += '|';
  key += static_cast<char>('0' + static_cast<int>(level));
  return key;
}

const ResponsibilityRule* ResponsibilityList::Find(std::string_view category,
                                                   RegionLevel level) const {
  auto it = index_.find(Key(category, level));
  return it == index_.end() ? nullptr : &rules_[it->second];
}

}  // namespace civicgrid
