// What `npskit serve` does with an answer that came from a personal link
// (?c=CONTACT&sig=...): the signature decides whether the contact is kept,
// and the options that go with it (--link-secret-file,
// --answer-replace-window). One answer per contact and campaign is kept by
// the storage (storage.h, set_answer_replace_window).
#ifndef NPSKIT_CLI_COLLECTOR_PERSONAL_ANSWERS_H
#define NPSKIT_CLI_COLLECTOR_PERSONAL_ANSWERS_H

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arguments.h"
#include "collector/personal_link.h"
#include "collector/storage.h"
#include "npskit/response.h"
#include "npskit/result.h"

namespace npskit::cli {

struct personal_answer_options {
  // --link-secret-file; empty: `<db>.link-key` for SQLite, none for
  // PostgreSQL (every collector of the database must share one file).
  std::string link_secret_file;
  // --answer-replace-window: a later answer of the same contact and campaign
  // replaces the earlier one received at most this long before it.
  std::chrono::milliseconds replace_window = std::chrono::hours(1);
};

// The options' rows of `npskit serve --help` and of its parser.
const std::vector<option_spec>& personal_answer_option_table();
// Errors name the option, the value and what was expected.
result<personal_answer_options> read_personal_answer_options(const parsed_arguments& parsed);

// "90s", "30m", "1h", "2d" or "0" (never replace). Errors name `flag`.
result<std::chrono::milliseconds> parse_window(std::string_view flag, std::string_view text);

// The key personal links are checked with, and the start-up line's words
// about it. No key (PostgreSQL without --link-secret-file): every answer
// with a contact is stored without it, and `note` says why.
struct personal_link_key {
  std::optional<link_secret> secret;
  std::string note;
};
result<personal_link_key> load_personal_link_key(const personal_answer_options& options,
                                                 const storage_target& db);

enum class contact_status { none, verified, unverified };

// Settles the contact of a validated answer before it is stored. The
// signature never reaches the database. A contact whose signature is missing
// or wrong (or that cannot be checked: no key) is removed, and the stored
// payload says "contact_status": "unverified": the answer is still recorded,
// anonymously, so that editing a link neither answers as someone else nor
// loses the score. `value.json` and the fields change to what is stored.
contact_status settle_contact(response& value, const link_secret* secret);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_PERSONAL_ANSWERS_H
