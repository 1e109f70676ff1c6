// Organisation units over the real server (issue 4): an admin creates and changes departments,
// each write audited with before/after and visible at once in GET /api/v1/departments; bad
// input, other roles and a street admin outside its street are refused with nothing changed;
// a disabled department cannot be dispatched to.
#include "api/identity_http_support.h"

namespace civicgrid::testing {
namespace {

class DepartmentAdminHttpTest : public DemoServerTest {
 protected:
  void SetUp() override {
    if (district_ != 0) return;
    Json op(As("operator")->Get("/api/v1/me").body);
    district_ = int64_t(op["region"]["id"]);
    Json lead(As("street_lead")->Get("/api/v1/me").body);
    street_ = int64_t(lead["region"]["id"]);
    CreateUser(*As("admin"), "dept_street_admin", R"(["admin"])",
               "\"region_id\":" + std::to_string(street_));
    tokens_["dept_street_admin"] = FirstLogin(port(), "dept_street_admin");
  }

  std::string Departments() { return As("admin")->Get("/api/v1/departments").body; }

  // The department of the list with that id, as JSON text ("" when absent).
  std::string ListedDepartment(std::int64_t id) {
    Json list(Departments());
    for (auto d : list["items"].get_array()) {
      if (int64_t(d["id"]) == id) return simdjson::to_string(d);
    }
    return "";
  }

  // Asserts that `request` is refused with `status` (and `code` when given) and changes nothing.
  void ExpectRefused(const std::string& who, const std::string& method, const std::string& path,
                     const std::string& body, int status, const std::string& code = {}) {
    const std::string before = Departments();
    const std::int64_t audit_before = AuditTail(*As("auditor"));
    auto r = As(who)->Request(method, path, body);
    EXPECT_EQ(r.status, status) << who << " " << method << " " << path << " " << body << "\n"
                                << r.body;
    if (!code.empty()) {
      EXPECT_EQ(ErrorCodeOf(r), code) << r.body;
    }
    EXPECT_EQ(Departments(), before) << method << " " << path << " " << body;
    EXPECT_EQ(AuditTail(*As("auditor")), audit_before) << method << " " << path << " " << body;
  }

