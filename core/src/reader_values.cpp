// Field values and messages shared by every reader format.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

#include "reader_internal.h"
#include "utf8.h"

namespace npskit::reader_detail {

bool names_equal(std::string_view a, std::string_view b) {
  return text::equals_ignoring_case(trim(a), trim(b));
}

std::string normalized_name(std::string_view name) { return std::string(trim(name)); }

std::string closest_name_hint(std::string_view name, const std::vector<std::string_view>& found) {
  const std::string wanted = text::ascii_lower(trim(name));
  // Up to a third of the name may differ (at least 2 edits): "survey_dat"
  // finds "survey_date", "score" does not find "rating".
  std::size_t best = std::max<std::size_t>(2, wanted.size() / 3) + 1;
  std::string_view closest;
  for (std::string_view candidate : found) {
    const std::size_t distance = text::edit_distance(wanted, text::ascii_lower(trim(candidate)));
    if (distance < best) {
      best = distance;
      closest = trim(candidate);
    }
  }
  return closest.empty() ? std::string() : "; closest: " + quoted_value(closest);
}

std::string quoted_value(std::string_view text) {
  const bool shortened = text.size() > max_quoted_value_bytes;
  const std::string clean =
      utf8::sanitized(utf8::cut(text, max_quoted_value_bytes), max_quoted_value_bytes * 3);
  std::string out = "\"";
  for (char c : clean) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
          static constexpr char hex[] = "0123456789abcdef";
          const auto code = static_cast<unsigned char>(c);
          out += "\\x";
          out += hex[code >> 4];
          out += hex[code & 0x0F];
        } else {
          out += c;
        }
    }
  }
  if (shortened) {
    out += "...";
  }
  out += '"';
  return out;
}

value_problem parse_score_text(std::string_view text, bool decimal_comma, int& score) {
  // Nearly every score in an export is one digit or "10" with nothing around
  // it; those are read here, and anything else by the general rules below.
  if (text.size() == 1 && text::is_digit(text[0])) {
    score = text[0] - '0';
    return value_problem::none;
  }
  if (text == "10") {
    score = 10;
    return value_problem::none;
  }
  text = trim(text);
  if (text.empty()) {
    return value_problem::empty;
  }
  std::size_t at = 0;
  bool negative = false;
  if (text[at] == '+' || text[at] == '-') {
    negative = text[at] == '-';
    ++at;
  }
  const std::size_t digits_start = at;
  int value = 0;
  bool too_large = false;
  while (at < text.size() && text::is_digit(text[at])) {
    value = value * 10 + (text[at] - '0');
    if (value > 10) {
      too_large = true;
      value = 11;  // stays small: only "above 10" matters from here on
    }
    ++at;
  }
  if (at == digits_start) {
    return value_problem::not_a_number;
  }
  bool fraction_nonzero = false;
  if (at < text.size() && (text[at] == '.' || (decimal_comma && text[at] == ','))) {
    ++at;
    while (at < text.size() && text::is_digit(text[at])) {
      fraction_nonzero = fraction_nonzero || text[at] != '0';
      ++at;
    }
  }
  if (at != text.size()) {
    return value_problem::not_a_number;
  }
  if (fraction_nonzero) {
    return value_problem::not_whole;
  }
  if (too_large || (negative && value != 0)) {
    return value_problem::out_of_range;
  }
  score = value;
  return value_problem::none;
}

value_problem parse_weight_text(std::string_view text, bool decimal_comma, double& weight) {
  text = trim(text);
  if (text.empty()) {
    return value_problem::empty;
  }
  std::size_t at = 0;
  if (text[at] == '+' || text[at] == '-') {
    ++at;
  }
  std::size_t digits = 0;
  while (at < text.size() && text::is_digit(text[at])) {
    ++at;
    ++digits;
  }
  std::size_t point = std::string_view::npos;
  if (at < text.size() && (text[at] == '.' || (decimal_comma && text[at] == ','))) {
    point = at++;
    while (at < text.size() && text::is_digit(text[at])) {
      ++at;
      ++digits;
    }
  }
  if (digits == 0) {
    return value_problem::not_a_number;
  }
  if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
    ++at;
    if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
      ++at;
    }
    const std::size_t exponent_start = at;
    while (at < text.size() && text::is_digit(text[at])) {
      ++at;
    }
    if (at == exponent_start) {
      return value_problem::not_a_number;
    }
  }
  if (at != text.size()) {
    return value_problem::not_a_number;
  }
  // strtod needs a terminated string with a '.' decimal point; the core never
  // changes the C locale, so "C" rules apply.
  std::string number(text);
  if (point != std::string_view::npos) {
    number[point] = '.';
  }
  const double value = std::strtod(number.c_str(), nullptr);
  if (!std::isfinite(value)) {
    return value_problem::not_finite;
  }
  if (value < 0) {
    return value_problem::negative;
  }
  weight = value == 0 ? 0.0 : value;  // folds -0 into 0
  return value_problem::none;
}

std::string describe_problem(std::string_view what, value_problem problem, std::string_view shown) {
  std::string out(what);
  switch (problem) {
    case value_problem::none:
      break;
    case value_problem::empty:
      out += " is empty";
      break;
    case value_problem::not_a_number:
      out += ' ';
      out += shown;
      out += what == "score" ? " is not a number from 0 to 10" : " is not a number";
      break;
    case value_problem::not_whole:
      out += ' ';
      out += shown;
      out += " is not a whole number from 0 to 10";
      break;
    case value_problem::out_of_range:
      out += ' ';
      out += shown;
      out += " is not from 0 to 10";
      break;
    case value_problem::negative:
      out += ' ';
      out += shown;
      out += " is negative; expected 0 or more";
      break;
    case value_problem::not_finite:
      out += ' ';
      out += shown;
      out += " is not a finite number";
      break;
  }
  return out;
}

value_problem parse_rating_text(std::string_view text, bool decimal_comma, rating_metric metric,
                                int& rating) {
  int value = 0;
  const value_problem problem = parse_score_text(text, decimal_comma, value);
  if (problem == value_problem::none && !check_rating(metric, value)) {
    return value_problem::out_of_range;
  }
  if (problem == value_problem::none) rating = value;
  return problem;
}

std::string describe_rating_problem(rating_metric metric, value_problem problem,
                                    std::string_view shown) {
  const rating_scale scale = scale_of(metric);
  std::string out = to_string(metric);
  if (problem == value_problem::empty) return out + " is empty";
  out += ' ';
  out += shown;
  out +=
      " must be an integer from " + std::to_string(scale.low) + " to " + std::to_string(scale.high);
  return out;
}

void record_emitter::keep(std::uint64_t line, std::string_view reason) {
  rejections_.push_back(rejection{
      line, "line " + std::to_string(line) + ": " + utf8::sanitized(reason, max_reason_bytes),
      row_text_ ? utf8::sanitized(row_text_(), max_rejected_text_bytes) : std::string()});
}

}  // namespace npskit::reader_detail
