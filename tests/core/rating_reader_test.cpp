// CSAT and CES through the readers and the summary: rating columns and keys,
// rating-only rows, single-metric payloads and companions joined to the NPS
// answer they complete.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "npskit/aggregate.h"
#include "npskit/reader.h"
#include "npskit/summary.h"

namespace npskit {
namespace {

struct read_result {
  aggregate data;
  std::vector<rejection> rejections;
  std::uint64_t records = 0;
};

read_result read_all(const std::string& text, reader_options options, group_by by,
                     std::size_t chunk = 0) {
  read_result out{aggregate(by, false), {}, 0};
  auto created =
      reader::create(options, [&](const record_view& record) { return out.data.add(record); });
  EXPECT_TRUE(created);
  reader& input = created.value();
  if (chunk == 0) {
    EXPECT_TRUE(input.push(text));
  } else {
    for (std::size_t at = 0; at < text.size(); at += chunk) {
      EXPECT_TRUE(input.push(text.substr(at, chunk)));
    }
  }
  EXPECT_TRUE(input.finish());
  out.rejections = input.rejections();
  out.records = input.records();
  return out;
}

nlohmann::json summary_json(const aggregate& data) {
  return nlohmann::json::parse(to_json(summarize(data, summary_options{}).value()));
}

TEST(RatingReader, CsvColumnsByDefaultNameAndRatingOnlyRows) {
  const std::string csv = "score,csat,ces,segment\n9,5,6,a\n3,2,,a\n,4,,b\n,,7,b\n7,6,,a\n,,,b\n";
  const read_result result = read_all(csv, reader_options{}, group_by::none);
  EXPECT_EQ(result.data.overall().n(), 2U) << "rating-only rows are not NPS answers";
  EXPECT_EQ(result.data.ratings().overall().csat.n(), 3U);
  EXPECT_EQ(result.data.ratings().overall().ces.n(), 2U);
  ASSERT_EQ(result.rejections.size(), 2U);
  EXPECT_EQ(result.rejections[0].reason, "line 6: csat \"6\" must be an integer from 1 to 5");
  EXPECT_EQ(result.rejections[1].reason, "line 7: score is empty");
}

TEST(RatingReader, NamedColumnsMustExist) {
  reader_options options;
  options.csat_column = "Satisfaction";
  const read_result found = read_all("score;Satisfaction\n10;4\n", options, group_by::none);
  EXPECT_EQ(found.data.ratings().overall().csat.top(), 1U);
  auto created = reader::create(options, [](const record_view&) { return status(ok{}); });
  ASSERT_TRUE(created);
  const status pushed = created->push("score,satisfied\n9,5\n");
  const status finished = pushed ? created->finish() : pushed;
  ASSERT_FALSE(finished);
  EXPECT_EQ(finished.error().code, error_code::missing_column);
  EXPECT_NE(finished.error().message.find("(the CSAT column)"), std::string::npos)
      << finished.error().message;
}

TEST(RatingReader, CsatOnlyFileNeedsNoScoreColumn) {
  const read_result result = read_all("csat\n5\n4\n1\n", reader_options{}, group_by::none);
  EXPECT_EQ(result.data.overall().n(), 0U);
  const nlohmann::json summary = summary_json(result.data);
  EXPECT_EQ(summary["n"], 0);
  EXPECT_TRUE(summary["nps"].is_null());
  EXPECT_EQ(summary["csat"]["n"], 3);
  EXPECT_DOUBLE_EQ(summary["csat"]["share"].get<double>(), 200.0 / 3);
  EXPECT_FALSE(summary.contains("ces")) << "no CES answers, no CES block";
}

const std::string payloads =
    R"({"id":"11111111-1111-4111-8111-111111111111","score":9,"segment":"web"})"
    "\n"
    R"({"id":"22222222-2222-4222-8222-222222222222","metric":"csat","score":5,)"
    R"("answer_id":"11111111-1111-4111-8111-111111111111"})"
    "\n"
    R"({"id":"33333333-3333-4333-8333-333333333333","metric":"ces","score":2,"segment":"app"})"
    "\n"
    R"({"id":"44444444-4444-4444-8444-444444444444","score":4,"segment":"app","csat":"2"})"
    "\n"
    R"({"id":"55555555-5555-4555-8555-555555555555","metric":"csat","score":0,"segment":"app"})"
    "\n"
    R"({"id":"66666666-6666-4666-8666-666666666666","metric":"csat","score":4,)"
    R"("answer_id":"77777777-7777-4777-8777-777777777777","segment":"app"})"
    "\n"
    R"({"id":"77777777-7777-4777-8777-777777777777","score":10,"segment":"web"})"
    "\n";

TEST(RatingReader, CompanionsJoinTheirAnswerAndAreNoNpsAnswers) {
  reader_options options;
  options.format = input_format::jsonl;
  for (const std::size_t chunk : {std::size_t{0}, std::size_t{1}, std::size_t{7}}) {
    SCOPED_TRACE(chunk);
    const read_result result = read_all(payloads, options, group_by::segment, chunk);
    EXPECT_EQ(result.data.overall().n(), 3U);
    ASSERT_EQ(result.rejections.size(), 1U);
    EXPECT_EQ(result.rejections[0].reason, "line 5: csat 0 must be an integer from 1 to 5");
    const nlohmann::json summary = summary_json(result.data);
    EXPECT_EQ(summary["csat"]["n"], 3);
    const nlohmann::json& groups = summary["csat"]["groups"];
    ASSERT_EQ(groups.size(), 2U);
    EXPECT_EQ(groups[0]["key"], "app");
    EXPECT_EQ(groups[0]["histogram"], nlohmann::json::parse("[0,1,0,0,0]"));
    // Both companions join their web answers: the one read before its
    // answer too, although it names segment "app" itself.
    EXPECT_EQ(groups[1]["key"], "web");
    EXPECT_EQ(groups[1]["histogram"], nlohmann::json::parse("[0,0,0,1,1]"));
    EXPECT_EQ(summary["ces"]["groups"][0]["key"], "app");
    EXPECT_EQ(summary["ces"]["groups"][1]["n"], 0);
    EXPECT_TRUE(summary["ces"]["groups"][1]["share"].is_null());
  }
}

TEST(RatingReader, MergedAggregatesJoinAcrossParts) {
  reader_options options;
  options.format = input_format::jsonl;
  const std::size_t split = payloads.find('\n') + 1;
  read_result first = read_all(payloads.substr(split), options, group_by::segment);
  const read_result second = read_all(payloads.substr(0, split), options, group_by::segment);
  ASSERT_TRUE(first.data.merge(second.data));
  const nlohmann::json summary = summary_json(first.data);
  EXPECT_EQ(summary["csat"]["groups"][1]["key"], "web");
  EXPECT_EQ(summary["csat"]["groups"][1]["n"], 2);
}

TEST(RatingReader, AnIdReadTwiceJoinsTheAnswerReadLast) {
  const std::string csv =
      "id,answer_id,score,csat,segment\n"
      "a1,,9,,web\n"
      "c1,A1,,5,app\n"
      "c2,zz,,2,app\n"
      "a1,,7,,shop\n";
  for (const std::size_t chunk : {std::size_t{0}, std::size_t{3}}) {
    SCOPED_TRACE(chunk);
    const read_result result = read_all(csv, reader_options{}, group_by::segment, chunk);
    EXPECT_EQ(result.data.ratings().companions(), 2U);
    EXPECT_EQ(result.data.ratings().joined(), 1U) << "ids match ignoring case; zz is no answer";
    const std::map<std::string, rating_pair> groups = result.data.ratings().groups();
    ASSERT_EQ(groups.size(), 2U);
    EXPECT_EQ(groups.at("shop").csat.n(), 1U) << "the companion joins the answer read last";
    EXPECT_EQ(groups.at("app").csat.n(), 1U) << "an unmatched companion keeps its own segment";
  }
}

TEST(RatingReader, PeriodTrendTestsAgainstThePreviousPeriod) {
  const std::string csv =
      "date,csat\n2026-01-05,5\n2026-01-06,4\n2026-01-07,5\n2026-02-02,2\n2026-02-03,1\n"
      "2026-02-04,3\n";
  const read_result result = read_all(csv, reader_options{}, group_by::month);
  const nlohmann::json summary = summary_json(result.data);
  const nlohmann::json& groups = summary["csat"]["groups"];
  ASSERT_EQ(groups.size(), 2U);
  EXPECT_TRUE(groups[0]["versus"].is_null());
  EXPECT_EQ(groups[1]["versus"]["reference"], "previous");
  EXPECT_EQ(groups[1]["versus"]["reference_key"], "2026-01");
  EXPECT_DOUBLE_EQ(groups[1]["versus"]["share"]["diff"].get<double>(), -100.0);
  EXPECT_DOUBLE_EQ(groups[1]["versus"]["mean"]["diff"].get<double>(), -8.0 / 3);
  EXPECT_EQ(groups[1]["versus"]["mean"]["test"], "welch");
}

}  // namespace
// The minimum group size holds for CSAT and CES groups as for NPS groups: a
// group with fewer ratings is listed, not tested, and no period is compared
// with it.
TEST(RatingReader, RatingGroupsBelowTheMinimumAreNotTested) {
  const std::string csv =
      "csat,date\n5,2026-01-05\n5,2026-01-06\n4,2026-01-07\n1,2026-02-03\n"
      "2,2026-03-02\n1,2026-03-03\n2,2026-03-04\n";
  const read_result result = read_all(csv, reader_options{}, group_by::month);
  summary_options options;
  options.min_group_size = 2;
  const nlohmann::json summary =
      nlohmann::json::parse(to_json(summarize(result.data, options).value()));
  const nlohmann::json& groups = summary["csat"]["groups"];
  ASSERT_EQ(groups.size(), 3U);
  EXPECT_EQ(groups[1]["key"], "2026-02");
  EXPECT_EQ(groups[1]["below_minimum"], true);
  EXPECT_TRUE(groups[1]["versus"].is_null()) << groups[1];
  // March goes against January, the last period large enough.
  EXPECT_EQ(groups[2]["below_minimum"], false);
  EXPECT_EQ(groups[2]["versus"]["reference_key"], "2026-01");

  const nlohmann::json untested = summary_json(result.data);
  EXPECT_FALSE(untested["csat"]["groups"][1].contains("below_minimum"));
  EXPECT_FALSE(untested["csat"]["groups"][1]["versus"].is_null()) << "tested without a minimum";
}

}  // namespace npskit
