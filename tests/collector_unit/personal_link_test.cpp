// Personal-link signatures: what a tampered link looks like to the collector,
// and how the key file is found, created and refused.
#include "collector/personal_link.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "collector/access.h"

namespace npskit::cli {
namespace {

namespace fs = std::filesystem;

class temporary_folder {
 public:
  temporary_folder() {
    std::string pattern = (fs::temp_directory_path() / "npskit-link-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~temporary_folder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// A key of the bytes 0..31, written as the file holds it.
constexpr const char* kKeyText = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

link_secret known_secret(const temporary_folder& folder) {
  const fs::path file = folder.path() / "link-key";
  std::ofstream(file) << kKeyText << "\n";
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
  auto secret = load_or_create_link_secret(file.string());
  EXPECT_TRUE(secret) << secret.error().message;
  return secret ? *secret : link_secret{};
}

TEST(PersonalLink, SignaturesMatchHmacSha256OfTheDocumentedText) {
  temporary_folder folder;
  const link_secret secret = known_secret(folder);
  ASSERT_EQ(secret.key.size(), 32U);
  // Python: base64.urlsafe_b64encode(hmac.new(bytes(range(32)),
  //   b"npskit-link/1\nacme-nps\ncrm-4711\n2026-q4", hashlib.sha256).digest())
  EXPECT_EQ(sign_personal_link(secret, "acme-nps", "crm-4711", "2026-q4"),
            "VRY5XzfAAmgQWX4yb2UDEY_sA5jdedM3OK29GWZPEd8");
  EXPECT_EQ(sign_unsubscribe(secret, "crm-4711"), "0jCMRWi2y9zQOdoEHQUSc-MPPrd1ClZ8OBoIop4KHy4");
}

TEST(PersonalLink, RoundTripsAndRefusesEveryTamperedPart) {
  temporary_folder folder;
  const link_secret secret = known_secret(folder);
  const std::string sig = sign_personal_link(secret, "acme-nps", "crm-4711", "2026-q4");
  EXPECT_TRUE(personal_link_valid(secret, "acme-nps", "crm-4711", "2026-q4", sig));
  EXPECT_FALSE(personal_link_valid(secret, "acme-nps2", "crm-4711", "2026-q4", sig));
  EXPECT_FALSE(personal_link_valid(secret, "acme-nps", "crm-4712", "2026-q4", sig));
  EXPECT_FALSE(personal_link_valid(secret, "acme-nps", "crm-4711", "2026-q3", sig));
  EXPECT_FALSE(personal_link_valid(secret, "acme-nps", "crm-4711", "", sig));
  // Moving text from one part into the next changes the signed text too.
  EXPECT_FALSE(personal_link_valid(secret, "acme-nps", "crm-47", "112026-q4", sig));
  std::string flipped = sig;
  flipped[5] = flipped[5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(personal_link_valid(secret, "acme-nps", "crm-4711", "2026-q4", flipped));
  EXPECT_FALSE(personal_link_valid(secret, "acme-nps", "crm-4711", "2026-q4", sig.substr(0, 42)));
  EXPECT_FALSE(personal_link_valid(secret, "acme-nps", "crm-4711", "2026-q4", sig + "A"));
  EXPECT_FALSE(personal_link_valid(secret, "acme-nps", "crm-4711", "2026-q4", ""));

  // Another key signs differently.
  link_secret other = secret;
  other.key[0] = static_cast<char>(other.key[0] ^ 1);
  EXPECT_FALSE(personal_link_valid(other, "acme-nps", "crm-4711", "2026-q4", sig));
}

TEST(PersonalLink, UnsubscribeSignaturesAreNotSurveySignatures) {
  temporary_folder folder;
  const link_secret secret = known_secret(folder);
  const std::string unsubscribe = sign_unsubscribe(secret, "crm-4711");
  EXPECT_TRUE(unsubscribe_valid(secret, "crm-4711", unsubscribe));
  EXPECT_FALSE(unsubscribe_valid(secret, "crm-4712", unsubscribe));
  EXPECT_FALSE(personal_link_valid(secret, "", "crm-4711", "", unsubscribe));
  EXPECT_FALSE(
      unsubscribe_valid(secret, "crm-4711", sign_personal_link(secret, "s", "crm-4711", "")));
}

TEST(PersonalLink, KeyFileIsCreatedOwnerOnlyAndReadBackTheSame) {
  temporary_folder folder;
  const fs::path file = folder.path() / "keys" / "collector.db.link-key";
  auto created = load_or_create_link_secret(file.string());
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_TRUE(created->created);
  EXPECT_EQ(created->key.size(), 32U);
  EXPECT_EQ(created->path, file.string());
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600U);
  ASSERT_EQ(::stat(file.parent_path().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700U);

  auto again = load_or_create_link_secret(file.string());
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->key, created->key);
  EXPECT_TRUE(again->warning.empty()) << again->warning;
  EXPECT_EQ(sign_personal_link(*again, "s", "c", "k"), sign_personal_link(*created, "s", "c", "k"));

  fs::permissions(file, fs::perms::group_read, fs::perm_options::add);
  auto readable = load_or_create_link_secret(file.string());
  ASSERT_TRUE(readable) << readable.error().message;
  EXPECT_NE(readable->warning.find("0640"), std::string::npos) << readable->warning;
  EXPECT_NE(readable->warning.find("personal-link key"), std::string::npos) << readable->warning;

  EXPECT_EQ(default_link_secret_path("/var/lib/npskit/answers.db"),
            "/var/lib/npskit/answers.db.link-key");
}

TEST(PersonalLink, BadKeyFilesAreRefusedNamingTheFile) {
  temporary_folder folder;
  const fs::path file = folder.path() / "link-key";
  for (const std::string& text :
       {std::string("not+base64url/at-all-but-long-enough=="),
        std::string("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw"), std::string("short")}) {
    std::ofstream(file, std::ios::trunc) << text << "\n";
    auto secret = load_or_create_link_secret(file.string());
    ASSERT_FALSE(secret) << text;
    const std::string& message = secret.error().message;
    EXPECT_EQ(message.rfind("--link-secret-file: ", 0), 0U) << message;
    EXPECT_NE(message.find(file.string()), std::string::npos) << message;
  }
  std::ofstream(file, std::ios::trunc) << "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw\n";
  auto short_key = load_or_create_link_secret(file.string());
  ASSERT_FALSE(short_key);
  EXPECT_NE(short_key.error().message.find("it holds 29 bytes"), std::string::npos)
      << short_key.error().message;

  auto folder_as_file = load_or_create_link_secret(folder.path().string());
  ASSERT_FALSE(folder_as_file);
  EXPECT_NE(folder_as_file.error().message.find("not a regular file"), std::string::npos);
}

TEST(Base64url, DecodesWhatItEncodesAndRefusesOtherSpellings) {
  for (std::size_t size = 0; size < 40; ++size) {
    std::string bytes;
    for (std::size_t i = 0; i < size; ++i) bytes.push_back(static_cast<char>(i * 37 + 200));
    const std::string text =
        base64url(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    const auto decoded = base64url_decode(text);
    ASSERT_TRUE(decoded) << text;
    EXPECT_EQ(*decoded, bytes);
  }
  EXPECT_FALSE(base64url_decode("AB+/"));
  EXPECT_FALSE(base64url_decode("ABC="));
  EXPECT_FALSE(base64url_decode("ABCDE"));  // 4k+1 characters
  EXPECT_FALSE(base64url_decode("AR"));     // stray low bits: "AQ" is the spelling of 0x01
  EXPECT_EQ(*base64url_decode("AQ"), std::string(1, '\x01'));
}

}  // namespace
}  // namespace npskit::cli
