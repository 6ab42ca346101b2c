// Shared body of the reader fuzz targets. An input is the text to read
// followed by three control bytes: option flags, then the split point (16
// bits, little endian, modulo the text length + 1). The text is read three
// ways, whole, in two chunks cut at the split point, and one byte at a time,
// and the three outcomes must be identical; each must also respect the
// reader's documented limits. The text is also read whole and in two chunks on
// every SIMD scan path the machine runs, and must give the scalar path's
// outcome there too. Any difference aborts, which libFuzzer reports
// as a crash with the input that caused it. JSON texts are also read with
// every element parsed into a nlohmann/json document, which must give what
// the direct reading of flat objects gives, to the last field.
#ifndef NPSKIT_FUZZ_READER_H
#define NPSKIT_FUZZ_READER_H

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "npskit/reader.h"
#include "reader_internal.h"

namespace npskit::fuzz {

constexpr std::size_t control_bytes = 3;

struct fuzz_input {
  std::string_view text;
  reader_options options;
  std::size_t split = 0;
  bool refuse_x = false;
};

// Flags: bit 0 reads a "weight" column, bit 1 keeps only one rejection,
// bit 2 makes the sink refuse records whose segment is "x", bit 3 names the
// score column "Rating " to exercise the name matching, bit 4 turns csv into
// tsv (which only changes the delimiter preferred on a tie).
inline fuzz_input decode(input_format format, const std::uint8_t* data, std::size_t size) {
  fuzz_input input;
  input.options.format = format;
  if (size < control_bytes) {
    input.text = std::string_view(reinterpret_cast<const char*>(data), size);
    return input;
  }
  const std::size_t text_size = size - control_bytes;
  input.text = std::string_view(reinterpret_cast<const char*>(data), text_size);
  const std::uint8_t flags = data[text_size];
  const std::size_t split = data[text_size + 1] | (std::size_t{data[text_size + 2]} << 8);
  input.split = split % (text_size + 1);
  if (flags & 1) {
    input.options.weight_column = "weight";
  }
  if (flags & 2) {
    input.options.max_reported_rejections = 1;
  }
  input.refuse_x = (flags & 4) != 0;
  if (flags & 8) {
    input.options.score_column = "Rating ";
  }
  if ((flags & 16) && format == input_format::csv) {
    input.options.format = input_format::tsv;
  }
  return input;
}

struct record_copy {
  record_type type;
  int score;
  double weight;
  std::string segment;
  std::string timestamp;
  std::string comment;
  std::uint64_t line;
  int csat;
  int ces;

  bool operator==(const record_copy& other) const {
    return type == other.type && score == other.score &&
           std::memcmp(&weight, &other.weight, sizeof weight) == 0 && segment == other.segment &&
           timestamp == other.timestamp && comment == other.comment && line == other.line &&
           csat == other.csat && ces == other.ces;
  }
};

struct outcome {
  std::vector<record_copy> records;
  std::vector<std::pair<std::uint64_t, std::string>> rejections;
  std::uint64_t records_counted = 0;
  std::uint64_t rejected = 0;
  std::uint64_t bytes = 0;
  std::optional<std::pair<error_code, std::string>> failure;

