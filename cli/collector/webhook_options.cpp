#include "collector/webhook_options.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "npskit/tally.h"
#include "npskit/text.h"

namespace npskit::cli {

namespace {

error usage(std::string message) {
  return make_error(error_code::invalid_argument, std::move(message));
}

// Reads the secret in `path`, or writes a new one there (mode 0600) when the
// file does not exist, so that a first start needs no extra step.
status load_or_create_secret(webhook_target& target) {
  const std::string& path = target.secret_file;
  const std::string source = "--webhook-secret-file \"" + path + "\"";
  for (int attempt = 0; attempt < 2; ++attempt) {
    const int descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (descriptor >= 0) {
      struct stat info {};
      std::string contents;
      const bool regular = ::fstat(descriptor, &info) == 0 && S_ISREG(info.st_mode);
      char buffer[1024];
      ssize_t count = 0;
      while (regular && contents.size() <= 4096 &&
             (count = ::read(descriptor, buffer, sizeof buffer)) > 0) {
        contents.append(buffer, static_cast<std::size_t>(count));
      }
      ::close(descriptor);
      if (!regular) return usage(source + ": not a regular file");
      auto secret = parse_webhook_secret(contents, source);
      if (!secret) return secret.error();
      target.secret = std::move(*secret);
      if ((info.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 0777));
        target.secret_note = "warning: \"" + path + "\" has mode " + mode +
                             ": others on this machine can read the webhook secret (chmod 600 it)";
      }
      return ok{};
    }
    if (errno != ENOENT) return usage(source + ": cannot open: " + std::strerror(errno));
    const int created = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (created < 0) {
      if (errno == EEXIST) continue;  // created by someone else meanwhile: read it
      return usage(source + ": cannot create: " + std::strerror(errno));
    }
    const std::string contents = new_webhook_secret_text() + "\n";
    const bool written = ::write(created, contents.data(), contents.size()) ==
                             static_cast<ssize_t>(contents.size()) &&
                         ::fsync(created) == 0;
    ::close(created);
    if (!written) return usage(source + ": cannot write a new secret: " + std::strerror(errno));
    auto secret = parse_webhook_secret(contents, source);
    if (!secret) return secret.error();
    target.secret = std::move(*secret);
    target.secret_note = "new secret in " + path;
    return ok{};
  }
  return usage(source + ": appears and vanishes; cannot read it");
}

result<webhook_when> parse_when(std::string_view given) {
  const std::string lower = text::ascii_lower(given);
  if (lower == "detractor") return webhook_when::detractor;
  if (lower == "passive") return webhook_when::passive;
  if (lower == "promoter") return webhook_when::promoter;
  if (lower == "response") return webhook_when::response;
  if (lower == "all") return webhook_when::all;
  return usage("--webhook-when: \"" + std::string(given) +
               "\" is not a choice (expected detractor, passive, promoter, response or all)");
}

}  // namespace

result<http_url> parse_http_url(std::string_view option, std::string_view given) {
  const std::string name(option);
  const auto invalid = [&](const std::string& why) {
    return usage(name + ": \"" + std::string(given) + "\" " + why);
  };
  http_url url;
  std::string_view rest = given;
  if (text::ascii_lower(rest.substr(0, 7)) == "http://") {
    rest.remove_prefix(7);
  } else if (text::ascii_lower(rest.substr(0, 8)) == "https://") {
    url.tls = true;
    rest.remove_prefix(8);
  } else {
    return invalid("is not an http:// or https:// URL");
  }
  const std::size_t authority_end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, authority_end);
  if (authority.find('@') != std::string_view::npos) {
    return invalid("holds user information before the host (expected scheme://host[:port]/path)");
  }
  if (authority_end != std::string_view::npos && rest[authority_end] == '#') {
    return invalid("has a fragment, which is never sent");
  }
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return invalid("has an unclosed [ in its host");
    url.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return invalid("has text after its [IPv6] host");
      port = authority.substr(close + 2);
    }
  } else {
    const std::size_t colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (url.host.empty()) return invalid("has no host");
  if (url.host.find_first_of(" \t\r\n") != std::string::npos)
    return invalid("has a space in its host");
  if (!port.empty() || authority.find(':') != std::string_view::npos) {
    const bool digits = !port.empty() && port.size() <= 5 &&
                        port.find_first_not_of("0123456789") == std::string_view::npos;
    if (!digits || std::stoi(std::string(port)) == 0 || std::stoi(std::string(port)) > 65535) {
      return invalid("has a port that is not 1..65535");
    }
    url.port = std::string(port);
  } else {
    url.port = url.tls ? "443" : "80";
  }
  if (authority_end != std::string_view::npos) {
    url.target = std::string(rest.substr(authority_end));
    if (url.target.front() == '?') url.target.insert(0, "/");
  }
  for (const char c : url.target) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
      return invalid("has a space or control character in its path (percent-encode it)");
    }
  }
  const std::string shown_host =
      url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  url.redacted =
      std::string(url.tls ? "https://" : "http://") + shown_host +
      (authority.find(':') != std::string_view::npos && authority.back() != ']' ? ":" + url.port
                                                                                : "") +
      (url.target == "/" ? "/" : "/…");
  return url;
}

const char* to_string(webhook_when when) {
  switch (when) {
    case webhook_when::detractor:
      return "detractor";
    case webhook_when::passive:
      return "passive";
    case webhook_when::promoter:
      return "promoter";
    case webhook_when::response:
      return "response";
    case webhook_when::all:
      return "all";
  }
  return "all";
}

