#include "app/progress_bar.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace civicgrid {

ProgressBar::ProgressBar()
    : tty_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

void ProgressBar::Update(std::string_view stage, double fraction) {
  fraction = std::clamp(fraction, 0.0, 1.0);
  const int percent = static_cast<int>(fraction * 100);
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const bool new_stage = stage != stage_;
  if (new_stage && !stage_.empty() && tty_) std::fputc('\n', stderr);
  if (new_stage) {
    stage_ = std::string(stage);
    last_percent_ = -1;
  }
  if (tty_) {
    if (percent == last_percent_ && now - last_draw_ < std::chrono::milliseconds(200)) return;
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(fraction * kWidth);
    std::fprintf(stderr, "\r%-12s [%.*s%*s] %3d%%  %6.1fs", stage_.c_str(), filled,
                 "##############################", kWidth - filled, "", percent, elapsed);
    std::fflush(stderr);
  } else {
    if (percent / 10 == last_percent_ / 10 && !new_stage) return;
    std::fprintf(stderr, "%s: %d%% (%.1fs)\n", stage_.c_str(), percent, elapsed);
  }
  last_percent_ = percent;
  last_draw_ = now;
}

void ProgressBar::Finish() {
  if (tty_ && !stage_.empty()) std::fputc('\n', stderr);
  stage_.clear();
}

}  // namespace civicgrid
