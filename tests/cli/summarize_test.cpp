// `npskit summarize`: numbers, formats, grouping, rejected rows and the text
// report, checked through the real binary.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "npskit_process.h"

namespace npskit_test {
namespace {

using nlohmann::json;

json summarize_json(const std::vector<std::string>& args, const std::string& stdin_text = "") {
  std::vector<std::string> full{"summarize", "--json"};
  full.insert(full.end(), args.begin(), args.end());
  const run_result run = run_npskit(full, stdin_text);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  const json parsed = parse_json(run.out);
  EXPECT_TRUE(parsed.is_object()) << run.out;
  return parsed.is_object() ? parsed : json::object();
}

std::string counts_argument(std::uint64_t promoters, std::uint64_t passives,
                            std::uint64_t detractors) {
  return std::to_string(promoters) + "," + std::to_string(passives) + "," +
         std::to_string(detractors);
}

double expected_nps(const json& summary) {
  const double n = summary["n"].get<double>();
  return 100.0 * (summary["promoters"].get<double>() - summary["detractors"].get<double>()) / n;
}

// Same categories, histogram and interval: the same answers were read.
void expect_same_answers(const json& actual, const json& expected) {
  EXPECT_EQ(actual["n"], expected["n"]);
  EXPECT_EQ(actual["promoters"], expected["promoters"]);
  EXPECT_EQ(actual["passives"], expected["passives"]);
  EXPECT_EQ(actual["detractors"], expected["detractors"]);
  EXPECT_EQ(actual["histogram"], expected["histogram"]);
  EXPECT_EQ(actual["interval"], expected["interval"]);
}

TEST(Summarize, CountsGiveTheAdjustedWaldIntervalOfTheVectors) {
  const json& vector = nps_vector("S1");
  const json summary =
      summarize_json({"--method", "adjusted-wald", "--counts",
                      counts_argument(vector["pro"], vector["pas"], vector["det"])});
  EXPECT_EQ(summary["schema"], "npskit.summary/1");
  EXPECT_EQ(summary["n"], vector["n"]);
  EXPECT_DOUBLE_EQ(summary["nps"].get<double>(), vector["nps"].get<double>());
  EXPECT_EQ(summary["interval"]["method"], "adjusted-wald");
  EXPECT_DOUBLE_EQ(summary["interval"]["confidence"].get<double>(), 0.95);
  EXPECT_NEAR(summary["interval"]["low"].get<double>(), vector["adjwald95"]["ci"][0].get<double>(),
              5e-5);
  EXPECT_NEAR(summary["interval"]["high"].get<double>(), vector["adjwald95"]["ci"][1].get<double>(),
              5e-5);
}

TEST(Summarize, EveryVectorAndMethodMatchesTheReferenceInterval) {
  for (const json& vector : nps_vectors()["vectors"]) {
    if (!vector.contains("pro")) continue;  // pairs are compare's
    const std::string counts = counts_argument(vector["pro"], vector["pas"], vector["det"]);
    SCOPED_TRACE(vector["id"].get<std::string>());
    struct expectation {
      std::string method;
      double low;
      double high;
      double tolerance;
    };
    const json& adjusted = vector["adjwald95"]["ci"];
    const std::vector<expectation> expectations = {
        {"wald", std::max(-100.0, vector["wald95"][0].get<double>()),
         std::min(100.0, vector["wald95"][1].get<double>()), 5e-5},
        {"adjusted-wald", std::max(-100.0, adjusted[0].get<double>()),
         std::min(100.0, adjusted[1].get<double>()), 5e-5},
        {"tango", vector["tango95"][0].get<double>(), vector["tango95"][1].get<double>(), 5e-4},
    };
    for (const expectation& expected : expectations) {
      SCOPED_TRACE(expected.method);
      const json summary = summarize_json({"--counts", counts, "--method", expected.method});
      EXPECT_EQ(summary["interval"]["method"], expected.method);
      EXPECT_NEAR(summary["nps"].get<double>(), vector["nps"].get<double>(), 5e-5);
      EXPECT_NEAR(summary["interval"]["low"].get<double>(), expected.low, expected.tolerance);
      EXPECT_NEAR(summary["interval"]["high"].get<double>(), expected.high, expected.tolerance);
    }
  }
}

TEST(Summarize, JsonOutputIsOnePrettyPrintedObject) {
  const run_result run = run_npskit({"summarize", "--json", "--counts", "50,30,20"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  ASSERT_FALSE(run.out.empty());
  EXPECT_EQ(run.out.front(), '{');
  EXPECT_EQ(run.out.substr(run.out.size() - 2), "}\n");
  EXPECT_NE(run.out.find("\n  \"n\": 100"), std::string::npos) << run.out;
  EXPECT_TRUE(parse_json(run.out).is_object());
}

TEST(Summarize, HistogramGivesTheSameScoreAsItsCategories) {
  const json summary = summarize_json({"--histogram", "1,0,2,3,4,4,6,12,18,25,25"});
  EXPECT_EQ(summary["n"], 100);
  EXPECT_EQ(summary["promoters"], 50);
  EXPECT_EQ(summary["passives"], 30);
  EXPECT_EQ(summary["detractors"], 20);
  EXPECT_EQ(summary["histogram"], json::parse("[1,0,2,3,4,4,6,12,18,25,25]", nullptr, false));
  const json counted = summarize_json({"--counts", "50,30,20"});
  EXPECT_EQ(summary["interval"], counted["interval"]);
}

TEST(Summarize, TextReportShowsTheKeyNumbers) {
  const run_result run = run_npskit({"summarize", "--counts", "50,30,20"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("30.0 (95% CI 14.0 to 44.3, Tango score)"), std::string::npos) << run.out;
  const run_result adjusted =
      run_npskit({"summarize", "--method", "adjusted-wald", "--counts", "1,0,0"});
  EXPECT_NE(adjusted.out.find("100.0 (95% CI -48.5 to 98.5 around the adjusted estimate 25.0, "
                              "adjusted Wald)"),
            std::string::npos)
      << adjusted.out;
  EXPECT_NE(run.out.find("Responses"), std::string::npos);
  EXPECT_NE(run.out.find("100"), std::string::npos);
  EXPECT_NE(run.out.find("50.0%"), std::string::npos);
  EXPECT_NE(run.out.find("30.0%"), std::string::npos);
  EXPECT_NE(run.out.find("20.0%"), std::string::npos);
  EXPECT_NE(run.out.find("good"), std::string::npos);
  // Counts do not say which scores were given, so no distribution is drawn.
  EXPECT_EQ(run.out.find("█"), std::string::npos) << run.out;
}

TEST(Summarize, TextReportDrawsTheDistribution) {
  const run_result run = run_npskit({"summarize", "--histogram", "1,0,2,3,4,4,6,12,18,25,25"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::size_t chart = run.out.find("Scores\n");
  ASSERT_NE(chart, std::string::npos) << run.out;
  std::istringstream lines(run.out.substr(chart + 7));
  std::string line;
  std::vector<std::string> bars;
  while (bars.size() < 11 && std::getline(lines, line)) bars.push_back(line);
  ASSERT_EQ(bars.size(), 11u) << run.out;
  // Score 10 (25 answers) has the longest bar, score 1 (none) has none.
  EXPECT_NE(bars[10].find("██████████████████████████████"), std::string::npos) << bars[10];
  EXPECT_EQ(bars[1].find("█"), std::string::npos) << bars[1];
  EXPECT_NE(bars[10].find("25.0%"), std::string::npos) << bars[10];
}

TEST(Summarize, ConfidenceLevelChangesTheIntervalAndItsLabel) {
  const json wide = summarize_json({"--counts", "50,30,20"});
  const json narrow = summarize_json({"--counts", "50,30,20", "--confidence", "0.9"});
  EXPECT_DOUBLE_EQ(narrow["interval"]["confidence"].get<double>(), 0.9);
  EXPECT_GT(narrow["interval"]["low"].get<double>(), wide["interval"]["low"].get<double>());
  EXPECT_LT(narrow["interval"]["high"].get<double>(), wide["interval"]["high"].get<double>());
  const run_result text = run_npskit({"summarize", "--counts", "50,30,20", "--confidence", "0.9"});
  EXPECT_NE(text.out.find("(90% CI "), std::string::npos) << text.out;
}

TEST(Summarize, CsvFileIsScoredLikeItsCounts) {
  const json summary = summarize_json({test_data("cli/responses.csv")});
  EXPECT_EQ(summary["n"], 20);
  EXPECT_EQ(summary["promoters"], 10);
  EXPECT_EQ(summary["passives"], 5);
  EXPECT_EQ(summary["detractors"], 5);
  EXPECT_EQ(summary["rejected"], 0);
  EXPECT_DOUBLE_EQ(summary["nps"].get<double>(), expected_nps(summary));
  const json counted = summarize_json({"--counts", "10,5,5"});
  EXPECT_EQ(summary["interval"], counted["interval"]);
}

TEST(Summarize, CsvJsonAndJsonlOfTheSameAnswersAgree) {
  const json csv = summarize_json({test_data("cli/responses.csv")});
  const json array = summarize_json({test_data("cli/responses.json")});
  const json lines = summarize_json({test_data("cli/responses.jsonl")});
  expect_same_answers(array, csv);
  expect_same_answers(lines, csv);
  // The JSONL export also holds two dismissals of the widget.
  EXPECT_EQ(lines["dismissals"], 2);
  EXPECT_NEAR(lines["response_rate"].get<double>(), 20.0 / 22.0, 1e-12);
}

TEST(Summarize, SemicolonExportWithByteOrderMarkAndCrlf) {
  const json summary =
      summarize_json({"--score-column", "Betyg", test_data("cli/export_semicolon.csv")});
  EXPECT_EQ(summary["n"], 4);
  EXPECT_EQ(summary["promoters"], 2);
  EXPECT_EQ(summary["passives"], 1);
  EXPECT_EQ(summary["detractors"], 1);
  const json by_month = summarize_json({"--score-column", "Betyg", "--date-column", "Datum", "--by",
                                        "month", test_data("cli/export_semicolon.csv")});
  ASSERT_EQ(by_month["groups"].size(), 1u) << by_month.dump();
  EXPECT_EQ(by_month["groups"][0]["key"], "2026-11");
}

TEST(Summarize, StandardInputIsSniffedOrTakesTheGivenFormat) {
  const json file = summarize_json({test_data("cli/responses.csv")});
  const temp_dir dir;
  for (const std::string name : {"responses.csv", "responses.json", "responses.jsonl"}) {
    SCOPED_TRACE(name);
    std::ifstream in(test_data("cli/" + name), std::ios::binary);
    const std::string content((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
    expect_same_answers(summarize_json({"-"}, content), file);
    // An unknown extension is sniffed the same way.
    expect_same_answers(summarize_json({dir.write(name + ".export", content)}), file);
  }
  const json forced = summarize_json({"--format", "csv", "-"}, "score\n10\n3\n");
  EXPECT_EQ(forced["n"], 2);
  EXPECT_EQ(forced["promoters"], 1);
  EXPECT_EQ(forced["detractors"], 1);
}

TEST(Summarize, BadRowsAreReportedWithTheirLinesAndNotCounted) {
  struct row {
    std::string score;
    bool valid;
  };
  const std::vector<row> rows = {
      {"10", true},   {"11", false},  {"9", true},   {"-1", false},  {"abc", false}, {"7", true},
      {"7.5", false}, {"100", false}, {"3", true},   {"ten", false}, {"12", false},  {"0", true},
      {"99", false},  {"5x", false},  {"-3", false}, {"42", false},  {"1O", false},
  };
  std::string csv = "score,comment\n";
  std::vector<std::uint64_t> bad_lines;
  std::uint64_t promoters = 0;
  std::uint64_t passives = 0;
  std::uint64_t detractors = 0;
  for (std::size_t index = 0; index < rows.size(); ++index) {
    csv += rows[index].score + ",row " + std::to_string(index) + "\n";
    if (!rows[index].valid) {
      bad_lines.push_back(index + 2);  // line 1 is the header
      continue;
    }
    const int score = std::stoi(rows[index].score);
    (score >= 9 ? promoters : score >= 7 ? passives : detractors) += 1;
  }
  const temp_dir dir;
  const std::string path = dir.write("bad.csv", csv);
  const json summary = summarize_json({path});
  EXPECT_EQ(summary["promoters"], promoters);
  EXPECT_EQ(summary["passives"], passives);
  EXPECT_EQ(summary["detractors"], detractors);
  EXPECT_EQ(summary["rejected"], bad_lines.size());
  ASSERT_EQ(summary["rejections"].size(), bad_lines.size()) << summary.dump();
  for (std::size_t index = 0; index < bad_lines.size(); ++index) {
    EXPECT_EQ(summary["rejections"][index]["line"], bad_lines[index]);
    EXPECT_FALSE(summary["rejections"][index]["reason"].get<std::string>().empty());
  }

  const run_result text = run_npskit({"summarize", path});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Rejected rows: " + std::to_string(bad_lines.size())), std::string::npos)
      << text.out;
  for (std::size_t index = 0; index < 10; ++index) {
    const std::string line = "line " + std::to_string(bad_lines[index]) + ": ";
    EXPECT_NE(text.out.find("\n  " + line), std::string::npos) << line << "\n" << text.out;
    EXPECT_EQ(text.out.find(line + line), std::string::npos) << text.out;
  }
  EXPECT_EQ(text.out.find("line " + std::to_string(bad_lines[10]) + ": "), std::string::npos);
  EXPECT_NE(text.out.find("... and " + std::to_string(bad_lines.size() - 10) + " more"),
            std::string::npos)
      << text.out;
}

TEST(Summarize, SeveralFilesAreMerged) {
  const temp_dir dir;
  const std::string first = dir.write("first.csv", "score\n10\n9\n8\n2\nbad\n");
  const std::string second = dir.write(
      "second.jsonl", "{\"score\": 10}\n{\"score\": 6}\n{\"score\": 0}\n{\"score\": 12}\n");
  const json merged = summarize_json({first, second});
  EXPECT_EQ(merged["promoters"], 3);
  EXPECT_EQ(merged["passives"], 1);
  EXPECT_EQ(merged["detractors"], 3);
  EXPECT_EQ(merged["rejected"], 2);
  const json counted = summarize_json({"--counts", "3,1,3"});
  EXPECT_DOUBLE_EQ(merged["nps"].get<double>(), counted["nps"].get<double>());
  EXPECT_EQ(merged["interval"], counted["interval"]);
  // Each rejected row says which file it is in.
  ASSERT_EQ(merged["rejections"].size(), 2u);
  EXPECT_EQ(merged["rejections"][0]["line"], 6);
  EXPECT_EQ(merged["rejections"][0]["reason"].get<std::string>().rfind(first + ": ", 0), 0u);
  EXPECT_EQ(merged["rejections"][1]["line"], 4);
  EXPECT_EQ(merged["rejections"][1]["reason"].get<std::string>().rfind(second + ": ", 0), 0u);

  const run_result text = run_npskit({"summarize", first, second});
  EXPECT_NE(text.out.find("  " + second + ": line 4: "), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("line 4: line 4"), std::string::npos) << text.out;
}

TEST(Summarize, ByWeekGivesOneGroupPerIsoWeekAgainstThePreviousWeek) {
  const json summary = summarize_json({"--by", "week", test_data("cli/responses.csv")});
  EXPECT_EQ(summary["by"], "week");
  const json& groups = summary["groups"];
  ASSERT_EQ(groups.size(), 3u) << summary.dump(2);
  const std::vector<std::string> weeks = {"2026-W47", "2026-W48", "2026-W49"};
  const std::vector<int> sizes = {8, 7, 5};
  for (std::size_t index = 0; index < weeks.size(); ++index) {
    EXPECT_EQ(groups[index]["key"], weeks[index]);
    EXPECT_EQ(groups[index]["n"], sizes[index]);
    EXPECT_DOUBLE_EQ(groups[index]["nps"].get<double>(), expected_nps(groups[index]));
  }
  EXPECT_FALSE(groups[0].contains("versus") && !groups[0]["versus"].is_null());
  ASSERT_TRUE(groups[1].contains("versus")) << groups[1].dump();
  const double p_value = groups[1]["versus"]["p_value"].get<double>();
  EXPECT_GT(p_value, 0.0);
  EXPECT_LE(p_value, 1.0);

  const run_result text = run_npskit({"summarize", "--by", "week", test_data("cli/responses.csv")});
  EXPECT_NE(text.out.find("vs previous"), std::string::npos) << text.out;
  for (const std::string& week : weeks) EXPECT_NE(text.out.find(week), std::string::npos);
}

// Columns in code points: the test data has no double-width characters.
std::size_t columns_before(const std::string& line, std::size_t byte_offset) {
  std::size_t columns = 0;
  for (std::size_t index = 0; index < byte_offset; ++index) {
    if ((static_cast<unsigned char>(line[index]) & 0xc0) != 0x80) ++columns;
  }
  return columns;
}

TEST(Summarize, BySegmentTableStaysAlignedWithNonAsciiNames) {
  const json summary = summarize_json({"--by", "segment", test_data("cli/responses.csv")});
  ASSERT_EQ(summary["groups"].size(), 3u) << summary.dump(2);
  std::uint64_t total = 0;
  for (const json& group : summary["groups"]) {
    total += group["n"].get<std::uint64_t>();
    EXPECT_TRUE(group.contains("versus")) << group.dump();
  }
  EXPECT_EQ(total, 20u);

  const run_result text =
      run_npskit({"summarize", "--by", "segment", test_data("cli/responses.csv")});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("vs rest"), std::string::npos) << text.out;
  // The n column is right-aligned: every row's count ends in the same column.
  std::vector<std::size_t> count_ends;
  for (const json& group : summary["groups"]) {
    const std::string key = group["key"];
    const std::string count = " " + group["n"].dump() + " ";
    std::istringstream lines(text.out);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.rfind("  " + key + " ", 0) != 0) continue;
      const std::size_t found = line.find(count, key.size() + 2);
      ASSERT_NE(found, std::string::npos) << line;
      count_ends.push_back(columns_before(line, found + count.size() - 1));
    }
  }
  ASSERT_EQ(count_ends.size(), 3u) << text.out;
  EXPECT_EQ(count_ends[0], count_ends[1]) << text.out;
  EXPECT_EQ(count_ends[1], count_ends[2]) << text.out;
}

TEST(Summarize, WeightsGiveTheWeightedScoreAndKishEffectiveSize) {
  const json summary = summarize_json({"--weight-column", "weight", test_data("cli/weighted.csv")});
  // weighted.csv: promoters weigh 2.0 + 1.5, passives 1.0 + 1.0, detractors 0.5 + 0.5.
  const double total = 6.5;
  const double squares = 4.0 + 2.25 + 1.0 + 1.0 + 0.25 + 0.25;
  EXPECT_NEAR(summary["n_effective"].get<double>(), total * total / squares, 1e-9);
  EXPECT_NEAR(summary["weighted_nps"].get<double>(), 100.0 * (3.5 - 1.0) / total, 1e-9);
  EXPECT_EQ(summary["n"], 6);
  const run_result text =
      run_npskit({"summarize", "--weight-column", "weight", test_data("cli/weighted.csv")});
  EXPECT_NE(text.out.find("Weighted NPS"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("effective n 4.8"), std::string::npos) << text.out;
}

TEST(Summarize, TopThemesNameWhatEachCategoryTalksAbout) {
  const run_result text = run_npskit({"summarize", test_data("cli/responses.csv")});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  std::istringstream lines(text.out);
  std::string line;
  std::string promoters;
  std::string detractors;
  bool in_themes = false;
  while (std::getline(lines, line)) {
    if (line.rfind("Top themes", 0) == 0) in_themes = true;
    if (!in_themes) continue;
    if (line.find("Promoters") != std::string::npos) promoters = line;
    if (line.find("Detractors") != std::string::npos) detractors = line;
  }
  EXPECT_NE(promoters.find("fast"), std::string::npos) << text.out;
  EXPECT_NE(detractors.find("price"), std::string::npos) << text.out;

  const run_result without =
      run_npskit({"summarize", "--themes", "0", test_data("cli/responses.csv")});
  EXPECT_EQ(without.out.find("Top themes"), std::string::npos) << without.out;
}

TEST(Summarize, CustomBandsNameTheBand) {
  const json summary = summarize_json({"--counts", "50,30,20", "--bands", "low:-100,high:25"});
  EXPECT_EQ(summary["band"], "high");
  const json below = summarize_json({"--counts", "40,35,25", "--bands", "low:-100,high:25"});
  EXPECT_EQ(below["band"], "low");
}

TEST(Summarize, LargeFileIsReadInChunksWithProgressOnlyOnATerminal) {
  // Over 4 MB and several 1 MiB chunks, rows cut at chunk boundaries.
  const temp_dir dir;
  std::string csv = "score,comment\n";
  const std::string padding(90, 'x');
  std::uint64_t promoters = 0;
  std::uint64_t passives = 0;
  std::uint64_t detractors = 0;
  for (int row = 0; csv.size() < 4'500'000; ++row) {
    const int score = (row * 7) % 11;
    (score >= 9 ? promoters : score >= 7 ? passives : detractors) += 1;
    csv += std::to_string(score) + "," + padding + "\n";
  }
  const std::string path = dir.write("big.csv", csv);

  const run_result redirected = run_npskit({"summarize", "--json", path});
  ASSERT_EQ(redirected.exit_code, 0) << redirected.err;
  EXPECT_EQ(redirected.err, "");
  const json summary = parse_json(redirected.out);
  EXPECT_EQ(summary["promoters"], promoters);
  EXPECT_EQ(summary["passives"], passives);
  EXPECT_EQ(summary["detractors"], detractors);
  EXPECT_EQ(summary["rejected"], 0);

  const run_result interactive = run_npskit_on_terminal({"summarize", "--json", path});
  ASSERT_EQ(interactive.exit_code, 0) << interactive.err;
  EXPECT_NE(interactive.err.find("npskit: reading " + path), std::string::npos) << interactive.err;
  EXPECT_NE(interactive.err.find("100%"), std::string::npos) << interactive.err;
  EXPECT_EQ(parse_json(interactive.out)["n"], summary["n"]);

  // Small files finish too fast to need one.
  const run_result small =
      run_npskit_on_terminal({"summarize", "--json", test_data("cli/responses.csv")});
  EXPECT_EQ(small.err.find("reading"), std::string::npos) << small.err;
}

TEST(Summarize, UnreadableInputExitsOneNamingTheFile) {
  const temp_dir dir;
  const std::string missing = (dir.path() / "missing.csv").string();
  struct case_ {
    std::vector<std::string> args;
    std::string named;
  };
  const std::vector<case_> cases = {
      {{"summarize", missing}, missing},
      {{"summarize", dir.path().string()}, dir.path().string()},
      {{"summarize", test_data("cli/no_score_column.csv")}, test_data("cli/no_score_column.csv")},
      {{"summarize", test_data("cli/not_an_array.json")}, test_data("cli/not_an_array.json")},
      {{"summarize", test_data("cli/responses.csv"), missing}, missing},
      {{"compare", test_data("cli/responses.csv"), missing}, missing},
  };
  for (const case_& item : cases) {
    SCOPED_TRACE(item.args.back());
    const run_result run = run_npskit(item.args);
    EXPECT_EQ(run.exit_code, 1) << run.err;
    EXPECT_EQ(run.out, "");
    EXPECT_EQ(run.err.rfind("npskit: ", 0), 0u) << run.err;
    EXPECT_NE(run.err.find(item.named), std::string::npos) << run.err;
  }
}

TEST(Summarize, EmptyInputIsReportedNotInvented) {
  const json summary = summarize_json({"--format", "csv", "-"}, "score\n");
  EXPECT_EQ(summary["n"], 0);
  EXPECT_TRUE(summary["nps"].is_null());
  EXPECT_TRUE(summary["interval"].is_null());
  EXPECT_TRUE(summary["band"].is_null());
  EXPECT_TRUE(summary["percent"].is_null());
  const run_result text = run_npskit({"summarize", "--format", "csv", "-"}, "score\n");
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("no answers yet"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("fair"), std::string::npos) << text.out;
  const json counted = summarize_json({"--counts", "0,0,0"});
  EXPECT_TRUE(counted["nps"].is_null());
  EXPECT_TRUE(counted["interval"].is_null());
}

}  // namespace
}  // namespace npskit_test
