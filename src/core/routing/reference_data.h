// An immutable snapshot of the reference data the use cases consult on every request:
// territory, departments, categories and the working calendar. Swapped whole when it changes.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/routing/catalog.h"
#include "core/routing/working_calendar.h"
#include "core/territory/territory.h"

namespace civicgrid {

class ReferenceData {
 public:
  ReferenceData(std::unique_ptr<Territory> territory, std::vector<Department> departments,
                std::vector<Category> categories, WorkingCalendar calendar);

  const Territory& territory() const { return *territory_; }
  const WorkingCalendar& calendar() const { return calendar_; }
  const std::vector<Department>& departments() const { return departments_; }
  const std::vector<Category>& categories() const { return categories_; }
  const Department* FindDepartment(DepartmentId id) const;
  // A department that exists and is not disabled: the only kind work may be sent to.
  bool Dispatchable(DepartmentId id) const;
  const Category* FindCategory(std::string_view code) const;

 private:
  std::unique_ptr<Territory> territory_;
  std::vector<Department> departments_;
  std::vector<Category> categories_;
  WorkingCalendar calendar_;
  std::unordered_map<DepartmentId, std::size_t> department_index_;
  std::unordered_map<std::string, std::size_t> category_index_;
};

}  // namespace civicgrid
