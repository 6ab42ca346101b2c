// The SIMD kernels behind byte_finder, one per instruction set, each in its
// own file so that only that file is compiled for its target. Not part of the
// public API.
#ifndef NPSKIT_SCAN_KERNELS_H
#define NPSKIT_SCAN_KERNELS_H

#include <array>
#include <cstdint>

namespace npskit::scan_detail {

constexpr std::size_t block_bytes = 64;
constexpr std::size_t watched_bytes = 4;

// Bit i of bits[k] is set when block[i] == bytes[k], for the 64 bytes of
// block (which must all be readable).
using block_kernel = void (*)(const char* block, const std::array<char, watched_bytes>& bytes,
                              std::array<std::uint64_t, watched_bytes>& bits);

// Each is null when the build has no such kernel (another architecture, or
// WebAssembly without -msimd128).
extern const block_kernel sse2_kernel;
extern const block_kernel avx2_kernel;
extern const block_kernel simd128_kernel;

// Whether this processor runs AVX2 instructions (false off x86).
bool cpu_has_avx2();

}  // namespace npskit::scan_detail

#endif  // NPSKIT_SCAN_KERNELS_H
