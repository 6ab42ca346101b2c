// Comment terms in the widget's scripts and languages, and the ranking of the
// themes that set one category's comments apart.
#include "npskit/themes.h"

#include <gtest/gtest.h>

#include <algorithm>
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
            (terms{"support", "team", "mail"}));
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

TEST(CommentTerms, ChineseTextGivesCandidatePhrasesBetweenParticles) {
  // Every substring of 2..6 characters that neither starts nor ends with a
  // function character: 服很 and 价格太 are left out, 太贵 and 客服很好 stay;
  // 很好 is a filler word.
  EXPECT_EQ(comment_terms("客服很好，价格太贵了"),
            (terms{"客服", "客服很好", "服很好", "价格", "价格太贵", "格太贵", "太贵"}));
  EXPECT_EQ(comment_terms("慢！"), (terms{"慢"}));
  EXPECT_TRUE(comment_terms("的").empty());
  EXPECT_TRUE(comment_terms("好！").empty());
  // A particle marks a word boundary, so no candidate spans it.
  EXPECT_EQ(comment_terms("价格的问题"), (terms{"价格", "问题"}));
}

TEST(CommentTerms, JapaneseIsCutIntoWholeWordsByScript) {
  EXPECT_EQ(comment_terms("サポートが丁寧です"), (terms{"サポート", "丁寧"}));
  EXPECT_EQ(comment_terms("価格・品質"), (terms{"価格", "品質"}));
  // Kanji with their okurigana are one word; polite endings, particles and
  // fillers are not themes.
  EXPECT_EQ(comment_terms("素晴らしいサービスでした"), (terms{"素晴らしい", "サービス"}));
  EXPECT_EQ(comment_terms("対応がとても丁寧でしたね"), (terms{"対応", "丁寧"}));
  EXPECT_EQ(comment_terms("お客様への説明が分かりやすい"), (terms{"客様", "説明", "分かりやすい"}));
  EXPECT_EQ(comment_terms("ラーメンがおいしい"), (terms{"ラーメン", "おいしい"}));
  EXPECT_TRUE(comment_terms("特になし").empty());
  EXPECT_TRUE(comment_terms("ありがとうございました").empty());
}

TEST(CommentTerms, MixedScriptsSplitAtTheScriptBoundary) {
  EXPECT_EQ(comment_terms("iPhone手机"), (terms{"iphone", "手机"}));
  EXPECT_EQ(comment_terms("ＡＰＰ　ｆａｓｔ"), (terms{"app", "fast"}));
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
  EXPECT_EQ(comment_terms(std::string(48, 'q') + " slow"), (terms{std::string(48, 'q'), "slow"}));
  EXPECT_EQ(comment_terms(std::string(49, 'q') + " slow"), (terms{"slow"}));
}

// The themes of a set of comments, by category, as lists of terms.
struct theme_terms {
  terms promoters;
  terms passives;
  terms detractors;
};

theme_terms themes_of(const std::vector<std::pair<category, std::string>>& comments) {
  theme_collector collector;
  for (const auto& [group, text] : comments) collector.add(group, text);
  const auto found = collector.top(10);
  const auto names = [](const std::vector<theme>& themes) {
    terms out;
    for (const theme& item : themes) out.push_back(item.term);
    return out;
  };
  return {names(found.promoters), names(found.passives), names(found.detractors)};
}

bool has(const terms& list, const std::string& term) {
  return std::find(list.begin(), list.end(), term) != list.end();
}

std::string joined(const terms& list) {
  std::string out;
  for (const std::string& term : list) out += (out.empty() ? "" : " | ") + term;
  return out;
}

// Every theme of every category is one of the whole words or phrases given.
void expect_only(const theme_terms& found, const terms& allowed) {
  for (const terms* list : {&found.promoters, &found.passives, &found.detractors}) {
    for (const std::string& term : *list) {
      EXPECT_TRUE(has(allowed, term)) << "\"" << term << "\" is not a whole word or phrase of "
                                      << "the comments; themes: " << joined(*list);
    }
  }
}

