// The summary shared by the CLI and the browser: its statistics, groups with
// significance tests, response rate, themes and the exact npskit.summary/1
// JSON (numbers, key order, optional members).
#include "npskit/summary.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace {

using npskit::aggregate;
using npskit::group_by;
using npskit::interval_method;
using npskit::record_type;
using npskit::record_view;
using npskit::summary_options;
using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;
using keys = std::vector<std::string>;

double round4(double value) { return std::round(value * 10000.0) / 10000.0; }

void add_response(aggregate& data, int score, std::string_view segment = {},
                  std::string_view timestamp = {}, std::string_view comment = {},
                  double weight = 1) {
  record_view value;
  value.score = score;
  value.segment = segment;
  value.timestamp = timestamp;
  value.comment = comment;
  value.weight = weight;
  ASSERT_TRUE(data.add(value));
}

void add_dismissal(aggregate& data) {
  record_view value;
  value.type = record_type::dismissal;
  ASSERT_TRUE(data.add(value));
}

// promoters score 10, passives 8, detractors 0.
void add_counts(aggregate& data, std::uint64_t promoters, std::uint64_t passives,
                std::uint64_t detractors, std::string_view segment = {},
                std::string_view timestamp = {}) {
  for (std::uint64_t i = 0; i < promoters; ++i) add_response(data, 10, segment, timestamp);
  for (std::uint64_t i = 0; i < passives; ++i) add_response(data, 8, segment, timestamp);
  for (std::uint64_t i = 0; i < detractors; ++i) add_response(data, 0, segment, timestamp);
}

void add_split(aggregate& data, const json& split, std::string_view segment = {},
               std::string_view timestamp = {}) {
  ASSERT_TRUE(split.is_array() && split.size() == 3 && split[0].is_number_integer() &&
              split[1].is_number_integer() && split[2].is_number_integer())
      << split;
  add_counts(data, split[0].get<std::uint64_t>(), split[1].get<std::uint64_t>(),
             split[2].get<std::uint64_t>(), segment, timestamp);
}

aggregate documented_example() {
  const std::array<int, 11> histogram = {1, 0, 2, 3, 4, 4, 6, 12, 18, 25, 25};
  aggregate data;
  for (int score = 0; score <= 10; ++score) {
    for (int i = 0; i < histogram[static_cast<std::size_t>(score)]; ++i) add_response(data, score);
  }
  return data;
}

npskit::summary summarize_ok(const aggregate& data, const summary_options& options = {},
                             std::uint64_t rejected = 0,
                             const std::vector<npskit::rejection>& rejections = {}) {
  auto summarized = npskit::summarize(data, options, rejected, rejections);
  EXPECT_TRUE(summarized.has_value()) << summarized.error().message;
  return summarized.has_value() ? summarized.value() : npskit::summary{};
}

// The adjusted-Wald options, whose tests the reference vectors list.
summary_options adjusted_wald_options() {
  summary_options options;
  options.method = interval_method::adjusted_wald;
  return options;
}

json parsed(const std::string& text) {
  json value = json::parse(text, nullptr, false);
  EXPECT_FALSE(value.is_discarded()) << text;
  return value;
}

keys keys_of(const ordered_json& object) {
  keys out;
  for (const auto& item : object.items()) out.push_back(item.key());
  return out;
}

json vector_named(const std::string& id) {
  std::ifstream file(std::string(NPSKIT_TEST_DATA_DIR) + "/nps_vectors.json");
  std::stringstream text;
  text << file.rdbuf();
  const json vectors = json::parse(text.str(), nullptr, false);
  EXPECT_FALSE(vectors.is_discarded()) << "tests/data/nps_vectors.json is not valid JSON";
  if (vectors.is_discarded()) return json();
  for (const json& item : vectors["vectors"]) {
    if (item["id"] == id) return item;
  }
  ADD_FAILURE() << "no vector " << id;
  return json();
}

