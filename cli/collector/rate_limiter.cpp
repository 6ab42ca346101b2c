#include "collector/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace npskit::cli {

result<double> parse_rate(std::string_view text) {
  const auto invalid = [&] {
    return make_error(
        error_code::invalid_argument,
        "--rate: \"" + std::string(text) +
            "\" is not a rate (expected N/min, N/s or N/h with N >= 0; 0 = no limit)");
  };
  const std::size_t slash = text.find('/');
  const std::string number(text.substr(0, slash));
  const std::string_view unit = slash == std::string_view::npos ? "min" : text.substr(slash + 1);
  if (number.empty()) return invalid();
  char* end = nullptr;
  const double count = std::strtod(number.c_str(), &end);
  if (end != number.c_str() + number.size() || !std::isfinite(count) || count < 0) {
    return invalid();
  }
  if (unit == "min" || unit == "m") return count;
  if (unit == "s" || unit == "sec") return count * 60;
  if (unit == "h" || unit == "hour") return count / 60;
  return invalid();
}

long rate_limiter::acquire(const std::string& client, clock::time_point now) {
  if (per_minute_ <= 0) return 0;
  std::lock_guard<std::mutex> lock(mutex_);
  bucket* state = nullptr;
  const auto found = buckets_.find(client);
  if (found != buckets_.end()) {
    usage_.splice(usage_.begin(), usage_, found->second);
    state = &*found->second;
    const double minutes =
        std::chrono::duration<double, std::ratio<60>>(now - state->updated).count();
    state->tokens = std::min(capacity_, state->tokens + minutes * per_minute_);
    state->updated = now;
  } else {
    if (buckets_.size() >= max_clients_) {
      // The bucket used longest ago has had the most time to refill; its
      // client starts afresh if it comes back.
      buckets_.erase(usage_.back().client);
      usage_.pop_back();
    }
    usage_.push_front(bucket{client, capacity_, now});
    // The key views the list entry's own copy of the address.
    buckets_.emplace(usage_.front().client, usage_.begin());
    state = &usage_.front();
  }
  if (state->tokens >= 1) {
    state->tokens -= 1;
    return 0;
  }
  const double seconds = (1 - state->tokens) * 60 / per_minute_;
  return std::max(1L, static_cast<long>(std::ceil(seconds)));
}

std::size_t rate_limiter::tracked_clients() {
  std::lock_guard<std::mutex> lock(mutex_);
  return buckets_.size();
}

}  // namespace npskit::cli
