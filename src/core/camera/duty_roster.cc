#include "core/camera/duty_roster.h"

#include <algorithm>
#include <cmath>
#include <mutex>

namespace civicgrid {

namespace {

constexpr double kCellDegrees = 0.01;  // about 1.1 km of latitude
constexpr double kMetresPerDegree = 111'320.0;
constexpr double kPi = 3.14159265358979323846;

std::int64_t CellIndex(double degrees) {
  return static_cast<std::int64_t>(std::floor(degrees / kCellDegrees));
}

std::int64_t CellKey(std::int64_t x, std::int64_t y) { return x * 100'000 + y; }

}  // namespace

double ApproxMetres(double lon1, double lat1, double lon2, double lat2) {
  const double mean_lat = (lat1 + lat2) / 2 * kPi / 180;
  const double dx = (lon2 - lon1) * std::cos(mean_lat) * kMetresPerDegree;
  const double dy = (lat2 - lat1) * kMetresPerDegree;
  return std::sqrt(dx * dx + dy * dy);
}

std::int64_t DutyRoster::CellOf(double lon, double lat) {
  return CellKey(CellIndex(lon), CellIndex(lat));
}

void DutyRoster::Update(UserId user, double lon, double lat, TimeMs at) {
  std::unique_lock lock(mu_);
  const std::int64_t cell = CellOf(lon, lat);
  auto [it, fresh] = users_.try_emplace(user, Entry{lon, lat, at, cell});
  if (!fresh) {
    Entry& e = it->second;
    if (e.at > at) return;  // an older check-in committed late
    if (e.cell != cell) {
      auto& old = cells_[e.cell];
      old.erase(std::remove(old.begin(), old.end(), user), old.end());
      if (old.empty()) cells_.erase(e.cell);
      cells_[cell].push_back(user);
    }
    e = Entry{lon, lat, at, cell};
    return;
  }
  cells_[cell].push_back(user);
}

void DutyRoster::Remove(UserId user) {
  std::unique_lock lock(mu_);
  auto it = users_.find(user);
  if (it == users_.end()) return;
  auto& list = cells_[it->second.cell];
  list.erase(std::remove(list.begin(), list.end(), user), list.end());
  if (list.empty()) cells_.erase(it->second.cell);
  users_.erase(it);
}

std::size_t DutyRoster::size() const {
  std::shared_lock lock(mu_);
  return users_.size();
}

std::optional<DutyCandidate> DutyRoster::Nearest(
    double lon, double lat, TimeMs since, double max_metres,
    const std::function<bool(UserId)>& eligible) const {
  std::shared_lock lock(mu_);
  std::optional<DutyCandidate> best;
  auto consider = [&](const std::vector<UserId>& list) {
    for (UserId user : list) {
      const Entry& e = users_.at(user);
      if (e.at < since) continue;  // off duty: no check-in within the window
      const double metres = ApproxMetres(lon, lat, e.lon, e.lat);
      if (metres > max_metres) continue;
      if (best && (metres > best->metres || (metres == best->metres && user > best->user_id))) {
        continue;
      }
      if (eligible && !eligible(user)) continue;
      best = DutyCandidate{user, e.lon, e.lat, e.at, metres};
    }
  };
  // A cell's narrower side in metres at this latitude: ring r lies at least (r - 1) cells away.
  const double cell_metres =
      kCellDegrees * kMetresPerDegree * std::max(0.01, std::cos(lat * kPi / 180));
  const auto rings = static_cast<std::int64_t>(std::ceil(max_metres / cell_metres)) + 1;
  if ((2 * rings + 1) * (2 * rings + 1) > static_cast<std::int64_t>(cells_.size())) {
    // Fewer occupied cells than cells to probe: look at each occupied cell once.
    for (const auto& [cell, list] : cells_) consider(list);
    return best;
  }
  const std::int64_t cx = CellIndex(lon), cy = CellIndex(lat);
  auto visit = [&](std::int64_t x, std::int64_t y) {
    if (auto it = cells_.find(CellKey(x, y)); it != cells_.end()) consider(it->second);
  };
  visit(cx, cy);
  for (std::int64_t r = 1; r <= rings; ++r) {
    if (best && best->metres < static_cast<double>(r - 1) * cell_metres) break;
    // The ring's perimeter: the top and bottom rows, then the sides between them.
    for (std::int64_t x = cx - r; x <= cx + r; ++x) {
      visit(x, cy - r);
      visit(x, cy + r);
    }
    for (std::int64_t y = cy - r + 1; y <= cy + r - 1; ++y) {
      visit(cx - r, y);
      visit(cx + r, y);
    }
  }
  return best;
}

}  // namespace civicgrid
