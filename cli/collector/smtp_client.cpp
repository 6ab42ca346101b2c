#include "collector/smtp_client.h"

#include <curl/curl.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <utility>

#include "collector/access.h"
#include "collector/invitations.h"
#include "npskit/text.h"

namespace npskit::cli {

namespace {

error usage(std::string message) {
  return make_error(error_code::invalid_argument, std::move(message));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decoded(std::string_view text) {
  std::string decoded;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      decoded.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size() || hex_value(text[i + 1]) < 0 || hex_value(text[i + 2]) < 0) {
      return std::nullopt;
    }
    decoded.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
    i += 2;
  }
  return decoded;
}

// The password: from the file (first line, without its line end) or from
// NPSKIT_SMTP_PASSWORD; never from the command line, where other users of
// the machine could read it.
result<std::string> read_password(const parsed_arguments& parsed) {
  if (auto file = parsed.value("--smtp-password-file")) {
    std::ifstream in(*file, std::ios::binary);
    if (!in) {
      return usage("--smtp-password-file: cannot read \"" + *file + "\": " + std::strerror(errno));
    }
    std::string password;
    std::getline(in, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (password.empty()) {
      return usage("--smtp-password-file: \"" + *file + "\" holds no password on its first line");
    }
    return password;
  }
  const char* from_environment = std::getenv("NPSKIT_SMTP_PASSWORD");
  if (from_environment != nullptr && *from_environment != '\0')
    return std::string(from_environment);
  return std::string();
}

std::size_t read_message(char* buffer, std::size_t size, std::size_t count, void* source) {
  auto* rest = static_cast<std::string_view*>(source);
  const std::size_t taken = std::min(size * count, rest->size());
  std::memcpy(buffer, rest->data(), taken);
  rest->remove_prefix(taken);
  return taken;
}

}  // namespace

const std::vector<option_spec>& smtp_option_table() {
  static const std::vector<option_spec> table = {
      {"--smtp", option_arity::single, "URL",
       "SMTP server: smtps://USER@HOST:465 or smtp://USER@HOST:587 (STARTTLS)"},
      {"--smtp-password-file", option_arity::single, "FILE",
       "SMTP password (first line); else NPSKIT_SMTP_PASSWORD"},
      {"--smtp-insecure", option_arity::flag, "",
       "smtp:// without TLS, to a loopback address only (test sinks)"},
      {"--smtp-ca-file", option_arity::single, "FILE",
       "certificate authorities trusted for the SMTP server"},
      {"--from", option_arity::single, "ADDRESS",
       "the From of invitations (default: the SMTP user when an address)"},
  };
  return table;
}

std::string address_of(std::string_view from) {
  const std::size_t open = from.rfind('<');
  const std::size_t close = from.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
    return std::string(from.substr(open + 1, close - open - 1));
  }
  return std::string(npskit::text::trim(from));
}