TEST(Summary, DocumentedExample) {
  const json out = parsed(npskit::to_json(summarize_ok(documented_example())));
  EXPECT_EQ(out["schema"], "npskit.summary/1");
  EXPECT_EQ(out["n"], 100);
  EXPECT_EQ(out["promoters"], 50);
  EXPECT_EQ(out["passives"], 30);
  EXPECT_EQ(out["detractors"], 20);
  EXPECT_EQ(out["histogram"], json::parse("[1,0,2,3,4,4,6,12,18,25,25]"));
  EXPECT_EQ(out["nps"], 30.0);
  EXPECT_EQ(out["percent"], json::parse(R"({"promoters":50.0,"passives":30.0,"detractors":20.0})"));
  // Tango's score interval by default: it contains the NPS it is shown with.
  const json s1 = vector_named("S1");
  EXPECT_EQ(out["interval"]["method"], "tango");
  EXPECT_EQ(out["interval"]["confidence"], 0.95);
  EXPECT_EQ(std::round(out["interval"]["low"].get<double>() * 1000) / 1000, s1["tango95"][0]);
  EXPECT_EQ(std::round(out["interval"]["high"].get<double>() * 1000) / 1000, s1["tango95"][1]);
  EXPECT_FALSE(out["interval"].contains("adjusted_nps"));
  EXPECT_EQ(out["band"], "good");
  EXPECT_EQ(out["rejected"], 0);
  EXPECT_EQ(out["rejections"], json::array());
  EXPECT_EQ(out["groups"], json::array());
  EXPECT_EQ(out["themes"], json::parse(R"({"promoters":[],"passives":[],"detractors":[]})"));
  EXPECT_FALSE(out.contains("by"));
  EXPECT_FALSE(out.contains("dismissals"));
  EXPECT_FALSE(out.contains("response_rate"));
  EXPECT_FALSE(out.contains("n_effective"));
  EXPECT_FALSE(out.contains("weighted_nps"));
}

TEST(Summary, AnAdjustedWaldIntervalComesWithTheEstimateItIsCentredOn) {
  const json out =
      parsed(npskit::to_json(summarize_ok(documented_example(), adjusted_wald_options())));
  EXPECT_EQ(out["interval"]["method"], "adjusted-wald");
  EXPECT_EQ(round4(out["interval"]["low"].get<double>()), 14.0511);
  EXPECT_EQ(round4(out["interval"]["high"].get<double>()), 44.2013);
  EXPECT_EQ(round4(out["interval"]["se"].get<double>()), 7.6915);
  EXPECT_EQ(round4(out["interval"]["adjusted_nps"].get<double>()), 29.1262);
  EXPECT_EQ(out["nps"], 30.0);

  // One promoter: NPS 100, an interval that leaves 100 out, around NPS' 25.
  aggregate one;
  add_response(one, 10);
  const json single = parsed(npskit::to_json(summarize_ok(one, adjusted_wald_options())));
  EXPECT_EQ(single["nps"], 100.0);
  EXPECT_LT(single["interval"]["high"].get<double>(), 100.0);
  EXPECT_EQ(single["interval"]["adjusted_nps"], 25.0);
  EXPECT_LE(single["interval"]["low"].get<double>(), 25.0);
  EXPECT_GE(single["interval"]["high"].get<double>(), 25.0);
}

TEST(Summary, TheDefaultIntervalContainsTheScoreItIsShownWith) {
  for (const npskit::counts split :
       {npskit::counts{1, 0, 0}, npskit::counts{0, 0, 1}, npskit::counts{0, 1, 0},
        npskit::counts{2, 0, 1}, npskit::counts{40, 0, 0}, npskit::counts{3, 1, 0},
        npskit::counts{0, 2, 7}, npskit::counts{50, 30, 20}}) {
    aggregate data;
    add_counts(data, split.promoters, split.passives, split.detractors);
    const npskit::summary value = summarize_ok(data);
    SCOPED_TRACE(value.overall.nps);
    EXPECT_LE(value.overall.interval.low, value.overall.nps);
    EXPECT_GE(value.overall.interval.high, value.overall.nps);
  }
}

TEST(Summary, CompactTextMatchesTheDocumentedShape) {
  const std::string text =
      npskit::to_json(summarize_ok(documented_example(), adjusted_wald_options()));
  const std::string start =
      R"({"schema":"npskit.summary/1","n":100,"promoters":50,"passives":30,"detractors":20,)"
      R"("histogram":[1,0,2,3,4,4,6,12,18,25,25],"nps":30.0,)"
      R"("percent":{"promoters":50.0,"passives":30.0,"detractors":20.0},)"
      R"("interval":{"method":"adjusted-wald","confidence":0.95,"low":14.05)";
  EXPECT_EQ(text.substr(0, start.size()), start);
  EXPECT_EQ(text.find('\n'), std::string::npos);
}

