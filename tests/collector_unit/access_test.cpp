// The collector's access policy: admin token, Host check, Origin policy and
// the client address of the rate limiter, judged without a server.
#include "collector/access.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace npskit::cli {
namespace {

namespace fs = std::filesystem;

class temporary_folder {
 public:
  temporary_folder() {
    std::string pattern = (fs::temp_directory_path() / "npskit-access-XXXXXX").string();
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

unsigned mode_of(const fs::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return static_cast<unsigned>(info.st_mode & 0777);
}

std::string header_value(const access_verdict& verdict, std::string_view name) {
  for (const auto& [key, value] : verdict.headers) {
    if (key == name) return value;
  }
  return "";
}

// --- token ----------------------------------------------------------------------------

TEST(AdminToken, Base64urlFollowsRfc4648WithoutPadding) {
  const auto encode = [](std::string_view text) {
    return base64url(reinterpret_cast<const unsigned char*>(text.data()), text.size());
  };
  EXPECT_EQ(encode(""), "");
  EXPECT_EQ(encode("f"), "Zg");
  EXPECT_EQ(encode("fo"), "Zm8");
  EXPECT_EQ(encode("foo"), "Zm9v");
  EXPECT_EQ(encode("foob"), "Zm9vYg");
  EXPECT_EQ(encode("\xfb\xff\xbf"), "-_-_");
}

TEST(AdminToken, RandomTokensAre43UrlSafeCharactersAndDiffer) {
  auto first = random_token();
  auto second = random_token();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->size(), 43u);
  EXPECT_NE(*first, *second);
  for (const char c : *first) {
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << *first;
  }
}

TEST(AdminToken, CreatedWhenMissingWithOwnerOnlyModes) {
  temporary_folder folder;
  const fs::path file = folder.path() / "secrets" / "deeper" / "admin.token";
  ::umask(022);
  auto token = load_or_create_admin_token(file.string());
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_TRUE(token->created);
  EXPECT_EQ(token->path, file.string());
  EXPECT_EQ(token->value.size(), 43u);
  EXPECT_EQ(mode_of(file), 0600u);
  EXPECT_EQ(mode_of(folder.path() / "secrets"), 0700u);
  EXPECT_EQ(mode_of(folder.path() / "secrets" / "deeper"), 0700u);
  std::ifstream stored(file);
  std::string line;
  std::getline(stored, line);
  EXPECT_EQ(line, token->value);

  auto again = load_or_create_admin_token(file.string());
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->value, token->value);
  EXPECT_TRUE(again->warning.empty()) << again->warning;
}

TEST(AdminToken, GivenFileIsReadTrimmedAndWarnedAboutWhenOthersCanRead) {
  temporary_folder folder;
  const fs::path file = folder.path() / "token";
  std::ofstream(file) << "  correct-horse-battery-staple\n\n";
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read);
  auto token = load_or_create_admin_token(file.string());
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_FALSE(token->created);
  EXPECT_EQ(token->value, "correct-horse-battery-staple");
  EXPECT_NE(token->warning.find("0604"), std::string::npos) << token->warning;
}

TEST(AdminToken, ShortOrUnprintableTokensAreRefusedNamingTheFile) {
  temporary_folder folder;
  const fs::path file = folder.path() / "token";
  std::ofstream(file) << "short\n";
  auto token = load_or_create_admin_token(file.string());
  ASSERT_FALSE(token);
  EXPECT_NE(token.error().message.find(file.string()), std::string::npos);
  EXPECT_NE(token.error().message.find("16 to 512"), std::string::npos);

  std::ofstream(file) << "a token with spaces inside\n";
  token = load_or_create_admin_token(file.string());
  ASSERT_FALSE(token);
  EXPECT_NE(token.error().message.find("character 2"), std::string::npos) << token.error().message;

  token = load_or_create_admin_token(folder.path().string());
  ASSERT_FALSE(token);
  EXPECT_NE(token.error().message.find("not a regular file"), std::string::npos);
}

TEST(AdminToken, ComparisonAcceptsOnlyTheExactToken) {
  const std::string stored = "0123456789abcdef0123456789abcdef0123456789a";
  EXPECT_TRUE(token_equals(stored, stored));
  EXPECT_FALSE(token_equals(stored.substr(0, 42), stored));
  EXPECT_FALSE(token_equals(stored + "b", stored));
  EXPECT_FALSE(token_equals("", stored));
  std::string last_differs = stored;
  last_differs.back() = 'b';
  EXPECT_FALSE(token_equals(last_differs, stored));
  // A prefix padded with NULs must not pass for the token.
  EXPECT_FALSE(token_equals(stored + std::string(1, '\0'), stored));
  EXPECT_FALSE(token_equals("", ""));
}

