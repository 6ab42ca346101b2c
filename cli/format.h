// Number and text formatting for the command's human-readable output.
#ifndef NPSKIT_CLI_FORMAT_H
#define NPSKIT_CLI_FORMAT_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "npskit/stats.h"

namespace npskit::cli {

// "value" in double quotes, control characters escaped, so that odd input
// stays visible in an error message.
std::string quote(std::string_view text);

// Fixed-point with the given decimals; never prints "-0.0".
std::string fixed(double value, int decimals);

// A value the user typed, as typed: one decimal ("5.0", "2.5"), or up to six
// significant digits when that would hide some ("0.25").
std::string as_given(double value);

// 0.95 -> "95%", 0.995 -> "99.5%".
std::string confidence_label(double confidence);

// "Wald", "adjusted Wald", "Tango score".
const char* method_label(interval_method method);

// p-value with two significant digits ("0.18", "0.0066"), "< 0.0001" below
// that; with more digits when rounding would print it on the other side of
// alpha than the core's verdict `significant` (p = 0.0496 against 0.05
// prints "0.0496", not "0.050"). Formatting only: the verdict is the core's.
std::string p_value_label(double p_value, double alpha, bool significant);

// Columns a UTF-8 string takes in a terminal (East Asian wide characters
// count two).
std::size_t display_width(std::string_view text);

// Pads with spaces to the display width.
std::string pad_right(std::string_view text, std::size_t width);
std::string pad_left(std::string_view text, std::size_t width);

// A horizontal bar of `fraction` (0..1) of `width` columns drawn with Unicode
// block elements in eighths.
std::string bar(double fraction, std::size_t width);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_FORMAT_H
