// Where a stored answer came from: the page (web), a shared link, or an
// e-mail, with the campaign and the contact of a personal link. The columns
// channel, campaign and contact of the stored answers (schema version 4) and
// the counts per channel and per campaign are filled from it, and the same
// grouping runs on an export in `npskit summarize --by channel|campaign`, so
// that both give the same groups.
#ifndef NPSKIT_CLI_COLLECTOR_ANSWER_ORIGIN_H
#define NPSKIT_CLI_COLLECTOR_ANSWER_ORIGIN_H

#include <optional>
#include <string>
#include <string_view>

#include "npskit/response.h"

namespace npskit::cli {

struct answer_origin {
  std::string channel = "web";  // "web", "link" or "email"
  std::string campaign;         // trimmed; empty: none
  std::string contact;          // empty: anonymous (or not verified)
  // True when the answer belongs to one contact in one campaign, so that a
  // later answer of the same contact and campaign replaces it or is refused.
  bool one_per_contact() const { return !campaign.empty() && !contact.empty(); }
};

// The origin of a validated answer (the core parses and checks the fields).
// An answer stored before they existed is a web answer without campaign or
// contact. A companion answer (answer_id) completes the contact's answer
// rather than being one: it keeps its channel but no campaign or contact
// column, so it neither replaces that answer nor counts as another (its
// payload keeps both, for grouping).
answer_origin origin_of(const response& value);

// The groups of /api/summary?by=channel|campaign and of
// `npskit summarize --by channel|campaign`: answers grouped by the value of
// one payload field, as the export's readers see it (trimmed).
enum class origin_dimension { channel, campaign };
std::optional<origin_dimension> parse_origin_dimension(std::string_view name);
const char* to_string(origin_dimension dimension);  // "channel", "campaign"
// The group of an answer whose field is blank or absent: "web" for the
// channel (answers stored before channels existed came from the page),
// "(none)" for the campaign (as for a blank segment).
const char* blank_group(origin_dimension dimension);
// The group key of a field's value: trimmed, blank_group() when blank.
std::string origin_group(origin_dimension dimension, std::string_view value);

// `summary_json` is a summary grouped by segment whose segment was the
// dimension's field: names the grouping (`"by": "channel"`) and, for
// campaigns, gives every group the fields a collector that records
// invitations fills: "invitations" and "response_rate" (answers divided by
// invitations), null when unknown (an export has no invitations). Keeps the
// indentation of to_json (-1: one line).
std::string label_origin_summary(const std::string& summary_json, origin_dimension dimension,
                                 int indent);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_ANSWER_ORIGIN_H
