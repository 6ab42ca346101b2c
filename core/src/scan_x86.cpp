// SSE2 and AVX2 block kernels. Built for the baseline x86-64 target: the AVX2
// kernel carries its own target attribute and runs only after cpu_has_avx2().
#include "scan_kernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace npskit::scan_detail {

#if defined(__x86_64__) || defined(__i386__)

namespace {

__attribute__((target("sse2"))) void sse2_block(const char* block,
                                                const std::array<char, watched_bytes>& bytes,
                                                std::array<std::uint64_t, watched_bytes>& bits) {
  __m128i wanted[watched_bytes];
  for (std::size_t k = 0; k < watched_bytes; ++k) {
    wanted[k] = _mm_set1_epi8(bytes[k]);
    bits[k] = 0;
  }
  for (std::size_t at = 0; at < block_bytes; at += 16) {
    const __m128i data = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + at));
    for (std::size_t k = 0; k < watched_bytes; ++k) {
      const auto found =
          static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(data, wanted[k])));
      bits[k] |= std::uint64_t{found} << at;
    }
  }
}

__attribute__((target("avx2"))) void avx2_block(const char* block,
                                                const std::array<char, watched_bytes>& bytes,
                                                std::array<std::uint64_t, watched_bytes>& bits) {
  __m256i wanted[watched_bytes];
  for (std::size_t k = 0; k < watched_bytes; ++k) {
    wanted[k] = _mm256_set1_epi8(bytes[k]);
    bits[k] = 0;
  }
  for (std::size_t at = 0; at < block_bytes; at += 32) {
    const __m256i data = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + at));
    for (std::size_t k = 0; k < watched_bytes; ++k) {
      const auto found =
          static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(data, wanted[k])));
      bits[k] |= std::uint64_t{found} << at;
    }
  }
}

}  // namespace

const block_kernel sse2_kernel = sse2_block;
const block_kernel avx2_kernel = avx2_block;

bool cpu_has_avx2() { return __builtin_cpu_supports("avx2") != 0; }

#else

const block_kernel sse2_kernel = nullptr;
const block_kernel avx2_kernel = nullptr;

bool cpu_has_avx2() { return false; }

#endif

}  // namespace npskit::scan_detail
