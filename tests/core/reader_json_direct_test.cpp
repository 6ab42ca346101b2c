// JSON elements that are flat objects are read straight from their bytes;
// what comes out must be what a nlohmann/json document of the element gives:
// the same strings after escapes, the same numbers printed the library's way,
// the last of repeated keys, "properties", the same rejections. Every text
// here is read both ways and cut at every byte.
#include <gtest/gtest.h>

#include <cstring>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "npskit/reader.h"
#include "reader_internal.h"

namespace npskit {
namespace {

using reader_detail::json_element_reading;

struct element_record {
  record_type type = record_type::response;
  int score = -1;
  double weight = 1;
  std::string segment;
  std::string timestamp;
  std::string comment;
  std::string id;
  std::vector<std::string> segments;
  int csat = 0;
  int ces = 0;
  std::uint64_t line = 0;

  bool operator==(const element_record& other) const {
    return type == other.type && score == other.score &&
           std::memcmp(&weight, &other.weight, sizeof weight) == 0 && segment == other.segment &&
           timestamp == other.timestamp && comment == other.comment && id == other.id &&
           segments == other.segments && csat == other.csat && ces == other.ces &&
           line == other.line;
  }
};

struct element_outcome {
  std::vector<element_record> records;
  std::vector<std::string> rejections;  // reason, then the element's text
  std::string failure;

