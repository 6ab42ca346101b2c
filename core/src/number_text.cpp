#include "number_text.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace npskit::detail {

std::string number_text(double value) {
  char text[32];
  int precision = 1;
  for (;; ++precision) {
    std::snprintf(text, sizeof text, "%.*g", precision, value);
    if (precision == 17 || std::strtod(text, nullptr) == value) break;
  }
  // %g switches to an exponent once the integer digits exceed the precision:
  // print 150 rather than 1.5e+02.
  if (std::isfinite(value) && value != 0) {
    const int exponent = static_cast<int>(std::floor(std::log10(std::fabs(value))));
    if (exponent >= precision && exponent < 17) {
      std::snprintf(text, sizeof text, "%.*g", exponent + 1, value);
    }
  }
  return text;
}

}  // namespace npskit::detail
