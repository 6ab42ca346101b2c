// How the readers find the bytes that structure their input (quotes,
// delimiters, line breaks, string escapes): byte by byte, or 16 or 32 bytes
// at a time with SIMD instructions. Every path gives the same records,
// rejections and errors; they differ only in speed.
#ifndef NPSKIT_SCAN_H
#define NPSKIT_SCAN_H

#include <cstdint>
#include <vector>

namespace npskit {

enum class scan_path : std::uint8_t {
  scalar,   // one byte at a time; every build, every machine
  sse2,     // x86-64, 16 bytes at a time
  avx2,     // x86-64 with AVX2, 32 bytes at a time
  simd128,  // WebAssembly built with -msimd128, 16 bytes at a time
};

const char* to_string(scan_path value);  // "scalar", "sse2", "avx2", "simd128"

// The fastest path this build can run on this machine (checked at run time).
scan_path fastest_scan_path();

// Every path this build can run on this machine, scalar first, fastest last.
std::vector<scan_path> available_scan_paths();

}  // namespace npskit

#endif  // NPSKIT_SCAN_H
