// Alert signing, payloads and options, tested without a server: the
// signature against the Standard Webhooks specification's own example, the
// bodies as a receiver parses them, and the options as a user writes them.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "collector/webhook_options.h"
#include "collector/webhook_payload.h"
#include "collector/webhook_signature.h"

namespace npskit::cli {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

TEST(WebhookSignature, MatchesTheSpecificationExample) {
  // The vector of the reference libraries (standard-webhooks, TestWebhookSign).
  auto secret = parse_webhook_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "test");
  ASSERT_TRUE(secret) << secret.error().message;
  EXPECT_EQ(
      sign_webhook(*secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})"),
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(WebhookSignature, ChangesWithEverySignedPart) {
  auto secret = parse_webhook_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "test");
  ASSERT_TRUE(secret);
  const std::string reference = sign_webhook(*secret, "msg_1", 1614265330, "{}");
  EXPECT_NE(sign_webhook(*secret, "msg_2", 1614265330, "{}"), reference);
  EXPECT_NE(sign_webhook(*secret, "msg_1", 1614265331, "{}"), reference);
  EXPECT_NE(sign_webhook(*secret, "msg_1", 1614265330, "{ }"), reference);
}

TEST(WebhookSignature, RefusesSecretsThatAreNotWhsecBase64) {
  auto missing_prefix =
      parse_webhook_secret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "--webhook-secret-file \"s\"");
  ASSERT_FALSE(missing_prefix);
  EXPECT_NE(missing_prefix.error().message.find("--webhook-secret-file \"s\""), std::string::npos);
  EXPECT_NE(missing_prefix.error().message.find("whsec_"), std::string::npos);
  auto not_base64 = parse_webhook_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2La*aSw", "file");
  ASSERT_FALSE(not_base64);
  EXPECT_NE(not_base64.error().message.find("not base64"), std::string::npos);
  auto too_short = parse_webhook_secret("whsec_c2hvcnQ=", "file");
  ASSERT_FALSE(too_short);
  EXPECT_NE(too_short.error().message.find("holds 5 bytes"), std::string::npos);
}

TEST(WebhookSignature, NewSecretsAndIdsAreUsableAndDistinct) {
  const std::string first = new_webhook_secret_text();
  auto parsed = parse_webhook_secret(first + "\n", "new");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->key.size(), 32u);
  EXPECT_NE(new_webhook_secret_text(), first);
  const std::string id = new_webhook_id();
  EXPECT_EQ(id.rfind("msg_", 0), 0u);
  EXPECT_EQ(id.find('.'), std::string::npos);
  EXPECT_NE(new_webhook_id(), id);
}

TEST(Base64, RoundTripsEveryLengthAndRefusesBadPadding) {
  std::string bytes;
  for (int length = 0; length < 70; ++length) {
    if (length > 0) {
      auto decoded = base64_decode(base64_encode(bytes));
      ASSERT_TRUE(decoded) << length;
      EXPECT_EQ(*decoded, bytes);
    }
    bytes.push_back(static_cast<char>(length * 37));
  }
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_FALSE(base64_decode("Zm9vYg="));
  EXPECT_FALSE(base64_decode("Zm=vYg=="));
}

response detractor(std::string comment) {
  response value;
  value.id = "2f1c7a3e-1d2b-4c5e-8f9a-0b1c2d3e4f5a";
  value.survey = "acme-nps";
  value.score = 3;
  value.comment = std::move(comment);
  value.submitted_at = "2026-11-22T10:15:00.000Z";
  value.json = json{{"id", value.id}, {"score", 3}, {"comment", value.comment}}.dump();
  return value;
}

TEST(WebhookPayload, StandardEventCarriesTheStoredAnswer) {
  const response value = detractor("Slow");
  const std::string link = inbox_link("https://nps.example.com", value);
  EXPECT_EQ(link, "https://nps.example.com/admin/#/inbox/2f1c7a3e-1d2b-4c5e-8f9a-0b1c2d3e4f5a");
  const json body = json::parse(standard_webhook_payload(value, "2026-11-22T10:15:01.000Z", link));
  EXPECT_EQ(body["type"], "response.detractor");
  EXPECT_EQ(body["timestamp"], "2026-11-22T10:15:01.000Z");
  EXPECT_EQ(body["data"], json::parse(value.json));
  EXPECT_EQ(body["links"]["inbox"], link);
}

TEST(WebhookPayload, SlackMessageQuotesTheCommentAsText) {
  const response value = detractor("<!channel> & <https://evil.example|click>\nsecond line");
  const json message = json::parse(slack_payload(value, "https://nps.example.com/admin/#/inbox/x"));
  const std::string section = message["blocks"][0]["text"]["text"];
  EXPECT_EQ(message["blocks"][0]["text"]["type"], "mrkdwn");
  EXPECT_NE(section.find("*Detractor*"), std::string::npos);
  EXPECT_NE(section.find("*3*/10"), std::string::npos);
  EXPECT_NE(section.find("`acme-nps`"), std::string::npos);
  EXPECT_NE(section.find(">&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;"),
            std::string::npos);
  EXPECT_NE(section.find("\n>second line"), std::string::npos);
  EXPECT_EQ(section.find("<!channel>"), std::string::npos);
  const std::string context = message["blocks"][1]["elements"][0]["text"];
  EXPECT_EQ(context.rfind("<https://nps.example.com/admin/#/inbox/x|Open in the inbox>", 0), 0u);
  const std::string text = message["text"];
  EXPECT_EQ(text.rfind("Detractor (3/10) in acme-nps: ", 0), 0u);
}

