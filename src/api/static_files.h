// The web UI's files, served from a directory: index.html for "/" and for client-side routes,
// content types by extension, security headers, and no way out of the directory.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/http_types.h"

namespace civicgrid {

// The file a request path names, relative to the root ("" for the root itself), or nullopt
// when the path must be refused: bad percent-escapes, NUL, backslashes, "." or ".." segments
// (also percent-encoded), empty segments ("//etc/passwd") and hidden files (".env").
std::optional<std::string> SanitizeStaticPath(std::string_view raw_path);
// "text/html; charset=utf-8" for "index.html"; application/octet-stream when unknown.
std::string_view ContentTypeFor(std::string_view file_name);

class StaticFiles {
 public:
  // `root` must name a directory; an empty or missing one serves nothing (404).
  explicit StaticFiles(std::string root);
  bool enabled() const { return !root_.empty(); }
  // A GET of `raw_path` (not decoded, without the query).
  HttpResponse Serve(std::string_view raw_path) const;

 private:
  std::string root_;  // canonical, without a trailing slash
};

}  // namespace civicgrid
