// What the columns of a file hold, from its first bytes: each column's name,
// a few of its values and what they look like, so that a form can suggest
// which column is the score, the date or the comment whatever the columns
// are called. The file is read by the same readers as for a summary (the
// same delimiter detection, quotes and byte order mark; JSON keys, also those
// inside "properties").
#ifndef NPSKIT_COLUMNS_H
#define NPSKIT_COLUMNS_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "npskit/reader.h"
#include "npskit/result.h"
#include "npskit/scan.h"

namespace npskit {

// Longest sample value kept, in bytes; a longer one is cut on a character
// boundary and ends with "...".
inline constexpr std::size_t max_sample_bytes = 40;
// Sample values kept per column.
inline constexpr std::size_t max_samples = 3;
// A column with at most this many distinct values, each seen on average
// twice or more, is a segment candidate.
inline constexpr std::size_t max_segment_values = 20;

// Each "all" flag holds for a column with at least one non-blank value when
// every non-blank value read has that shape; blank values are ignored.
struct column_profile {
  std::string name;  // as in the header or key, trimmed
  // Up to max_samples distinct non-blank values in file order, trimmed and
  // shortened to max_sample_bytes, valid UTF-8.
  std::vector<std::string> samples;
  std::uint64_t values = 0;    // non-blank values read
  std::uint64_t distinct = 0;  // distinct non-blank values (counting stops past 1000)
  bool scores = false;         // all whole numbers 0..10, as a score is read: a score candidate
  bool csat = false;           // all whole numbers 1..5: a CSAT candidate
  bool ces = false;            // all whole numbers 1..7: a CES candidate
  bool numbers = false;        // all numbers
  bool dates = false;          // all dates or timestamps (ISO-8601, D.M.YYYY, M/D/YYYY)
  // Not numbers or dates, and long or varied like written answers: a comment
  // candidate.
  bool free_text = false;
  // Not free text, and few distinct values that repeat: a segment candidate.
  bool few_values = false;
};

struct columns_profile {
  std::vector<column_profile> columns;  // in header (first-seen key) order
  std::uint64_t rows = 0;               // rows or objects read
};

struct profile_options {
  input_format format = input_format::csv;
  // The bytes are the start of a longer file: a last line (or JSON element)
  // cut short is left out, and a JSON array need not be closed.
  bool truncated = false;
  std::size_t max_rows = 1000;  // rows read at most
  // Every path gives the same profile; the fuzz target compares them.
  scan_path path = fastest_scan_path();
};

// Profiles the columns of first_bytes. Error when nothing can be read as
// columns: no header row, UTF-16 text, a JSON document that is not an array
// of objects.
result<columns_profile> profile_columns(std::string_view first_bytes,
                                        const profile_options& options);

// {"rows", "columns": [{"name", "samples", "values", "distinct", "scores",
// "csat", "ces", "numbers", "dates", "free_text", "few_values"}]}: what the
// command and the WebAssembly module answer.
std::string to_json(const columns_profile& value);

}  // namespace npskit

#endif  // NPSKIT_COLUMNS_H
