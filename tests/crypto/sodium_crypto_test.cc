#include "crypto/sodium_crypto.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

namespace civicgrid {
namespace {

SodiumCrypto FastCrypto() {
  return SodiumCrypto(SodiumCrypto::kOpsLimitMin, SodiumCrypto::kMemLimitMin);
}

TEST(SodiumCryptoTest, Sha256KnownVectors) {
  const SodiumCrypto crypto = FastCrypto();
  EXPECT_EQ(crypto.Sha256Hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(crypto.Sha256Hex(std::string_view()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(crypto.Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(crypto.Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(SodiumCryptoTest, PasswordHashVerifies) {
  const SodiumCrypto crypto = FastCrypto();
  const Result<std::string> hash = crypto.HashPassword("correct horse 电池");
  ASSERT_TRUE(hash.has_value());
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_TRUE(crypto.VerifyPassword(*hash, "correct horse 电池"));
  EXPECT_FALSE(crypto.VerifyPassword(*hash, "correct horse 电"));
  EXPECT_FALSE(crypto.VerifyPassword(*hash, ""));
  // Salted: the same password hashes differently, and both verify.
  const Result<std::string> again = crypto.HashPassword("correct horse 电池");
  ASSERT_TRUE(again.has_value());
  EXPECT_NE(*hash, *again);
  EXPECT_TRUE(crypto.VerifyPassword(*again, "correct horse 电池"));
}

TEST(SodiumCryptoTest, EmptyPasswordAndGarbageHashes) {
  const SodiumCrypto crypto = FastCrypto();
  const Result<std::string> hash = crypto.HashPassword("");
  ASSERT_TRUE(hash.has_value());
  EXPECT_TRUE(crypto.VerifyPassword(*hash, ""));
  EXPECT_FALSE(crypto.VerifyPassword(*hash, "x"));
  EXPECT_FALSE(crypto.VerifyPassword("", "x"));
  EXPECT_FALSE(crypto.VerifyPassword("not a hash", "x"));
  EXPECT_FALSE(crypto.VerifyPassword(std::string(500, '$'), "x"));
}

TEST(SodiumCryptoTest, DefaultCostIsInteractive) {
  const SodiumCrypto crypto;
  const Result<std::string> hash = crypto.HashPassword("pw");
  ASSERT_TRUE(hash.has_value());
  EXPECT_NE(hash->find("m=65536,t=2"), std::string::npos) << *hash;
  EXPECT_TRUE(crypto.VerifyPassword(*hash, "pw"));
}

TEST(SodiumCryptoTest, TokensAreUniqueUrlSafe43Chars) {
  const SodiumCrypto crypto = FastCrypto();
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string token = crypto.RandomToken();
    ASSERT_EQ(token.size(), 43u);
    for (char c : token) {
      ASSERT_TRUE((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_')
          << token;
    }
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(SodiumCryptoTest, ConcurrentUse) {
  std::vector<std::thread> threads;
  std::vector<std::string> tokens(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&tokens, i] {
      const SodiumCrypto crypto = FastCrypto();
      tokens[static_cast<std::size_t>(i)] = crypto.RandomToken();
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(std::set<std::string>(tokens.begin(), tokens.end()).size(), 8u);
}

}  // namespace
}  // namespace civicgrid
