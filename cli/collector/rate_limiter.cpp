#include "collector/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace npskit::cli {
namespace {

// Past this many tracked clients, buckets that have refilled completely are
// dropped: they hold no state a fresh bucket would not.
constexpr std::size_t max_tracked_clients = 10000;

}  // namespace

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
  if (buckets_.size() >= max_tracked_clients) forget_idle_clients(now);
  auto [entry, created] = buckets_.try_emplace(client, bucket{capacity_, now});
  bucket& state = entry->second;
  if (!created) {
    const double minutes =
        std::chrono::duration<double, std::ratio<60>>(now - state.updated).count();
    state.tokens = std::min(capacity_, state.tokens + minutes * per_minute_);
    state.updated = now;
  }
  if (state.tokens >= 1) {
    state.tokens -= 1;
    return 0;
  }
  const double seconds = (1 - state.tokens) * 60 / per_minute_;
  return std::max(1L, static_cast<long>(std::ceil(seconds)));
}

void rate_limiter::forget_idle_clients(clock::time_point now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    const double minutes =
        std::chrono::duration<double, std::ratio<60>>(now - it->second.updated).count();
    if (it->second.tokens + minutes * per_minute_ >= capacity_) {
      it = buckets_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace npskit::cli
