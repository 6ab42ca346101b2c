// Streaming readers for CSV/TSV (delimiter auto-detected among , ; tab; UTF-8
// BOM; CRLF; RFC 4180 quotes with embedded delimiters and newlines), JSON
// arrays of objects and JSONL. Input arrives in chunks split at any byte;
// every chunking yields the same records. Bad rows are rejected with their
// line number and reason, and reading goes on.
#ifndef NPSKIT_READER_H
#define NPSKIT_READER_H

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "npskit/result.h"
#include "npskit/scan.h"

namespace npskit {

enum class input_format { csv, tsv, json, jsonl };

const char* to_string(input_format value);  // "csv", "tsv", "json", "jsonl"
result<input_format> parse_input_format(std::string_view name);
// From a file name's extension (.csv .tsv .tab .txt .json .jsonl .ndjson);
// nullopt when unknown.
std::optional<input_format> format_from_path(std::string_view path);

enum class record_type { response, dismissal };

// One answer as read. Views are valid only during the sink call.
//
// What the readers accept (the same for every format unless noted):
// - a score is a number or text holding a whole number 0..10: "9", " 9 ",
//   "9.0", and in CSV whose delimiter is not a comma also "9,0"; "9.5",
//   "1e1", "11" and "" are rejected with the reason;
// - a weight is a finite number >= 0 (text with an optional exponent, and a
//   decimal comma as for scores); a dismissal needs no score or weight;
// - a type value of "dismissal" (any case) makes a dismissal; any other type
//   is a response;
// - segment, date and comment are trimmed; in JSON, numbers and booleans are
//   taken as written, null, objects and arrays give no text;
// - CSV rows whose fields are all blank, and blank JSONL lines, are skipped.
//
// CSAT and CES (the readers take them from the "csat" and "ces" columns or
// keys unless others are named): a rating on its scale, 1..5 or 1..7, as
// text or number like a score; blank or null is no rating. A response whose
// score is blank or absent but that has a rating is a rating-only answer
// (score -1). A JSON object with "metric": "csat" or "ces" has its rating in
// the score key; with "answer_id" it is a companion completing that answer.
struct record_view {
  record_type type = record_type::response;
  int score = -1;  // 0..10 for an NPS answer; -1 for a dismissal or a rating-only answer
  double weight = 1;
  std::string_view segment;
  std::string_view timestamp;
  std::string_view comment;
  std::uint64_t line = 0;      // 1-based line where the record starts
  int csat = 0;                // 1..5, or 0 without a CSAT rating
  int ces = 0;                 // 1..7, or 0 without a CES rating
  std::string_view id;         // the answer's id ("id"), when the input has one
  std::string_view answer_id;  // a companion: the id of the NPS answer it completes
  // With several segment columns (reader_options::segment_columns), their
  // trimmed values in that order; segment is then the first of them.
  const std::string_view* segments = nullptr;
  std::size_t segment_count = 0;
};

// A quoted CSV value may go on over at most this many lines, and take at
// most this many bytes on the lines after its first. A quote still open past
// either bound, or at the end of the input, or one that leaves its row with
// the wrong number of fields after running over several lines, is taken as a
// stray quote: that row alone is rejected (naming its line) and reading goes
// on with the next line, so the lines the quote ran over are still read.
inline constexpr std::uint64_t csv_max_quoted_lines = 100;
inline constexpr std::size_t csv_max_quoted_continuation_bytes = std::size_t{1} << 20;

// Column (CSV header) or key (JSON) names. Matching ignores case and
// surrounding spaces. For JSON, a key missing at the top level is also looked
// up in "properties" (the widget's payload keeps segments there).
//
// A column named here must exist: a CSV header without it, or JSON input in
// which no object has the key, fails with missing_column, naming the columns
// (keys) found and the closest one. The score column always needs to exist.
// An empty segment, date, comment or type name means the default names,
// which may be absent; so do empty csat and ces names. Input without a score
// column but with a CSAT or CES column holds rating-only answers.
struct reader_options {
  input_format format = input_format::csv;
  std::string score_column = "score";
  std::string weight_column;   // empty: unweighted
  std::string segment_column;  // empty: "segment"
  // Several segment columns, each of which must exist; when not empty it
  // replaces segment_column and every record carries all their values.
  std::vector<std::string> segment_columns;
  std::string date_column;     // empty: "submitted_at", "date", "timestamp", "created_at"
  std::string comment_column;  // empty: "comment"
  std::string type_column;     // empty: "type"; "dismissal" rows count as dismissals
  std::string csat_column;     // empty: "csat"
  std::string ces_column;      // empty: "ces"
  std::size_t max_reported_rejections = 100;
};

struct rejection {
  std::uint64_t line = 0;
  // Starts with the line, e.g. "line 7: score \"11\" is outside 0..10";
  // valid UTF-8, at most a few hundred bytes.
  std::string reason;
  // The row as read (a CSV row's fields joined by its delimiter, a JSON
  // element or JSONL line), valid UTF-8 cut to about max_rejected_text_bytes
  // with "..." when longer; empty when the row itself could not be kept.
  std::string text;
};
inline constexpr std::size_t max_rejected_text_bytes = 120;

// The sink may refuse a record (e.g. an unparseable date when grouping by
// period); the reader then counts it as rejected with the sink's reason.
using record_sink = std::function<status(const record_view&)>;

class reader {
 public:
  // Error for inconsistent options (e.g. empty score column name).
  static result<reader> create(const reader_options& options, record_sink sink);
  // The same reader scanning its input with the given path instead of the
  // fastest one (tests and benchmarks compare them; the outcome is the same).
  static result<reader> create(const reader_options& options, record_sink sink, scan_path path);

  reader(reader&&) noexcept;
  reader& operator=(reader&&) noexcept;
  ~reader();

  // Feeds the next chunk. An error is returned only when the input as a whole
  // is unusable (no score column in the header, a JSON document that is not
  // an array of objects); bad rows are rejections, not errors.
  status push(std::string_view chunk);
  // Flushes a final unterminated row and checks the input is complete.
  status finish();

  std::uint64_t records() const;   // records delivered to the sink
  std::uint64_t rejected() const;  // rows rejected
  // The first max_reported_rejections rejections, in input order.
  const std::vector<rejection>& rejections() const;
  std::uint64_t bytes() const;  // bytes pushed so far

 private:
  struct state;
  explicit reader(std::unique_ptr<state> impl);
  std::unique_ptr<state> impl_;
};

}  // namespace npskit

#endif  // NPSKIT_READER_H
