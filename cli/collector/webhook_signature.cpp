#include "collector/webhook_signature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>
#include <cctype>
#include <stdexcept>

namespace npskit::cli {

namespace {

constexpr std::string_view secret_prefix = "whsec_";

std::string_view trim_space(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
    text.remove_suffix(1);
  }
  return text;
}

std::string hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string text;
  text.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    text.push_back(digits[bytes[i] >> 4]);
    text.push_back(digits[bytes[i] & 0x0f]);
  }
  return text;
}

// Random bytes for secrets and ids; a failing random source is not something
// to go on without.
std::string random_bytes(std::size_t count) {
  std::string bytes(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1) {
    throw std::runtime_error("the system's random source failed");
  }
  return bytes;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string text(4 * ((bytes.size() + 2) / 3), '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()),
                                      static_cast<int>(bytes.size()));
  text.resize(static_cast<std::size_t>(written));
  return text;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  while (padding < 2 && text[text.size() - 1 - padding] == '=') ++padding;
  for (const char c : text.substr(0, text.size() - padding)) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '+' && c != '/')
      return std::nullopt;
  }
  std::string bytes(3 * text.size() / 4, '\0');
  const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()),
                                      reinterpret_cast<const unsigned char*>(text.data()),
                                      static_cast<int>(text.size()));
  if (written < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding as zero bytes.
  bytes.resize(static_cast<std::size_t>(written) - padding);
  return bytes;
}

result<webhook_secret> parse_webhook_secret(std::string_view text, std::string_view source) {
  const std::string_view trimmed = trim_space(text);
  const std::string where(source);
  if (trimmed.substr(0, secret_prefix.size()) != secret_prefix) {
    return make_error(error_code::invalid_argument,
                      where +
                          ": the secret does not start with \"whsec_\" (expected whsec_ "
                          "followed by base64 of 24 to 64 random bytes)");
  }
  auto key = base64_decode(trimmed.substr(secret_prefix.size()));
  if (!key) {
    return make_error(error_code::invalid_argument,
                      where +
                          ": the text after \"whsec_\" is not base64 (expected the "
                          "characters A-Z a-z 0-9 + / and = padding)");
  }
  if (key->size() < min_secret_bytes || key->size() > max_secret_bytes) {
    return make_error(
        error_code::invalid_argument,
        where + ": the secret holds " + std::to_string(key->size()) + " bytes (expected 24 to 64)");
  }
  return webhook_secret{std::move(*key)};
}

std::string new_webhook_secret_text() {
  return std::string(secret_prefix) + base64_encode(random_bytes(32));
}

std::string sign_webhook(const webhook_secret& secret, std::string_view id, std::int64_t timestamp,
                         std::string_view body) {
  std::string signed_text;
  const std::string seconds = std::to_string(timestamp);
  signed_text.reserve(id.size() + seconds.size() + body.size() + 2);
  signed_text.append(id).append(".").append(seconds).append(".").append(body);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_size = 0;
  HMAC(EVP_sha256(), secret.key.data(), static_cast<int>(secret.key.size()),
       reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size(),
       digest.data(), &digest_size);
  return "v1," +
         base64_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest_size));
}

std::string new_webhook_id() {
  const std::string bytes = random_bytes(16);
  return "msg_" + hex(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

std::string sha256_hex(std::string_view text) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data());
  return hex(digest.data(), digest.size());
}

}  // namespace npskit::cli
