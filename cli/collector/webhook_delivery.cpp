#include "collector/webhook_delivery.h"

#include <algorithm>
#include <cstdio>
#include <random>

#include "collector/webhook_payload.h"
#include "collector/webhook_signature.h"

namespace npskit::cli {

namespace {

void log_line(const std::string& text) { std::fprintf(stderr, "npskit serve: %s\n", text.c_str()); }

std::string seconds_text(std::int64_t milliseconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(milliseconds) / 1000.0);
  return text;
}

}  // namespace

webhook_deliverer::webhook_deliverer(webhook_options options, answer_storage& storage,
                                     std::size_t senders)
    : options_(std::move(options)),
      storage_(storage),
      timeouts_{std::chrono::milliseconds(options_.timeout_ms),
                std::chrono::milliseconds(options_.timeout_ms)},
      sender_count_(std::max<std::size_t>(1, senders)) {
  for (const webhook_target& target : options_.targets) {
    auto state = std::make_unique<hook>();
    state->target = &target;
    by_key_[target.key] = state.get();
    hooks_.push_back(std::move(state));
  }
}

webhook_deliverer::~webhook_deliverer() { stop(); }

status webhook_deliverer::start(const std::string& served_url) {
  link_base_ = options_.public_url.empty() ? served_url : options_.public_url;
  auto disabled = storage_.disabled_hooks();
  if (!disabled) return disabled.error();
  std::vector<outbox_change> enabled;
  for (const disabled_hook& mark : *disabled) {
    const auto found = by_key_.find(mark.hook);
    if (found == by_key_.end()) continue;
    const webhook_target& target = *found->second->target;
    if (std::find(options_.enable_again.begin(), options_.enable_again.end(), target.url_text) !=
        options_.enable_again.end()) {
      enabled.push_back({outbox_change_kind::hook_enabled, "", mark.hook, 0, ""});
      log_line(target.label + ": enabled again (--webhook-enable); it was disabled at " +
               mark.disabled_at);
      continue;
    }
    found->second->disabled = true;
    log_line("warning: " + target.label + " stays disabled: it answered 410 Gone at " +
             mark.disabled_at + " (--webhook-enable URL sends to it again)");
  }
  if (!enabled.empty()) {
    auto recorded = storage_.record_outbox_changes(enabled);
    if (!recorded) return recorded.error();
  }
  for (const webhook_target& target : options_.targets) {
    std::string line = "alerts: " + target.label + " for " + to_string(target.when) + " answers";
    if (target.format == webhook_format::standard) {
      line += target.secret ? ", signed" : ", unsigned (no --webhook-secret-file)";
    }
    log_line(line);
    if (!target.secret_note.empty()) log_line(target.label + ": " + target.secret_note);
  }
  if (options_.targets.empty()) return ok{};
  dispatcher_ = std::thread([this] { run_dispatcher(); });
  for (std::size_t i = 0; i < sender_count_; ++i) senders_.emplace_back([this] { run_sender(); });
  return ok{};
}

void webhook_deliverer::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  dispatcher_wake_.notify_all();
  work_ready_.notify_all();
  if (dispatcher_.joinable()) dispatcher_.join();
  for (std::thread& sender : senders_) {
    if (sender.joinable()) sender.join();
  }
  senders_.clear();
}

std::vector<outbox_message> webhook_deliverer::messages_for(const response& value,
                                                            const std::string& received_at) const {
  std::vector<outbox_message> messages;
  for (const auto& state : hooks_) {
    const webhook_target& target = *state->target;
    if (state->disabled || !matches(target.when, value)) continue;
    const std::string link = inbox_link(link_base_, value);
    messages.push_back({new_webhook_id(), target.key,
                        target.format == webhook_format::slack
                            ? slack_payload(value, link)
                            : standard_webhook_payload(value, received_at, link)});
  }
  return messages;
}

void webhook_deliverer::deliveries_committed() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    look_again_ = true;
  }
  dispatcher_wake_.notify_one();
}

std::vector<std::string> webhook_deliverer::active_hooks() const {
  std::vector<std::string> keys;
  for (const auto& state : hooks_) {
    if (!state->disabled) keys.push_back(state->target->key);
  }
  return keys;
}

