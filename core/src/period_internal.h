// Period keys with the reason a date could not be used, for the aggregate's
// count of answers without a usable date. Not part of the public API.
#ifndef NPSKIT_PERIOD_INTERNAL_H
#define NPSKIT_PERIOD_INTERNAL_H

#include <optional>
#include <string>
#include <string_view>

#include "npskit/period.h"

namespace npskit::period_detail {

struct keyed_date {
  std::string key;                      // set when the date was read
  std::optional<date_problem> problem;  // why not
  std::string message;
};

keyed_date period_key_of(std::string_view timestamp, period value, const date_options& options);

}  // namespace npskit::period_detail

#endif  // NPSKIT_PERIOD_INTERNAL_H