TEST(WebhookOptions, ParsesUrlsAndHidesTheirPaths) {
  auto url = parse_http_url("--webhook", "https://hooks.example.com/services/T0/B0/secret?x=1");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_TRUE(url->tls);
  EXPECT_EQ(url->host, "hooks.example.com");
  EXPECT_EQ(url->port, "443");
  EXPECT_EQ(url->target, "/services/T0/B0/secret?x=1");
  EXPECT_EQ(url->redacted, "https://hooks.example.com/…");
  auto local = parse_http_url("--webhook", "http://[::1]:8080");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->host, "::1");
  EXPECT_EQ(local->port, "8080");
  EXPECT_EQ(local->target, "/");
  for (const char* bad :
       {"ftp://example.com/", "http://", "http://user:pw@example.com/", "http://example.com:0/",
        "http://example.com:99999/", "http://example.com/a b"}) {
    auto refused = parse_http_url("--webhook", bad);
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().message.rfind(std::string("--webhook: \"") + bad + "\"", 0), 0u)
        << refused.error().message;
  }
}

result<webhook_options> read(const std::vector<std::string>& args) {
  auto parsed = parse_arguments(webhook_option_table(), args);
  if (!parsed) return parsed.error();
  return read_webhook_options(*parsed);
}

TEST(WebhookOptions, QualifiersApplyToTheHookBeforeThem) {
  const fs::path folder = fs::temp_directory_path() / ("npskit-webhook-" + new_webhook_id());
  fs::create_directories(folder);
  const std::string secret_file = (folder / "secret").string();
  auto options =
      read({"--webhook", "http://127.0.0.1:9/a", "--webhook-when", "promoter", "--slack-webhook",
            "http://127.0.0.1:9/b", "--webhook", "http://127.0.0.1:9/c", "--webhook-secret-file",
            secret_file, "--webhook-when", "all"});
  ASSERT_TRUE(options) << options.error().message;
  ASSERT_EQ(options->targets.size(), 3u);
  EXPECT_EQ(options->targets[0].when, webhook_when::promoter);
  EXPECT_FALSE(options->targets[0].secret);
  EXPECT_EQ(options->targets[1].format, webhook_format::slack);
  EXPECT_EQ(options->targets[1].when, webhook_when::detractor);
  EXPECT_EQ(options->targets[2].when, webhook_when::all);
  ASSERT_TRUE(options->targets[2].secret);
  // The new secret is kept in the file, private, and read back the same.
  EXPECT_EQ(fs::status(secret_file).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  auto again = read({"--webhook", "http://127.0.0.1:9/c", "--webhook-secret-file", secret_file});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->targets[0].secret->key, options->targets[2].secret->key);
  fs::remove_all(folder);
}

TEST(WebhookOptions, RefusesQualifiersWithoutTheirHook) {
  auto before_any = read({"--webhook-when", "detractor", "--webhook", "http://127.0.0.1:9/"});
  ASSERT_FALSE(before_any);
  EXPECT_NE(before_any.error().message.find("comes before any --webhook"), std::string::npos);
  auto slack_secret =
      read({"--slack-webhook", "http://127.0.0.1:9/", "--webhook-secret-file", "s"});
  ASSERT_FALSE(slack_secret);
  EXPECT_NE(slack_secret.error().message.find("Slack does not verify"), std::string::npos);
  auto unknown_when = read({"--webhook", "http://127.0.0.1:9/", "--webhook-when", "angry"});
  ASSERT_FALSE(unknown_when);
  EXPECT_NE(unknown_when.error().message.find("\"angry\" is not a choice"), std::string::npos);
  auto twice = read({"--webhook", "http://127.0.0.1:9/", "--webhook", "http://127.0.0.1:9/"});
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message.find("given twice"), std::string::npos);
}

TEST(WebhookOptions, WhenChoosesByCategory) {
  response value = detractor("");
  EXPECT_TRUE(matches(webhook_when::detractor, value));
  EXPECT_FALSE(matches(webhook_when::promoter, value));
  value.score = 7;
  EXPECT_TRUE(matches(webhook_when::passive, value));
  EXPECT_FALSE(matches(webhook_when::detractor, value));
  value.score = 10;
  EXPECT_TRUE(matches(webhook_when::promoter, value));
  EXPECT_TRUE(matches(webhook_when::response, value));
  value.type = record_type::dismissal;
  value.score = -1;
  EXPECT_FALSE(matches(webhook_when::response, value));
  EXPECT_FALSE(matches(webhook_when::detractor, value));
  EXPECT_TRUE(matches(webhook_when::all, value));
}

TEST(RetryPolicy, DoublesWithJitterUpToTheCapAndLastsADay) {
  const retry_policy policy;  // base 5 s
  EXPECT_EQ(policy.delay_ms(1, 0.5), 5000);
  EXPECT_EQ(policy.delay_ms(2, 0.5), 10000);
  EXPECT_EQ(policy.delay_ms(3, 0.0), 15000);  // 75 % of 20 s
  EXPECT_EQ(policy.delay_ms(3, 1.0), 25000);  // 125 % of 20 s
  EXPECT_EQ(policy.delay_ms(40, 0.5), 3600000);
  EXPECT_EQ(policy.give_up_after_ms(), 24LL * 3600 * 1000);
}

}  // namespace
}  // namespace npskit::cli
