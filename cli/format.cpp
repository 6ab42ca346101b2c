#include "format.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace npskit::cli {

std::string quote(std::string_view text) {
  std::string quoted = "\"";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      quoted += '\\';
      quoted += c;
    } else if (byte < 0x20 || byte == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      quoted += escaped;
    } else {
      quoted += c;
    }
  }
  quoted += '"';
  return quoted;
}

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  std::string result = text;
  // Values that round to zero from below would print as "-0.0".
  if (result[0] == '-' && result.find_first_not_of("-0.") == std::string::npos) {
    result.erase(0, 1);
  }
  return result;
}

std::string as_given(double value) {
  std::string text = fixed(value, 1);
  if (std::strtod(text.c_str(), nullptr) == value) return text;
  char precise[32];
  std::snprintf(precise, sizeof precise, "%.6g", value);
  return precise;
}

std::string confidence_label(double confidence) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g%%", confidence * 100);
  return text;
}

const char* method_label(interval_method method) {
  switch (method) {
    case interval_method::wald:
      return "Wald";
    case interval_method::adjusted_wald:
      return "adjusted Wald";
    case interval_method::tango:
      return "Tango score";
  }
  return "";
}

std::string p_value_label(double p_value, double alpha, bool significant) {
  if (p_value < 0.0001) return "< 0.0001";
  char text[32];
  for (int digits = 2; digits <= 6; ++digits) {
    // '#' keeps trailing zeros: 0.80, not 0.8.
    std::snprintf(text, sizeof text, "%#.*g", digits, p_value);
    const double shown = std::strtod(text, nullptr);
    if ((shown < alpha) == significant) break;
  }
  // %g switches to exponent form below 1e-4 only, which is excluded above.
  return text;
}

namespace {

// Decodes one UTF-8 sequence at text[index]; invalid bytes decode as one
// column-wide unit so that widths never go negative or skip text.
char32_t next_code_point(std::string_view text, std::size_t& index) {
  const auto lead = static_cast<unsigned char>(text[index]);
  std::size_t length = 1;
  char32_t value = lead;
  if (lead >= 0xf0 && lead < 0xf8) {
    length = 4;
    value = lead & 0x07u;
  } else if (lead >= 0xe0) {
    length = 3;
    value = lead & 0x0fu;
  } else if (lead >= 0xc0) {
    length = 2;
    value = lead & 0x1fu;
  }
  if (length == 1 || index + length > text.size()) {
    ++index;
    return lead;
  }
  for (std::size_t offset = 1; offset < length; ++offset) {
    const auto continuation = static_cast<unsigned char>(text[index + offset]);
    if ((continuation & 0xc0u) != 0x80u) {
      ++index;
      return lead;
    }
    value = (value << 6) | (continuation & 0x3fu);
  }
  index += length;
  return value;
}

bool is_wide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
         (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
         (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
         (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1faff) ||
         (c >= 0x20000 && c <= 0x3fffd);
}

bool is_zero_width(char32_t c) {
  return (c >= 0x0300 && c <= 0x036f) || c == 0x200b || c == 0x200c || c == 0x200d || c == 0xfeff;
}

}  // namespace

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  std::size_t index = 0;
  while (index < text.size()) {
    const char32_t c = next_code_point(text, index);
    if (is_zero_width(c)) continue;
    width += is_wide(c) ? 2 : 1;
  }
  return width;
}

std::string pad_right(std::string_view text, std::size_t width) {
  std::string padded(text);
  const std::size_t used = display_width(text);
  if (used < width) padded.append(width - used, ' ');
  return padded;
}

std::string pad_left(std::string_view text, std::size_t width) {
  const std::size_t used = display_width(text);
  std::string padded(used < width ? width - used : 0, ' ');
  padded += text;
  return padded;
}

std::string bar(double fraction, std::size_t width) {
  static constexpr const char* eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  if (!(fraction > 0)) return "";
  if (fraction > 1) fraction = 1;
  const auto total_eighths =
      static_cast<std::size_t>(std::lround(fraction * static_cast<double>(width) * 8));
  std::string drawn;
  for (std::size_t full = 0; full < total_eighths / 8; ++full) drawn += "█";
  drawn += eighths[total_eighths % 8];
  // A non-zero share always shows, however small.
  if (drawn.empty()) drawn = eighths[1];
  return drawn;
}

}  // namespace npskit::cli
