#include "npskit/columns.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace npskit {
namespace {

std::string fixture(const std::string& name) {
  std::ifstream file(std::string(NPSKIT_TEST_DATA_DIR) + "/columns/" + name, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

columns_profile profile(std::string_view text, input_format format = input_format::csv,
                        bool truncated = false) {
  profile_options options;
  options.format = format;
  options.truncated = truncated;
  result<columns_profile> read = profile_columns(text, options);
  EXPECT_TRUE(read) << (read ? "" : read.error().message);
  return read ? *read : columns_profile{};
}

const column_profile& column(const columns_profile& profiled, const std::string& name) {
  for (const column_profile& found : profiled.columns) {
    if (found.name == name) return found;
  }
  ADD_FAILURE() << "no column " << name;
  static const column_profile none;
  return none;
}

TEST(ColumnProfile, SwedishHeadersAreKnownByTheirValues) {
  const columns_profile profiled = profile(fixture("swedish.csv"));
  EXPECT_EQ(profiled.rows, 10U);
  ASSERT_EQ(profiled.columns.size(), 4U);

  const column_profile& grade = column(profiled, "Betyg");
  EXPECT_TRUE(grade.scores);
  EXPECT_TRUE(grade.numbers);
  EXPECT_FALSE(grade.csat);  // 0 and 10 are off the CSAT scale
  EXPECT_FALSE(grade.dates);
  EXPECT_EQ(grade.samples, (std::vector<std::string>{"9", "10", "7"}));

  const column_profile& date = column(profiled, "Datum");
  EXPECT_TRUE(date.dates);
  EXPECT_FALSE(date.numbers);
  EXPECT_FALSE(date.free_text);
  EXPECT_EQ(date.samples, (std::vector<std::string>{"3.3.2026", "4.3.2026", "5.3.2026"}));

  const column_profile& comment = column(profiled, "Kommentar");
  EXPECT_TRUE(comment.free_text);
  EXPECT_FALSE(comment.few_values);
  EXPECT_EQ(comment.values, 9U);  // the blank one is not a value
  // The quoted value keeps its semicolon: the reader's own quoting.
  EXPECT_EQ(comment.samples[1], "Bra pris; enkel att beställa");
  EXPECT_EQ(comment.samples[0], "Snabb leverans och trevlig personal");
  EXPECT_EQ(comment.samples[2], "Appen kraschar ibland vid inloggning");

  const column_profile& segment = column(profiled, "Segment");
  EXPECT_TRUE(segment.few_values);
  EXPECT_FALSE(segment.free_text);
  EXPECT_EQ(segment.distinct, 2U);
  EXPECT_EQ(segment.samples, (std::vector<std::string>{"Företag", "Privat"}));
}

TEST(ColumnProfile, RatingScalesAndNumbers) {
  const columns_profile profiled = profile(
      "a\tb\tc\td\n1\t1\t0.5\t2026-03-01\n5\t7\t-2\t03/14/2026\n3\t6\t1e3\t2026-03-02T10:00Z\n",
      input_format::tsv);
  EXPECT_TRUE(column(profiled, "a").csat);
  EXPECT_TRUE(column(profiled, "a").ces);
  EXPECT_TRUE(column(profiled, "a").scores);
  EXPECT_FALSE(column(profiled, "b").csat);
  EXPECT_TRUE(column(profiled, "b").ces);
  EXPECT_TRUE(column(profiled, "c").numbers);
  EXPECT_FALSE(column(profiled, "c").scores);
  EXPECT_TRUE(column(profiled, "d").dates);  // ISO, M/D/YYYY and a timestamp
}

TEST(ColumnProfile, LongValuesAreShortenedAsValidUtf8) {
  const std::string long_text(30, 'x');
  const columns_profile profiled = profile("note\n" + long_text + "åäö åäö åäö åäö\n");
  const std::string& sample = column(profiled, "note").samples.at(0);
  EXPECT_LE(sample.size(), max_sample_bytes);
  EXPECT_EQ(sample.substr(sample.size() - 3), "...");
  EXPECT_EQ(sample.substr(0, 30), long_text);
}

TEST(ColumnProfile, CutInputLeavesOutTheLastPartialRow) {
  const std::string text = "\xEF\xBB\xBFscore,when\n9,2026-03-01\n10,2026-0";
  const columns_profile cut = profile(text, input_format::csv, true);
  EXPECT_EQ(cut.rows, 1U);
  EXPECT_TRUE(column(cut, "when").dates);
  // Read as a whole file, "2026-0" is a value that is not a date.
  const columns_profile whole = profile(text);
  EXPECT_EQ(whole.rows, 2U);
  EXPECT_FALSE(column(whole, "when").dates);
}

TEST(ColumnProfile, JsonKeysIncludeProperties) {
  const columns_profile profiled = profile(fixture("widget.jsonl"), input_format::jsonl);
  EXPECT_EQ(profiled.rows, 4U);
  EXPECT_TRUE(column(profiled, "score").scores);
  EXPECT_TRUE(column(profiled, "submitted_at").dates);
  EXPECT_TRUE(column(profiled, "comment").free_text);
  EXPECT_EQ(column(profiled, "comment").values, 3U);  // null is blank
  EXPECT_TRUE(column(profiled, "plan").few_values);
  EXPECT_TRUE(column(profiled, "csat").csat);
}

TEST(ColumnProfile, JsonArrayCutShortKeepsTheElementsRead) {
  const std::string text = R"([{"Betyg": 9, "Datum": "2026-03-01"}, {"Betyg": 10, "Datum": "2026-)";
  const columns_profile profiled = profile(text, input_format::json, true);
  EXPECT_EQ(profiled.rows, 1U);
  EXPECT_TRUE(column(profiled, "Betyg").scores);
  profile_options whole;
  whole.format = input_format::json;
  EXPECT_FALSE(profile_columns(text, whole));
}

TEST(ColumnProfile, UnreadableInputIsAnError) {
  profile_options options;
  const result<columns_profile> empty = profile_columns(" \n\n", options);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, error_code::empty_input);
  const result<columns_profile> utf16 = profile_columns("\xFF\xFEs\0c", options);
  ASSERT_FALSE(utf16);
  EXPECT_NE(utf16.error().message.find("UTF-16"), std::string::npos);
  options.format = input_format::json;
  const result<columns_profile> object = profile_columns(R"({"score": 9})", options);
  ASSERT_FALSE(object);
  EXPECT_EQ(object.error().code, error_code::parse_error);
}

// The WebAssembly module is checked against the same file
// (tests/wasm/columns.test.mjs), so both builds answer the same profile.
TEST(ColumnProfile, JsonMatchesTheSharedExpectation) {
  const nlohmann::json expected = nlohmann::json::parse(fixture("swedish.profile.json"));
  EXPECT_EQ(nlohmann::json::parse(to_json(profile(fixture("swedish.csv")))), expected);
}

}  // namespace
}  // namespace npskit
