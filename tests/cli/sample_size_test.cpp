// `npskit sample-size`: margin and difference planning.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "npskit_process.h"

namespace npskit_test {
namespace {

using nlohmann::json;

// Two-sided 95% and one-sided 80% standard normal quantiles.
constexpr double z_95 = 1.959963984540054;
constexpr double z_power_80 = 0.8416212335729143;

json sample_size_json(const std::vector<std::string>& args) {
  std::vector<std::string> full{"sample-size", "--json"};
  full.insert(full.end(), args.begin(), args.end());
  const run_result run = run_npskit(full);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const json parsed = parse_json(run.out);
  EXPECT_TRUE(parsed.is_object()) << run.out;
  return parsed.is_object() ? parsed : json::object();
}

TEST(SampleSize, WorstCaseAtFivePoints) {
  const double unrounded = z_95 * z_95 / (0.05 * 0.05);  // 1536.6
  const json wald = sample_size_json({"--margin", "5", "--method", "wald"});
  EXPECT_EQ(wald["n"], static_cast<std::uint64_t>(std::ceil(unrounded)));
  EXPECT_EQ(wald["n"], 1537);
  EXPECT_DOUBLE_EQ(wald["variance"].get<double>(), 1.0);
  EXPECT_EQ(wald["method"], "wald");

  EXPECT_LE(wald["half_width"].get<double>(), 5.0);

  // Adjusted Wald's interval at n is that of n + 3 answers pulled towards an
  // even split, a little narrower on the worst case.
  const json adjusted = sample_size_json({"--margin", "5"});
  EXPECT_EQ(adjusted["method"], "adjusted-wald");
  EXPECT_LT(adjusted["n"].get<std::uint64_t>(), 1537u);
  EXPECT_GT(adjusted["n"].get<std::uint64_t>(), 1525u);
  EXPECT_LE(adjusted["half_width"].get<double>(), 5.0);
}

// Half the width of the interval `npskit summarize` prints for these counts.
double summarized_half_width(std::uint64_t promoters, std::uint64_t passives,
                             std::uint64_t detractors, const std::string& method,
                             const std::string& confidence) {
  const std::string counts =
      std::to_string(promoters) + "," + std::to_string(passives) + "," + std::to_string(detractors);
  const run_result run = run_npskit(
      {"summarize", "--json", "--counts", counts, "--method", method, "--confidence", confidence});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const json summary = parse_json(run.out);
  if (!summary.is_object() || !summary.contains("interval")) {
    ADD_FAILURE() << run.out;
    return 0;
  }
  return (summary["interval"]["high"].get<double>() - summary["interval"]["low"].get<double>()) /
         2.0;
}

// Unanimous splits scale to whole counts at every n, so the command's own
// summary can check the plan: at n the interval is within the margin, at
// n - 1 it is not (the planner used to answer 0 for all promoters).
TEST(SampleSize, ThePlannedNGivesTheMarginInTheCommandsOwnSummary) {
  struct split {
    const char* expect;
    std::uint64_t promoters, passives, detractors;
  };
  const split splits[] = {{"1,0,0", 1, 0, 0}, {"0,1,0", 0, 1, 0}, {"0,0,1", 0, 0, 1}};
  for (const char* method : {"adjusted-wald", "tango"}) {
    for (const char* confidence : {"0.9", "0.95"}) {
      for (const split& item : splits) {
        for (const char* margin : {"3", "5", "10"}) {
          const json plan = sample_size_json({"--margin", margin, "--method", method,
                                              "--confidence", confidence, "--expect", item.expect});
          const std::uint64_t n = plan["n"].get<std::uint64_t>();
          const std::string label = std::string(method) + " " + confidence + " " + item.expect +
                                    " +-" + margin + ": n = " + std::to_string(n);
          ASSERT_GT(n, 1u) << label;
          const double limit = std::stod(margin);
          EXPECT_LE(summarized_half_width(item.promoters * n, item.passives * n,
                                          item.detractors * n, method, confidence),
                    limit)
              << label;
          EXPECT_GT(summarized_half_width(item.promoters * (n - 1), item.passives * (n - 1),
                                          item.detractors * (n - 1), method, confidence),
                    limit)
              << label;
        }
      }
    }
  }
}

TEST(SampleSize, ASkewedSplitIsPlannedForItsRealInterval) {
  // z^2 V / m^2 says 70 for 95/5/0 at +-5, where the interval is +-7.5.
  const json plan = sample_size_json({"--margin", "5", "--expect", "95,5,0"});
  EXPECT_GT(plan["n"].get<std::uint64_t>(), 110u);
  EXPECT_LE(plan["half_width"].get<double>(), 5.0);
  // 120 answers of 95/5/0 are whole counts: 114 promoters, 6 passives.
  if (plan["n"].get<std::uint64_t>() <= 120) {
    EXPECT_LE(summarized_half_width(114, 6, 0, "adjusted-wald", "0.95"), 5.0);
  } else {
    EXPECT_GT(summarized_half_width(114, 6, 0, "adjusted-wald", "0.95"), 5.0);
  }
}

TEST(SampleSize, ExpectedSplitNeedsFewerAnswers) {
  // 50/30/20: V = 0.5 + 0.2 - 0.3^2 = 0.61.
  const json planned =
      sample_size_json({"--margin", "5", "--method", "wald", "--expect", "50,30,20"});
  EXPECT_NEAR(planned["variance"].get<double>(), 0.61, 1e-12);
  EXPECT_EQ(planned["n"], static_cast<std::uint64_t>(std::ceil(z_95 * z_95 * 0.61 / 0.0025)));
}

TEST(SampleSize, ConfidenceLevelChangesTheSize) {
  const double z_90 = 1.6448536269514722;
  const json planned =
      sample_size_json({"--margin", "5", "--method", "wald", "--confidence", "0.9"});
  EXPECT_EQ(planned["n"], static_cast<std::uint64_t>(std::ceil(z_90 * z_90 / 0.0025)));
}

TEST(SampleSize, PerGroupSizeToDetectADifference) {
  const double per_group = (z_95 + z_power_80) * (z_95 + z_power_80) * 2 / (0.1 * 0.1);
  const json planned = sample_size_json({"--difference", "10"});
  EXPECT_EQ(planned["n_per_group"], static_cast<std::uint64_t>(std::ceil(per_group)));
  EXPECT_EQ(planned["n_total"], 2 * static_cast<std::uint64_t>(std::ceil(per_group)));
  EXPECT_DOUBLE_EQ(planned["power"].get<double>(), 0.8);

  const json more_power = sample_size_json({"--difference", "10", "--power", "0.9"});
  EXPECT_GT(more_power["n_per_group"].get<std::uint64_t>(),
            planned["n_per_group"].get<std::uint64_t>());
}

TEST(SampleSize, TextStatesTheAnswerAndItsAssumptions) {
  const run_result margin = run_npskit({"sample-size", "--margin", "5", "--method", "wald"});
  ASSERT_EQ(margin.exit_code, 0) << margin.err;
  EXPECT_NE(margin.out.find("You need 1537 responses"), std::string::npos) << margin.out;
  EXPECT_NE(margin.out.find("±5.0 points at 95% confidence"), std::string::npos) << margin.out;
  EXPECT_NE(margin.out.find("worst case"), std::string::npos) << margin.out;

  const run_result difference = run_npskit({"sample-size", "--difference", "10"});
  ASSERT_EQ(difference.exit_code, 0) << difference.err;
  EXPECT_NE(difference.out.find("per group"), std::string::npos) << difference.out;
  EXPECT_NE(difference.out.find("80% power"), std::string::npos) << difference.out;
}

// CSAT and CES plans, against the textbook formulas worked out here.
TEST(SampleSize, RatingSharesAndMeans) {
  const double z_sum = z_95 + z_power_80;
  // A share within 5 points, worst case p = 50 %: z^2 / 4 / 0.05^2 = 384.1.
  const json share = sample_size_json({"--metric", "csat", "--margin", "5"});
  EXPECT_EQ(share["metric"], "csat");
  EXPECT_EQ(share["of"], "share");
  EXPECT_EQ(share["n"], 385);
  EXPECT_LE(share["half_width"].get<double>(), 5.0);
  // Two shares of 80 % and 85 %, 5 points apart: 7.849 x 0.2875 / 0.0025 = 902.6.
  const json shares = sample_size_json(
      {"--metric", "csat", "--difference", "5", "--expect", "80", "--expect", "85"});
  EXPECT_EQ(shares["n_per_group"],
            static_cast<std::uint64_t>(std::ceil(z_sum * z_sum * 0.2875 / 0.0025)));
  EXPECT_EQ(shares["n_total"], 2 * shares["n_per_group"].get<std::uint64_t>());
  // Two CES means 0.3 apart with s = 1.2 each: 7.849 x 2.88 / 0.09 = 251.2.
  const json means = sample_size_json(
      {"--metric", "ces", "--of", "mean", "--difference", "0.3", "--expect", "1.2"});
  EXPECT_EQ(means["n_per_group"],
            static_cast<std::uint64_t>(std::ceil(z_sum * z_sum * 2 * 1.44 / 0.09)));
  // A CES mean within 0.1 at the largest spread (s = 3): more than z^2 s^2 /
  // m^2 = 3457.3, since Student's t at n - 1 is wider than z.
  const json mean = sample_size_json({"--metric", "ces", "--of", "mean", "--margin", "0.1"});
  EXPECT_DOUBLE_EQ(mean["variance"].get<double>(), 9.0);
  EXPECT_GT(mean["n"].get<std::uint64_t>(), 3457u);
  EXPECT_LT(mean["n"].get<std::uint64_t>(), 3470u);
  EXPECT_LE(mean["half_width"].get<double>(), 0.1);

  const run_result text = run_npskit({"sample-size", "--metric", "csat", "--margin", "3"});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("CSAT (the share of 4-5) within ±3"), std::string::npos) << text.out;
}

TEST(SampleSize, RatingOptionsThatDoNotFitAreRefused) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--metric", "stars", "--margin", "3"}, "--metric: \"stars\" is not a metric"},
      {{"--metric", "csat", "--of", "median", "--margin", "3"}, "--of: \"median\" is not"},
      {{"--of", "mean", "--margin", "3"}, "--of applies to --metric csat or ces"},
      {{"--metric", "csat", "--method", "wald", "--margin", "3"}, "--method applies to NPS"},
      {{"--metric", "ces", "--of", "mean", "--margin", "0.1", "--expect", "4"}, "--expect"},
      {{"--metric", "csat", "--margin", "3", "--expect", "80", "--expect", "85"},
       "a share takes one expected share"},
  };
  for (const auto& [args, message] : cases) {
    std::vector<std::string> full{"sample-size"};
    full.insert(full.end(), args.begin(), args.end());
    const run_result run = run_npskit(full);
    EXPECT_EQ(run.exit_code, 2) << args.front();
    EXPECT_NE(run.err.find(message), std::string::npos) << run.err;
  }
}

}  // namespace
}  // namespace npskit_test