TEST(Themes, JapaneseCommentsGiveWholeWords) {
  const theme_terms found = themes_of({
      {category::promoter, "サポートがとても丁寧でした"},
      {category::promoter, "素晴らしいサービスです"},
      {category::promoter, "サポートの対応が素晴らしい"},
      {category::promoter, "アプリが使いやすいです"},
      {category::promoter, "素晴らしい！使いやすいアプリ"},
      {category::passive, "普通です。特になし"},
      {category::passive, "まあまあ良いです"},
      {category::detractor, "価格が高すぎます"},
      {category::detractor, "配送が遅い"},
      {category::detractor, "価格が高い、配送も遅い"},
      {category::detractor, "配送が遅くて残念"},
  });
  EXPECT_EQ(found.promoters.front(), "素晴らしい") << joined(found.promoters);
  for (const char* word : {"サポート", "使いやすい", "アプリ"}) {
    EXPECT_TRUE(has(found.promoters, word)) << word << " in " << joined(found.promoters);
  }
  for (const char* word : {"配送", "価格", "遅い"}) {
    EXPECT_TRUE(has(found.detractors, word)) << word << " in " << joined(found.detractors);
  }
  EXPECT_TRUE(found.passives.empty()) << joined(found.passives);
  expect_only(found, {"サポート", "丁寧", "素晴らしい", "サービス", "対応", "アプリ", "使いやすい",
                      "価格", "高すぎ", "配送", "遅い", "高い", "遅くて", "残念"});
}

TEST(Themes, JapaneseSentenceRepeatedIsOneThemeNotItsPieces) {
  // Three comments with one sentence used to give しい, らし and 晴ら.
  const theme_terms found = themes_of({
      {category::promoter, "素晴らしいです"},
      {category::promoter, "本当に素晴らしい"},
      {category::promoter, "素晴らしい！"},
      {category::detractor, "遅い"},
  });
  EXPECT_EQ(found.promoters, (terms{"素晴らしい"}));
}

TEST(Themes, ChineseCommentsGiveTheLongestRepeatedPhrases) {
  const theme_terms found = themes_of({
      {category::promoter, "客服很好，响应很快"},
      {category::promoter, "客服态度很好"},
      {category::promoter, "界面简洁，操作方便"},
      {category::promoter, "操作方便，界面好看"},
      {category::promoter, "物流很快，包装也不错"},
      {category::passive, "还行吧"},
      {category::passive, "一般般，没什么特别的"},
      {category::detractor, "价格太贵了"},
      {category::detractor, "价格太贵，客服也不理人"},
      {category::detractor, "物流太慢了"},
      {category::detractor, "物流太慢，包装破损"},
  });
  for (const char* phrase : {"客服", "操作方便", "界面"}) {
    EXPECT_TRUE(has(found.promoters, phrase)) << phrase << " in " << joined(found.promoters);
  }
  for (const char* phrase : {"价格太贵", "物流太慢"}) {
    EXPECT_TRUE(has(found.detractors, phrase)) << phrase << " in " << joined(found.detractors);
  }
  // 操作 and 方便 only ever come together here, so the phrase is the theme;
  // 服很, 格太 and 太慢 (inside 物流太慢 every time) are pieces, not themes.
  expect_only(found, {"客服", "操作方便", "界面", "价格太贵", "物流太慢", "物流", "包装"});
}

TEST(Themes, ChineseWordInManyContextsStaysAWord) {
  const theme_terms found = themes_of({
      {category::detractor, "价格太贵"},
      {category::detractor, "价格不合理"},
      {category::detractor, "价格偏高"},
      {category::promoter, "很满意"},
  });
  EXPECT_EQ(found.detractors, (terms{"价格"}));
}

struct language_case {
  const char* locale;
  std::vector<std::pair<category, std::string>> comments;
  terms promoter_themes;
  terms detractor_themes;
  terms fillers;  // frequent in these comments, never themes
};

