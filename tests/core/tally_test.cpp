#include "npskit/tally.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace {

using npskit::category;
using npskit::counts;
using npskit::error_code;
using npskit::tally;

constexpr std::uint64_t two_to_53 = std::uint64_t{1} << 53;

TEST(Classify, SplitsTheScaleAtSevenAndNine) {
  for (int score = 0; score <= 6; ++score) {
    EXPECT_EQ(npskit::classify(score).value(), category::detractor) << score;
  }
  EXPECT_EQ(npskit::classify(7).value(), category::passive);
  EXPECT_EQ(npskit::classify(8).value(), category::passive);
  EXPECT_EQ(npskit::classify(9).value(), category::promoter);
  EXPECT_EQ(npskit::classify(10).value(), category::promoter);
}

TEST(Classify, RejectsScoresOutsideTheScaleNamingThem) {
  for (const int score : {-1, 11, 100, std::numeric_limits<int>::min()}) {
    const auto kind = npskit::classify(score);
    ASSERT_FALSE(kind.has_value()) << score;
    EXPECT_EQ(kind.error().code, error_code::invalid_score);
    EXPECT_EQ(
        kind.error().message.rfind("score " + std::to_string(score) + " is not from 0 to 10", 0),
        0u)
        << kind.error().message;
  }
}

TEST(Category, HasStableNames) {
  EXPECT_STREQ(npskit::to_string(category::detractor), "detractor");
  EXPECT_STREQ(npskit::to_string(category::passive), "passive");
  EXPECT_STREQ(npskit::to_string(category::promoter), "promoter");
}

TEST(Nps, IsPromoterShareMinusDetractorShare) {
  EXPECT_DOUBLE_EQ(npskit::nps(counts{50, 30, 20}), 30.0);
  EXPECT_DOUBLE_EQ(npskit::nps(counts{0, 5, 20}), -80.0);
  EXPECT_DOUBLE_EQ(npskit::nps(counts{3, 2, 1}), 100.0 / 3.0);
  EXPECT_EQ(npskit::nps(counts{7, 0, 0}), 100.0);
  EXPECT_EQ(npskit::nps(counts{0, 0, 7}), -100.0);
  EXPECT_EQ(npskit::nps(counts{0, 7, 0}), 0.0);
}

TEST(Nps, IsZeroWithoutAnswers) { EXPECT_EQ(npskit::nps(counts{}), 0.0); }

TEST(Nps, IsExactWhereTheShareIsExact) {
  // A band boundary such as 20 must not come out as 19.999999999999996,
  // which 100 * (P / n - D / n) gives for 3/0/2.
  EXPECT_EQ(npskit::nps(counts{3, 0, 2}), 20.0);
  EXPECT_EQ(npskit::nps(counts{2, 0, 3}), -20.0);
  EXPECT_EQ(npskit::nps(counts{4, 0, 1}), 60.0);
  EXPECT_EQ(npskit::nps(counts{1, 5, 4}), -30.0);
  EXPECT_EQ(npskit::nps(counts{51, 48, 1}), 50.0);
}

TEST(Percentages, SplitTheAnswersAndAreZeroWithoutAnswers) {
  const npskit::shares split = npskit::percentages(counts{50, 30, 20});
  EXPECT_DOUBLE_EQ(split.promoters, 50.0);
  EXPECT_DOUBLE_EQ(split.passives, 30.0);
  EXPECT_DOUBLE_EQ(split.detractors, 20.0);
  const npskit::shares thirds = npskit::percentages(counts{1, 1, 1});
  EXPECT_NEAR(thirds.promoters + thirds.passives + thirds.detractors, 100.0, 1e-12);
  const npskit::shares none = npskit::percentages(counts{});
  EXPECT_EQ(none.promoters, 0.0);
  EXPECT_EQ(none.passives, 0.0);
  EXPECT_EQ(none.detractors, 0.0);
}

TEST(Tally, CountsEveryScoreInItsBinAndCategory) {
  tally answers;
  for (int score = 0; score <= 10; ++score) {
    for (int repeat = 0; repeat <= score; ++repeat) {
      ASSERT_TRUE(answers.add(score).has_value());
    }
  }
  for (int score = 0; score <= 10; ++score) {
    EXPECT_EQ(answers.histogram()[static_cast<std::size_t>(score)],
              static_cast<std::uint64_t>(score + 1));
  }
  const counts totals = answers.category_counts();
  EXPECT_EQ(totals.detractors, 28u);  // 1 + 2 + ... + 7
  EXPECT_EQ(totals.passives, 17u);    // 8 + 9
  EXPECT_EQ(totals.promoters, 21u);   // 10 + 11
  EXPECT_EQ(answers.n(), 66u);
  EXPECT_FALSE(answers.weighted());
  EXPECT_EQ(answers.weights().promoters, 21.0);
  EXPECT_EQ(answers.weights().passives, 17.0);
  EXPECT_EQ(answers.weights().detractors, 28.0);
  EXPECT_EQ(answers.weights().squares, 66.0);
  EXPECT_EQ(answers.weights().total(), 66.0);
}

