// npskit.response/1 validation: what the widget and the collector accept,
// and the messages a sender sees for what they refuse.
#include "npskit/response.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "npskit/period.h"

namespace {

using npskit::error_code;
using npskit::parse_response;
using npskit::record_type;

constexpr const char* kId = "2f1c6b8e-3d7a-4c1e-9b2f-0a1b2c3d4e5f";

std::string payload_with(const std::string& fields) {
  return std::string(R"({"schema":"npskit.response/1","type":"response","id":")") + kId + R"(",)" +
         fields + "}";
}

void expect_error(const std::string& text, error_code code, const std::string& message) {
  const auto parsed = parse_response(text);
  ASSERT_FALSE(parsed.has_value()) << text;
  EXPECT_EQ(parsed.error().code, code) << parsed.error().message;
  EXPECT_EQ(parsed.error().message, message);
}

TEST(ParseResponse, ReadsTheDocumentedPayload) {
  const std::string text =
      R"({"schema": "npskit.response/1", "type": "response",
          "id": "2F1C6B8E-3D7A-4C1E-9B2F-0A1B2C3D4E5F", "survey": "acme-nps",
          "score": 9, "category": "promoter", "comment": "Fast support",
          "submitted_at": "2026-11-22T10:15:00.000Z", "locale": "sv",
          "page": "https://example.com/pricing", "user": {"id": "u-42"},
          "properties": {"plan": "pro", "segment": "enterprise"}})";
  const auto parsed = parse_response(text);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  EXPECT_EQ(parsed->id, kId);
  EXPECT_EQ(parsed->type, record_type::response);
  EXPECT_EQ(parsed->survey, "acme-nps");
  EXPECT_EQ(parsed->score, 9);
  EXPECT_EQ(parsed->comment, "Fast support");
  EXPECT_EQ(parsed->submitted_at, "2026-11-22T10:15:00.000Z");
  EXPECT_EQ(parsed->locale, "sv");
  EXPECT_EQ(parsed->page, "https://example.com/pricing");
  EXPECT_EQ(parsed->segment, "enterprise");
  EXPECT_EQ(parsed->user, R"({"id":"u-42"})");
  EXPECT_EQ(parsed->properties, R"({"plan":"pro","segment":"enterprise"})");
}

TEST(ParseResponse, KeepsUnknownFieldsAndOrderInTheStoredJson) {
  const auto parsed = parse_response(
      payload_with(R"("score":7,"zeta":{"nested":[1,2,{"x":null}]},"alpha":"Ünïcode ✓")"));
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  EXPECT_EQ(parsed->json,
            std::string(R"({"schema":"npskit.response/1","type":"response","id":")") + kId +
                R"(","score":7,"zeta":{"nested":[1,2,{"x":null}]},"alpha":"Ünïcode ✓"})");
}

TEST(ParseResponse, LowerCasesTheIdInTheStoredJson) {
  const auto parsed = parse_response(R"({"id":"AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE","score":0})");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  EXPECT_EQ(parsed->id, "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
  EXPECT_EQ(parsed->json, R"({"id":"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee","score":0})");
}

TEST(ParseResponse, AcceptsEveryScoreFromZeroToTen) {
  for (int score = 0; score <= 10; ++score) {
    const auto parsed = parse_response(payload_with("\"score\":" + std::to_string(score)));
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
    EXPECT_EQ(parsed->score, score);
  }
}

TEST(ParseResponse, RefusesScoresThatAreNotIntegersFromZeroToTen) {
  expect_error(payload_with(R"("score":11)"), error_code::invalid_score,
               "score: 11 is outside 0..10");
  expect_error(payload_with(R"("score":-1)"), error_code::invalid_score,
               "score: -1 is outside 0..10");
  expect_error(payload_with(R"("score":18446744073709551615)"), error_code::invalid_score,
               "score: 18446744073709551615 is outside 0..10");
  expect_error(payload_with(R"("score":4294967305)"), error_code::invalid_score,
               "score: 4294967305 is outside 0..10");
  expect_error(payload_with(R"("score":9.5)"), error_code::invalid_score,
               "score: 9.5 is not an integer (expected an integer 0..10)");
  expect_error(payload_with(R"("score":"9")"), error_code::invalid_score,
               "score: got a string \"9\" (expected an integer 0..10)");
  expect_error(payload_with(R"("score":true)"), error_code::invalid_score,
               "score: got a boolean true (expected an integer 0..10)");
  expect_error(payload_with(R"("comment":"x")"), error_code::invalid_score,
               "score: missing (expected an integer 0..10)");
  expect_error(payload_with(R"("score":null)"), error_code::invalid_score,
               "score: missing (expected an integer 0..10)");
}

TEST(ParseResponse, RefusesMissingOrMalformedIds) {
  expect_error(R"({"score":5})", error_code::invalid_record,
               "id: missing (expected a UUID, the answer's idempotency key)");
  expect_error(R"({"id":"abc","score":5})", error_code::invalid_record,
               "id: \"abc\" is not a UUID (expected 8-4-4-4-12 hexadecimal digits)");
  expect_error(R"({"id":42,"score":5})", error_code::invalid_record,
               "id: 42 is not a UUID (expected 8-4-4-4-12 hexadecimal digits)");
  expect_error(R"({"id":"2f1c6b8e-3d7a-4c1e-9b2f-0a1b2c3d4e5g","score":5})",
               error_code::invalid_record,
               "id: \"2f1c6b8e-3d7a-4c1e-9b2f-0a1b2c3d4e5g\" is not a UUID (expected "
               "8-4-4-4-12 hexadecimal digits)");
}

TEST(ParseResponse, ReportsMalformedJsonWithItsByteOffset) {
  const auto parsed = parse_response(R"({"id": x})");
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().code, error_code::parse_error);
  EXPECT_EQ(parsed.error().message.rfind("payload: malformed JSON at byte 7: ", 0), 0u)
      << parsed.error().message;
  EXPECT_FALSE(parse_response("").has_value());
  EXPECT_EQ(parse_response("").error().code, error_code::parse_error);
}

