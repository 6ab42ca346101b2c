// byte_finder: the readers' structural scan. It watches up to four bytes
// (say a delimiter, the quote and the two line-break bytes) and answers
// "where is the next one of these, from here?". The SIMD paths classify 64
// bytes at once into one bit mask per watched byte and keep the masks of that
// block, so the next questions inside it cost a shift and a bit scan instead
// of a loop over bytes; the scalar path is the plain loop. The quote state is
// carried by the caller (the tokenizer asks for the stops of the state it is
// in: delimiters and line breaks outside quotes, the quote and line breaks
// inside), so every path stops at the same bytes. Not part of the public API.
#ifndef NPSKIT_SCAN_FINDER_H
#define NPSKIT_SCAN_FINDER_H

#include <array>
#include <cstddef>
#include <cstdint>

#include "npskit/scan.h"
#include "scan_kernels.h"

namespace npskit::scan_detail {

class byte_finder {
 public:
  byte_finder() = default;
  // Watches bytes[0..3]; a byte may be repeated to watch fewer.
  byte_finder(scan_path path, const std::array<char, watched_bytes>& bytes);

  // Forgets the cached block. Must be called whenever the caller moves on to
  // another span of memory (a new chunk, a replay buffer), since the cache is
  // keyed by address.
  void new_span() {
    block_ = nullptr;
    block_size_ = 0;
  }

  // The first byte in [p, end) equal to a watched byte k whose bit (1 << k)
  // is set in `which`; end when there is none.
  const char* find(const char* p, const char* end, unsigned which) {
    if (kernel_ == nullptr) {
      while (p < end && (membership_[static_cast<unsigned char>(*p)] & which) == 0) {
        ++p;
      }
      return p;
    }
    while (p < end) {
      if (p < block_ || p >= block_ + block_size_) {
        load(p, end);
      }
      const auto offset = static_cast<unsigned>(p - block_);
      const std::uint64_t wanted = selected(which) >> offset;
      if (wanted != 0) {
        const char* const hit = p + __builtin_ctzll(wanted);
        return hit < end ? hit : end;
      }
      p = block_ + block_size_;
    }
    return end;
  }

  // The watched bytes from p on, for a caller that takes many stops in one
  // step: bit i of bits[k] is set when p[i] is watched byte k, for i < size.
  // size is at most 64 and at least 1 while p < end. Only on the SIMD paths
  // (blocks() is true); the scalar path answers find() alone.
  struct window {
    std::size_t size = 0;
    std::array<std::uint64_t, watched_bytes> bits{};
  };
  bool blocks() const { return kernel_ != nullptr; }
  window window_at(const char* p, const char* end) {
    if (p < block_ || p >= block_ + block_size_) {
      load(p, end);
    }
    const auto offset = static_cast<unsigned>(p - block_);
    window out;
    out.size = block_size_ - offset;
    std::uint64_t valid = ~std::uint64_t{0};
    // The block may reach past an end nearer than the one it was loaded for.
    if (static_cast<std::size_t>(end - p) < out.size) {
      out.size = static_cast<std::size_t>(end - p);
      valid = (std::uint64_t{1} << out.size) - 1;
    }
    for (std::size_t k = 0; k < watched_bytes; ++k) {
      out.bits[k] = (bits_[k] >> offset) & valid;
    }
    return out;
  }

 private:
  std::uint64_t selected(unsigned which) const {
    std::uint64_t any = 0;
    for (std::size_t k = 0; k < watched_bytes; ++k) {
      if ((which >> k) & 1U) {
        any |= bits_[k];
      }
    }
    return any;
  }

  void load(const char* p, const char* end);

  block_kernel kernel_ = nullptr;
  std::array<char, watched_bytes> bytes_{};
  // Bit k set for a byte equal to bytes_[k] (the scalar path's lookup).
  std::array<std::uint8_t, 256> membership_{};
  const char* block_ = nullptr;
  std::size_t block_size_ = 0;
  std::array<std::uint64_t, watched_bytes> bits_{};
};

}  // namespace npskit::scan_detail

#endif  // NPSKIT_SCAN_FINDER_H