TEST(Tally, SumsWeightsAndTheirSquares) {
  tally answers;
  ASSERT_TRUE(answers.add(10, 2.5).has_value());
  ASSERT_TRUE(answers.add(3, 0.5).has_value());
  ASSERT_TRUE(answers.add(8).has_value());
  EXPECT_TRUE(answers.weighted());
  EXPECT_EQ(answers.n(), 3u);
  EXPECT_EQ(answers.weights().promoters, 2.5);
  EXPECT_EQ(answers.weights().detractors, 0.5);
  EXPECT_EQ(answers.weights().passives, 1.0);
  EXPECT_EQ(answers.weights().squares, 6.25 + 0.25 + 1.0);
}

TEST(Tally, AcceptsAZeroWeight) {
  tally answers;
  ASSERT_TRUE(answers.add(9, 0.0).has_value());
  EXPECT_EQ(answers.n(), 1u);
  EXPECT_EQ(answers.weights().total(), 0.0);
  EXPECT_TRUE(answers.weighted());
}

TEST(Tally, RejectsABadScoreWithoutChangingAnything) {
  tally answers;
  ASSERT_TRUE(answers.add(9).has_value());
  const auto status = answers.add(11);
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, error_code::invalid_score);
  EXPECT_EQ(status.error().message.rfind("score 11 is not from 0 to 10", 0), 0u);
  const auto many = answers.add_many(-3, 5);
  ASSERT_FALSE(many.has_value());
  EXPECT_EQ(many.error().code, error_code::invalid_score);
  EXPECT_EQ(answers.n(), 1u);
  EXPECT_EQ(answers.weights().total(), 1.0);
}

TEST(Tally, RejectsBadWeightsNamingThemWithoutChangingAnything) {
  struct bad_weight {
    double weight;
    const char* shown;
  };
  const bad_weight cases[] = {
      {-1.0, "weight -1 for score 9 is negative"},
      {-0.25, "weight -0.25 for score 9 is negative"},
      {std::numeric_limits<double>::quiet_NaN(), "for score 9 is not a finite number"},
      {std::numeric_limits<double>::infinity(), "weight inf for score 9 is not a finite"},
  };
  for (const bad_weight& item : cases) {
    tally answers;
    const auto status = answers.add(9, item.weight);
    ASSERT_FALSE(status.has_value()) << item.weight;
    EXPECT_EQ(status.error().code, error_code::invalid_weight);
    EXPECT_NE(status.error().message.find(item.shown), std::string::npos) << status.error().message;
    EXPECT_EQ(answers.n(), 0u);
    EXPECT_EQ(answers.weights().total(), 0.0);
    EXPECT_FALSE(answers.weighted());
  }
}

TEST(Tally, HoldsCountsBeyondTwoToThe31Exactly) {
  const std::uint64_t beyond_int = (std::uint64_t{1} << 31) + 7;
  const std::uint64_t beyond_uint = std::uint64_t{1} << 40;
  tally answers;
  ASSERT_TRUE(answers.add_many(10, beyond_int).has_value());
  ASSERT_TRUE(answers.add_many(0, beyond_uint).has_value());
  ASSERT_TRUE(answers.add_many(7, beyond_int).has_value());
  const counts totals = answers.category_counts();
  EXPECT_EQ(totals.promoters, beyond_int);
  EXPECT_EQ(totals.detractors, beyond_uint);
  EXPECT_EQ(totals.passives, beyond_int);
  EXPECT_EQ(answers.n(), 2 * beyond_int + beyond_uint);
  EXPECT_EQ(answers.weights().promoters, static_cast<double>(beyond_int));
  EXPECT_EQ(answers.weights().squares, static_cast<double>(2 * beyond_int + beyond_uint));
  EXPECT_FALSE(answers.weighted());
}

TEST(Tally, ScoresHugeTalliesLikeSmallOnes) {
  // 50/30/20 scaled by 2^34 (n = 100 * 2^34, beyond 2^40) keeps NPS 30.
  const std::uint64_t scale = std::uint64_t{1} << 34;
  tally answers;
  ASSERT_TRUE(answers.add_many(9, 50 * scale).has_value());
  ASSERT_TRUE(answers.add_many(8, 30 * scale).has_value());
  ASSERT_TRUE(answers.add_many(6, 20 * scale).has_value());
  EXPECT_EQ(npskit::nps(answers.category_counts()), 30.0);
  const npskit::shares split = npskit::percentages(answers.category_counts());
  EXPECT_EQ(split.promoters, 50.0);
  EXPECT_EQ(split.detractors, 20.0);
}

