#include "api/static_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>

#include "api/error_mapping.h"
#include "api/query.h"

namespace civicgrid {

namespace {

constexpr off_t kMaxFileBytes = 64 << 20;
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<std::string> RealPath(const std::string& path) {
  char buffer[PATH_MAX];
  if (::realpath(path.c_str(), buffer) == nullptr) return std::nullopt;
  return std::string(buffer);
}

enum class FileKind { kMissing, kRegular, kDirectory, kOther };

FileKind KindOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return FileKind::kMissing;
  if (S_ISREG(st.st_mode)) return FileKind::kRegular;
  if (S_ISDIR(st.st_mode)) return FileKind::kDirectory;
  return FileKind::kOther;
}

std::optional<std::string> ReadFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > kMaxFileBytes) {
    ::close(fd);
    return std::nullopt;
  }
  std::string data(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::read(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  data.resize(done);
  return data;
}

HttpResponse NotFound() {
  return ErrorResponse(ErrorCode::kNotFound, "no such file", "", "not_found");
}

}  // namespace

std::optional<std::string> SanitizeStaticPath(std::string_view raw_path) {
  if (raw_path.empty() || raw_path.front() != '/') return std::nullopt;
  auto decoded = PercentDecode(raw_path.substr(1), false);
  if (!decoded) return std::nullopt;
  std::string_view rest = *decoded;
  if (rest.find('\0') != std::string_view::npos || rest.find('\\') != std::string_view::npos) {
    return std::nullopt;
  }
  if (rest.empty()) return std::string();
  // A trailing slash names a directory; its index is served.
  if (rest.back() == '/') rest.remove_suffix(1);
  std::string_view scan = rest;
  while (true) {
    std::size_t slash = scan.find('/');
    std::string_view segment = scan.substr(0, slash);
    if (segment.empty() || segment.front() == '.') return std::nullopt;
    if (slash == std::string_view::npos) break;
    scan.remove_prefix(slash + 1);
  }
  return std::string(rest);
}

std::string_view ContentTypeFor(std::string_view file_name) {
  struct Entry {
    std::string_view extension;
    std::string_view type;
  };
  static constexpr Entry kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".geojson", "application/geo+json"},
      {".map", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
      {".webmanifest", "application/manifest+json"},
  };
  std::string lower = Lower(file_name);
  for (const auto& entry : kTypes) {
    if (EndsWith(lower, entry.extension)) return entry.type;
  }
  return "application/octet-stream";
}

StaticFiles::StaticFiles(std::string root) {
  if (root.empty()) return;
  auto real = RealPath(root);
  if (real && KindOf(*real) == FileKind::kDirectory) {
    root_ = *real;
    while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
  }
}

HttpResponse StaticFiles::Serve(std::string_view raw_path) const {
  if (root_.empty()) return NotFound();
  auto relative = SanitizeStaticPath(raw_path);
  if (!relative) {
    return ErrorResponse(ErrorCode::kMalformed, "the path is not allowed", "", "invalid_path");
  }
  std::string path = root_ + "/" + *relative;
  FileKind kind = relative->empty() ? FileKind::kDirectory : KindOf(path);
  if (kind == FileKind::kDirectory) {
    path += relative->empty() ? "index.html" : "/index.html";
    kind = KindOf(path);
  }
  if (kind != FileKind::kRegular) {
    // Client-side routes ("/events/12") get the app; missing assets ("/x.js") a 404.
    std::string_view last = *relative;
    if (auto slash = last.rfind('/'); slash != std::string_view::npos)
      last.remove_prefix(slash + 1);
    if (last.find('.') != std::string_view::npos) return NotFound();
    path = root_ + "/index.html";
  }
  // Symbolic links must not lead out of the root.
  auto real = RealPath(path);
  if (!real || real->size() <= root_.size() || real->compare(0, root_.size(), root_) != 0 ||
      (*real)[root_.size()] != '/') {
    return NotFound();
  }
  auto data = ReadFile(*real);
  if (!data) return NotFound();
  HttpResponse response(200, std::move(*data));
  response.content_type = std::string(ContentTypeFor(*real));
  bool hashed_asset = relative->rfind("assets/", 0) == 0 && !EndsWith(*real, "/index.html");
  response.Header("Cache-Control",
                  hashed_asset ? "public, max-age=31536000, immutable" : "no-cache");
  response.Header("X-Frame-Options", "DENY");
  response.Header("Content-Security-Policy", std::string(kContentSecurityPolicy));
  response.Header("Referrer-Policy", "no-referrer");
  return response;
}

}  // namespace civicgrid