  bool operator==(const outcome& other) const {
    return records == other.records && rejections == other.rejections &&
           records_counted == other.records_counted && rejected == other.rejected &&
           bytes == other.bytes && failure == other.failure;
  }
};

[[noreturn]] inline void fail(const char* what, std::string_view text) {
  std::fprintf(stderr, "reader fuzz check failed: %s (text of %zu bytes)\n", what, text.size());
  std::abort();
}

inline bool valid_utf8(std::string_view text) {
  std::size_t at = 0;
  while (at < text.size()) {
    const auto lead = static_cast<unsigned char>(text[at]);
    std::size_t length = lead < 0x80                    ? 1
                         : lead >= 0xC2 && lead <= 0xDF ? 2
                         : lead >= 0xE0 && lead <= 0xEF ? 3
                         : lead >= 0xF0 && lead <= 0xF4 ? 4
                                                        : 0;
    if (length == 0 || at + length > text.size()) {
      return false;
    }
    for (std::size_t i = 1; i < length; ++i) {
      if ((static_cast<unsigned char>(text[at + i]) & 0xC0) != 0x80) {
        return false;
      }
    }
    at += length;
  }
  return true;
}

inline outcome read(const fuzz_input& input, const std::vector<std::string_view>& chunks,
                    scan_path path = scan_path::scalar) {
  outcome result;
  auto created = reader::create(
      input.options,
      [&](const record_view& value) -> status {
        if (input.refuse_x && value.segment == "x") {
          return make_error(error_code::invalid_record, "segment x refused");
        }
        result.records.push_back(
            record_copy{value.type, value.score, value.weight, std::string(value.segment),
                        std::string(value.timestamp), std::string(value.comment), value.line,
                        value.csat, value.ces});
        return ok{};
      },
      path);
  if (!created) {
    fail("reader::create refused valid options", input.text);
  }
  reader& source = *created;
  // Every chunk is pushed even after an error: the error must stick, and
  // bytes() must still count everything.
  const auto note = [&](const status& outcome) {
    if (outcome) {
      if (result.failure) {
        fail("a call after an error succeeded", input.text);
      }
      return;
    }
    const auto failure = std::make_pair(outcome.error().code, outcome.error().message);
    if (!result.failure) {
      result.failure = failure;
    } else if (*result.failure != failure) {
      fail("a call after an error returned a different error", input.text);
    }
  };
  for (std::string_view chunk : chunks) {
    note(source.push(chunk));
  }
  note(source.finish());
  result.records_counted = source.records();
  result.rejected = source.rejected();
  result.bytes = source.bytes();
  for (const rejection& item : source.rejections()) {
    result.rejections.emplace_back(item.line, item.reason);
  }
  return result;
}

// What every outcome must satisfy whatever the input.
inline void check_limits(const fuzz_input& input, const outcome& result) {
  if (result.records_counted != result.records.size()) {
    fail("records() differs from the records the sink accepted", input.text);
  }
  const std::uint64_t kept = result.rejected < input.options.max_reported_rejections
                                 ? result.rejected
                                 : input.options.max_reported_rejections;
  if (result.rejections.size() != kept) {
    fail("rejections() does not hold the first max_reported_rejections", input.text);
  }
  std::uint64_t previous_line = 1;
  for (const record_copy& record : result.records) {
    const bool response = record.type == record_type::response;
    const bool rating_only =
        response && record.score == -1 && (record.csat != 0 || record.ces != 0);
    if (response ? (record.score < 0 || record.score > 10) && !rating_only : record.score != -1) {
      fail("score outside 0..10 (or not -1 for a dismissal or a rating-only answer)", input.text);
    }
    if (!std::isfinite(record.weight) || record.weight < 0) {
      fail("weight negative or not finite", input.text);
    }
    if (record.line < previous_line) {
      fail("record lines go backwards", input.text);
    }
    previous_line = record.line;
  }
  previous_line = 1;
  for (const auto& [line, reason] : result.rejections) {
    if (line < previous_line) {
      fail("rejection lines go backwards", input.text);
    }
    previous_line = line;
    const std::string prefix = "line " + std::to_string(line) + ": ";
    if (reason.compare(0, prefix.size(), prefix) != 0) {
      fail("rejection reason does not start with its line", input.text);
    }
    if (!valid_utf8(reason) || reason.size() > prefix.size() + 300) {
      fail("rejection reason is not short valid UTF-8", input.text);
    }
  }
  if (result.bytes != input.text.size()) {
    fail("bytes() differs from the bytes pushed", input.text);
  }
}

// CSV rows, the header included, start on distinct lines, even after a row
// with a stray quote is given up and the lines it ran over are read again:
// no line is counted twice and none lies beyond the input.
inline void check_rows_on_distinct_lines(const fuzz_input& input, const outcome& result) {
  std::uint64_t lines = 1;
  for (std::size_t i = 0; i < input.text.size(); ++i) {
    const char c = input.text[i];
    const bool crlf = c == '\r' && i + 1 < input.text.size() && input.text[i + 1] == '\n';
    if ((c == '\n' || c == '\r') && !crlf) {
      ++lines;
    }
  }
  std::vector<std::uint64_t> starts;
  for (const record_copy& record : result.records) {
    starts.push_back(record.line);
  }
  for (const auto& [line, reason] : result.rejections) {
    starts.push_back(line);
  }
  std::sort(starts.begin(), starts.end());
  for (std::size_t i = 0; i < starts.size(); ++i) {
    if (starts[i] < 2 || starts[i] > lines || (i > 0 && starts[i] == starts[i - 1])) {
      fail("a row starts on the header's line, past the input or on another row's line",
           input.text);
    }
  }
}

// Reads the input whole, in two chunks and byte by byte on the scalar path,
// then whole and in two chunks on every other scan path; returns the outcome
// of the whole scalar read after checking that all of them agree.
inline outcome check_chunking(const fuzz_input& input) {
  const outcome whole = read(input, {input.text});
  check_limits(input, whole);

  const std::vector<std::string_view> halves = {input.text.substr(0, input.split),
                                                input.text.substr(input.split)};
  if (!(read(input, halves) == whole)) {
    std::fprintf(stderr, "split at byte %zu\n", input.split);
    fail("two chunks read differently from one", input.text);
  }
  for (scan_path path : available_scan_paths()) {
    if (path == scan_path::scalar) {
      continue;
    }
    if (!(read(input, {input.text}, path) == whole)) {
      std::fprintf(stderr, "scan path %s\n", to_string(path));
      fail("a SIMD scan path read differently from the scalar one", input.text);
    }
    if (!(read(input, halves, path) == whole)) {
      std::fprintf(stderr, "scan path %s, split at byte %zu\n", to_string(path), input.split);
      fail("a SIMD scan path read two chunks differently from the scalar whole", input.text);
    }
  }
  std::vector<std::string_view> bytes;
  bytes.reserve(input.text.size());
  for (std::size_t i = 0; i < input.text.size(); ++i) {
    bytes.push_back(input.text.substr(i, 1));
  }
  if (!(read(input, bytes) == whole)) {
    fail("byte-by-byte read differs from one chunk", input.text);
  }
  return whole;
}

// Every field of a record, the ones only JSON fills included.
struct full_record {
  record_copy common;
  std::string id;
  std::string answer_id;
  std::vector<std::string> segments;