TEST(Summary, NumbersRoundTripAtFullPrecision) {
  const npskit::summary value = summarize_ok(documented_example());
  const json out = parsed(npskit::to_json(value));
  EXPECT_EQ(out["interval"]["low"].get<double>(), value.overall.interval.low);
  EXPECT_EQ(out["interval"]["high"].get<double>(), value.overall.interval.high);
  EXPECT_EQ(out["interval"]["se"].get<double>(), value.overall.interval.se);
}

TEST(Summary, PrettyPrintingChangesOnlyTheLayout) {
  const npskit::summary value = summarize_ok(documented_example());
  const std::string pretty = npskit::to_json(value, 2);
  EXPECT_NE(pretty.find("\n  \"n\": 100,"), std::string::npos) << pretty;
  EXPECT_EQ(parsed(pretty), parsed(npskit::to_json(value)));
}

TEST(Summary, KeysComeInTheDocumentedOrder) {
  aggregate data(group_by::segment);
  add_response(data, 10, "pro", {}, "great support", 2);
  add_response(data, 9, "pro", {}, "great support");
  add_response(data, 3, "free", {}, "price");
  add_response(data, 7, "free");
  add_dismissal(data);
  const ordered_json out = ordered_json::parse(
      npskit::to_json(summarize_ok(data, {}, 1, {{4, "score \"x\"", ""}})), nullptr, false);
  ASSERT_FALSE(out.is_discarded());
  EXPECT_EQ(
      keys_of(out),
      (keys{"schema",         "n",           "promoters",    "passives",          "detractors",
            "histogram",      "nps",         "percent",      "interval",          "band",
            "interval_bands", "n_effective", "weighted_nps", "weighted_interval", "rejected",
            "rejections",     "by",          "dismissals",   "response_rate",     "groups",
            "themes"}));
  EXPECT_EQ(keys_of(out["percent"]), (keys{"promoters", "passives", "detractors"}));
  EXPECT_EQ(keys_of(out["interval"]), (keys{"method", "confidence", "low", "high", "se"}));
  EXPECT_EQ(keys_of(out["weighted_interval"]), (keys{"method", "confidence", "low", "high", "se"}));
  EXPECT_EQ(keys_of(out["rejections"][0]), (keys{"line", "reason", "text"}));
  ASSERT_EQ(out["groups"].size(), 2u);
  EXPECT_EQ(keys_of(out["groups"][1]),
            (keys{"key", "n", "promoters", "passives", "detractors", "histogram", "nps", "percent",
                  "interval", "band", "interval_bands", "n_effective", "weighted_nps",
                  "weighted_interval", "versus"}));
  EXPECT_EQ(keys_of(out["groups"][1]["versus"]),
            (keys{"reference", "reference_nps", "diff", "adjusted_diff", "se", "z", "p_value",
                  "method", "significant", "weighted"}));
  EXPECT_EQ(keys_of(out["themes"]), (keys{"promoters", "passives", "detractors"}));
  ASSERT_FALSE(out["themes"]["promoters"].empty());
  EXPECT_EQ(keys_of(out["themes"]["promoters"][0]), (keys{"term", "count", "score", "examples"}));
}

