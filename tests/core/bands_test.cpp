#include "npskit/bands.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace {

using npskit::band;
using npskit::error_code;

TEST(DefaultBands, FollowTheQuotedBenchmarks) {
  const std::vector<band> bands = npskit::default_bands();
  ASSERT_EQ(bands.size(), 5u);
  const std::pair<const char*, double> expected[] = {
      {"negative", -100}, {"fair", 0}, {"good", 20}, {"very-good", 50}, {"world-class", 75}};
  for (std::size_t i = 0; i < bands.size(); ++i) {
    EXPECT_EQ(bands[i].name, expected[i].first);
    EXPECT_EQ(bands[i].lower, expected[i].second);
  }
}

TEST(BandFor, PlacesEachBoundaryInTheBandItStarts) {
  const std::vector<band> bands = npskit::default_bands();
  EXPECT_EQ(npskit::band_for(bands, -100), "negative");
  EXPECT_EQ(npskit::band_for(bands, -0.01), "negative");
  EXPECT_EQ(npskit::band_for(bands, 0), "fair");
  EXPECT_EQ(npskit::band_for(bands, 19.99), "fair");
  EXPECT_EQ(npskit::band_for(bands, 20), "good");
  EXPECT_EQ(npskit::band_for(bands, 49.9), "good");
  EXPECT_EQ(npskit::band_for(bands, 50), "very-good");
  EXPECT_EQ(npskit::band_for(bands, 74.99), "very-good");
  EXPECT_EQ(npskit::band_for(bands, 75), "world-class");
  EXPECT_EQ(npskit::band_for(bands, 100), "world-class");
}

TEST(BandFor, PutsValuesBelowTheScaleOrNaNInTheFirstBand) {
  const std::vector<band> bands = npskit::default_bands();
  EXPECT_EQ(npskit::band_for(bands, -150), "negative");
  EXPECT_EQ(npskit::band_for(bands, std::nan("")), "negative");
  EXPECT_EQ(npskit::band_for(bands, 250), "world-class");
}

TEST(BandFor, GivesAnEmptyNameForAnEmptyList) { EXPECT_EQ(npskit::band_for({}, 10), ""); }

TEST(ParseBands, ReadsNameLowerPairs) {
  const auto bands = npskit::parse_bands("poor:-100, ok : 10 ,great:60.5");
  ASSERT_TRUE(bands.has_value()) << bands.error().message;
  ASSERT_EQ(bands->size(), 3u);
  EXPECT_EQ((*bands)[0].name, "poor");
  EXPECT_EQ((*bands)[0].lower, -100);
  EXPECT_EQ((*bands)[1].name, "ok");
  EXPECT_EQ((*bands)[1].lower, 10);
  EXPECT_EQ((*bands)[2].name, "great");
  EXPECT_EQ((*bands)[2].lower, 60.5);
  EXPECT_EQ(npskit::band_for(*bands, 9.9), "poor");
  EXPECT_EQ(npskit::band_for(*bands, 10), "ok");
  EXPECT_EQ(npskit::band_for(*bands, 99), "great");
}

TEST(ParseBands, RoundTripsTheDefaults) {
  const auto bands =
      npskit::parse_bands("negative:-100,fair:0,good:20,very-good:50,world-class:75");
  ASSERT_TRUE(bands.has_value()) << bands.error().message;
  const std::vector<band> defaults = npskit::default_bands();
  ASSERT_EQ(bands->size(), defaults.size());
  for (std::size_t i = 0; i < defaults.size(); ++i) {
    EXPECT_EQ((*bands)[i].name, defaults[i].name);
    EXPECT_EQ((*bands)[i].lower, defaults[i].lower);
  }
}

TEST(ParseBands, AcceptsASingleBandCoveringEverything) {
  const auto bands = npskit::parse_bands("all:-100");
  ASSERT_TRUE(bands.has_value());
  EXPECT_EQ(npskit::band_for(*bands, 42), "all");
}

struct bad_bands {
  const char* text;
  const char* message;
};

TEST(ParseBands, NamesTheBadEntryAndWhatWasExpected) {
  const bad_bands cases[] = {
      {"",
       "bands text is empty; expected name:lower,... such as "
       "\"negative:-100,fair:0,good:20\""},
      {"  ",
       "bands text is empty; expected name:lower,... such as "
       "\"negative:-100,fair:0,good:20\""},
      {"low:-100,good20", "bands entry 2 \"good20\": expected name:lower, such as good:20"},
      {"low:-100,:20", "bands entry 2 \":20\": the name before ':' is empty"},
      {"low:-100,good:twenty",
       "bands entry 2 \"good:twenty\": lower bound \"twenty\" is not a number; expected a "
       "value in -100..100"},
      {"low:-100,good:",
       "bands entry 2 \"good:\": lower bound \"\" is not a number; expected "
       "a value in -100..100"},
      {"low:-100,good:nan",
       "bands entry 2 \"good:nan\": lower bound \"nan\" is not a number; "
       "expected a value in -100..100"},
      {"low:-100,good:inf",
       "bands entry 2 \"good:inf\": lower bound \"inf\" is not a number; "
       "expected a value in -100..100"},
      {"low:-100,good:0x10",
       "bands entry 2 \"good:0x10\": lower bound \"0x10\" is not a "
       "number; expected a value in -100..100"},
      {"low:-100,good:20x",
       "bands entry 2 \"good:20x\": lower bound \"20x\" is not a number; "
       "expected a value in -100..100"},
      {"low:0,good:20",
       "bands entry 1 \"low:0\": the first band must start at -100 so that "
       "every score has a band"},
      {"low:-100,good:150", "bands entry 2 \"good:150\": lower bound 150 is outside -100..100"},
      {"low:-100,good:20,ok:10",
       "bands entry 3 \"ok:10\": lower bound 10 is not above the "
       "previous band's; expected strictly increasing bounds"},
      {"low:-100,good:20,better:20",
       "bands entry 3 \"better:20\": lower bound 20 is not above "
       "the previous band's; expected strictly increasing bounds"},
      {"low:-100,good:20,good:50",
       "bands entry 3 \"good:50\": name \"good\" is already used by "
       "an earlier band"},
      {"low:-100,good:20,", "bands entry 3 \"\": expected name:lower, such as good:20"},
      {"low:-100,good:1e999",
       "bands entry 2 \"good:1e999\": lower bound \"1e999\" is not a "
       "number; expected a value in -100..100"},
  };
  for (const bad_bands& item : cases) {
    SCOPED_TRACE(item.text);
    const auto bands = npskit::parse_bands(item.text);
    ASSERT_FALSE(bands.has_value());
    EXPECT_EQ(bands.error().code, error_code::invalid_argument);
    EXPECT_EQ(bands.error().message, item.message);
  }
}

TEST(Bands, TextReadsBackAsTheSameBands) {
  EXPECT_EQ(npskit::bands_text(npskit::default_bands()),
            "negative:-100,fair:0,good:20,very-good:50,world-class:75");
  const auto custom = npskit::parse_bands("poor:-100,ok:10.5,great:60");
  ASSERT_TRUE(custom.has_value());
  const auto again = npskit::parse_bands(npskit::bands_text(*custom));
  ASSERT_TRUE(again.has_value());
  ASSERT_EQ(again->size(), 3u);
  EXPECT_EQ((*again)[1].name, "ok");
  EXPECT_EQ((*again)[1].lower, 10.5);
}

}  // namespace
