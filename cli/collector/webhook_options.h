// Alert destinations of `npskit serve`: --webhook (Standard Webhooks, signed
// JSON) and --slack-webhook (a Slack incoming webhook), each followed by the
// options that qualify it, and the retry schedule of their deliveries.
#ifndef NPSKIT_CLI_COLLECTOR_WEBHOOK_OPTIONS_H
#define NPSKIT_CLI_COLLECTOR_WEBHOOK_OPTIONS_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arguments.h"
#include "collector/webhook_signature.h"
#include "npskit/response.h"
#include "npskit/result.h"

namespace npskit::cli {

// An http:// or https:// address split for the client.
struct http_url {
  bool tls = false;
  std::string host;          // without brackets for IPv6
  std::string port;          // "80"/"443" when absent
  std::string target = "/";  // path and query
  // scheme://host[:port]/… : the path may carry a credential (Slack's does),
  // so logs show only this.
  std::string redacted;
};

// http://HOST[:PORT][/PATH] or https://…; errors name the option and value.
result<http_url> parse_http_url(std::string_view option, std::string_view given);

// Which answers a destination receives.
enum class webhook_when {
  detractor,  // scores 0-6
  passive,    // 7-8
  promoter,   // 9-10
  response,   // every score, no dismissals
  all,        // every score and every dismissal
};

const char* to_string(webhook_when when);
bool matches(webhook_when when, const response& value);

enum class webhook_format {
  standard,  // npskit's JSON event, signed per Standard Webhooks
  slack,     // Slack's incoming-webhook message (text + blocks), unsigned
};

struct webhook_target {
  webhook_format format = webhook_format::standard;
  std::string url_text;  // as given
  http_url url;
  webhook_when when = webhook_when::response;
  std::string secret_file;               // "" when none: deliveries unsigned
  std::optional<webhook_secret> secret;  // read (or created) at start-up
  std::string secret_note;               // "new secret in FILE" or a mode warning, for the log
  // Names the destination in the outbox without keeping its URL (which may
  // hold a credential) in the database: SHA-256 of format and URL.
  std::string key;
  std::string label;  // "webhook 1 (https://example.com/…)" for logs
};

// The retry schedule, all derived from one base so that tests can shrink it:
// the n-th retry waits base·2^(n-1), at most base·720 (an hour for the default
// base of 5 s), each wait drawn between 75 % and 125 % of that (jitter), and a
// delivery is retried until it is base·17280 old (a day for the default).
struct retry_policy {
  std::int64_t base_ms = 5000;
  std::int64_t delay_ms(int failures, double jitter_unit) const;  // jitter_unit in [0, 1)
  std::int64_t cap_ms() const { return base_ms * 720; }
  std::int64_t give_up_after_ms() const { return base_ms * 17280; }
};

struct webhook_options {
  std::vector<webhook_target> targets;
  retry_policy retry;
  // Where people reach the collector, for the links in alerts; "" until the
  // server knows its port (then http://HOST:PORT).
  std::string public_url;
  std::vector<std::string> enable_again;  // URLs whose 410 mark is lifted
  // Bound on connecting (TLS included) and, again, on sending and reading the
  // answer of one attempt. A claim is leased for both plus a second, so a
  // collector that crashed mid-attempt leaves its claims to others (or to
  // itself, restarted) that long.
  std::int64_t timeout_ms = 15000;
};

// Reads --webhook, --slack-webhook and the --webhook-* options that follow
// each of them, --webhook-retry-base-ms, --public-url and --webhook-enable.
// Secret files are read (created when missing) here.
result<webhook_options> read_webhook_options(const parsed_arguments& parsed);

// The option table rows of the alert options (appended to serve's table).
const std::vector<option_spec>& webhook_option_table();

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_WEBHOOK_OPTIONS_H