  bool operator==(const full_record& other) const {
    return common == other.common && id == other.id && answer_id == other.answer_id &&
           segments == other.segments;
  }
};

struct element_outcome {
  std::vector<full_record> records;
  std::vector<rejection> rejections;
  std::uint64_t records_counted = 0;
  std::uint64_t rejected = 0;
  std::optional<std::pair<error_code, std::string>> failure;

  bool operator==(const element_outcome& other) const {
    if (rejections.size() != other.rejections.size()) {
      return false;
    }
    for (std::size_t i = 0; i < rejections.size(); ++i) {
      if (rejections[i].line != other.rejections[i].line ||
          rejections[i].reason != other.rejections[i].reason ||
          rejections[i].text != other.rejections[i].text) {
        return false;
      }
    }
    return records == other.records && records_counted == other.records_counted &&
           rejected == other.rejected && failure == other.failure;
  }
};

// A JSON or JSONL text read by the format parser itself with the given way
// of reading elements, stopping at the first error as reader::push does.
inline element_outcome read_elements(const fuzz_input& input, const reader_options& options,
                                     const std::vector<std::string_view>& chunks,
                                     reader_detail::json_element_reading reading) {
  element_outcome result;
  reader_detail::record_emitter emitter(
      options.max_reported_rejections, [&](const record_view& value) -> status {
        if (input.refuse_x && value.segment == "x") {
          return make_error(error_code::invalid_record, "segment x refused");
        }
        full_record copy{record_copy{value.type, value.score, value.weight,
                                     std::string(value.segment), std::string(value.timestamp),
                                     std::string(value.comment), value.line, value.csat, value.ces},
                         std::string(value.id),
                         std::string(value.answer_id),
                         {}};
        for (std::size_t i = 0; i < value.segment_count; ++i) {
          copy.segments.emplace_back(value.segments[i]);
        }
        result.records.push_back(std::move(copy));
        return ok{};
      });
  const auto parser = options.format == input_format::json
                          ? reader_detail::make_json_array_parser(
                                options, emitter, fastest_scan_path(), nullptr, reading)
                          : reader_detail::make_jsonl_parser(options, emitter, fastest_scan_path(),
                                                             nullptr, reading);
  const auto note = [&](const status& outcome) {
    if (!outcome) {
      result.failure = std::make_pair(outcome.error().code, outcome.error().message);
    }
  };
  for (std::string_view chunk : chunks) {
    if (!result.failure) {
      note(parser->feed(chunk));
    }
  }
  if (!result.failure) {
    note(parser->finish());
  }
  result.records_counted = emitter.records();
  result.rejected = emitter.rejected();
  result.rejections = emitter.rejections();
  return result;
}

// Flat objects read straight from their bytes give exactly what the
// nlohmann/json document of every element gives, whole and in two chunks.
// The option flags' upper bits name more keys, so lookups in "properties",
// several segments, ratings and named keys that hold objects are compared
// too: bit 5 asks for two segment keys, bit 6 takes CSAT from "properties"
// and dates from "Date", bit 7 takes comments from "n" and types from "kind".
inline void check_direct_reading(const fuzz_input& input, std::uint8_t flags) {
  reader_options options = input.options;
  if (flags & 32) {
    options.segment_columns = {"segment", "Region"};
  }
  if (flags & 64) {
    options.csat_column = "properties";
    options.date_column = "Date";
  }
  if (flags & 128) {
    options.comment_column = "n";
    options.type_column = "kind";
  }
  const std::vector<std::string_view> halves = {input.text.substr(0, input.split),
                                                input.text.substr(input.split)};
  for (const auto& chunks : {std::vector<std::string_view>{input.text}, halves}) {
    const element_outcome direct = read_elements(
        input, options, chunks, reader_detail::json_element_reading::direct_when_flat);
    const element_outcome document =
        read_elements(input, options, chunks, reader_detail::json_element_reading::document_only);
    if (!(direct == document)) {
      std::fprintf(stderr, "split at byte %zu of %zu chunks, flags %u\n", input.split,
                   chunks.size(), unsigned{flags});
      fail("flat objects read directly differ from their nlohmann/json documents", input.text);
    }
  }
}

}  // namespace npskit::fuzz

#endif  // NPSKIT_FUZZ_READER_H
