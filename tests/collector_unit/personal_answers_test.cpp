// What the collector stores of an answer from a personal link, and how the
// groups of by=channel and by=campaign are named.
#include "collector/personal_answers.h"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "collector/answer_origin.h"
#include "npskit/response.h"

namespace npskit::cli {
namespace {

using json = nlohmann::json;

link_secret test_secret() {
  link_secret secret;
  secret.key = std::string(32, '\x2a');
  secret.path = "test.link-key";
  return secret;
}

response parsed(const std::string& payload) {
  auto value = parse_response(payload);
  EXPECT_TRUE(value) << (value ? "" : value.error().message);
  return value ? *value : response{};
}

std::string personal_payload(const std::string& contact, const std::string& sig) {
  return R"({"schema":"npskit.response/1","type":"response",)"
         R"("id":"2f1c7a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","survey":"acme-nps","score":6,)"
         R"("channel":"email","campaign":"week-48","contact":")" +
         contact + R"(","sig":")" + sig + R"(","comment":"slow"})";
}

TEST(SettleContact, AValidSignatureKeepsTheContactAndDropsTheSignature) {
  const link_secret secret = test_secret();
  response value =
      parsed(personal_payload("c-1", sign_personal_link(secret, "acme-nps", "c-1", "week-48")));
  EXPECT_EQ(settle_contact(value, &secret), contact_status::verified);
  EXPECT_EQ(value.contact, "c-1");
  EXPECT_TRUE(value.sig.empty());
  const json stored = json::parse(value.json);
  EXPECT_EQ(stored.at("contact"), "c-1");
  EXPECT_FALSE(stored.contains("sig"));
  EXPECT_FALSE(stored.contains("contact_status"));
  // The other fields stay in the order they were sent.
  EXPECT_LT(value.json.find("\"campaign\""), value.json.find("\"comment\""));
}

TEST(SettleContact, ASignatureOfAnotherContactMakesTheAnswerAnonymous) {
  const link_secret secret = test_secret();
  response value =
      parsed(personal_payload("c-2", sign_personal_link(secret, "acme-nps", "c-1", "week-48")));
  EXPECT_EQ(settle_contact(value, &secret), contact_status::unverified);
  EXPECT_TRUE(value.contact.empty());
  const json stored = json::parse(value.json);
  EXPECT_FALSE(stored.contains("contact"));
  EXPECT_FALSE(stored.contains("sig"));
  EXPECT_EQ(stored.at("contact_status"), "unverified");
  EXPECT_EQ(stored.at("score"), 6);
  EXPECT_EQ(stored.at("campaign"), "week-48");
}

TEST(SettleContact, WithoutAKeyNoContactIsBelieved) {
  const link_secret secret = test_secret();
  response value =
      parsed(personal_payload("c-1", sign_personal_link(secret, "acme-nps", "c-1", "week-48")));
  EXPECT_EQ(settle_contact(value, nullptr), contact_status::unverified);
  EXPECT_TRUE(value.contact.empty());
}

TEST(SettleContact, AnAnswerWithoutContactIsStoredAsSent) {
  const std::string payload =
      R"({"schema":"npskit.response/1","type":"response",)"
      R"("id":"2f1c7a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","survey":"acme-nps","score":9})";
  response value = parsed(payload);
  const std::string before = value.json;
  const link_secret secret = test_secret();
  EXPECT_EQ(settle_contact(value, &secret), contact_status::none);
  EXPECT_EQ(value.json, before);
}

TEST(SettleContact, AContactStatusSentByTheClientIsRemoved) {
  response value =
      parsed(R"({"schema":"npskit.response/1","type":"response",)"
             R"("id":"2f1c7a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","survey":"acme-nps","score":9,)"
             R"("contact_status":"verified"})");
  const link_secret secret = test_secret();
  EXPECT_EQ(settle_contact(value, &secret), contact_status::none);
  EXPECT_FALSE(json::parse(value.json).contains("contact_status"));
}

TEST(ParseWindow, TakesSecondsMinutesHoursAndDays) {
  using std::chrono::milliseconds;
  EXPECT_EQ(*parse_window("--w", "90s"), milliseconds(90'000));
  EXPECT_EQ(*parse_window("--w", "30m"), milliseconds(1'800'000));
  EXPECT_EQ(*parse_window("--w", "1h"), milliseconds(3'600'000));
  EXPECT_EQ(*parse_window("--w", "2d"), milliseconds(172'800'000));
  EXPECT_EQ(*parse_window("--w", "0"), milliseconds(0));
}

TEST(ParseWindow, RefusesWhatIsNotADurationNamingTheOption) {
  for (const char* text : {"", "h", "1", "1x", "-1h", "0h", "1.5h", "400d", " 1h"}) {
    auto window = parse_window("--answer-replace-window", text);
    ASSERT_FALSE(window) << text;
    EXPECT_EQ(window.error().message.rfind("--answer-replace-window: \"", 0), 0u) << text;
  }
}

TEST(OriginGroup, BlankChannelsAreWebAndBlankCampaignsNone) {
  EXPECT_EQ(origin_group(origin_dimension::channel, ""), "web");
  EXPECT_EQ(origin_group(origin_dimension::channel, " email "), "email");
  EXPECT_EQ(origin_group(origin_dimension::campaign, "  "), "(none)");
  EXPECT_EQ(origin_group(origin_dimension::campaign, "week-48"), "week-48");
  EXPECT_EQ(parse_origin_dimension("campaign"), origin_dimension::campaign);
  EXPECT_FALSE(parse_origin_dimension("segment"));
}

TEST(LabelOriginSummary, NamesTheGroupingAndLeavesRoomForResponseRates) {
  const std::string summary =
      R"json({"by":"segment","groups":[{"key":"week-48","n":3},{"key":"(none)","n":1}],"n":4})json";
  const json campaigns = json::parse(label_origin_summary(summary, origin_dimension::campaign, -1));
  EXPECT_EQ(campaigns.at("by"), "campaign");
  for (const json& group : campaigns.at("groups")) {
    EXPECT_TRUE(group.at("invitations").is_null());
    EXPECT_TRUE(group.at("response_rate").is_null());
  }
  const json channels = json::parse(label_origin_summary(summary, origin_dimension::channel, -1));
  EXPECT_EQ(channels.at("by"), "channel");
  EXPECT_FALSE(channels.at("groups").at(0).contains("invitations"));
}

TEST(OriginOf, AnAnswerWithoutChannelIsAWebAnswer) {
  const answer_origin origin = origin_of(
      parsed(R"({"schema":"npskit.response/1","type":"response",)"
             R"("id":"2f1c7a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","survey":"acme-nps","score":9})"));
  EXPECT_EQ(origin.channel, "web");
  EXPECT_FALSE(origin.one_per_contact());
}

}  // namespace
}  // namespace npskit::cli