TEST(Summary, WeightedAnswersAddTheWeightedEstimate) {
  aggregate data;
  add_response(data, 10, {}, {}, {}, 2);
  add_response(data, 9, {}, {}, {}, 2);
  add_response(data, 8, {}, {}, {}, 1);
  add_response(data, 0, {}, {}, {}, 1);
  const npskit::summary value = summarize_ok(data);
  ASSERT_TRUE(value.overall.weighted.has_value());
  const json out = parsed(npskit::to_json(value));
  // (4 - 1) / 6 weighted; Kish n_eff = 6^2 / (4 + 4 + 1 + 1).
  EXPECT_DOUBLE_EQ(out["weighted_nps"].get<double>(), 50.0);
  EXPECT_DOUBLE_EQ(out["n_effective"].get<double>(), 3.6);
  EXPECT_EQ(out["nps"], 25.0);
  EXPECT_EQ(out["n"], 4);
  // The weighted interval: the method's interval for the weighted shares
  // (2/3 promoters, 1/6 detractors) as if they came from n_eff answers.
  const json& range = out["weighted_interval"];
  EXPECT_EQ(range["method"], "tango");
  EXPECT_EQ(range["low"].get<double>(), value.overall.weighted->interval.low);
  EXPECT_EQ(range["high"].get<double>(), value.overall.weighted->interval.high);
  EXPECT_LT(range["low"].get<double>(), 50.0);
  EXPECT_GT(range["high"].get<double>(), 50.0);
  summary_options wald;
  wald.method = interval_method::wald;
  const json by_wald = parsed(npskit::to_json(summarize_ok(data, wald)));
  // V = 2/3 + 1/6 - (1/2)^2 = 7/12; SE = 100 sqrt(V / 3.6).
  const double se = 100 * std::sqrt(7.0 / 12 / 3.6);
  EXPECT_NEAR(by_wald["weighted_interval"]["se"].get<double>(), se, 1e-12);
  EXPECT_NEAR(by_wald["weighted_interval"]["low"].get<double>(), 50 - 1.959963984540054 * se, 1e-9);
}

TEST(Summary, AllZeroWeightsLeaveOnlyTheUnweightedStatistics) {
  aggregate data;
  add_response(data, 10, {}, {}, {}, 0);
  add_response(data, 3, {}, {}, {}, 0);
  const npskit::summary value = summarize_ok(data);
  EXPECT_FALSE(value.overall.weighted.has_value());
  const json out = parsed(npskit::to_json(value));
  EXPECT_FALSE(out.contains("weighted_nps"));
  EXPECT_EQ(out["nps"], 0.0);
}

TEST(Summary, ResponseRateWhenThereAreDismissals) {
  aggregate data;
  add_counts(data, 2, 0, 1);
  add_dismissal(data);
  const npskit::summary value = summarize_ok(data);
  ASSERT_TRUE(value.response_rate.has_value());
  EXPECT_DOUBLE_EQ(*value.response_rate, 0.75);
  const json out = parsed(npskit::to_json(value));
  EXPECT_EQ(out["dismissals"], 1);
  EXPECT_EQ(out["response_rate"], 0.75);
  EXPECT_EQ(out["n"], 3);

  aggregate only_dismissals;
  add_dismissal(only_dismissals);
  const json nobody = parsed(npskit::to_json(summarize_ok(only_dismissals)));
  EXPECT_EQ(nobody["response_rate"], 0.0);
  EXPECT_EQ(nobody["n"], 0);
}

TEST(Summary, SegmentsAreTestedAgainstTheRest) {
  const json pair = vector_named("P1");
  aggregate data(group_by::segment);
  add_split(data, pair["a"], "a");
  add_split(data, pair["b"], "b");
  const json out = parsed(npskit::to_json(summarize_ok(data, adjusted_wald_options())));
  EXPECT_EQ(out["by"], "segment");
  ASSERT_EQ(out["groups"].size(), 2u);
  const json& a = out["groups"][0];
  const json& b = out["groups"][1];
  EXPECT_EQ(a["key"], "a");
  EXPECT_EQ(a["nps"], pair["nps_a"]);
  EXPECT_EQ(b["nps"], pair["nps_b"]);
  EXPECT_EQ(a["versus"]["method"], "adjusted-wald");
  EXPECT_EQ(a["versus"]["reference"], "rest");
  EXPECT_EQ(a["versus"]["reference_nps"], pair["nps_b"]);
  EXPECT_EQ(a["versus"]["diff"], a["nps"].get<double>() - b["nps"].get<double>());
  EXPECT_EQ(a["versus"]["weighted"], false);
  EXPECT_EQ(round4(a["versus"]["adjusted_diff"].get<double>()), pair["adjwald"]["diff"]);
  EXPECT_EQ(round4(a["versus"]["se"].get<double>()), pair["adjwald"]["se"]);
  EXPECT_EQ(round4(a["versus"]["z"].get<double>()), pair["adjwald"]["z"]);
  EXPECT_EQ(round4(a["versus"]["p_value"].get<double>()), pair["adjwald"]["p2"]);
  EXPECT_EQ(round4(b["versus"]["adjusted_diff"].get<double>()),
            -pair["adjwald"]["diff"].get<double>());
  EXPECT_EQ(round4(b["versus"]["p_value"].get<double>()), pair["adjwald"]["p2"]);
  EXPECT_EQ(a["versus"]["significant"], pair["adjwald"]["p2"].get<double>() < 0.05);

  summary_options wald;
  wald.method = interval_method::wald;
  const json tested = parsed(npskit::to_json(summarize_ok(data, wald)));
  const json& versus = tested["groups"][0]["versus"];
  EXPECT_EQ(versus["method"], "wald");
  EXPECT_EQ(round4(versus["diff"].get<double>()), pair["wald"]["diff"]);
  EXPECT_EQ(round4(versus["se"].get<double>()), pair["wald"]["se"]);
  EXPECT_EQ(round4(versus["z"].get<double>()), pair["wald"]["z"]);
  EXPECT_EQ(round4(versus["p_value"].get<double>()), pair["wald"]["p2"]);
  EXPECT_FALSE(versus.contains("adjusted_diff"));
  EXPECT_EQ(tested["interval"]["method"], "wald");
}

