// Calendar periods for trends: day, ISO-8601 week and month keys from an
// ISO-8601 date or timestamp. The date is taken as written (the
// respondent's local date when the timestamp carries an offset).
#ifndef NPSKIT_PERIOD_H
#define NPSKIT_PERIOD_H

#include <string>
#include <string_view>

#include "npskit/result.h"

namespace npskit {

enum class period { day, week, month };

const char* to_string(period value);  // "day", "week", "month"

// "2026-11-22" / "2026-11-22T10:15:00.000Z" / "2026-11-22 10:15:00+02:00"
// (also the basic form "20261122") -> day "2026-11-22", week "2026-W47",
// month "2026-11". Error names the text and what was expected.
result<std::string> period_key(std::string_view timestamp, period value);

}  // namespace npskit

#endif  // NPSKIT_PERIOD_H
