// CSV/TSV reader. The delimiter is chosen from the header line, then a
// byte-level state machine (RFC 4180 quoting) cuts fields into a reused row
// buffer, so memory is bounded by the longest row and no chunk boundary can
// change the outcome.
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "reader_internal.h"

namespace npskit::reader_detail {

namespace {

constexpr std::size_t max_columns_listed = 12;

using byte_set = std::array<bool, 256>;

byte_set make_byte_set(std::string_view members) {
  byte_set set{};
  for (char c : members) {
    set[static_cast<unsigned char>(c)] = true;
  }
  return set;
}

const byte_set quoted_field_stops = make_byte_set("\"\r\n");

std::string count_of_fields(std::size_t count) {
  return std::to_string(count) + (count == 1 ? " field" : " fields");
}

bool is_line_break(char c) { return c == '\n' || c == '\r'; }

bool is_candidate_delimiter(char c) { return c == ',' || c == ';' || c == '\t'; }

class csv_parser final : public format_parser {
 public:
  csv_parser(const reader_options& options, record_emitter& emitter)
      : options_(options), emitter_(emitter) {}

  status feed(std::string_view chunk) override {
    if (detecting_ && !find_header_line(chunk)) {
      return outcome();
    }
    tokenize(chunk.data(), chunk.data() + chunk.size());
    return outcome();
  }

  status finish() override {
    if (detecting_ && header_line_has_name_) {
      start_tokenizing();
    }
    if (!detecting_ && !failure_) {
      flush_last_row();
    }
    if (!failure_ && !have_header_) {
      failure_ = make_error(error_code::empty_input,
                            "input has no header row; expected a first line naming the "
                            "columns, one of them " +
                                quoted_value(trim(options_.score_column)));
    }
    return outcome();
  }

 private:
  enum class field_state : std::uint8_t {
    start,          // nothing of the field read yet
    unquoted,       // inside a plain field
    quoted,         // inside "..."
    closing_quote,  // just read a '"' inside a quoted field: "" or the end
    after_quote,    // after the closing quote, before the delimiter
  };

  status outcome() const { return failure_ ? status(*failure_) : status(ok{}); }

  // Holds input back until the header line (the first line with a name in
  // it, read outside quotes) is complete, counting candidate delimiters on
  // it. Returns true once found; chunk then holds what follows the line.
  bool find_header_line(std::string_view& chunk) {
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      const char c = chunk[i];
      if (header_line_in_quotes_) {
        if (c == '"') {
          header_line_in_quotes_ = false;
        } else if (!is_blank_byte(c)) {
          header_line_has_name_ = true;
        }
      } else if (c == '"' && header_field_fresh_) {
        header_line_in_quotes_ = true;
      } else if (is_candidate_delimiter(c)) {
        ++delimiter_counts_[c == ',' ? 0 : c == ';' ? 1 : 2];
        header_field_fresh_ = true;
      } else if (is_line_break(c)) {
        if (header_line_has_name_) {
          held_back_.append(chunk.substr(0, i + 1));
          chunk.remove_prefix(i + 1);
          start_tokenizing();
          return !failure_;
        }
        delimiter_counts_ = {};
        header_field_fresh_ = true;
      } else if (!is_blank_byte(c)) {
        header_line_has_name_ = true;
        header_field_fresh_ = false;
      }
    }
    held_back_.append(chunk);
    return false;
  }

  // The most frequent candidate on the header line; ties and a header of a
  // single column go to the format's own delimiter first.
  void start_tokenizing() {
    static constexpr char delimiters[] = {',', ';', '\t'};
    const bool tsv = options_.format == input_format::tsv;
    const std::array<std::size_t, 3> preference =
        tsv ? std::array<std::size_t, 3>{2, 0, 1} : std::array<std::size_t, 3>{0, 1, 2};
    std::size_t best = preference[0];
    for (std::size_t candidate : preference) {
      if (delimiter_counts_[candidate] > delimiter_counts_[best]) {
        best = candidate;
      }
    }
    delimiter_ = delimiters[best];
    unquoted_field_stops_ = make_byte_set(std::string{delimiter_, '\r', '\n'});
    detecting_ = false;
    std::string held = std::move(held_back_);
    tokenize(held.data(), held.data() + held.size());
  }

