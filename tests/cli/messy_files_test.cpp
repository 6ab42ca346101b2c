// `npskit summarize` on the messy files a new user brings: a stray quote, a
// misspelt column option, answers without a usable date, time zones and
// day/month dates. Every lost row is counted and said.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "npskit_process.h"

namespace npskit_test {
namespace {

using nlohmann::json;

json summary_of(const std::vector<std::string>& args) {
  std::vector<std::string> full{"summarize", "--json"};
  full.insert(full.end(), args.begin(), args.end());
  const run_result run = run_npskit(full);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const json parsed = parse_json(run.out);
  return parsed.is_object() ? parsed : json::object();
}

// 10,000 answers after the header; line 4 opens a quote it never closes.
std::string stray_quote_export() {
  std::string text = "score,comment,date\n";
  for (int line = 2; line <= 10001; ++line) {
    text += line == 4 ? std::string("9,\"Great,2026-03-01\n")
                      : std::to_string(line % 11) + ",fine,2026-03-0" +
                            std::to_string(1 + line % 9) + "\n";
  }
  return text;
}

TEST(MessyFiles, AStrayQuoteCostsOnlyItsOwnRow) {
  const temp_dir folder;
  const std::string file = folder.write("stray.csv", stray_quote_export());
  const json summary = summary_of({file});
  EXPECT_EQ(summary["n"], 9999);
  EXPECT_EQ(summary["rejected"], 1);
  ASSERT_EQ(summary["rejections"].size(), 1u);
  EXPECT_EQ(summary["rejections"][0]["line"], 4);
  const json weekly = summary_of({"--by", "week", file});
  EXPECT_EQ(weekly["n"], 9999);
  EXPECT_EQ(weekly["undated"]["count"], 0);

  const run_result text = run_npskit({"summarize", file});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("Rejected rows: 1 (not counted)\n  line 4: field 2 opens a quote"),
            std::string::npos)
      << text.out;
}

TEST(MessyFiles, AMisspeltColumnOptionIsAUsageErrorListingTheColumns) {
  const temp_dir folder;
  const std::string file = folder.write(
      "answers.csv", "score,survey_date,segment,note\n9,2026-03-01,web,ok\n3,2026-03-02,app,no\n");
  const struct {
    const char* flag;
    const char* name;
    const char* closest;
  } cases[] = {
      {"--date-column", "survey_dat", "survey_date"}, {"--segment-column", "segmnt", "segment"},
      {"--score-column", "scores", "score"},          {"--weight-column", "wieght", ""},
      {"--comment-column", "notes", "note"},
  };
  for (const auto& item : cases) {
    const run_result run = run_npskit({"summarize", "--by", "week", item.flag, item.name, file});
    EXPECT_EQ(run.exit_code, 2) << item.flag << ": " << run.err;
    EXPECT_EQ(run.out, "");
    EXPECT_NE(run.err.find(std::string(item.flag) + ": " + file +
                           ": header row on line 1 has no \"" + item.name + "\" column"),
              std::string::npos)
        << run.err;
    EXPECT_NE(run.err.find("columns found: \"score\", \"survey_date\", \"segment\", \"note\""),
              std::string::npos)
        << run.err;
    if (*item.closest != '\0') {
      EXPECT_NE(run.err.find(std::string("closest: \"") + item.closest + "\""), std::string::npos)
          << run.err;
    }
  }
  // The same misspelling in compare.
  const run_result compared = run_npskit({"compare", "--score-column", "scor", file, file});
  EXPECT_EQ(compared.exit_code, 2) << compared.err;
  // A file that lacks the default score column is unreadable input, not a usage error.
  const std::string unscored = folder.write("unscored.csv", "rating\n9\n");
  EXPECT_EQ(run_npskit({"summarize", unscored}).exit_code, 1);
}

const std::string dated_answers =
    "score,date\n"
    "10,2026-03-02T00:30:00+02:00\n"
    "9,2026-03-02T23:30:00-01:00\n"
    "0,01.03.2026\n"
    "10,\n"
    "0,yesterday\n"
    "9,03/01/2026\n";

TEST(MessyFiles, GroupingByPeriodKeepsEveryAnswerInTheOverallScore) {
  const temp_dir folder;
  const std::string file = folder.write("dated.csv", dated_answers);
  const json overall = summary_of({file});
  for (const char* period : {"day", "week", "month"}) {
    const json grouped = summary_of({"--by", period, file});
    EXPECT_EQ(grouped["n"], 6) << period;
    EXPECT_EQ(grouped["nps"], overall["nps"]) << period;
    EXPECT_EQ(grouped["interval"], overall["interval"]) << period;
    EXPECT_EQ(grouped["undated"]["count"], 4) << period;
    std::uint64_t in_periods = 0;
    for (const json& group : grouped["groups"]) in_periods += group["n"].get<std::uint64_t>();
    EXPECT_EQ(in_periods, 2u) << period;
  }
  const json daily = summary_of({"--by", "day", file});
  const json expected_reasons = json::parse(R"([
    {"reason": "missing", "count": 1, "example": ""},
    {"reason": "needs_date_order", "count": 2, "example": "01.03.2026"},
    {"reason": "invalid", "count": 1, "example": "yesterday"}])");
  ASSERT_EQ(daily["undated"]["reasons"].size(), 3u);
  for (std::size_t index = 0; index < 3; ++index) {
    json reason = daily["undated"]["reasons"][index];
    EXPECT_TRUE(reason["message"].is_string());
    reason.erase("message");
    EXPECT_EQ(reason, expected_reasons[index]);
  }
  EXPECT_FALSE(overall.contains("undated"));

