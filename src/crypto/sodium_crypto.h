// Crypto port adapter on libsodium: SHA-256, argon2id password hashes, random tokens.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/ports/crypto.h"

namespace civicgrid {

// Thread-safe; libsodium is initialised once on first construction.
class SodiumCrypto : public Crypto {
 public:
  // libsodium's argon2id limits (checked against its macros in the .cc): INTERACTIVE costs
  // ~64 MiB and tens of ms per hash; MIN is for tests only.
  static constexpr unsigned long long kOpsLimitInteractive = 2;
  static constexpr std::size_t kMemLimitInteractive = 64 * 1024 * 1024;
  static constexpr unsigned long long kOpsLimitMin = 1;
  static constexpr std::size_t kMemLimitMin = 8192;

  // Limits below the MIN values are raised to them.
  explicit SodiumCrypto(unsigned long long ops_limit = kOpsLimitInteractive,
                        std::size_t mem_limit = kMemLimitInteractive);

  std::string Sha256Hex(std::string_view data) const override;
  // Fails with kInternal when libsodium cannot hash (out of memory).
  Result<std::string> HashPassword(std::string_view password) const override;
  // False for a wrong password and for a hash that is not a libsodium argon2 string.
  bool VerifyPassword(std::string_view hash, std::string_view password) const override;
  std::string RandomToken() const override;

 private:
  unsigned long long ops_limit_;
  std::size_t mem_limit_;
};

// Initialises libsodium once (thread-safe); aborts if it cannot, as nothing is safe then.
void EnsureSodiumInitialised();

}  // namespace civicgrid
