// The real clock.
#pragma once

#include <chrono>

#include "core/ports/clock.h"

namespace civicgrid {

class SystemClock final : public Clock {
 public:
  TimeMs Now() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace civicgrid
