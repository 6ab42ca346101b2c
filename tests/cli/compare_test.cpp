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
      // diff is the plain difference; adjusted Wald tests adjusted_diff.
      EXPECT_DOUBLE_EQ(result["diff"].get<double>(),
                       vector["nps_a"].get<double>() - vector["nps_b"].get<double>());
      const json& tested = method == "wald" ? result["diff"] : result["adjusted_diff"];
      EXPECT_NEAR(tested.get<double>(), expected["diff"].get<double>(), 5e-5);
      EXPECT_EQ(result.contains("adjusted_diff"), method == "adjusted-wald");
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

TEST(Compare, DefaultShowsTangoIntervalsAndTestsWithAdjustedWald) {
  const json& vector = nps_vector("P1");
  const json result = compare_json(
      {"--counts", counts_argument(vector["a"]), "--counts", counts_argument(vector["b"])});
  EXPECT_EQ(result["method"], "adjusted-wald");
  EXPECT_EQ(result["a"]["interval"]["method"], "tango");
  EXPECT_NEAR(result["z"].get<double>(), vector["adjwald"]["z"].get<double>(), 5e-5);
  const json tango = compare_json({"--counts", counts_argument(vector["a"]), "--counts",
                                   counts_argument(vector["b"]), "--method", "tango"});
  EXPECT_EQ(tango, result);
}

// Wald with every answer of both groups in one category has no standard
// error: the command says so in both forms and calls nothing significant,
// exactly as `summarize --by segment` does for the same answers.
TEST(Compare, UnanimousGroupsUnderWaldAreNotTestable) {
  const json result = compare_json({"--method", "wald", "--counts", "5,0,0", "--counts", "0,0,5"});
  EXPECT_EQ(result["diff"], 200.0);
  EXPECT_EQ(result["se"], 0.0);
  EXPECT_TRUE(result["z"].is_null());
  EXPECT_TRUE(result["p_value"].is_null());
  EXPECT_EQ(result["significant"], false);
  const run_result text =
      run_npskit({"compare", "--method", "wald", "--counts", "5,0,0", "--counts", "0,0,5"});
  EXPECT_NE(text.out.find("not possible"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("is statistically significant"), std::string::npos) << text.out;

  const temp_dir dir;
  const std::string file = dir.write("groups.csv",
                                     "score,segment\n10,a\n10,a\n10,a\n10,a\n10,a\n"
                                     "0,b\n0,b\n0,b\n0,b\n0,b\n");
  const run_result by_segment =
      run_npskit({"summarize", "--json", "--method", "wald", "--by", "segment", file});
  const json summary = parse_json(by_segment.out);
  for (const json& group : summary["groups"]) {
    EXPECT_EQ(group["versus"]["significant"], false) << group;
    EXPECT_TRUE(group["versus"]["p_value"].is_null()) << group;
  }
  const run_result table = run_npskit({"summarize", "--method", "wald", "--by", "segment", file});
  EXPECT_EQ(table.out.find('*'), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("n/a"), std::string::npos) << table.out;
}

TEST(Compare, TheTextNamesTheAdjustedDifferenceItTests) {
  const run_result run = run_npskit(
      {"compare", "--method", "adjusted-wald", "--counts", "50,30,20", "--counts", "40,35,25"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("Difference A - B  15.0 points"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("tested on the adjusted estimates"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("whose difference is 14.6 points"), std::string::npos) << run.out;
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