TEST(ParseResponse, RefusesInvalidUtf8) {
  const std::string text = payload_with("\"score\":5,\"comment\":\"bad \xC3\x28 byte\"");
  const auto parsed = parse_response(text);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().code, error_code::parse_error);
  EXPECT_NE(parsed.error().message.find("UTF-8"), std::string::npos) << parsed.error().message;
}

TEST(ParseResponse, RefusesDeepNestingBeforeParsing) {
  std::string deep = payload_with(R"("score":5,"properties":)");
  deep.pop_back();
  deep += std::string(10000, '[') + std::string(10000, ']') + "}";
  expect_error(deep, error_code::parse_error,
               "payload: nested 10001 levels deep (at most 32 allowed)");
}

TEST(ParseResponse, CountsNestingOutsideStringsOnly) {
  EXPECT_EQ(npskit::json_nesting_depth(R"({"a":"[[[{{{\"[["})"), 1u);
  EXPECT_EQ(npskit::json_nesting_depth(R"([[1],[[2]]])"), 3u);
  EXPECT_EQ(npskit::json_nesting_depth("7"), 0u);
}

TEST(ParseResponse, RefusesDuplicateKeys) {
  expect_error(payload_with(R"("score":9,"score":11)"), error_code::invalid_record,
               "score: appears more than once in one object");
}

TEST(ParseResponse, RefusesPayloadsThatAreNotObjects) {
  expect_error("[1,2]", error_code::invalid_record,
               "payload: expected a JSON object, got an array");
  expect_error("\"text\"", error_code::invalid_record,
               "payload: expected a JSON object, got a string");
}

TEST(ParseResponse, ChecksSchemaTypeAndCategory) {
  expect_error(R"({"schema":"npskit.response/2","id":")" + std::string(kId) + R"(","score":1})",
               error_code::invalid_record,
               "schema: \"npskit.response/2\" is not supported (expected \"npskit.response/1\")");
  expect_error(R"({"type":"vote","id":")" + std::string(kId) + R"(","score":1})",
               error_code::invalid_record,
               "type: \"vote\" is not one of \"response\", \"dismissal\"");
  expect_error(payload_with(R"("score":3,"category":"promoter")"), error_code::invalid_record,
               "category: \"promoter\" does not match score 3 (expected \"detractor\")");
  const auto passive = parse_response(payload_with(R"("score":8,"category":"passive")"));
  EXPECT_TRUE(passive.has_value());
}

TEST(ParseResponse, ReadsDismissalsWithoutScore) {
  const auto parsed =
      parse_response(R"({"type":"dismissal","id":")" + std::string(kId) + R"(","survey":"s"})");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  EXPECT_EQ(parsed->type, record_type::dismissal);
  EXPECT_EQ(parsed->score, -1);
  expect_error(R"({"type":"dismissal","id":")" + std::string(kId) + R"(","score":4})",
               error_code::invalid_record, "score: a dismissal carries no score (got 4)");
}

TEST(ParseResponse, ChecksTheTypesOfOptionalFields) {
  expect_error(payload_with(R"("score":5,"comment":12)"), error_code::invalid_record,
               "comment: expected a string, got a number");
  expect_error(payload_with(R"("score":5,"survey":["a"])"), error_code::invalid_record,
               "survey: expected a string, got an array");
  expect_error(payload_with(R"("score":5,"user":"u-42")"), error_code::invalid_record,
               "user: expected an object, got a string");
  expect_error(payload_with(R"("score":5,"properties":[1])"), error_code::invalid_record,
               "properties: expected an object, got an array");
  const auto nulls = parse_response(
      payload_with(R"("score":5,"comment":null,"user":null,"properties":null,"locale":null)"));
  ASSERT_TRUE(nulls.has_value()) << nulls.error().message;
  EXPECT_EQ(nulls->comment, "");
}

TEST(ParseResponse, ValidatesAndDefaultsSubmittedAt) {
  expect_error(payload_with(R"("score":5,"submitted_at":"yesterday")"), error_code::invalid_record,
               "submitted_at: \"yesterday\" is not an ISO-8601 timestamp (expected e.g. "
               "\"2026-11-22T10:15:00.000Z\")");
  expect_error(payload_with(R"("score":5,"submitted_at":"2026-02-30")"), error_code::invalid_record,
               "submitted_at: \"2026-02-30\" is not an ISO-8601 timestamp (expected e.g. "
               "\"2026-11-22T10:15:00.000Z\")");
  const auto defaulted = parse_response(payload_with(R"("score":5)"), "2026-11-22T08:00:00.000Z");
  ASSERT_TRUE(defaulted.has_value());
  EXPECT_EQ(defaulted->submitted_at, "2026-11-22T08:00:00.000Z");
  const auto stored = nlohmann::json::parse(defaulted->json, nullptr, false);
  ASSERT_TRUE(stored.is_object());
  ASSERT_TRUE(stored["submitted_at"].is_string());
  EXPECT_EQ(stored["submitted_at"].get<std::string>(), "2026-11-22T08:00:00.000Z");
  const auto kept = parse_response(payload_with(R"("score":5,"submitted_at":"2026-01-02")"),
                                   "2026-11-22T08:00:00.000Z");
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->submitted_at, "2026-01-02");
}

TEST(ParseResponse, KeepsSqlLookingTextVerbatim) {
  const std::string comment = "'); DROP TABLE responses; -- \\\"quoted\\\"";
  const auto parsed = parse_response(payload_with("\"score\":2,\"comment\":\"" + comment + "\""));
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  EXPECT_EQ(parsed->comment, "'); DROP TABLE responses; -- \"quoted\"");
}

TEST(ParseResponse, FindsTheSegmentAtTheTopLevelFirst) {
  const auto top =
      parse_response(payload_with(R"("score":5," Segment ":"smb","properties":{"segment":"ent"})"));
  ASSERT_TRUE(top.has_value());
  EXPECT_EQ(top->segment, "smb");
  const auto nested = parse_response(payload_with(R"("score":5,"properties":{"SEGMENT":"ent"})"));
  ASSERT_TRUE(nested.has_value());
  EXPECT_EQ(nested->segment, "ent");
}

TEST(Iso8601Timestamp, AcceptsDatesTimesAndOffsets) {
  for (const char* text : {"2026-11-22", "2026-11-22T10:15:00.000Z", "2026-11-22 10:15:00+02:00",
                           "2026-11-22T10:15", "2024-02-29T23:59:60Z", "2026-11-22T10:15:00-0530",
                           "2026-11-22t10:15:00,5z", "0001-01-01"}) {
    EXPECT_TRUE(npskit::is_iso8601_timestamp(text)) << text;
    // One parser behind both: a date the collector stores can be put in a period.
    EXPECT_TRUE(npskit::period_key(text, npskit::period::week).has_value()) << text;
  }
  for (const char* text :
       {"", "2026-11", "2026-13-01", "2025-02-29", "2026-11-22T24:00", "2026-11-22T10:15:00.",
        "2026-11-22T10:15Zjunk", "22/11/2026", "2026-11-22T10:15:00+2", "0000-01-01",
        "0000-12-31T10:00:00Z", "20261122", " 2026-11-22"}) {
    EXPECT_FALSE(npskit::is_iso8601_timestamp(text)) << text;
  }
}

}  // namespace

TEST(ParseResponseLinkFields, DefaultsTheChannelToWeb) {
  for (const char* fields : {R"("score":9)", R"("score":9,"channel":null)"}) {
    const auto parsed = parse_response(payload_with(fields));
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
    EXPECT_EQ(parsed->channel, "web");
    EXPECT_EQ(parsed->campaign, "");
    EXPECT_EQ(parsed->contact, "");
    EXPECT_EQ(parsed->sig, "");
  }
}

TEST(ParseResponseLinkFields, ReadsAPersonalLinkAnswer) {
  const auto parsed = parse_response(payload_with(
      R"("score":9,"channel":"email","campaign":"  2026-q4 ","contact":"crm-4711","sig":"Ab-_9z")"));
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  EXPECT_EQ(parsed->channel, "email");
  EXPECT_EQ(parsed->campaign, "2026-q4");
  EXPECT_EQ(parsed->contact, "crm-4711");
  EXPECT_EQ(parsed->sig, "Ab-_9z");
  // The stored JSON holds the campaign as it is compared: trimmed.
  EXPECT_NE(parsed->json.find(R"("campaign":"2026-q4")"), std::string::npos) << parsed->json;
  EXPECT_NE(parsed->json.find(R"("sig":"Ab-_9z")"), std::string::npos) << parsed->json;
  for (const char* channel : {"web", "link"}) {
    const auto other =
        parse_response(payload_with(R"("score":3,"channel":")" + std::string(channel) + "\""));
    ASSERT_TRUE(other.has_value()) << other.error().message;
    EXPECT_EQ(other->channel, channel);
  }
}

TEST(ParseResponseLinkFields, RefusesUnknownChannels) {
  expect_error(payload_with(R"("score":9,"channel":"sms")"), error_code::invalid_record,
               R"(channel: "sms" is not one of "web", "link", "email")");
  expect_error(payload_with(R"("score":9,"channel":"Email")"), error_code::invalid_record,
               R"(channel: "Email" is not one of "web", "link", "email")");
  expect_error(payload_with(R"("score":9,"channel":1)"), error_code::invalid_record,
               R"(channel: 1 is not one of "web", "link", "email")");
}

TEST(ParseResponseLinkFields, BoundsCampaignsInCharactersOnceTrimmed) {
  expect_error(payload_with(R"("score":9,"campaign":"   ")"), error_code::invalid_record,
               R"(campaign: "   " has 0 characters (expected 1 to 100 once trimmed))");
  expect_error(payload_with(R"("score":9,"campaign":["q4"])"), error_code::invalid_record,
               "campaign: expected a string, got an array");
  // 100 two-byte characters fit; 101 do not.
  std::string hundred;
  for (int i = 0; i < 100; ++i) hundred += "\xC3\xA9";
  const auto fits = parse_response(payload_with(R"("score":9,"campaign":")" + hundred + "\""));
  ASSERT_TRUE(fits.has_value()) << fits.error().message;
  EXPECT_EQ(fits->campaign, hundred);
  const auto long_one = parse_response(payload_with(R"("score":9,"campaign":")" + hundred + "e\""));
  ASSERT_FALSE(long_one.has_value());
  EXPECT_NE(long_one.error().message.find("campaign: "), std::string::npos);
  EXPECT_NE(long_one.error().message.find("has 101 characters (expected 1 to 100 once trimmed)"),
            std::string::npos)
      << long_one.error().message;
}

TEST(ParseResponseLinkFields, RefusesControlCharactersInIdentifiers) {
  expect_error(
      payload_with(R"("score":9,"contact":"a\nBcc: x")"), error_code::invalid_record,
      R"(contact: "a\nBcc: x" has a control character at character 2 (expected printable text))");
  expect_error(payload_with(R"("score":9,"campaign":"q4\u0085")"), error_code::invalid_record,
               "campaign: \"q4\xC2\x85\" has a control character at character 3 (expected "
               "printable text)");
  expect_error(payload_with(R"("score":9,"contact":"")"), error_code::invalid_record,
               R"(contact: "" has 0 characters (expected 1 to 200))");
  // Contact ids are kept exactly as sent: the signature covers them byte for byte.
  const auto spaced = parse_response(payload_with(R"("score":9,"contact":" 42 ")"));
  ASSERT_TRUE(spaced.has_value()) << spaced.error().message;
  EXPECT_EQ(spaced->contact, " 42 ");
}

TEST(ParseResponseLinkFields, RefusesSignaturesThatAreNotBase64Url) {
  const std::string expected =
      " is not a signature (expected 1 to 128 base64url characters: A-Z a-z 0-9 - _)";
  expect_error(payload_with(R"("score":9,"contact":"c1","sig":"ab+/=")"),
               error_code::invalid_record, R"(sig: "ab+/=")" + expected);
  expect_error(payload_with(R"("score":9,"contact":"c1","sig":"")"), error_code::invalid_record,
               R"(sig: "")" + expected);
  expect_error(payload_with(R"("score":9,"contact":"c1","sig":42)"), error_code::invalid_record,
               "sig: 42" + expected);
  const std::string too_long(129, 'A');
  const auto parsed =
      parse_response(payload_with(R"("score":9,"contact":"c1","sig":")" + too_long + "\""));
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().message.rfind("sig: ", 0), 0U) << parsed.error().message;
}
