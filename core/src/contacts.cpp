#include "npskit/contacts.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "npskit/text.h"
#include "reader_internal.h"
#include "utf8.h"

namespace npskit {
namespace {

// The collector's bound on a contact id (npskit.response/1 "contact").
constexpr std::size_t max_contact_characters = 200;
constexpr std::size_t max_name_characters = 200;
// RFC 5321 4.5.3.1.3: a path holds at most 256 octets, an address 254.
constexpr std::size_t max_email_bytes = 254;

struct csv_row {
  std::vector<std::string> fields;
  std::uint64_t line = 0;
  bool unterminated_quote = false;
};

char detect_delimiter(std::string_view header_line) {
  std::size_t best_count = 0;
  char best = ',';
  for (const char candidate : {',', ';', '\t'}) {
    const auto count =
        static_cast<std::size_t>(std::count(header_line.begin(), header_line.end(), candidate));
    if (count > best_count) {
      best_count = count;
      best = candidate;
    }
  }
  return best;
}

// RFC 4180 rows: quotes around a field allow delimiters, line breaks and
// doubled quotes inside it; a quote inside an unquoted field is text.
std::vector<csv_row> split_rows(std::string_view text, char delimiter) {
  std::vector<csv_row> rows;
  csv_row row;
  std::string field;
  std::uint64_t line = 1;
  row.line = 1;
  bool in_quotes = false;
  bool field_started_quoted = false;
  const auto end_field = [&] {
    row.fields.push_back(std::move(field));
    field.clear();
    field_started_quoted = false;
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
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && field.empty() && !field_started_quoted) {
      in_quotes = true;
      field_started_quoted = true;
    } else if (c == delimiter) {
      end_field();
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++line;
      end_row();
    } else {
      field += c;
    }
  }
  if (in_quotes) row.unterminated_quote = true;
  if (in_quotes || !field.empty() || !row.fields.empty()) end_row();
  return rows;
}

bool blank_row(const csv_row& row) {
  return std::all_of(row.fields.begin(), row.fields.end(),
                     [](const std::string& field) { return text::trim(field).empty(); });
}

std::optional<std::size_t> find_column(const std::vector<std::string>& header,
                                       std::initializer_list<std::string_view> names) {
  for (const std::string_view name : names) {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (reader_detail::names_equal(header[i], name)) return i;
    }
  }
  return std::nullopt;
}

rejection reject(const csv_row& row, char delimiter, const std::string& reason) {
  rejection out;
  out.line = row.line;
  out.reason = "line " + std::to_string(row.line) + ": " + reason;
  std::string joined;
  for (std::size_t i = 0; i < row.fields.size(); ++i) {
    if (i > 0) joined += delimiter;
    joined += row.fields[i];
  }
  out.text = utf8::sanitized(joined, max_rejected_text_bytes);
  return out;
}

}  // namespace

std::string contact_id_problem(std::string_view id) {
  if (!utf8::is_valid(id)) return "is not valid UTF-8";
  const std::size_t characters = utf8::character_count(id);
  if (characters == 0) return "is empty (expected the contact's id)";
  if (characters > max_contact_characters) {
    return "has " + std::to_string(characters) + " characters (at most 200)";
  }
  if (utf8::first_control_character(id) != 0) return "holds a control character";
  return {};
}

std::string email_address_problem(std::string_view email) {
  if (email.empty()) return "is empty (expected an address such as ada@example.com)";
  if (email.size() > max_email_bytes) {
    return "is " + std::to_string(email.size()) + " bytes long (at most 254)";
  }
  if (!utf8::is_valid(email)) return "is not valid UTF-8";
  if (email.find_first_of(" \t<>,;:\"()[]\\") != std::string_view::npos ||
      utf8::first_control_character(email) != 0) {
    return "holds a space or one of < > , ; : \" ( ) [ ] \\ (expected a bare address such as "
           "ada@example.com)";
  }
  const auto at = email.rfind('@');
  if (at == std::string_view::npos || at == 0 || email.find('@') != at) {
    return "is not one address (expected local@domain, e.g. ada@example.com)";
  }
  const std::string_view domain = email.substr(at + 1);
  const auto dot = domain.find('.');
  if (domain.empty() || dot == 0 || dot == std::string_view::npos || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return "has no domain with a dot (expected local@domain, e.g. ada@example.com)";
  }
  return {};
}

std::string display_name_problem(std::string_view name) {
  if (!utf8::is_valid(name)) return "is not valid UTF-8";
  const std::size_t characters = utf8::character_count(name);
  if (characters > max_name_characters) {
    return "has " + std::to_string(characters) + " characters (at most 200)";
  }
  if (utf8::first_control_character(name) != 0) return "holds a control character";
  return {};
}

