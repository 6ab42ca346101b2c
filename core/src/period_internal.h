// Period keys with the reason a date could not be used, for the aggregate's
// count of answers without a usable date. Not part of the public API.
#ifndef NPSKIT_PERIOD_INTERNAL_H
#define NPSKIT_PERIOD_INTERNAL_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "npskit/period.h"
#include "timestamp.h"

namespace npskit::period_detail {

struct keyed_date {
  std::string key;                      // set when the date was read
  std::optional<date_problem> problem;  // why not
  std::string message;
};

keyed_date period_key_of(std::string_view timestamp, period value, const date_options& options);

// A timestamp's period as a number, for grouping without building the key
// for every answer: each period has its own number (the days from
// 1970-01-01 to its first day, or the months since year 0) and key_of(date)
// is its key.
struct numbered_date {
  std::int64_t number = 0;
  timestamp_detail::calendar_date date;  // as read, at the offset asked for
  std::optional<date_problem> problem;   // why the date could not be read
  std::string message;
};

numbered_date period_number_of(std::string_view timestamp, period value,
                               const date_options& options);
std::string key_of(const timestamp_detail::calendar_date& date, period value);

}  // namespace npskit::period_detail

#endif  // NPSKIT_PERIOD_INTERNAL_H
