#include "core/people/base_data.h"

namespace civicgrid {

namespace {

struct TypeNames {
  ResidentType type;
  std::string_view name;
  std::string_view label;
};
constexpr TypeNames kResidentTypes[] = {
    {ResidentType::kRegistered, "registered", "户籍"},
    {ResidentType::kFloating, "floating", "流动"},
    {ResidentType::kOverseas, "overseas", "境外"},
    {ResidentType::kLeftBehind, "left_behind", "留守"},
    {ResidentType::kEmptyNest, "empty_nest", "空巢"},
    {ResidentType::kSpecialCare, "special_care", "特扶"},
};

struct KindNames {
  PlaceKind kind;
  std::string_view name;
};
constexpr KindNames kPlaceKinds[] = {
    {PlaceKind::kEnterprise, "enterprise"},  {PlaceKind::kShop, "shop"},
    {PlaceKind::kSchool, "school"},          {PlaceKind::kRentalHouse, "rental_house"},
    {PlaceKind::kRiskSource, "risk_source"},
};

}  // namespace

std::string_view ResidentTypeName(ResidentType t) {
  for (const auto& n : kResidentTypes) {
    if (n.type == t) return n.name;
  }
  return "registered";
}

std::string_view ResidentTypeLabel(ResidentType t) {
  for (const auto& n : kResidentTypes) {
    if (n.type == t) return n.label;
  }
  return "户籍";
}

std::optional<ResidentType> ResidentTypeFromName(std::string_view name) {
  for (const auto& n : kResidentTypes) {
    if (n.name == name || n.label == name) return n.type;
  }
  return std::nullopt;
}

std::string_view ResidentStatusName(ResidentStatus s) {
  return s == ResidentStatus::kDeparted ? "departed" : "present";
}

std::string_view PlaceKindName(PlaceKind k) {
  for (const auto& n : kPlaceKinds) {
    if (n.kind == k) return n.name;
  }
  return "shop";
}

std::optional<PlaceKind> PlaceKindFromName(std::string_view name) {
  for (const auto& n : kPlaceKinds) {
    if (n.name == name) return n.kind;
  }
  return std::nullopt;
}

}  // namespace civicgrid
