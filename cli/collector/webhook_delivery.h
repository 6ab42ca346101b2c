// Delivers the alert outbox: picks the deliveries each stored answer makes
// (on the request's thread, for the store to write with the answer), and
// sends the queued ones from threads of its own, so a slow or failing
// receiver never holds up an answer being posted. Every delivery is sent
// until a receiver takes it (at least once, across restarts), with the same
// webhook-id and body on every attempt; a 410 Gone disables its hook.
#ifndef NPSKIT_CLI_COLLECTOR_WEBHOOK_DELIVERY_H
#define NPSKIT_CLI_COLLECTOR_WEBHOOK_DELIVERY_H

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "collector/outbox.h"
#include "collector/storage.h"
#include "collector/webhook_client.h"
#include "collector/webhook_options.h"

namespace npskit::cli {

class webhook_deliverer : public outbox_router {
 public:
  // `senders`: deliveries in flight at once, across all hooks.
  webhook_deliverer(webhook_options options, answer_storage& storage, std::size_t senders = 4);
  ~webhook_deliverer() override;
  webhook_deliverer(const webhook_deliverer&) = delete;
  webhook_deliverer& operator=(const webhook_deliverer&) = delete;

  // Lifts the 410 marks --webhook-enable names, takes note of the other
  // disabled hooks, logs the destinations and starts sending. `served_url`
  // (http://HOST:PORT) is the link base when --public-url is not given.
  status start(const std::string& served_url);
  // Lets the attempts in flight end (bounded by the timeouts), then stops.
  void stop();

  std::vector<outbox_message> messages_for(const response& value,
                                           const std::string& received_at) const override;
  void deliveries_committed() override;

  bool empty() const { return options_.targets.empty(); }

 private:
  struct hook {
    const webhook_target* target = nullptr;
    std::atomic<bool> disabled{false};
  };

  void run_dispatcher();
  void run_sender();
  void deliver(const outbox_delivery& delivery);
  std::vector<std::string> active_hooks() const;

  webhook_options options_;
  answer_storage& storage_;
  post_timeouts timeouts_;
  std::size_t sender_count_;
  std::string link_base_;
  std::vector<std::unique_ptr<hook>> hooks_;
  std::unordered_map<std::string, hook*> by_key_;

  std::mutex mutex_;
  std::condition_variable dispatcher_wake_;
  std::condition_variable work_ready_;
  std::deque<outbox_delivery> work_;
  std::size_t busy_ = 0;
  bool look_again_ = false;
  bool stopping_ = false;
  std::thread dispatcher_;
  std::vector<std::thread> senders_;
};

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_WEBHOOK_DELIVERY_H