bool matches(webhook_when when, const response& value) {
  if (value.type == record_type::dismissal) return when == webhook_when::all;
  // The category is the core's; a stored answer's score is valid, so
  // classify only fails for a payload that is not an NPS answer.
  const auto kind = classify(value.score);
  switch (when) {
    case webhook_when::detractor:
      return kind && *kind == category::detractor;
    case webhook_when::passive:
      return kind && *kind == category::passive;
    case webhook_when::promoter:
      return kind && *kind == category::promoter;
    case webhook_when::response:
    case webhook_when::all:
      return true;
  }
  return false;
}

std::int64_t retry_policy::delay_ms(int failures, double jitter_unit) const {
  const int doublings = failures < 1 ? 0 : (failures > 30 ? 30 : failures - 1);
  const double nominal = std::min(static_cast<double>(base_ms) * std::ldexp(1.0, doublings),
                                  static_cast<double>(cap_ms()));
  return static_cast<std::int64_t>(nominal * (0.75 + 0.5 * jitter_unit));
}

const std::vector<option_spec>& webhook_option_table() {
  static const std::vector<option_spec> table = {
      {"--webhook", option_arity::repeated, "URL",
       "POST each matching answer there, signed (Standard Webhooks)"},
      {"--slack-webhook", option_arity::repeated, "URL",
       "post each matching answer to a Slack incoming webhook"},
      {"--webhook-secret-file", option_arity::repeated, "FILE",
       "secret (whsec_...) of the --webhook before it; created if missing"},
      {"--webhook-when", option_arity::repeated, "WHICH",
       "detractor|passive|promoter|response|all, for the hook before it"},
      {"--webhook-enable", option_arity::repeated, "URL",
       "send again to a hook disabled after it answered 410 Gone"},
      {"--public-url", option_arity::single, "URL",
       "where people reach this collector, for links in alerts"},
      {"--webhook-retry-base-ms", option_arity::single, "MS",
       "first retry delay; scales the whole schedule (default 5000)"},
      {"--webhook-timeout-ms", option_arity::single, "MS",
       "time to connect, and to send and hear back (default 15000)"},
  };
  return table;
}

result<webhook_options> read_webhook_options(const parsed_arguments& parsed) {
  webhook_options options;
  for (const auto& [name, value] : parsed.in_order()) {
    if (name == "--webhook" || name == "--slack-webhook") {
      webhook_target target;
      target.format = name == "--webhook" ? webhook_format::standard : webhook_format::slack;
      target.when = name == "--webhook" ? webhook_when::response : webhook_when::detractor;
      auto url = parse_http_url(name, value);
      if (!url) return url.error();
      target.url = std::move(*url);
      target.url_text = value;
      std::string identity = name;
      identity.append(" ").append(value);
      target.key = sha256_hex(identity).substr(0, 32);
      target.label = std::string(name == "--webhook" ? "webhook " : "Slack webhook ") +
                     std::to_string(options.targets.size() + 1) + " (" + target.url.redacted + ")";
      for (const webhook_target& earlier : options.targets) {
        if (earlier.key == target.key)
          return usage(name + ": \"" + target.url.redacted + "\" is given twice");
      }
      options.targets.push_back(std::move(target));
      continue;
    }
    if (name != "--webhook-secret-file" && name != "--webhook-when") continue;
    if (options.targets.empty()) {
      std::string message = name;
      message.append(" \"").append(value).append(
          "\" comes before any --webhook or --slack-webhook (it qualifies the hook it follows)");
      return usage(std::move(message));
    }
    webhook_target& target = options.targets.back();
    if (name == "--webhook-when") {
      auto when = parse_when(value);
      if (!when) return when.error();
      target.when = *when;
    } else if (target.format == webhook_format::slack) {
      return usage(
          "--webhook-secret-file \"" + value +
          "\" follows a --slack-webhook, which Slack does not verify (its URL is the secret)");
    } else if (!target.secret_file.empty()) {
      return usage("--webhook-secret-file \"" + value + "\": " + target.label + " already has one");
    } else {
      target.secret_file = value;
    }
  }
  for (webhook_target& target : options.targets) {
    if (target.secret_file.empty()) continue;
    auto loaded = load_or_create_secret(target);
    if (!loaded) return loaded.error();
  }
  if (auto base = parsed.value("--webhook-retry-base-ms")) {
    auto number = parse_whole_number("--webhook-retry-base-ms", *base);
    if (!number) return number.error();
    if (*number < 10 || *number > 3600000) {
      return usage("--webhook-retry-base-ms: " + *base + " is out of range (expected 10..3600000)");
    }
    options.retry.base_ms = static_cast<std::int64_t>(*number);
  }
  if (auto timeout = parsed.value("--webhook-timeout-ms")) {
    auto number = parse_whole_number("--webhook-timeout-ms", *timeout);
    if (!number) return number.error();
    if (*number < 100 || *number > 120000) {
      return usage("--webhook-timeout-ms: " + *timeout + " is out of range (expected 100..120000)");
    }
    options.timeout_ms = static_cast<std::int64_t>(*number);
  }
  if (auto public_url = parsed.value("--public-url")) {
    auto url = parse_http_url("--public-url", *public_url);
    if (!url) return url.error();
    options.public_url = *public_url;
    while (!options.public_url.empty() && options.public_url.back() == '/')
      options.public_url.pop_back();
  }
  for (const std::string& value : parsed.values("--webhook-enable")) {
    bool configured = false;
    for (const webhook_target& target : options.targets)
      configured = configured || target.url_text == value;
    if (!configured) {
      return usage("--webhook-enable: \"" + value +
                   "\" is not the URL of a --webhook or --slack-webhook given");
    }
    options.enable_again.push_back(value);
  }
  return options;
}

}  // namespace npskit::cli