  void tokenize(const char* p, const char* const end) {
    if (cr_pending_ && p < end) {
      cr_pending_ = false;
      if (*p == '\n') {
        if (state_ == field_state::quoted) {
          row_.push_back('\n');
        }
        ++p;
      }
    }
    while (p < end && !failure_) {
      switch (state_) {
        case field_state::start: {
          const char c = *p;
          if (c == '"') {
            state_ = field_state::quoted;
            ++p;
          } else if (c == delimiter_) {
            end_field();
            ++p;
          } else if (is_line_break(c)) {
            end_record();
            consume_line_break(p, end);
          } else if (c == ' ' || c == '\t') {
            // Leading blanks are dropped (values are trimmed anyway) so that
            // `a, "b, c"` still opens a quoted field.
            ++p;
          } else {
            state_ = field_state::unquoted;
          }
          break;
        }
        case field_state::unquoted: {
          const char* const run = p;
          while (p < end && !unquoted_field_stops_[static_cast<unsigned char>(*p)]) {
            ++p;
          }
          row_.append(run, static_cast<std::size_t>(p - run));
          if (p == end) {
            return;
          }
          if (*p == delimiter_) {
            end_field();
            ++p;
          } else {
            end_record();
            consume_line_break(p, end);
          }
          break;
        }
        case field_state::quoted: {
          const char* const run = p;
          while (p < end && !quoted_field_stops[static_cast<unsigned char>(*p)]) {
            ++p;
          }
          row_.append(run, static_cast<std::size_t>(p - run));
          if (p == end) {
            return;
          }
          const char c = *p++;
          if (c == '"') {
            state_ = field_state::closing_quote;
            break;
          }
          // A line break inside quotes is part of the value but still counts
          // as a line, so later line numbers match a text editor's.
          row_.push_back(c);
          ++line_;
          if (c == '\r') {
            if (p == end) {
              cr_pending_ = true;
            } else if (*p == '\n') {
              row_.push_back('\n');
              ++p;
            }
          }
          break;
        }
        case field_state::closing_quote:
          if (*p == '"') {
            row_.push_back('"');
            state_ = field_state::quoted;
            ++p;
          } else {
            state_ = field_state::after_quote;
          }
          break;
        case field_state::after_quote: {
          const char c = *p;
          if (c == delimiter_) {
            end_field();
            ++p;
          } else if (is_line_break(c)) {
            end_record();
            consume_line_break(p, end);
          } else if (c == ' ' || c == '\t') {
            ++p;
          } else {
            // Text after the closing quote: keep reading to the end of the
            // field so the row still ends where it should, then reject it.
            if (malformed_field_ == 0) {
              malformed_field_ = field_ends_.size() + 1;
            }
            state_ = field_state::unquoted;
          }
          break;
        }
      }
    }
  }

  void end_field() {
    field_ends_.push_back(row_.size());
    state_ = field_state::start;
  }

  // Consumes one line break (CRLF, LF or a lone CR) and starts a record.
  void consume_line_break(const char*& p, const char* const end) {
    const char c = *p++;
    ++line_;
    if (c == '\r') {
      if (p == end) {
        cr_pending_ = true;
      } else if (*p == '\n') {
        ++p;
      }
    }
    record_line_ = line_;
  }

  void end_record() {
    end_field();
    if (!row_is_blank()) {
      if (have_header_) {
        read_row();
      } else {
        read_header();
      }
    }
    clear_row();
  }

  void clear_row() {
    row_.clear();
    field_ends_.clear();
    malformed_field_ = 0;
    state_ = field_state::start;
  }

  // A final row without a line break after it.
  void flush_last_row() {
    if (state_ == field_state::start && field_ends_.empty() && row_.empty()) {
      return;
    }
    if (state_ != field_state::quoted) {
      end_record();
      return;
    }
    const std::size_t field = field_ends_.size() + 1;
    const auto reason = [&] {
      return "field " + std::to_string(field) +
             " opens a quote that is never closed; expected a closing '\"' before the end of "
             "the input";
    };
    if (have_header_) {
      emitter_.reject(record_line_, reason);
    } else {
      failure_ = make_error(error_code::parse_error,
                            "header row on line " + std::to_string(record_line_) + ": " + reason());
    }
    clear_row();
  }

  bool row_is_blank() const {
    for (char c : row_) {
      if (!is_blank_byte(c)) {
        return false;
      }
    }
    return true;
  }

  std::string_view field(std::size_t index) const {
    const std::size_t begin = index == 0 ? 0 : field_ends_[index - 1];
    return std::string_view(row_).substr(begin, field_ends_[index] - begin);
  }

  std::optional<std::size_t> find_column(std::string_view name) const {
    if (trim(name).empty()) {
      return std::nullopt;
    }
    for (std::size_t i = 0; i < field_ends_.size(); ++i) {
      if (names_equal(field(i), name)) {
        return i;
      }
    }
    return std::nullopt;
  }

  std::string listed_columns() const {
    std::string out;
    for (std::size_t i = 0; i < field_ends_.size() && i < max_columns_listed; ++i) {
      out += i == 0 ? "" : ", ";
      out += quoted_value(trim(field(i)));
    }
    if (field_ends_.size() > max_columns_listed) {
      out += ", ...";
    }
    return out;
  }