  static inline std::int64_t district_ = 0, street_ = 0;
};

TEST_F(DepartmentAdminHttpTest, AnAdminCreatesAndChangesADepartmentAuditedAndListedAtOnce) {
  auto admin = As("admin");
  auto created = admin->Post("/api/v1/departments",
                             R"({"code":"it-bureau-1","name":"测试局","name_en":"Test Bureau",)"
                             R"("region_id":)" +
                                 std::to_string(district_) + "}");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::int64_t id = IntField(created, "id");
  ASSERT_GT(id, 0);
  EXPECT_EQ(created.Header("Location"), "/api/v1/departments/" + std::to_string(id));
  Json c(created.body);
  EXPECT_EQ(std::string_view(c["code"]), "it-bureau-1");
  EXPECT_EQ(std::string_view(c["name"]), "测试局");
  EXPECT_EQ(int64_t(c["region"]["id"]), district_);
  EXPECT_FALSE(bool(c["disabled"]));
  EXPECT_NE(ListedDepartment(id), "") << "the list is reloaded after the write";

  auto changed = admin->Request("PATCH", "/api/v1/departments/" + std::to_string(id),
                                R"({"name":"测试管理局","disabled":true})");
  ASSERT_EQ(changed.status, 200) << changed.body;
  Json listed(ListedDepartment(id));
  EXPECT_EQ(std::string_view(listed["name"]), "测试管理局");
  EXPECT_EQ(std::string_view(listed["name_en"]), "Test Bureau");
  EXPECT_TRUE(bool(listed["disabled"]));

  Json audit(As("auditor")
                 ->Get("/api/v1/audit?object_type=department&object_id=" + std::to_string(id))
                 .body);
  auto items = audit["items"].get_array();
  ASSERT_EQ(items.size(), 2u) << simdjson::to_string(audit.root());
  auto update = items.at(0);  // newest first
  EXPECT_EQ(std::string_view(update["action"]), "department.update");
  EXPECT_EQ(std::string_view(update["actor"]["username"]), "admin");
  EXPECT_EQ(std::string_view(update["before"]["name"]), "测试局");
  EXPECT_FALSE(bool(update["before"]["disabled"]));
  EXPECT_EQ(std::string_view(update["after"]["name"]), "测试管理局");
  EXPECT_TRUE(bool(update["after"]["disabled"]));
  auto create = items.at(1);
  EXPECT_EQ(std::string_view(create["action"]), "department.create");
  EXPECT_TRUE(create["before"].is_null());
  EXPECT_EQ(std::string_view(create["after"]["code"]), "it-bureau-1");
}

TEST_F(DepartmentAdminHttpTest, BadInputAndOtherRolesAreRefusedWithNothingChanged) {
  auto admin = As("admin");
  auto made = admin->Post("/api/v1/departments", R"({"code":"it-taken","name":"已有局"})");
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string id = std::to_string(IntField(made, "id"));
  const std::string post = "/api/v1/departments", patch = "/api/v1/departments/" + id;
  for (const char* role : {"dispatcher", "operator", "auditor", "handler", "citizen"}) {
    ExpectRefused(role, "POST", post, R"({"code":"it-x","name":"某局"})", 403);
    ExpectRefused(role, "PATCH", patch, R"({"name":"某局"})", 403);
  }
  ExpectRefused("admin", "POST", post, R"({"name":"无编码局"})", 400, "missing_field");
  ExpectRefused("admin", "POST", post, R"({"code":"it-y"})", 400, "missing_field");
  ExpectRefused("admin", "POST", post, R"({"code":7,"name":"某局"})", 400);
  ExpectRefused("admin", "POST", post, R"({"code":"it-y","name":"某局","region_id":"x"})", 400);
  ExpectRefused("admin", "POST", post, R"({"code":"it-y","name":"某局","disabled":1})", 400);
  ExpectRefused("admin", "POST", post, R"({"code":"it-y","name":"某局","region_id":-1})", 400);
  ExpectRefused("admin", "POST", post, R"({"code":"it-y","name":"某局")", 400);
  ExpectRefused("admin", "POST", post, R"({"code":"带空格 y","name":"某局"})", 422);
  ExpectRefused("admin", "POST", post, R"({"code":"it-y","name":""})", 422);
  ExpectRefused("admin", "POST", post, R"({"code":"it-y","name":"某局","region_id":999999})", 422,
                "unknown_region");
  ExpectRefused("admin", "POST", post, R"({"code":"it-taken","name":"重复局"})", 409);
  ExpectRefused("admin", "PATCH", patch, R"({"name":""})", 422);
  ExpectRefused("admin", "PATCH", patch, R"({"code":"it-other"})", 422);
  ExpectRefused("admin", "PATCH", patch, R"({"region_id":999999})", 422, "unknown_region");
  ExpectRefused("admin", "PATCH", patch, R"({"name":5})", 400);
  ExpectRefused("admin", "PATCH", "/api/v1/departments/999999", R"({"name":"某局"})", 404);
  ExpectRefused("admin", "PATCH", "/api/v1/departments/abc", R"({"name":"某局"})", 404);
}

TEST_F(DepartmentAdminHttpTest, AStreetAdminManagesTheDepartmentsOfItsStreetOnly) {
  auto street_admin = As("dept_street_admin");
  // Without a region, the department serves the admin's own street.
  auto made =
      street_admin->Post("/api/v1/departments", R"({"code":"it-street-1","name":"街道科"})");
  ASSERT_EQ(made.status, 201) << made.body;
  Json m(made.body);
  EXPECT_EQ(int64_t(m["region"]["id"]), street_);
  const std::string own = "/api/v1/departments/" + std::to_string(IntField(made, "id"));
  EXPECT_EQ(street_admin->Request("PATCH", own, R"({"name_en":"Street Office"})").status, 200);

  ExpectRefused(
      "dept_street_admin", "POST", "/api/v1/departments",
      R"({"code":"it-street-2","name":"区级科","region_id":)" + std::to_string(district_) + "}",
      422, "out_of_scope");
  ExpectRefused("dept_street_admin", "PATCH", own,
                R"({"region_id":)" + std::to_string(district_) + "}", 422, "out_of_scope");
  // A district department does not exist for it: 404, whatever the body says.
  const std::string district_dept = "/api/v1/departments/" + std::to_string(handler_department_);
  ExpectRefused("dept_street_admin", "PATCH", district_dept, R"({"name":"改名"})", 404);
  ExpectRefused("dept_street_admin", "PATCH", district_dept, R"({"name":""})", 404);
}

TEST_F(DepartmentAdminHttpTest, ADisabledDepartmentCannotBeDispatchedTo) {
  auto admin = As("admin");
  auto made = admin->Post("/api/v1/departments", R"({"code":"it-closing","name":"将撤销科",)"
                                                 R"("disabled":true,"region_id":)" +
                                                     std::to_string(district_) + "}");
  ASSERT_EQ(made.status, 201) << made.body;
  const std::int64_t dept = IntField(made, "id");
  auto di = As("dispatcher");
  const std::int64_t id = CreateEvent(*As("operator"), "井盖缺失需要处置");
  auto accepted = Act(*di, id, "accept", 1);
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  std::int64_t v = IntField(accepted, "version");
  const Snapshot before = Look(id);
  auto refused = Act(*di, id, "dispatch", v, R"("department":)" + std::to_string(dept));
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(Look(id), before);

  ASSERT_EQ(
      admin
          ->Request("PATCH", "/api/v1/departments/" + std::to_string(dept), R"({"disabled":false})")
          .status,
      200);
  auto dispatched = Act(*di, id, "dispatch", v, R"("department":)" + std::to_string(dept));
  EXPECT_EQ(dispatched.status, 200) << dispatched.body;
}

}  // namespace
}  // namespace civicgrid::testing