result<std::optional<smtp_settings>> read_smtp_options(const parsed_arguments& parsed) {
  const auto url = parsed.value("--smtp");
  if (!url) {
    for (const char* name : {"--smtp-password-file", "--smtp-insecure", "--smtp-ca-file"}) {
      if (parsed.has(name)) return usage(std::string(name) + ": given without --smtp URL");
    }
    return std::optional<smtp_settings>();
  }
  smtp_settings settings;
  const auto wrong = [&](const std::string& why) {
    return usage("--smtp: \"" + *url + "\" " + why +
                 " (expected smtps://USER@HOST:PORT or smtp://USER@HOST:PORT)");
  };
  std::string_view rest = *url;
  const std::string scheme = npskit::text::ascii_lower(rest.substr(0, rest.find("://")));
  if (scheme == "smtps") {
    settings.tls_from_start = true;
  } else if (scheme == "smtp") {
    settings.tls_from_start = false;
  } else {
    return wrong("is not an smtps:// or smtp:// URL");
  }
  rest.remove_prefix(scheme.size() + 3);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find_first_of("/?#") != std::string_view::npos) return wrong("has a path");
  const std::size_t at = rest.rfind('@');
  if (at != std::string_view::npos) {
    const std::string_view user_part = rest.substr(0, at);
    if (user_part.find(':') != std::string_view::npos) {
      return usage(
          "--smtp: the URL holds a password; give it in --smtp-password-file FILE or "
          "NPSKIT_SMTP_PASSWORD instead, where other users of the machine cannot read it");
    }
    auto user = percent_decoded(user_part);
    if (!user || user->empty()) return wrong("has a malformed user");
    settings.user = std::move(*user);
    rest.remove_prefix(at + 1);
  }
  std::string_view host = rest;
  std::string_view port;
  if (!host.empty() && host.front() == '[') {
    const std::size_t close = host.find(']');
    if (close == std::string_view::npos) return wrong("has an unclosed [ in its host");
    port = close + 1 < host.size() && host[close + 1] == ':' ? host.substr(close + 2) : "";
    host = host.substr(0, close + 1);
  } else if (const std::size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (host.empty()) return wrong("has no host");
  if (!port.empty()) {
    auto number = parse_whole_number("--smtp", port);
    if (!number || *number == 0 || *number > 65535) return wrong("has a port outside 1..65535");
  }
  settings.host = std::string(host);
  settings.url =
      scheme + "://" + std::string(host) + (port.empty() ? std::string() : ":" + std::string(port));

  settings.insecure = parsed.has("--smtp-insecure");
  if (settings.insecure) {
    const std::string bare =
        host.front() == '[' ? std::string(host.substr(1, host.size() - 2)) : std::string(host);
    if (settings.tls_from_start) {
      return usage("--smtp-insecure: only for smtp:// (smtps:// always uses TLS)");
    }
    if (!is_loopback_bind(bare)) {
      return usage("--smtp-insecure: \"" + settings.host +
                   "\" is not a loopback address; messages and passwords would cross the network "
                   "unencrypted (drop --smtp-insecure: smtp:// then requires STARTTLS)");
    }
  }
  if (auto ca_file = parsed.value("--smtp-ca-file")) settings.ca_file = *ca_file;
  auto password = read_password(parsed);
  if (!password) return password.error();
  settings.password = std::move(*password);
  if (!settings.user.empty() && settings.password.empty()) {
    return usage("--smtp: the user \"" + settings.user +
                 "\" needs a password: --smtp-password-file FILE or NPSKIT_SMTP_PASSWORD");
  }
  if (auto from = parsed.value("--from")) {
    settings.from = *from;
  } else if (!check_email_address(settings.user)) {
    settings.from = settings.user;
  } else {
    return usage("--from: needed (the SMTP user \"" + settings.user +
                 "\" is not an e-mail address to send from)");
  }
  settings.envelope_from = address_of(settings.from);
  if (auto problem = check_email_address(settings.envelope_from)) {
    return usage("--from: \"" + settings.from + "\" " + *problem);
  }
  if (settings.from.find_first_of("\r\n") != std::string::npos) {
    return usage("--from: holds a line break");
  }
  return std::optional<smtp_settings>(std::move(settings));
}

smtp_client::smtp_client(smtp_settings settings) : settings_(std::move(settings)) {
  static std::once_flag initialized;
  std::call_once(initialized, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  handle_ = curl_easy_init();
}

smtp_client::~smtp_client() {
  if (handle_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(handle_));
}

smtp_result smtp_client::send(const std::string& recipient, const std::string& message) {
  smtp_result outcome;
  auto* curl = static_cast<CURL*>(handle_);
  if (curl == nullptr) {
    outcome.error = "libcurl could not start";
    return outcome;
  }
  std::string_view rest = message;
  const std::string envelope_from = "<" + settings_.envelope_from + ">";
  const std::string to = "<" + recipient + ">";
  curl_slist* recipients = curl_slist_append(nullptr, to.c_str());
  char error_text[CURL_ERROR_SIZE] = {};
  curl_easy_reset(curl);
  curl_easy_setopt(curl, CURLOPT_URL, settings_.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, envelope_from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, &read_message);
  curl_easy_setopt(curl, CURLOPT_READDATA, &rest);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, std::min(settings_.timeout_ms, 15000L));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, settings_.timeout_ms);
  // Certificates are always checked; smtp:// must upgrade with STARTTLS.
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!settings_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, settings_.ca_file.c_str());
  if (!settings_.tls_from_start && !settings_.insecure) {
    curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  }
  if (!settings_.user.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, settings_.user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, settings_.password.c_str());
  }
  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(recipients);
  long reply = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
  if (code == CURLE_OK) {
    outcome.accepted = true;
    return outcome;
  }
  outcome.permanent = reply >= 500 && reply < 600;
  outcome.error = std::string(error_text[0] != '\0' ? error_text : curl_easy_strerror(code));
  if (reply > 0) outcome.error += " (SMTP " + std::to_string(reply) + ")";
  return outcome;
}

}  // namespace npskit::cli
