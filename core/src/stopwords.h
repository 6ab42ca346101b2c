// Stop words of the widget's locales for comment themes. Internal to the core.
#ifndef NPSKIT_SRC_STOPWORDS_H
#define NPSKIT_SRC_STOPWORDS_H

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace npskit::detail {

// True for a lower-cased word that carries no theme in any of en, sv, nb, da,
// fi, de, fr, es, pt, it, nl, pl, ar, he, zh-CN, ja: function words, and
// filler words (generic praise or complaint, thanks, hedges: "good", "nok",
// "bien", "gut", 不错, とても).
bool is_stop_word(std::string_view term);

// Fixed-size loads of unaligned bytes: a copy of a constant size compiles to
// one load, where a copy of a variable length is a library call.
inline std::uint64_t load8(const char* at) {
  std::uint64_t word = 0;
  std::memcpy(&word, at, 8);
  return word;
}

inline std::uint32_t load4(const char* at) {
  std::uint32_t word = 0;
  std::memcpy(&word, at, 4);
  return word;
}

// A quick hash of a short term, 8 bytes at a time: the stop words and the
// comment themes' term table look up every word of every comment with it, so
// it is inline.
inline std::size_t term_hash(std::string_view term) {
  // Whole 8-byte words, then the last 8 bytes again, overlapping; a term
  // shorter than 8 bytes as two overlapping 4-byte words or up to 3 bytes.
  const char* const data = term.data();
  const std::size_t size = term.size();
  std::uint64_t hash = size * 0x9E3779B97F4A7C15ULL;
  const auto mix = [&hash](std::uint64_t word) {
    hash = (hash ^ word) * 0xBF58476D1CE4E5B9ULL;
    hash ^= hash >> 31;
  };
  if (size >= 8) {
    std::size_t at = 0;
    for (; at + 8 <= size; at += 8) mix(load8(data + at));
    if (at < size) mix(load8(data + size - 8));
  } else if (size >= 4) {
    mix(std::uint64_t{load4(data)} | (std::uint64_t{load4(data + size - 4)} << 32));
  } else if (size > 0) {
    const auto byte = [data](std::size_t at) {
      return std::uint64_t{static_cast<unsigned char>(data[at])};
    };
    mix((byte(0) << 16) | (byte(size / 2) << 8) | byte(size - 1));
  }
  hash *= 0x94D049BB133111EBULL;
  // Both tables index by the low bits; fold the high ones into them.
  return static_cast<std::size_t>(hash ^ (hash >> 29) ^ (hash >> 47));
}

}  // namespace npskit::detail

#endif  // NPSKIT_SRC_STOPWORDS_H
