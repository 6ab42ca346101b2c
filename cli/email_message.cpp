#include "email_message.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>
#include <utility>

#include "collector/webhook_signature.h"
#include "email_locales.h"
#include "npskit/text.h"

namespace npskit::cli {

namespace {

using json = nlohmann::json;

// Bounds the collector puts on the same fields (core/src/response.cpp), so
// that every link rendered here gives an answer the collector accepts.
constexpr std::size_t max_campaign_characters = 100;
constexpr std::size_t max_contact_characters = 200;
// RFC 5322 asks for lines of at most 78 characters; quoted-printable for 76.
constexpr std::size_t max_header_line = 78;
constexpr std::size_t max_encoded_line = 76;

// The colours of the widget's light theme (web/tokens.css). Every cell sets
// its own text and background colour, so a client that darkens the message
// by inverting colours keeps each pair readable.
constexpr std::string_view page_colour = "#f3f5f9";
constexpr std::string_view card_colour = "#ffffff";
constexpr std::string_view text_colour = "#1b1f2a";
constexpr std::string_view muted_colour = "#5b6478";
constexpr std::string_view border_colour = "#868fa3";
constexpr std::string_view accent_colour = "#3451d1";
constexpr std::string_view font_stack =
    "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,'Helvetica Neue',Arial,"
    "'Noto Sans','PingFang SC','Hiragino Sans','Microsoft YaHei',sans-serif";

// The strings of one locale that a message uses.
struct locale_words {
  std::string code;
  bool right_to_left = false;
  std::map<std::string, std::string, std::less<>> strings;

  const std::string& get(std::string_view key) const {
    static const std::string missing;
    const auto found = strings.find(key);
    return found == strings.end() ? missing : found->second;
  }
};

const std::map<std::string, locale_words, std::less<>>& all_locales() {
  static const std::map<std::string, locale_words, std::less<>> locales = [] {
    std::map<std::string, locale_words, std::less<>> table;
    for (const embedded_locale& file : embedded_locales()) {
      const json parsed = json::parse(file.json, nullptr, false);
      if (!parsed.is_object()) continue;
      locale_words words;
      words.code = std::string(file.code);
      words.right_to_left = file.code == "ar" || file.code == "he";
      for (const auto& [key, value] : parsed.items()) {
        if (value.is_string()) words.strings.emplace(key, value.get<std::string>());
      }
      table.emplace(words.code, std::move(words));
    }
    return table;
  }();
  return locales;
}

std::string replace_all(std::string text, std::string_view placeholder, std::string_view value) {
  for (std::size_t at = text.find(placeholder); at != std::string::npos;
       at = text.find(placeholder, at + value.size())) {
    text.replace(at, placeholder.size(), value);
  }
  return text;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// RFC 3986: everything but the unreserved characters is escaped, so the
// text is safe in a path segment and in a query value alike.
std::string percent_encode(std::string_view text) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += digits[byte >> 4];
      out += digits[byte & 0x0F];
    }
  }
  return out;
}

std::size_t character_count(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool has_control_character(std::string_view text) {
  for (std::size_t at = 0; at < text.size(); ++at) {
    const auto byte = static_cast<unsigned char>(text[at]);
    const bool c1 = byte == 0xC2 && at + 1 < text.size() &&
                    static_cast<unsigned char>(text[at + 1]) <= 0x9F &&
                    static_cast<unsigned char>(text[at + 1]) >= 0x80;
    if (byte < 0x20 || byte == 0x7F || c1) return true;
  }
  return false;
}

error field_error(std::string_view field, const std::string& what) {
  return make_error(error_code::invalid_argument, std::string(field) + ": " + what);
}

status check_identifier(std::string_view field, std::string_view value, std::size_t max) {
  if (value.empty()) return ok{};
  if (has_control_character(value)) {
    return field_error(field, "\"" + std::string(value) +
                                  "\" holds a control character (expected printable text)");
  }
  const std::size_t characters = character_count(value);
  if (characters > max) {
    return field_error(field, "has " + std::to_string(characters) +
                                  " characters (expected at most " + std::to_string(max) + ")");
  }
  return ok{};
}

std::string_view base_without_slash(std::string_view base) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  return base;
}

// --- the message -----------------------------------------------------------------

struct rendered_words {
  std::string question, low, high, greeting, instruction, unsubscribe, subject;
};

