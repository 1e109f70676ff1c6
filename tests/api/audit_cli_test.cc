// `civicgrid audit verify` on a demo city: holds on an untouched database, and names the rows
// someone edited or deleted with a plain SQL tool.
#include <sqlite3.h>

#include "api/demo_fixture.h"

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

TEST(AuditCliTest, UnknownCommandsAndMissingDbAreClearErrors) {
  std::string out;
  EXPECT_NE(RunCivicgrid({"audit", "verify"}, &out), 0);
  EXPECT_NE(out.find("--db"), std::string::npos) << out;
  EXPECT_EQ(RunCivicgrid({"frobnicate"}, &out), 2);
  EXPECT_NE(RunCivicgrid({"serve", "--db", "/nonexistent-dir/x.db", "--listen", "nope"}, &out), 0);
}

}  // namespace
}  // namespace civicgrid::testing
