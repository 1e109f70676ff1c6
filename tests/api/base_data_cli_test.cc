// The base-data CLI on a demo city (issue 3): `civicgrid import residents` reports bad rows and
// imports nothing unless told to skip them; `export` masks ID numbers; `regions export` output
// imports back unchanged and a broken feature is refused by name.
#include <fstream>

#include "api/demo_fixture.h"

namespace civicgrid::testing {
namespace {

void Write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

TEST(BaseDataCliTest, ImportResidentsReportsRowsAndSkipsOnlyWhenAsked) {
  TempDir dir;
  const std::string db = dir.path() + "/city.db";
  MakeDemoDb(db, 50, kDemoPassword);
  std::string regions;
  ASSERT_EQ(
      RunCivicgrid({"regions", "export", "--db", db, "--out", dir.path() + "/r.geojson"}, &regions),
      0)
      << regions;
  std::ifstream in(dir.path() + "/r.geojson");
  const std::string geojson((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t at = geojson.find("\"level\":\"grid\"");
  ASSERT_NE(at, std::string::npos);
  const std::size_t code_at = geojson.rfind("\"code\":\"", at) + 8;
  const std::string grid = geojson.substr(code_at, geojson.find('"', code_at) - code_at);

  const std::string csv = dir.path() + "/residents.csv";
  Write(csv, "grid_code,name,id_number,type\n" + grid + ",甲,110101197001010016,户籍\n" + grid +
                 ",乙,110101197001010017,流动\n");
  std::string out;
  EXPECT_EQ(RunCivicgrid({"import", "residents", "--db", db, csv}, &out), 1) << out;
  EXPECT_NE(out.find("row 3, column id_number"), std::string::npos) << out;
  EXPECT_NE(out.find("bad_checksum"), std::string::npos) << out;
  EXPECT_NE(out.find("0 imported"), std::string::npos) << out;
  std::string exported;
  ASSERT_EQ(RunCivicgrid({"export", "residents", "--db", db}, &exported), 0);
  EXPECT_EQ(exported.find("110101197001010016"), std::string::npos);
  EXPECT_EQ(exported.find("1101**********0016"), std::string::npos) << "nothing was imported";

  EXPECT_EQ(RunCivicgrid({"import", "residents", "--db", db, csv, "--skip-bad-rows"}, &out), 0)
      << out;
  EXPECT_NE(out.find("1 imported, 1 skipped"), std::string::npos) << out;
  ASSERT_EQ(RunCivicgrid({"export", "residents", "--db", db}, &exported), 0);
  EXPECT_NE(exported.find(grid + ",,甲,1101**********0016,registered"), std::string::npos)
      << exported;
  EXPECT_EQ(exported.find("110101197001010016"), std::string::npos) << "masked";

  // The region export imports back unchanged; a grid drawn outside its community is refused.
  EXPECT_EQ(RunCivicgrid({"regions", "import", "--db", db, dir.path() + "/r.geojson"}, &out), 0)
      << out;
  EXPECT_NE(out.find("0 created, 0 updated"), std::string::npos) << out;
  Write(
      dir.path() + "/bad.geojson",
      R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":")" + grid +
          R"(","name":"飞地"},"geometry":{"type":"Polygon","coordinates":[[[10,10],[10.1,10],[10.1,10.1],[10,10.1],[10,10]]]}}]})");
  EXPECT_EQ(RunCivicgrid({"regions", "import", "--db", db, dir.path() + "/bad.geojson"}, &out), 1);
  EXPECT_NE(out.find(grid), std::string::npos) << out;
  EXPECT_NE(out.find("outside its parent"), std::string::npos) << out;
}

}  // namespace
}  // namespace civicgrid::testing
