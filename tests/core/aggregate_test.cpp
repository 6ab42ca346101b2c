// Aggregation of records: overall tally, segment and period groups,
// dismissals, comments by category, and exact merging of parts.
#include "npskit/aggregate.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "npskit/summary.h"

namespace {

using npskit::aggregate;
using npskit::category;
using npskit::date_options;
using npskit::date_order;
using npskit::date_problem;
using npskit::error_code;
using npskit::group_by;
using npskit::record_type;
using npskit::record_view;
using npskit::undated_answers;

record_view response(int score, std::string_view segment = {}, std::string_view timestamp = {},
                     std::string_view comment = {}, double weight = 1) {
  record_view value;
  value.type = record_type::response;
  value.score = score;
  value.segment = segment;
  value.timestamp = timestamp;
  value.comment = comment;
  value.weight = weight;
  return value;
}

record_view dismissal(std::string_view timestamp = {}) {
  record_view value;
  value.type = record_type::dismissal;
  value.timestamp = timestamp;
  return value;
}

std::uint64_t group_n(const aggregate& data, const std::string& key) {
  const auto found = data.groups().find(key);
  return found == data.groups().end() ? 0 : found->second.n();
}

TEST(GroupBy, ParsesAndNamesEveryGrouping) {
  for (const group_by value :
       {group_by::none, group_by::segment, group_by::day, group_by::week, group_by::month}) {
    const auto parsed = npskit::parse_group_by(npskit::to_string(value));
    ASSERT_TRUE(parsed.has_value()) << npskit::to_string(value);
    EXPECT_EQ(parsed.value(), value);
  }
  const auto upper = npskit::parse_group_by(" Week ");
  ASSERT_TRUE(upper.has_value());
  EXPECT_EQ(upper.value(), group_by::week);
}

TEST(GroupBy, UnknownNameIsAnError) {
  const auto parsed = npskit::parse_group_by("quarter");
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().code, error_code::invalid_argument);
  EXPECT_EQ(parsed.error().message,
            "grouping \"quarter\" is unknown (expected none, segment, day, week or month)");
}

TEST(Aggregate, TalliesResponsesAndCountsDismissals) {
  aggregate data;
  ASSERT_TRUE(data.add(response(10)));
  ASSERT_TRUE(data.add(response(8)));
  ASSERT_TRUE(data.add(response(3)));
  ASSERT_TRUE(data.add(dismissal()));
  ASSERT_TRUE(data.add(dismissal()));
  EXPECT_EQ(data.overall().n(), 3u);
  EXPECT_EQ(data.overall().histogram()[10], 1u);
  EXPECT_EQ(data.overall().histogram()[8], 1u);
  EXPECT_EQ(data.overall().histogram()[3], 1u);
  EXPECT_EQ(data.dismissals(), 2u);
  EXPECT_TRUE(data.groups().empty());
  EXPECT_EQ(data.by(), group_by::none);
}

TEST(Aggregate, SegmentsWithoutANameGoToNone) {
  aggregate data(group_by::segment);
  ASSERT_TRUE(data.add(response(9, "enterprise")));
  ASSERT_TRUE(data.add(response(6, " enterprise ")));
  ASSERT_TRUE(data.add(response(7, "")));
  ASSERT_TRUE(data.add(response(10, "  ")));
  ASSERT_TRUE(data.add(response(2, "smb")));
  EXPECT_EQ(data.overall().n(), 5u);
  ASSERT_EQ(data.groups().size(), 3u);
  EXPECT_EQ(group_n(data, "enterprise"), 2u);
  EXPECT_EQ(group_n(data, "(none)"), 2u);
  EXPECT_EQ(group_n(data, "smb"), 1u);
}

