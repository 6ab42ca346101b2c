// Column profiles: the readers' parsers run with a column observer, so the
// columns are cut exactly as a summary would cut them, and each value is
// judged with the readers' own score, number and date rules.
#include "npskit/columns.h"

#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "reader_internal.h"
#include "timestamp.h"
#include "utf8.h"

namespace npskit {

namespace {

using reader_detail::value_problem;

// Distinct values are counted up to this many per column; enough to tell a
// handful of segments from written answers.
constexpr std::size_t max_distinct_counted = 1000;
// Average length in characters from which varied text reads as written answers.
constexpr std::size_t free_text_average_characters = 15;

bool is_date(std::string_view text) {
  using timestamp_detail::parse_timestamp;
  using timestamp_detail::syntax;
  return !parse_timestamp(text, syntax::file, date_order::day_month_year).problem ||
         !parse_timestamp(text, syntax::file, date_order::month_day_year).problem;
}

// What the values of one column have looked like so far.
class column_tally {
 public:
  explicit column_tally(std::string_view name) : name_(reader_detail::trim(name)) {}

  const std::string& name() const { return name_; }

  void see(std::string_view given, bool decimal_comma) {
    const std::string_view text = reader_detail::trim(given);
    if (text.empty()) return;
    ++values_;
    characters_ += utf8::is_valid(text) ? utf8::character_count(text) : text.size();
    spaced_ += text.find(' ') != std::string_view::npos ? 1 : 0;
    if (distinct_.size() < max_distinct_counted) {
      const bool fresh = distinct_.emplace(text).second;
      if (fresh && samples_.size() < max_samples) {
        samples_.push_back(utf8::sanitized(text, max_sample_bytes));
      }
    }
    int score = 0;
    const bool whole =
        reader_detail::parse_score_text(text, decimal_comma, score) == value_problem::none;
    scores_ = scores_ && whole;
    csat_ = csat_ && whole && score >= 1 && score <= 5;
    ces_ = ces_ && whole && score >= 1 && score <= 7;
    double number = 0;
    const std::string_view unsigned_text = text.front() == '-' ? text.substr(1) : text;
    numbers_ = numbers_ &&
               (whole || reader_detail::parse_weight_text(unsigned_text, decimal_comma, number) ==
                             value_problem::none);
    dates_ = dates_ && is_date(text);
  }

  column_profile profile() const {
    column_profile out;
    out.name = name_;
    out.samples = samples_;
    out.values = values_;
    out.distinct = distinct_.size();
    if (values_ == 0) return out;
    out.scores = scores_;
    out.csat = csat_;
    out.ces = ces_;
    out.numbers = numbers_;
    // 20261122 reads as a date too; a column of such numbers is numbers.
    out.dates = dates_ && !numbers_;
    const bool text = !numbers_ && !out.dates;
    const bool long_text = characters_ >= free_text_average_characters * values_;
    const bool mostly_spaced = spaced_ * 2 >= values_;
    const bool varied = out.distinct * 2 > values_;
    out.free_text = text && varied && (long_text || mostly_spaced);
    out.few_values = !out.free_text && !out.dates && out.distinct <= max_segment_values &&
                     out.distinct * 2 <= values_;
    return out;
  }

 private:
  std::string name_;
  std::vector<std::string> samples_;
  std::set<std::string, std::less<>> distinct_;
  std::uint64_t values_ = 0;
  std::uint64_t characters_ = 0;
  std::uint64_t spaced_ = 0;
  bool scores_ = true;
  bool csat_ = true;
  bool ces_ = true;
  bool numbers_ = true;
  bool dates_ = true;
};

class profiler final : public reader_detail::column_observer {
 public:
  explicit profiler(std::size_t max_rows) : max_rows_(max_rows) {}

  void header(const std::vector<std::string_view>& names) override {
    for (std::string_view name : names) {
      columns_.emplace_back(name);
    }
  }

