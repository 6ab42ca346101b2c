// npskit.response/1 as extended for CSAT and CES: ratings next to an NPS
// score, single-metric surveys and companion answers naming their NPS answer.
#include <gtest/gtest.h>

#include <string>

#include "npskit/response.h"

namespace {

using npskit::error_code;
using npskit::parse_response;
using npskit::rating_metric;

constexpr const char* kId = "2f1c6b8e-3d7a-4c1e-9b2f-0a1b2c3d4e5f";
constexpr const char* kAnswerId = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

std::string payload_with(const std::string& fields) {
  return std::string(R"({"schema":"npskit.response/1","type":"response","id":")") + kId + R"(",)" +
         fields + "}";
}

void expect_error(const std::string& fields, error_code code, const std::string& message) {
  const auto parsed = parse_response(payload_with(fields));
  ASSERT_FALSE(parsed.has_value()) << fields;
  EXPECT_EQ(parsed.error().code, code) << parsed.error().message;
  EXPECT_EQ(parsed.error().message, message);
}

TEST(ParseRatingResponse, NpsAnswerCarriesCsatAndCes) {
  const auto parsed = parse_response(payload_with(R"("score":9,"csat":4,"ces":6)"));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_FALSE(parsed->metric);
  EXPECT_EQ(parsed->score, 9);
  EXPECT_EQ(parsed->csat, 4);
  EXPECT_EQ(parsed->ces, 6);
  EXPECT_NE(parsed->json.find(R"("csat":4)"), std::string::npos);
}

TEST(ParseRatingResponse, RatingsOffTheirScaleNameTheRange) {
  expect_error(R"("score":9,"csat":6)", error_code::invalid_score,
               "csat must be an integer from 1 to 5 (got 6)");
  expect_error(R"("score":9,"csat":0)", error_code::invalid_score,
               "csat must be an integer from 1 to 5 (got 0)");
  expect_error(R"("score":9,"ces":8)", error_code::invalid_score,
               "ces must be an integer from 1 to 7 (got 8)");
  expect_error(R"("score":9,"ces":4.5)", error_code::invalid_score,
               "ces must be an integer from 1 to 7 (got 4.5)");
  expect_error(R"("score":9,"csat":"5")", error_code::invalid_score,
               "csat must be an integer from 1 to 5 (got a string \"5\")");
}

TEST(ParseRatingResponse, StandaloneSurveyScoresOnItsScale) {
  const auto csat = parse_response(payload_with(R"("metric":"csat","score":5)"));
  ASSERT_TRUE(csat) << csat.error().message;
  EXPECT_EQ(csat->metric, rating_metric::csat);
  EXPECT_EQ(csat->score, 5);
  const auto ces = parse_response(payload_with(R"("metric":"ces","score":7)"));
  ASSERT_TRUE(ces) << ces.error().message;
  EXPECT_EQ(ces->metric, rating_metric::ces);
  expect_error(R"("metric":"csat","score":0)", error_code::invalid_score,
               "score must be an integer from 1 to 5 for metric \"csat\" (got 0)");
  expect_error(R"("metric":"csat","score":6)", error_code::invalid_score,
               "score must be an integer from 1 to 5 for metric \"csat\" (got 6)");
  expect_error(R"("metric":"csat")", error_code::invalid_score,
               "score: missing (expected an integer from 1 to 5 for metric \"csat\")");
  expect_error(R"("metric":"stars","score":4)", error_code::invalid_record,
               "metric: \"stars\" is not one of \"nps\", \"csat\", \"ces\"");
  expect_error(R"("metric":"csat","score":4,"category":"promoter")", error_code::invalid_record,
               "category: only NPS answers have a category (got \"promoter\" on a csat answer)");
  expect_error(R"("metric":"csat","score":4,"csat":4)", error_code::invalid_record,
               "csat: a csat answer carries its rating in score (got 4)");
  EXPECT_TRUE(parse_response(payload_with(R"("metric":"nps","score":10)")));
}

TEST(ParseRatingResponse, CompanionNamesTheAnswerItCompletes) {
  const auto parsed =
      parse_response(payload_with(std::string(R"("metric":"ces","score":3,"answer_id":")") +
                                  "9A8B7C6D-5E4F-4A3B-8C2D-1E0F9A8B7C6D" + "\""));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->answer_id, kAnswerId);
  EXPECT_NE(parsed->json.find(kAnswerId), std::string::npos);
  expect_error(std::string(R"("score":9,"answer_id":")") + kAnswerId + "\"",
               error_code::invalid_record,
               "answer_id: only a csat or ces companion answer names the answer it completes "
               "(expected \"metric\": \"csat\" or \"ces\")");
  expect_error(R"("metric":"csat","score":4,"answer_id":"x")", error_code::invalid_record,
               "answer_id: \"x\" is not a UUID (expected the id of the NPS answer it completes)");
  expect_error(std::string(R"("metric":"csat","score":4,"answer_id":")") + kId + "\"",
               error_code::invalid_record,
               "answer_id: names the payload's own id (expected the id of the NPS answer)");
}

TEST(ParseRatingResponse, DismissalsCarryNoRating) {
  const std::string dismissal =
      std::string(R"({"type":"dismissal","id":")") + kId + R"(","metric":"csat","csat":3})";
  const auto parsed = parse_response(dismissal);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().message, "csat: a dismissal carries no rating (got 3)");
  EXPECT_TRUE(
      parse_response(std::string(R"({"type":"dismissal","id":")") + kId + R"(","metric":"ces"})"));
}

}  // namespace
