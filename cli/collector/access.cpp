#include "collector/access.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace npskit::cli {
namespace {

constexpr std::size_t token_bytes = 32;
constexpr std::size_t shortest_token = 16;
constexpr std::size_t longest_token = 512;

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

// Header values are quoted in error messages; control bytes could forge log
// lines or terminal sequences, and a flood of bytes has no place in an answer.
std::string quoted(std::string_view value) {
  constexpr std::size_t longest = 100;
  std::string out = "\"";
  for (std::size_t i = 0; i < value.size() && i < longest; ++i) {
    const auto byte = static_cast<unsigned char>(value[i]);
    if (byte < 0x20 || byte >= 0x7F || byte == '"' || byte == '\\') {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02X", byte);
      out += escaped;
    } else {
      out.push_back(value[i]);
    }
  }
  if (value.size() > longest) out += "...";
  out.push_back('"');
  return out;
}

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool is_port(std::string_view text) {
  if (!all_digits(text) || text.size() > 5) return false;
  unsigned long value = 0;
  for (const char c : text) value = value * 10 + static_cast<unsigned long>(c - '0');
  return value <= 65535;
}

// Dotted decimal with exactly four parts, as inet_pton takes it: no "127.1",
// no hexadecimal, no octal leading zeros.
std::optional<in_addr> parse_ipv4(std::string_view text) {
  if (text.empty() || text.size() > 15) return std::nullopt;
  const std::string terminated(text);
  in_addr address{};
  if (inet_pton(AF_INET, terminated.c_str(), &address) != 1) return std::nullopt;
  return address;
}

std::optional<in6_addr> parse_ipv6(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  const std::string terminated(text);
  in6_addr address{};
  if (inet_pton(AF_INET6, terminated.c_str(), &address) != 1) return std::nullopt;
  return address;
}

std::string ipv4_text(const in_addr& address) {
  char text[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &address, text, sizeof text);
  return text;
}

// An X-Forwarded-For hop: an IP literal, possibly "[v6]:port" or "v4:port"
// as some proxies write it.
std::optional<std::string> normalize_hop(std::string_view hop) {
  if (auto plain = normalize_ip(hop)) return plain;
  if (!hop.empty() && hop.front() == '[') {
    const std::size_t close = hop.find(']');
    if (close != std::string_view::npos && close + 1 < hop.size() && hop[close + 1] == ':' &&
        is_port(hop.substr(close + 2)) && parse_ipv6(hop.substr(1, close - 1))) {
      return normalize_ip(hop.substr(1, close - 1));
    }
    return std::nullopt;
  }
  const std::size_t colon = hop.find(':');
  if (colon != std::string_view::npos && hop.find(':', colon + 1) == std::string_view::npos &&
      is_port(hop.substr(colon + 1)) && parse_ipv4(hop.substr(0, colon))) {
    return normalize_ip(hop.substr(0, colon));
  }
  return std::nullopt;
}

// "--admin-token-file: \"PATH\" WHAT": the start of every error about a
// secret's file, built outside the read and retry loops.
error file_error(const std::string& option, const std::string& path, std::string_view what) {
  std::string message = option;
  message += ": \"";
  message += path;
  message += "\"";
  message += what;
  return make_error(error_code::invalid_argument, std::move(message));
}

error system_error(const std::string& option, std::string_view doing, const std::string& path) {
  std::string message = option;
  message += ": ";
  message += doing;
  message += " \"";
  message += path;
  message += "\": ";
  message += std::strerror(errno);
  return make_error(error_code::invalid_argument, std::move(message));
}

result<std::string> read_secret_file(int descriptor, const std::string& path,
                                     const std::string& option) {
  std::string text;
  char buffer[1024];
  for (;;) {
    const ssize_t got = ::read(descriptor, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      return system_error(option, "cannot read", path);
    }
    if (got == 0) break;
    text.append(buffer, static_cast<std::size_t>(got));
    if (text.size() > longest_token + 64) break;
  }
  const std::string_view token = trim(text);
  if (token.size() < shortest_token || token.size() > longest_token) {
    return make_error(error_code::invalid_argument,
                      option + ": \"" + path + "\" holds " + std::to_string(token.size()) +
                          " characters (expected 16 to 512 visible ASCII characters; "
                          "delete the file to have a new one created)");
  }
  for (std::size_t i = 0; i < token.size(); ++i) {
    const auto byte = static_cast<unsigned char>(token[i]);
    if (byte <= 0x20 || byte >= 0x7F) {
      return file_error(option, path,
                        ": character " + std::to_string(i + 1) +
                            " is not visible ASCII (expected text that fits in an HTTP "
                            "header, e.g. base64url)");
    }
  }
  return std::string(token);
}

// Missing folders on the way to the token file are created for the owner
// only; folders that exist are left as they are.
result<bool> create_private_folders(const std::filesystem::path& folder,
                                    const std::string& option) {
  if (folder.empty()) return true;
  std::filesystem::path built;
  for (const auto& part : folder) {
    built /= part;
    if (::mkdir(built.c_str(), 0700) == 0) {
      ::chmod(built.c_str(), 0700);
    } else if (errno != EEXIST) {
      return make_error(
          error_code::invalid_argument,
          option + ": cannot create folder \"" + built.string() + "\": " + std::strerror(errno));
    }
  }
  return true;
}

result<bool> write_new_secret(const std::string& path, const std::string& token,
                              const std::string& option) {
  const int descriptor = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (descriptor < 0) {
    if (errno == EEXIST) return false;  // created meanwhile by someone else: read theirs
    return make_error(error_code::invalid_argument,
                      option + ": cannot create \"" + path + "\": " + std::strerror(errno));
  }
  // The umask may only take bits away, but say exactly what is meant.
  ::fchmod(descriptor, 0600);
  const std::string line = token + "\n";
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t wrote = ::write(descriptor, line.data() + written, line.size() - written);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) {
      std::string message = option + ": cannot write \"";
      message += path;
      message += "\": ";
      message += std::strerror(errno);
      ::close(descriptor);
      ::unlink(path.c_str());
      return make_error(error_code::invalid_argument, std::move(message));
    }
    written += static_cast<std::size_t>(wrote);
  }
  ::fsync(descriptor);
  ::close(descriptor);
  return true;
}

}  // namespace

