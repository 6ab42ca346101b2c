// Per-client token buckets for POST /api/responses: each client (IP address)
// may post `per_minute` answers a minute on average, and a burst of as many
// after a quiet minute.
#ifndef NPSKIT_CLI_COLLECTOR_RATE_LIMITER_H
#define NPSKIT_CLI_COLLECTOR_RATE_LIMITER_H

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "npskit/result.h"

namespace npskit::cli {

// "N/min", "N/s", "N/h" or a bare N (per minute); "0" turns limiting off.
// Error names the option and the expected form.
result<double> parse_rate(std::string_view text);

class rate_limiter {
 public:
  using clock = std::chrono::steady_clock;

  // per_minute <= 0: every request passes.
  explicit rate_limiter(double per_minute)
      : per_minute_(per_minute), capacity_(per_minute < 1 ? 1 : per_minute) {}

  // Takes one token from client's bucket. Returns 0 when the request may go
  // ahead, otherwise the whole seconds to wait until a token is back (the
  // value of Retry-After).
  long acquire(const std::string& client, clock::time_point now = clock::now());

 private:
  struct bucket {
    double tokens = 0;
    clock::time_point updated;
  };
  void forget_idle_clients(clock::time_point now);

  double per_minute_;
  double capacity_;  // at least one token, so that slow rates still let one through
  std::mutex mutex_;
  std::unordered_map<std::string, bucket> buckets_;
};

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_RATE_LIMITER_H
