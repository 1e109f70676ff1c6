#include "api/error_mapping.h"

#include <gtest/gtest.h>

namespace civicgrid {
namespace {

TEST(ErrorMappingTest, EveryCodeHasItsStatus) {
  struct Case {
    ErrorCode code;
    int status;
  };
  const Case cases[] = {
      {ErrorCode::kMalformed, 400},         {ErrorCode::kInvalidArgument, 422},
      {ErrorCode::kUnauthenticated, 401},   {ErrorCode::kPermissionDenied, 403},
      {ErrorCode::kNotFound, 404},          {ErrorCode::kAlreadyExists, 409},
      {ErrorCode::kAborted, 409},           {ErrorCode::kFailedPrecondition, 409},
      {ErrorCode::kPayloadTooLarge, 413},   {ErrorCode::kUnsupportedMediaType, 415},
      {ErrorCode::kResourceExhausted, 429}, {ErrorCode::kUnavailable, 503},
      {ErrorCode::kInternal, 500},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(HttpStatusOf(Error(c.code, "m")), c.status) << static_cast<int>(c.code);
  }
  EXPECT_EQ(HttpStatusOf(Error(ErrorCode::kPayloadTooLarge, "m", "", "headers_too_large")), 431);
  EXPECT_EQ(HttpStatusOf(Error(ErrorCode::kMalformed, "m", "", "method_not_allowed")), 405);
}

TEST(ErrorMappingTest, BodyShape) {
  auto r = ErrorResponse(
      Error(ErrorCode::kInvalidArgument, "坐标超出范围", "location.lon", "out_of_range"));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
  EXPECT_EQ(r.body,
            R"({"error":{"code":"out_of_range","message":"坐标超出范围","field":"location.lon"}})");
}

TEST(ErrorMappingTest, StaleVersionAndNullField) {
  auto r = ErrorResponse(Error(ErrorCode::kAborted, "the event changed", "", "whatever"));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.body,
            R"({"error":{"code":"stale_version","message":"the event changed","field":null}})");
}

TEST(ErrorMappingTest, DefaultReasonAndMessageEscaping) {
  Error e(ErrorCode::kPermissionDenied, "role \"citizen\" may not\ndispatch");
  auto r = ErrorResponse(e);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body, std::string(R"({"error":{"code":")") + DefaultReason(e.code) +
                        R"(","message":"role \"citizen\" may not\ndispatch","field":null}})");
}

TEST(ErrorMappingTest, UnauthenticatedAsksForBearer) {
  auto r = ErrorResponse(Error(ErrorCode::kUnauthenticated, "no token"));
  EXPECT_EQ(r.status, 401);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "WWW-Authenticate");
  EXPECT_EQ(r.headers[0].second, "Bearer");
}

}  // namespace
}  // namespace civicgrid
