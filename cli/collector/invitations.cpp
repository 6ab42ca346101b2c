#include "collector/invitations.h"

#include <algorithm>
#include <cmath>

#include "npskit/contacts.h"
#include "npskit/text.h"
#include "utf8.h"

namespace npskit::cli {

namespace {

error invalid(std::string message) {
  return make_error(error_code::invalid_argument, std::move(message));
}

std::optional<std::string> check_text(std::string_view text, std::size_t longest,
                                      bool allow_empty) {
  if (text.empty()) {
    return allow_empty ? std::nullopt : std::optional<std::string>("is empty");
  }
  if (text.size() > longest) {
    return std::to_string(text.size()) + " bytes, more than " + std::to_string(longest);
  }
  if (!utf8::is_valid(text)) return std::string("is not valid UTF-8");
  if (utf8::first_control_character(text) != 0) return std::string("holds a control character");
  if (npskit::text::trim(text).size() != text.size()) {
    return std::string("has blanks around it");
  }
  return std::nullopt;
}

}  // namespace

const char* to_string(invitation_state state) {
  switch (state) {
    case invitation_state::queued:
      return "queued";
    case invitation_state::sending:
      return "sending";
    case invitation_state::sent:
      return "sent";
    case invitation_state::failed:
      return "failed";
    case invitation_state::skipped:
      return "skipped";
  }
  return "queued";
}

std::optional<invitation_state> parse_invitation_state(std::string_view text) {
  for (const invitation_state state :
       {invitation_state::queued, invitation_state::sending, invitation_state::sent,
        invitation_state::failed, invitation_state::skipped}) {
    if (text == to_string(state)) return state;
  }
  return std::nullopt;
}

invitation_decision decide_invitation(const contact_history& history,
                                      std::string_view window_start) {
  if (history.unsubscribed) {
    return {invitation_state::skipped, std::string(reason_unsubscribed)};
  }
  if (!window_start.empty()) {
    // ISO-8601 UTC timestamps of one format compare as text.
    if (!history.last_answered_at.empty() && history.last_answered_at >= window_start) {
      return {invitation_state::skipped, std::string(reason_recently_answered)};
    }
    if (!history.last_asked_at.empty() && history.last_asked_at >= window_start) {
      return {invitation_state::skipped, std::string(reason_recently_asked)};
    }
  }
  return {invitation_state::queued, ""};
}

namespace {

// A field given on its own (an API body, an option) is refused with blanks
// around it rather than trimmed; otherwise the core's rule for the same field
// of a contact list.
std::optional<std::string> check_contact_field(std::string_view text,
                                               std::string (*rule)(std::string_view)) {
  if (!text.empty() && npskit::text::trim(text).size() != text.size()) {
    return std::string("has blanks around it");
  }
  std::string problem = rule(text);
  return problem.empty() ? std::nullopt : std::optional<std::string>(std::move(problem));
}

}  // namespace

std::optional<std::string> check_contact_id(std::string_view contact) {
  return check_contact_field(contact, contact_id_problem);
}

std::optional<std::string> check_email_address(std::string_view email) {
  return check_contact_field(email, email_address_problem);
}

std::optional<std::string> check_display_name(std::string_view name) {
  return check_contact_field(name, display_name_problem);
}

std::optional<std::string> check_locale_tag(std::string_view locale) {
  return check_contact_field(locale, locale_tag_problem);
}

std::optional<std::string> check_survey_key(std::string_view survey) {
  return check_text(survey, 200, false);
}

std::optional<std::string> check_campaign_name(std::string_view campaign) {
  return check_text(campaign, 100, false);
}

result<std::int64_t> parse_delay(std::string_view field, std::string_view text) {
  const std::string name(field);
  const auto wrong = [&] {
    return invalid(name + ": \"" + std::string(text.substr(0, 40)) +
                   "\" is not a delay (expected a whole number with s, m, h or d, e.g. 2h; at "
                   "most 365d)");
  };
  if (text.empty()) return wrong();
  std::int64_t unit_ms = 1000;
  std::string_view digits = text;
  switch (text.back()) {
    case 's':
      unit_ms = 1000;
      digits.remove_suffix(1);
      break;
    case 'm':
      unit_ms = std::int64_t{60} * 1000;
      digits.remove_suffix(1);
      break;
    case 'h':
      unit_ms = std::int64_t{3600} * 1000;
      digits.remove_suffix(1);
      break;
    case 'd':
      unit_ms = 24LL * 3600 * 1000;
      digits.remove_suffix(1);
      break;
    default:
      break;
  }
  if (digits.empty() || digits.size() > 9 ||
      !std::all_of(digits.begin(), digits.end(), npskit::text::is_digit)) {
    return wrong();
  }
  const std::int64_t amount = std::stoll(std::string(digits));
  const std::int64_t milliseconds = amount * unit_ms;
  if (milliseconds > 365LL * 24 * 3600 * 1000) return wrong();
  return milliseconds;
}

std::int64_t pace_offset_ms(std::size_t index, double per_minute) {
  if (per_minute <= 0 || !std::isfinite(per_minute)) return 0;
  return static_cast<std::int64_t>(std::llround(static_cast<double>(index) * 60000.0 / per_minute));
}

std::int64_t retry_delay_ms(int attempts) {
  constexpr int most_attempts = 5;
  if (attempts <= 0) return 0;
  if (attempts >= most_attempts) return -1;
  return std::int64_t{60000} << (attempts - 1);
}

}  // namespace npskit::cli
