// Comment terms in the widget's scripts and languages, and the ranking of the
// themes that set one category's comments apart.
#include "npskit/themes.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace {

using npskit::category;
using npskit::comment_terms;
using npskit::theme;
using npskit::theme_collector;
using terms = std::vector<std::string>;

TEST(CommentTerms, LowerCasesWordsAndDropsStopWords) {
  EXPECT_EQ(comment_terms("The SUPPORT team was GREAT!!"), (terms{"support", "team", "great"}));
}

TEST(CommentTerms, DigitsPunctuationAndSingleLettersSeparate) {
  EXPECT_EQ(comment_terms("24/7 support-team, e-mail: ok?! a b c"),
            (terms{"support", "team", "mail", "ok"}));
  EXPECT_EQ(comment_terms("Don't like it, isn't fast"), (terms{"like", "fast"}));
  EXPECT_EQ(comment_terms("L'équipe d'assistance"), (terms{"équipe", "assistance"}));
  EXPECT_TRUE(comment_terms("").empty());
  EXPECT_TRUE(comment_terms("!!! 123 ... 9/10").empty());
}

TEST(CommentTerms, Swedish) {
  EXPECT_EQ(comment_terms("Snabb och trevlig KUNDTJÄNST, även på helger. Väldigt nöjd!"),
            (terms{"snabb", "trevlig", "kundtjänst", "helger", "nöjd"}));
  EXPECT_EQ(comment_terms("ÅTERKOPPLING ÄR ÖVERSKÅDLIG"), (terms{"återkoppling", "överskådlig"}));
}

TEST(CommentTerms, PolishLettersAreLowerCasedNotSplit) {
  EXPECT_EQ(comment_terms("ZAŻÓŁĆ GĘŚLĄ JAŹŃ"), (terms{"zażółć", "gęślą", "jaźń"}));
  EXPECT_EQ(comment_terms("Bardzo łatwa obsługa, ale ŚWIETNA aplikacja"),
            (terms{"łatwa", "obsługa", "świetna", "aplikacja"}));
}

TEST(CommentTerms, GermanSharpSIsKept) {
  EXPECT_EQ(comment_terms("Große Straße, GROẞE Preise"),
            (terms{"große", "straße", "große", "preise"}));
}

TEST(CommentTerms, GreekCyrillicHebrewArabic) {
  EXPECT_EQ(comment_terms("ΚΑΛΟΣ ΤΙΜΗ"), (terms{"καλος", "τιμη"}));
  EXPECT_EQ(comment_terms("Отличный СЕРВИС"), (terms{"отличный", "сервис"}));
  EXPECT_EQ(comment_terms("השירות מצוין מאוד"), (terms{"השירות", "מצוין"}));
  EXPECT_EQ(comment_terms("الخدمة ممتازة جدا"), (terms{"الخدمة", "ممتازة"}));
  // Vowel marks and the tatweel are optional in writing; both spellings are
  // the same word.
  EXPECT_EQ(comment_terms("الخِدْمَة ممتـــازة"), (terms{"الخدمة", "ممتازة"}));
  EXPECT_EQ(comment_terms("שָׁלוֹם"), (terms{"שלום"}));
}

TEST(CommentTerms, ChineseTextBecomesOverlappingBigrams) {
  EXPECT_EQ(comment_terms("客服很好，价格太贵了"),
            (terms{"客服", "服很", "很好", "价格", "格太", "太贵"}));
  EXPECT_EQ(comment_terms("好！"), (terms{"好"}));
  EXPECT_TRUE(comment_terms("的").empty());
  // A particle marks a word boundary, so no bigram spans it.
  EXPECT_EQ(comment_terms("价格的问题"), (terms{"价格", "问题"}));
}

TEST(CommentTerms, JapaneseKanaAndKanji) {
  EXPECT_EQ(comment_terms("サポートが丁寧です"), (terms{"サポ", "ポー", "ート", "丁寧"}));
  EXPECT_EQ(comment_terms("価格・品質"), (terms{"価格", "品質"}));
}

TEST(CommentTerms, MixedScriptsSplitAtTheScriptBoundary) {
  EXPECT_EQ(comment_terms("iPhone手机"), (terms{"iphone", "手机"}));
  EXPECT_EQ(comment_terms("ＡＰＰ　ｇｏｏｄ"), (terms{"app", "good"}));
}

