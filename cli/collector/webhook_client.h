// The collector's one outgoing HTTP request: a POST of a webhook body to an
// http:// or https:// address, with bounded time for every step, so that an
// unresponsive receiver holds a sender for at most connect + exchange time.
#ifndef NPSKIT_CLI_COLLECTOR_WEBHOOK_CLIENT_H
#define NPSKIT_CLI_COLLECTOR_WEBHOOK_CLIENT_H

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "collector/webhook_options.h"

namespace npskit::cli {

struct post_timeouts {
  std::chrono::milliseconds connect{10000};   // resolve, connect and TLS handshake
  std::chrono::milliseconds exchange{20000};  // send the request, read the answer
};

struct post_outcome {
  int status = 0;                         // the receiver's HTTP status; 0 when none came
  std::string failure;                    // why no status came (refused, timed out, TLS…)
  std::int64_t retry_after_seconds = -1;  // Retry-After in seconds, -1 when absent
};

// POSTs `body` as application/json with the extra headers. Never throws.
post_outcome post_json(const http_url& url,
                       const std::vector<std::pair<std::string, std::string>>& headers,
                       const std::string& body, const post_timeouts& timeouts);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_WEBHOOK_CLIENT_H