std::string locale_tag_problem(std::string_view locale) {
  const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  const auto letter_or_digit = [&](char c) { return letter(c) || (c >= '0' && c <= '9'); };
  std::size_t start = 0;
  bool first = true;
  while (!locale.empty() && start <= locale.size()) {
    std::size_t end = locale.find_first_of("-_", start);
    if (end == std::string_view::npos) end = locale.size();
    const std::string_view part = locale.substr(start, end - start);
    const bool fits = first ? part.size() >= 2 && part.size() <= 3 &&
                                  std::all_of(part.begin(), part.end(), letter)
                            : part.size() >= 2 && part.size() <= 8 &&
                                  std::all_of(part.begin(), part.end(), letter_or_digit);
    if (!fits) return "is not a language tag (expected e.g. en, sv, zh-CN)";
    first = false;
    start = end + 1;
  }
  return {};
}

result<contact_list> read_contacts(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length = utf8::sequence_length(text, at);
    if (length == 0) {
      return make_error(error_code::parse_error, "contacts: not UTF-8 at byte " +
                                                     std::to_string(at) +
                                                     " (expected a CSV file saved as UTF-8)");
    }
    at += length;
  }
  const std::string_view first_line = text.substr(0, text.find_first_of("\r\n"));
  const char delimiter = detect_delimiter(first_line);
  std::vector<csv_row> rows = split_rows(text, delimiter);
  const auto header_row = std::find_if_not(rows.begin(), rows.end(), blank_row);
  if (header_row == rows.end()) {
    return make_error(error_code::missing_column,
                      "contacts: no header line (expected columns contact, email, and "
                      "optionally name and locale)");
  }
  std::vector<std::string> header;
  for (const std::string& name : header_row->fields) header.emplace_back(text::trim(name));
  const auto id_column = find_column(header, {"contact", "contact_id", "id"});
  const auto email_column = find_column(header, {"email", "e-mail"});
  if (!id_column || !email_column) {
    std::string found;
    std::vector<std::string_view> names;
    for (const std::string& name : header) {
      found += (found.empty() ? "\"" : ", \"") + name + "\"";
      names.emplace_back(name);
    }
    const char* missing = !id_column ? "contact" : "email";
    return make_error(error_code::missing_column,
                      std::string("contacts: no \"") + missing + "\" column on line " +
                          std::to_string(header_row->line) + " (found " + found +
                          "; expected contact, email, and optionally name and locale)" +
                          reader_detail::closest_name_hint(missing, names));
  }
  const auto name_column = find_column(header, {"name"});
  const auto locale_column = find_column(header, {"locale", "language", "lang"});

  contact_list list;
  std::map<std::string, std::uint64_t, std::less<>> seen;
  for (auto row = header_row + 1; row != rows.end(); ++row) {
    if (blank_row(*row)) continue;
    if (row->unterminated_quote) {
      list.rejected.push_back(reject(*row, delimiter, "a quote opened here is never closed"));
      continue;
    }
    if (row->fields.size() != header.size()) {
      list.rejected.push_back(reject(*row, delimiter,
                                     std::to_string(row->fields.size()) +
                                         " fields, the header has " +
                                         std::to_string(header.size())));
      continue;
    }
    contact entry;
    entry.line = row->line;
    entry.id = std::string(text::trim(row->fields[*id_column]));
    entry.email = std::string(text::trim(row->fields[*email_column]));
    if (name_column) entry.name = std::string(text::trim(row->fields[*name_column]));
    if (locale_column) entry.locale = std::string(text::trim(row->fields[*locale_column]));

    // The first field that breaks its rule, named with its value.
    std::string problem;
    const auto check = [&](const char* field, const std::string& value,
                           std::string (*rule)(std::string_view)) {
      const std::string wrong = problem.empty() ? rule(value) : std::string();
      if (wrong.empty()) return;
      problem = std::string(field) + " ";
      if (!value.empty()) problem += reader_detail::quoted_value(value) + " ";
      problem += wrong;
    };
    check("contact", entry.id, contact_id_problem);
    check("email", entry.email, email_address_problem);
    check("name", entry.name, display_name_problem);
    check("locale", entry.locale, locale_tag_problem);
    if (const auto earlier = seen.find(entry.id); problem.empty() && earlier != seen.end()) {
      problem = "contact " + reader_detail::quoted_value(entry.id) + " already appears on line " +
                std::to_string(earlier->second);
    }
    if (!problem.empty()) {
      list.rejected.push_back(reject(*row, delimiter, problem));
      continue;
    }
    seen.emplace(entry.id, entry.line);
    list.contacts.push_back(std::move(entry));
  }
  return list;
}

}  // namespace npskit
