// Cipher port adapter: libsodium secretbox (XSalsa20-Poly1305, SecretBox) for sealing, and a
// keyed BLAKE2b blind index whose key is derived from the same 32-byte master key (so one
// configured key serves both, and the blind index cannot be computed without it).
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "core/ports/cipher.h"
#include "crypto/secret_box.h"

namespace civicgrid {

class SecretboxCipher final : public Cipher {
 public:
  // From 64 hex digits (GenerateSecretKeyHex); kInvalidArgument otherwise.
  static Result<SecretboxCipher> FromKeyHex(std::string_view key_hex);

  std::string Seal(std::string_view plaintext) const override;
  Result<std::string> Open(std::string_view sealed) const override;
  std::string BlindIndex(std::string_view value) const override;

 private:
  explicit SecretboxCipher(SecretBox box) : box_(std::move(box)) {}
  SecretBox box_;
  std::array<unsigned char, 32> blind_key_{};
};

}  // namespace civicgrid
