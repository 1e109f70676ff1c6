#include "crypto/sha256.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace civicgrid {
namespace {

// FIPS 180-2 appendix B and the NIST example values.
TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string(1'000'000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_EQ(Sha256Hex("小区东门井盖缺失"), HexOf(Sha256Portable("小区东门井盖缺失")));
}

// Every length across the padding's one- and two-block cases and several whole blocks, with
// random bytes: the fast path gives libsodium's digest.
TEST(Sha256Test, MatchesTheReferenceAtEveryLength) {
  std::mt19937_64 random(20261203);
  for (std::size_t length = 0; length <= 700; ++length) {
    std::string data(length, '\0');
    for (char& c : data) c = static_cast<char>(random());
    ASSERT_EQ(HexOf(Sha256(data)), HexOf(Sha256Portable(data))) << "length " << length;
  }
}

TEST(Sha256Test, UsesTheShaExtensionsWhereTheProcessorHasThem) {
  if (!Sha256UsesShaExtensions()) {
    GTEST_SKIP() << "this processor has no SHA extensions: Sha256 is libsodium's";
  }
  // Unaligned input: the fast path loads with unaligned reads.
  const std::string buffer = "x" + std::string(200, 'q');
  const std::string_view unaligned = std::string_view(buffer).substr(1);
  EXPECT_EQ(HexOf(Sha256(unaligned)), HexOf(Sha256Portable(unaligned)));
}

}  // namespace
}  // namespace civicgrid
