// Survey invitations by e-mail: the first question inside the message as 11
// score links to the hosted survey page, in the contact's language, as HTML
// that mail clients render alike (tables, inline styles, explicit colours)
// and as plain text, packed into a MIME message for SMTP. A link only opens
// the page: the answer is recorded when the person confirms it there, so a
// mail scanner following every link records nothing.
#ifndef NPSKIT_CLI_EMAIL_MESSAGE_H
#define NPSKIT_CLI_EMAIL_MESSAGE_H

#include <string>
#include <string_view>
#include <vector>

#include "npskit/result.h"

namespace npskit::cli {

struct invitation {
  std::string survey, base_url, locale = "en", product, campaign, contact, email, name;
  std::string signature;        // sign_personal_link(...); empty: anonymous links
  std::string unsubscribe_url;  // empty: none
};

struct email_message {
  std::string subject, html, text;
};

// The message for one invitation. Errors name the field: an empty survey, a
// base URL that is not http(s)://, an unknown locale, a campaign or contact
// the collector would refuse (control characters, too long).
result<email_message> render_invitation(const invitation& invite);

// {base}/s/{survey}?score=9&ch=email&lang=sv&p=PRODUCT&cmp=CAMPAIGN&c=CONTACT&sig=SIG,
// every part percent-encoded; score -1 leaves it out (the plain link), an
// empty product or campaign leaves out p or cmp, and c and sig are there
// only with a signature.
std::string survey_link(const invitation& invite, int score);

// {base}/unsubscribe?c=CONTACT&sig=SIG, the page where a contact stops all
// invitations (sig: sign_unsubscribe of the contact).
std::string unsubscribe_link(std::string_view base_url, std::string_view contact,
                             std::string_view sig);

struct mime_headers {
  std::string from, to, message_id, date;
  std::string unsubscribe_url;
};

// An RFC 5322 message: multipart/alternative with the text part first and
// the HTML part second (clients show the last one they can), UTF-8 bodies in
// quoted-printable, non-ASCII header text as RFC 2047 encoded words, CRLF
// line ends, no line over 78 characters except a long List-Unsubscribe URL.
// An empty date is now; an empty message_id is derived from the message and
// the sender's domain. List-Unsubscribe and List-Unsubscribe-Post (RFC 8058
// one-click) are there only with an unsubscribe_url. Line breaks in header
// values are replaced by spaces: no value can add a header of its own.
std::string to_mime(const email_message& message, const mime_headers& headers);

// The built-in locale for a BCP 47 tag ("sv-FI" -> "sv", "zh" -> "zh-CN"), as
// the widget matches them; "" when none fits.
std::string match_email_locale(std::string_view tag);

// The codes of the built-in locales, sorted.
std::vector<std::string> email_locales();

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_EMAIL_MESSAGE_H
