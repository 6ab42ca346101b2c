// Options of `npskit serve` for invitations: the SMTP server that sends
// them, the delay after an event and the re-survey window. The key that
// signs personal and unsubscribe links is --link-secret-file
// (personal_answers.h).
#ifndef NPSKIT_CLI_COLLECTOR_INVITATION_OPTIONS_H
#define NPSKIT_CLI_COLLECTOR_INVITATION_OPTIONS_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "arguments.h"
#include "collector/smtp_client.h"
#include "npskit/result.h"

namespace npskit::cli {

struct invitation_options {
  std::optional<smtp_settings> smtp;  // none: invitations are queued, not sent here
  std::int64_t default_delay_ms = std::int64_t{3600} * 1000;  // --invite-delay
  std::int64_t resurvey_days = 90;                            // --resurvey-days; 0: no window
  double per_minute = 0;                                      // --invite-rate; 0: unpaced
  std::string product;                                        // --product
};

class background_sender;

// What a running collector holds for invitations (the link key is the
// collector_state's link_key).
struct invitation_service {
  invitation_options options;
  background_sender* sender = nullptr;  // none without --smtp
};

// Rows added to the serve option table.
const std::vector<option_spec>& invitation_option_table();

// Errors name the option and what was expected.
result<invitation_options> read_invitation_options(const parsed_arguments& parsed);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_INVITATION_OPTIONS_H
