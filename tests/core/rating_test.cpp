#include "npskit/rating.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

using nlohmann::json;
using npskit::error_code;
using npskit::rating_metric;
using npskit::rating_tally;

// The vectors come from 40-digit arithmetic (tests/data/rating_vectors.py);
// the core's incomplete beta and Lanczos gamma are good to about 1e-13.
double tolerance(double expected) { return 1e-10 * std::max(1.0, std::fabs(expected)); }

json load_vectors() {
  std::ifstream file(std::string(NPSKIT_TEST_DATA_DIR) + "/rating_vectors.json", std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return json::parse(text.str(), nullptr, false);
}

const json& list(const json& vectors, const char* name) {
  static const json empty = json::array();
  const auto found = vectors.find(name);
  if (found == vectors.end() || !found->is_array() || found->empty()) {
    ADD_FAILURE() << "rating_vectors.json has no \"" << name << "\" list";
    return empty;
  }
  return *found;
}

double number(const json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_number()) {
    ADD_FAILURE() << "field \"" << key << "\" missing in " << object.dump();
    return std::numeric_limits<double>::quiet_NaN();
  }
  return found->get<double>();
}

std::optional<double> optional_number(const json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) return std::nullopt;
  return found->get<double>();
}

rating_tally tally_of(const json& vector, const json& histogram) {
  const rating_metric metric =
      npskit::parse_rating_metric(vector.at("metric").get<std::string>()).value();
  rating_tally tally(metric);
  for (std::size_t i = 0; i < histogram.size(); ++i) {
    const std::uint64_t count = histogram[i].get<std::uint64_t>();
    if (count > 0) {
      EXPECT_TRUE(tally.add_many(static_cast<int>(i) + 1, count));
    }
  }
  return tally;
}

TEST(RatingVectors, SummariesMatchWilsonAndStudentT) {
  const json vectors = load_vectors();
  ASSERT_FALSE(vectors.is_discarded()) << "tests/data/rating_vectors.json is not valid JSON";
  for (const json& vector : list(vectors, "summaries")) {
    SCOPED_TRACE(vector.dump());
    const json& expected = vector.at("expected");
    const auto summary = npskit::summarize_ratings(tally_of(vector, vector.at("histogram")),
                                                   number(vector, "confidence"));
    ASSERT_TRUE(summary);
    EXPECT_EQ(summary->n, expected.at("n").get<std::uint64_t>());
    if (summary->n == 0) {
      EXPECT_FALSE(summary->share || summary->share_interval || summary->mean ||
                   summary->mean_interval || summary->sd);
      continue;
    }
    ASSERT_TRUE(summary->share && summary->share_interval && summary->mean);
    EXPECT_NEAR(*summary->share, number(expected, "share"), tolerance(*summary->share));
    EXPECT_NEAR(summary->share_interval->low, number(expected, "share_low"), 1e-10);
    EXPECT_NEAR(summary->share_interval->high, number(expected, "share_high"), 1e-10);
    EXPECT_NEAR(*summary->mean, number(expected, "mean"), 1e-12);
    if (summary->n == 1) {
      EXPECT_FALSE(summary->sd || summary->mean_interval) << "one answer has no spread";
      continue;
    }
    ASSERT_TRUE(summary->sd && summary->mean_interval);
    EXPECT_NEAR(*summary->sd, number(expected, "sd"), 1e-12);
    EXPECT_NEAR(summary->mean_interval->low, number(expected, "mean_low"), 1e-10);
    EXPECT_NEAR(summary->mean_interval->high, number(expected, "mean_high"), 1e-10);
  }
}

TEST(RatingVectors, StudentTQuantiles) {
  const json vectors = load_vectors();
  for (const json& vector : list(vectors, "t_quantiles")) {
    SCOPED_TRACE(vector.dump());
    const auto t = npskit::t_for_confidence(number(vector, "confidence"), number(vector, "df"));
    ASSERT_TRUE(t);
    EXPECT_NEAR(*t, number(vector, "t"), tolerance(number(vector, "t")));
    EXPECT_NEAR(npskit::student_t_two_sided_p_value(*t, number(vector, "df")),
                1 - number(vector, "confidence"), 1e-12);
  }
}