TEST(Themes, EverySupportedLanguageGivesTopicsNotFillers) {
  const std::vector<language_case> cases = {
      {"en",
       {{category::promoter, "Good app, the support is really good"},
        {category::promoter, "Support was quick, thanks"},
        {category::passive, "ok I guess, fine"},
        {category::passive, "It's fine, okay"},
        {category::detractor, "The price is bad, really bad"},
        {category::detractor, "Price too high, not good"}},
       {"support"},
       {"price"},
       {"good", "ok", "fine", "thanks", "bad", "really", "okay"}},
      {"sv",
       {{category::promoter, "Bra app, supporten är jättebra"},
        {category::promoter, "Snabb support, tack"},
        {category::promoter, "Supporten svarar snabbt, bra"},
        {category::passive, "Helt okej, bra nog"},
        {category::detractor, "Priset är för högt"},
        {category::detractor, "Dåligt, priset ökade igen"}},
       {"supporten"},
       {"priset"},
       {"bra", "jättebra", "tack", "okej", "nog", "dåligt", "helt"}},
      {"nb",
       {{category::promoter, "Bra app, kundeservicen er veldig bra"},
        {category::promoter, "Rask kundeservicen, takk"},
        {category::passive, "Greit nok, bra nok"},
        {category::passive, "Bra nok app"},
        {category::detractor, "Prisen er for høy"},
        {category::detractor, "Dårlig, prisen gikk opp"}},
       {"kundeservicen"},
       {"prisen"},
       {"bra", "nok", "takk", "greit", "dårlig"}},
      {"da",
       {{category::promoter, "God app, kundeservicen er rigtig god"},
        {category::promoter, "Kundeservicen svarer hurtigt, tak"},
        {category::passive, "Fint nok, okay"},
        {category::passive, "Det er fint nok"},
        {category::detractor, "Prisen er for høj"},
        {category::detractor, "Dårligt, prisen steg igen"}},
       {"kundeservicen"},
       {"prisen"},
       {"god", "tak", "fint", "nok", "okay", "dårligt"}},
      {"fi",
       {{category::promoter, "Hyvä sovellus, asiakaspalvelu toimii hyvin"},
        {category::promoter, "Nopea asiakaspalvelu, kiitos"},
        {category::passive, "Ihan ok, aika hyvä"},
        {category::passive, "Ihan hyvä"},
        {category::detractor, "Hinta on liian korkea"},
        {category::detractor, "Huono, hinta nousi taas"}},
       {"asiakaspalvelu"},
       {"hinta"},
       {"hyvä", "hyvin", "kiitos", "ihan", "aika", "huono"}},
      {"de",
       {{category::promoter, "Gut, der Kundenservice ist super"},
        {category::promoter, "Kundenservice schnell und gut, danke"},
        {category::passive, "Naja, ganz gut"},
        {category::passive, "Eigentlich gut"},
        {category::detractor, "Der Preis ist zu hoch"},
        {category::detractor, "Schlecht, der Preis steigt halt"}},
       {"kundenservice"},
       {"preis"},
       {"gut", "super", "danke", "naja", "eigentlich", "schlecht", "halt"}},
      {"fr",
       {{category::promoter, "Très bien, le service client est super"},
        {category::promoter, "Service client rapide, merci"},
        {category::passive, "Bien, assez bon"},
        {category::passive, "Plutôt bien"},
        {category::detractor, "Le prix est trop élevé"},
        {category::detractor, "Mauvais, le prix a augmenté"}},
       {"client"},
       {"prix"},
       {"bien", "super", "merci", "bon", "assez", "plutôt", "mauvais"}},
      {"es",
       {{category::promoter, "Muy bien, la atención es buena"},
        {category::promoter, "Atención rápida, gracias"},
        {category::passive, "Bien, vale"},
        {category::passive, "Bastante bien"},
        {category::detractor, "El precio es muy alto"},
        {category::detractor, "Malo, el precio subió"}},
       {"atención"},
       {"precio"},
       {"bien", "buena", "gracias", "vale", "bastante", "malo"}},
      {"pt",
       {{category::promoter, "Muito bom, o atendimento é bom"},
        {category::promoter, "Atendimento rápido, obrigado"},
        {category::passive, "Bem, legal"},
        {category::passive, "Bom, ok"},
        {category::detractor, "O preço é muito alto"},
        {category::detractor, "Ruim, o preço subiu"}},
       {"atendimento"},
       {"preço"},
       {"bom", "obrigado", "bem", "legal", "ruim"}},
      {"it",
       {{category::promoter, "Bene, l'assistenza è davvero buona"},
        {category::promoter, "Assistenza veloce, grazie"},
        {category::passive, "Abbastanza bene"},
        {category::passive, "Bene, ok"},
        {category::detractor, "Il prezzo è troppo alto"},
        {category::detractor, "Il prezzo è aumentato ancora"}},
       {"assistenza"},
       {"prezzo"},
       {"bene", "buona", "grazie", "davvero", "abbastanza"}},
      {"nl",
       {{category::promoter, "Goed, de klantenservice is prima"},
        {category::promoter, "Snelle klantenservice, bedankt"},
        {category::passive, "Gewoon goed"},
        {category::passive, "Redelijk goed"},
        {category::detractor, "De prijs is te hoog"},
        {category::detractor, "Slecht, de prijs steeg weer"}},
       {"klantenservice"},
       {"prijs"},
       {"goed", "prima", "bedankt", "gewoon", "redelijk", "slecht"}},
      {"pl",
       {{category::promoter, "Dobra aplikacja, obsługa klienta dobrze działa"},
        {category::promoter, "Szybka obsługa, dziękuję"},
        {category::passive, "Całkiem dobrze"},
        {category::passive, "Spoko, dobrze"},
        {category::detractor, "Cena jest za wysoka"},
        {category::detractor, "Słabo, cena znowu wzrosła"}},
       {"obsługa"},
       {"cena"},
       {"dobra", "dobrze", "dziękuję", "całkiem", "spoko", "słabo"}},
      {"ar",
       {{category::promoter, "جيد، خدمة العملاء ممتازة"},
        {category::promoter, "خدمة سريعة شكرا"},
        {category::passive, "عادي جيد"},
        {category::passive, "تمام جيد"},
        {category::detractor, "السعر مرتفع"},
        {category::detractor, "سيء السعر زاد"}},
       {"خدمة"},
       {"السعر"},
       {"جيد", "شكرا", "عادي", "تمام", "سيء"}},
      {"he",
       {{category::promoter, "טוב, השירות מצוין"},
        {category::promoter, "השירות מהיר, תודה"},
        {category::passive, "בסדר, טוב"},
        {category::passive, "סבבה, בסדר"},
        {category::detractor, "המחיר גבוה"},
        {category::detractor, "רע, המחיר עלה"}},
       {"השירות"},
       {"המחיר"},
       {"טוב", "תודה", "בסדר", "סבבה", "רע"}},
  };
  for (const language_case& item : cases) {
    const theme_terms found = themes_of(item.comments);
    for (const std::string& word : item.promoter_themes) {
      EXPECT_TRUE(has(found.promoters, word))
          << item.locale << ": " << word << " in " << joined(found.promoters);
    }
    for (const std::string& word : item.detractor_themes) {
      EXPECT_TRUE(has(found.detractors, word))
          << item.locale << ": " << word << " in " << joined(found.detractors);
    }
    for (const std::string& filler : item.fillers) {
      for (const terms* list : {&found.promoters, &found.passives, &found.detractors}) {
        EXPECT_FALSE(has(*list, filler))
            << item.locale << ": filler " << filler << " in " << joined(*list);
      }
    }
  }
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

// Letters only, so the tokenizer keeps the name as one word: zqa, zqb, ...
std::string letter_name(std::size_t number) {
  std::string name = "zq";
  do {
    name.push_back(static_cast<char>('a' + number % 26));
    number /= 26;
  } while (number > 0);
  return name;
}

// Thousands of distinct terms, each shared by two neighbouring comments, with
// stop words in every comment and, in 50 promoter comments, a Chinese phrase
// whose pieces are fragments of it.
std::vector<std::pair<category, std::string>> many_terms_corpus() {
  std::vector<std::pair<category, std::string>> comments;
  for (std::size_t i = 0; i < 3000; ++i) {
    const category group = i % 3 == 0 ? category::detractor : category::promoter;
    std::string text = "The " + letter_name(i) + " and the " + letter_name(i + 1);
    if (i % 60 == 1) text += " 客服很好";
    comments.emplace_back(group, text);
  }
  return comments;
}

TEST(ThemeCollector, ThousandsOfTermsAreCountedOncePerComment) {
  const auto comments = many_terms_corpus();
  theme_collector collector;
  for (const auto& [group, text] : comments) collector.add(group, text);
  const auto themes = collector.top(5000);
  // A name is a promoter theme when both comments that have it are
  // promoters' (comments i - 1 and i have name i); a detractor comment's
  // neighbours are promoters', so no name is in two detractor comments.
  terms expected;
  for (std::size_t i = 1; i < 3000; ++i) {
    if (i % 3 != 0 && (i - 1) % 3 != 0) expected.push_back(letter_name(i));
  }
  expected.emplace_back("客服很好");
  terms found;
  for (const theme& item : themes.promoters) {
    found.push_back(item.term);
    if (item.term == "客服很好") {
      EXPECT_EQ(item.count, 50u);
      EXPECT_EQ(item.examples,
                (terms{comments[1].second, comments[61].second, comments[121].second}));
    } else {
      EXPECT_EQ(item.count, 2u) << item.term;
    }
  }
  std::sort(expected.begin(), expected.end());
  std::sort(found.begin(), found.end());
  EXPECT_EQ(found, expected);
  EXPECT_TRUE(themes.detractors.empty());
  EXPECT_EQ(collector.comments(), 3000u);
}

TEST(ThemeCollector, MergingManyTermsEqualsOnePass) {
  const auto comments = many_terms_corpus();
  theme_collector whole;
  for (const auto& [group, text] : comments) whole.add(group, text);
  const auto expected = whole.top(5000);
  ASSERT_FALSE(expected.promoters.empty());
  // Each part's table meets the terms in another order than the one pass.
  for (const std::size_t split :
       {std::size_t{1}, std::size_t{1000}, std::size_t{1501}, std::size_t{2999}}) {
    theme_collector first;
    theme_collector second;
    for (std::size_t i = 0; i < comments.size(); ++i) {
      (i < split ? first : second).add(comments[i].first, comments[i].second);
    }
    first.merge(second);
    EXPECT_EQ(first.comments(), whole.comments());
    const auto merged = first.top(5000);
    expect_same_themes(merged.promoters, expected.promoters);
    expect_same_themes(merged.detractors, expected.detractors);
    expect_same_themes(merged.passives, expected.passives);
  }
}

}  // namespace