TEST(AdminToken, BearerValuesAreParsedStrictly) {
  EXPECT_EQ(bearer_token("Bearer abc.def-ghi"), "abc.def-ghi");
  EXPECT_EQ(bearer_token("bearer   abc  "), "abc");
  EXPECT_EQ(bearer_token("BEARER\tabc"), "abc");
  EXPECT_FALSE(bearer_token("Basic YWxhZGRpbjpvcGVuc2VzYW1l"));
  EXPECT_FALSE(bearer_token("Bearer"));
  EXPECT_FALSE(bearer_token("Bearer "));
  EXPECT_FALSE(bearer_token("Bearerabc"));
  EXPECT_FALSE(bearer_token("Bearer a b"));
  EXPECT_EQ(www_authenticate_value(false), R"(Bearer realm="npskit")");
  EXPECT_EQ(www_authenticate_value(true), R"(Bearer realm="npskit", error="invalid_token")");
}

// --- addresses ------------------------------------------------------------------------

TEST(Addresses, IpLiteralsAreNormalized) {
  EXPECT_EQ(normalize_ip("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(normalize_ip("::1"), "::1");
  EXPECT_EQ(normalize_ip("0:0:0:0:0:0:0:1"), "::1");
  EXPECT_EQ(normalize_ip("[0000:0000::0001]"), "::1");
  EXPECT_EQ(normalize_ip("::ffff:10.1.2.3"), "10.1.2.3");
  EXPECT_EQ(normalize_ip("2001:DB8:0:0:0:0:0:1"), "2001:db8::1");
  EXPECT_FALSE(normalize_ip("localhost"));
  EXPECT_FALSE(normalize_ip("127.1"));
  EXPECT_FALSE(normalize_ip("0x7f.0.0.1"));
  EXPECT_FALSE(normalize_ip("127.0.0.1:80"));
  EXPECT_FALSE(normalize_ip("[127.0.0.1]"));
  EXPECT_FALSE(normalize_ip(""));
}

TEST(Addresses, LoopbackBindsInAnySpelling) {
  for (const char* host : {"127.0.0.1", "127.8.9.10", "::1", "0:0:0:0:0:0:0:1", "[::1]", "0000::1",
                           "localhost", "LocalHost"}) {
    EXPECT_TRUE(is_loopback_bind(host)) << host;
  }
  for (const char* host :
       {"0.0.0.0", "::", "10.0.0.1", "128.0.0.1", "localhost.example", "127.evil.example", ""}) {
    EXPECT_FALSE(is_loopback_bind(host)) << host;
  }
}

TEST(Addresses, HostHeaderAcceptsOnlyLiteralLoopbackNames) {
  for (const char* host :
       {"127.0.0.1", "127.0.0.1:8080", "127.255.0.9:1", "localhost", "LOCALHOST:65535", "[::1]",
        "[::1]:8080", "[0:0:0:0:0:0:0:1]", "[0:0:0:0:0:0:0:1]:80", "[::ffff:127.0.0.1]"}) {
    EXPECT_TRUE(host_header_names_loopback(host)) << host;
  }
  for (const char* host : {"127.evil.example",
                           "127.0.0.1.evil.example",
                           "127.0.0.1.nip.io:8080",
                           "localhost.",
                           "localhost.evil.example",
                           "evil.localhost",
                           "127.1",
                           "0x7f000001",
                           "2130706433",
                           "0177.0.0.1",
                           "::1",
                           "[::1",
                           "[::2]",
                           "[127.0.0.1]",
                           "127.0.0.1:",
                           "127.0.0.1:99999",
                           "127.0.0.1:80:80",
                           "127.0.0.1:8080 ",
                           "localhost:8o",
                           "",
                           "0.0.0.0",
                           "10.0.0.1",
                           "[::ffff:10.0.0.1]"}) {
    EXPECT_FALSE(host_header_names_loopback(host)) << host;
  }
}

// --- the policy -----------------------------------------------------------------------

const std::string token = "0123456789abcdef0123456789abcdef0123456789a";

access_policy loopback_policy(std::string admin_token = "", access_options options = {},
                              std::vector<std::string> origins = {}) {
  return access_policy("127.0.0.1", std::move(admin_token), std::move(origins), std::move(options));
}

request_view get(std::string_view path) {
  request_view request;
  request.method = "GET";
  request.path = path;
  request.host = "127.0.0.1:8080";
  request.peer = "127.0.0.1";
  return request;
}

TEST(AccessPolicy, EndpointsAreClassifiedWithUnknownApiPathsGuarded) {
  EXPECT_EQ(classify_endpoint("/api/responses"), endpoint_kind::post_answer);
  EXPECT_EQ(classify_endpoint("/api/health"), endpoint_kind::health);
  EXPECT_EQ(classify_endpoint("/api/summary"), endpoint_kind::summary);
  EXPECT_EQ(classify_endpoint("/api/responses.csv"), endpoint_kind::read);
  EXPECT_EQ(classify_endpoint("/api/responses.jsonl"), endpoint_kind::read);
  EXPECT_EQ(classify_endpoint("/api/dashboard"), endpoint_kind::read);
  EXPECT_EQ(classify_endpoint("/index.html"), endpoint_kind::other);
  EXPECT_EQ(classify_endpoint("/apifoo"), endpoint_kind::other);
}

TEST(AccessPolicy, ReadsNeedTheTokenWhenOneIsConfigured) {
  const access_policy policy = loopback_policy(token);
  for (const char* path : {"/api/responses.csv", "/api/responses.jsonl", "/api/summary"}) {
    request_view request = get(path);
    access_verdict verdict = policy.check(request);
    EXPECT_EQ(verdict.status, 401) << path;
    EXPECT_EQ(header_value(verdict, "WWW-Authenticate"), R"(Bearer realm="npskit")");
    EXPECT_EQ(verdict.field, "Authorization");

    request.authorization = "Bearer wrong-token-of-some-length";
    verdict = policy.check(request);
    EXPECT_EQ(verdict.status, 401) << path;
    EXPECT_EQ(header_value(verdict, "WWW-Authenticate"),
              R"(Bearer realm="npskit", error="invalid_token")");

    const std::string basic = "Basic " + token;
    request.authorization = basic;
    EXPECT_EQ(policy.check(request).status, 401) << path;

    const std::string good = "Bearer " + token;
    request.authorization = good;
    verdict = policy.check(request);
    EXPECT_TRUE(verdict.allowed()) << path << ": " << verdict.message;
    EXPECT_FALSE(verdict.public_form);
  }
}

TEST(AccessPolicy, PostingAndHealthStayOpenWithAToken) {
  const access_policy policy = loopback_policy(token);
  request_view post = get("/api/responses");
  post.method = "POST";
  EXPECT_TRUE(policy.check(post).allowed());
  EXPECT_TRUE(policy.check(get("/api/health")).allowed());
  EXPECT_TRUE(policy.check(get("/index.html")).allowed());
}

TEST(AccessPolicy, WithoutATokenReadsAreForLoopbackClientsOnly) {
  access_options options;
  options.proxy = "127.0.0.1";
  const access_policy policy = loopback_policy("", options);
  request_view request = get("/api/responses.csv");
  request.peer = "127.0.0.2";
  EXPECT_TRUE(policy.check(request).allowed());
  request.peer = "::ffff:127.0.0.3";
  EXPECT_TRUE(policy.check(request).allowed());
  // Through the proxy the client is elsewhere, whatever it forwards.
  request.peer = "127.0.0.1";
  request.forwarded_for = "127.0.0.1";
  const access_verdict through_proxy = policy.check(request);
  EXPECT_EQ(through_proxy.status, 403);
  EXPECT_EQ(through_proxy.code, "read_not_allowed");

  const access_policy wide("0.0.0.0", "", {}, {});
  request = get("/api/summary");
  request.peer = "192.0.2.7";
  request.host = "collector.example";
  EXPECT_EQ(wide.check(request).status, 403);
}

TEST(AccessPolicy, HostIsCheckedExactlyOnLoopbackBinds) {
  const access_policy policy = loopback_policy();
  request_view request = get("/api/responses.csv");
  request.host = "127.evil.example";
  access_verdict verdict = policy.check(request);
  EXPECT_EQ(verdict.status, 403);
  EXPECT_EQ(verdict.code, "host_not_allowed");
  request.path = "/index.html";
  EXPECT_EQ(policy.check(request).status, 403);
  request.host = "localhost:8080";
  EXPECT_TRUE(policy.check(request).allowed());
  request.host = "evil\r\nX-Injected: 1";
  verdict = policy.check(request);
  EXPECT_EQ(verdict.message.find('\r'), std::string::npos) << verdict.message;

  const access_policy v6("0:0:0:0:0:0:0:1", "", {}, {});
  request = get("/api/summary");
  request.peer = "::1";
  request.host = "[::1]:8080";
  EXPECT_TRUE(v6.check(request).allowed());
  request.host = "127.evil.example:8080";
  EXPECT_EQ(v6.check(request).status, 403);

  // Public binds leave names to the token.
  const access_policy wide("0.0.0.0", token, {}, {});
  const std::string bearer = "Bearer " + token;
  request.host = "collector.example";
  request.authorization = bearer;
  EXPECT_TRUE(wide.check(request).allowed());
}

TEST(AccessPolicy, AllowOriginGrantsPostingOnly) {
  const access_policy policy = loopback_policy("", {}, {"*"});
  request_view post = get("/api/responses");
  post.method = "POST";
  post.origin = "https://shop.example";
  post.has_origin = true;
  access_verdict verdict = policy.check(post);
  EXPECT_TRUE(verdict.allowed());
  EXPECT_EQ(header_value(verdict, "Access-Control-Allow-Origin"), "https://shop.example");

  for (const char* origin : {"https://shop.example", "null"}) {
    request_view read = get("/api/responses.jsonl");
    read.origin = origin;
    read.has_origin = true;
    verdict = policy.check(read);
    EXPECT_EQ(verdict.status, 403) << origin;
    EXPECT_EQ(header_value(verdict, "Access-Control-Allow-Origin"), "") << origin;
  }
  request_view same = get("/api/responses.jsonl");
  same.origin = "http://127.0.0.1:8080";
  same.has_origin = true;
  EXPECT_TRUE(policy.check(same).allowed());

  const access_policy listed = loopback_policy("", {}, {"https://shop.example"});
  post.origin = "https://other.example";
  EXPECT_EQ(listed.check(post).status, 403);
}

TEST(AccessPolicy, CrossOriginReadsNeedTheTokenAndNeverEchoNull) {
  const access_policy policy = loopback_policy(token, {}, {"*"});
  request_view read = get("/api/responses.csv");
  read.origin = "https://dashboard.example";
  read.has_origin = true;
  access_verdict verdict = policy.check(read);
  EXPECT_EQ(verdict.status, 401);
  const std::string bearer = "Bearer " + token;
  read.authorization = bearer;
  verdict = policy.check(read);
  EXPECT_TRUE(verdict.allowed());
  EXPECT_EQ(header_value(verdict, "Access-Control-Allow-Origin"), "https://dashboard.example");
  EXPECT_EQ(header_value(verdict, "Vary"), "Origin");

  read.origin = "null";
  verdict = policy.check(read);
  EXPECT_EQ(verdict.status, 403);
  EXPECT_EQ(header_value(verdict, "Access-Control-Allow-Origin"), "");

  request_view preflight = get("/api/summary");
  preflight.method = "OPTIONS";
  preflight.origin = "https://dashboard.example";
  preflight.has_origin = true;
  verdict = policy.check(preflight);
  EXPECT_TRUE(verdict.allowed());
  EXPECT_EQ(header_value(verdict, "Access-Control-Allow-Origin"), "https://dashboard.example");
  const access_policy tokenless = loopback_policy("", {}, {"*"});
  EXPECT_EQ(tokenless.check(preflight).status, 403);
}

TEST(AccessPolicy, PublicSummaryIsOpenButOnlyInItsAggregateForm) {
  access_options options;
  options.public_summary = true;
  const access_policy policy("0.0.0.0", token, {"https://shop.example"}, options);
  request_view request = get("/api/summary");
  request.host = "collector.example";
  request.peer = "198.51.100.4";
  access_verdict verdict = policy.check(request);
  EXPECT_TRUE(verdict.allowed());
  EXPECT_TRUE(verdict.public_form);
  EXPECT_EQ(header_value(verdict, "Vary"), "Authorization");

  const std::string bearer = "Bearer " + token;
  request.authorization = bearer;
  verdict = policy.check(request);
  EXPECT_TRUE(verdict.allowed());
  EXPECT_FALSE(verdict.public_form);

  // A wrong token is an error, not a quiet step down to the public form.
  request.authorization = "Bearer not-the-right-one-at-all";
  EXPECT_EQ(policy.check(request).status, 401);

  request.authorization = "";
  request.path = "/api/responses.csv";
  EXPECT_EQ(policy.check(request).status, 401);

  request.path = "/api/summary";
  request.origin = "https://shop.example";
  request.has_origin = true;
  verdict = policy.check(request);
  EXPECT_TRUE(verdict.public_form);
  EXPECT_EQ(header_value(verdict, "Access-Control-Allow-Origin"), "https://shop.example");
  request.origin = "https://elsewhere.example";
  EXPECT_EQ(policy.check(request).status, 401);
}

TEST(AccessPolicy, ForwardedForCountsOnlyFromTheTrustedProxy) {
  access_options options;
  options.proxy = "10.0.0.2";
  const access_policy policy("0.0.0.0", token, {}, options);
  EXPECT_EQ(policy.client_key("10.0.0.2", "203.0.113.9"), "203.0.113.9");
  // Earlier hops are the client's own words; only the proxy's last one counts.
  EXPECT_EQ(policy.client_key("10.0.0.2", "1.1.1.1, 203.0.113.9"), "203.0.113.9");
  EXPECT_EQ(policy.client_key("::ffff:10.0.0.2", "2001:DB8::7"), "2001:db8::7");
  EXPECT_EQ(policy.client_key("10.0.0.2", "[2001:db8::7]:4711"), "2001:db8::7");
  EXPECT_EQ(policy.client_key("10.0.0.2", "203.0.113.9:4711"), "203.0.113.9");
  EXPECT_EQ(policy.client_key("10.0.0.2", "garbage"), "10.0.0.2");
  EXPECT_EQ(policy.client_key("10.0.0.2", ""), "10.0.0.2");
  EXPECT_EQ(policy.client_key("10.0.0.3", "203.0.113.9"), "10.0.0.3");
  EXPECT_EQ(policy.client_key("::ffff:192.0.2.1", "203.0.113.9"), "192.0.2.1");

  const access_policy no_proxy("0.0.0.0", token, {}, {});
  EXPECT_EQ(no_proxy.client_key("10.0.0.2", "203.0.113.9"), "10.0.0.2");
}

TEST(AccessPolicy, TokenFileGoesNextToTheDatabaseWhenReachableFromElsewhere) {
  access_options options;
  EXPECT_FALSE(admin_token_path(options, "127.0.0.1", "data/npskit.db"));
  EXPECT_FALSE(admin_token_path(options, "::1", "data/npskit.db"));
  EXPECT_EQ(admin_token_path(options, "0.0.0.0", "data/npskit.db"), "data/npskit.db.token");
  options.proxy = "127.0.0.1";
  EXPECT_EQ(admin_token_path(options, "127.0.0.1", "npskit.db"), "npskit.db.token");
  options.admin_token_file = "/etc/npskit/token";
  EXPECT_EQ(admin_token_path(options, "0.0.0.0", "npskit.db"), "/etc/npskit/token");
}

TEST(AccessOptions, ParsedWithErrorsNamingTheOption) {
  const std::vector<option_spec> table = {
      {"--admin-token-file", option_arity::single, "FILE", ""},
      {"--public-summary", option_arity::flag, "", ""},
      {"--min-group", option_arity::single, "N", ""},
      {"--proxy", option_arity::single, "ADDRESS", ""},
  };
  auto parsed = parse_arguments(table, {"--admin-token-file", "t", "--public-summary",
                                        "--min-group", "10", "--proxy", "0:0:0:0:0:0:0:1"});
  ASSERT_TRUE(parsed);
  auto options = read_access_options(*parsed);
  ASSERT_TRUE(options) << options.error().message;
  EXPECT_EQ(options->admin_token_file, "t");
  EXPECT_TRUE(options->public_summary);
  EXPECT_EQ(options->min_group, 10u);
  EXPECT_EQ(options->proxy, "::1");

  parsed = parse_arguments(table, {"--proxy", "proxy.example"});
  ASSERT_TRUE(parsed);
  options = read_access_options(*parsed);
  ASSERT_FALSE(options);
  EXPECT_EQ(options.error().message.rfind("--proxy: \"proxy.example\"", 0), 0u);

  parsed = parse_arguments(table, {"--min-group", "0"});
  ASSERT_TRUE(parsed);
  options = read_access_options(*parsed);
  ASSERT_FALSE(options);
  EXPECT_EQ(options.error().message.rfind("--min-group: 0", 0), 0u);

  parsed = parse_arguments(table, {});
  ASSERT_TRUE(parsed);
  options = read_access_options(*parsed);
  ASSERT_TRUE(options);
  EXPECT_EQ(options->min_group, 5u);
  EXPECT_FALSE(options->public_summary);
}

}  // namespace
}  // namespace npskit::cli