// --- command line ------------------------------------------------------------------

result<access_options> read_access_options(const parsed_arguments& parsed) {
  access_options options;
  if (auto file = parsed.value("--admin-token-file")) {
    if (file->empty()) {
      return make_error(error_code::invalid_argument,
                        "--admin-token-file: the file name is empty (expected a path such as "
                        "/etc/npskit/admin.token)");
    }
    options.admin_token_file = *file;
  }
  options.public_summary = parsed.has("--public-summary");
  if (auto min_group = parsed.value("--min-group")) {
    auto number = parse_whole_number("--min-group", *min_group);
    if (!number) return number.error();
    if (*number < 1 || *number > 1000000) {
      return make_error(error_code::invalid_argument,
                        "--min-group: " + *min_group + " is out of range (expected 1..1000000)");
    }
    options.min_group = *number;
  }
  if (auto proxy = parsed.value("--proxy")) {
    auto address = normalize_ip(*proxy);
    if (!address) {
      return make_error(error_code::invalid_argument,
                        "--proxy: \"" + *proxy +
                            "\" is not an IP address (expected the address the proxy connects "
                            "from, e.g. 127.0.0.1 or ::1)");
    }
    options.proxy = *address;
  }
  return options;
}

// --- addresses ---------------------------------------------------------------------

