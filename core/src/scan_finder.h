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
