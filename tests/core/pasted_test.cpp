// Scores pasted as text: every entry that is a score is counted, every other
// one is rejected with its line, and the rest is still read.
#include "npskit/pasted.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>

namespace {

using histogram = std::array<std::uint64_t, 11>;

npskit::pasted_scores read_ok(std::string_view text, std::size_t max_reported = 100) {
  auto pasted = npskit::read_pasted_scores(text, max_reported);
  EXPECT_TRUE(pasted.has_value()) << pasted.error().message;
  return pasted.has_value() ? pasted.value() : npskit::pasted_scores{};
}

TEST(PastedScores, ReadsScoresSeparatedAnyWayAFileWouldWriteThem) {
  const npskit::pasted_scores pasted = read_ok("9\n9.0, 10;3\r\n\t7 +8\n\n0\n");
  EXPECT_EQ(pasted.answers.histogram(), (histogram{1, 0, 0, 1, 0, 0, 0, 1, 1, 2, 1}));
  EXPECT_EQ(pasted.rejected, 0u);
  EXPECT_TRUE(pasted.rejections.empty());
}

TEST(PastedScores, RejectsWhatIsNotAScoreNamingItsLine) {
  const npskit::pasted_scores pasted = read_ok("10\nnine 11\n\n9.5,-1\n8");
  EXPECT_EQ(pasted.answers.histogram(), (histogram{0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1}));
  EXPECT_EQ(pasted.rejected, 4u);
  ASSERT_EQ(pasted.rejections.size(), 4u);
  EXPECT_EQ(pasted.rejections[0].line, 2u);
  EXPECT_EQ(pasted.rejections[0].reason, "line 2: score \"nine\" is not a number from 0 to 10");
  EXPECT_EQ(pasted.rejections[1].reason, "line 2: score \"11\" is not from 0 to 10");
  EXPECT_EQ(pasted.rejections[2].line, 4u);
  EXPECT_EQ(pasted.rejections[2].reason,
            "line 4: score \"9.5\" is not a whole number from 0 to 10");
  EXPECT_EQ(pasted.rejections[3].reason, "line 4: score \"-1\" is not from 0 to 10");
}

TEST(PastedScores, KeepsTheFirstRejectionsAndCountsThemAll) {
  std::string text;
  for (int line = 0; line < 50; ++line) text += "x\n";
  const npskit::pasted_scores pasted = read_ok(text, 3);
  EXPECT_EQ(pasted.rejected, 50u);
  ASSERT_EQ(pasted.rejections.size(), 3u);
  EXPECT_EQ(pasted.rejections[2].line, 3u);
  EXPECT_EQ(pasted.answers.n(), 0u);
}

TEST(PastedScores, EmptyTextHasNoAnswers) {
  const npskit::pasted_scores pasted = read_ok(" \n\r\n");
  EXPECT_EQ(pasted.answers.n(), 0u);
  EXPECT_EQ(pasted.rejected, 0u);
}

TEST(Tally, CountsGoOnTheTopScoreOfTheirCategory) {
  const auto tallied = npskit::tally_from_counts(npskit::counts{5, 3, 2});
  ASSERT_TRUE(tallied.has_value());
  EXPECT_EQ(tallied->histogram(), (histogram{0, 0, 0, 0, 0, 0, 2, 0, 3, 0, 5}));
  EXPECT_FALSE(tallied->weighted());
}

TEST(Tally, ScoresAsNumbersAreTalliedOrTheFirstBadOneNamed) {
  const double scores[] = {9, 10.0, 0, 7};
  const auto tallied = npskit::tally_from_scores(scores, 4, "input");
  ASSERT_TRUE(tallied.has_value());
  EXPECT_EQ(tallied->histogram(), (histogram{1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1}));
  const double bad[] = {9, 10.5, 11};
  const auto refused = npskit::tally_from_scores(bad, 3, "answers");
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, npskit::error_code::invalid_score);
  EXPECT_EQ(refused.error().message, "answers[1] is 10.5; expected an integer score from 0 to 10");
}

}  // namespace
