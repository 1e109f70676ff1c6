// Port: the current time. Injected so tests can move time.
#pragma once

#include "core/common/time.h"

namespace civicgrid {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimeMs Now() const = 0;
};

}  // namespace civicgrid
