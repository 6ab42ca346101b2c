// `npskit compare`: the two-group z test against the reference pairs.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "npskit_process.h"

namespace npskit_test {
namespace {

using nlohmann::json;

std::string counts_argument(const json& triple) {
  return triple[0].dump() + "," + triple[1].dump() + "," + triple[2].dump();
}

json compare_json(const std::vector<std::string>& args) {
  std::vector<std::string> full{"compare", "--json"};
  full.insert(full.end(), args.begin(), args.end());
  const run_result run = run_npskit(full);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  const json parsed = parse_json(run.out);
  EXPECT_TRUE(parsed.is_object()) << run.out;
  return parsed.is_object() ? parsed : json::object();
}

TEST(Compare, EveryPairMatchesTheReferenceTests) {
  for (const json& vector : nps_vectors()["vectors"]) {
    if (!vector.contains("a")) continue;
    SCOPED_TRACE(vector["id"].get<std::string>());
    const std::vector<std::string> groups = {"--counts", counts_argument(vector["a"]), "--counts",
                                             counts_argument(vector["b"])};
    for (const auto& [method, key] :
         {std::pair<std::string, std::string>{"wald", "wald"},
          std::pair<std::string, std::string>{"adjusted-wald", "adjwald"}}) {
      SCOPED_TRACE(method);
      std::vector<std::string> args = groups;
      args.insert(args.end(), {"--method", method});
      const json result = compare_json(args);
      const json& expected = vector[key];
      EXPECT_EQ(result["schema"], "npskit.comparison/1");
      EXPECT_EQ(result["method"], method);
      EXPECT_NEAR(result["diff"].get<double>(), expected["diff"].get<double>(), 5e-5);
      EXPECT_NEAR(result["se"].get<double>(), expected["se"].get<double>(), 5e-5);
      EXPECT_NEAR(result["z"].get<double>(), expected["z"].get<double>(), 5e-5);
      EXPECT_NEAR(result["p_value"].get<double>(), expected["p2"].get<double>(), 5e-5);
      EXPECT_DOUBLE_EQ(result["confidence"].get<double>(), 0.95);
      EXPECT_EQ(result["significant"], expected["p2"].get<double>() < 0.05);
      EXPECT_EQ(result["a"]["schema"], "npskit.summary/1");
      EXPECT_DOUBLE_EQ(result["a"]["nps"].get<double>(), vector["nps_a"].get<double>());
      EXPECT_DOUBLE_EQ(result["b"]["nps"].get<double>(), vector["nps_b"].get<double>());
      EXPECT_EQ(result["a"]["interval"]["method"], method);
    }
  }
}

TEST(Compare, DefaultIsAdjustedWald) {
  const json& vector = nps_vector("P1");
  const json result = compare_json(
      {"--counts", counts_argument(vector["a"]), "--counts", counts_argument(vector["b"])});
  EXPECT_EQ(result["method"], "adjusted-wald");
  EXPECT_NEAR(result["z"].get<double>(), vector["adjwald"]["z"].get<double>(), 5e-5);
}

TEST(Compare, SummariesInsideAreThoseOfSummarize) {
  const json result = compare_json({"--counts", "50,30,20", "--counts", "40,35,25"});
  const run_result alone =
      run_npskit({"summarize", "--json", "--counts", "50,30,20", "--themes", "0"});
  EXPECT_EQ(result["a"], parse_json(alone.out));
}

TEST(Compare, TextExplainsTheResultInWords) {
  const json& vector = nps_vector("P1");
  const run_result run = run_npskit({"compare", "--counts", counts_argument(vector["a"]),
                                     "--counts", counts_argument(vector["b"])});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(
      run.out.find(
          "The difference of 15.0 points is not statistically significant at 95% (p = 0.18)."),
      std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("z = 1.33"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("30.0"), std::string::npos);
  EXPECT_NE(run.out.find("15.0"), std::string::npos);

  // P4's Wald p (0.066) is significant at 90% but not at 95%.
  const json& close = nps_vector("P4");
  const run_result at_90 =
      run_npskit({"compare", "--method", "wald", "--confidence", "0.9", "--counts",
                  counts_argument(close["a"]), "--counts", counts_argument(close["b"])});
  EXPECT_NE(at_90.out.find(
                "The difference of 2.0 points is statistically significant at 90% (p = 0.066): "
                "A scores higher than B."),
            std::string::npos)
      << at_90.out;
}

TEST(Compare, FilesAreComparedLikeTheirCounts) {
  const temp_dir dir;
  const std::string first = dir.write("a.csv", "score\n10\n10\n9\n8\n7\n3\n");
  const std::string second =
      dir.write("b.jsonl", "{\"score\":9}\n{\"score\":6}\n{\"score\":5}\n{\"score\":8}\n");
  const json from_files = compare_json({first, second});
  const json from_counts = compare_json({"--counts", "3,2,1", "--counts", "1,1,2"});
  EXPECT_EQ(from_files["diff"], from_counts["diff"]);
  EXPECT_EQ(from_files["z"], from_counts["z"]);
  EXPECT_EQ(from_files["p_value"], from_counts["p_value"]);

  const run_result text = run_npskit({"compare", first, second});
  EXPECT_NE(text.out.find(first), std::string::npos) << text.out;
  EXPECT_NE(text.out.find(second), std::string::npos) << text.out;
}

TEST(Compare, AFileWithoutValidAnswersCannotBeCompared) {
  const temp_dir dir;
  const std::string empty = dir.write("empty.csv", "score\nnone\n");
  const std::string other = dir.write("other.csv", "score\n9\n");
  const run_result run = run_npskit({"compare", empty, other});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find(empty), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("no valid answers"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace npskit_test