TEST(RatingVectors, TwoProportionAndWelchTests) {
  const json vectors = load_vectors();
  for (const json& vector : list(vectors, "tests")) {
    SCOPED_TRACE(vector.dump());
    const rating_tally a = tally_of(vector, vector.at("a"));
    const rating_tally b = tally_of(vector, vector.at("b"));
    const auto share = npskit::compare_shares(a, b);
    ASSERT_TRUE(share);
    const json& expected_share = vector.at("share");
    EXPECT_NEAR(share->diff, number(expected_share, "diff"), 1e-10);
    EXPECT_NEAR(share->se, number(expected_share, "se"), 1e-10);
    EXPECT_NEAR(share->statistic, number(expected_share, "z"), 1e-10);
    EXPECT_NEAR(share->p_value, number(expected_share, "p_value"),
                1e-9 * number(expected_share, "p_value") + 1e-15);
    EXPECT_FALSE(share->df);

    const auto mean = npskit::compare_means(a, b);
    ASSERT_TRUE(mean);
    const json& expected_mean = vector.at("mean");
    EXPECT_NEAR(mean->diff, number(expected_mean, "diff"), 1e-12);
    EXPECT_NEAR(mean->se, number(expected_mean, "se"), 1e-12);
    EXPECT_NEAR(mean->statistic, number(expected_mean, "t"), 1e-10);
    ASSERT_TRUE(mean->df);
    EXPECT_NEAR(*mean->df, number(expected_mean, "df"), 1e-8);
    EXPECT_NEAR(mean->p_value, number(expected_mean, "p_value"),
                1e-8 * number(expected_mean, "p_value") + 1e-15);
  }
}

TEST(RatingVectors, SampleSizes) {
  const json vectors = load_vectors();
  for (const json& plan : list(vectors, "plans")) {
    SCOPED_TRACE(plan.dump());
    const std::string kind = plan.at("kind").get<std::string>();
    const std::uint64_t expected = plan.at("n").get<std::uint64_t>();
    npskit::result<npskit::sample_size_plan> got =
        npskit::make_error(error_code::invalid_argument, "unknown kind " + kind);
    if (kind == "share") {
      got = npskit::rating_share_sample_size(number(plan, "margin"), number(plan, "confidence"),
                                             optional_number(plan, "expected_share"));
    } else if (kind == "mean") {
      got = npskit::rating_mean_sample_size(
          npskit::parse_rating_metric(plan.at("metric").get<std::string>()).value(),
          number(plan, "margin"), number(plan, "confidence"), optional_number(plan, "expected_sd"));
    } else if (kind == "share_difference") {
      got = npskit::rating_share_difference_sample_size(
          number(plan, "difference"), number(plan, "confidence"), number(plan, "power"),
          optional_number(plan, "expected_share_a"), optional_number(plan, "expected_share_b"));
    } else if (kind == "mean_difference") {
      got = npskit::rating_mean_difference_sample_size(
          npskit::parse_rating_metric(plan.at("metric").get<std::string>()).value(),
          number(plan, "difference"), number(plan, "confidence"), number(plan, "power"),
          optional_number(plan, "expected_sd"));
    }
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(got->n, expected);
  }
}

TEST(Rating, ScalesAndTopAnswers) {
  rating_tally csat(rating_metric::csat);
  for (int value = 1; value <= 5; ++value) ASSERT_TRUE(csat.add(value));
  EXPECT_EQ(csat.n(), 5U);
  EXPECT_EQ(csat.top(), 2U);  // 4 and 5
  rating_tally ces(rating_metric::ces);
  for (int value = 1; value <= 7; ++value) ASSERT_TRUE(ces.add(value));
  EXPECT_EQ(ces.top(), 3U);  // 5, 6 and 7
}

TEST(Rating, OffScaleValuesAreRefusedWithTheirRange) {
  rating_tally csat(rating_metric::csat);
  const auto six = csat.add(6);
  ASSERT_FALSE(six);
  EXPECT_EQ(six.error().code, error_code::invalid_score);
  EXPECT_EQ(six.error().message, "csat must be an integer from 1 to 5 (got 6)");
  EXPECT_FALSE(csat.add(0));
  EXPECT_EQ(csat.n(), 0U);
  rating_tally ces(rating_metric::ces);
  EXPECT_TRUE(ces.add(7));
  EXPECT_EQ(ces.add(8).error().message, "ces must be an integer from 1 to 7 (got 8)");
}