TEST(Summary, TheRestIsEveryOtherSegmentTogether) {
  aggregate data(group_by::segment);
  add_counts(data, 30, 10, 10, "a");
  add_counts(data, 5, 10, 15, "b");
  add_counts(data, 10, 5, 5, "c");
  const npskit::summary value = summarize_ok(data, adjusted_wald_options());
  ASSERT_EQ(value.groups.size(), 3u);
  ASSERT_TRUE(value.groups[0].versus.has_value());
  const auto expected = npskit::compare_groups(
      npskit::counts{30, 10, 10}, npskit::counts{15, 15, 20}, interval_method::adjusted_wald);
  ASSERT_TRUE(expected.has_value());
  EXPECT_EQ(value.groups[0].versus->test.diff, expected->diff);
  EXPECT_EQ(value.groups[0].versus->test.adjusted_diff, expected->adjusted_diff);
  EXPECT_EQ(value.groups[0].versus->test.se, expected->se);
  EXPECT_EQ(value.groups[0].versus->test.p_value, expected->p_value);
  EXPECT_EQ(value.groups[0].versus->reference_nps, npskit::nps(npskit::counts{15, 15, 20}));
}

TEST(Summary, OneSegmentHasNothingToCompareWith) {
  aggregate data(group_by::segment);
  add_counts(data, 3, 1, 1, "only");
  const json out = parsed(npskit::to_json(summarize_ok(data)));
  ASSERT_EQ(out["groups"].size(), 1u);
  EXPECT_TRUE(out["groups"][0]["versus"].is_null());
}

TEST(Summary, TangoIntervalsUseAdjustedWaldTests) {
  aggregate data(group_by::segment);
  add_counts(data, 50, 30, 20, "a");
  add_counts(data, 40, 35, 25, "b");
  summary_options tango;
  tango.method = interval_method::tango;
  const json out = parsed(npskit::to_json(summarize_ok(data, tango)));
  EXPECT_EQ(out["interval"]["method"], "tango");
  EXPECT_EQ(out["groups"][0]["interval"]["method"], "tango");
  EXPECT_EQ(out["groups"][0]["versus"]["method"], "adjusted-wald");
  const json s1 = vector_named("S1");
  EXPECT_EQ(std::round(out["groups"][0]["interval"]["low"].get<double>() * 1000) / 1000,
            s1["tango95"][0]);
  EXPECT_EQ(std::round(out["groups"][0]["interval"]["high"].get<double>() * 1000) / 1000,
            s1["tango95"][1]);
}

TEST(Summary, PeriodsAreTestedAgainstThePreviousPeriod) {
  const json pair = vector_named("P1");
  aggregate data(group_by::month);
  add_split(data, pair["b"], {}, "2026-02-10");
  add_split(data, pair["a"], {}, "2026-01-31T23:00:00Z");
  const json out = parsed(npskit::to_json(summarize_ok(data, adjusted_wald_options())));
  EXPECT_EQ(out["by"], "month");
  ASSERT_EQ(out["groups"].size(), 2u);
  EXPECT_EQ(out["groups"][0]["key"], "2026-01");
  EXPECT_EQ(out["groups"][1]["key"], "2026-02");
  EXPECT_TRUE(out["groups"][0]["versus"].is_null());
  // February against January: b - a.
  const json& february = out["groups"][1]["versus"];
  EXPECT_EQ(february["reference"], "previous");
  EXPECT_EQ(february["reference_key"], "2026-01");
  EXPECT_EQ(february["reference_nps"], pair["nps_a"]);
  EXPECT_EQ(february["diff"], pair["nps_b"].get<double>() - pair["nps_a"].get<double>());
  EXPECT_EQ(round4(february["adjusted_diff"].get<double>()),
            -pair["adjwald"]["diff"].get<double>());
  EXPECT_EQ(round4(out["groups"][1]["versus"]["p_value"].get<double>()), pair["adjwald"]["p2"]);
}

