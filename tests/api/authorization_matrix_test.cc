// The authorization matrix (issue 4), generated from ONE table per resource group; this one:
// events, reference data, users, audit, departments, routing (rules, dispatch modes, whistles,
// duplicates, queues, calendar); territory and base data are in
// authorization_matrix_base_data_test.cc, and authorization_matrix_coverage_test.cc fails for a
// registered route in no table. Every endpoint x every role (the
// 16 demo users named after their roles, plus an admin scoped to one street) x an in-scope and
// an out-of-scope object. (Login, logout and the password change are everyone's own business and
// are covered in identity_http_test.cc; /healthz and /readyz are public.) Each case asserts the
// exact status and, when refused, that nothing changed: the object as an admin reads it, and the
// audit log's length (every write appends).
#include "api/authorization_matrix.h"

#include <set>
#include <string>
#include <vector>

#include "api/identity_http_support.h"

namespace civicgrid::testing {
namespace {

// kFreshEvent: an event reported by the caller (an operator's for the auditor) and accepted by the
// dispatcher, new for each case (dispatch modes need that state); kCoHandled: one dispatched by
// negotiation with the handler's department as co-handler; kWhistle: a whistle of the street lead
// summoning the handler's department (out of scope: another department only); kDepartment: a
// department of the street (out of scope: the handler's district department).
enum class Target { kNone, kEvent, kUser, kFreshEvent, kCoHandled, kWhistle, kDepartment };
enum class Scope { kIn, kOut };

const Users& kAllRoles = kMatrixRoles;
const Users kCityWide = {"admin", "auditor"};
const Users kAdmins = {"admin", "street_admin"};
const Users kCentre = {"dispatcher", "street_lead"};
const Users kRuleReaders = {"admin",   "dispatcher", "leader",      "street_lead",
                            "auditor", "handler",    "street_admin"};
const Users kQueueHolders = {"handler", "leader", "dispatcher", "street_lead"};
const Users kCommenters = {"citizen",      "grid_worker", "operator",    "dispatcher",
                           "handler",      "street_lead", "leader",      "mediator",
                           "police_clerk", "admin",       "street_admin"};

Users Without(Users s, const std::string& who) {
  s.erase(who);
  return s;
}
Users Intersect(const Users& a, const Users& b) {
  Users out;
  for (const auto& x : a) {
    if (b.count(x)) out.insert(x);
  }
  return out;
}

// One endpoint: who succeeds on an in-scope and on an out-of-scope object. Everyone else is
// refused: 404 out of scope for those in `hidden_out` (the object does not exist for them: no
// existence leak), otherwise 403 (the role may not do this, whatever the object).
struct Endpoint {
  const char* name;
  const char* method;
  const char* path;  // {event} / {user} / {whistle} / {department} stand for the object's id,
                     // {candidate} for another event of the caller, {rule} for category/level
  const char* body;  // {n}: a fresh number per case, {version}: the event's, {street}, {dept}
                     // (the handler's department), {dept2} (another), {free}: an unruled category
  Target target;
  int ok_status;
  Users ok_in;
  Users ok_out;
  Users hidden_out;
};

const Users kOutsideCity = [] {
  Users s = kAllRoles;
  for (const auto& u : kCityWide) s.erase(u);
  return s;
}();

const Endpoint kMatrix[] = {
    {"read event", "GET", "/api/v1/events/{event}", "", Target::kEvent, 200, kAllRoles, kCityWide,
     kOutsideCity},
    {"read history", "GET", "/api/v1/events/{event}/history", "", Target::kEvent, 200, kAllRoles,
     kCityWide, kOutsideCity},
    {"comment on event", "POST", "/api/v1/events/{event}/actions",
     R"({"action":"comment","note":"矩阵","expected_version":{version}})", Target::kEvent, 200,
     kCommenters, Intersect(kCommenters, kCityWide), kOutsideCity},
    {"report event",
     "POST",
     "/api/v1/events",
     "{create}",
     Target::kNone,
     201,
     Without(kAllRoles, "auditor"),
     {},
     {}},
    {"list events", "GET", "/api/v1/events?limit=5", "", Target::kNone, 200, kAllRoles, {}, {}},
    {"me", "GET", "/api/v1/me", "", Target::kNone, 200, kAllRoles, {}, {}},
    {"categories", "GET", "/api/v1/categories", "", Target::kNone, 200, kAllRoles, {}, {}},
    {"departments", "GET", "/api/v1/departments", "", Target::kNone, 200, kAllRoles, {}, {}},
    {"regions", "GET", "/api/v1/regions", "", Target::kNone, 200, kAllRoles, {}, {}},
    {"deadline",
     "GET",
     "/api/v1/calendar/deadline?start=2026-03-02T10:00:00%2B08:00&amount=3&unit=working_days",
     "",
     Target::kNone,
     200,
     kAllRoles,
     {},
     {}},
    {"refresh token", "POST", "/api/v1/auth/refresh", "", Target::kNone, 200, kAllRoles, {}, {}},
    {"read audit log",
     "GET",
     "/api/v1/audit?limit=5",
     "",
     Target::kNone,
     200,
     {"admin", "auditor", "street_admin"},
     {},
     {}},
    {"list users", "GET", "/api/v1/users?limit=5", "", Target::kNone, 200, kAdmins, {}, {}},
    {"create user",
     "POST",
     "/api/v1/users",
     R"({"username":"mx.new.{n}","password":"initial-pass-1","roles":["citizen"],"region_id":{street}})",
     Target::kNone,
     201,
     kAdmins,
     {},
     {}},
    {"read user",
     "GET",
     "/api/v1/users/{user}",
     "",
     Target::kUser,
     200,
     kAdmins,
     {"admin"},
     {"street_admin"}},
    {"update user",
     "PATCH",
     "/api/v1/users/{user}",
     R"({"display_name":"矩阵{n}"})",
     Target::kUser,
     200,
     kAdmins,
     {"admin"},
     {"street_admin"}},
    {"disable user",
     "POST",
     "/api/v1/users/{user}/disable",
     "",
     Target::kUser,
     200,
     kAdmins,
     {"admin"},
     {"street_admin"}},
    {"enable user",
     "POST",
     "/api/v1/users/{user}/enable",
     "",
     Target::kUser,
     200,
     kAdmins,
     {"admin"},
     {"street_admin"}},
    {"reset password",
     "POST",
     "/api/v1/users/{user}/password",
     R"({"password":"reset-pass-{n}"})",
     Target::kUser,
     200,
     kAdmins,
     {"admin"},
     {"street_admin"}},
    // --- Organisation units (issue 4) ---
    {"create department",
     "POST",
     "/api/v1/departments",
     R"({"code":"mx-d-{n}","name":"矩阵科{n}"})",
     Target::kNone,
     201,
     kAdmins,
     {},
     {}},
    {"update department",
     "PATCH",
     "/api/v1/departments/{department}",
     R"({"name":"矩阵科室{n}"})",
     Target::kDepartment,
     200,
     kAdmins,
     {"admin"},
     {"street_admin"}},
    // --- Routing (issue 5) ---
    {"list rules", "GET", "/api/v1/rules", "", Target::kNone, 200, kRuleReaders, {}, {}},
    {"create rule",
     "POST",
     "/api/v1/rules",
     R"({"category":"{free}","region_level":"community","department":{dept},"time_limit":3,)"
     R"("time_unit":"working_days","verification":"none"})",
     Target::kNone,
     201,
     {"admin"},
     {},
     {}},
    {"new rule version",
     "PUT",
     "/api/v1/rules/{rule}",
     R"({"department":{dept},"time_limit":4,"time_unit":"working_days","verification":"centre"})",
     Target::kNone,
     200,
     {"admin"},
     {},
     {}},
    {"negotiated dispatch",
     "POST",
     "/api/v1/events/{event}/dispatch/negotiated",
     R"({"expected_version":{version},"lead":{dept},"co_handlers":[{dept2}],"note":"矩阵"})",
     Target::kFreshEvent,
     200,
     kCentre,
     {},
     kCentre},
    {"designated dispatch",
     "POST",
     "/api/v1/events/{event}/dispatch/designated",
     R"({"expected_version":{version},"department":{dept},"note":"矩阵"})",
     Target::kFreshEvent,
     200,
     {"leader"},
     {},
     {"leader"}},
    {"co-handler report",
     "POST",
     "/api/v1/events/{event}/co-handler-report",
     R"({"note":"矩阵协办"})",
     Target::kCoHandled,
     200,
     {"handler"},
     {},
     {"handler"}},
    {"event routing", "GET", "/api/v1/events/{event}/routing", "", Target::kEvent, 200, kAllRoles,
     kCityWide, kOutsideCity},
    {"blow whistle",
     "POST",
     "/api/v1/events/{event}/whistles",
     R"({"departments":[{dept}],"respond_within_minutes":60,"note":"矩阵吹哨"})",
     Target::kFreshEvent,
     201,
     {"street_lead"},
     {},
     {"street_lead"}},
    {"event whistles", "GET", "/api/v1/events/{event}/whistles", "", Target::kEvent, 200, kAllRoles,
     kCityWide, kOutsideCity},
    {"report to whistle",
     "POST",
     "/api/v1/whistles/{whistle}/report",
     "",
     Target::kWhistle,
     200,
     {"handler"},
     {},
     {"handler"}},
    {"event duplicates", "GET", "/api/v1/events/{event}/duplicates", "", Target::kEvent, 200,
     kAllRoles, kCityWide, kOutsideCity},
    {"resolve duplicate",
     "POST",
     "/api/v1/events/{event}/duplicates/{candidate}",
     R"({"decision":"keep"})",
     Target::kFreshEvent,
     200,
     kCentre,
     {},
     kCentre},
    {"queue", "GET", "/api/v1/queue?kind=to_accept", "", Target::kNone, 200, kQueueHolders, {}, {}},
    {"calendar settings",
     "GET",
     "/api/v1/calendar/settings",
     "",
     Target::kNone,
     200,
     kAllRoles,
     {},
     {}},
    {"change calendar settings",
     "PUT",
     "/api/v1/calendar/settings",
     R"({"days":[]})",
     Target::kNone,
     200,
     {"admin"},
     {},
     {}},
};

void Replace(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t at; (at = s.find(from)) != std::string::npos;) s.replace(at, from.size(), to);
}

class AuthorizationMatrixTest : public DemoServerTest {
 protected:
  void SetUp() override {
    auto admin = As("admin");
    Json street_lead(As("street_lead")->Get("/api/v1/me").body);
    street_ = int64_t(street_lead["region"]["id"]);
    Json op(As("operator")->Get("/api/v1/me").body);
    const std::int64_t district = int64_t(op["region"]["id"]);
    // An admin scoped to one street, and two users to manage: inside and outside that street.
    CreateUser(*admin, "street_admin", R"(["admin"])", "\"region_id\":" + std::to_string(street_));
    tokens_["street_admin"] = FirstLogin(port(), "street_admin");
    user_in_ =
        CreateUser(*admin, "mx.in", R"(["citizen"])", "\"region_id\":" + std::to_string(street_));
    user_out_ =
        CreateUser(*admin, "mx.out", R"(["citizen"])", "\"region_id\":" + std::to_string(district));
    for (const char* role : {"mediator", "police_clerk", "prosecutor_clerk", "court_clerk",
                             "custodian", "finance_officer", "lawyer"}) {
      HttpClient c("127.0.0.1", port());
      tokens_[role] = Login(c, role, kDemoPassword);
      ASSERT_FALSE(tokens_[role].empty()) << role;
    }
    // Out of everyone's scope but the city-wide roles': reported by the admin at a point
    // outside the city (no grid, street or district; no department yet).
    auto out = admin->Post("/api/v1/events", R"({"source":"hotline","category":")" + category_ +
                                                 R"(","title":"城外事件","location":{"lon":)"
                                                 R"(100.5,"lat":20.5}})");
    ASSERT_EQ(out.status, 201) << out.body;
    event_out_ = IntField(out, "id");

