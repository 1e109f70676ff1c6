#include "api/error_mapping.h"

#include "api/json/json_writer.h"

namespace civicgrid {

int HttpStatusOf(const Error& error) {
  switch (error.code) {
    case ErrorCode::kMalformed:
      // A known path under a method it does not take: still "the request cannot be read".
      return error.reason == "method_not_allowed" ? 405 : 400;
    case ErrorCode::kInvalidArgument: return 422;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kAlreadyExists: return 409;
    case ErrorCode::kAborted: return 409;
    case ErrorCode::kFailedPrecondition: return 409;
    case ErrorCode::kPayloadTooLarge:
      // Oversized request headers are the same failure, with their own status.
      return error.reason == "headers_too_large" ? 431 : 413;
    case ErrorCode::kUnsupportedMediaType: return 415;
    case ErrorCode::kResourceExhausted: return 429;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

std::string ErrorSlug(const Error& error) {
  if (error.code == ErrorCode::kAborted) return "stale_version";
  if (error.reason.empty()) return DefaultReason(error.code);
  return error.reason;
}

std::string EncodeErrorBody(const Error& error) {
  JsonWriter w;
  w.StartObject().Key("error").StartObject();
  const std::string slug = ErrorSlug(error);
  w.Field("code", slug);
  w.Field("message", error.message.empty() ? slug : error.message);
  w.StringOrNull("field", error.field);
  w.EndObject().EndObject();
  return w.Take();
}

HttpResponse ErrorResponse(const Error& error) {
  HttpResponse response(HttpStatusOf(error), EncodeErrorBody(error));
  if (error.code == ErrorCode::kUnauthenticated) {
    response.Header("WWW-Authenticate", "Bearer");
  }
  return response;
}

}  // namespace civicgrid
