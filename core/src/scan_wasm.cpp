// WebAssembly SIMD128 block kernel, present only in a build compiled with
// -msimd128 (the module that browsers with SIMD load; the other module and
// the wasm2js build scan byte by byte).
#include "scan_kernels.h"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace npskit::scan_detail {

#if defined(__wasm_simd128__)

namespace {

void simd128_block(const char* block, const std::array<char, watched_bytes>& bytes,
                   std::array<std::uint64_t, watched_bytes>& bits) {
  v128_t wanted[watched_bytes];
  for (std::size_t k = 0; k < watched_bytes; ++k) {
    wanted[k] = wasm_i8x16_splat(static_cast<std::int8_t>(bytes[k]));
    bits[k] = 0;
  }
  for (std::size_t at = 0; at < block_bytes; at += 16) {
    const v128_t data = wasm_v128_load(block + at);
    for (std::size_t k = 0; k < watched_bytes; ++k) {
      bits[k] |= std::uint64_t{wasm_i8x16_bitmask(wasm_i8x16_eq(data, wanted[k]))} << at;
    }
  }
}

}  // namespace

const block_kernel simd128_kernel = simd128_block;

#else

const block_kernel simd128_kernel = nullptr;

#endif

}  // namespace npskit::scan_detail
