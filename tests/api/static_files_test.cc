#include "api/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace civicgrid {
namespace {

namespace fs = std::filesystem;

TEST(SanitizeStaticPathTest, AcceptsPlainPaths) {
  EXPECT_EQ(*SanitizeStaticPath("/"), "");
  EXPECT_EQ(*SanitizeStaticPath("/index.html"), "index.html");
  EXPECT_EQ(*SanitizeStaticPath("/assets/app-1a2b.js"), "assets/app-1a2b.js");
  EXPECT_EQ(*SanitizeStaticPath("/assets/"), "assets");
  EXPECT_EQ(*SanitizeStaticPath("/events/12"), "events/12");
  EXPECT_EQ(*SanitizeStaticPath("/%E5%9C%B0%E5%9B%BE.png"), "地图.png");
  EXPECT_EQ(*SanitizeStaticPath("/a..b/c...d"), "a..b/c...d");
}

TEST(SanitizeStaticPathTest, RefusesTraversalAndOddPaths) {
  for (const char* path : {"",
                           "index.html",
                           "/..",
                           "/../etc/passwd",
                           "/assets/../../etc/passwd",
                           "/assets/..",
                           "/%2e%2e/etc/passwd",
                           "/%2E%2E/%2e%2e/etc/passwd",
                           "/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                           "/.",
                           "/./index.html",
                           "/%2e/index.html",
                           "//etc/passwd",
                           "/assets//app.js",
                           "/%2fetc%2fpasswd",
                           "/..%5c..%5cwindows",
                           "/a\\b",
                           "/index.html%00.png",
                           "/.env",
                           "/.git/config",
                           "/%zz"}) {
    EXPECT_FALSE(SanitizeStaticPath(path).has_value()) << path;
  }
}

TEST(ContentTypeForTest, ByExtension) {
  EXPECT_EQ(ContentTypeFor("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.JS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("a.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("grids.geojson"), "application/geo+json");
  EXPECT_EQ(ContentTypeFor("a.bin"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("Makefile"), "application/octet-stream");
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("civicgrid-static-" + std::to_string(::getpid()));
    fs::remove_all(base_);
    fs::create_directories(base_ / "www" / "assets");
    fs::create_directories(base_ / "www" / "docs");
    Write(base_ / "www" / "index.html", "<!doctype html><title>CivicGrid</title>");
    Write(base_ / "www" / "assets" / "app.js", "console.log(1)");
    Write(base_ / "www" / "docs" / "index.html", "docs");
    Write(base_ / "www" / ".env", "SECRET=1");
    Write(base_ / "secret.txt", "top secret");
    fs::create_symlink(base_ / "secret.txt", base_ / "www" / "leak.txt");
    fs::create_directory_symlink(base_, base_ / "www" / "up");
  }
  void TearDown() override { fs::remove_all(base_); }

  static void Write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }
  static std::string HeaderOf(const HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return {};
  }

  fs::path base_;
};

TEST_F(StaticFilesTest, ServesFilesWithTypesAndSecurityHeaders) {
  StaticFiles files((base_ / "www").string());
  ASSERT_TRUE(files.enabled());
  auto index = files.Serve("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<!doctype html><title>CivicGrid</title>");
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(HeaderOf(index, "X-Frame-Options"), "DENY");
  EXPECT_NE(HeaderOf(index, "Content-Security-Policy").find("default-src 'self'"),
            std::string::npos);
  EXPECT_EQ(HeaderOf(index, "Cache-Control"), "no-cache");

  auto js = files.Serve("/assets/app.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_NE(HeaderOf(js, "Cache-Control").find("immutable"), std::string::npos);

  auto docs = files.Serve("/docs/");
  EXPECT_EQ(docs.status, 200);
  EXPECT_EQ(docs.body, "docs");
}

TEST_F(StaticFilesTest, ClientRoutesGetTheAppMissingAssetsA404) {
  StaticFiles files((base_ / "www").string());
  auto route = files.Serve("/events/12");
  EXPECT_EQ(route.status, 200);
  EXPECT_EQ(route.content_type, "text/html; charset=utf-8");
  auto missing = files.Serve("/assets/missing.js");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.content_type, "application/json; charset=utf-8");
  EXPECT_NE(missing.body.find("\"error\""), std::string::npos);
}

TEST_F(StaticFilesTest, NothingOutsideTheRoot) {
  StaticFiles files((base_ / "www").string());
  EXPECT_EQ(files.Serve("/../secret.txt").status, 400);
  EXPECT_EQ(files.Serve("/%2e%2e/secret.txt").status, 400);
  EXPECT_EQ(files.Serve("/.env").status, 400);
  EXPECT_EQ(files.Serve("/leak.txt").status, 404);       // symlink out of the root
  EXPECT_EQ(files.Serve("/up/secret.txt").status, 404);  // through a directory symlink
  auto through_dir = files.Serve("/up/www/index.html");
  EXPECT_NE(through_dir.body, "top secret");
}

TEST_F(StaticFilesTest, DisabledWithoutARoot) {
  StaticFiles none("");
  EXPECT_FALSE(none.enabled());
  EXPECT_EQ(none.Serve("/").status, 404);
  StaticFiles missing((base_ / "nope").string());
  EXPECT_FALSE(missing.enabled());
}

}  // namespace
}  // namespace civicgrid
