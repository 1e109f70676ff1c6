#include "crypto/secretbox_cipher.h"

#include <sodium.h>

#include "crypto/sodium_crypto.h"

namespace civicgrid {

Result<SecretboxCipher> SecretboxCipher::FromKeyHex(std::string_view key_hex) {
  EnsureSodiumInitialised();
  auto box = SecretBox::FromKeyHex(key_hex);
  if (!box) return box.error();
  std::array<unsigned char, 32> master{};
  std::size_t length = 0;
  if (sodium_hex2bin(master.data(), master.size(), key_hex.data(), key_hex.size(), nullptr, &length,
                     nullptr) != 0 ||
      length != master.size()) {
    return Fail(ErrorCode::kInvalidArgument, "the data key must be 64 hex digits");
  }
  SecretboxCipher cipher(std::move(*box));
  // A subkey for the blind index: BLAKE2b keyed by the master key over a fixed context.
  static constexpr std::string_view kContext = "civicgrid blind index v1";
  crypto_generichash(cipher.blind_key_.data(), cipher.blind_key_.size(),
                     reinterpret_cast<const unsigned char*>(kContext.data()), kContext.size(),
                     master.data(), master.size());
  sodium_memzero(master.data(), master.size());
  return cipher;
}

std::string SecretboxCipher::Seal(std::string_view plaintext) const { return box_.Seal(plaintext); }

Result<std::string> SecretboxCipher::Open(std::string_view sealed) const {
  return box_.Open(sealed);
}

std::string SecretboxCipher::BlindIndex(std::string_view value) const {
  unsigned char hash[16];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(value.data()),
                     value.size(), blind_key_.data(), blind_key_.size());
  char hex[sizeof hash * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return std::string(hex, sizeof hash * 2);
}

}  // namespace civicgrid
