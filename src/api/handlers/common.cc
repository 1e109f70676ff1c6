// Helpers shared by the handlers.
#include "api/handlers/handlers.h"
#include "core/ports/clock.h"
#include "core/routing/reference_data.h"

namespace civicgrid {

namespace {

std::string LowerTrimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

HttpResponse JsonResponse(int status, std::string body) {
  return HttpResponse(status, std::move(body));
}

Status RequireJson(const HttpRequest& request) {
  std::string_view type = request.content_type;
  std::string_view params;
  if (auto semi = type.find(';'); semi != std::string_view::npos) {
    params = type.substr(semi + 1);
    type = type.substr(0, semi);
  }
  if (LowerTrimmed(type) != "application/json") {
    return Fail(ErrorCode::kUnsupportedMediaType,
                "the body must be JSON (Content-Type: application/json)", "",
                "unsupported_media_type");
  }
  // Parameters: only charset=utf-8 (any case, optionally quoted) is accepted.
  while (!params.empty()) {
    std::size_t semi = params.find(';');
    std::string param = LowerTrimmed(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    if (param.rfind("charset=", 0) == 0) {
      std::string_view value = std::string_view(param).substr(8);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      if (value != "utf-8" && value != "utf8") {
        return Fail(ErrorCode::kUnsupportedMediaType, "the body must be UTF-8 JSON", "",
                    "unsupported_media_type");
      }
    }
  }
  return Status::Ok();
}

Result<std::shared_ptr<const ReferenceData>> CurrentReference(const ApiEnv& env) {
  std::shared_ptr<const ReferenceData> reference;
  if (env.services.reference) reference = env.services.reference();
  if (!reference) {
    return Fail(ErrorCode::kUnavailable, "reference data is not loaded yet", "", "unavailable");
  }
  return reference;
}

TimeMs NowMs(const ApiEnv& env) {
  return env.services.clock != nullptr ? env.services.clock->Now() : 0;
}

}  // namespace civicgrid