TEST(Aggregate, PeriodsGroupChronologically) {
  aggregate data(group_by::week);
  ASSERT_TRUE(data.add(response(9, {}, "2027-01-04T08:00:00Z")));
  ASSERT_TRUE(data.add(response(9, {}, "2026-12-28")));
  ASSERT_TRUE(data.add(response(3, {}, "2027-01-03 23:59:00+01:00")));
  ASSERT_TRUE(data.add(response(7, {}, "2026-11-22")));
  std::vector<std::string> keys;
  for (const auto& [key, group] : data.groups()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"2026-W47", "2026-W53", "2027-W01"}));
  EXPECT_EQ(group_n(data, "2026-W53"), 2u);

  aggregate months(group_by::month);
  ASSERT_TRUE(months.add(response(9, {}, "2026-12-01")));
  ASSERT_TRUE(months.add(response(9, {}, "2026-02-28")));
  ASSERT_TRUE(months.add(response(9, {}, "2026-02-01")));
  ASSERT_EQ(months.groups().size(), 2u);
  EXPECT_EQ(months.groups().begin()->first, "2026-02");
  EXPECT_EQ(group_n(months, "2026-02"), 2u);

  aggregate days(group_by::day);
  ASSERT_TRUE(days.add(response(9, {}, "2026-11-22T10:15:00.000Z")));
  EXPECT_EQ(group_n(days, "2026-11-22"), 1u);
}

TEST(Aggregate, AnswersWithoutAUsableDateCountInTheOverallAndInNoPeriod) {
  aggregate data(group_by::month);
  ASSERT_TRUE(data.add(response(9, {}, "2026-03-01")));
  ASSERT_TRUE(data.add(response(9, {}, "", "great support")));
  ASSERT_TRUE(data.add(response(3, {}, "  ")));
  ASSERT_TRUE(data.add(response(9, {}, "22/11/2026")));
  ASSERT_TRUE(data.add(response(0, {}, "yesterday")));

  EXPECT_EQ(data.overall().n(), 5u);
  ASSERT_EQ(data.groups().size(), 1u);
  EXPECT_EQ(group_n(data, "2026-03"), 1u);
  EXPECT_EQ(data.themes().comments(), 1u);
  const undated_answers& undated = data.undated();
  EXPECT_EQ(undated.count, 4u);
  ASSERT_EQ(undated.reasons.size(), 3u);
  EXPECT_EQ(undated.reasons[0].problem, date_problem::missing);
  EXPECT_EQ(undated.reasons[0].count, 2u);
  EXPECT_EQ(undated.reasons[1].problem, date_problem::needs_date_order);
  EXPECT_EQ(undated.reasons[1].example, "22/11/2026");
  EXPECT_EQ(undated.reasons[1].message,
            "timestamp \"22/11/2026\" is written day and month without saying which comes first "
            "(expected YYYY-MM-DD, or a date order: dmy for day-first, mdy for month-first)");
  EXPECT_EQ(undated.reasons[2].problem, date_problem::invalid);
  EXPECT_EQ(undated.reasons[2].example, "yesterday");

  // Merging adds the counts and keeps the first example of each reason.
  aggregate more(group_by::month);
  ASSERT_TRUE(more.add(response(9, {}, "31/12/2026")));
  ASSERT_TRUE(data.merge(more));
  EXPECT_EQ(data.undated().count, 5u);
  EXPECT_EQ(data.undated().reasons[1].count, 2u);
  EXPECT_EQ(data.undated().reasons[1].example, "22/11/2026");

  // An invalid score is still refused and leaves no trace.
  EXPECT_FALSE(data.add(response(11, {}, "")).has_value());
  EXPECT_EQ(data.undated().count, 5u);

  // Dismissals are not grouped, so they need no date.
  ASSERT_TRUE(data.add(dismissal()));
  EXPECT_EQ(data.dismissals(), 1u);
  EXPECT_EQ(data.undated().count, 5u);
}