TEST(CommentTerms, InvalidUtf8IsASeparator) {
  EXPECT_EQ(comment_terms("price\xFFsupport"), (terms{"price", "support"}));
  EXPECT_EQ(comment_terms("caf\xC3"), (terms{"caf"}));
  EXPECT_EQ(comment_terms("slow\xC0\xAFpage"), (terms{"slow", "page"}));          // overlong '/'
  EXPECT_EQ(comment_terms("slow\xED\xA0\x80page"), (terms{"slow", "page"}));      // surrogate
  EXPECT_EQ(comment_terms("slow\xF4\x90\x80\x80page"), (terms{"slow", "page"}));  // > U+10FFFF
  EXPECT_EQ(comment_terms("n\xC3\xB6jd\x80"), (terms{"nöjd"}));
}

TEST(CommentTerms, DropsRunsTooLongToBeWords) {
  EXPECT_EQ(comment_terms(std::string(48, 'q') + " fine"), (terms{std::string(48, 'q'), "fine"}));
  EXPECT_EQ(comment_terms(std::string(49, 'q') + " fine"), (terms{"fine"}));
}

// Promoters praise the support, detractors complain about the price.
theme_collector crafted_corpus() {
  theme_collector collector;
  collector.add(category::promoter, "Great support team");
  collector.add(category::promoter, "Support was friendly and quick");
  collector.add(category::promoter, "Friendly support, love it");
  collector.add(category::promoter, "The support is the best");
  collector.add(category::passive, "Decent app but the price could be lower");
  collector.add(category::passive, "It is an OK app");
  collector.add(category::detractor, "Price is too high");
  collector.add(category::detractor, "The price went up again");
  collector.add(category::detractor, "Too expensive, price doubled. Price price price!");
  collector.add(category::detractor, "Support was slow");
  return collector;
}

double log_odds_ratio(double a, double n, double b, double m) {
  return std::log((a + 0.5) / (n - a + 0.5)) - std::log((b + 0.5) / (m - b + 0.5));
}

TEST(ThemeCollector, FindsWhatEachCategoryTalksAbout) {
  const auto themes = crafted_corpus().top(10);

  ASSERT_EQ(themes.promoters.size(), 2u);
  EXPECT_EQ(themes.promoters[0].term, "support");
  EXPECT_EQ(themes.promoters[0].count, 4u);
  EXPECT_NEAR(themes.promoters[0].score, log_odds_ratio(4, 4, 1, 6), 1e-6);
  EXPECT_EQ(themes.promoters[1].term, "friendly");
  EXPECT_EQ(themes.promoters[1].count, 2u);
  EXPECT_NEAR(themes.promoters[1].score, log_odds_ratio(2, 4, 0, 6), 1e-6);

  ASSERT_EQ(themes.detractors.size(), 1u);
  EXPECT_EQ(themes.detractors[0].term, "price");
  // Three comments, however often one of them repeats the word.
  EXPECT_EQ(themes.detractors[0].count, 3u);
  EXPECT_NEAR(themes.detractors[0].score, log_odds_ratio(3, 4, 1, 6), 1e-6);

  ASSERT_EQ(themes.passives.size(), 1u);
  EXPECT_EQ(themes.passives[0].term, "app");
}

TEST(ThemeCollector, ExamplesAreTheFirstThreeCommentsWithTheTerm) {
  const auto themes = crafted_corpus().top(10);
  EXPECT_EQ(
      themes.promoters[0].examples,
      (terms{"Great support team", "Support was friendly and quick", "Friendly support, love it"}));
  EXPECT_EQ(themes.detractors[0].examples,
            (terms{"Price is too high", "The price went up again",
                   "Too expensive, price doubled. Price price price!"}));
}

TEST(ThemeCollector, ATermMoreCommonElsewhereIsNotATheme) {
  theme_collector collector;
  for (int i = 0; i < 8; ++i) collector.add(category::promoter, "support rocks");
  collector.add(category::promoter, "nice");
  collector.add(category::promoter, "nice");
  collector.add(category::detractor, "support slow");
  collector.add(category::detractor, "support slow");
  collector.add(category::detractor, "support slow");
  collector.add(category::detractor, "bad billing");
  collector.add(category::detractor, "bad billing");
  const auto themes = collector.top(10);
  for (const theme& item : themes.detractors) EXPECT_NE(item.term, "support");
  ASSERT_FALSE(themes.detractors.empty());
  EXPECT_EQ(themes.detractors[0].term, "slow");
}

TEST(ThemeCollector, OrdersByScoreThenCountThenTerm) {
  theme_collector collector;
  collector.add(category::promoter, "zebra apple mango");
  collector.add(category::promoter, "zebra apple mango");
  collector.add(category::promoter, "mango");
  collector.add(category::detractor, "other words here");
  const auto themes = collector.top(10);
  std::vector<std::string> order;
  for (const theme& item : themes.promoters) order.push_back(item.term);
  EXPECT_EQ(order, (terms{"mango", "apple", "zebra"}));
  EXPECT_EQ(themes.promoters[1].score, themes.promoters[2].score);
}

