// The bodies the collector sends for an answer: npskit's event for
// --webhook (the stored answer under "data", in the event envelope the
// Standard Webhooks specification recommends) and a Slack message for
// --slack-webhook.
#ifndef NPSKIT_CLI_COLLECTOR_WEBHOOK_PAYLOAD_H
#define NPSKIT_CLI_COLLECTOR_WEBHOOK_PAYLOAD_H

#include <string>
#include <string_view>

#include "npskit/response.h"

namespace npskit::cli {

// "response.detractor", "response.passive", "response.promoter" or
// "dismissal.recorded".
std::string webhook_event_type(const response& value);

// Where the answer opens in the collector's inbox: BASE/admin/#/inbox/ID.
std::string inbox_link(std::string_view public_url, const response& value);

// {"type": …, "timestamp": received_at, "data": <the answer as stored>,
//  "links": {"inbox": …}}, compact.
std::string standard_webhook_payload(const response& value, std::string_view received_at,
                                     std::string_view link);

// Slack's incoming-webhook format: "text" (the notification and the
// fallback) and "blocks" (category and score, survey, the comment quoted, a
// link to the inbox). Text from the answer is escaped for Slack's mrkdwn, so
// a comment cannot mention a channel or forge a link.
std::string slack_payload(const response& value, std::string_view link);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_WEBHOOK_PAYLOAD_H