TEST(Aggregate, DatesAreReadInTheGivenOrderAndZone) {
  date_options day_first;
  day_first.order = date_order::day_month_year;
  day_first.utc_offset_minutes = 60;
  aggregate data(group_by::day, true, day_first);
  ASSERT_TRUE(data.add(response(9, {}, "01.03.2026")));
  ASSERT_TRUE(data.add(response(9, {}, "2026-03-01T23:30:00Z")));
  ASSERT_TRUE(data.add(response(9, {}, "2026-03-02T00:30:00+02:00")));
  EXPECT_EQ(group_n(data, "2026-03-01"), 2u);
  EXPECT_EQ(group_n(data, "2026-03-02"), 1u);
  EXPECT_EQ(data.undated().count, 0u);
}

TEST(Aggregate, InvalidScoreOrWeightAddsNothing) {
  aggregate data(group_by::segment);
  const auto score = data.add(response(11, "pro", {}, "too good"));
  ASSERT_FALSE(score.has_value());
  EXPECT_EQ(score.error().code, error_code::invalid_score);
  const auto weight = data.add(response(9, "pro", {}, "fine", -2));
  ASSERT_FALSE(weight.has_value());
  EXPECT_EQ(weight.error().code, error_code::invalid_weight);
  EXPECT_EQ(data.overall().n(), 0u);
  EXPECT_TRUE(data.groups().empty());
  EXPECT_EQ(data.themes().comments(), 0u);
}

TEST(Aggregate, KeepsWeights) {
  aggregate data(group_by::segment);
  ASSERT_TRUE(data.add(response(10, "a", {}, {}, 2.5)));
  ASSERT_TRUE(data.add(response(0, "a")));
  EXPECT_TRUE(data.overall().weighted());
  EXPECT_DOUBLE_EQ(data.overall().weights().promoters, 2.5);
  EXPECT_DOUBLE_EQ(data.overall().weights().detractors, 1.0);
  EXPECT_TRUE(data.groups().at("a").weighted());
}

TEST(Aggregate, FeedsCommentsToThemesByCategory) {
  aggregate data;
  ASSERT_TRUE(data.add(response(10, {}, {}, "Lovely support")));
  ASSERT_TRUE(data.add(response(9, {}, {}, "support was lovely")));
  ASSERT_TRUE(data.add(response(2, {}, {}, "price too high")));
  ASSERT_TRUE(data.add(response(5, {}, {}, "Price!")));
  ASSERT_TRUE(data.add(response(8)));
  EXPECT_EQ(data.themes().comments(), 4u);
  const auto themes = data.themes().top(5);
  ASSERT_EQ(themes.promoters.size(), 2u);
  EXPECT_EQ(themes.promoters[0].term, "lovely");
  EXPECT_EQ(themes.promoters[1].term, "support");
  ASSERT_EQ(themes.detractors.size(), 1u);
  EXPECT_EQ(themes.detractors[0].term, "price");
  EXPECT_TRUE(themes.passives.empty());
}

TEST(Aggregate, WithoutThemesCountsTheSameAndCollectsNoComments) {
  aggregate with_themes(group_by::segment);
  aggregate without_themes(group_by::segment, false);
  for (aggregate* data : {&with_themes, &without_themes}) {
    ASSERT_TRUE(data->add(response(10, "a", {}, "Lovely support")));
    ASSERT_TRUE(data->add(response(2, "b", {}, "price too high")));
  }
  EXPECT_EQ(without_themes.overall().histogram(), with_themes.overall().histogram());
  EXPECT_EQ(without_themes.groups().size(), 2u);
  EXPECT_EQ(with_themes.themes().comments(), 2u);
  EXPECT_EQ(without_themes.themes().comments(), 0u);
}

// A deterministic mix of every kind of record: scores, weights, segments,
// dates across a year boundary, comments, dismissals and refused records.
struct sample_record {
  record_type type;
  int score;
  std::string segment;
  std::string timestamp;
  std::string comment;
  double weight;
};

