// The aggregate-only summary of --public-summary: no comment text, and no
// group small enough to single anybody out.
#include "collector/public_summary.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "npskit/aggregate.h"

namespace npskit::cli {
namespace {

using json = nlohmann::json;

struct answer {
  int score;
  std::string segment;
  std::string timestamp;
  std::string comment;
};

summary summarize_answers(const std::vector<answer>& answers, group_by by) {
  aggregate data(by);
  for (const answer& item : answers) {
    record_view record;
    record.score = item.score;
    record.segment = item.segment;
    record.timestamp = item.timestamp;
    record.comment = item.comment;
    EXPECT_TRUE(data.add(record));
  }
  auto summarized = summarize(data, summary_options{});
  EXPECT_TRUE(summarized);
  return *summarized;
}

// `count` answers of one segment, with comments that all share `term`.
void add_segment(std::vector<answer>& answers, const std::string& segment, int count, int score,
                 const std::string& term) {
  for (int i = 0; i < count; ++i) {
    answers.push_back({score, segment, "2026-11-02T10:00:00Z",
                       term + " reach me at jane" + std::to_string(i) + "@example.com"});
  }
}

json public_json(const summary& full, std::uint64_t min_group) {
  auto made = make_public_summary(full, min_group, summary_options{});
  EXPECT_TRUE(made);
  return json::parse(to_json(*made), nullptr, false);
}

std::vector<std::string> keys(const json& out) {
  std::vector<std::string> found;
  for (const json& group : out["groups"]) found.push_back(group["key"].get<std::string>());
  return found;
}

TEST(PublicSummary, ThemesKeepTermsAndCountsButNoComment) {
  std::vector<answer> answers;
  add_segment(answers, "web", 6, 10, "checkout");
  add_segment(answers, "app", 6, 2, "crashes");
  const summary full = summarize_answers(answers, group_by::none);
  ASSERT_FALSE(full.themes.promoters.empty());
  ASSERT_FALSE(full.themes.promoters.front().examples.empty());

  const json out = public_json(full, 5);
  const std::string text = out.dump();
  EXPECT_EQ(text.find("example.com"), std::string::npos) << text;
  EXPECT_EQ(text.find("reach me"), std::string::npos) << text;
  bool checkout_found = false;
  for (const json& item : out["themes"]["promoters"]) {
    EXPECT_TRUE(item["examples"].empty());
    if (item["term"] == "checkout") {
      checkout_found = true;
      EXPECT_EQ(item["count"], 6);
    }
  }
  EXPECT_TRUE(checkout_found) << text;
  EXPECT_EQ(out["n"], 12);
  EXPECT_EQ(out["folded"],
            json({{"min_group", 5}, {"groups", 0}, {"answers", 0}, {"overall", false}}));
}

TEST(PublicSummary, ThemesFromFewerCommentsThanTheMinimumAreDropped) {
  std::vector<answer> answers;
  add_segment(answers, "web", 3, 10, "zebulon");
  add_segment(answers, "web", 6, 10, "checkout");
  const json out = public_json(summarize_answers(answers, group_by::none), 5);
  for (const json& item : out["themes"]["promoters"]) {
    EXPECT_NE(item["term"], "zebulon");
    EXPECT_GE(item["count"].get<int>(), 5);
  }
}

TEST(PublicSummary, SmallSegmentsAreFoldedWithAPartnerSoTheyCannotBeSubtracted) {
  std::vector<answer> answers;
  add_segment(answers, "big", 20, 9, "fast");
  add_segment(answers, "medium", 7, 7, "okay");
  add_segment(answers, "tiny", 1, 0, "ceo");
  const summary full = summarize_answers(answers, group_by::segment);
  ASSERT_EQ(full.groups.size(), 3u);

  const json out = public_json(full, 5);
  // "tiny" alone would be overall minus the others; "medium" goes with it.
  EXPECT_EQ(keys(out), std::vector<std::string>{"big"});
  EXPECT_EQ(out["folded"]["groups"], 2);
  EXPECT_EQ(out["folded"]["answers"], 8);
  EXPECT_EQ(out["n"], 28);
  EXPECT_EQ(out["rejections"], json::array());
}

TEST(PublicSummary, GroupsAtTheMinimumStay) {
  std::vector<answer> answers;
  add_segment(answers, "a", 5, 9, "fast");
  add_segment(answers, "b", 5, 3, "slow");
  add_segment(answers, "c", 6, 8, "fine");
  const json out = public_json(summarize_answers(answers, group_by::segment), 5);
  EXPECT_EQ(keys(out), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(out["folded"]["groups"], 0);
  // Raising the minimum folds the two smallest, which hold enough together.
  const json stricter = public_json(summarize_answers(answers, group_by::segment), 6);
  EXPECT_EQ(keys(stricter), std::vector<std::string>{"c"});
  EXPECT_EQ(stricter["folded"]["answers"], 10);
}

TEST(PublicSummary, PeriodsAfterAFoldedPeriodLoseTheirComparison) {
  std::vector<answer> answers;
  for (int i = 0; i < 6; ++i) answers.push_back({9, "", "2026-11-01T10:00:00Z", ""});
  for (int i = 0; i < 6; ++i) answers.push_back({8, "", "2026-11-02T10:00:00Z", ""});
  answers.push_back({0, "", "2026-11-03T10:00:00Z", ""});
  for (int i = 0; i < 5; ++i) answers.push_back({3, "", "2026-11-04T10:00:00Z", ""});
  const summary full = summarize_answers(answers, group_by::day);
  ASSERT_EQ(full.groups.size(), 4u);
  ASSERT_TRUE(full.groups[3].versus);

  const json out = public_json(full, 5);
  // 11-03 (1 answer) is folded with the smallest other day, 11-04 (5).
  EXPECT_EQ(keys(out), (std::vector<std::string>{"2026-11-01", "2026-11-02"}));
  EXPECT_FALSE(out["groups"][1]["versus"].is_null());
  EXPECT_EQ(out["folded"]["answers"], 6);

  std::vector<answer> later;
  const auto add_day = [&later](const char* day, int count, int score) {
    for (int i = 0; i < count; ++i) later.push_back({score, "", day, ""});
  };
  add_day("2026-11-01T10:00:00Z", 10, 9);
  add_day("2026-11-02T10:00:00Z", 6, 8);
  add_day("2026-11-03T10:00:00Z", 6, 2);
  add_day("2026-11-04T10:00:00Z", 5, 10);
  add_day("2026-11-05T10:00:00Z", 8, 6);
  const json second = public_json(summarize_answers(later, group_by::day), 6);
  // 11-04 is folded with the first of the smallest others, 11-02; the days
  // after them must not be compared with them.
  EXPECT_EQ(keys(second), (std::vector<std::string>{"2026-11-01", "2026-11-03", "2026-11-05"}));
  EXPECT_TRUE(second["groups"][1]["versus"].is_null());
  EXPECT_TRUE(second["groups"][2]["versus"].is_null());
  EXPECT_EQ(second["folded"]["answers"], 11);
}

TEST(PublicSummary, TooFewAnswersOverallShowNothing) {
  std::vector<answer> answers;
  add_segment(answers, "web", 3, 0, "angry");
  const json out = public_json(summarize_answers(answers, group_by::segment), 5);
  EXPECT_EQ(out["n"], 0);
  EXPECT_EQ(out["histogram"], json::array({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_TRUE(out["groups"].empty());
  EXPECT_EQ(out["folded"]["overall"], true);
  EXPECT_EQ(out["folded"]["answers"], 3);
  EXPECT_EQ(out.dump().find("angry"), std::string::npos);
}

TEST(PublicSummary, RatingBlocksUnderTheMinimumAreWithheld) {
  const json summary = {
      {"schema", "npskit.summary/1"},
      {"n", 40},
      {"csat", {{"n", 12}, {"share", 75.0}}},
      {"ces", {{"n", 4}, {"mean", 6.5}}},
      {"groups",
       json::array({json{{"key", "web"}, {"n", 20}, {"csat", {{"n", 1}, {"share", 100.0}}}},
                    json{{"key", "app"}, {"n", 20}, {"csat", {{"n", 11}, {"share", 45.5}}}}})}};
  const json out = json::parse(withhold_small_rating_blocks(summary.dump(), 5));
  EXPECT_EQ(out["csat"]["n"], 12);
  EXPECT_FALSE(out.contains("ces")) << "4 CES answers could name the people who gave them";
  EXPECT_FALSE(out["groups"][0].contains("csat"));
  EXPECT_EQ(out["groups"][1]["csat"]["share"], 45.5);
  EXPECT_EQ(out["n"], 40);
}

TEST(PublicSummary, RatingBlocksLeaveOtherTextAlone) {
  EXPECT_EQ(withhold_small_rating_blocks("[1,2]", 5), "[1,2]");
  EXPECT_EQ(withhold_small_rating_blocks("not json", 5), "not json");
}

}  // namespace
}  // namespace npskit::cli

namespace npskit::cli {
namespace {

// CSAT answers per group (key, count), each with one NPS score too; the
// first `ces` answers also carry a CES rating.
summary summarize_ratings_by(group_by by, const std::vector<std::pair<std::string, int>>& groups,
                             int ces) {
  aggregate data(by);
  int added = 0;
  for (const auto& [key, count] : groups) {
    for (int i = 0; i < count; ++i, ++added) {
      record_view record;
      record.score = 9;
      record.csat = 1 + (added % 5);
      record.ces = added < ces ? 6 : 0;
      if (by == group_by::segment) {
        record.segment = key;
      } else {
        record.timestamp = key;
      }
      EXPECT_TRUE(data.add(record));
    }
  }
  auto summarized = summarize(data, summary_options{});
  EXPECT_TRUE(summarized);
  return *summarized;
}

std::vector<std::string> rating_keys(const json& block) {
  std::vector<std::string> found;
  for (const json& group : block["groups"]) found.push_back(group["key"].get<std::string>());
  return found;
}

TEST(PublicSummary, RatingGroupsAreFoldedLikeNpsGroups) {
  const summary full = summarize_ratings_by(
      group_by::segment, {{"alpha", 8}, {"beta", 7}, {"gamma", 6}, {"delta", 2}}, 2);
  ASSERT_TRUE(full.csat && full.ces);
  EXPECT_EQ(full.csat->groups.size(), 4U);
  const json published = public_json(full, 5);
  EXPECT_EQ(published["csat"]["n"], 23);
  // delta (2) alone could be recovered from the total: gamma, the smallest
  // other group, is folded with it.
  EXPECT_EQ(rating_keys(published["csat"]), (std::vector<std::string>{"alpha", "beta"}));
  EXPECT_EQ(published["csat"]["folded"], (json{{"min_group", 5}, {"groups", 2}, {"answers", 8}}));
  EXPECT_FALSE(published.contains("ces")) << "two CES answers are too few to publish";
}

TEST(PublicSummary, RatingPeriodsAfterAFoldedPeriodLoseTheirComparison) {
  const summary full = summarize_ratings_by(group_by::day,
                                            {{"2026-11-01T10:00:00Z", 6},
                                             {"2026-11-02T10:00:00Z", 2},
                                             {"2026-11-03T10:00:00Z", 6},
                                             {"2026-11-04T10:00:00Z", 7}},
                                            0);
  const json published = public_json(full, 5);
  EXPECT_EQ(rating_keys(published["csat"]), (std::vector<std::string>{"2026-11-03", "2026-11-04"}));
  EXPECT_TRUE(published["csat"]["groups"][0]["versus"].is_null())
      << "the previous period was folded; the difference would describe it";
  EXPECT_EQ(published["csat"]["groups"][1]["versus"]["reference_key"], "2026-11-03");
}

}  // namespace
}  // namespace npskit::cli
