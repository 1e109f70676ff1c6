// The official holiday calendars (data/calendar/cn-YYYY.csv), compiled into the binary.
#pragma once

#include <string_view>
#include <vector>

namespace civicgrid {

const std::vector<std::string_view>& BuiltinCalendars();

}  // namespace civicgrid
