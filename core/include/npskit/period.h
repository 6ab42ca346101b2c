// Calendar periods for trends: day, ISO-8601 week and month keys from a date
// or timestamp. A timestamp with an offset ("Z", "+02:00") is an instant: it
// is converted to UTC, or to the fixed offset the caller asks for, before its
// date is taken. A timestamp without an offset is taken as written.
#ifndef NPSKIT_PERIOD_H
#define NPSKIT_PERIOD_H

#include <string>
#include <string_view>

#include "npskit/result.h"

namespace npskit {

enum class period { day, week, month };

const char* to_string(period value);  // "day", "week", "month"

// How a date written D.M.YYYY, D/M/YYYY or D-M-YYYY is read. It is never
// guessed: without an order such dates cannot be used.
enum class date_order { unspecified, day_month_year, month_day_year };

const char* to_string(date_order value);  // "unspecified", "dmy", "mdy"
// "dmy" or "mdy" (any case); error names the text and the choices.
result<date_order> parse_date_order(std::string_view text);

// Why a date could not be used for a period.
enum class date_problem {
  missing,           // no date in the record
  needs_date_order,  // D.M.YYYY-like and no date order given
  invalid,           // not a date, or not a day that exists
};

const char* to_string(date_problem value);  // "missing", "needs_date_order", "invalid"

struct date_options {
  // The fixed zone periods are counted in, in minutes east of UTC (UTC by
  // default; +120 counts days from midnight at UTC+02:00).
  int utc_offset_minutes = 0;
  date_order order = date_order::unspecified;
};

// "+02:00", "-05:30", "+0530", "+02" or "Z" -> minutes east of UTC, at most
// 14 hours either way. Error names the text and the expected form.
result<int> parse_utc_offset(std::string_view given);

// "2026-11-22" / "2026-11-22T10:15:00.000Z" / "2026-11-22 10:15:00+02:00"
// (also "20261122", and "22.11.2026" with a date order) -> day "2026-11-22",
// week "2026-W47", month "2026-11". Error (parse_error) names the text, the
// position and what was expected.
result<std::string> period_key(std::string_view timestamp, period value,
                               const date_options& options = {});

// The first day of a period key as period_key writes it: "2026-W09" ->
// "2026-02-23" (its Monday), "2026-03" -> "2026-03-01", a day is itself.
// Error (parse_error) for any other text, naming it.
result<std::string> period_start(std::string_view key, period value);

}  // namespace npskit

#endif  // NPSKIT_PERIOD_H