rendered_words words_for(const locale_words& words, const invitation& invite) {
  rendered_words out;
  out.question = invite.product.empty()
                     ? words.get("questionGeneric")
                     : replace_all(words.get("question"), "{product}", invite.product);
  out.subject = invite.product.empty()
                    ? words.get("emailSubjectGeneric")
                    : replace_all(words.get("emailSubject"), "{product}", invite.product);
  out.greeting = invite.name.empty()
                     ? words.get("emailGreetingGeneric")
                     : replace_all(words.get("emailGreeting"), "{name}", invite.name);
  out.low = words.get("low");
  out.high = words.get("high");
  out.instruction = words.get("emailInstruction");
  out.unsubscribe = words.get("emailUnsubscribe");
  return out;
}

// The text and background colour of one element, always both.
std::string colours(std::string_view foreground, std::string_view background) {
  return "color:" + std::string(foreground) + ";background-color:" + std::string(background) + ";";
}

// The accessible name of a score link: "9 out of 10", and at the two ends
// the scale's words too, as the widget's radio buttons have them.
std::string score_name(const locale_words& words, const rendered_words& wording, int score) {
  std::string name = replace_all(words.get("scoreLabel"), "{score}", std::to_string(score));
  if (score == 0) name += " \xE2\x80\x93 " + wording.low;
  if (score == 10) name += " \xE2\x80\x93 " + wording.high;
  return name;
}

// One cell of the scale: a link that opens the page with this score chosen.
std::string score_cell(const invitation& invite, const locale_words& words,
                       const rendered_words& wording, int score) {
  const std::string font = "font-family:" + std::string(font_stack) + ";";
  std::string html;
  const std::string name = html_escape(score_name(words, wording, score));
  html += "<td width=\"9%\" align=\"center\" bgcolor=\"" + std::string(card_colour) +
          "\" style=\"padding:2px;" + colours(text_colour, card_colour) + "\">";
  html += "<a href=\"" + html_escape(survey_link(invite, score)) + "\" aria-label=\"" + name +
          "\" title=\"" + name + "\" style=\"display:block;padding:10px 0;" + font +
          "font-size:16px;line-height:20px;font-weight:bold;text-align:center;"
          "text-decoration:none;border:1px solid " +
          std::string(border_colour) + ";border-radius:6px;" + colours(accent_colour, page_colour) +
          "\">" + std::to_string(score) + "</a></td>\n";
  return html;
}

std::string render_html(const invitation& invite, const locale_words& words,
                        const rendered_words& wording) {
  const std::string direction = words.right_to_left ? "rtl" : "ltr";
  const std::string start = words.right_to_left ? "right" : "left";
  const std::string end = words.right_to_left ? "left" : "right";
  const std::string font = "font-family:" + std::string(font_stack) + ";";

  std::string html;
  html += "<!DOCTYPE html>\n";
  html += "<html lang=\"" + html_escape(words.code) + "\" dir=\"" + direction + "\">\n";
  html += "<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  // The message chooses its own colours; clients that honour these names do
  // not repaint it, the others see a colour on every cell.
  html += "<meta name=\"color-scheme\" content=\"light\">\n";
  html += "<meta name=\"supported-color-schemes\" content=\"light\">\n";
  html += "<title>" + html_escape(wording.subject) + "</title>\n</head>\n";
  html += "<body style=\"margin:0;padding:0;" + colours(text_colour, page_colour) + "\">\n";
  html +=
      "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" "
      "border=\"0\" dir=\"" +
      direction + "\" bgcolor=\"" + std::string(page_colour) + "\" style=\"" +
      colours(text_colour, page_colour) + "\">\n";
  html += "<tr><td align=\"center\" bgcolor=\"" + std::string(page_colour) +
          "\" style=\"padding:24px 12px;" + colours(text_colour, page_colour) + "\">\n";
  html +=
      "<table role=\"presentation\" width=\"600\" cellpadding=\"0\" cellspacing=\"0\" "
      "border=\"0\" bgcolor=\"" +
      std::string(card_colour) + "\" style=\"width:100%;max-width:600px;border:1px solid " +
      std::string(border_colour) + ";" + colours(text_colour, card_colour) + "\">\n";

  const std::string paragraph = "padding:0 24px 16px 24px;" + font +
                                "font-size:16px;line-height:24px;text-align:" + start + ";";
  html += "<tr><td bgcolor=\"" + std::string(card_colour) + "\" style=\"padding:24px 24px 16px;" +
          font + "font-size:16px;line-height:24px;text-align:" + start + ";" +
          colours(text_colour, card_colour) + "\">" + html_escape(wording.greeting) +
          "</td></tr>\n";
  html += "<tr><td bgcolor=\"" + std::string(card_colour) + "\" style=\"" + paragraph +
          colours(text_colour, card_colour) +
          "\"><h1 style=\"margin:0;font-size:20px;line-height:28px;font-weight:bold;" +
          colours(text_colour, card_colour) + "\">" + html_escape(wording.question) +
          "</h1></td></tr>\n";

  // The scale: one row of 11 cells, each its own link.
  html += "<tr><td bgcolor=\"" + std::string(card_colour) + "\" style=\"padding:0 20px 8px;" +
          colours(text_colour, card_colour) + "\">\n";
  html +=
      "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" "
      "border=\"0\" dir=\"" +
      direction + "\" style=\"table-layout:fixed;" + colours(text_colour, card_colour) +
      "\">\n<tr>\n";
  for (int score = 0; score <= 10; ++score) html += score_cell(invite, words, wording, score);
  html += "</tr>\n</table>\n";
  html +=
      "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" "
      "border=\"0\" dir=\"" +
      direction + "\" style=\"" + colours(muted_colour, card_colour) + "\">\n<tr>\n";
  const std::string end_label = font + "font-size:13px;line-height:18px;padding:6px 2px 0;" +
                                colours(muted_colour, card_colour);
  html += "<td width=\"50%\" align=\"" + start + "\" bgcolor=\"" + std::string(card_colour) +
          "\" style=\"text-align:" + start + ";" + end_label +
          "\">0 = " + html_escape(wording.low) + "</td>\n";
  html += "<td width=\"50%\" align=\"" + end + "\" bgcolor=\"" + std::string(card_colour) +
          "\" style=\"text-align:" + end + ";" + end_label +
          "\">10 = " + html_escape(wording.high) + "</td>\n";
  html += "</tr>\n</table>\n</td></tr>\n";

  html += "<tr><td bgcolor=\"" + std::string(card_colour) + "\" style=\"padding:16px 24px 24px;" +
          font + "font-size:14px;line-height:20px;text-align:" + start + ";" +
          colours(muted_colour, card_colour) + "\">" + html_escape(wording.instruction) +
          "</td></tr>\n";
  html += "</table>\n";
  if (!invite.unsubscribe_url.empty()) {
    html += "<p style=\"margin:16px 0 0;" + font + "font-size:12px;line-height:18px;" +
            colours(muted_colour, page_colour) + "\"><a href=\"" +
            html_escape(invite.unsubscribe_url) + "\" style=\"text-decoration:underline;" +
            colours(muted_colour, page_colour) + "\">" + html_escape(wording.unsubscribe) +
            "</a></p>\n";
  }
  html += "</td></tr>\n</table>\n</body>\n</html>\n";
  return html;
}

