// The alert outbox: deliveries written in the transaction that stores their
// answer; the storage (answer_storage in storage.h) lets the delivery side
// claim the due ones and record what became of them. An answer is
// acknowledged only once its deliveries are durable too, so a crash never
// loses an alert.
#ifndef NPSKIT_CLI_COLLECTOR_OUTBOX_H
#define NPSKIT_CLI_COLLECTOR_OUTBOX_H

#include <cstdint>
#include <string>
#include <vector>

#include "npskit/response.h"
#include "npskit/result.h"

namespace npskit::cli {

// One delivery queued with its answer.
struct outbox_message {
  std::string delivery_id;  // the webhook-id, the same on every attempt
  std::string hook;         // webhook_target::key of the destination
  std::string payload;      // the exact bytes every attempt sends
};

// A queued delivery as claimed for an attempt.
struct outbox_delivery {
  std::string delivery_id;
  std::string hook;
  std::string answer_id;
  std::string payload;
  int attempts = 0;             // failed attempts so far
  std::int64_t created_ms = 0;  // when its answer was stored (Unix ms)
};

enum class outbox_change_kind {
  delivered,      // the receiver took it: the delivery leaves the outbox
  retry_later,    // failed; attempt again at next_attempt_ms
  abandoned,      // failed for longer than the retry schedule lasts: dropped
  hook_disabled,  // the receiver answered 410 Gone: no more deliveries to it
  hook_enabled,   // --webhook-enable lifted the mark
};

struct outbox_change {
  outbox_change_kind kind = outbox_change_kind::delivered;
  std::string delivery_id;  // delivered, retry_later, abandoned
  std::string hook;         // hook_disabled, hook_enabled
  std::int64_t next_attempt_ms = 0;
  std::string failure;  // retry_later: why, kept for inspection
};

struct disabled_hook {
  std::string hook;
  std::string disabled_at;  // ISO-8601 UTC
};

// Decides which deliveries an answer makes. Called on the request's thread
// before the answer is queued for writing, so the writer only inserts rows.
class outbox_router {
 public:
  virtual ~outbox_router() = default;
  virtual std::vector<outbox_message> messages_for(const response& value,
                                                   const std::string& received_at) const = 0;
  // Deliveries were just committed: worth looking for due ones now.
  virtual void deliveries_committed() = 0;
};

// Milliseconds since the Unix epoch, the outbox's clock.
std::int64_t unix_time_ms();

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_OUTBOX_H