// Claims due deliveries while a sender is free; sleeps until an answer
// brings new ones, a sender frees up, or the poll interval passes (retries
// come due on their own).
void webhook_deliverer::run_dispatcher() {
  const auto poll = std::chrono::milliseconds(std::min<std::int64_t>(1000, options_.retry.base_ms));
  // Long enough for an attempt to end; a claim that outlives it (the sender
  // is stuck past its timeouts) is handed out again.
  const std::int64_t lease_ms = (timeouts_.connect + timeouts_.exchange).count() + 1000;
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    look_again_ = false;
    const std::size_t waiting = busy_ + work_.size();
    if (waiting < sender_count_) {
      const std::vector<std::string> keys = active_hooks();
      lock.unlock();
      const std::int64_t now = unix_time_ms();
      auto claimed =
          keys.empty()
              ? result<std::vector<outbox_delivery>>(std::vector<outbox_delivery>{})
              : storage_.claim_due_deliveries(keys, now, sender_count_ - waiting, now + lease_ms);
      lock.lock();
      if (!claimed) {
        log_line(claimed.error().message);
      } else if (!claimed->empty()) {
        for (outbox_delivery& delivery : *claimed) work_.push_back(std::move(delivery));
        work_ready_.notify_all();
        continue;  // more may be due
      }
    }
    dispatcher_wake_.wait_for(lock, poll, [this] { return stopping_ || look_again_; });
  }
}

void webhook_deliverer::run_sender() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    work_ready_.wait(lock, [this] { return stopping_ || !work_.empty(); });
    if (stopping_) return;
    outbox_delivery delivery = std::move(work_.front());
    work_.pop_front();
    ++busy_;
    lock.unlock();
    deliver(delivery);
    lock.lock();
    --busy_;
    look_again_ = true;
    dispatcher_wake_.notify_one();
  }
}

void webhook_deliverer::deliver(const outbox_delivery& delivery) {
  thread_local std::mt19937_64 random{std::random_device{}()};
  const auto found = by_key_.find(delivery.hook);
  if (found == by_key_.end() || found->second->disabled) return;
  hook& state = *found->second;
  const webhook_target& target = *state.target;

  const std::int64_t attempt_seconds = unix_time_ms() / 1000;
  std::vector<std::pair<std::string, std::string>> headers = {
      {"webhook-id", delivery.delivery_id}, {"webhook-timestamp", std::to_string(attempt_seconds)}};
  if (target.secret) {
    headers.emplace_back("webhook-signature", sign_webhook(*target.secret, delivery.delivery_id,
                                                           attempt_seconds, delivery.payload));
  }
  const post_outcome outcome = post_json(target.url, headers, delivery.payload, timeouts_);

  outbox_change change;
  change.delivery_id = delivery.delivery_id;
  change.hook = delivery.hook;
  if (outcome.status >= 200 && outcome.status < 300) {
    change.kind = outbox_change_kind::delivered;
  } else if (outcome.status == 410) {
    change.kind = outbox_change_kind::hook_disabled;
    state.disabled = true;
    log_line(target.label +
             " answered 410 Gone: disabled; its undelivered alerts are dropped "
             "(--webhook-enable URL sends to it again)");
  } else {
    const std::string why =
        outcome.status != 0 ? "HTTP " + std::to_string(outcome.status) : outcome.failure;
    const int failures = delivery.attempts + 1;
    const std::int64_t now = unix_time_ms();
    if (now - delivery.created_ms >= options_.retry.give_up_after_ms()) {
      change.kind = outbox_change_kind::abandoned;
      log_line(target.label + ": gave up on " + delivery.delivery_id + " after " +
               std::to_string(failures) + " attempts over " +
               seconds_text(now - delivery.created_ms) + " (" + why + ")");
    } else {
      std::int64_t wait = options_.retry.delay_ms(
          failures, std::uniform_real_distribution<double>(0.0, 1.0)(random));
      // A receiver that says when to come back is heeded, within the cap.
      if (outcome.retry_after_seconds >= 0) {
        wait =
            std::max(wait, std::min(outcome.retry_after_seconds * 1000, options_.retry.cap_ms()));
      }
      change.kind = outbox_change_kind::retry_later;
      change.next_attempt_ms = now + wait;
      change.failure = why;
      log_line(target.label + ": " + delivery.delivery_id + " failed (" + why + "), attempt " +
               std::to_string(failures) + "; next in " + seconds_text(wait));
    }
  }
  auto recorded = storage_.record_outbox_changes({change});
  if (!recorded) log_line(recorded.error().message);
}

}  // namespace npskit::cli