std::string render_text(const invitation& invite, const rendered_words& wording) {
  std::string out =
      wording.greeting + "\n\n" + wording.question + "\n\n" + wording.instruction + "\n\n";
  for (int score = 0; score <= 10; ++score) {
    out += (score < 10 ? " " : "") + std::to_string(score);
    if (score == 0) out += " (" + wording.low + ")";
    if (score == 10) out += " (" + wording.high + ")";
    out += ": " + survey_link(invite, score) + "\n";
  }
  if (!invite.unsubscribe_url.empty()) {
    out += "\n" + wording.unsubscribe + ": " + invite.unsubscribe_url + "\n";
  }
  return out;
}

// --- MIME ------------------------------------------------------------------------

bool is_plain_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte < 0x7F;
  });
}

std::string single_line(std::string_view value) {
  std::string out(value);
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; }, ' ');
  return out;
}

// RFC 2047 "B" encoded words (at most 75 characters each), never splitting a
// UTF-8 character, separated by folding white space.
std::string encoded_words(std::string_view text) {
  // base64 of 39 bytes is 52 characters: a word of 64, a line of at most 73
  // after "Subject: ".
  constexpr std::size_t max_bytes_per_word = 39;
  std::string out;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = std::min(text.size(), at + max_bytes_per_word);
    while (end < text.size() && end > at + 1 &&
           (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      --end;
    }
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64_encode(text.substr(at, end - at)) + "?=";
    at = end;
  }
  return out;
}

// An unstructured header (Subject): as is when it is short printable ASCII,
// else encoded words.
std::string unstructured_header(std::string_view name, std::string_view value) {
  const std::string line = single_line(value);
  if (is_plain_ascii(line) && name.size() + 2 + line.size() <= max_header_line) {
    return std::string(name) + ": " + line + "\r\n";
  }
  return std::string(name) + ": " + encoded_words(line) + "\r\n";
}

