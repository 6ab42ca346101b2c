// Segments by several columns, from the readers (every format hands over
// every column's value, whatever the chunking) to the aggregate's cells, and
// the text of rejected rows.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "npskit/aggregate.h"
#include "npskit/reader.h"
#include "npskit/summary.h"

namespace npskit {
namespace {

struct outcome {
  std::vector<std::vector<std::string>> segments;  // per record
  std::vector<rejection> rejections;
  std::string failure;
};

outcome read_in_chunks(const reader_options& options, const std::string& text, std::size_t chunk) {
  outcome out;
  auto created = reader::create(options, [&](const record_view& value) -> status {
    std::vector<std::string> values;
    for (std::size_t i = 0; i < value.segment_count; ++i) values.emplace_back(value.segments[i]);
    out.segments.push_back(values);
    return ok{};
  });
  EXPECT_TRUE(created.has_value());
  if (!created) return out;
  for (std::size_t at = 0; at < text.size(); at += chunk) {
    const status pushed = created->push(std::string_view(text).substr(at, chunk));
    if (!pushed) out.failure = pushed.error().message;
  }
  const status finished = created->finish();
  if (!finished && out.failure.empty()) out.failure = finished.error().message;
  out.rejections = created->rejections();
  return out;
}

reader_options several(input_format format) {
  reader_options options;
  options.format = format;
  options.segment_columns = {"country", "Plan"};
  return options;
}

TEST(SeveralSegmentColumns, EveryFormatHandsOverEveryValueInTheOrderNamed) {
  const std::vector<std::vector<std::string>> expected = {{"SE", "pro"}, {"NO", ""}, {"1", "free"}};
  const std::string csv = "score;plan;country\n9;pro;SE\n7;; NO \n3;free;1\n";
  const std::string json = R"([{"score":9,"country":"SE","plan":"pro"},{"score":7,"country":"NO"},)"
                           R"({"score":3,"properties":{"country":1,"plan":"free"}}])";
  const std::string jsonl =
      "{\"score\":9,\"country\":\"SE\",\"plan\":\"pro\"}\n{\"score\":7,\"country\":\"NO\"}\n"
      "{\"score\":3,\"country\":1,\"plan\":\"free\"}\n";
  for (const std::size_t chunk : {std::size_t{1}, std::size_t{5}, std::size_t{4096}}) {
    SCOPED_TRACE(chunk);
    EXPECT_EQ(read_in_chunks(several(input_format::csv), csv, chunk).segments, expected);
    EXPECT_EQ(read_in_chunks(several(input_format::json), json, chunk).segments, expected);
    EXPECT_EQ(read_in_chunks(several(input_format::jsonl), jsonl, chunk).segments, expected);
  }
}

TEST(SeveralSegmentColumns, AMissingOrRepeatedColumnIsNamed) {
  reader_options options = several(input_format::csv);
  options.segment_columns = {"country", "chanel"};
  const outcome missing = read_in_chunks(options, "score,country,channel\n9,SE,web\n", 64);
  EXPECT_NE(missing.failure.find("\"chanel\""), std::string::npos) << missing.failure;
  EXPECT_NE(missing.failure.find("closest: \"channel\""), std::string::npos) << missing.failure;

  options.segment_columns = {"country", " Country "};
  const auto repeated = reader::create(options, [](const record_view&) -> status { return ok{}; });
  ASSERT_FALSE(repeated.has_value());
  EXPECT_NE(repeated.error().message.find("named twice"), std::string::npos);
}

TEST(SeveralSegmentColumns, CellsHoldEachColumnAloneAndEveryTwoCrossed) {
  aggregate data(group_by::segment, false);
  data.set_segment_columns({"country", "plan", "channel"});
  auto created = reader::create(
      [] {
        reader_options options;
        options.segment_columns = {"country", "plan", "channel"};
        return options;
      }(),
      [&](const record_view& value) { return data.add(value); });
  ASSERT_TRUE(created.has_value());
  ASSERT_TRUE(created
                  ->push("score,country,plan,channel\n10,SE,pro,web\n0,SE,free,web\n"
                         "9,NO,pro,\n")
                  .has_value());
  ASSERT_TRUE(created->finish().has_value());
  EXPECT_TRUE(data.groups().empty());
  // 2 countries + 2 plans + 2 channels alone; crossed: 3 country x plan,
  // 2 country x channel (both SE answers came by web), 3 plan x channel.
  ASSERT_EQ(data.cells().size(), 14u);
  const auto n_of = [&](std::vector<std::size_t> columns, std::vector<std::string> values) {
    const auto found = data.cells().find(segment_cell{std::move(columns), std::move(values)});
    return found == data.cells().end() ? 0 : found->second.n();
  };
  EXPECT_EQ(n_of({0}, {"SE"}), 2u);
  EXPECT_EQ(n_of({2}, {"(none)"}), 1u);
  EXPECT_EQ(n_of({0, 1}, {"SE", "pro"}), 1u);
  EXPECT_EQ(n_of({1, 2}, {"pro", "(none)"}), 1u);
  // One column alone comes before any crossing.
  EXPECT_EQ(data.cells().begin()->first.columns.size(), 1u);
  EXPECT_EQ(data.cells().rbegin()->first.columns.size(), 2u);

  aggregate twice = data;
  ASSERT_TRUE(twice.merge(data).has_value());
  EXPECT_EQ(twice.cells().at(segment_cell{{0}, {"SE"}}).n(), 4u);
  aggregate other_columns(group_by::segment, false);
  other_columns.set_segment_columns({"plan", "country"});
  EXPECT_FALSE(twice.merge(other_columns).has_value());

  summary_options options;
  options.min_group_size = 2;
  const result<summary> summarized = summarize(data, options);
  ASSERT_TRUE(summarized.has_value());
  EXPECT_EQ(summarized->segment_columns, (std::vector<std::string>{"country", "plan", "channel"}));
  ASSERT_EQ(summarized->groups.size(), 14u);
  const group_summary& first = summarized->groups.front();
  EXPECT_EQ(first.columns, std::vector<std::string>{"country"});
  EXPECT_EQ(first.values, std::vector<std::string>{"NO"});
  EXPECT_TRUE(first.below_minimum);
  EXPECT_FALSE(first.versus.has_value());
  const group_summary& crossed = summarized->groups.back();
  EXPECT_EQ(crossed.key, "pro \u00d7 web");
  EXPECT_EQ(crossed.columns, (std::vector<std::string>{"plan", "channel"}));
}

TEST(RejectedRows, CarryTheRowAsReadShortened) {
  reader_options options;
  const std::string long_comment(300, 'x');
  const outcome csv = read_in_chunks(
      options, "score,comment\n11,\"too, high\"\n9,fine\nx," + long_comment + "\n", 7);
  ASSERT_EQ(csv.rejections.size(), 2u);
  EXPECT_EQ(csv.rejections[0].text, "11,too, high");
  EXPECT_EQ(csv.rejections[0].reason, "line 2: score \"11\" is not from 0 to 10");
  EXPECT_LE(csv.rejections[1].text.size(), max_rejected_text_bytes + 3);
  EXPECT_EQ(csv.rejections[1].text.rfind("x,xxx", 0), 0u);

  options.format = input_format::jsonl;
  const outcome jsonl = read_in_chunks(options, "{\"score\": 12}\n{\"score\":1}\n", 3);
  ASSERT_EQ(jsonl.rejections.size(), 1u);
  EXPECT_EQ(jsonl.rejections[0].text, "{\"score\": 12}");
}

}  // namespace
}  // namespace npskit