  void row(const std::vector<std::string_view>& fields, bool decimal_comma) override {
    if (rows_ >= max_rows_) return;
    ++rows_;
    for (std::size_t i = 0; i < fields.size() && i < columns_.size(); ++i) {
      columns_[i].see(fields[i], decimal_comma);
    }
  }

  void object(const std::vector<std::pair<std::string_view, std::string_view>>& fields) override {
    if (rows_ >= max_rows_) return;
    ++rows_;
    for (const auto& [key, value] : fields) {
      column_of(key).see(value, false);
    }
  }

  columns_profile result() const {
    columns_profile out;
    out.rows = rows_;
    for (const column_tally& column : columns_) {
      out.columns.push_back(column.profile());
    }
    return out;
  }

 private:
  column_tally& column_of(std::string_view key) {
    for (column_tally& column : columns_) {
      if (column.name() == key) return column;
    }
    return columns_.emplace_back(key);
  }

  std::size_t max_rows_;
  std::uint64_t rows_ = 0;
  std::vector<column_tally> columns_;
};

// Up to the last line break: the line after it may be cut anywhere.
std::string_view whole_lines(std::string_view text) {
  const std::size_t last = text.find_last_of("\r\n");
  return last == std::string_view::npos ? std::string_view() : text.substr(0, last + 1);
}

}  // namespace

result<columns_profile> profile_columns(std::string_view first_bytes,
                                        const profile_options& options) {
  if (first_bytes.substr(0, 2) == "\xFF\xFE" || first_bytes.substr(0, 2) == "\xFE\xFF") {
    return make_error(error_code::parse_error,
                      "input is UTF-16 text (it starts with a UTF-16 byte order mark); "
                      "expected UTF-8: save or export the file as UTF-8");
  }
  std::string_view text = first_bytes;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const bool json_array = options.format == input_format::json;
  if (options.truncated && !json_array) text = whole_lines(text);

  reader_options reading;
  reading.format = options.format;
  reading.max_reported_rejections = 0;
  reader_detail::record_emitter emitter(0, [](const record_view&) { return status(ok{}); });
  profiler columns(options.max_rows);
  std::unique_ptr<reader_detail::format_parser> parser;
  switch (options.format) {
    case input_format::csv:
    case input_format::tsv:
      parser = reader_detail::make_csv_parser(reading, emitter, options.path, &columns);
      break;
    case input_format::json:
      parser = reader_detail::make_json_array_parser(reading, emitter, options.path, &columns);
      break;
    case input_format::jsonl:
      parser = reader_detail::make_jsonl_parser(reading, emitter, options.path, &columns);
      break;
  }
  status read = parser->feed(text);
  if (read) read = parser->finish();
  columns_profile out = columns.result();
  // A JSON array cut short does not end; the elements read before the cut count.
  const bool cut_short = json_array && options.truncated && out.rows > 0;
  if (!read && !cut_short) return read.error();
  if (out.columns.empty()) {
    return make_error(error_code::empty_input, std::string("input has no columns; expected ") +
                                                   (options.format == input_format::csv ||
                                                            options.format == input_format::tsv
                                                        ? "a header row naming the columns"
                                                        : "JSON objects with keys"));
  }
  return out;
}

std::string to_json(const columns_profile& value) {
  using json = nlohmann::ordered_json;
  json columns = json::array();
  for (const column_profile& column : value.columns) {
    columns.push_back(json{{"name", column.name},
                           {"samples", column.samples},
                           {"values", column.values},
                           {"distinct", column.distinct},
                           {"scores", column.scores},
                           {"csat", column.csat},
                           {"ces", column.ces},
                           {"numbers", column.numbers},
                           {"dates", column.dates},
                           {"free_text", column.free_text},
                           {"few_values", column.few_values}});
  }
  // Names come from user files and may hold invalid UTF-8; written as U+FFFD.
  return json{{"rows", value.rows}, {"columns", std::move(columns)}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
}

}  // namespace npskit