    // Departments: the handler's, another one, and one of the street (made here).
    dept2_ = 0;
    Json departments(admin->Get("/api/v1/departments").body);
    for (auto d : departments["items"].get_array()) {
      if (int64_t(d["id"]) != handler_department_) {
        dept2_ = int64_t(d["id"]);
        break;
      }
    }
    ASSERT_NE(dept2_, 0);
    auto street_dept = admin->Post(
        "/api/v1/departments",
        R"({"code":"mx-street","name":"矩阵街道科","region_id":)" + std::to_string(street_) + "}");
    ASSERT_EQ(street_dept.status, 201) << street_dept.body;
    department_in_ = IntField(street_dept, "id");
    // Rules: an existing one to version, and categories without any rule to create them for.
    std::set<std::string> ruled;
    Json rules(admin->Get("/api/v1/rules").body);
    for (auto r : rules["items"].get_array()) {
      const std::string category{std::string_view(r["category"])};
      if (rule_.empty()) rule_ = category + "/" + std::string(std::string_view(r["region_level"]));
      ruled.insert(category);
    }
    ASSERT_FALSE(rule_.empty());
    Json categories(admin->Get("/api/v1/categories").body);
    for (auto c : categories["items"].get_array()) {
      std::string code{std::string_view(c["code"])};
      if (code != category_ && !ruled.count(code)) free_categories_.push_back(code);
    }
  }