// "Name <address>" with the name encoded when it is not plain ASCII, or
// quoted when it holds characters RFC 5322 reserves; a bare address as is.
std::string address_header(std::string_view name, std::string_view value) {
  const std::string line = single_line(value);
  const auto open = line.rfind('<');
  if (open == std::string::npos || line.back() != '>') {
    return std::string(name) + ": " + line + "\r\n";
  }
  const std::string display(text::trim(std::string_view(line).substr(0, open)));
  const std::string address = line.substr(open);
  if (display.empty()) return std::string(name) + ": " + address + "\r\n";
  std::string phrase;
  if (!is_plain_ascii(display)) {
    phrase = encoded_words(display);
  } else if (display.find_first_of("()<>[]:;@\\,.\"") != std::string::npos) {
    phrase = "\"";
    for (const char c : display) {
      if (c == '"' || c == '\\') phrase += '\\';
      phrase += c;
    }
    phrase += '"';
  } else {
    phrase = display;
  }
  return std::string(name) + ": " + phrase + " " + address + "\r\n";
}

// Quoted-printable (RFC 2045 6.7) with CRLF line ends: lines of at most 76
// characters, soft breaks where needed, white space before a line end and a
// dot or "From " at the start of a line encoded, so no relay alters them.
std::string quoted_printable(std::string_view body) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  std::size_t line_start = 0;
  while (line_start <= body.size()) {
    std::size_t line_end = body.find('\n', line_start);
    const bool last = line_end == std::string_view::npos;
    if (last) line_end = body.size();
    std::string_view line = body.substr(line_start, line_end - line_start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (last && line.empty()) break;

    std::string current;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const auto byte = static_cast<unsigned char>(line[i]);
      const bool at_line_start = current.empty();
      const bool trailing_blank = (byte == ' ' || byte == '\t') && i + 1 == line.size();
      const bool literal =
          ((byte >= 33 && byte <= 126 && byte != '=') ||
           ((byte == ' ' || byte == '\t') && !trailing_blank)) &&
          !(at_line_start && (byte == '.' || (byte == 'F' && line.substr(i, 5) == "From ")));
      std::string token;
      if (literal) {
        token = static_cast<char>(byte);
      } else {
        token = {'=', digits[byte >> 4], digits[byte & 0x0F]};
      }
      // Room for the token and, when more follows, the "=" of a soft break.
      const bool more_follows = i + 1 < line.size();
      if (current.size() + token.size() + (more_follows ? 1 : 0) > max_encoded_line) {
        out += current + "=\r\n";
        current.clear();
        if (token.size() == 1 && (token[0] == '.' || token[0] == 'F')) {
          token = {'=', digits[byte >> 4], digits[byte & 0x0F]};
        }
      }
      current += token;
    }
    out += current + "\r\n";
    if (last) break;
    line_start = line_end + 1;
  }
  return out;
}

std::string rfc5322_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  static constexpr std::array<const char*, 7> days = {"Sun", "Mon", "Tue", "Wed",
                                                      "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char text[40];
  std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d +0000", days.at(utc.tm_wday),
                utc.tm_mday, months.at(utc.tm_mon), utc.tm_year + 1900, utc.tm_hour, utc.tm_min,
                utc.tm_sec);
  return text;
}

std::string domain_of(std::string_view address) {
  const auto at = address.rfind('@');
  if (at == std::string_view::npos) return "npskit.invalid";
  std::string_view domain = address.substr(at + 1);
  const auto close = domain.find('>');
  if (close != std::string_view::npos) domain = domain.substr(0, close);
  domain = text::trim(domain);
  return domain.empty() ? "npskit.invalid" : std::string(domain);
}

}  // namespace

std::string match_email_locale(std::string_view tag) {
  std::string language = text::ascii_lower(text::trim(tag));
  language = language.substr(0, language.find_first_of("-_"));
  if (language.empty()) return {};
  static const std::map<std::string, std::string, std::less<>> aliases = {
      {"no", "nb"}, {"nn", "nb"}, {"zh", "zh-CN"}, {"iw", "he"}};
  if (const auto alias = aliases.find(language); alias != aliases.end()) return alias->second;
  for (const auto& [code, words] : all_locales()) {
    const std::string lower = text::ascii_lower(code);
    if (lower.substr(0, lower.find('-')) == language) return code;
  }
  return {};
}

std::vector<std::string> email_locales() {
  std::vector<std::string> codes;
  for (const auto& [code, words] : all_locales()) codes.push_back(code);
  return codes;
}

