// `civicgrid serve --sync`: by default every write is acknowledged after an fsync of the WAL (the
// server's closing line counts them); `normal` acknowledges without one; anything else is refused
// before the server starts.
#include <regex>

#include "api/identity_http_support.h"

namespace civicgrid::testing {
namespace {

// The fsyncs the server's closing line reports after two logins (each writes a session and an
// audit record), or -1.
long long SyncsAfterTwoLogins(const std::string& db, std::vector<std::string> args) {
  args.emplace_back("--quiet");
  ServerProcess server(db, args);
  if (!server.Start()) return -1;
  for (const char* user : {"operator", "dispatcher"}) {
    HttpClient c("127.0.0.1", server.port());
    EXPECT_FALSE(Login(c, user, kDemoPassword).empty()) << user;
  }
  EXPECT_EQ(server.Terminate(), 0) << server.LogText();
  std::smatch m;
  const std::string log = server.LogText();
  if (!std::regex_search(log, m, std::regex(R"re("syncs":(\d+))re"))) {
    ADD_FAILURE() << "no writer statistics in the closing line:\n" << log;
    return -1;
  }
  return std::stoll(m[1].str());
}

TEST(SyncModeCliTest, WritesAreSyncedBeforeTheyAreAcknowledgedUnlessToldOtherwise) {
  TempDir dir;
  const std::string db = dir.path() + "/city.db";
  MakeDemoDb(db, 50, kDemoPassword);
  EXPECT_GE(SyncsAfterTwoLogins(db, {}), 2);
  EXPECT_GE(SyncsAfterTwoLogins(db, {"--sync", "pipelined"}), 2);
  EXPECT_EQ(SyncsAfterTwoLogins(db, {"--sync", "normal"}), 0);
  EXPECT_EQ(SyncsAfterTwoLogins(db, {"--sync", "full"}), 0);  // SQLite syncs in the commit

  std::string out;
  EXPECT_EQ(
      RunCivicgrid({"serve", "--db", db, "--listen", "127.0.0.1:0", "--sync", "sometimes"}, &out),
      1)
      << out;
  EXPECT_NE(out.find("--sync must be pipelined, full or normal"), std::string::npos) << out;
}

}  // namespace
}  // namespace civicgrid::testing