  // A new event that `user` reported (the operator for the auditor), accepted by the dispatcher.
  std::int64_t FreshAcceptedEvent(const std::string& user) {
    const std::int64_t id = CreateEvent(*As(user == "auditor" ? "operator" : user), "矩阵新事件");
    auto accepted = Act(*As("dispatcher"), id, "accept", 1);
    EXPECT_EQ(accepted.status, 200) << accepted.body;
    return id;
  }

  // A new event dispatched by negotiation: led by another department, the handler's co-handles.
  std::int64_t CoHandledEvent() {
    const std::int64_t id = FreshAcceptedEvent("operator");
    auto r = As("dispatcher")
                 ->Post("/api/v1/events/" + std::to_string(id) + "/dispatch/negotiated",
                        R"({"expected_version":)" + std::to_string(Look(id).version) +
                            R"(,"lead":)" + std::to_string(dept2_) + R"(,"co_handlers":[)" +
                            std::to_string(handler_department_) + R"(],"note":"矩阵协办"})");
    EXPECT_EQ(r.status, 200) << r.body;
    return id;
  }

  // A new whistle of the street lead on a new event, summoning `department`; sets its event.
  std::int64_t Whistle(std::int64_t department, std::int64_t& event) {
    event = CreateEvent(*As("street_lead"), "矩阵吹哨事件");
    auto r = As("street_lead")
                 ->Post("/api/v1/events/" + std::to_string(event) + "/whistles",
                        R"({"departments":[)" + std::to_string(department) +
                            R"(],"respond_within_minutes":60})");
    EXPECT_EQ(r.status, 201) << r.body;
    return IntField(r, "id");
  }

