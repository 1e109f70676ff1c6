// The one place where an ErrorCode becomes an HTTP status, and the JSON error body
// {"error":{"code":<reason slug>,"message":...,"field":...|null}}.
#pragma once

#include "api/http_types.h"
#include "core/common/result.h"

namespace civicgrid {

int HttpStatusOf(const Error& error);
// The machine-readable code of the body: the error's reason, "stale_version" for kAborted.
std::string ErrorSlug(const Error& error);
std::string EncodeErrorBody(const Error& error);
HttpResponse ErrorResponse(const Error& error);
inline HttpResponse ErrorResponse(ErrorCode code, std::string message, std::string field = {},
                                  std::string reason = {}) {
  return ErrorResponse(Error(code, std::move(message), std::move(field), std::move(reason)));
}

}  // namespace civicgrid
