// Invitations: one survey sent by e-mail to one contact for one campaign.
// Every invitation is recorded in the collector's database before it is sent
// (unique per survey, campaign and contact, so sending is idempotent), and
// the rules that decide whether a contact may be asked live here, apart from
// any database or network, so that they are the same for `npskit send` and
// for POST /api/invitations.
#ifndef NPSKIT_CLI_COLLECTOR_INVITATIONS_H
#define NPSKIT_CLI_COLLECTOR_INVITATIONS_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "npskit/result.h"

namespace npskit::cli {

// queued  - recorded, waiting for send_after;
// sending - claimed by a sender, the SMTP transaction under way. A sender
//           killed here leaves it so: it is never sent again automatically
//           (at most once; see the collector's README);
// sent    - the SMTP server accepted it;
// failed  - the SMTP server refused it, or every attempt failed;
// skipped - never sent: reason says why (unsubscribed, asked or answered
//           inside the re-survey window).
enum class invitation_state { queued, sending, sent, failed, skipped };
const char* to_string(invitation_state state);
std::optional<invitation_state> parse_invitation_state(std::string_view text);

// Reasons an invitation is skipped, as stored and reported.
inline constexpr std::string_view reason_unsubscribed = "unsubscribed";
inline constexpr std::string_view reason_recently_asked = "asked within the re-survey window";
inline constexpr std::string_view reason_recently_answered = "answered within the re-survey window";

// What a caller asks to be sent.
struct invitation_request {
  std::string survey;
  std::string campaign;
  std::string contact;
  std::string email;
  std::string name;        // may be empty
  std::string locale;      // may be empty: the message's default
  std::string send_after;  // ISO-8601 UTC; not sent before
};

// An invitation as recorded.
struct invitation_record {
  std::int64_t id = 0;
  std::string survey;
  std::string campaign;
  std::string contact;
  std::string email;
  std::string name;
  std::string locale;
  std::string channel = "email";
  invitation_state state = invitation_state::queued;
  std::string reason;  // skipped: why
  std::string created_at;
  std::string send_after;
  std::string sent_at;  // sent: when the SMTP server accepted it
  int attempts = 0;
  std::string last_error;
};

// What queueing one request did: `created` is false when the survey,
// campaign and contact were already recorded (the record is then the one
// stored before, whatever this request said).
struct queue_outcome {
  invitation_record record;
  bool created = false;
};

// What the database knows of a contact when an invitation is queued.
struct contact_history {
  bool unsubscribed = false;
  std::string last_asked_at;     // latest invitation sent for the survey; empty: never
  std::string last_answered_at;  // latest answer of the contact to the survey; empty: never
};

struct invitation_decision {
  invitation_state state = invitation_state::queued;
  std::string reason;
};

// Queued, or skipped with the reason: unsubscribed contacts are never asked;
// a contact asked or answering at or after window_start (ISO-8601 UTC) is
// not asked again. An empty window_start turns the window off.
invitation_decision decide_invitation(const contact_history& history,
                                      std::string_view window_start);

// Selects which queued invitations a sender claims.
struct invitation_claim {
  std::string survey;    // empty: any
  std::string campaign;  // empty: any
  std::string now;       // ISO-8601 UTC: only send_after <= now
};

// What became of one attempt.
struct invitation_outcome {
  invitation_state state = invitation_state::sent;  // sent, failed or queued (retry)
  std::string at;                                   // ISO-8601 UTC
  std::string error;                                // failed or queued: why
  std::string retry_at;                             // queued: the new send_after
};

// Per campaign of a survey, from the invitations table.
struct campaign_totals {
  std::string survey;
  std::string campaign;
  std::int64_t invited = 0;  // every recorded invitation
  std::int64_t queued = 0;
  std::int64_t sending = 0;  // interrupted or in flight
  std::int64_t sent = 0;
  std::int64_t failed = 0;
  std::int64_t skipped = 0;
};

// --- fields ------------------------------------------------------------------------

// The checks of POST /api/invitations and the command line (contacts files
// are checked by the core's reader, npskit/contacts.h); nullopt when valid,
// otherwise what is wrong, without the field's name.
std::optional<std::string> check_contact_id(std::string_view contact);
std::optional<std::string> check_email_address(std::string_view email);
std::optional<std::string> check_display_name(std::string_view name);
std::optional<std::string> check_locale_tag(std::string_view locale);
std::optional<std::string> check_campaign_name(std::string_view campaign);
std::optional<std::string> check_survey_key(std::string_view survey);

// --- timing --------------------------------------------------------------------------

// "90s", "15m", "2h", "3d" (or a bare number of seconds) as milliseconds;
// errors name `field` and the expected form. At most 365 days.
result<std::int64_t> parse_delay(std::string_view field, std::string_view text);

// Paces sending at `per_minute` messages a minute: the moment (milliseconds
// after the first message) at which message number `index` (0-based) may go.
// per_minute <= 0 means no pacing (always 0).
std::int64_t pace_offset_ms(std::size_t index, double per_minute);

// After `attempts` failed attempts (1-based): wait before the next one, or
// -1 when no attempt is left. Doubles from one minute, at most five tries.
std::int64_t retry_delay_ms(int attempts);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_INVITATIONS_H
