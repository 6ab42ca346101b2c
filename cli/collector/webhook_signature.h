// Signatures of outgoing webhooks as the Standard Webhooks specification
// defines them (https://www.standardwebhooks.com): HMAC-SHA256 over
// "{webhook-id}.{webhook-timestamp}.{body}", sent as "v1," + base64, with a
// secret written "whsec_" + base64 of 24 to 64 random bytes.
#ifndef NPSKIT_CLI_COLLECTOR_WEBHOOK_SIGNATURE_H
#define NPSKIT_CLI_COLLECTOR_WEBHOOK_SIGNATURE_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "npskit/result.h"

namespace npskit::cli {

// The decoded key of a webhook secret.
struct webhook_secret {
  std::string key;  // raw bytes
};

// Secrets shorter than this are refused (the specification asks for at least
// 24 random bytes and at most 64).
inline constexpr std::size_t min_secret_bytes = 24;
inline constexpr std::size_t max_secret_bytes = 64;

// Standard base64 (RFC 4648 section 4) with padding.
std::string base64_encode(std::string_view bytes);
// nullopt when the text is not padded standard base64.
std::optional<std::string> base64_decode(std::string_view text);

// Reads "whsec_" + base64 (surrounding whitespace ignored). `source` names
// where the text came from in errors: `--webhook-secret-file "s.txt"`.
result<webhook_secret> parse_webhook_secret(std::string_view text, std::string_view source);

// A new secret from the system's random source, written "whsec_" + base64 of
// 32 bytes.
std::string new_webhook_secret_text();

// "v1," + base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)).
std::string sign_webhook(const webhook_secret& secret, std::string_view id, std::int64_t timestamp,
                         std::string_view body);

// A new delivery id, "msg_" + 32 lower-case hex digits from the random
// source; ids never contain ".", which the signed text uses as separator.
std::string new_webhook_id();

// Lower-case hex of SHA-256(text).
std::string sha256_hex(std::string_view text);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_WEBHOOK_SIGNATURE_H
