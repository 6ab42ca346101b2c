// Per-client token buckets for POST /api/responses: each client (IP address)
// may post `per_minute` answers a minute on average, and a burst of as many
// after a quiet minute. The table holds at most max_clients buckets: the one
// used longest ago makes room for a new client, so memory stays bounded
// whatever the number of addresses, and each request costs O(1).
#ifndef NPSKIT_CLI_COLLECTOR_RATE_LIMITER_H
#define NPSKIT_CLI_COLLECTOR_RATE_LIMITER_H

#include <chrono>
#include <cstddef>
#include <list>
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

  // Enough for every client of a busy site within a minute; about 100 bytes
  // each (12 MB in all at most).
  static constexpr std::size_t default_max_clients = 100000;

  // per_minute <= 0: every request passes. max_clients >= 1.
  explicit rate_limiter(double per_minute, std::size_t max_clients = default_max_clients)
      : per_minute_(per_minute),
        capacity_(per_minute < 1 ? 1 : per_minute),
        max_clients_(max_clients < 1 ? 1 : max_clients) {}

  // Takes one token from client's bucket. Returns 0 when the request may go
  // ahead, otherwise the whole seconds to wait until a token is back (the
  // value of Retry-After).
  long acquire(const std::string& client, clock::time_point now = clock::now());

  // Clients with a bucket now (at most max_clients).
  std::size_t tracked_clients();

 private:
  struct bucket {
    std::string client;
    double tokens = 0;
    clock::time_point updated;
  };
  // Most recently used first; the map points into it, and splicing an entry
  // to the front keeps every iterator valid.
  using usage_list = std::list<bucket>;

  double per_minute_;
  double capacity_;  // at least one token, so that slow rates still let one through
  std::size_t max_clients_;
  std::mutex mutex_;
  usage_list usage_;
  std::unordered_map<std::string_view, usage_list::iterator> buckets_;
};

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_RATE_LIMITER_H