  const run_result text = run_npskit({"summarize", "--by", "week", file});
  EXPECT_NE(text.out.find("4 answers without a usable date are in the total but in no period:\n"
                          "  1 without a date\n"
                          "  2 with day and month in an order not given, such as \"01.03.2026\" "
                          "(read them with --date-order dmy or mdy)\n"
                          "  1 not readable as a date, such as \"yesterday\": "),
            std::string::npos)
      << text.out;
}

std::vector<std::string> day_keys(const json& summary) {
  std::vector<std::string> keys;
  for (const json& group : summary["groups"]) {
    keys.push_back(group["key"].get<std::string>() + ":" + std::to_string(group["n"].get<int>()));
  }
  return keys;
}

TEST(MessyFiles, PeriodsAreCountedInUtcOrAtTheOffsetGiven) {
  const temp_dir folder;
  const std::string file = folder.write("dated.csv", dated_answers);
  using keys = std::vector<std::string>;
  EXPECT_EQ(day_keys(summary_of({"--by", "day", file})), (keys{"2026-03-01:1", "2026-03-03:1"}));
  EXPECT_EQ(day_keys(summary_of({"--by", "day", "--utc-offset", "+02:00", file})),
            (keys{"2026-03-02:1", "2026-03-03:1"}));
  EXPECT_EQ(day_keys(summary_of({"--by", "day", "--utc-offset", "-01:00", file})),
            (keys{"2026-03-01:1", "2026-03-02:1"}));
  const run_result bad = run_npskit({"summarize", "--by", "day", "--utc-offset", "+2", file});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--utc-offset: UTC offset \"+2\" is not an offset"), std::string::npos)
      << bad.err;
}

TEST(MessyFiles, DayAndMonthDatesAreReadOnlyInTheOrderGiven) {
  const temp_dir folder;
  const std::string file = folder.write("dated.csv", dated_answers);
  const json day_first = summary_of({"--by", "day", "--date-order", "dmy", file});
  EXPECT_EQ(day_keys(day_first),
            (std::vector<std::string>{"2026-01-03:1", "2026-03-01:2", "2026-03-03:1"}));
  EXPECT_EQ(day_first["undated"]["count"], 2);
  const json month_first = summary_of({"--by", "day", "--date-order", "mdy", file});
  // 01.03.2026 (a 0) is the third of January month-first.
  EXPECT_EQ(month_first["groups"][0]["key"], "2026-01-03");
  EXPECT_EQ(month_first["groups"][0]["detractors"], 1);
  EXPECT_EQ(day_first["groups"][0]["promoters"], 1);
  EXPECT_EQ(run_npskit({"summarize", "--date-order", "ymd", file}).exit_code, 2);
}

TEST(MessyFiles, HelpSaysHowDatesAreRead) {
  const run_result help = run_npskit({"help", "summarize"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--utc-offset +HH:MM"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("--date-order dmy|mdy"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("converted to UTC"), std::string::npos) << help.out;
}

}  // namespace
}  // namespace npskit_test