TEST(Summary, GroupStatisticsAreTheirOwn) {
  aggregate data(group_by::segment);
  add_counts(data, 50, 30, 20, "a");
  add_counts(data, 0, 5, 20, "b");
  const json out = parsed(npskit::to_json(summarize_ok(data, adjusted_wald_options())));
  const json& b = out["groups"][1];
  EXPECT_EQ(b["n"], 25);
  EXPECT_EQ(b["nps"], -80.0);
  EXPECT_EQ(b["band"], "negative");
  EXPECT_EQ(round4(b["interval"]["low"].get<double>()), -90.2298);
  EXPECT_EQ(round4(b["interval"]["high"].get<double>()), -52.6273);
  EXPECT_EQ(b["histogram"], json::parse("[20,0,0,0,0,0,0,0,5,0,0]"));
  EXPECT_EQ(out["n"], 125);
}

TEST(Summary, RejectionsArePassedThrough) {
  aggregate data;
  add_counts(data, 1, 0, 0);
  const json out = parsed(npskit::to_json(summarize_ok(
      data, {}, 7, {{3, "score \"11\" is outside 0..10", "11"}, {9, "empty score", ""}})));
  EXPECT_EQ(out["rejected"], 7);
  EXPECT_EQ(out["rejections"],
            json::parse(R"([{"line":3,"reason":"score \"11\" is outside 0..10","text":"11"},)"
                        R"({"line":9,"reason":"empty score","text":""}])"));
}

TEST(Summary, ThemesPerCategory) {
  aggregate data;
  add_response(data, 10, {}, {}, "Great support");
  add_response(data, 9, {}, {}, "support rocks");
  add_response(data, 1, {}, {}, "price too high");
  add_response(data, 2, {}, {}, "high price");
  const json out = parsed(npskit::to_json(summarize_ok(data)));
  ASSERT_EQ(out["themes"]["promoters"].size(), 1u);
  const json& support = out["themes"]["promoters"][0];
  EXPECT_EQ(support["term"], "support");
  EXPECT_EQ(support["count"], 2);
  EXPECT_GT(support["score"].get<double>(), 0);
  EXPECT_EQ(support["examples"], json::parse(R"(["Great support","support rocks"])"));
  ASSERT_EQ(out["themes"]["detractors"].size(), 2u);
  EXPECT_EQ(out["themes"]["detractors"][0]["term"], "high");
  EXPECT_EQ(out["themes"]["detractors"][1]["term"], "price");

  summary_options none;
  none.themes_per_category = 0;
  const json without = parsed(npskit::to_json(summarize_ok(data, none)));
  EXPECT_EQ(without["themes"], json::parse(R"({"promoters":[],"passives":[],"detractors":[]})"));
}

TEST(Summary, NoAnswersGiveNoScoreIntervalBandOrShares) {
  for (const interval_method method :
       {interval_method::wald, interval_method::adjusted_wald, interval_method::tango}) {
    summary_options options;
    options.method = method;
    const std::string text = npskit::to_json(summarize_ok(aggregate(group_by::week), options));
    const json out = parsed(text);
    EXPECT_EQ(out["n"], 0);
    EXPECT_TRUE(out["nps"].is_null()) << text;
    EXPECT_TRUE(out["percent"].is_null()) << text;
    EXPECT_TRUE(out["interval"].is_null()) << text;
    EXPECT_TRUE(out["band"].is_null()) << text;
    EXPECT_EQ(out["histogram"], json::parse("[0,0,0,0,0,0,0,0,0,0,0]"));
    EXPECT_EQ(out["by"], "week");
    EXPECT_EQ(out["groups"], json::array());
  }
}

