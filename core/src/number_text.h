// Internal to the core: how a number a caller passed is quoted back in an
// error message.
#pragma once

#include <string>

namespace npskit::detail {

// Shortest text that reads back as the same double, so an error message shows
// exactly the value the caller passed (0.9999999 must not print as "1", 150
// must not print as 1.5e+02).
std::string number_text(double value);

}  // namespace npskit::detail
