// Authenticated symmetric encryption for data at rest (e.g. ID numbers): libsodium's
// crypto_secretbox (XSalsa20-Poly1305) with a random nonce per message.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/common/result.h"

namespace civicgrid {

class SecretBox {
 public:
  static constexpr std::size_t kKeyBytes = 32;

  // From 64 hex digits (as made by GenerateSecretKeyHex); kInvalidArgument otherwise.
  static Result<SecretBox> FromKeyHex(std::string_view key_hex);

  SecretBox(const SecretBox&) = default;
  SecretBox& operator=(const SecretBox&) = default;
  ~SecretBox();  // wipes the key

  // Standard base64 (with padding) of nonce || ciphertext-with-MAC; a fresh nonce each call,
  // so equal plaintexts seal differently.
  std::string Seal(std::string_view plaintext) const;
  // kInvalidArgument (reason "bad_ciphertext") when the text is not base64, too short, was
  // altered, or was sealed with another key.
  Result<std::string> Open(std::string_view sealed) const;

 private:
  SecretBox() = default;
  std::array<unsigned char, kKeyBytes> key_{};
};

// A new random key, 64 lower-case hex digits.
std::string GenerateSecretKeyHex();

}  // namespace civicgrid
