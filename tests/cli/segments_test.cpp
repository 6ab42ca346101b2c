// `npskit summarize --by segment` with several --segment-column: every
// column alone and every two crossed must give exactly what the command
// gives for the same rows filtered by hand, and the test against the rest
// what `npskit compare` gives for the group and the other rows.
#include <gtest/gtest.h>

#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

#include "npskit_process.h"

namespace npskit_test {
namespace {

using nlohmann::json;

constexpr const char* columns[] = {"country", "plan", "channel"};

struct row {
  std::string score;
  std::vector<std::string> segments;  // one per entry of columns
};

// A fixed mix of answers in which the cells differ in size and score; one
// plan value is blank, so "(none)" is a cell too.
std::vector<row> answers() {
  const std::vector<std::string> countries = {"SE", "NO", "Sverige"};
  const std::vector<std::string> plans = {"pro", "free", ""};
  const std::vector<std::string> channels = {"web", "mail"};
  std::vector<row> out;
  std::uint32_t state = 7;
  for (int i = 0; i < 240; ++i) {
    state = state * 1103515245u + 12345u;
    const std::uint32_t pick = state >> 8;
    const std::string& country = countries[pick % 3];
    const std::string& plan = plans[(pick / 3) % 3];
    const std::string& channel = channels[(pick / 9) % 2];
    // Scores lean up for "pro" and down for "mail" so tests have something to find.
    int score = static_cast<int>((pick / 18) % 11);
    if (plan == "pro" && score < 10) ++score;
    if (channel == "mail" && score > 0) --score;
    out.push_back({std::to_string(score), {country, plan, channel}});
  }
  return out;
}

std::string csv_of(const std::vector<const row*>& rows) {
  std::string text = "score,country,plan,channel\n";
  for (const row* item : rows) {
    text += item->score + "," + item->segments[0] + "," + item->segments[1] + "," +
            item->segments[2] + "\n";
  }
  return text;
}

json run_json(const std::vector<std::string>& args) {
  const run_result run = run_npskit(args);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return parse_json(run.out);
}

std::size_t column_index(const std::string& name) {
  for (std::size_t i = 0; i < std::size(columns); ++i) {
    if (name == columns[i]) return i;
  }
  ADD_FAILURE() << "unknown column " << name;
  return 0;
}

TEST(Segments, CrossedGroupsEqualTheFileFilteredByHand) {
  const std::vector<row> all = answers();
  std::vector<const row*> every;
  for (const row& item : all) every.push_back(&item);
  temp_dir dir;
  const std::string path = dir.write("answers.csv", csv_of(every));
  const json summary = run_json({"summarize", "--json", "--method", "adjusted-wald", "--by",
                                 "segment", "--segment-column", "country", "--segment-column",
                                 "plan", "--segment-column", "channel", path});
  ASSERT_TRUE(summary.is_object());
  EXPECT_EQ(summary["segment_columns"], json::array({"country", "plan", "channel"}));
  // 3 countries + 3 plans + 2 channels alone, 9 + 6 + 6 crossed.
  ASSERT_EQ(summary["groups"].size(), 3u + 3u + 2u + 9u + 6u + 6u);

  std::size_t crossed = 0;
  for (const json& group : summary["groups"]) {
    const std::string key = group["key"].get<std::string>();
    SCOPED_TRACE(key);
    ASSERT_EQ(group["columns"].size(), group["values"].size());
    std::vector<const row*> inside;
    std::vector<const row*> outside;
    for (const row& item : all) {
      bool matches = true;
      for (std::size_t i = 0; i < group["columns"].size(); ++i) {
        const std::string& value = item.segments[column_index(group["columns"][i])];
        matches = matches && (value.empty() ? "(none)" : value) == group["values"][i];
      }
      (matches ? inside : outside).push_back(&item);
    }
    if (group["columns"].size() == 2) ++crossed;
    const std::string inside_path = dir.write("inside.csv", csv_of(inside));
    const json by_hand =
        run_json({"summarize", "--json", "--method", "adjusted-wald", inside_path});
    EXPECT_EQ(group["n"], by_hand["n"]);
    EXPECT_EQ(group["histogram"], by_hand["histogram"]);
    EXPECT_EQ(group["nps"], by_hand["nps"]);
    EXPECT_EQ(group["interval"], by_hand["interval"]);

    const std::string outside_path = dir.write("outside.csv", csv_of(outside));
    const json versus =
        run_json({"compare", "--json", "--method", "adjusted-wald", inside_path, outside_path});
    ASSERT_TRUE(group["versus"].is_object());
    EXPECT_EQ(group["versus"]["reference"], "rest");
    EXPECT_EQ(group["versus"]["diff"], versus["diff"]);
    EXPECT_EQ(group["versus"]["p_value"], versus["p_value"]);
    EXPECT_EQ(group["versus"]["significant"], versus["significant"]);
  }
  EXPECT_EQ(crossed, 21u);
}

TEST(Segments, GroupsBelowTheMinimumAreListedButNotTested) {
  temp_dir dir;
  const std::string path = dir.write("answers.csv",
                                     "score,country,plan\n"
                                     "10,SE,pro\n9,SE,pro\n3,SE,free\n8,NO,pro\n0,NO,free\n"
                                     "10,SE,pro\n");
  const json summary =
      run_json({"summarize", "--json", "--by", "segment", "--segment-column", "country",
                "--segment-column", "plan", "--min-group-size", "3", path});
  EXPECT_EQ(summary["min_group_size"], 3);
  bool saw_small = false;
  for (const json& group : summary["groups"]) {
    SCOPED_TRACE(group["key"].get<std::string>());
    const bool small = group["n"].get<int>() < 3;
    EXPECT_EQ(group["below_minimum"], small);
    EXPECT_EQ(group["versus"].is_null(), small);
    saw_small = saw_small || small;
  }
  EXPECT_TRUE(saw_small);
  const run_result text = run_npskit({"summarize", "--by", "segment", "--segment-column", "country",
                                      "--segment-column", "plan", "--min-group-size", "3", path});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("country=SE, plan=pro"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("too few"), std::string::npos) << text.out;
}

TEST(Segments, AMissingSegmentColumnIsNamedWithItsOption) {
  temp_dir dir;
  const std::string path = dir.write("answers.csv", "score,country,plan\n9,SE,pro\n");
  const run_result run = run_npskit({"summarize", "--by", "segment", "--segment-column", "country",
                                     "--segment-column", "chanel", path});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("--segment-column"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("chanel"), std::string::npos) << run.err;
  const run_result without_by =
      run_npskit({"summarize", "--segment-column", "country", "--segment-column", "plan", path});
  EXPECT_EQ(without_by.exit_code, 2) << without_by.err;
  EXPECT_NE(without_by.err.find("--by segment"), std::string::npos) << without_by.err;
}

}  // namespace
}  // namespace npskit_test
