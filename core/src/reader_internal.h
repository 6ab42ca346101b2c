// Internals shared by the CSV and JSON readers: the record emitter (sink,
// counters, rejections), field-value parsing and message formatting. Not part
// of the public API.
#ifndef NPSKIT_READER_INTERNAL_H
#define NPSKIT_READER_INTERNAL_H

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "npskit/rating.h"
#include "npskit/reader.h"
#include "npskit/result.h"
#include "npskit/text.h"

namespace npskit::reader_detail {

// Longest rejection reason kept; a reason quoting a huge malformed field must
// not make max_reported_rejections cost megabytes.
constexpr std::size_t max_reason_bytes = 300;
// Longest field value quoted inside a reason.
constexpr std::size_t max_quoted_value_bytes = 40;

// Names looked up when the caller names no column for a role; such a column
// may be absent.
constexpr std::string_view default_segment_columns[] = {"segment"};
constexpr std::string_view default_date_columns[] = {"submitted_at", "date", "timestamp",
                                                     "created_at"};
constexpr std::string_view default_comment_columns[] = {"comment"};
constexpr std::string_view default_type_columns[] = {"type"};
constexpr std::string_view default_csat_columns[] = {"csat"};
constexpr std::string_view default_ces_columns[] = {"ces"};
constexpr std::string_view default_id_columns[] = {"id"};
constexpr std::string_view default_answer_id_columns[] = {"answer_id"};

// Bounds of a quoted CSV value that goes on past its first line (documented
// in reader.h).
constexpr std::uint64_t max_quoted_lines = csv_max_quoted_lines;
constexpr std::size_t max_quoted_continuation_bytes = csv_max_quoted_continuation_bytes;

using text::is_blank;
using text::trim;

// ASCII case-insensitive comparison of two names after trimming both.
bool names_equal(std::string_view a, std::string_view b);
// Trimmed copy of an option's column name.
std::string normalized_name(std::string_view name);
// "; closest: \"survey_date\"" when one of the names found is likely what a
// misspelt name meant (a small edit distance, ignoring case), else "".
std::string closest_name_hint(std::string_view name, const std::vector<std::string_view>& found);

// A field value for a message: in double quotes, control characters and
// quotes escaped, shortened with "..." when long.
std::string quoted_value(std::string_view text);

enum class value_problem {
  none,
  empty,
  not_a_number,
  not_whole,
  out_of_range,
  negative,
  not_finite
};

// A score written as text: optional sign, digits, optional point (or comma
// when decimal_comma) with only zeros after it. "9", " 9 ", "9.0" give 9;
// "9.5" is not_whole; "11" and "-1" out_of_range.
value_problem parse_score_text(std::string_view text, bool decimal_comma, int& score);
// A weight written as text: a decimal number (optional exponent), finite and
// not negative.
value_problem parse_weight_text(std::string_view text, bool decimal_comma, double& weight);
// A CSAT or CES rating written as text, read like a score and then checked
// against the metric's scale (out_of_range off it).
value_problem parse_rating_text(std::string_view text, bool decimal_comma, rating_metric metric,
                                int& rating);
// "csat \"6\" must be an integer from 1 to 5", from the problem and the text.
std::string describe_rating_problem(rating_metric metric, value_problem problem,
                                    std::string_view shown);
// "score \"11\" is outside 0..10", from the problem and the (raw) text.
std::string describe_problem(std::string_view what, value_problem problem, std::string_view shown);

// Delivers records to the sink and keeps the counts and the first rejections.
class record_emitter {
 public:
  record_emitter(std::size_t max_reported, record_sink sink)
      : max_reported_(max_reported), sink_(std::move(sink)) {}

  void emit(const record_view& record) {
    status delivered = sink_(record);
    if (delivered) {
      ++records_;
    } else {
      reject(record.line, [&] { return delivered.error().message; });
    }
  }

  // Counts a rejection; the reason is built only when it will be kept.
  template <typename BuildReason>
  void reject(std::uint64_t line, BuildReason&& build_reason) {
    ++rejected_;
    if (rejections_.size() < max_reported_) {
      keep(line, build_reason());
    }
  }

  // How a parser shows the row being read, for the rejections kept; called
  // only when one is kept, so rows that are fine cost nothing.
  void describe_rows_with(std::function<std::string()> row_text) {
    row_text_ = std::move(row_text);
  }

  std::uint64_t records() const { return records_; }
  std::uint64_t rejected() const { return rejected_; }
  const std::vector<rejection>& rejections() const { return rejections_; }

 private:
  void keep(std::uint64_t line, std::string_view reason);

  std::size_t max_reported_;
  record_sink sink_;
  std::function<std::string()> row_text_;
  std::uint64_t records_ = 0;
  std::uint64_t rejected_ = 0;
  std::vector<rejection> rejections_;
};

// One input format after the byte order mark has been removed.
class format_parser {
 public:
  virtual ~format_parser() = default;
  // An error only when the input as a whole is unusable; the parser then
  // stays in that error.
  virtual status feed(std::string_view chunk) = 0;
  virtual status finish() = 0;
};

// Sees every well-formed row as named text values instead of records (the
// column profile): the parsers then look for no role column, and deliver
// nothing to the emitter's sink.
class column_observer {
 public:
  virtual ~column_observer() = default;
  // CSV: the header's names, once, before any row.
  virtual void header(const std::vector<std::string_view>& names) = 0;
  // CSV: a row's fields in header order; decimal_comma as for its scores.
  virtual void row(const std::vector<std::string_view>& fields, bool decimal_comma) = 0;
  // JSON: an object's scalar values by key, "properties" flattened into it;
  // null is blank. Valid only during the call.
  virtual void object(const std::vector<std::pair<std::string_view, std::string_view>>& fields) = 0;
};

std::unique_ptr<format_parser> make_csv_parser(const reader_options& options,
                                               record_emitter& emitter, scan_path path,
                                               column_observer* observer = nullptr);
// How a JSON element is turned into a record: a flat object straight from
// its bytes and anything else through a nlohmann/json document, or every
// element through a document (tests and fuzzers prove the two the same).
enum class json_element_reading { direct_when_flat, document_only };

std::unique_ptr<format_parser> make_json_array_parser(
    const reader_options& options, record_emitter& emitter, scan_path path,
    column_observer* observer = nullptr,
    json_element_reading reading = json_element_reading::direct_when_flat);
std::unique_ptr<format_parser> make_jsonl_parser(
    const reader_options& options, record_emitter& emitter, scan_path path,
    column_observer* observer = nullptr,
    json_element_reading reading = json_element_reading::direct_when_flat);

}  // namespace npskit::reader_detail

#endif  // NPSKIT_READER_INTERNAL_H
