// Reading answer files (or standard input) into an aggregate through the
// core's streaming reader, in fixed-size chunks so memory does not grow with
// the file.
#ifndef NPSKIT_CLI_INPUT_H
#define NPSKIT_CLI_INPUT_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "npskit/aggregate.h"
#include "npskit/reader.h"
#include "npskit/result.h"

namespace npskit::cli {

inline constexpr std::size_t chunk_bytes = 1 << 20;
// Smaller files read too fast for a progress line to be worth drawing.
inline constexpr std::uint64_t progress_threshold_bytes = std::uint64_t{4} * 1000 * 1000;

struct input_settings {
  // Column names; the format is chosen per file.
  reader_options columns;
  // Forced format; otherwise from the file extension, or sniffed from the
  // content for standard input and unknown extensions.
  std::optional<input_format> format;
  group_by by = group_by::none;
  // Not empty: the group of a record whose segment is blank (instead of
  // "(none)"), and JSON input in which no object has the segment key is read
  // as all blank rather than refused. `--by channel` uses it: answers
  // without a channel came from the page ("web").
  std::string blank_segment;
  // How dates are read for period groupings.
  date_options dates;
  // Draw a progress line on stderr for large files.
  bool progress = false;
};

struct input_result {
  aggregate data;
  std::uint64_t records = 0;
  std::uint64_t rejected = 0;
  std::vector<rejection> rejections;
};

// "-" reads standard input; comment themes are collected only when asked
// for. Errors (missing, unreadable or invalid file) name the file.
result<input_result> read_input(const std::string& path, const input_settings& settings,
                                bool collect_themes);

// True for the reader's error that no JSON object had the named segment key
// (the whole input was read, every segment blank).
bool is_missing_segment_key(const error& failure);

// How a path is named in messages: "standard input" for "-".
std::string input_name(const std::string& path);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_INPUT_H
