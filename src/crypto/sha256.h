// SHA-256 (FIPS 180-4). Every history row and audit record is hashed into its chain, so this is on
// the write path of every event and of the demo's millions of rows: on x86-64 processors with the
// SHA extensions it runs on them (several times faster than libsodium's portable code), elsewhere
// it is libsodium's.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace civicgrid {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest Sha256(std::string_view data);
// Lowercase hex of the digest (64 characters).
std::string Sha256Hex(std::string_view data);
std::string HexOf(const Sha256Digest& digest);

// The portable path alone (libsodium), as the reference the fast path is tested against.
Sha256Digest Sha256Portable(std::string_view data);
// Whether Sha256 uses the processor's SHA extensions on this machine.
bool Sha256UsesShaExtensions();

}  // namespace civicgrid
