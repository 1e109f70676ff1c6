#include "crypto/secret_box.h"

#include <sodium.h>

#include <utility>
#include <vector>

#include "crypto/sodium_crypto.h"

namespace civicgrid {
namespace {

static_assert(SecretBox::kKeyBytes == crypto_secretbox_KEYBYTES);
constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;

Unexpected<Error> BadCiphertext(std::string msg) {
  return Fail(ErrorCode::kInvalidArgument, std::move(msg), {}, "bad_ciphertext");
}

}  // namespace

Result<SecretBox> SecretBox::FromKeyHex(std::string_view key_hex) {
  EnsureSodiumInitialised();
  SecretBox box;
  std::size_t key_len = 0;
  const char* hex_end = nullptr;
  if (key_hex.size() != 2 * kKeyBytes ||
      sodium_hex2bin(box.key_.data(), box.key_.size(), key_hex.data(), key_hex.size(), nullptr,
                     &key_len, &hex_end) != 0 ||
      key_len != kKeyBytes || hex_end != key_hex.data() + key_hex.size()) {
    return Fail(ErrorCode::kInvalidArgument, "a secret key is 64 hex digits", "key");
  }
  return box;
}

SecretBox::~SecretBox() { sodium_memzero(key_.data(), key_.size()); }

std::string SecretBox::Seal(std::string_view plaintext) const {
  std::vector<unsigned char> message(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                                     plaintext.size());
  unsigned char* nonce = message.data();
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(
      nonce + crypto_secretbox_NONCEBYTES,
      reinterpret_cast<const unsigned char*>(plaintext.empty() ? "" : plaintext.data()),
      plaintext.size(), nonce, key_.data());
  std::string text(sodium_base64_ENCODED_LEN(message.size(), kVariant), '\0');
  sodium_bin2base64(text.data(), text.size(), message.data(), message.size(), kVariant);
  text.pop_back();  // the NUL terminator
  return text;
}

Result<std::string> SecretBox::Open(std::string_view sealed) const {
  if (sealed.empty()) return BadCiphertext("sealed text is empty");
  std::vector<unsigned char> message(sealed.size() / 4 * 3 + 3);
  std::size_t message_len = 0;
  const char* b64_end = nullptr;
  if (sodium_base642bin(message.data(), message.size(), sealed.data(), sealed.size(), nullptr,
                        &message_len, &b64_end, kVariant) != 0 ||
      b64_end != sealed.data() + sealed.size()) {
    return BadCiphertext("sealed text is not base64");
  }
  constexpr std::size_t kOverhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
  if (message_len < kOverhead) return BadCiphertext("sealed text is too short");
  const unsigned char* nonce = message.data();
  std::string plaintext(message_len - kOverhead, '\0');
  if (crypto_secretbox_open_easy(
          reinterpret_cast<unsigned char*>(plaintext.data()), nonce + crypto_secretbox_NONCEBYTES,
          message_len - crypto_secretbox_NONCEBYTES, nonce, key_.data()) != 0) {
    return BadCiphertext("sealed text failed authentication (altered, or another key)");
  }
  return plaintext;
}

std::string GenerateSecretKeyHex() {
  EnsureSodiumInitialised();
  std::array<unsigned char, crypto_secretbox_KEYBYTES> key{};
  crypto_secretbox_keygen(key.data());
  std::array<char, crypto_secretbox_KEYBYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), key.data(), key.size());
  sodium_memzero(key.data(), key.size());
  std::string out(hex.data(), hex.size() - 1);
  sodium_memzero(hex.data(), hex.size());
  return out;
}

}  // namespace civicgrid