std::optional<std::string> normalize_ip(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
    if (!parse_ipv6(text)) return std::nullopt;
  }
  if (auto v4 = parse_ipv4(text)) return ipv4_text(*v4);
  auto v6 = parse_ipv6(text);
  if (!v6) return std::nullopt;
  if (IN6_IS_ADDR_V4MAPPED(&*v6)) {
    in_addr v4{};
    std::memcpy(&v4, &v6->s6_addr[12], sizeof v4);
    return ipv4_text(v4);
  }
  char out[INET6_ADDRSTRLEN] = {};
  inet_ntop(AF_INET6, &*v6, out, sizeof out);
  return std::string(out);
}

bool is_loopback_ip(std::string_view text) {
  const auto address = normalize_ip(text);
  if (!address) return false;
  return *address == "::1" || address->rfind("127.", 0) == 0;
}

bool is_loopback_bind(std::string_view host) {
  return iequals(host, "localhost") || is_loopback_ip(host);
}

bool host_header_names_loopback(std::string_view header) {
  std::string_view host;
  std::string_view rest;
  bool bracketed = false;
  if (!header.empty() && header.front() == '[') {
    const std::size_t close = header.find(']');
    if (close == std::string_view::npos) return false;
    host = header.substr(1, close - 1);
    rest = header.substr(close + 1);
    bracketed = true;
  } else {
    const std::size_t colon = header.find(':');
    host = header.substr(0, colon);
    rest = colon == std::string_view::npos ? std::string_view() : header.substr(colon);
  }
  if (!rest.empty() && (rest.front() != ':' || !is_port(rest.substr(1)))) return false;
  if (bracketed) return parse_ipv6(host) && is_loopback_ip(host);
  return iequals(host, "localhost") || (parse_ipv4(host) && is_loopback_ip(host));
}

// --- admin token -------------------------------------------------------------------

std::string base64url(const unsigned char* data, std::size_t size) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((size * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= size; i += 3) {
    const unsigned value = (unsigned{data[i]} << 16) | (unsigned{data[i + 1]} << 8) | data[i + 2];
    out.push_back(alphabet[(value >> 18) & 63]);
    out.push_back(alphabet[(value >> 12) & 63]);
    out.push_back(alphabet[(value >> 6) & 63]);
    out.push_back(alphabet[value & 63]);
  }
  if (size - i == 1) {
    const unsigned value = unsigned{data[i]} << 16;
    out.push_back(alphabet[(value >> 18) & 63]);
    out.push_back(alphabet[(value >> 12) & 63]);
  } else if (size - i == 2) {
    const unsigned value = (unsigned{data[i]} << 16) | (unsigned{data[i + 1]} << 8);
    out.push_back(alphabet[(value >> 18) & 63]);
    out.push_back(alphabet[(value >> 12) & 63]);
    out.push_back(alphabet[(value >> 6) & 63]);
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  const auto value_of = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
  };
  if (text.size() % 4 == 1) return std::nullopt;
  std::string bytes;
  bytes.reserve(text.size() * 3 / 4);
  unsigned buffer = 0;
  int bits = 0;
  for (const char c : text) {
    const int value = value_of(c);
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  // The unused low bits of the last character must be zero, so that every
  // byte string has exactly one spelling.
  if ((buffer & ((1U << bits) - 1)) != 0) return std::nullopt;
  return bytes;
}

result<std::string> random_token() {
  std::array<unsigned char, token_bytes> bytes{};
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    const ssize_t got = ::getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) break;
    filled += static_cast<std::size_t>(got);
  }
  if (filled < bytes.size()) {
    // Kernels without getrandom (before 3.17) still have the device.
    std::FILE* device = std::fopen("/dev/urandom", "rb");
    if (device == nullptr || std::fread(bytes.data(), 1, bytes.size(), device) != bytes.size()) {
      if (device != nullptr) std::fclose(device);
      return make_error(error_code::invalid_argument,
                        "no random bytes for a new secret (getrandom and /dev/urandom both "
                        "failed)");
    }
    std::fclose(device);
  }
  return base64url(bytes.data(), bytes.size());
}

