// Maps (method, path) to a handler. Patterns are literal segments and {name} parameters, e.g.
// "/api/v1/events/{id}/actions". A path that matches a pattern under another method answers
// 405 with the allowed methods; no pattern at all answers 404.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/request_context.h"

namespace civicgrid {

// kSelfService: authenticated, and open even to a user who must first change an initial
// password (the password change itself, logout, /me); kAuthenticated routes refuse such a user
// with 403 "password_change_required".
enum class Access { kPublic, kAuthenticated, kSelfService };

class Router {
 public:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;  // "{id}" marks a parameter
    Access access = Access::kAuthenticated;
    Handler handler;
  };

  enum class Outcome { kFound, kNotFound, kMethodNotAllowed };
  struct Match {
    Outcome outcome = Outcome::kNotFound;
    const Route* route = nullptr;  // set when kFound
    PathParams params;             // views into the path given to Find
    std::string allow;             // "GET, POST" when kMethodNotAllowed
  };

  // `pattern` must start with '/'; at most PathParams::kMax parameters.
  void Add(std::string_view method, std::string_view pattern, Access access, Handler handler);
  // `path` is the request path without the query, not percent-decoded. One trailing slash is
  // ignored ("/api/v1/events/" is "/api/v1/events").
  Match Find(std::string_view method, std::string_view path) const;
  // Every registered route, in the order added (the authorization matrix checks it covers them).
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace civicgrid
