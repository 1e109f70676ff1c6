// What the audit log keeps of a base-data row: the before/after JSON of its records, one shape
// per kind whether the row came from the API or a CSV import. ID numbers appear masked only.
#pragma once

#include <string>

#include "core/people/base_data.h"

namespace civicgrid {

std::string HouseholdJson(const Household& h);
std::string ResidentJson(const Resident& r);
std::string PlaceJson(const Place& p);
std::string KeyPersonJson(const KeyPerson& k);

}  // namespace civicgrid