TEST(Tally, StopsAtTwoToThe53AnswersWithAClearError) {
  tally answers;
  ASSERT_TRUE(answers.add_many(9, two_to_53 - 1).has_value());
  ASSERT_TRUE(answers.add(3).has_value());
  EXPECT_EQ(answers.n(), two_to_53);
  EXPECT_EQ(answers.weights().total(), 9007199254740992.0);

  const auto one_more = answers.add(5);
  ASSERT_FALSE(one_more.has_value());
  EXPECT_EQ(one_more.error().code, error_code::invalid_argument);
  EXPECT_NE(one_more.error().message.find("9007199254740992"), std::string::npos)
      << one_more.error().message;

  const auto many_more = answers.add_many(5, 1);
  ASSERT_FALSE(many_more.has_value());
  EXPECT_NE(many_more.error().message.find("cannot add 1 answers of score 5"), std::string::npos)
      << many_more.error().message;
  EXPECT_EQ(answers.n(), two_to_53);

  tally fresh;
  const auto too_many = fresh.add_many(9, std::numeric_limits<std::uint64_t>::max());
  ASSERT_FALSE(too_many.has_value());
  EXPECT_EQ(fresh.n(), 0u);
}

TEST(Tally, AddManyOfZeroIsANoOpButStillChecksTheScore) {
  tally answers;
  EXPECT_TRUE(answers.add_many(4, 0).has_value());
  EXPECT_EQ(answers.n(), 0u);
  EXPECT_FALSE(answers.add_many(12, 0).has_value());
}

TEST(Tally, MergeEqualsAddingEveryAnswerToOneTally) {
  tally whole;
  tally first_half;
  tally second_half;
  for (int i = 0; i < 200; ++i) {
    const int score = (i * 7) % 11;
    const double weight = 0.5 + (i % 4);
    ASSERT_TRUE(whole.add(score, weight).has_value());
    ASSERT_TRUE((i < 120 ? first_half : second_half).add(score, weight).has_value());
  }
  first_half.merge(second_half);
  EXPECT_EQ(first_half.histogram(), whole.histogram());
  EXPECT_EQ(first_half.n(), whole.n());
  EXPECT_DOUBLE_EQ(first_half.weights().promoters, whole.weights().promoters);
  EXPECT_DOUBLE_EQ(first_half.weights().passives, whole.weights().passives);
  EXPECT_DOUBLE_EQ(first_half.weights().detractors, whole.weights().detractors);
  EXPECT_DOUBLE_EQ(first_half.weights().squares, whole.weights().squares);
  EXPECT_TRUE(first_half.weighted());
}

TEST(Tally, MergeCarriesTheWeightedFlagEitherWay) {
  tally plain;
  ASSERT_TRUE(plain.add(9).has_value());
  tally weighted;
  ASSERT_TRUE(weighted.add(9, 3.0).has_value());
  tally into_plain = plain;
  into_plain.merge(weighted);
  EXPECT_TRUE(into_plain.weighted());
  tally into_weighted = weighted;
  into_weighted.merge(plain);
  EXPECT_TRUE(into_weighted.weighted());
  tally both_plain = plain;
  both_plain.merge(plain);
  EXPECT_FALSE(both_plain.weighted());
  EXPECT_EQ(both_plain.n(), 2u);
}

TEST(Tally, MergeOfHugeTalliesIsExactAndNeverWrapsAround) {
  tally big;
  ASSERT_TRUE(big.add_many(10, two_to_53 / 2).has_value());
  ASSERT_TRUE(big.add_many(0, two_to_53 / 2).has_value());
  tally total = big;
  total.merge(big);
  EXPECT_EQ(total.n(), 2 * two_to_53);
  EXPECT_EQ(total.category_counts().promoters, two_to_53);

  // Doubling 2^54 answers ten more times passes 2^64: counts stop at the
  // maximum instead of wrapping to a small number.
  std::uint64_t previous = total.n();
  for (int doubling = 0; doubling < 11; ++doubling) {
    const tally copy = total;
    total.merge(copy);
    EXPECT_GE(total.n(), previous);
    previous = total.n();
  }
  EXPECT_EQ(total.n(), std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(total.category_counts().promoters, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(total.histogram()[10], std::numeric_limits<std::uint64_t>::max());
}

TEST(ErrorCode, HasStableMachineReadableNames) {
  EXPECT_STREQ(npskit::to_string(error_code::invalid_argument), "invalid_argument");
  EXPECT_STREQ(npskit::to_string(error_code::invalid_score), "invalid_score");
  EXPECT_STREQ(npskit::to_string(error_code::invalid_confidence), "invalid_confidence");
  EXPECT_STREQ(npskit::to_string(error_code::invalid_weight), "invalid_weight");
  EXPECT_STREQ(npskit::to_string(error_code::parse_error), "parse_error");
  EXPECT_STREQ(npskit::to_string(error_code::missing_column), "missing_column");
  EXPECT_STREQ(npskit::to_string(error_code::invalid_record), "invalid_record");
  EXPECT_STREQ(npskit::to_string(error_code::empty_input), "empty_input");
}

}  // namespace
