// CSV/TSV reader. The delimiter is chosen from the header line, then a
// byte-level state machine (RFC 4180 quoting) cuts fields into a reused row
// buffer, so memory is bounded by the longest row and no chunk boundary can
// change the outcome. A quoted value that goes on past its first line keeps
// the raw bytes of the lines after it: when the quote turns out to be stray
// (never closed, past the bounds, or leaving a malformed row) only that row is
// rejected and those lines are read again as rows of their own.
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "reader_internal.h"
#include "scan_finder.h"

namespace npskit::reader_detail {

namespace {

constexpr std::size_t max_columns_listed = 12;

// The bytes the tokenizer watches: the delimiter, the quote and the line
// breaks. Outside quotes it stops at the delimiter and line breaks (a quote
// inside an unquoted value is text), inside quotes at the quote and line
// breaks (a delimiter there is text).
constexpr unsigned watch_delimiter = 1U << 0;
constexpr unsigned watch_quote = 1U << 1;
constexpr unsigned watch_line_breaks = (1U << 2) | (1U << 3);
constexpr unsigned unquoted_field_stops = watch_delimiter | watch_line_breaks;
constexpr unsigned quoted_field_stops = watch_quote | watch_line_breaks;

std::string count_of_fields(std::size_t count) {
  return std::to_string(count) + (count == 1 ? " field" : " fields");
}

bool is_line_break(char c) { return c == '\n' || c == '\r'; }

bool is_candidate_delimiter(char c) { return c == ',' || c == ';' || c == '\t'; }

class csv_parser final : public format_parser {
 public:
  csv_parser(const reader_options& options, record_emitter& emitter, scan_path path,
             column_observer* observer)
      : options_(options), emitter_(emitter), scan_path_(path), observer_(observer) {
    emitter_.describe_rows_with([this] { return row_text(); });
  }

  status feed(std::string_view chunk) override {
    if (detecting_ && !find_header_line(chunk)) {
      return outcome();
    }
    consume(chunk);
    return outcome();
  }