  std::string DepartmentJson(std::int64_t id) {
    Json list(As("admin")->Get("/api/v1/departments").body);
    for (auto d : list["items"].get_array()) {
      if (int64_t(d["id"]) == id) return simdjson::to_string(d);
    }
    return "";
  }

  // An event the user sees: the newest of their own list, or one they report.
  std::int64_t EventInScopeOf(const std::string& user) {
    auto c = As(user);
    Json list(c->Get("/api/v1/events?limit=1").body);
    auto items = list["items"].get_array();
    if (!items.error() && items.size() > 0) return int64_t(items.at(0)["id"]);
    return CreateEvent(*c, "矩阵范围内事件");
  }

  std::string UserJson(std::int64_t id) {
    return As("admin")->Get("/api/v1/users/" + std::to_string(id)).body;
  }

  std::int64_t street_ = 0, user_in_ = 0, user_out_ = 0, event_out_ = 0;
  std::int64_t dept2_ = 0, department_in_ = 0;
  std::string rule_;                          // "category/level" of an existing rule
  std::vector<std::string> free_categories_;  // each create-rule success takes one
};

TEST_F(AuthorizationMatrixTest, EveryEndpointRoleAndScope) {
  // Fresh clients each time: the refresh rows replace everyone's token.
  auto audit_tail = [&] { return AuditTail(*As("auditor")); };
  int cases = 0, n = 0;
  for (const Endpoint& ep : kMatrix) {
    for (const std::string& role : kAllRoles) {
      for (Scope scope : {Scope::kIn, Scope::kOut}) {
        if (ep.target == Target::kNone && scope == Scope::kOut) continue;
        const bool in = scope == Scope::kIn;
        std::string path = ep.path, body = ep.body;
        std::int64_t event = 0, user = 0, whistle = 0, department = 0;
        if (ep.target == Target::kEvent) event = in ? EventInScopeOf(role) : event_out_;
        if (ep.target == Target::kFreshEvent) event = in ? FreshAcceptedEvent(role) : event_out_;
        if (ep.target == Target::kCoHandled) event = in ? CoHandledEvent() : event_out_;
        if (ep.target == Target::kWhistle) {
          whistle = Whistle(in ? handler_department_ : dept2_, event);
          Replace(path, "{whistle}", std::to_string(whistle));
        }
        if (event != 0) {
          Replace(path, "{event}", std::to_string(event));
          Replace(body, "{version}", std::to_string(Look(event).version));
        }
        if (path.find("{candidate}") != std::string::npos) {
          const std::int64_t candidate = !in ? event_out_
                                         : role == "auditor"
                                             ? EventInScopeOf(role)
                                             : CreateEvent(*As(role), "矩阵候选重复");
          Replace(path, "{candidate}", std::to_string(candidate));
        }
        if (ep.target == Target::kDepartment) {
          department = in ? department_in_ : handler_department_;
          Replace(path, "{department}", std::to_string(department));
        }
        Replace(path, "{rule}", rule_);
        Replace(body, "{dept}", std::to_string(handler_department_));
        Replace(body, "{dept2}", std::to_string(dept2_));
        if (body.find("{free}") != std::string::npos) {
          ASSERT_FALSE(free_categories_.empty());
          Replace(body, "{free}", free_categories_.back());
          if (role == "admin") free_categories_.pop_back();  // only its create succeeds
        }
        if (ep.target == Target::kUser) {
          user = in ? user_in_ : user_out_;
          Replace(path, "{user}", std::to_string(user));
        }
        ++n;
        Replace(body, "{n}", std::to_string(n));
        Replace(body, "{street}", std::to_string(street_));
        if (body == "{create}") body = CreateBody("矩阵上报" + std::to_string(n));

        const Users& ok = in ? ep.ok_in : ep.ok_out;
        const int expected = ok.count(role)                     ? ep.ok_status
                             : !in && ep.hidden_out.count(role) ? 404
                                                                : 403;
        const Snapshot event_before = event != 0 ? Look(event) : Snapshot{};
        const std::string user_before = user != 0 ? UserJson(user) : "";
        const std::string department_before = department != 0 ? DepartmentJson(department) : "";
        const std::string whistle_path = "/api/v1/events/" + std::to_string(event) + "/whistles";
        const std::string whistles_before = whistle != 0 ? As("admin")->Get(whistle_path).body : "";
        const std::int64_t audit_before = audit_tail();

        auto r = As(role)->Request(ep.method, path, body);
        SCOPED_TRACE(std::string(ep.name) + " as " + role + (in ? " in scope" : " out of scope"));
        EXPECT_EQ(r.status, expected) << ep.method << " " << path << " " << body << "\n" << r.body;
        ++cases;
        if (r.status != expected) continue;
        if (expected == ep.ok_status) {
          if (std::string(ep.name) == "refresh token") {
            tokens_[role] = StringField(r, "token");  // the old token ended
            ASSERT_FALSE(tokens_[role].empty());
          }
          if (ep.target == Target::kUser && std::string(ep.name) == "disable user") {
            ASSERT_EQ(
                As("admin")->Post("/api/v1/users/" + std::to_string(user) + "/enable", "").status,
                200);
          }
          continue;
        }
        // Refused: nothing changed.
        if (event != 0) {
          EXPECT_EQ(Look(event), event_before);
        }
        if (user != 0) {
          EXPECT_EQ(UserJson(user), user_before);
        }
        if (department != 0) {
          EXPECT_EQ(DepartmentJson(department), department_before);
        }
        if (whistle != 0) {
          EXPECT_EQ(As("admin")->Get(whistle_path).body, whistles_before);
        }
        EXPECT_EQ(audit_tail(), audit_before);
      }
    }
  }
  // A list is filtered to the caller's scope: the street admin sees the street's users only.
  std::set<std::string> listed;
  for (std::string cursor;;) {
    auto page = As("street_admin")
                    ->Get("/api/v1/users?limit=100" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(page.status, 200) << page.body;
    Json j(page.body);
    for (auto item : j["items"].get_array()) {
      listed.insert(std::string(std::string_view(item["username"])));
      EXPECT_FALSE(item["region"].is_null()) << item;
    }
    simdjson::dom::element next = j["next_cursor"];
    if (next.is_null()) break;
    cursor = std::string(std::string_view(next));
  }
  EXPECT_TRUE(listed.count("mx.in"));
  EXPECT_TRUE(listed.count("street_lead"));
  EXPECT_FALSE(listed.count("mx.out"));
  EXPECT_FALSE(listed.count("operator"));
  EXPECT_FALSE(listed.count("admin"));

  // Every row ran: users x (1, or 2 scopes for an object).
  std::size_t expected_cases = 0;
  for (const Endpoint& ep : kMatrix) {
    expected_cases += kAllRoles.size() * (ep.target == Target::kNone ? 1 : 2);
  }
  EXPECT_EQ(static_cast<std::size_t>(cases), expected_cases);
  EXPECT_GE(expected_cases, 880u);
}

}  // namespace

std::vector<MatrixRoute> EventsMatrixRoutes() {
  std::vector<MatrixRoute> out;
  for (const Endpoint& ep : kMatrix) out.push_back({ep.method, ep.path});
  return out;
}

}  // namespace civicgrid::testing