result<secret_file> load_or_create_secret_file(const std::string& path, std::string_view option,
                                               std::string_view what) {
  const std::string flag(option);
  secret_file token;
  token.path = path;
  // Two attempts: a file created by another process between our failed open
  // and our exclusive create is read on the second.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const int descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (descriptor >= 0) {
      struct stat info {};
      if (::fstat(descriptor, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(descriptor);
        return file_error(flag, path, " is not a regular file");
      }
      auto value = read_secret_file(descriptor, path, flag);
      ::close(descriptor);
      if (!value) return value.error();
      token.value = std::move(*value);
      if ((info.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 0777));
        token.warning = "\"" + path + "\" has mode " + mode + ": others on this machine can read " +
                        std::string(what) + " (chmod 600 it)";
      }
      return token;
    }
    if (errno != ENOENT) {
      return system_error(flag, "cannot open", path);
    }
    auto folders = create_private_folders(std::filesystem::path(path).parent_path(), flag);
    if (!folders) return folders.error();
    auto fresh = random_token();
    if (!fresh)
      return make_error(error_code::invalid_argument, flag + ": " + fresh.error().message);
    auto written = write_new_secret(path, *fresh, flag);
    if (!written) return written.error();
    if (*written) {
      token.value = std::move(*fresh);
      token.created = true;
      return token;
    }
  }
  return make_error(error_code::invalid_argument,
                    flag + ": \"" + path + "\" appears and vanishes; cannot read it");
}

result<admin_token> load_or_create_admin_token(const std::string& path) {
  auto file = load_or_create_secret_file(path, "--admin-token-file", "the admin token");
  if (!file) return file.error();
  return admin_token{std::move(*file)};
}

bool token_equals(std::string_view presented, std::string_view stored) {
  // Every byte of the stored token is visited whatever is presented; the
  // accumulated difference is inspected once, at the end.
  volatile unsigned char difference = presented.size() == stored.size() ? 0 : 1;
  for (std::size_t i = 0; i < stored.size(); ++i) {
    const unsigned char theirs =
        i < presented.size() ? static_cast<unsigned char>(presented[i]) : 0;
    difference =
        static_cast<unsigned char>(difference | (theirs ^ static_cast<unsigned char>(stored[i])));
  }
  return difference == 0 && !stored.empty();
}

std::optional<std::string_view> bearer_token(std::string_view authorization) {
  authorization = trim(authorization);
  constexpr std::string_view scheme = "bearer";
  if (authorization.size() <= scheme.size() ||
      !iequals(authorization.substr(0, scheme.size()), scheme) ||
      (authorization[scheme.size()] != ' ' && authorization[scheme.size()] != '\t')) {
    return std::nullopt;
  }
  const std::string_view token = trim(authorization.substr(scheme.size()));
  if (token.empty() || token.find_first_of(" \t,") != std::string_view::npos) return std::nullopt;
  return token;
}

std::string www_authenticate_value(bool presented_wrong) {
  return presented_wrong ? R"(Bearer realm="npskit", error="invalid_token")"
                         : R"(Bearer realm="npskit")";
}

// --- the policy --------------------------------------------------------------------

endpoint_kind classify_endpoint(std::string_view path) {
  if (path.rfind("/api/", 0) != 0) return endpoint_kind::other;
  if (path == "/api/responses") return endpoint_kind::post_answer;
  if (path == "/api/health") return endpoint_kind::health;
  if (path == "/api/summary") return endpoint_kind::summary;
  // Every other API path is taken for a read of stored answers, so that an
  // endpoint added later is guarded until it is deliberately opened.
  return endpoint_kind::read;
}

