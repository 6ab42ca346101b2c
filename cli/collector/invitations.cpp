#include "collector/invitations.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

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

std::string quoted(std::string_view text) {
  std::string shown = utf8::is_valid(text) ? std::string(text.substr(0, 80)) : "(not UTF-8)";
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return "\"" + shown + (text.size() > 80 ? "...\"" : "\"");
}

// Splits CSV text into rows of fields (RFC 4180 quoting), remembering the
// line each row starts on. A quote left open at the end of the input is an
// error naming its line.
struct csv_row {
  std::uint64_t line = 0;
  std::vector<std::string> fields;
};

result<std::vector<csv_row>> split_csv(std::string_view text, char delimiter,
                                       std::string_view source) {
  std::vector<csv_row> rows;
  csv_row row;
  std::string field;
  std::uint64_t line = 1;
  row.line = 1;
  bool quoted_field = false;
  bool in_quotes = false;
  std::uint64_t quote_line = 0;
  const auto end_field = [&] {
    row.fields.push_back(std::move(field));
    field.clear();
    quoted_field = false;
  };
  const auto end_row = [&] {
    end_field();
    rows.push_back(std::move(row));
    row = csv_row{};
    row.line = line;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && field.empty() && !quoted_field) {
      in_quotes = true;
      quoted_field = true;
      quote_line = line;
    } else if (c == delimiter) {
      end_field();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;  // the \n ends the row
    } else if (c == '\n' || c == '\r') {
      ++line;
      end_row();
    } else {
      field.push_back(c);
    }
  }
  if (in_quotes) {
    return invalid(std::string(source) + ": line " + std::to_string(quote_line) +
                   ": a quoted field is never closed (expected a closing \")");
  }
  if (!field.empty() || !row.fields.empty() || quoted_field) end_row();
  return rows;
}

bool blank_row(const csv_row& row) {
  return std::all_of(row.fields.begin(), row.fields.end(),
                     [](const std::string& field) { return npskit::text::trim(field).empty(); });
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

result<contact_list> parse_contacts_csv(std::string_view text, std::string_view source) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const std::string_view first_line = text.substr(0, text.find_first_of("\r\n"));
  if (npskit::text::trim(first_line).empty()) {
    return invalid(std::string(source) +
                   ": line 1: no header (expected a first line naming the columns contact, "
                   "email and optionally name, locale)");
  }
  // The delimiter the header uses most, among comma, semicolon and tab.
  char delimiter = ',';
  std::size_t most = 0;
  for (const char candidate : {',', ';', '\t'}) {
    const auto found =
        static_cast<std::size_t>(std::count(first_line.begin(), first_line.end(), candidate));
    if (found > most) {
      most = found;
      delimiter = candidate;
    }
  }
  auto rows = split_csv(text, delimiter, source);
  if (!rows) return rows.error();
  const csv_row& header = rows->front();
  int contact_column = -1;
  int email_column = -1;
  int name_column = -1;
  int locale_column = -1;
  std::string found;
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string name = npskit::text::ascii_lower(npskit::text::trim(header.fields[i]));
    const int index = static_cast<int>(i);
    if ((name == "contact" || (name == "id" && contact_column < 0))) contact_column = index;
    if (name == "email" || name == "e-mail") email_column = index;
    if (name == "name") name_column = index;
    if (name == "locale" || name == "language") locale_column = index;
    found += (found.empty() ? "" : ", ") + quoted(header.fields[i]);
  }
  for (const auto& [column, wanted] :
       {std::pair<int, const char*>{contact_column, "contact"}, {email_column, "email"}}) {
    if (column < 0) {
      return invalid(std::string(source) + ": line 1: no column " + wanted +
                     " in the header (found " + found +
                     "; expected contact, email and optionally name, locale)");
    }
  }

  contact_list list;
  std::unordered_map<std::string, std::uint64_t> seen;  // contact -> line
  for (std::size_t r = 1; r < rows->size(); ++r) {
    const csv_row& row = (*rows)[r];
    if (blank_row(row)) continue;
    const auto reject = [&](const std::string& reason) {
      list.rejected.push_back({row.line, "line " + std::to_string(row.line) + ": " + reason});
    };
    if (row.fields.size() != header.fields.size()) {
      reject(std::to_string(row.fields.size()) + " fields, the header has " +
             std::to_string(header.fields.size()));
      continue;
    }
    const auto field = [&](int column) {
      return column < 0
                 ? std::string()
                 : std::string(npskit::text::trim(row.fields[static_cast<std::size_t>(column)]));
    };
    contact_row contact{row.line, field(contact_column), field(email_column), field(name_column),
                        field(locale_column)};
    std::optional<std::string> problem;
    const char* column = "";
    if ((problem = check_contact_id(contact.contact))) {
      column = "contact";
    } else if ((problem = check_email_address(contact.email))) {
      column = "email";
    } else if ((problem = check_display_name(contact.name))) {
      column = "name";
    } else if ((problem = check_locale_tag(contact.locale))) {
      column = "locale";
    }
    if (problem) {
      const std::string value = std::string(column) == "contact" ? contact.contact
                                : std::string(column) == "email" ? contact.email
                                : std::string(column) == "name"  ? contact.name
                                                                 : contact.locale;
      reject(std::string(column) + " " + quoted(value) + " " + *problem);
      continue;
    }
    const auto [earlier, inserted] = seen.emplace(contact.contact, row.line);
    if (!inserted) {
      reject("contact " + quoted(contact.contact) + " already on line " +
             std::to_string(earlier->second) + " (each contact once per file)");
      continue;
    }
    list.rows.push_back(std::move(contact));
  }
  return list;
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
      unit_ms = 60 * 1000;
      digits.remove_suffix(1);
      break;
    case 'h':
      unit_ms = 3600 * 1000;
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
