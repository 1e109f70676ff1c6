// Port: hashing, password hashing and random tokens (libsodium in src/crypto).
#pragma once

#include <string>
#include <string_view>

#include "core/common/result.h"

namespace civicgrid {

class Crypto {
 public:
  virtual ~Crypto() = default;
  // Lower-case hex SHA-256.
  virtual std::string Sha256Hex(std::string_view data) const = 0;
  // An argon2id hash in the libsodium string format (salt and parameters included).
  virtual Result<std::string> HashPassword(std::string_view password) const = 0;
  virtual bool VerifyPassword(std::string_view hash, std::string_view password) const = 0;
  // 32 random bytes, URL-safe base64 without padding.
  virtual std::string RandomToken() const = 0;
};

}  // namespace civicgrid