TEST(Rating, MergeIsExactAndRefusesAnotherMetric) {
  rating_tally a(rating_metric::ces);
  rating_tally b(rating_metric::ces);
  ASSERT_TRUE(a.add_many(2, 3));
  ASSERT_TRUE(b.add_many(6, 4));
  ASSERT_TRUE(a.merge(b));
  EXPECT_EQ(a.n(), 7U);
  EXPECT_EQ(a.top(), 4U);
  EXPECT_FALSE(a.merge(rating_tally(rating_metric::csat)));
}

TEST(Rating, EqualAnswersCollapseTheMeanIntervalButNotWilson) {
  rating_tally all_fives(rating_metric::csat);
  ASSERT_TRUE(all_fives.add_many(5, 3));
  const auto summary = npskit::summarize_ratings(all_fives, 0.95).value();
  EXPECT_EQ(*summary.share, 100);
  EXPECT_EQ(summary.share_interval->high, 100);
  EXPECT_LT(summary.share_interval->low, 50);  // three answers prove little
  EXPECT_EQ(*summary.sd, 0);
  EXPECT_EQ(summary.mean_interval->low, 5);
  EXPECT_EQ(summary.mean_interval->high, 5);
}

TEST(Rating, MeanIntervalStaysOnTheScale) {
  rating_tally few(rating_metric::csat);
  ASSERT_TRUE(few.add(1));
  ASSERT_TRUE(few.add(5));
  const auto summary = npskit::summarize_ratings(few, 0.95).value();
  EXPECT_EQ(summary.mean_interval->low, 1);
  EXPECT_EQ(summary.mean_interval->high, 5);
}

TEST(Rating, TestsNeedAnswersInBothGroups) {
  rating_tally some(rating_metric::csat);
  ASSERT_TRUE(some.add_many(4, 2));
  rating_tally one(rating_metric::csat);
  ASSERT_TRUE(one.add(3));
  EXPECT_EQ(npskit::compare_shares(some, rating_tally(rating_metric::csat)).error().code,
            error_code::empty_input);
  EXPECT_TRUE(npskit::compare_shares(some, one));
  const auto welch = npskit::compare_means(some, one);
  ASSERT_FALSE(welch);
  EXPECT_EQ(welch.error().message, "group b has 1 csat answer; Welch's t test needs at least 2");
  EXPECT_FALSE(npskit::compare_means(some, rating_tally(rating_metric::ces)));
}

TEST(Rating, TestsWithoutSpreadAreUndefinedUnlessEqual) {
  rating_tally fives(rating_metric::csat);
  ASSERT_TRUE(fives.add_many(5, 4));
  rating_tally ones(rating_metric::csat);
  ASSERT_TRUE(ones.add_many(1, 4));
  const auto apart = npskit::compare_means(fives, ones).value();
  EXPECT_TRUE(std::isnan(apart.statistic));
  EXPECT_FALSE(npskit::is_significant(apart, 0.95));
  const auto same = npskit::compare_means(fives, fives).value();
  EXPECT_EQ(same.statistic, 0);
  EXPECT_EQ(same.p_value, 1);
  // The pooled share of 50 % has spread: two groups apart are significant.
  EXPECT_TRUE(npskit::is_significant(npskit::compare_shares(fives, ones).value(), 0.95));
}

TEST(Rating, PlansRefuseImpossibleInputs) {
  EXPECT_FALSE(npskit::rating_share_sample_size(0, 0.95));
  EXPECT_FALSE(npskit::rating_share_sample_size(5, 0.95, 100.0));
  const auto too_wide = npskit::rating_mean_sample_size(rating_metric::csat, 0.1, 0.95, 2.5);
  ASSERT_FALSE(too_wide);
  EXPECT_EQ(too_wide.error().message,
            "expected standard deviation 2.5 is outside (0, 2] for csat on 1..5");
  EXPECT_FALSE(npskit::rating_mean_difference_sample_size(rating_metric::ces, 0.5, 0.95, 1));
}

TEST(Rating, MetricNames) {
  EXPECT_EQ(npskit::parse_rating_metric(" CES ").value(), rating_metric::ces);
  EXPECT_EQ(npskit::parse_rating_metric("nps").error().message,
            "metric \"nps\" is unknown; expected csat or ces");
}

}  // namespace
