// The authorization matrix (issue 4) is split in tables by resource; each table file lists the
// (method, path) its rows send, and authorization_matrix_coverage_test.cc checks that together
// they reach every route the server registers (or the route is exempt, with its reason).
#pragma once

#include <set>
#include <string>
#include <vector>

namespace civicgrid::testing {

// A row's request: the path with its {placeholders} (each stands for one path segment, {rule}
// for two) and maybe a query.
struct MatrixRoute {
  std::string method;
  std::string path;
};

// Events, reference data, users, audit, departments, routing (authorization_matrix_test.cc).
std::vector<MatrixRoute> EventsMatrixRoutes();
// Territory, base data, CSV, patrols, cameras (authorization_matrix_base_data_test.cc).
std::vector<MatrixRoute> BaseDataMatrixRoutes();

// The 16 demo users named after their roles, plus an admin scoped to one street.
using Users = std::set<std::string>;
inline const Users kMatrixRoles = {
    "citizen",     "grid_worker", "operator",        "dispatcher",   "handler",
    "street_lead", "leader",      "mediator",        "police_clerk", "prosecutor_clerk",
    "court_clerk", "custodian",   "finance_officer", "lawyer",       "auditor",
    "admin",       "street_admin"};

}  // namespace civicgrid::testing
