#include "collector/invitations.h"

#include <algorithm>
#include <cmath>

#include "npskit/text.h"
#include "utf8.h"

namespace npskit::cli {

namespace {

error invalid(std::string message) {
  return make_error(error_code::invalid_argument, std::move(message));
}

// C0 controls, DEL and C1 controls (U+0080..U+009F, 0xC2 0x80..0x9F in
// UTF-8): none belongs in a name, an address or an id, and CR or LF in one
// would let it add lines to a message's header.
bool has_control_character(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7f) return true;
    if (byte == 0xc2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9f) return true;
    }
  }
  return false;
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
  if (has_control_character(text)) return std::string("holds a control character");
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

std::optional<std::string> check_contact_id(std::string_view contact) {
  return check_text(contact, 200, false);
}

std::optional<std::string> check_survey_key(std::string_view survey) {
  return check_text(survey, 200, false);
}

std::optional<std::string> check_campaign_name(std::string_view campaign) {
  return check_text(campaign, 100, false);
}

std::optional<std::string> check_display_name(std::string_view name) {
  return check_text(name, 200, true);
}

// Deliberately plain: one @, a local part and a domain of printable
// characters without blanks, the domain with a dot or a bracketed address.
// Whether the mailbox exists is for the SMTP server to say.
std::optional<std::string> check_email_address(std::string_view email) {
  if (auto problem = check_text(email, 254, false)) return problem;
  const std::size_t at = email.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == email.size()) {
    return std::string("is not an e-mail address (expected local@domain)");
  }
  for (const char c : email) {
    if (c == ' ' || c == '<' || c == '>' || c == ',' || c == ';' || c == '\\' || c == '"') {
      return std::string("holds '") + c + "', which no plain e-mail address has";
    }
  }
  const std::string_view domain = email.substr(at + 1);
  if (email.substr(0, at).find('@') != std::string_view::npos) {
    return std::string("holds more than one @");
  }
  if (domain.find('.') == std::string_view::npos && domain.front() != '[') {
    return std::string("has no dot in its domain (expected local@example.com)");
  }
  if (domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return std::string("has an empty label in its domain");
  }
  return std::nullopt;
}

// A BCP 47 tag as the locales use: a 2 or 3 letter language, then subtags
// of 2 to 8 letters or digits ("sv", "zh-CN", "pt-BR", "sr-Latn").
std::optional<std::string> check_locale_tag(std::string_view locale) {
  if (locale.empty()) return std::nullopt;
  const auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  std::size_t start = 0;
  bool first = true;
  while (start <= locale.size()) {
    std::size_t end = locale.find_first_of("-_", start);
    if (end == std::string_view::npos) end = locale.size();
    const std::string_view part = locale.substr(start, end - start);
    const bool letters = std::all_of(part.begin(), part.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    });
    const bool fits = first ? (part.size() >= 2 && part.size() <= 3 && letters)
                            : (part.size() >= 2 && part.size() <= 8 &&
                               std::all_of(part.begin(), part.end(), alnum));
    if (!fits) {
      return std::string("is not a language tag (expected e.g. en, sv, zh-CN)");
    }
    first = false;
    start = end + 1;
  }
  return std::nullopt;
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
