// Sending one e-mail message over SMTP with libcurl: smtps:// (TLS from the
// first byte) or smtp:// with STARTTLS required, the server's certificate
// checked, AUTH when a user is given. One client keeps its connection open
// between messages.
#ifndef NPSKIT_CLI_COLLECTOR_SMTP_CLIENT_H
#define NPSKIT_CLI_COLLECTOR_SMTP_CLIENT_H

#include <string>
#include <string_view>
#include <vector>

#include "arguments.h"
#include "npskit/result.h"

namespace npskit::cli {

struct smtp_settings {
  std::string url;   // smtps://HOST:PORT or smtp://HOST:PORT, without the user
  std::string host;  // for messages and Message-ID
  std::string user;  // empty: no AUTH
  std::string password;
  bool tls_from_start = true;  // smtps://
  // smtp:// without STARTTLS, for a test sink on a loopback address only.
  bool insecure = false;
  std::string from;           // the From header ("Name <address>" or an address)
  std::string envelope_from;  // the address alone, for MAIL FROM
  std::string ca_file;        // extra certificate authorities; empty: the system's
  long timeout_ms = 60000;
};

// The options every command that sends takes (`send`, `serve`).
const std::vector<option_spec>& smtp_option_table();
// Reads --smtp, --smtp-password-file (or NPSKIT_SMTP_PASSWORD), --smtp-insecure,
// --smtp-ca-file and --from. nullopt settings when --smtp is absent. Errors
// name the option and what was expected; the password never appears in one.
result<std::optional<smtp_settings>> read_smtp_options(const parsed_arguments& parsed);

// The address of a From value: "NPS <nps@example.com>" -> "nps@example.com".
std::string address_of(std::string_view from);

struct smtp_result {
  bool accepted = false;
  // The server refused for good (a 5xx reply): trying again will not help.
  bool permanent = false;
  std::string error;  // why it was not accepted
};

class smtp_client {
 public:
  explicit smtp_client(smtp_settings settings);
  ~smtp_client();
  smtp_client(const smtp_client&) = delete;
  smtp_client& operator=(const smtp_client&) = delete;

  // Sends `message` (RFC 5322, CRLF line ends) to `recipient`.
  smtp_result send(const std::string& recipient, const std::string& message);

 private:
  smtp_settings settings_;
  void* handle_ = nullptr;  // CURL*
};

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_SMTP_CLIENT_H
