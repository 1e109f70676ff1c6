// What a route handler receives: the request, the matched path parameters and the caller.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>

#include "api/http_types.h"
#include "core/identity/actor.h"

namespace civicgrid {

// Values of the {name} segments of the matched pattern; views into the request path.
class PathParams {
 public:
  static constexpr std::size_t kMax = 4;
  bool Add(std::string_view name, std::string_view value) {
    if (size_ == kMax) return false;
    items_[size_++] = {name, value};
    return true;
  }
  // The value of {name}, or empty when the pattern has no such segment.
  std::string_view Get(std::string_view name) const {
    for (std::size_t i = 0; i < size_; ++i) {
      if (items_[i].first == name) return items_[i].second;
    }
    return {};
  }
  std::size_t size() const { return size_; }

 private:
  std::array<std::pair<std::string_view, std::string_view>, kMax> items_{};
  std::size_t size_ = 0;
};

struct RequestContext {
  const HttpRequest& http;
  PathParams params;
  std::optional<Actor> actor;  // set on authenticated routes
  std::string_view bearer_token;
};

using Handler = std::function<void(RequestContext&, ReplyPtr)>;

}  // namespace civicgrid
