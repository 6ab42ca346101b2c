#include "number_text.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace npskit::detail {

std::string number_text(double value) {
  char text[32];
  int precision = 1;
  for (;; ++precision) {
    std::snprintf(text, sizeof text, "%.*g", precision, value);
    if (precision == 17 || std::strtod(text, nullptr) == value) break;
  }
  // %g switches to an exponent once the integer digits exceed the precision:
  // print 150 rather than 1.5e+02. The decimal exponent is the one %g itself
  // decides by, read from %e text rather than from log10, which C libraries
  // and JavaScript engines round differently.
  if (std::isfinite(value) && value != 0) {
    char scientific[32];
    std::snprintf(scientific, sizeof scientific, "%.*e", precision - 1, value);
    const char* const marker = std::strchr(scientific, 'e');
    const int exponent = marker ? static_cast<int>(std::strtol(marker + 1, nullptr, 10)) : 0;
    if (exponent >= precision && exponent < 17) {
      std::snprintf(text, sizeof text, "%.*g", exponent + 1, value);
    }
  }
  return text;
}

}  // namespace npskit::detail