access_policy::access_policy(std::string bind_host, std::string token,
                             std::vector<std::string> allowed_origins, access_options options)
    : bind_host_(std::move(bind_host)),
      loopback_bind_(is_loopback_bind(bind_host_)),
      token_(std::move(token)),
      allowed_origins_(std::move(allowed_origins)),
      options_(std::move(options)) {}

bool access_policy::from_proxy(std::string_view peer) const {
  if (options_.proxy.empty()) return false;
  const auto address = normalize_ip(peer);
  return address && *address == options_.proxy;
}

std::string access_policy::client_key(std::string_view peer, std::string_view forwarded_for) const {
  const auto address = normalize_ip(peer);
  std::string key = address ? *address : std::string(peer);
  if (!from_proxy(peer)) return key;
  // Only the last hop was written by the proxy itself; the ones before it are
  // whatever the client chose to send.
  const std::size_t comma = forwarded_for.rfind(',');
  const std::string_view last =
      trim(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
  if (auto hop = normalize_hop(last)) return *hop;
  return key;
}

namespace {

bool is_same_origin(const request_view& request) {
  const std::string origin = lower(request.origin);
  const std::size_t authority = origin.find("://");
  // Whatever scheme a proxy in front speaks: the page was served under the
  // same host name as this request.
  return authority != std::string::npos && !request.host.empty() &&
         origin.compare(authority + 3, std::string::npos, lower(request.host)) == 0;
}

void add_cors(access_verdict& verdict, std::string_view origin, const char* exposed) {
  // The exact origin, never "*": caches keep one copy per origin.
  verdict.headers.emplace_back("Access-Control-Allow-Origin", std::string(origin));
  verdict.headers.emplace_back("Access-Control-Expose-Headers", exposed);
  verdict.headers.emplace_back("Vary", "Origin");
}

void refuse(access_verdict& verdict, int status, std::string code, std::string field,
            std::string message) {
  verdict.status = status;
  verdict.code = std::move(code);
  verdict.field = std::move(field);
  verdict.message = std::move(message);
}

}  // namespace

access_verdict access_policy::check(const request_view& request) const {
  access_verdict verdict;
  // Through the trusted proxy the Host is the public name the proxy serves;
  // such requests count as remote, so reads need the token anyway.
  if (loopback_bind_ && !from_proxy(request.peer) && !host_header_names_loopback(request.host)) {
    // A page whose own host name resolves to 127.0.0.1 (DNS rebinding)
    // would otherwise count as same-origin and could read every answer.
    refuse(verdict, 403, "host_not_allowed", "Host",
           "Host: " + quoted(request.host) +
               " is not this collector's address (it listens on a loopback address only; use "
               "localhost or 127.0.0.1)");
    return verdict;
  }
  endpoint_kind kind = classify_endpoint(request.path);
  // Erasing answers (DELETE /api/responses?user=ID) is the owner's, like a
  // read; anyone may only post.
  if (kind == endpoint_kind::post_answer && request.method == "DELETE") kind = endpoint_kind::read;
  switch (kind) {
    case endpoint_kind::other:
      return verdict;
    case endpoint_kind::post_answer:
    case endpoint_kind::health:
      admit_origin_to_post(request, verdict);
      return verdict;
    case endpoint_kind::summary:
    case endpoint_kind::read:
      return check_read(request, kind);
  }
  return verdict;
}

void access_policy::admit_origin_to_post(const request_view& request,
                                         access_verdict& verdict) const {
  if (!request.has_origin || is_same_origin(request)) return;
  const std::string origin = lower(request.origin);
  for (const std::string& allowed : allowed_origins_) {
    if (allowed == "*" || allowed == origin) {
      add_cors(verdict, request.origin, "Retry-After");
      return;
    }
  }
  refuse(verdict, 403, "origin_not_allowed", "Origin",
         "Origin: " + quoted(request.origin) +
             " may not use this collector (start it with --allow-origin ORIGIN to allow it)");
}

access_verdict access_policy::check_read(const request_view& request, endpoint_kind kind) const {
  access_verdict verdict;
  const bool cross = request.has_origin && !is_same_origin(request);
  const std::string origin = lower(request.origin);
  // A listed origin may show the public summary on its pages; "*" does not
  // reach further than that, and nothing here ever answers "null".
  bool listed = false;
  for (const std::string& allowed : allowed_origins_) {
    if (allowed == "*" || allowed == origin) listed = true;
  }
  const bool public_summary_allowed =
      kind == endpoint_kind::summary && options_.public_summary && (!cross || listed);
  if (cross && (origin == "null" || origin.empty())) {
    refuse(verdict, 403, "origin_not_allowed", "Origin",
           "Origin: " + quoted(request.origin) +
               " may not read answers (reads across origins need a page with a real origin "
               "and the admin token)");
    return verdict;
  }
  if (request.method == "OPTIONS") {
    // A preflight carries no credentials: it is answered for every origin the
    // real request could succeed from, and that request is judged by itself.
    if (cross && (token_required() || public_summary_allowed)) {
      add_cors(verdict, request.origin, "WWW-Authenticate, Content-Disposition");
    } else if (cross) {
      refuse(verdict, 403, "origin_not_allowed", "Origin",
             "Origin: " + quoted(request.origin) +
                 " may not read answers (reads across origins need --admin-token-file and the "
                 "token)");
    }
    return verdict;
  }
  // One URL, two answers: a cache must not hand the public form to the
  // administrator, nor the full one to anybody else.
  if (kind == endpoint_kind::summary && options_.public_summary) {
    verdict.headers.emplace_back("Vary", "Authorization");
  }
  const bool presented = !trim(request.authorization).empty();
  if (token_required()) {
    // A page holding the token may read from any real origin, and it needs
    // to see a 401 to know that its token is wrong.
    if (cross) add_cors(verdict, request.origin, "WWW-Authenticate, Content-Disposition");
    const auto bearer = bearer_token(request.authorization);
    if (bearer && token_equals(*bearer, token_)) return verdict;
    if (!presented && public_summary_allowed) {
      verdict.public_form = true;
      return verdict;
    }
    verdict.headers.emplace_back("WWW-Authenticate", www_authenticate_value(presented));
    if (!presented) {
      refuse(verdict, 401, "unauthorized", "Authorization",
             "Authorization: reading answers needs the admin token (send Authorization: Bearer "
             "TOKEN, with the token from the file named by --admin-token-file)");
    } else if (!bearer) {
      refuse(verdict, 401, "unauthorized", "Authorization",
             "Authorization: expected \"Bearer TOKEN\"");
    } else {
      refuse(verdict, 401, "unauthorized", "Authorization",
             "Authorization: the bearer token is not this collector's admin token");
    }
    return verdict;
  }
  // No token: reads are for this machine only, judged by the connecting
  // address (a proxy's request counts as remote whatever it forwards).
  const bool local = !cross && !from_proxy(request.peer) && is_loopback_ip(request.peer);
  if (local) return verdict;
  if (public_summary_allowed) {
    if (cross) add_cors(verdict, request.origin, "Content-Disposition");
    verdict.public_form = true;
    return verdict;
  }
  refuse(verdict, 403, "read_not_allowed", cross ? "Origin" : "client",
         cross ? "Origin: " + quoted(request.origin) +
                     " may not read answers (reads across origins need --admin-token-file and "
                     "the token)"
               : std::string("client: answers are readable from this machine only (start the "
                             "collector with --admin-token-file FILE to read them from "
                             "elsewhere)"));
  return verdict;
}

std::optional<std::string> admin_token_path(const access_options& options,
                                            std::string_view bind_host, std::string_view db) {
  if (!options.admin_token_file.empty()) return options.admin_token_file;
  if (!is_loopback_bind(bind_host) || !options.proxy.empty()) return std::string(db) + ".token";
  return std::nullopt;
}

}  // namespace npskit::cli