  bool operator==(const element_outcome& other) const {
    return records == other.records && rejections == other.rejections && failure == other.failure;
  }
};

void PrintTo(const element_outcome& value, std::ostream* out) {
  for (const element_record& record : value.records) {
    *out << "\n{line " << record.line << ", score " << record.score << ", weight " << record.weight
         << ", csat " << record.csat << ", ces " << record.ces << ", segment \"" << record.segment
         << "\", timestamp \"" << record.timestamp << "\", comment \"" << record.comment
         << "\", id \"" << record.id << "\", segments";
    for (const std::string& segment : record.segments) {
      *out << " \"" << segment << "\"";
    }
    *out << "}";
  }
  for (const std::string& rejection : value.rejections) {
    *out << "\n" << rejection;
  }
  *out << "\nfailure: " << value.failure;
}

element_outcome read_with(const reader_options& options,
                          const std::vector<std::string_view>& chunks,
                          json_element_reading reading) {
  element_outcome outcome;
  reader_detail::record_emitter emitter(100, [&](const record_view& value) -> status {
    element_record record{value.type,
                          value.score,
                          value.weight,
                          std::string(value.segment),
                          std::string(value.timestamp),
                          std::string(value.comment),
                          std::string(value.id),
                          {},
                          value.csat,
                          value.ces,
                          value.line};
    for (std::size_t i = 0; i < value.segment_count; ++i) {
      record.segments.emplace_back(value.segments[i]);
    }
    outcome.records.push_back(std::move(record));
    return ok{};
  });
  const auto parser =
      options.format == input_format::json
          ? reader_detail::make_json_array_parser(options, emitter, scan_path::scalar, nullptr,
                                                  reading)
          : reader_detail::make_jsonl_parser(options, emitter, scan_path::scalar, nullptr, reading);
  status last = ok{};
  for (std::string_view chunk : chunks) {
    if (last) {
      last = parser->feed(chunk);
    }
  }
  if (last) {
    last = parser->finish();
  }
  if (!last) {
    outcome.failure = last.error().message;
  }
  for (const rejection& item : emitter.rejections()) {
    outcome.rejections.push_back(item.reason);
    outcome.rejections.push_back(item.text);
  }
  return outcome;
}

// The direct reading's outcome, after checking that it is the document's for
// the text whole and cut in two at every byte.
element_outcome read_both_ways(const reader_options& options, std::string_view text) {
  const element_outcome direct = read_with(options, {text}, json_element_reading::direct_when_flat);
  const element_outcome document = read_with(options, {text}, json_element_reading::document_only);
  EXPECT_EQ(direct, document) << text;
  for (std::size_t split = 1; split < text.size(); ++split) {
    const std::vector<std::string_view> halves = {text.substr(0, split), text.substr(split)};
    EXPECT_EQ(read_with(options, halves, json_element_reading::direct_when_flat), document)
        << "split at " << split << " of " << text;
  }
  return direct;
}

reader_options jsonl() {
  reader_options options;
  options.format = input_format::jsonl;
  return options;
}

TEST(JsonDirectReading, EscapesAreDecodedAsTheDocumentDecodesThem) {
  const element_outcome outcome = read_both_ways(
      jsonl(),
      "{\"score\": 9, \"comment\": \" say \\\"hi\\\"\\\\ \\/ \\u00e9\\ud83d\\ude00\\tend \"}\n"
      "{\"score\": 8, \"segment\": \"caf\xC3\xA9\", \"comment\": \"\\u0041\\b\\f\"}\n"
      "{\"score\": 7, \"comment\": \"lone \\udc00 surrogate\"}\n"
      "{\"score\": 7, \"comment\": \"bad \\x escape\"}\n"
      "{\"score\": 7, \"comment\": \"bad \xC3\x28 byte\"}\n");
  ASSERT_EQ(outcome.records.size(), 2U);
  EXPECT_EQ(outcome.records[0].comment, "say \"hi\"\\ / \xC3\xA9\xF0\x9F\x98\x80\tend");
  EXPECT_EQ(outcome.records[1].segment, "caf\xC3\xA9");
  EXPECT_EQ(outcome.records[1].comment, "A\b");
  ASSERT_EQ(outcome.rejections.size(), 6U);
  EXPECT_NE(outcome.rejections[0].find("line 3: invalid JSON at column"), std::string::npos)
      << outcome.rejections[0];
}

TEST(JsonDirectReading, NumbersPrintAsTheDocumentPrintsThem) {
  reader_options options = jsonl();
  options.segment_columns = {"a", "b", "c", "d", "e", "f", "g"};
  const element_outcome outcome = read_both_ways(
      options,
      "{\"score\": 9.0, \"a\": 9.0, \"b\": 1e1, \"c\": -0, \"d\": 12345678901234567890,"
      " \"e\": 123456789012345678901, \"f\": -9223372036854775809, \"g\": true}\n"
      "{\"score\": 1e1, \"a\": -0.0, \"b\": 0.1, \"c\": -12, \"d\": 1E+2, \"e\": false,"
      " \"f\": null, \"g\": 18446744073709551615}\n"
      "{\"score\": -0, \"a\": 1, \"b\": 2, \"c\": 3, \"d\": 4, \"e\": 5, \"f\": 6, \"g\": 7}\n");
  ASSERT_EQ(outcome.records.size(), 3U);
  EXPECT_EQ(outcome.records[0].score, 9);
  EXPECT_EQ(outcome.records[0].segments,
            (std::vector<std::string>{"9.0", "10.0", "0", "12345678901234567890",
                                      "1.2345678901234568e+20", "-9.223372036854776e+18", "true"}));
  EXPECT_EQ(outcome.records[1].score, 10);
  EXPECT_EQ(outcome.records[1].segments,
            (std::vector<std::string>{"-0.0", "0.1", "-12", "100.0", "false", "",
                                      "18446744073709551615"}));
  EXPECT_EQ(outcome.records[2].score, 0);
}

TEST(JsonDirectReading, ScoresWeightsAndRatingsAreCheckedAsInTheDocument) {
  reader_options options = jsonl();
  options.weight_column = "w";
  const element_outcome outcome =
      read_both_ways(options,
                     "{\"score\": 9.5, \"w\": 1}\n"
                     "{\"score\": 1e400, \"w\": 1}\n"
                     "{\"score\": -1, \"w\": 1}\n"
                     "{\"score\": 9, \"w\": 1e400}\n"
                     "{\"score\": 9, \"w\": {\"x\": 1}}\n"
                     "{\"score\": {\"b\": 1, \"a\": [2]}, \"w\": 1}\n"
                     "{\"score\": 9, \"w\": 2.5, \"csat\": 4.0, \"ces\": \"6\"}\n"
                     "{\"score\": 9, \"w\": 1, \"csat\": 5.5}\n"
                     "{\"metric\": \"ces\", \"score\": 7, \"w\": 0}\n");
  ASSERT_EQ(outcome.records.size(), 2U);
  EXPECT_EQ(outcome.records[0].weight, 2.5);
  EXPECT_EQ(outcome.records[0].csat, 4);
  EXPECT_EQ(outcome.records[0].ces, 6);
  EXPECT_EQ(outcome.records[1].ces, 7);
  EXPECT_EQ(outcome.records[1].score, -1);
  ASSERT_EQ(outcome.rejections.size(), 14U) << testing::PrintToString(outcome);
  EXPECT_EQ(outcome.rejections[0], "line 1: score 9.5 is not a whole number from 0 to 10");
  EXPECT_EQ(outcome.rejections[8], "line 5: weight must be a number, found an object");
  EXPECT_EQ(outcome.rejections[10], "line 6: score must be a number from 0 to 10, found an object");
}

TEST(JsonDirectReading, TheLastOfRepeatedKeysCountsAndKeysMatchInByteOrder) {
  reader_options options = jsonl();
  options.score_column = "SCORE";
  const element_outcome outcome =
      read_both_ways(options,
                     "{\"score\": 1, \"score\": 9, \"segment\": \"a\", \"segment\": \"b\"}\n"
                     "{\"score\": 5, \" Score \": 4, \"Score\": 3}\n"
                     "{\"SCORE\": 2, \"score\": 6}\n");
  ASSERT_EQ(outcome.records.size(), 3U);
  EXPECT_EQ(outcome.records[0].score, 9);
  EXPECT_EQ(outcome.records[0].segment, "b");
  EXPECT_EQ(outcome.records[1].score, 4);
  EXPECT_EQ(outcome.records[2].score, 2);
}

TEST(JsonDirectReading, ObjectsWithThePreviousObjectsKeysReadTheirOwnValues) {
  const element_outcome outcome = read_both_ways(
      jsonl(),
      "{}\n{}\n{\"score\": 9, \"segment\": \"a\"}\n{\"score\": 8, \"segment\": \"b\"}\n"
      "{\"segment\": \"c\", \"score\": 7}\n{\"score\": \"x\", \"segment\": \"d\"}\n"
      "{\"score\": 6, \"properties\": {\"segment\": \"e\"}}\n"
      "{\"score\": 5, \"properties\": {\"segment\": \"f\"}}\n"
      "{\"score\": 4, \"properties\": [\"g\"]}\n");
  ASSERT_EQ(outcome.records.size(), 6U) << testing::PrintToString(outcome);
  const std::vector<std::string> segments = {"a", "b", "c", "e", "f", ""};
  for (std::size_t i = 0; i < segments.size(); ++i) {
    EXPECT_EQ(outcome.records[i].segment, segments[i]);
    EXPECT_EQ(outcome.records[i].score, 9 - static_cast<int>(i));
  }
  ASSERT_EQ(outcome.rejections.size(), 6U);
  EXPECT_EQ(outcome.rejections[0], "line 1: score is missing");
  EXPECT_EQ(outcome.rejections[2], "line 2: score is missing");
  EXPECT_EQ(outcome.rejections[4], "line 6: score \"x\" is not a number from 0 to 10");
}

TEST(JsonDirectReading, PropertiesAndOtherMemberObjectsAreLookedIntoAsInTheDocument) {
  reader_options options;
  options.format = input_format::json;
  options.segment_columns = {"plan", "user"};
  const element_outcome outcome = read_both_ways(
      options,
      "[{\"score\": 9, \"plan\": \"top\", \"user\": {\"id\": \"u\"},"
      " \"properties\": {\"plan\": \"inner\", \"user\": \"p\"}},\n"
      " {\"score\": 8, \"properties\": {\"plan\": \"pro\", \"user\": 3, \"plan\": \"pro2\"},"
      " \"properties\": {\"user\": \"last\", \"plan\": \"x\"}},\n"
      " {\"score\": 7, \"properties\": {\"plan\": \"p\", \"user\": 3}, \"Properties\": 1},\n"
      " {\"score\": 6, \"properties\": {\"plan\": {\"deep\": 1}}},\n"
      " {\"score\": 5, \"ces\": {\"b\": [1], \"a\": \"x\"}},\n"
      " {\"score\": 4, \"ces\": {\"b\": 1, \"a\": \"x\", \"b\": 2.50}}]");
  ASSERT_EQ(outcome.records.size(), 4U) << testing::PrintToString(outcome);
  EXPECT_EQ(outcome.records[0].segments, (std::vector<std::string>{"top", ""}));
  EXPECT_EQ(outcome.records[1].segments, (std::vector<std::string>{"x", "last"}));
  EXPECT_EQ(outcome.records[2].segments, (std::vector<std::string>{"p", "3"}));
  EXPECT_EQ(outcome.records[3].segments, (std::vector<std::string>{"", ""}));
  const std::vector<std::string> rejections = {
      "line 5: ces {\"a\":\"x\",\"b\":[1]} must be an integer from 1 to 7",
      "{\"score\": 5, \"ces\": {\"b\": [1], \"a\": \"x\"}}",
      "line 6: ces {\"a\":\"x\",\"b\":2.5} must be an integer from 1 to 7",
      "{\"score\": 4, \"ces\": {\"b\": 1, \"a\": \"x\", \"b\": 2.50}}",
  };
  EXPECT_EQ(outcome.rejections, rejections);
}

TEST(JsonDirectReading, KeysFoundAreListedInTheDocumentsOrder) {
  reader_options options = jsonl();
  options.comment_column = "remark";
  const element_outcome outcome = read_both_ways(
      options,
      "{\"score\": 9, \"zeta\": 1, \"Alpha\": 2, \"alpha\": 3, \" pad\": 4, \"pad\": 5}\n");
  EXPECT_EQ(outcome.failure,
            "no object has a \"remark\" key (the comment column); keys found: \"pad\", "
            "\"Alpha\", \"alpha\", \"score\", \"zeta\"");
}

TEST(JsonDirectReading, ElementsOutsideTheFlatShapeAreReadAsBefore) {
  const element_outcome outcome = read_both_ways(
      jsonl(),
      "{\"score\": 9, \"tags\": [\"a\", \"b\"], \"comment\": \"arrays go the long way\"}\n"
      "\xEF\xBB\xBF{\"score\": 8}\n"
      "{\"score\": 7,}\n"
      "{\"score\": 07}\n"
      "{\"score\": 6} {\"score\": 5}\n"
      "{\"score\": 5, \"comment\": \"raw\ttab\"}\n"
      "[{\"score\": 4}]\n"
      "{\"score\": 3, \"comment\": \"nul \\u0000 inside\"}\n");
  ASSERT_EQ(outcome.records.size(), 3U);
  EXPECT_EQ(outcome.records[0].comment, "arrays go the long way");
  EXPECT_EQ(outcome.records[1].score, 8);
  EXPECT_EQ(outcome.records[2].comment, std::string("nul \0 inside", 12));
  EXPECT_EQ(outcome.rejections.size(), 10U);
}

TEST(JsonDirectReading, ArrayElementsCutAnywhereInsideStringsReadTheSame) {
  reader_options options;
  options.format = input_format::json;
  const element_outcome outcome =
      read_both_ways(options,
                     "[{\"score\":10,\"comment\":\"a, b ] } \\\" { [\",\"id\":\"x\\u00e9\"},\r\n"
                     " {\"score\":0,\"comment\":\"\\\\\",\"id\":42},\n"
                     " {\"score\":3,\"comment\":\"open\n"
                     " {\"score\":4,\"id\":-0}]");
  ASSERT_EQ(outcome.records.size(), 3U);
  EXPECT_EQ(outcome.records[0].comment, "a, b ] } \" { [");
  EXPECT_EQ(outcome.records[0].id, "x\xC3\xA9");
  EXPECT_EQ(outcome.records[1].comment, "\\");
  EXPECT_EQ(outcome.records[1].id, "42");
  EXPECT_EQ(outcome.records[2].id, "0");
  EXPECT_EQ(outcome.records[2].line, 4U);
  ASSERT_EQ(outcome.rejections.size(), 2U);
}

}  // namespace
}  // namespace npskit