std::vector<sample_record> sample_records(std::size_t count) {
  const char* const segments[] = {"enterprise", "smb", "", "pro"};
  const char* const comments[] = {"",
                                  "great support",
                                  "price is high",
                                  "ok app",
                                  "slow support and high price",
                                  "love the app"};
  std::vector<sample_record> out;
  std::uint32_t state = 12345;
  const auto next = [&state](std::uint32_t bound) {
    state = state * 1664525u + 1013904223u;
    return (state >> 8) % bound;
  };
  for (std::size_t i = 0; i < count; ++i) {
    sample_record value;
    value.type = next(10) == 0 ? record_type::dismissal : record_type::response;
    value.score = static_cast<int>(next(11));
    value.segment = segments[next(4)];
    const unsigned day = next(40);
    char date[32];
    if (next(25) == 0) {
      std::snprintf(date, sizeof date, "bad date %u", day);
    } else {
      std::snprintf(date, sizeof date, "%s-%02u", day < 20 ? "2026-12" : "2027-01",
                    day < 20 ? 12 + day : day - 19);
    }
    value.timestamp = date;
    value.comment = comments[next(6)];
    value.weight = next(3) == 0 ? 0.5 * (1 + next(4)) : 1.0;
    out.push_back(value);
  }
  return out;
}

void add_all(aggregate& data, const std::vector<sample_record>& records, std::size_t begin,
             std::size_t end) {
  for (std::size_t i = begin; i < end; ++i) {
    record_view view;
    view.type = records[i].type;
    view.score = records[i].type == record_type::dismissal ? -1 : records[i].score;
    view.segment = records[i].segment;
    view.timestamp = records[i].timestamp;
    view.comment = records[i].comment;
    view.weight = records[i].weight;
    (void)data.add(view);  // refused records are part of the mix on purpose
  }
}

std::string summary_json(const aggregate& data) {
  const auto summarized = npskit::summarize(data, npskit::summary_options{});
  EXPECT_TRUE(summarized.has_value());
  return summarized.has_value() ? npskit::to_json(summarized.value()) : std::string();
}

TEST(Aggregate, MergingPartsEqualsOnePass) {
  const std::vector<sample_record> records = sample_records(400);
  for (const group_by by :
       {group_by::none, group_by::segment, group_by::day, group_by::week, group_by::month}) {
    aggregate whole(by);
    add_all(whole, records, 0, records.size());
    ASSERT_GT(whole.overall().n(), 300u);
    const std::string expected = summary_json(whole);
    for (const std::size_t split :
         {std::size_t{0}, std::size_t{1}, std::size_t{137}, std::size_t{399}, records.size()}) {
      aggregate first(by);
      aggregate second(by);
      aggregate third(by);
      add_all(first, records, 0, split / 2);
      add_all(second, records, split / 2, split);
      add_all(third, records, split, records.size());
      ASSERT_TRUE(first.merge(second));
      ASSERT_TRUE(first.merge(third));
      EXPECT_EQ(first.overall().histogram(), whole.overall().histogram());
      EXPECT_EQ(first.dismissals(), whole.dismissals());
      EXPECT_EQ(first.themes().comments(), whole.themes().comments());
      EXPECT_EQ(summary_json(first), expected) << npskit::to_string(by) << " split " << split;
    }
  }
}

