#include "crypto/secretbox_cipher.h"

#include <gtest/gtest.h>

namespace civicgrid {
namespace {

TEST(SecretboxCipherTest, SealsOpensAndBlindIndexes) {
  auto cipher = SecretboxCipher::FromKeyHex(GenerateSecretKeyHex());
  ASSERT_TRUE(cipher.has_value());
  const std::string id = "11010519491231002X";
  const std::string a = cipher->Seal(id);
  const std::string b = cipher->Seal(id);
  EXPECT_NE(a, b) << "a fresh nonce each time";
  EXPECT_EQ(a.find(id), std::string::npos);
  EXPECT_EQ(*cipher->Open(a), id);
  EXPECT_EQ(cipher->BlindIndex(id), cipher->BlindIndex(id)) << "deterministic";
  EXPECT_NE(cipher->BlindIndex(id), cipher->BlindIndex("110101199003070011"));
  EXPECT_EQ(cipher->BlindIndex(id).size(), 32u);
}

TEST(SecretboxCipherTest, AnotherKeyCannotOpenNorMatch) {
  auto one = SecretboxCipher::FromKeyHex(GenerateSecretKeyHex());
  auto two = SecretboxCipher::FromKeyHex(GenerateSecretKeyHex());
  ASSERT_TRUE(one && two);
  EXPECT_FALSE(two->Open(one->Seal("secret")).has_value());
  EXPECT_NE(one->BlindIndex("secret"), two->BlindIndex("secret"));
  EXPECT_FALSE(SecretboxCipher::FromKeyHex("abc").has_value());
}

}  // namespace
}  // namespace civicgrid
