#include "crypto/sodium_crypto.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>

#include "crypto/sha256.h"

namespace civicgrid {
namespace {

// A default string_view has a null data(); libsodium wants a pointer even for zero bytes.
const char* Chars(std::string_view s) { return s.empty() ? "" : s.data(); }

}  // namespace

static_assert(SodiumCrypto::kOpsLimitInteractive == crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE);
static_assert(SodiumCrypto::kMemLimitInteractive == crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE);
static_assert(SodiumCrypto::kOpsLimitMin == crypto_pwhash_argon2id_OPSLIMIT_MIN);
static_assert(SodiumCrypto::kMemLimitMin == crypto_pwhash_argon2id_MEMLIMIT_MIN);

void EnsureSodiumInitialised() {
  // A function-local static: initialised exactly once even with concurrent callers.
  static const int kInitResult = sodium_init();
  if (kInitResult < 0) {
    std::fputs("libsodium failed to initialise\n", stderr);
    std::abort();
  }
}

SodiumCrypto::SodiumCrypto(unsigned long long ops_limit, std::size_t mem_limit)
    : ops_limit_(std::max(ops_limit, kOpsLimitMin)), mem_limit_(std::max(mem_limit, kMemLimitMin)) {
  EnsureSodiumInitialised();
}

std::string SodiumCrypto::Sha256Hex(std::string_view data) const {
  return civicgrid::Sha256Hex(data);
}

Result<std::string> SodiumCrypto::HashPassword(std::string_view password) const {
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), Chars(password), password.size(), ops_limit_, mem_limit_,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Fail(ErrorCode::kInternal, "password hashing failed (out of memory?)");
  }
  return std::string(out.data());
}

bool SodiumCrypto::VerifyPassword(std::string_view hash, std::string_view password) const {
  // libsodium wants a NUL-terminated string that fits its buffer.
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string terminated(hash);
  return crypto_pwhash_str_verify(terminated.c_str(), Chars(password), password.size()) == 0;
}

std::string SodiumCrypto::RandomToken() const {
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::array<char, sodium_base64_ENCODED_LEN(32, kVariant)> text{};
  sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(), kVariant);
  sodium_memzero(bytes.data(), bytes.size());
  return std::string(text.data());
}

}  // namespace civicgrid
