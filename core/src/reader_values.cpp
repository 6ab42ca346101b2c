// Field values and messages shared by every reader format.
#include <cmath>
#include <cstdlib>
#include <string>

#include "reader_internal.h"

namespace npskit::reader_detail {

namespace {

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Length of the valid UTF-8 sequence starting at text[at], or 0 when the
// bytes there are not one (overlong forms, surrogates and values above
// U+10FFFF included).
std::size_t utf8_sequence_length(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  if (lead < 0x80) {
    return 1;
  }
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (at + length > text.size()) {
    return 0;
  }
  if (byte(at + 1) < low || byte(at + 1) > high) {
    return 0;
  }
  for (std::size_t i = 2; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) {
      return 0;
    }
  }
  return length;
}

// Longest prefix of text not above max_bytes that does not end inside a
// UTF-8 sequence.
std::string_view cut_on_boundary(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) {
    return text;
  }
  // A sequence is at most 4 bytes long: backing up further would only eat
  // into invalid input, which the caller replaces anyway.
  std::size_t end = max_bytes;
  while (end > 0 && max_bytes - end < 3 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  return text.substr(0, end);
}

}  // namespace

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_blank_byte(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_blank_byte(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

bool names_equal(std::string_view a, std::string_view b) {
  a = trim(a);
  b = trim(b);
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) {
      return false;
    }
  }
  return true;
}

std::string normalized_name(std::string_view name) { return std::string(trim(name)); }

std::string sanitized_utf8(std::string_view text, std::size_t max_bytes) {
  static constexpr std::string_view replacement = "\xEF\xBF\xBD";
  static constexpr std::string_view ellipsis = "...";
  std::string out;
  out.reserve(text.size() < max_bytes ? text.size() : max_bytes);
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t length = utf8_sequence_length(text, at);
    const std::string_view piece = length == 0 ? replacement : text.substr(at, length);
    if (out.size() + piece.size() > max_bytes) {
      out = std::string(cut_on_boundary(out, max_bytes - ellipsis.size()));
      out += ellipsis;
      return out;
    }
    out += piece;
    at += length == 0 ? 1 : length;
  }
  return out;
}

std::string quoted_value(std::string_view text) {
  const bool shortened = text.size() > max_quoted_value_bytes;
  const std::string clean =
      sanitized_utf8(cut_on_boundary(text, max_quoted_value_bytes), max_quoted_value_bytes * 3);
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
  while (at < text.size() && is_digit(text[at])) {
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
    while (at < text.size() && is_digit(text[at])) {
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
  while (at < text.size() && is_digit(text[at])) {
    ++at;
    ++digits;
  }
  std::size_t point = std::string_view::npos;
  if (at < text.size() && (text[at] == '.' || (decimal_comma && text[at] == ','))) {
    point = at++;
    while (at < text.size() && is_digit(text[at])) {
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
    while (at < text.size() && is_digit(text[at])) {
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
      out += " is outside 0..10";
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

void record_emitter::keep(std::uint64_t line, std::string_view reason) {
  rejections_.push_back(rejection{
      line, "line " + std::to_string(line) + ": " + sanitized_utf8(reason, max_reason_bytes)});
}

}  // namespace npskit::reader_detail
