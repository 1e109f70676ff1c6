#include "crypto/secret_box.h"

#include <gtest/gtest.h>

#include <string>

namespace civicgrid {
namespace {

SecretBox NewBox() {
  Result<SecretBox> box = SecretBox::FromKeyHex(GenerateSecretKeyHex());
  EXPECT_TRUE(box.has_value());
  return std::move(box).value();
}

TEST(SecretBoxTest, KeysAreFreshHex) {
  const std::string a = GenerateSecretKeyHex();
  const std::string b = GenerateSecretKeyHex();
  EXPECT_EQ(a.size(), 64u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos) << a;
  EXPECT_NE(a, b);
}

TEST(SecretBoxTest, RejectsBadKeys) {
  for (const std::string& key : {std::string(), std::string(63, 'a'), std::string(66, 'a'),
                                 std::string(64, 'g'), std::string(62, 'a') + "a "}) {
    const Result<SecretBox> box = SecretBox::FromKeyHex(key);
    ASSERT_FALSE(box.has_value()) << key;
    EXPECT_EQ(box.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(SecretBoxTest, RoundTrip) {
  const SecretBox box = NewBox();
  for (const std::string& text : {std::string(), std::string("11010519491231002X"),
                                  std::string("身份证号"), std::string(10000, 'z')}) {
    const std::string sealed = box.Seal(text);
    const Result<std::string> opened = box.Open(sealed);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    EXPECT_EQ(*opened, text);
  }
  // A fresh nonce each time.
  EXPECT_NE(box.Seal("same"), box.Seal("same"));
}

TEST(SecretBoxTest, SameKeyHexOpensAcrossInstances) {
  const std::string key = GenerateSecretKeyHex();
  const std::string sealed = SecretBox::FromKeyHex(key)->Seal("secret");
  const Result<std::string> opened = SecretBox::FromKeyHex(key)->Open(sealed);
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(*opened, "secret");
}

TEST(SecretBoxTest, DetectsTamperingAndWrongKeys) {
  const SecretBox box = NewBox();
  const std::string sealed = box.Seal("11010519491231002X");
  // Flip one base64 character at a time, everywhere: each change must be caught.
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    std::string altered = sealed;
    if (altered[i] == '=') continue;
    altered[i] = altered[i] == 'A' ? 'B' : 'A';
    const Result<std::string> opened = box.Open(altered);
    ASSERT_FALSE(opened.has_value()) << "position " << i;
    EXPECT_EQ(opened.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(opened.error().reason, "bad_ciphertext");
  }
  EXPECT_FALSE(NewBox().Open(sealed).has_value());
  EXPECT_FALSE(box.Open("").has_value());
  EXPECT_FALSE(box.Open("not base64 !").has_value());
  EXPECT_FALSE(box.Open("AAAA").has_value());
  EXPECT_FALSE(box.Open(sealed.substr(0, sealed.size() - 4)).has_value());
}

}  // namespace
}  // namespace civicgrid
