// Who may do what with the collector: the admin token that guards reads of
// stored answers, the Host check against DNS rebinding on loopback binds, the
// Origin policy, and the client address the rate limiter counts. Nothing here
// knows the HTTP library: a request comes in as string views, the answer goes
// out as a verdict (status, error, headers to add), so any server can use it.
#ifndef NPSKIT_CLI_COLLECTOR_ACCESS_H
#define NPSKIT_CLI_COLLECTOR_ACCESS_H

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "arguments.h"
#include "npskit/result.h"

namespace npskit::cli {

// --- command line ------------------------------------------------------------------

struct access_options {
  std::string admin_token_file;  // empty: none given
  bool public_summary = false;
  std::uint64_t min_group = 5;
  std::string proxy;  // normalized address of the trusted reverse proxy; empty: none
};

// Reads --admin-token-file, --public-summary, --min-group and --proxy (rows
// of the serve option table); errors name the option and the expected form.
result<access_options> read_access_options(const parsed_arguments& parsed);

// --- addresses ---------------------------------------------------------------------

// An IP literal ("127.0.0.1", "::1", "[0:0:0:0:0:0:0:1]", "::ffff:10.0.0.1")
// in one canonical spelling: dotted IPv4 for IPv4 and IPv4-mapped IPv6,
// RFC 5952 text for other IPv6. nullopt when it is not an IP literal.
std::optional<std::string> normalize_ip(std::string_view text);
bool is_loopback_ip(std::string_view text);
// A --host value that only this machine can reach: "localhost" (any case),
// 127.0.0.0/8, or ::1 in any spelling.
bool is_loopback_bind(std::string_view host);
// A Host header naming this machine's loopback interface: an IPv4 literal in
// 127.0.0.0/8, "[::1]" in any spelling, or "localhost" (any case), each with
// or without ":port". Everything else is refused ("127.evil.example",
// "localhost.", "0x7f.1", bare "::1").
bool host_header_names_loopback(std::string_view header);

// --- admin token -------------------------------------------------------------------

// Unpadded base64url (RFC 4648 §5).
std::string base64url(const unsigned char* data, std::size_t size);
// The bytes of unpadded base64url text; nullopt for any other character, a
// length no encoding has (4k+1), or stray bits in the last character.
std::optional<std::string> base64url_decode(std::string_view text);
// 32 bytes from getrandom (or /dev/urandom), base64url: 43 characters.
result<std::string> random_token();

// A secret kept in a file of its own: the admin token, the personal-link key.
struct secret_file {
  std::string value;
  std::string path;
  bool created = false;  // written just now: the start-up line says where
  // Set when others than the owner may read the file (the secret still works).
  std::string warning;
};
// A struct rather than an alias: code names variables admin_token too.
struct admin_token : secret_file {};

// Reads the secret from `path` (surrounding whitespace ignored; 16 to 512
// visible ASCII characters), or creates the file with a new random_token()
// when it is missing: mode 0600, missing parent folders 0700. Errors start
// with `option` and name the file; the warning calls the secret `what`.
result<secret_file> load_or_create_secret_file(const std::string& path, std::string_view option,
                                               std::string_view what);
// load_or_create_secret_file for --admin-token-file.
result<admin_token> load_or_create_admin_token(const std::string& path);

// Compares in time that depends only on the stored token's length, never on
// where the first difference is or on the presented token's length.
bool token_equals(std::string_view presented, std::string_view stored);
// The token of an "Authorization: Bearer TOKEN" value; nullopt for another
// scheme or a malformed value.
std::optional<std::string_view> bearer_token(std::string_view authorization);
// WWW-Authenticate for a 401; `presented_wrong` adds error="invalid_token"
// (RFC 6750 §3) so a client can tell a wrong token from a missing one.
std::string www_authenticate_value(bool presented_wrong);

// --- the policy --------------------------------------------------------------------

// The parts of a request the policy looks at. Header values are empty when the
// header is absent; repeated X-Forwarded-For headers are joined with ", ".
struct request_view {
  std::string_view method;
  std::string_view path;  // decoded, without the query
  std::string_view host;
  std::string_view origin;
  bool has_origin = false;  // "Origin:" present, even if empty
  std::string_view authorization;
  std::string_view forwarded_for;  // X-Forwarded-For
  std::string_view peer;           // address of the connecting socket
};

enum class endpoint_kind {
  post_answer,  // POST (and its OPTIONS preflight) on /api/responses
  health,       // /api/health
  summary,      // /api/summary
  read,         // any other /api/ path: exports, dashboards to come
  other,        // static files and everything outside /api/
};
endpoint_kind classify_endpoint(std::string_view path);

struct access_verdict {
  // 0: go ahead. Otherwise answer with this status and the error below.
  int status = 0;
  std::string code;
  std::string field;
  std::string message;
  // Added to the answer whatever it is (CORS, WWW-Authenticate, Vary).
  std::vector<std::pair<std::string, std::string>> headers;
  // /api/summary without the token under --public-summary: serve the
  // aggregate-only form (public_summary.h).
  bool public_form = false;

  bool allowed() const { return status == 0; }
};

class access_policy {
 public:
  // `token` empty: no token configured. `allowed_origins` lower-case, "*"
  // admits any origin to post.
  access_policy(std::string bind_host, std::string token, std::vector<std::string> allowed_origins,
                access_options options);

  // The whole decision for one request, before its body is read.
  access_verdict check(const request_view& request) const;
  // The address requests are counted under by the rate limiter: the peer,
  // or the last X-Forwarded-For hop when the peer is the trusted --proxy.
  std::string client_key(std::string_view peer, std::string_view forwarded_for) const;

  bool token_required() const { return !token_.empty(); }
  bool loopback_bind() const { return loopback_bind_; }
  std::uint64_t min_group() const { return options_.min_group; }

 private:
  bool from_proxy(std::string_view peer) const;
  access_verdict check_read(const request_view& request, endpoint_kind kind) const;
  void admit_origin_to_post(const request_view& request, access_verdict& verdict) const;

  std::string bind_host_;
  bool loopback_bind_;
  std::string token_;
  std::vector<std::string> allowed_origins_;
  access_options options_;
};

// The token file `serve` uses: --admin-token-file, or "<db>.token" when none
// was given and the collector is reachable from elsewhere (a non-loopback
// bind, or a --proxy in front of it). nullopt: reads stay open to this
// machine only.
std::optional<std::string> admin_token_path(const access_options& options,
                                            std::string_view bind_host, std::string_view db);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_ACCESS_H