TEST(Summary, InvalidUtf8InUserTextBecomesReplacementCharacters) {
  aggregate data(group_by::segment);
  add_response(data, 10, "caf\xE9", {}, "bad \xFF bytes \xFF bytes");
  add_response(data, 9, "caf\xE9", {}, "more bytes");
  const std::string text = npskit::to_json(summarize_ok(data));
  const json out = parsed(text);
  EXPECT_EQ(out["groups"][0]["key"], "caf\xEF\xBF\xBD");
  EXPECT_EQ(out["themes"]["promoters"][0]["examples"][0],
            "bad \xEF\xBF\xBD bytes \xEF\xBF\xBD bytes");
}

TEST(Summary, ConfidenceAndBandsComeFromTheOptions) {
  summary_options options;
  options.confidence = 0.9;
  const auto bands = npskit::parse_bands("below:-100,target:25");
  ASSERT_TRUE(bands.has_value());
  options.bands = bands.value();
  const npskit::summary value = summarize_ok(documented_example(), options);
  const auto expected =
      npskit::compute_interval(npskit::counts{50, 30, 20}, interval_method::tango, 0.9);
  ASSERT_TRUE(expected.has_value());
  const json out = parsed(npskit::to_json(value));
  EXPECT_EQ(out["interval"]["confidence"], 0.9);
  EXPECT_EQ(out["interval"]["low"].get<double>(), expected->low);
  EXPECT_EQ(out["interval"]["high"].get<double>(), expected->high);
  EXPECT_EQ(out["band"], "target");
}

TEST(Summary, InvalidConfidenceIsAnError) {
  summary_options options;
  options.confidence = 1.5;
  const auto summarized = npskit::summarize(documented_example(), options);
  ASSERT_FALSE(summarized.has_value());
  EXPECT_EQ(summarized.error().code, npskit::error_code::invalid_confidence);
  EXPECT_FALSE(npskit::summarize_tally(npskit::tally{}, options).has_value());
}

// Folding for summaries shown to others: the rule the collector's public
// summary and the widget's live panel share.
TEST(Summary, SmallGroupsAreFoldedWithTheSmallestOthersUntilTheyHideEachOther) {
  aggregate data(group_by::segment);
  add_counts(data, 6, 2, 2, "large");
  add_counts(data, 5, 2, 2, "middle");
  add_counts(data, 1, 1, 1, "tiny");
  summary_options options;
  options.fold_groups_below = 5;
  const json out = parsed(npskit::to_json(summarize_ok(data, options)));
  // "tiny" (3) alone could be read off as the overall minus the others, so
  // the smallest other group, "middle" (9), goes with it.
  ASSERT_EQ(out["groups"].size(), 1u);
  EXPECT_EQ(out["groups"][0]["key"], "large");
  EXPECT_EQ(out["folded"], json::parse(R"({"min_group":5,"groups":2,"answers":12})"));
  // The overall keeps every answer.
  EXPECT_EQ(out["n"], 22);

  const json unfolded = parsed(npskit::to_json(summarize_ok(data, summary_options{})));
  EXPECT_EQ(unfolded["groups"].size(), 3u);
  EXPECT_FALSE(unfolded.contains("folded"));
}

TEST(Summary, APeriodAfterAFoldedOneIsNotComparedWithIt) {
  aggregate data(group_by::month);
  add_counts(data, 6, 2, 2, {}, "2026-01-10");
  add_counts(data, 1, 1, 0, {}, "2026-02-10");
  add_counts(data, 3, 3, 4, {}, "2026-03-10");
  add_counts(data, 5, 3, 2, {}, "2026-04-10");
  summary_options options;
  options.fold_groups_below = 5;
  const json out = parsed(npskit::to_json(summarize_ok(data, options)));
  // February (2) goes, and with it January, the smallest other (10 ties
  // with March and April; the first is taken).
  ASSERT_EQ(out["groups"].size(), 2u);
  EXPECT_EQ(out["groups"][0]["key"], "2026-03");
  EXPECT_EQ(out["groups"][1]["key"], "2026-04");
  // March was compared with February, which is folded: the difference would
  // describe it. April against March stays.
  EXPECT_TRUE(out["groups"][0]["versus"].is_null());
  EXPECT_EQ(out["groups"][1]["versus"]["reference_key"], "2026-03");
  EXPECT_EQ(out["folded"]["answers"], 12);
}

}  // namespace
