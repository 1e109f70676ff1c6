// `civicgrid audit verify` on a demo city: holds on an untouched database, and names the rows
// someone edited or deleted with a plain SQL tool.
#include <sqlite3.h>

#include "api/identity_http_support.h"

namespace civicgrid::testing {
namespace {

void Exec(const std::string& db, const std::string& sql) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(raw);
}

TEST(AuditCliTest, DetectsEditedAndDeletedHistoryRows) {
  TempDir dir;
  const std::string db = dir.path() + "/city.db";
  MakeDemoDb(db, 200, kDemoPassword);
  std::string out;
  ASSERT_EQ(RunCivicgrid({"audit", "verify", "--db", db}, &out), 0) << out;
  EXPECT_NE(out.find("every hash chain holds"), std::string::npos) << out;

  // An insider with SQL access: the append-only triggers do not stop someone who drops them.
  Exec(db,
       "DROP TRIGGER IF EXISTS event_history_no_update;"
       "DROP TRIGGER IF EXISTS event_history_no_delete;"
       "UPDATE event_history SET note = 'nothing happened' WHERE event_id = 17 AND seq = 2;"
       "DELETE FROM event_history WHERE event_id = 23 AND seq = "
       "(SELECT max(seq) FROM event_history WHERE event_id = 23);");
  ASSERT_EQ(RunCivicgrid({"audit", "verify", "--db", db}, &out), 1) << out;
  EXPECT_NE(out.find("event 17 seq 2"), std::string::npos) << out;
  EXPECT_NE(out.find("event 23"), std::string::npos) << out;
}

// The number of audit records `audit verify` checked on `db` (which must verify).
long long AuditRecordCount(const std::string& db) {
  std::string out;
  EXPECT_EQ(RunCivicgrid({"audit", "verify", "--db", db}, &out), 0) << out;
  const std::string marker = "checked ";
  const auto records = out.find(" audit log records");
  const auto at = out.rfind(marker, records);
  if (records == std::string::npos || at == std::string::npos) {
    ADD_FAILURE() << out;
    return -1;
  }
  return std::stoll(out.substr(at + marker.size(), records - at - marker.size()));
}

// Issue 4: one edited history row and one edited audit record, both named; exit 1.
TEST(AuditCliTest, NamesTheFirstBrokenLinkOfTheHistoryAndOfTheAuditLog) {
  TempDir dir;
  const std::string db = dir.path() + "/city.db";
  MakeDemoDb(db, 100, kDemoPassword);
  const long long demo_records = AuditRecordCount(db);  // the import and its responsibility list
  ASSERT_GT(demo_records, 0);
  {
    // Some audited writes: logins, a report, an action.
    ServerProcess server(db, {"--quiet"});
    ASSERT_TRUE(server.Start());
    for (const char* user : {"operator", "dispatcher", "leader"}) {
      HttpClient c("127.0.0.1", server.port());
      ASSERT_FALSE(Login(c, user, kDemoPassword).empty()) << user;
    }
    EXPECT_EQ(server.Terminate(), 0) << server.LogText();
  }
  std::string out;
  ASSERT_EQ(RunCivicgrid({"audit", "verify", "--db", db}, &out), 0) << out;
  // The three logins after the demo's records (and any supervision the server's deadline
  // watcher wrote for overdue demo events).
  EXPECT_GE(AuditRecordCount(db), demo_records + 3);

  Exec(db,
       "DROP TRIGGER IF EXISTS event_history_no_update;"
       "DROP TRIGGER IF EXISTS audit_log_no_update;"
       "UPDATE event_history SET actor_name = 'someone else' WHERE event_id = 9 AND seq = 1;"
       "UPDATE audit_log SET remote_address = '10.0.0.1' WHERE seq = 2;");
  ASSERT_EQ(RunCivicgrid({"audit", "verify", "--db", db}, &out), 1) << out;
  EXPECT_NE(out.find("first broken history link: event 9 seq 1"), std::string::npos) << out;
  EXPECT_NE(out.find("first broken audit link: seq 2"), std::string::npos) << out;
  EXPECT_NE(out.find("BROKEN audit seq 2: hash does not match"), std::string::npos) << out;
  // The record after the edited one still links to its true hash: only seq 2 is named.
  EXPECT_EQ(out.find("BROKEN audit seq 3"), std::string::npos) << out;
}

// Deleting a record from the middle of the audit log, or renumbering, breaks the chain too.
TEST(AuditCliTest, DeletedAuditRecordsAreDetected) {
  TempDir dir;
  const std::string db = dir.path() + "/city.db";
  MakeDemoDb(db, 20, kDemoPassword);
  const long long demo_records = AuditRecordCount(db);
  {
    ServerProcess server(db, {"--quiet"});
    ASSERT_TRUE(server.Start());
    for (int i = 0; i < 3; ++i) {
      HttpClient c("127.0.0.1", server.port());
      ASSERT_EQ(c.Post("/api/v1/auth/login", R"({"username":"operator","password":")" +
                                                 std::string(kDemoPassword) + R"("})")
                    .status,
                200);
    }
    EXPECT_EQ(server.Terminate(), 0) << server.LogText();
  }
  std::string out;
  ASSERT_EQ(RunCivicgrid({"audit", "verify", "--db", db}, &out), 0) << out;
  const std::string marker = "newest audit record: ";
  const auto at = out.find(marker);
  ASSERT_NE(at, std::string::npos) << out;
  const std::string anchor =
      out.substr(at + marker.size(), out.find('\n', at) - at - marker.size());
  const std::string newest = anchor.substr(0, anchor.find(':'));
  EXPECT_GE(std::stoll(newest), demo_records + 3) << anchor;  // the demo's and three logins
  ASSERT_EQ(RunCivicgrid({"audit", "verify", "--db", db, "--anchor", anchor}, &out), 0) << out;

  // Removing the newest record leaves a chain that holds on its own; the anchor catches it.
  Exec(db,
       "DROP TRIGGER IF EXISTS audit_log_no_delete; DELETE FROM audit_log WHERE seq = " + newest);
  ASSERT_EQ(RunCivicgrid({"audit", "verify", "--db", db}, &out), 0) << out;
  ASSERT_EQ(RunCivicgrid({"audit", "verify", "--db", db, "--anchor", anchor}, &out), 1) << out;
  EXPECT_NE(out.find("BROKEN audit seq " + newest + ": missing"), std::string::npos) << out;

  Exec(db, "DELETE FROM audit_log WHERE seq = 1;");
  ASSERT_EQ(RunCivicgrid({"audit", "verify", "--db", db}, &out), 1) << out;
  EXPECT_NE(out.find("first broken audit link: seq 2"), std::string::npos) << out;
  EXPECT_NE(RunCivicgrid({"audit", "verify", "--db", db, "--anchor", "4:zz"}, &out), 0);
  EXPECT_NE(out.find("--anchor"), std::string::npos) << out;
}

TEST(AuditCliTest, UnknownCommandsAndMissingDbAreClearErrors) {
  std::string out;
  EXPECT_NE(RunCivicgrid({"audit", "verify"}, &out), 0);
  EXPECT_NE(out.find("--db"), std::string::npos) << out;
  EXPECT_EQ(RunCivicgrid({"frobnicate"}, &out), 2);
  EXPECT_NE(RunCivicgrid({"serve", "--db", "/nonexistent-dir/x.db", "--listen", "nope"}, &out), 0);
}

}  // namespace
}  // namespace civicgrid::testing
