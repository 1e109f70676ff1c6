// `civicgrid serve --metrics-token-file`: a Prometheus scraper reads GET /metrics with the token
// kept in that file; a file without a usable token is refused before the server starts.
#include <fstream>

#include "api/identity_http_support.h"

namespace civicgrid::testing {
namespace {

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

TEST(MetricsCliTest, AScraperReadsTheMetricsWithTheTokenFromItsFile) {
  TempDir dir;
  const std::string db = dir.path() + "/city.db";
  MakeDemoDb(db, 20, kDemoPassword);
  const std::string token_file = dir.path() + "/metrics.token";
  WriteText(token_file, "prometheus-7f3a9c2e51d04b88\n");  // the trailing newline is dropped
  ServerProcess server(db, {"--quiet", "--metrics-token-file", token_file});
  ASSERT_TRUE(server.Start());
  HttpClient client("127.0.0.1", server.port());
  ASSERT_FALSE(Login(client, "operator", kDemoPassword).empty());

  auto scraped = client.Get("/metrics", {{"Authorization", "Bearer prometheus-7f3a9c2e51d04b88"}});
  ASSERT_EQ(scraped.status, 200) << scraped.body;
  EXPECT_NE(scraped.body.find("civicgrid_http_requests_total{method=\"POST\",route=\"/api/v1/"
                              "auth/login\",code=\"2xx\"} 1\n"),
            std::string::npos)
      << scraped.body;
  // The login's session and audit record went through the store's writer and its fsyncs.
  EXPECT_NE(scraped.body.find("civicgrid_store_write_units_total "), std::string::npos);
  EXPECT_EQ(scraped.body.find("civicgrid_store_write_units_total 0\n"), std::string::npos);
  EXPECT_EQ(scraped.body.find("civicgrid_store_syncs_total 0\n"), std::string::npos);
  EXPECT_NE(scraped.body.find("civicgrid_store_writes_durable 1\n"), std::string::npos);
  EXPECT_EQ(client.Get("/metrics", {{"Authorization", "Bearer prometheus"}}).status, 401);
  EXPECT_EQ(server.Terminate(), 0) << server.LogText();

  std::string out;
  WriteText(token_file, "short\n");
  EXPECT_EQ(RunCivicgrid({"serve", "--db", db, "--listen", "127.0.0.1:0", "--metrics-token-file",
                          token_file},
                         &out),
            1);
  EXPECT_NE(out.find("must be one line of at least 16 characters"), std::string::npos) << out;
  EXPECT_EQ(RunCivicgrid({"serve", "--db", db, "--listen", "127.0.0.1:0", "--metrics-token-file",
                          dir.path() + "/missing.token"},
                         &out),
            1);
  EXPECT_NE(out.find("cannot read"), std::string::npos) << out;
}

}  // namespace
}  // namespace civicgrid::testing
