// Choice of the scan path and the block loading shared by every SIMD path.
#include <cstring>

#include "scan_finder.h"

namespace npskit {

const char* to_string(scan_path value) {
  switch (value) {
    case scan_path::scalar:
      return "scalar";
    case scan_path::sse2:
      return "sse2";
    case scan_path::avx2:
      return "avx2";
    case scan_path::simd128:
      return "simd128";
  }
  return "scalar";
}

std::vector<scan_path> available_scan_paths() {
  std::vector<scan_path> paths{scan_path::scalar};
  if (scan_detail::sse2_kernel != nullptr) {
    paths.push_back(scan_path::sse2);
  }
  if (scan_detail::avx2_kernel != nullptr && scan_detail::cpu_has_avx2()) {
    paths.push_back(scan_path::avx2);
  }
  if (scan_detail::simd128_kernel != nullptr) {
    paths.push_back(scan_path::simd128);
  }
  return paths;
}

scan_path fastest_scan_path() { return available_scan_paths().back(); }

namespace scan_detail {

namespace {

// A path this build or machine cannot run falls back to the scalar loop,
// which gives the same answers.
block_kernel kernel_for(scan_path path) {
  switch (path) {
    case scan_path::scalar:
      return nullptr;
    case scan_path::sse2:
      return sse2_kernel;
    case scan_path::avx2:
      return avx2_kernel != nullptr && cpu_has_avx2() ? avx2_kernel : nullptr;
    case scan_path::simd128:
      return simd128_kernel;
  }
  return nullptr;
}

}  // namespace

byte_finder::byte_finder(scan_path path, const std::array<char, watched_bytes>& bytes)
    : kernel_(kernel_for(path)), bytes_(bytes) {
  for (std::size_t k = 0; k < watched_bytes; ++k) {
    membership_[static_cast<unsigned char>(bytes[k])] |= static_cast<std::uint8_t>(1U << k);
  }
}

void byte_finder::load(const char* p, const char* end) {
  const auto available = static_cast<std::size_t>(end - p);
  block_ = p;
  if (available >= block_bytes) {
    block_size_ = block_bytes;
    kernel_(p, bytes_, bits_);
    return;
  }
  // The last bytes of a span: classify a zero-padded copy, then drop the bits
  // of the padding (a watched byte may be '\0').
  char padded[block_bytes] = {};
  std::memcpy(padded, p, available);
  block_size_ = available;
  kernel_(padded, bytes_, bits_);
  const std::uint64_t valid = (std::uint64_t{1} << available) - 1;
  for (std::uint64_t& mask : bits_) {
    mask &= valid;
  }
}

}  // namespace scan_detail

}  // namespace npskit
