// Port: encryption of personal data at rest (ID numbers). Adapter: SecretboxCipher (src/crypto,
// libsodium secretbox, key from config). The blind index is a keyed hash (a different key from
// the sealing key's, derived from it) so that equal values can be found without decrypting.
#pragma once

#include <string>
#include <string_view>

#include "core/common/result.h"

namespace civicgrid {

class Cipher {
 public:
  virtual ~Cipher() = default;
  // Text safe to store; equal plaintexts seal differently.
  virtual std::string Seal(std::string_view plaintext) const = 0;
  // kInvalidArgument when `sealed` was altered or sealed under another key.
  virtual Result<std::string> Open(std::string_view sealed) const = 0;
  // A deterministic keyed hash (hex) of `value`, for exact-match lookups.
  virtual std::string BlindIndex(std::string_view value) const = 0;
};

}  // namespace civicgrid
