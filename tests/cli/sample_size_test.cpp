// `npskit sample-size`: margin and difference planning.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
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

  const json adjusted = sample_size_json({"--margin", "5"});
  EXPECT_EQ(adjusted["method"], "adjusted-wald");
  EXPECT_EQ(adjusted["n"], static_cast<std::uint64_t>(std::ceil(unrounded - 3)));
  EXPECT_EQ(adjusted["n"], 1534);
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

}  // namespace
}  // namespace npskit_test
