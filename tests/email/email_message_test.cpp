// Invitation e-mails: the links a contact can click, the words they read in
// their language, and a MIME message any SMTP relay and mail client accept.
#include "email_message.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "collector/webhook_signature.h"

namespace npskit::cli {
namespace {

invitation personal_invitation() {
  invitation invite;
  invite.survey = "acme-nps";
  invite.base_url = "https://nps.example.com/";
  invite.product = "Acme";
  invite.campaign = "2026-q4";
  invite.contact = "crm-4711";
  invite.email = "ada@example.com";
  invite.name = "Ada";
  invite.signature = "VRY5XzfAAmgQWX4yb2UDEY_sA5jdedM3OK29GWZPEd8";
  return invite;
}

email_message render(const invitation& invite) {
  auto message = render_invitation(invite);
  EXPECT_TRUE(message) << message.error().message;
  return message ? *message : email_message{};
}

// The widget's strings of one locale, read from the file the e-mails are
// built from, so the test checks the embedding instead of a copy.
nlohmann::json locale_file(const std::string& code) {
  std::ifstream in(std::string(NPSKIT_LOCALE_DIR) + "/" + code + ".json");
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

std::string html_unescape(std::string text) {
  for (const auto& [entity, plain] : std::vector<std::pair<std::string, std::string>>{
           {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}}) {
    for (auto at = text.find(entity); at != std::string::npos; at = text.find(entity, at + 1)) {
      text.replace(at, entity.size(), plain);
    }
  }
  return text;
}

struct score_anchor {
  std::string href, label, title, shown;
};

std::vector<score_anchor> score_anchors(const std::string& html) {
  static const std::regex anchor(
      R"re(<a href="([^"]*)" aria-label="([^"]*)" title="([^"]*)" style="[^"]*">([^<]*)</a>)re");
  std::vector<score_anchor> found;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), anchor);
       it != std::sregex_iterator(); ++it) {
    found.push_back(
        {html_unescape((*it)[1]), html_unescape((*it)[2]), html_unescape((*it)[3]), (*it)[4]});
  }
  return found;
}

TEST(EmailMessage, ElevenLinksOpenThePageWithTheScoreAndThePersonalLink) {
  const email_message message = render(personal_invitation());
  const auto anchors = score_anchors(message.html);
  ASSERT_EQ(anchors.size(), 11U) << message.html;
  const nlohmann::json english = locale_file("en");
  for (int score = 0; score <= 10; ++score) {
    const score_anchor& link = anchors[static_cast<std::size_t>(score)];
    EXPECT_EQ(link.href, "https://nps.example.com/s/acme-nps?score=" + std::to_string(score) +
                             "&ch=email&lang=en&p=Acme&cmp=2026-q4&c=crm-4711"
                             "&sig=VRY5XzfAAmgQWX4yb2UDEY_sA5jdedM3OK29GWZPEd8");
    EXPECT_EQ(link.shown, std::to_string(score));
    std::string name = std::to_string(score) + " out of 10";
    if (score == 0) name += " \xE2\x80\x93 " + english["low"].get<std::string>();
    if (score == 10) name += " \xE2\x80\x93 " + english["high"].get<std::string>();
    EXPECT_EQ(link.label, name);
    EXPECT_EQ(link.title, name);
    // The plain-text part offers the same link for every score.
    EXPECT_NE(message.text.find(": " + link.href + "\n"), std::string::npos) << link.href;
  }
  EXPECT_EQ(message.subject, "A quick question about Acme");
  EXPECT_NE(message.html.find("How likely are you to recommend Acme to a friend or colleague?"),
            std::string::npos);
  EXPECT_NE(message.html.find(">Hello Ada,<"), std::string::npos);
  EXPECT_NE(message.text.find("Hello Ada,\n\nHow likely are you to recommend Acme"),
            std::string::npos)
      << message.text;
}

TEST(EmailMessage, AnonymousLinksCarryNoContactAndThePlainLinkNoScore) {
  invitation invite = personal_invitation();
  invite.signature.clear();
  invite.campaign.clear();
  invite.product.clear();
  invite.name.clear();
  invite.locale = "sv-FI";
  EXPECT_EQ(survey_link(invite, 9), "https://nps.example.com/s/acme-nps?score=9&ch=email&lang=sv");
  EXPECT_EQ(survey_link(invite, -1), "https://nps.example.com/s/acme-nps?ch=email&lang=sv");
  const email_message message = render(invite);
  EXPECT_EQ(message.html.find("c=crm-4711"), std::string::npos);
  EXPECT_EQ(message.text.find("sig="), std::string::npos);
  const nlohmann::json swedish = locale_file("sv");
  EXPECT_EQ(message.subject, swedish["emailSubjectGeneric"].get<std::string>());
  EXPECT_NE(message.html.find(swedish["questionGeneric"].get<std::string>()), std::string::npos);
  EXPECT_NE(message.html.find(swedish["emailGreetingGeneric"].get<std::string>()),
            std::string::npos);
  EXPECT_NE(message.html.find("<html lang=\"sv\" dir=\"ltr\">"), std::string::npos);
}

TEST(EmailMessage, EveryPartOfALinkIsPercentEncoded) {
  invitation invite = personal_invitation();
  invite.survey = "nps/ä b";
  invite.campaign = "Q4 & co";
  invite.contact = "a+b@example.com";
  invite.signature = "x-_y";
  EXPECT_EQ(survey_link(invite, 10),
            "https://nps.example.com/s/nps%2F%C3%A4%20b?score=10&ch=email&lang=en&p=Acme"
            "&cmp=Q4%20%26%20co&c=a%2Bb%40example.com&sig=x-_y");
}

TEST(EmailMessage, ProductAndNameAreEscapedInHtml) {
  invitation invite = personal_invitation();
  invite.product = R"(<b>Acme</b> & "Sons")";
  invite.name = "<script>alert(1)</script>";
  const email_message message = render(invite);
  EXPECT_EQ(message.html.find("<b>Acme"), std::string::npos);
  EXPECT_EQ(message.html.find("<script>"), std::string::npos);
  EXPECT_NE(message.html.find("&lt;b&gt;Acme&lt;/b&gt; &amp; &quot;Sons&quot;"), std::string::npos)
      << message.html;
  EXPECT_NE(message.html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  // Inside an attribute the product only appears percent-encoded.
  EXPECT_NE(message.html.find("p=%3Cb%3EAcme%3C%2Fb%3E%20%26%20%22Sons%22"), std::string::npos);
  // The text part and the subject are not HTML: they keep the name as written.
  EXPECT_EQ(message.subject, R"(A quick question about <b>Acme</b> & "Sons")");
}

TEST(EmailMessage, RightToLeftLocalesSetTheDirection) {
  for (const char* code : {"ar", "he"}) {
    invitation invite = personal_invitation();
    invite.locale = code;
    const email_message message = render(invite);
    EXPECT_NE(message.html.find("<html lang=\"" + std::string(code) + "\" dir=\"rtl\">"),
              std::string::npos)
        << code;
    EXPECT_EQ(message.html.find("dir=\"ltr\""), std::string::npos) << code;
    const nlohmann::json words = locale_file(code);
    std::string question = words["question"].get<std::string>();
    question.replace(question.find("{product}"), 9, "Acme");
    EXPECT_NE(message.html.find(question), std::string::npos) << code;
    const auto anchors = score_anchors(message.html);
    ASSERT_EQ(anchors.size(), 11U);
    std::string nine = words["scoreLabel"].get<std::string>();
    nine.replace(nine.find("{score}"), 7, "9");
    EXPECT_EQ(anchors[9].label, nine);
  }
}

TEST(EmailMessage, EveryLocaleHasItsOwnWords) {
  const auto codes = email_locales();
  ASSERT_EQ(codes.size(), 16U);
  for (const std::string& code : codes) {
    invitation invite = personal_invitation();
    invite.locale = code;
    const email_message message = render(invite);
    const nlohmann::json words = locale_file(code);
    std::string subject = words["emailSubject"].get<std::string>();
    subject.replace(subject.find("{product}"), 9, "Acme");
    EXPECT_EQ(message.subject, subject) << code;
    EXPECT_NE(message.html.find(words["emailInstruction"].get<std::string>()), std::string::npos)
        << code;
  }
  EXPECT_EQ(match_email_locale("zh-Hans"), "zh-CN");
  EXPECT_EQ(match_email_locale("NO"), "nb");
  EXPECT_EQ(match_email_locale("pt_BR"), "pt");
  EXPECT_EQ(match_email_locale("tlh"), "");
}

TEST(EmailMessage, RefusesWhatWouldGiveUnusableLinks) {
  const auto refused = [](invitation invite, const std::string& start) {
    auto message = render_invitation(invite);
    ASSERT_FALSE(message) << start;
    EXPECT_EQ(message.error().message.rfind(start, 0), 0U) << message.error().message;
  };
  invitation invite = personal_invitation();
  invite.locale = "tlh";
  refused(invite, "locale: \"tlh\" is not a built-in locale (expected one of ar, da, de, en,");
  invite = personal_invitation();
  invite.base_url = "nps.example.com";
  refused(invite, "base URL: \"nps.example.com\" is not an http:// or https:// address");
  invite.base_url = "https://nps.example.com/?x=1";
  refused(invite, "base URL: ");
  invite.base_url = "https://";
  refused(invite, "base URL: ");
  invite = personal_invitation();
  invite.survey = " ";
  refused(invite, "survey: empty");
  invite = personal_invitation();
  invite.contact = "a\r\nb";
  refused(invite, "contact: ");
  invite = personal_invitation();
  invite.campaign = std::string(101, 'c');
  refused(invite, "campaign: has 101 characters (expected at most 100)");
  invite = personal_invitation();
  invite.contact.clear();
  refused(invite, "signature: given without a contact");
}

// --- MIME ------------------------------------------------------------------------

std::vector<std::string> crlf_lines(const std::string& mime) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (auto end = mime.find("\r\n"); end != std::string::npos; end = mime.find("\r\n", start)) {
    lines.push_back(mime.substr(start, end - start));
    start = end + 2;
  }
  EXPECT_EQ(start, mime.size()) << "the message must end with CRLF";
  return lines;
}

std::string decode_quoted_printable(const std::string& body) {
  std::string out;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '=' && body.compare(i + 1, 2, "\r\n") == 0) {
      i += 2;
    } else if (body[i] == '=') {
      out += static_cast<char>(std::stoi(body.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else if (body.compare(i, 2, "\r\n") == 0) {
      out += '\n';
      ++i;
    } else {
      out += body[i];
    }
  }
  return out;
}

std::string header(const std::string& mime, const std::string& name) {
  const std::string head = mime.substr(0, mime.find("\r\n\r\n") + 2);
  const auto at = head.find("\r\n" + name + ": ") != std::string::npos
                      ? head.find("\r\n" + name + ": ") + 2
                      : (head.rfind(name + ": ", 0) == 0 ? 0 : std::string::npos);
  if (at == std::string::npos) return {};
  std::string value;
  std::size_t start = at + name.size() + 2;
  for (;;) {
    const auto end = head.find("\r\n", start);
    value += head.substr(start, end - start);
    if (end + 2 >= head.size() || (head[end + 2] != ' ' && head[end + 2] != '\t')) break;
    start = end + 2;
  }
  return value;
}

std::string decode_encoded_words(const std::string& value) {
  static const std::regex word(R"(=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=)");
  std::string out;
  for (auto it = std::sregex_iterator(value.begin(), value.end(), word);
       it != std::sregex_iterator(); ++it) {
    out += base64_decode((*it)[1].str()).value_or("<bad base64>");
  }
  return out;
}

TEST(EmailMime, MultipartAlternativeWithTextThenHtml) {
  invitation invite = personal_invitation();
  invite.unsubscribe_url = "https://nps.example.com/unsubscribe?c=crm-4711&sig=abc";
  const email_message message = render(invite);
  mime_headers headers;
  headers.from = "Acme Support <nps@acme.example>";
  headers.to = "Ada Lovelace <ada@example.com>";
  headers.date = "Sat, 05 Dec 2026 06:00:00 +0000";
  headers.message_id = "<invitation-1@acme.example>";
  headers.unsubscribe_url = invite.unsubscribe_url;
  const std::string mime = to_mime(message, headers);

  // CRLF everywhere, never a bare LF or CR, and no line over the SMTP limit.
  for (std::size_t i = 0; i < mime.size(); ++i) {
    if (mime[i] == '\n') {
      ASSERT_TRUE(i > 0 && mime[i - 1] == '\r') << "bare LF at " << i;
    }
    if (mime[i] == '\r') {
      ASSERT_TRUE(i + 1 < mime.size() && mime[i + 1] == '\n') << "bare CR at " << i;
    }
  }
  for (const std::string& line : crlf_lines(mime)) {
    EXPECT_LE(line.size(), 998U) << line;
    if (line.rfind("List-Unsubscribe: ", 0) != 0) {
      EXPECT_LE(line.size(), 78U) << line;
    }
  }

  EXPECT_EQ(header(mime, "From"), "Acme Support <nps@acme.example>");
  EXPECT_EQ(header(mime, "To"), "Ada Lovelace <ada@example.com>");
  EXPECT_EQ(header(mime, "Subject"), "A quick question about Acme");
  EXPECT_EQ(header(mime, "Date"), "Sat, 05 Dec 2026 06:00:00 +0000");
  EXPECT_EQ(header(mime, "Message-ID"), "<invitation-1@acme.example>");
  EXPECT_EQ(header(mime, "MIME-Version"), "1.0");
  EXPECT_EQ(header(mime, "List-Unsubscribe"), "<" + invite.unsubscribe_url + ">");
  EXPECT_EQ(header(mime, "List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");

  const std::string type = header(mime, "Content-Type");
  std::smatch found;
  ASSERT_TRUE(
      std::regex_match(type, found, std::regex(R"(multipart/alternative; boundary="([^"]+)\")")))
      << type;
  const std::string boundary = found[1];
  const std::string delimiter = "\r\n--" + boundary;
  const std::string body = mime.substr(mime.find("\r\n\r\n") + 2);
  std::vector<std::string> parts;
  for (std::size_t at = body.find(delimiter); at != std::string::npos;) {
    const std::size_t next = body.find(delimiter, at + delimiter.size());
    if (next == std::string::npos) {
      EXPECT_EQ(body.substr(at), delimiter + "--\r\n");
      break;
    }
    parts.push_back(body.substr(at + delimiter.size() + 2, next - at - delimiter.size() - 2));
    at = next;
  }
  ASSERT_EQ(parts.size(), 2U);
  const std::vector<std::pair<std::string, std::string>> expected = {{"text/plain", message.text},
                                                                     {"text/html", message.html}};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    const std::size_t blank = part.find("\r\n\r\n");
    ASSERT_NE(blank, std::string::npos);
    const std::string part_head = part.substr(0, blank);
    EXPECT_NE(part_head.find("Content-Type: " + expected[i].first + "; charset=UTF-8"),
              std::string::npos)
        << part_head;
    EXPECT_NE(part_head.find("Content-Transfer-Encoding: quoted-printable"), std::string::npos);
    EXPECT_EQ(decode_quoted_printable(part.substr(blank + 4)), expected[i].second);
    EXPECT_EQ(part.find(boundary, blank), std::string::npos);
  }
}

TEST(EmailMime, NonAsciiHeadersAreEncodedWordsAndLongLinesStayShort) {
  invitation invite = personal_invitation();
  invite.locale = "ja";
  invite.product = "アクメ株式会社のとても長い製品名と、さらに長い説明の付いたサービス";
  const email_message message = render(invite);
  mime_headers headers;
  headers.from = "nps@acme.example";
  headers.to = "Åsa Öberg <asa@example.se>";
  const std::string mime = to_mime(message, headers);
  for (const std::string& line : crlf_lines(mime)) EXPECT_LE(line.size(), 78U) << line;
  EXPECT_EQ(decode_encoded_words(header(mime, "Subject")), message.subject);
  const std::string to = header(mime, "To");
  EXPECT_EQ(decode_encoded_words(to), "Åsa Öberg");
  EXPECT_NE(to.find("<asa@example.se>"), std::string::npos);
  // Defaults: a date and a Message-ID in the sender's domain.
  EXPECT_TRUE(std::regex_match(header(mime, "Date"),
                               std::regex(R"([A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} )"
                                          R"(\d{2}:\d{2}:\d{2} \+0000)")))
      << header(mime, "Date");
  EXPECT_TRUE(
      std::regex_match(header(mime, "Message-ID"), std::regex(R"(<[0-9a-f]{40}@acme\.example>)")))
      << header(mime, "Message-ID");
}

TEST(EmailMime, NoUnsubscribeHeadersWithoutAUrlAndNoInjectedHeaders) {
  const email_message message = render(personal_invitation());
  mime_headers headers;
  headers.from = "nps@acme.example";
  headers.to = "ada@example.com\r\nBcc: everyone@example.com";
  const std::string mime = to_mime(message, headers);
  EXPECT_EQ(mime.find("List-Unsubscribe"), std::string::npos);
  EXPECT_EQ(mime.find("\r\nBcc:"), std::string::npos);
  EXPECT_EQ(header(mime, "To"), "ada@example.com  Bcc: everyone@example.com");
}

TEST(EmailMime, QuotedPrintableProtectsDotsAndTrailingSpace) {
  email_message message;
  message.subject = "s";
  message.text = ".\nline with trailing space \n" + std::string(200, 'x') + "\nFrom here";
  message.html = "<p>" + std::string(100, '=') + "</p>";
  const std::string mime = to_mime(message, mime_headers{});
  EXPECT_NE(mime.find("\r\n=2E\r\n"), std::string::npos);
  EXPECT_NE(mime.find("line with trailing space=20\r\n"), std::string::npos);
  EXPECT_NE(mime.find("\r\n=46rom here"), std::string::npos);
  for (const std::string& line : crlf_lines(mime)) EXPECT_LE(line.size(), 76U) << line;
}

}  // namespace
}  // namespace npskit::cli
