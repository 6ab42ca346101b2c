// The one timestamp parser of the core: answers' payloads are checked with it
// (strict ISO-8601) and readers' dates are bucketed into periods with it
// (ISO-8601 plus day/month/year dates in an order the caller gives), so a date
// one accepts the other can use.
#ifndef NPSKIT_TIMESTAMP_H
#define NPSKIT_TIMESTAMP_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "npskit/period.h"

namespace npskit::timestamp_detail {

enum class syntax {
  // YYYY-MM-DD, then optionally T or a space, hh:mm[:ss[.fff]] and Z or
  // +hh:mm / +hhmm: what the widget sends and the collector stores.
  payload,
  // The payload forms, the basic forms (20261122, T101500, +02), surrounding
  // blanks, and D.M.YYYY, D/M/YYYY or D-M-YYYY (1 or 2 digit day and month,
  // optional time) read in the given date order only.
  file,
};

struct calendar_date {
  int year = 0;
  int month = 0;
  int day = 0;
};

struct timestamp {
  calendar_date date;
  int minute_of_day = 0;  // 0 when only a date is written
  // Minutes east of UTC when the text carries Z or an offset.
  std::optional<int> offset_minutes;
};

struct reading {
  timestamp value;
  std::optional<date_problem> problem;  // absent when the text was read
  std::string message;                  // why not, naming the text and the position
};

reading parse_timestamp(std::string_view given, syntax form, date_order order);

// The date the timestamp falls on at a fixed offset from UTC (minutes east).
// A timestamp written without a zone is taken as already in that zone.
calendar_date date_at_offset(const timestamp& value, int utc_offset_minutes);

// Days since 1970-01-01 in the proleptic Gregorian calendar.
std::int64_t days_from_civil(int year, int month, int day);
// The inverse of days_from_civil (Howard Hinnant's civil_from_days).
calendar_date civil_from_days(std::int64_t days);

}  // namespace npskit::timestamp_detail

#endif  // NPSKIT_TIMESTAMP_H