  error missing_column(std::string_view role, std::string_view name) const {
    return make_error(error_code::missing_column,
                      "header row on line " + std::to_string(record_line_) + " has no " +
                          quoted_value(trim(name)) + " column" + std::string(role) +
                          "; columns found: " + listed_columns());
  }

  void read_header() {
    have_header_ = true;
    column_count_ = field_ends_.size();
    if (malformed_field_ != 0) {
      failure_ =
          make_error(error_code::parse_error, "header row on line " + std::to_string(record_line_) +
                                                  ": field " + std::to_string(malformed_field_) +
                                                  " has text after its closing quote");
      return;
    }
    score_index_ = find_column(options_.score_column);
    if (!score_index_) {
      failure_ = missing_column("", options_.score_column);
      return;
    }
    if (!trim(options_.weight_column).empty()) {
      weight_index_ = find_column(options_.weight_column);
      if (!weight_index_) {
        failure_ = missing_column(" (the weight column)", options_.weight_column);
        return;
      }
    }
    segment_index_ = find_column(options_.segment_column);
    comment_index_ = find_column(options_.comment_column);
    type_index_ = find_column(options_.type_column);
    date_index_ = find_column(options_.date_column);
    for (std::string_view fallback : date_column_fallbacks) {
      if (!date_index_) {
        date_index_ = find_column(fallback);
      }
    }
  }

  std::string_view optional_field(const std::optional<std::size_t>& index) const {
    return index ? trim(field(*index)) : std::string_view();
  }

  void read_row() {
    if (malformed_field_ != 0) {
      emitter_.reject(record_line_, [&] {
        return "field " + std::to_string(malformed_field_) +
               " has text after its closing quote; expected a delimiter or the end of the line";
      });
      return;
    }
    if (field_ends_.size() != column_count_) {
      emitter_.reject(record_line_, [&] {
        return "expected " + count_of_fields(column_count_) + " as in the header, found " +
               std::to_string(field_ends_.size());
      });
      return;
    }
    // A decimal comma ("9,0", "1,5") is only unambiguous when the comma is
    // not the delimiter, as in semicolon exports from European spreadsheets.
    const bool decimal_comma = delimiter_ != ',';
    record_view record;
    record.line = record_line_;
    if (type_index_ && names_equal(field(*type_index_), "dismissal")) {
      record.type = record_type::dismissal;
    } else {
      const std::string_view score_text = field(*score_index_);
      const value_problem problem = parse_score_text(score_text, decimal_comma, record.score);
      if (problem != value_problem::none) {
        emitter_.reject(record_line_, [&] {
          return describe_problem("score", problem, quoted_value(trim(score_text)));
        });
        return;
      }
    }
    if (weight_index_) {
      const std::string_view weight_text = field(*weight_index_);
      const bool may_be_empty = record.type == record_type::dismissal;
      if (!(may_be_empty && trim(weight_text).empty())) {
        const value_problem problem = parse_weight_text(weight_text, decimal_comma, record.weight);
        if (problem != value_problem::none) {
          emitter_.reject(record_line_, [&] {
            return describe_problem("weight", problem, quoted_value(trim(weight_text)));
          });
          return;
        }
      }
    }
    record.segment = optional_field(segment_index_);
    record.timestamp = optional_field(date_index_);
    record.comment = optional_field(comment_index_);
    emitter_.emit(record);
  }

  const reader_options& options_;
  record_emitter& emitter_;
  std::optional<error> failure_;

  // Before the header line is complete.
  bool detecting_ = true;
  std::string held_back_;
  bool header_line_in_quotes_ = false;
  bool header_line_has_name_ = false;
  bool header_field_fresh_ = true;                   // only blanks since the line or field began
  std::array<std::uint64_t, 3> delimiter_counts_{};  // ',', ';', tab

  char delimiter_ = ',';
  byte_set unquoted_field_stops_{};

  // The row being read: field values back to back, unquoted and unescaped.
  field_state state_ = field_state::start;
  std::string row_;
  std::vector<std::size_t> field_ends_;
  std::size_t malformed_field_ = 0;  // 1-based field with text after its quote
  std::uint64_t line_ = 1;           // line of the next byte
  std::uint64_t record_line_ = 1;    // line where the current row started
  bool cr_pending_ = false;          // the last byte was a CR: a LF next is part of it

  bool have_header_ = false;
  std::size_t column_count_ = 0;
  std::optional<std::size_t> score_index_;
  std::optional<std::size_t> weight_index_;
  std::optional<std::size_t> segment_index_;
  std::optional<std::size_t> date_index_;
  std::optional<std::size_t> comment_index_;
  std::optional<std::size_t> type_index_;
};

}  // namespace

std::unique_ptr<format_parser> make_csv_parser(const reader_options& options,
                                               record_emitter& emitter) {
  return std::make_unique<csv_parser>(options, emitter);
}

}  // namespace npskit::reader_detail