TEST(ThemeCollector, WithoutContrastRanksTheMostFrequentTermsFirst) {
  theme_collector collector;
  collector.add(category::detractor, "slow checkout");
  collector.add(category::detractor, "slow delivery");
  collector.add(category::detractor, "slow checkout again");
  collector.add(category::detractor, "late delivery");
  const auto themes = collector.top(10);
  ASSERT_EQ(themes.detractors.size(), 3u);
  EXPECT_EQ(themes.detractors[0].term, "slow");
  EXPECT_EQ(themes.detractors[1].term, "checkout");
  EXPECT_EQ(themes.detractors[2].term, "delivery");
  EXPECT_TRUE(themes.promoters.empty());
  EXPECT_TRUE(themes.passives.empty());
}

TEST(ThemeCollector, LimitsTheListAndKeepsExamplesBounded) {
  theme_collector collector;
  for (int i = 0; i < 50; ++i) {
    collector.add(category::promoter, "comment number " + std::to_string(i) + " alpha beta gamma");
  }
  collector.add(category::detractor, "nothing shared");
  const auto themes = collector.top(2);
  ASSERT_EQ(themes.promoters.size(), 2u);
  for (const theme& item : themes.promoters) {
    EXPECT_EQ(item.count, 50u);
    EXPECT_EQ(item.examples,
              (terms{"comment number 0 alpha beta gamma", "comment number 1 alpha beta gamma",
                     "comment number 2 alpha beta gamma"}));
  }
  EXPECT_TRUE(collector.top(0).promoters.empty());
}

TEST(ThemeCollector, RepeatedCommentsAreOneExample) {
  theme_collector collector;
  collector.add(category::passive, "fine app");
  collector.add(category::passive, "  fine app  ");
  collector.add(category::passive, "fine app overall");
  const auto themes = collector.top(5);
  ASSERT_FALSE(themes.passives.empty());
  EXPECT_EQ(themes.passives[0].count, 3u);
  EXPECT_EQ(themes.passives[0].examples, (terms{"fine app", "fine app overall"}));
}

TEST(ThemeCollector, BlankCommentsAreNotCounted) {
  theme_collector collector;
  collector.add(category::promoter, "");
  collector.add(category::promoter, " \t\r\n");
  EXPECT_EQ(collector.comments(), 0u);
  collector.add(category::promoter, "!!!");
  EXPECT_EQ(collector.comments(), 1u);
}

void expect_same_themes(const std::vector<theme>& a, const std::vector<theme>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].term, b[i].term);
    EXPECT_EQ(a[i].count, b[i].count);
    EXPECT_EQ(a[i].score, b[i].score);
    EXPECT_EQ(a[i].examples, b[i].examples);
  }
}

TEST(ThemeCollector, MergingPartsEqualsOnePass) {
  const std::vector<std::pair<category, std::string>> comments = {
      {category::promoter, "Great support team"},
      {category::promoter, "Support was friendly"},
      {category::detractor, "Price is too high"},
      {category::promoter, "Friendly support"},
      {category::detractor, "price went up, support slow"},
      {category::passive, "ok app, price fine"},
      {category::detractor, "Expensive price"},
      {category::promoter, "support support"},
      {category::passive, "ok app"},
      {category::detractor, "price"},
  };
  theme_collector whole;
  for (const auto& [group, text] : comments) whole.add(group, text);
  for (std::size_t split = 0; split <= comments.size(); ++split) {
    theme_collector first;
    theme_collector second;
    for (std::size_t i = 0; i < comments.size(); ++i) {
      (i < split ? first : second).add(comments[i].first, comments[i].second);
    }
    first.merge(second);
    EXPECT_EQ(first.comments(), whole.comments());
    const auto merged = first.top(10);
    const auto expected = whole.top(10);
    expect_same_themes(merged.promoters, expected.promoters);
    expect_same_themes(merged.passives, expected.passives);
    expect_same_themes(merged.detractors, expected.detractors);
  }
}

TEST(ThemeCollector, MergingWithItselfDoublesTheCounts) {
  theme_collector collector = crafted_corpus();
  collector.merge(collector);
  EXPECT_EQ(collector.comments(), 20u);
  const auto themes = collector.top(1);
  ASSERT_EQ(themes.promoters.size(), 1u);
  EXPECT_EQ(themes.promoters[0].term, "support");
  EXPECT_EQ(themes.promoters[0].count, 8u);
  EXPECT_EQ(themes.promoters[0].examples.size(), 3u);
}

}  // namespace