std::string survey_link(const invitation& invite, int score) {
  std::string link = std::string(base_without_slash(invite.base_url)) + "/s/" +
                     percent_encode(invite.survey) + "?";
  if (score >= 0) link += "score=" + std::to_string(score) + "&";
  link += "ch=email";
  const std::string locale = match_email_locale(invite.locale);
  if (!locale.empty()) link += "&lang=" + percent_encode(locale);
  if (!invite.product.empty()) link += "&p=" + percent_encode(invite.product);
  if (!invite.campaign.empty()) link += "&cmp=" + percent_encode(invite.campaign);
  if (!invite.signature.empty()) {
    link += "&c=" + percent_encode(invite.contact) + "&sig=" + percent_encode(invite.signature);
  }
  return link;
}

std::string unsubscribe_link(std::string_view base_url, std::string_view contact,
                             std::string_view sig) {
  return std::string(base_without_slash(base_url)) + "/unsubscribe?c=" + percent_encode(contact) +
         "&sig=" + percent_encode(sig);
}

result<email_message> render_invitation(const invitation& invite) {
  if (text::trim(invite.survey).empty()) {
    return field_error("survey", "empty (expected the survey key answers are collected under)");
  }
  if (has_control_character(invite.survey)) {
    return field_error(
        "survey", "\"" + invite.survey + "\" holds a control character (expected printable text)");
  }
  const std::string_view base = base_without_slash(invite.base_url);
  const std::string_view scheme = base.rfind("https://", 0) == 0  ? "https://"
                                  : base.rfind("http://", 0) == 0 ? "http://"
                                                                  : "";
  if (scheme.empty() || base.size() == scheme.size() ||
      base.find_first_of("?# \t\r\n") != std::string_view::npos) {
    return field_error("base URL", "\"" + invite.base_url +
                                       "\" is not an http:// or https:// address without query "
                                       "or fragment (expected e.g. https://nps.example.com)");
  }
  const std::string code = match_email_locale(invite.locale);
  if (code.empty()) {
    std::string known;
    for (const std::string& each : email_locales()) known += (known.empty() ? "" : ", ") + each;
    return field_error("locale", "\"" + invite.locale + "\" is not a built-in locale (expected " +
                                     "one of " + known + ")");
  }
  for (const auto& [field, value, max] : {std::tuple<const char*, const std::string&, std::size_t>{
                                              "campaign", invite.campaign, max_campaign_characters},
                                          {"contact", invite.contact, max_contact_characters},
                                          {"name", invite.name, max_contact_characters},
                                          {"product", invite.product, max_contact_characters}}) {
    auto checked = check_identifier(field, value, max);
    if (!checked) return checked.error();
  }
  if (!invite.signature.empty() && invite.contact.empty()) {
    return field_error("signature", "given without a contact (a personal link signs one contact)");
  }
  const locale_words& words = all_locales().find(code)->second;
  const rendered_words wording = words_for(words, invite);
  email_message message;
  message.subject = wording.subject;
  message.html = render_html(invite, words, wording);
  message.text = render_text(invite, wording);
  return message;
}

std::string to_mime(const email_message& message, const mime_headers& headers) {
  // A quoted-printable body never holds "=_" (every "=" starts "=XX" or a
  // soft break), so a boundary starting with it cannot occur in a part.
  const std::string boundary =
      "=_npskit_" +
      sha256_hex(message.subject + "\n" + message.text + "\n" + message.html).substr(0, 32);
  std::string mime;
  if (!headers.from.empty()) mime += address_header("From", headers.from);
  if (!headers.to.empty()) mime += address_header("To", headers.to);
  mime += unstructured_header("Subject", message.subject);
  mime += "Date: " + (headers.date.empty() ? rfc5322_now() : single_line(headers.date)) + "\r\n";
  std::string message_id = single_line(headers.message_id);
  if (message_id.empty()) {
    message_id =
        "<" + sha256_hex(headers.to + "\n" + message.subject + "\n" + message.text).substr(0, 40) +
        "@" + domain_of(headers.from) + ">";
  }
  mime += "Message-ID: " + message_id + "\r\n";
  if (!headers.unsubscribe_url.empty()) {
    mime += "List-Unsubscribe: <" + single_line(headers.unsubscribe_url) + ">\r\n";
    mime += "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
  }
  mime += "MIME-Version: 1.0\r\n";
  mime += "Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"\r\n";
  mime += "\r\n";
  for (const auto& [type, body] :
       {std::pair<const char*, const std::string&>{"text/plain", message.text},
        {"text/html", message.html}}) {
    mime += "--" + boundary + "\r\n";
    mime += std::string("Content-Type: ") + type + "; charset=UTF-8\r\n";
    mime += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
    // The line break before a boundary belongs to the boundary (RFC 2046
    // 5.1.1): one more keeps the body's own last line break.
    mime += quoted_printable(body) + "\r\n";
  }
  mime += "--" + boundary + "--\r\n";
  return mime;
}

}  // namespace npskit::cli
