// Personal survey links: an HMAC-SHA256 over the survey, the contact and the
// campaign with a key only the collector and the sender hold, so nobody can
// answer as another contact or make up contacts by editing a link, and the
// same key signs unsubscribe links. The key lives in a file beside the
// database (or one shared by every instance), created on first use.
#ifndef NPSKIT_CLI_COLLECTOR_PERSONAL_LINK_H
#define NPSKIT_CLI_COLLECTOR_PERSONAL_LINK_H

#include <cstddef>
#include <string>
#include <string_view>

#include "npskit/result.h"

namespace npskit::cli {

// Keys shorter than this are refused: a new file holds 32 random bytes.
inline constexpr std::size_t min_link_key_bytes = 32;
inline constexpr std::size_t max_link_key_bytes = 64;

struct link_secret {
  std::string key;       // raw bytes
  std::string path;      // the file it came from
  bool created = false;  // written just now: the start-up line says where
  // Set when others than the owner may read the file (the key still works).
  std::string warning;
};

// The file holds base64url of 32 to 64 random bytes (surrounding whitespace
// ignored); when missing it is created with 32 new bytes, mode 0600, missing
// folders 0700. Errors start with "--link-secret-file" and name the file.
result<link_secret> load_or_create_link_secret(const std::string& path);

// base64url (unpadded) HMAC-SHA256(key, "npskit-link/1\n" + survey + "\n" +
// contact + "\n" + campaign).
std::string sign_personal_link(const link_secret& secret, std::string_view survey,
                               std::string_view contact, std::string_view campaign);
// Whether `sig` is the signature of this survey, contact and campaign, in
// time independent of where a wrong signature differs.
bool personal_link_valid(const link_secret& secret, std::string_view survey,
                         std::string_view contact, std::string_view campaign, std::string_view sig);

// base64url HMAC-SHA256(key, "npskit-unsubscribe/1\n" + contact).
std::string sign_unsubscribe(const link_secret& secret, std::string_view contact);
bool unsubscribe_valid(const link_secret& secret, std::string_view contact, std::string_view sig);

// The default file when --link-secret-file is not given: "<db>.link-key".
std::string default_link_secret_path(std::string_view database);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_PERSONAL_LINK_H
