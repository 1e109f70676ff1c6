#include "core/routing/reference_data.h"

namespace civicgrid {

ReferenceData::ReferenceData(std::unique_ptr<Territory> territory,
                             std::vector<Department> departments, std::vector<Category> categories,
                             WorkingCalendar calendar)
    : territory_(std::move(territory)),
      departments_(std::move(departments)),
      categories_(std::move(categories)),
      calendar_(std::move(calendar)) {
  for (std::size_t i = 0; i < departments_.size(); ++i) {
    department_index_.emplace(departments_[i].id, i);
  }
  for (std::size_t i = 0; i < categories_.size(); ++i) {
    category_index_.emplace(categories_[i].code, i);
  }
}

const Department* ReferenceData::FindDepartment(DepartmentId id) const {
  auto it = department_index_.find(id);
  return it == department_index_.end() ? nullptr : &departments_[it->second];
}

bool ReferenceData::Dispatchable(DepartmentId id) const {
  const Department* d = FindDepartment(id);
  return d != nullptr && !d->disabled;
}

const Category* ReferenceData::FindCategory(std::string_view code) const {
  auto it = category_index_.find(std::string(code));
  return it == category_index_.end() ? nullptr : &categories_[it->second];
}

}  // namespace civicgrid
