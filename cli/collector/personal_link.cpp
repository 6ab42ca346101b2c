#include "collector/personal_link.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <utility>

#include "collector/access.h"

namespace npskit::cli {

namespace {

constexpr std::string_view option = "--link-secret-file";

// The domain tags keep a survey signature from ever being valid as an
// unsubscribe signature and the other way round, and leave room for a /2.
std::string mac(const link_secret& secret, std::string_view text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_size = 0;
  HMAC(EVP_sha256(), secret.key.data(), static_cast<int>(secret.key.size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data(),
       &digest_size);
  return base64url(digest.data(), digest_size);
}

std::string link_text(std::string_view survey, std::string_view contact,
                      std::string_view campaign) {
  std::string text = "npskit-link/1\n";
  text.append(survey).append("\n").append(contact).append("\n").append(campaign);
  return text;
}

}  // namespace

result<link_secret> load_or_create_link_secret(const std::string& path) {
  auto file = load_or_create_secret_file(path, option, "the personal-link key");
  if (!file) return file.error();
  auto key = base64url_decode(file->value);
  if (!key || key->size() < min_link_key_bytes || key->size() > max_link_key_bytes) {
    return make_error(error_code::invalid_argument,
                      std::string(option) + ": \"" + path +
                          "\" does not hold base64url of 32 to 64 bytes" +
                          (key ? " (it holds " + std::to_string(key->size()) + " bytes)"
                               : std::string(" (characters A-Z a-z 0-9 - _ only, no padding)")) +
                          "; delete the file to have a new key created, which makes every "
                          "link signed with the old one anonymous");
  }
  link_secret secret;
  secret.key = std::move(*key);
  secret.path = path;
  secret.created = file->created;
  secret.warning = std::move(file->warning);
  return secret;
}

std::string sign_personal_link(const link_secret& secret, std::string_view survey,
                               std::string_view contact, std::string_view campaign) {
  return mac(secret, link_text(survey, contact, campaign));
}

bool personal_link_valid(const link_secret& secret, std::string_view survey,
                         std::string_view contact, std::string_view campaign,
                         std::string_view sig) {
  return token_equals(sig, sign_personal_link(secret, survey, contact, campaign));
}

std::string sign_unsubscribe(const link_secret& secret, std::string_view contact) {
  std::string text = "npskit-unsubscribe/1\n";
  text.append(contact);
  return mac(secret, text);
}

bool unsubscribe_valid(const link_secret& secret, std::string_view contact, std::string_view sig) {
  return token_equals(sig, sign_unsubscribe(secret, contact));
}

std::string default_link_secret_path(std::string_view database) {
  return std::string(database) + ".link-key";
}

}  // namespace npskit::cli