// What a store that keeps counts per group and score (and the comments in
// arrival order) needs to rebuild the same summary without the records.
TEST(Aggregate, FromCountedHistogramsEqualsOnePass) {
  std::vector<sample_record> records = sample_records(400);
  for (sample_record& record : records) record.weight = 1;
  for (const group_by by :
       {group_by::none, group_by::segment, group_by::day, group_by::week, group_by::month}) {
    // Stored answers always carry a usable date, so counts are kept only for
    // records that group_key can place; the one-pass aggregate gets the same.
    std::vector<sample_record> dated;
    std::map<std::string, std::array<std::uint64_t, 11>> histograms;
    std::uint64_t dismissals = 0;
    aggregate counted(by);
    for (const sample_record& record : records) {
      record_view view;
      view.type = record.type;
      view.score = record.type == record_type::dismissal ? -1 : record.score;
      view.segment = record.segment;
      view.timestamp = record.timestamp;
      view.comment = record.comment;
      if (view.type == record_type::dismissal) {
        ++dismissals;
        dated.push_back(record);
        continue;
      }
      const auto key = npskit::group_key(view, by);
      if (!key) continue;
      dated.push_back(record);
      ++histograms[key.value()][static_cast<std::size_t>(view.score)];
      counted.add_comment(view.score, view.comment);
    }
    for (const auto& [key, histogram] : histograms) {
      const auto answers = npskit::tally_from_histogram(histogram);
      ASSERT_TRUE(answers.has_value());
      ASSERT_TRUE(counted.add_counted(key, answers.value()));
    }
    counted.add_dismissals(dismissals);
    aggregate whole(by);
    add_all(whole, dated, 0, dated.size());
    EXPECT_EQ(counted.overall().histogram(), whole.overall().histogram());
    EXPECT_EQ(counted.dismissals(), whole.dismissals());
    EXPECT_EQ(counted.themes().comments(), whole.themes().comments());
    EXPECT_EQ(summary_json(counted), summary_json(whole)) << npskit::to_string(by);
  }
}

TEST(Aggregate, CountedAnswersNeedAGroupKeyWhenGrouping) {
  aggregate segments(group_by::segment);
  const auto answers = npskit::tally_from_histogram({0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0});
  ASSERT_TRUE(answers.has_value());
  const auto added = segments.add_counted("", answers.value());
  ASSERT_FALSE(added.has_value());
  EXPECT_EQ(added.error().code, error_code::invalid_argument);
  EXPECT_EQ(segments.overall().n(), 0u);
  aggregate overall;
  ASSERT_TRUE(overall.add_counted("", answers.value()));
  EXPECT_EQ(overall.overall().n(), 2u);
  EXPECT_TRUE(overall.groups().empty());
}

TEST(GroupKey, NamesTheGroupAddUses) {
  EXPECT_EQ(npskit::group_key(response(9, "  pro "), group_by::segment).value(), "pro");
  EXPECT_EQ(npskit::group_key(response(9, " "), group_by::segment).value(), "(none)");
  const record_view dated = response(9, {}, "2026-11-22T23:30:00-05:00");
  // 23:30 at -05:00 is 04:30 UTC on Monday 23 November.
  EXPECT_EQ(npskit::group_key(dated, group_by::day).value(), "2026-11-23");
  EXPECT_EQ(npskit::group_key(dated, group_by::week).value(), "2026-W48");
  EXPECT_EQ(npskit::group_key(dated, group_by::month).value(), "2026-11");
  EXPECT_EQ(npskit::group_key(dated, group_by::none).value(), "");
  EXPECT_FALSE(npskit::group_key(response(9), group_by::day).has_value());
}

TEST(Aggregate, MergeRefusesADifferentGrouping) {
  aggregate weeks(group_by::week);
  aggregate segments(group_by::segment);
  ASSERT_TRUE(segments.add(response(9, "pro")));
  const auto merged = weeks.merge(segments);
  ASSERT_FALSE(merged.has_value());
  EXPECT_EQ(merged.error().code, error_code::invalid_argument);
  EXPECT_EQ(merged.error().message,
            "cannot merge answers grouped by segment into answers grouped by week (expected the "
            "same grouping)");
  EXPECT_EQ(weeks.overall().n(), 0u);
}

TEST(Aggregate, MergingWithItselfDoublesEverything) {
  aggregate data(group_by::segment);
  ASSERT_TRUE(data.add(response(9, "pro", {}, "great support")));
  ASSERT_TRUE(data.add(dismissal()));
  ASSERT_TRUE(data.merge(data));
  EXPECT_EQ(data.overall().n(), 2u);
  EXPECT_EQ(group_n(data, "pro"), 2u);
  EXPECT_EQ(data.dismissals(), 2u);
  EXPECT_EQ(data.themes().comments(), 2u);
}

}  // namespace