  status finish() override {
    if (detecting_ && header_line_has_name_) {
      start_tokenizing();
    }
    while (!detecting_ && !failure_) {
      flush_last_row();
      if (!restart_) {
        break;
      }
      restart();
      consume({});
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
        } else if (!is_blank(c)) {
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
      } else if (!is_blank(c)) {
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
    stops_ = scan_detail::byte_finder(scan_path_, {delimiter_, '"', '\r', '\n'});
    detecting_ = false;
    const std::string held = std::move(held_back_);
    consume(held);
  }

  // Reads input after any lines waiting to be read again.
  void consume(std::string_view input) {
    const char* p = input.data();
    const char* const end = p + input.size();
    while (!failure_) {
      if (replay_at_ < replay_.size()) {
        const char* const stopped =
            tokenize(replay_.data() + replay_at_, replay_.data() + replay_.size());
        replay_at_ = static_cast<std::size_t>(stopped - replay_.data());
      } else {
        replay_.clear();
        replay_at_ = 0;
        if (p == end) {
          break;
        }
        p = tokenize(p, end);
      }
      if (restart_) {
        restart();
      }
    }
  }

  // Reads a span until its end or until a row is given up; keeps the raw
  // bytes of a row that is being captured.
  const char* tokenize(const char* p, const char* const end) {
    capture_from_ = p;
    stops_.new_span();
    p = scan(p, end);
    if (capturing_) {
      captured_.append(capture_from_, static_cast<std::size_t>(p - capture_from_));
    }
    return p;
  }

  std::size_t captured_bytes(const char* p) const {
    return captured_.size() + static_cast<std::size_t>(p - capture_from_);
  }

  // Rejects the row being read and arranges for the lines after its first
  // one to be read again, from the line after the row's first line.
  template <typename BuildReason>
  void give_up_row(BuildReason&& build_reason) {
    if (!have_header_) {
      failure_ =
          make_error(error_code::parse_error,
                     "header row on line " + std::to_string(record_line_) + ": " + build_reason());
      return;
    }
    emitter_.reject(record_line_, build_reason);
    restart_ = true;
    restart_line_ = record_line_ + 1;
  }

  // Puts the captured lines in front of what is still to be read and starts
  // a fresh row on the line after the rejected row's first line.
  void restart() {
    std::string next = std::move(captured_);
    next.append(replay_, replay_at_, std::string::npos);
    replay_ = std::move(next);
    replay_at_ = 0;
    captured_.clear();
    capturing_ = false;
    restart_ = false;
    clear_row();
    line_ = restart_line_;
    record_line_ = restart_line_;
    cr_pending_ = captured_after_cr_;
  }

  std::string stray_quote_reason(std::string_view what) const {
    return "field " + std::to_string(quoted_field_) + " opens a quote " + std::string(what) +
           "; the quote is taken as stray: the row is left out and reading goes on with line " +
           std::to_string(record_line_ + 1);
  }

  const char* scan(const char* p, const char* const end) {
    if (cr_pending_ && p < end) {
      cr_pending_ = false;
      if (*p == '\n') {
        if (state_ == field_state::quoted) {
          row_.push_back('\n');
        }
        ++p;
      }
    }
    while (p < end && !failure_ && !restart_) {
      switch (state_) {
        case field_state::start: {
          if (have_header_ && row_.empty() && field_ends_.empty() && !capturing_) {
            const char* after = stops_.blocks() ? read_unquoted_line(p, end) : p;
            if (after == p) after = read_plain_line(p, end);
            if (after != p) {
              p = after;
              break;
            }
          }
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
          p = stops_.find(p, end, unquoted_field_stops);
          row_.append(run, static_cast<std::size_t>(p - run));
          if (p == end) {
            return p;
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
          // Past the byte bound, only the bytes read so far decide, so every
          // chunking gives up the row at the same byte.
          const char* stop = end;
          if (capturing_) {
            const std::size_t used = captured_bytes(p);
            if (used >= max_quoted_continuation_bytes) {
              give_up_row([&] {
                return stray_quote_reason("that is still open after " +
                                          std::to_string(max_quoted_continuation_bytes) +
                                          " bytes on the lines after its own (the most a quoted "
                                          "value may take)");
              });
              break;
            }
            const std::size_t budget = max_quoted_continuation_bytes - used;
            if (static_cast<std::size_t>(end - p) > budget) {
              stop = p + budget;
            }
          }
          const char* const run = p;
          p = stops_.find(p, stop, quoted_field_stops);
          row_.append(run, static_cast<std::size_t>(p - run));
          if (p == end) {
            return p;
          }
          if (p == stop) {
            break;
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
          if (!capturing_) {
            capturing_ = true;
            captured_.clear();
            captured_after_cr_ = cr_pending_;
            capture_from_ = p;
            quoted_field_ = field_ends_.size() + 1;
          }
          if (line_ - record_line_ >= max_quoted_lines) {
            give_up_row([&] {
              return stray_quote_reason("that is still open after " +
                                        std::to_string(max_quoted_lines) +
                                        " lines (the most a quoted value may span)");
            });
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
    return p;
  }

  // The common row: a whole line in this span whose quoted fields (if any)
  // have no doubled quote and no line break inside. Its fields are cut in one
  // pass over the stops, as views of the input (a quoted one without its
  // quotes), so nothing is copied. Returns where the next row starts, or p
  // when the line needs the byte-level state machine (a doubled quote, a
  // quote left open at the line's end, text after a closing quote, or a line
  // not complete in this span); the state machine then reads it from p and
  // gives the same fields.
  const char* read_plain_line(const char* p, const char* const end) {
    fields_.clear();
    bool blank = true;
    const char* field_begin = p;
    const char* at = p;
    for (;;) {
      const char* const stop = stops_.find(at, end, unquoted_field_stops | watch_quote);
      if (stop == end) {
        return p;
      }
      if (*stop == '"') {
        if (!only_spaces(field_begin, stop)) {
          at = stop + 1;  // a quote inside an unquoted value is text
          continue;
        }
        const char* const closing = stops_.find(stop + 1, end, quoted_field_stops);
        if (closing == end || *closing != '"' || closing + 1 == end || closing[1] == '"') {
          return p;
        }
        const char* after = closing + 1;
        while (after < end && *after != delimiter_ && (*after == ' ' || *after == '\t')) {
          ++after;
        }
        if (after == end || (*after != delimiter_ && !is_line_break(*after))) {
          return p;
        }
        blank = blank && all_blank(stop + 1, closing);
        fields_.emplace_back(stop + 1, static_cast<std::size_t>(closing - stop - 1));
        at = after;
      } else {
        blank = blank && all_blank(field_begin, stop);
        fields_.emplace_back(field_begin, static_cast<std::size_t>(stop - field_begin));
        at = stop;
      }
      if (*at != delimiter_) {
        break;
      }
      field_begin = ++at;
    }
    if (!blank) {
      read_row();
    }
    consume_line_break(at, end);
    return at;
  }

  // The commonest row of all: a whole line in this span without a quote.
  // Its fields are cut at the delimiters of each 64-byte window of the
  // finder at once, as views of the input. Returns where the next row
  // starts, or p when the line has a quote or is not complete in this span
  // (read_plain_line or the state machine then read it, to the same fields).
  const char* read_unquoted_line(const char* p, const char* const end) {
    constexpr std::size_t delimiter = 0;
    constexpr std::size_t quote = 1;
    fields_.clear();
    bool blank = true;
    const char* field_begin = p;
    for (const char* at = p; at < end;) {
      const scan_detail::byte_finder::window window = stops_.window_at(at, end);
      const std::uint64_t breaks = window.bits[2] | window.bits[3];
      const std::uint64_t before_break =
          breaks != 0 ? (breaks & (~breaks + 1)) - 1 : ~std::uint64_t{0};
      if ((window.bits[quote] & before_break) != 0) {
        return p;
      }
      for (std::uint64_t delimiters = window.bits[delimiter] & before_break; delimiters != 0;
           delimiters &= delimiters - 1) {
        const char* const stop = at + __builtin_ctzll(delimiters);
        blank = blank && all_blank(field_begin, stop);
        fields_.emplace_back(field_begin, static_cast<std::size_t>(stop - field_begin));
        field_begin = stop + 1;
      }
      if (breaks != 0) {
        const char* stop = at + __builtin_ctzll(breaks);
        blank = blank && all_blank(field_begin, stop);
        fields_.emplace_back(field_begin, static_cast<std::size_t>(stop - field_begin));
        if (!blank) {
          read_row();
        }
        consume_line_break(stop, end);
        return stop;
      }
      at += window.size;
    }
    return p;
  }

  // The blanks the state machine skips before a field's opening quote.
  static bool only_spaces(const char* begin, const char* end) {
    for (; begin < end; ++begin) {
      if (*begin != ' ' && *begin != '\t') {
        return false;
      }
    }
    return true;
  }

  static bool all_blank(const char* begin, const char* end) {
    for (; begin < end; ++begin) {
      if (!is_blank(*begin)) {
        return false;
      }
    }
    return true;
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
      collect_fields();
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
    if (!restart_) {
      capturing_ = false;
      captured_.clear();
    }
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
    const std::size_t field = capturing_ ? quoted_field_ : field_ends_.size() + 1;
    give_up_row([&] {
      return "field " + std::to_string(field) +
             " opens a quote that is never closed; expected a closing '\"' before the end of "
             "the input";
    });
    if (!restart_) {
      clear_row();
    }
  }

  bool row_is_blank() const {
    for (char c : row_) {
      if (!is_blank(c)) {
        return false;
      }
    }
    return true;
  }

  // The fields read so far, unquoted, joined by the delimiter. A row taken
  // by read_plain_line is only in fields_, as views of the input.
  std::string row_text() const {
    std::string out;
    if (row_.empty() && field_ends_.empty()) {
      for (std::size_t i = 0; i < fields_.size(); ++i) {
        if (i > 0) out += delimiter_;
        out += fields_[i];
      }
      return out;
    }
    std::size_t begin = 0;
    for (std::size_t i = 0; i < field_ends_.size(); ++i) {
      if (i > 0) out += delimiter_;
      out.append(row_, begin, field_ends_[i] - begin);
      begin = field_ends_[i];
    }
    if (begin < row_.size()) {
      if (!field_ends_.empty()) out += delimiter_;
      out.append(row_, begin, std::string::npos);
    }
    return out;
  }

  std::string_view field(std::size_t index) const { return fields_[index]; }

  // Views of the row's fields, for read_header and read_row.
  void collect_fields() {
    fields_.clear();
    std::size_t begin = 0;
    for (std::size_t end : field_ends_) {
      fields_.emplace_back(row_.data() + begin, end - begin);
      begin = end;
    }
  }

  std::optional<std::size_t> find_column(std::string_view name) const {
    if (trim(name).empty()) {
      return std::nullopt;
    }
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      if (names_equal(field(i), name)) {
        return i;
      }
    }
    return std::nullopt;
  }

  std::string listed_columns() const {
    std::string out;
    for (std::size_t i = 0; i < fields_.size() && i < max_columns_listed; ++i) {
      out += i == 0 ? "" : ", ";
      out += quoted_value(trim(field(i)));
    }
    if (fields_.size() > max_columns_listed) {
      out += ", ...";
    }
    return out;
  }

  error missing_column(std::string_view role, std::string_view name) const {
    std::vector<std::string_view> names;
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      names.push_back(field(i));
    }
    return make_error(error_code::missing_column,
                      "header row on line " + std::to_string(record_line_) + " has no " +
                          quoted_value(trim(name)) + " column" + std::string(role) +
                          "; columns found: " + listed_columns() + closest_name_hint(name, names));
  }

  // A column the caller named must be there; an unnamed one is looked up
  // under its default names and may be absent.
  template <std::size_t count>
  bool find_named_or_default(const std::string& name, std::string_view role,
                             const std::string_view (&defaults)[count],
                             std::optional<std::size_t>& index) {
    if (!trim(name).empty()) {
      index = find_column(name);
      if (!index) {
        failure_ = missing_column(role, name);
      }
      return index.has_value();
    }
    for (std::string_view fallback : defaults) {
      if (!index) {
        index = find_column(fallback);
      }
    }
    return true;
  }

  void read_header() {
    have_header_ = true;
    column_count_ = fields_.size();
    if (malformed_field_ != 0) {
      failure_ =
          make_error(error_code::parse_error, "header row on line " + std::to_string(record_line_) +
                                                  ": field " + std::to_string(malformed_field_) +
                                                  " has text after its closing quote");
      return;
    }
    if (observer_ != nullptr) {
      observer_->header(fields_);
      return;
    }
    if (!find_named_or_default(options_.csat_column, " (the CSAT column)", default_csat_columns,
                               csat_index_) ||
        !find_named_or_default(options_.ces_column, " (the CES column)", default_ces_columns,
                               ces_index_)) {
      return;
    }
    score_index_ = find_column(options_.score_column);
    // A CSAT or CES export needs no NPS score column.
    if (!score_index_ && !csat_index_ && !ces_index_) {
      failure_ = missing_column("", options_.score_column);
      return;
    }
    find_named_or_default("", "", default_id_columns, id_index_);
    find_named_or_default("", "", default_answer_id_columns, answer_id_index_);
    if (!trim(options_.weight_column).empty()) {
      weight_index_ = find_column(options_.weight_column);
      if (!weight_index_) {
        failure_ = missing_column(" (the weight column)", options_.weight_column);
        return;
      }
    }
    for (const std::string& name : options_.segment_columns) {
      std::optional<std::size_t> index;
      if (!find_named_or_default(name, " (a segment column)", default_segment_columns, index)) {
        return;
      }
      if (index) segment_indexes_.push_back(*index);
    }
    if (!options_.segment_columns.empty()) {
      segment_values_.resize(segment_indexes_.size());
      if (!segment_indexes_.empty()) segment_index_ = segment_indexes_.front();
    }
    if ((options_.segment_columns.empty() &&
         !find_named_or_default(options_.segment_column, " (the segment column)",
                                default_segment_columns, segment_index_)) ||
        !find_named_or_default(options_.date_column, " (the date column)", default_date_columns,
                               date_index_) ||
        !find_named_or_default(options_.comment_column, " (the comment column)",
                               default_comment_columns, comment_index_)) {
      return;
    }
    find_named_or_default(options_.type_column, " (the type column)", default_type_columns,
                          type_index_);
  }

  // Read several times per row: forced inline, since the WebAssembly build
  // otherwise keeps it a call, and calls there cost more than this.
  __attribute__((always_inline)) std::string_view optional_field(
      const std::optional<std::size_t>& index) const {
    return index ? trim(field(*index)) : std::string_view();
  }

  void read_row() {
    // A row whose quote ran on over several lines and left it malformed most
    // likely holds a stray quote: the lines it swallowed are read again.
    if (capturing_ && (malformed_field_ != 0 || fields_.size() != column_count_)) {
      give_up_row([&] {
        const std::string damage =
            malformed_field_ != 0
                ? "field " + std::to_string(malformed_field_) + " has text after its closing quote"
                : "the row has " + count_of_fields(fields_.size()) + " instead of " +
                      std::to_string(column_count_);
        return stray_quote_reason("that runs on to line " + std::to_string(line_) + ", where " +
                                  damage);
      });
      return;
    }
    if (malformed_field_ != 0) {
      emitter_.reject(record_line_, [&] {
        return "field " + std::to_string(malformed_field_) +
               " has text after its closing quote; expected a delimiter or the end of the line";
      });
      return;
    }
    if (fields_.size() != column_count_) {
      emitter_.reject(record_line_, [&] {
        return "expected " + count_of_fields(column_count_) + " as in the header, found " +
               std::to_string(fields_.size());
      });
      return;
    }
    // A decimal comma ("9,0", "1,5") is only unambiguous when the comma is
    // not the delimiter, as in semicolon exports from European spreadsheets.
    const bool decimal_comma = delimiter_ != ',';
    if (observer_ != nullptr) {
      observer_->row(fields_, decimal_comma);
      return;
    }
    // One record, reset field by field: zeroing it whole per row showed up
    // in profiles (a string store the compiler picks for its 128 bytes).
    record_view& record = record_;
    record.type = record_type::response;
    record.score = -1;
    record.weight = 1;
    record.csat = 0;
    record.ces = 0;
    record.segments = nullptr;
    record.segment_count = 0;
    record.line = record_line_;
    if (type_index_ && names_equal(field(*type_index_), "dismissal")) {
      record.type = record_type::dismissal;
    } else {
      if ((csat_index_ || ces_index_) &&
          (!read_rating(csat_index_, rating_metric::csat, decimal_comma, record.csat) ||
           !read_rating(ces_index_, rating_metric::ces, decimal_comma, record.ces))) {
        return;
      }
      const std::string_view score_text = optional_field(score_index_);
      const bool rating_only = score_text.empty() && (record.csat != 0 || record.ces != 0);
      const value_problem problem = rating_only
                                        ? value_problem::none
                                        : parse_score_text(score_text, decimal_comma, record.score);
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
    if (!segment_values_.empty()) {
      for (std::size_t i = 0; i < segment_indexes_.size(); ++i) {
        segment_values_[i] = trim(field(segment_indexes_[i]));
      }
      record.segments = segment_values_.data();
      record.segment_count = segment_values_.size();
    }
    record.timestamp = optional_field(date_index_);
    record.comment = optional_field(comment_index_);
    record.id = optional_field(id_index_);
    record.answer_id = optional_field(answer_id_index_);
    emitter_.emit(record);
  }

  // A blank rating field is no rating; a bad one rejects the row.
  bool read_rating(const std::optional<std::size_t>& index, rating_metric metric,
                   bool decimal_comma, int& rating) {
    const std::string_view text = optional_field(index);
    if (text.empty()) return true;
    const value_problem problem = parse_rating_text(text, decimal_comma, metric, rating);
    if (problem == value_problem::none) return true;
    emitter_.reject(record_line_,
                    [&] { return describe_rating_problem(metric, problem, quoted_value(text)); });
    return false;
  }

  const reader_options& options_;
  record_emitter& emitter_;
  record_view record_;
  std::optional<error> failure_;

  // Before the header line is complete.
  bool detecting_ = true;
  std::string held_back_;
  bool header_line_in_quotes_ = false;
  bool header_line_has_name_ = false;
  bool header_field_fresh_ = true;                   // only blanks since the line or field began
  std::array<std::uint64_t, 3> delimiter_counts_{};  // ',', ';', tab

  char delimiter_ = ',';
  scan_path scan_path_;
  column_observer* observer_;
  scan_detail::byte_finder stops_;

  // The row being read: field values back to back, unquoted and unescaped.
  field_state state_ = field_state::start;
  std::string row_;
  std::vector<std::size_t> field_ends_;
  // The fields of the row being read: into row_, or straight into the input
  // for a row read by read_plain_line.
  std::vector<std::string_view> fields_;
  std::size_t malformed_field_ = 0;  // 1-based field with text after its quote
  std::uint64_t line_ = 1;           // line of the next byte
  std::uint64_t record_line_ = 1;    // line where the current row started
  bool cr_pending_ = false;          // the last byte was a CR: a LF next is part of it

  // The lines after the first of a row whose quoted value spans lines.
  bool capturing_ = false;
  std::string captured_;
  const char* capture_from_ = nullptr;  // where capturing began in the span being read
  bool captured_after_cr_ = false;      // the first captured byte follows a CR
  std::size_t quoted_field_ = 0;        // 1-based field whose quote spans lines
  // A row was given up: its captured lines are read again from restart_line_.
  bool restart_ = false;
  std::uint64_t restart_line_ = 0;
  std::string replay_;
  std::size_t replay_at_ = 0;

  bool have_header_ = false;
  std::size_t column_count_ = 0;
  std::optional<std::size_t> score_index_;
  std::optional<std::size_t> weight_index_;
  std::optional<std::size_t> segment_index_;
  // Several segment columns: their indexes, and their values in the row being read.
  std::vector<std::size_t> segment_indexes_;
  std::vector<std::string_view> segment_values_;
  std::optional<std::size_t> date_index_;
  std::optional<std::size_t> comment_index_;
  std::optional<std::size_t> type_index_;
  std::optional<std::size_t> csat_index_;
  std::optional<std::size_t> ces_index_;
  std::optional<std::size_t> id_index_;
  std::optional<std::size_t> answer_id_index_;
};

}  // namespace

std::unique_ptr<format_parser> make_csv_parser(const reader_options& options,
                                               record_emitter& emitter, scan_path path,
                                               column_observer* observer) {
  return std::make_unique<csv_parser>(options, emitter, path, observer);
}

}  // namespace npskit::reader_detail
