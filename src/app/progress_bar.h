// A progress line for long CLI work: a redrawn bar on a terminal, a line per 10% otherwise.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace civicgrid {

class ProgressBar {
 public:
  ProgressBar();
  // fraction in [0, 1] of the current stage.
  void Update(std::string_view stage, double fraction);
  void Finish();

 private:
  bool tty_;
  std::string stage_;
  int last_percent_ = -1;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace civicgrid
