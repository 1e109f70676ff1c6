#include "api/router.h"

#include <cassert>

namespace civicgrid {

namespace {

bool IsParam(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

// Splits "/a/b/c" into its segments; false if the path does not start with '/' or has too
// many segments to match any route.
bool SplitPath(std::string_view path, std::vector<std::string_view>& out) {
  out.clear();
  if (path.empty() || path.front() != '/') return false;
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  path.remove_prefix(1);
  if (path.empty()) return true;  // "/" has no segments
  constexpr std::size_t kMaxSegments = 16;
  while (true) {
    std::size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (out.size() > kMaxSegments) return false;
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

}  // namespace

void Router::Add(std::string_view method, std::string_view pattern, Access access,
                 Handler handler) {
  Route route;
  route.method = std::string(method);
  route.pattern = std::string(pattern);
  route.access = access;
  route.handler = std::move(handler);
  std::vector<std::string_view> parts;
  [[maybe_unused]] bool ok = SplitPath(pattern, parts);
  assert(ok);
  std::size_t params = 0;
  for (auto part : parts) {
    if (IsParam(part)) ++params;
    route.segments.emplace_back(part);
  }
  assert(params <= PathParams::kMax);
  (void)params;
  routes_.push_back(std::move(route));
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match match;
  thread_local std::vector<std::string_view> parts;
  if (!SplitPath(path, parts)) return match;
  for (const Route& route : routes_) {
    if (route.segments.size() != parts.size()) continue;
    PathParams params;
    bool same = true;
    for (std::size_t i = 0; i < parts.size() && same; ++i) {
      const std::string& seg = route.segments[i];
      if (IsParam(seg)) {
        if (parts[i].empty()) {
          same = false;
        } else {
          params.Add(std::string_view(seg).substr(1, seg.size() - 2), parts[i]);
        }
      } else {
        same = seg == parts[i];
      }
    }
    if (!same) continue;
    if (route.method == method) {
      match.outcome = Outcome::kFound;
      match.route = &route;
      match.params = params;
      return match;
    }
    match.outcome = Outcome::kMethodNotAllowed;
    if (match.allow.find(route.method) == std::string::npos) {
      if (!match.allow.empty()) match.allow += ", ";
      match.allow += route.method;
    }
  }
  return match;
}

}  // namespace civicgrid
