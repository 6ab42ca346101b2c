// Streaming readers: real-world exports, every chunking, literal messages.
#include "npskit/reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <optional>
#include <ostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "reader_internal.h"

namespace npskit {
namespace {

struct read_record {
  record_type type = record_type::response;
  int score = -1;
  double weight = 1;
  std::string segment;
  std::string timestamp;
  std::string comment;
  std::uint64_t line = 0;

  bool operator==(const read_record& other) const {
    return type == other.type && score == other.score && weight == other.weight &&
           segment == other.segment && timestamp == other.timestamp && comment == other.comment &&
           line == other.line;
  }
};

void PrintTo(const read_record& value, std::ostream* out) {
  *out << "{line " << value.line << ", "
       << (value.type == record_type::dismissal ? "dismissal" : "response") << ", score "
       << value.score << ", weight " << value.weight << ", segment \"" << value.segment
       << "\", timestamp \"" << value.timestamp << "\", comment \"" << value.comment << "\"}";
}

read_record response(std::uint64_t line, int score, std::string segment = "",
                     std::string timestamp = "", std::string comment = "", double weight = 1) {
  return read_record{record_type::response, score, weight, std::move(segment), std::move(timestamp),
                     std::move(comment),    line};
}

read_record dismissal(std::uint64_t line, std::string segment = "", std::string timestamp = "") {
  return read_record{record_type::dismissal, -1, 1,   std::move(segment),
                     std::move(timestamp),   "", line};
}

struct read_outcome {
  std::vector<read_record> records;
  std::vector<std::pair<std::uint64_t, std::string>> rejections;
  std::uint64_t records_counted = 0;
  std::uint64_t rejected = 0;
  std::uint64_t bytes = 0;
  std::optional<error_code> failure_code;
  std::string failure;

  bool operator==(const read_outcome& other) const {
    return records == other.records && rejections == other.rejections &&
           records_counted == other.records_counted && rejected == other.rejected &&
           bytes == other.bytes && failure_code == other.failure_code && failure == other.failure;
  }
};

void PrintTo(const read_outcome& value, std::ostream* out) {
  *out << value.records_counted << " records, " << value.rejected << " rejected, " << value.bytes
       << " bytes, failure \"" << value.failure << "\"\n";
  for (const read_record& record : value.records) {
    PrintTo(record, out);
    *out << "\n";
  }
  for (const auto& [line, reason] : value.rejections) {
    *out << "rejected " << line << ": " << reason << "\n";
  }
}

// Pushes every chunk, then calls finish(); the first error is the outcome's.
read_outcome read_chunks(const reader_options& options,
                         const std::vector<std::string_view>& chunks) {
  read_outcome outcome;
  auto created = reader::create(options, [&](const record_view& value) -> status {
    outcome.records.push_back(read_record{value.type, value.score, value.weight,
                                          std::string(value.segment), std::string(value.timestamp),
                                          std::string(value.comment), value.line});
    return ok{};
  });
  EXPECT_TRUE(created.has_value());
  if (!created) {
    return outcome;
  }
  reader& input = *created;
  status last = ok{};
  for (std::string_view chunk : chunks) {
    const status pushed = input.push(chunk);
    if (last && !pushed) {
      last = pushed;
    }
  }
  const status finished = input.finish();
  if (last && !finished) {
    last = finished;
  }
  if (!last) {
    outcome.failure_code = last.error().code;
    outcome.failure = last.error().message;
  }
  outcome.records_counted = input.records();
  outcome.rejected = input.rejected();
  outcome.bytes = input.bytes();
  for (const rejection& item : input.rejections()) {
    outcome.rejections.emplace_back(item.line, item.reason);
  }
  return outcome;
}

read_outcome read_text(const reader_options& options, std::string_view text) {
  return read_chunks(options, {text});
}

reader_options options_for(input_format format) {
  reader_options options;
  options.format = format;
  return options;
}

std::string load_sample(const std::string& name) {
  const std::string path = std::string(NPSKIT_TEST_DATA_DIR) + "/readers/" + name;
  std::ifstream file(path, std::ios::binary);
  EXPECT_TRUE(file.good()) << "cannot open " << path;
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

struct sample {
  std::string file;
  reader_options options;
};

void PrintTo(const sample& value, std::ostream* out) { *out << value.file; }

std::vector<sample> samples() {
  sample excel{"excel_semicolon_bom_crlf.csv", options_for(input_format::csv)};
  excel.options.weight_column = "weight";
  sample forms{"google_forms.csv", options_for(input_format::csv)};
  forms.options.score_column = "How likely are you to recommend us to a friend or colleague?";
  forms.options.comment_column = "What is the main reason for your score?";
  forms.options.segment_column = "plan";
  sample widget{"widget_payload.jsonl", options_for(input_format::jsonl)};
  widget.options.segment_column = "plan";
  return {excel,
          forms,
          {"typeform_like.json", options_for(input_format::json)},
          widget,
          {"bad_rows.csv", options_for(input_format::csv)},
          {"mac_cr.tsv", options_for(input_format::tsv)},
          {"stray_quotes.csv", options_for(input_format::csv)},
          {"stray_quote.json", options_for(input_format::json)}};
}

read_outcome read_sample(const std::string& file) {
  for (const sample& item : samples()) {
    if (item.file == file) {
      return read_text(item.options, load_sample(file));
    }
  }
  ADD_FAILURE() << "no sample " << file;
  return {};
}

using rejections_list = std::vector<std::pair<std::uint64_t, std::string>>;

// --- real-world exports -------------------------------------------------------

TEST(ReaderSamples, ExcelSemicolonWithByteOrderMarkAndCrlf) {
  const read_outcome outcome = read_sample("excel_semicolon_bom_crlf.csv");
  EXPECT_EQ(outcome.failure, "");
  const std::vector<read_record> expected = {
      response(2, 10, "Företag", "2026-11-02 09:14", "Snabb leverans, bra support", 1),
      response(3, 9, "Privat", "2026-11-02 10:01", "Priset är rimligt; appen är lätt att använda",
               1.5),
      response(4, 6, "Företag", "2026-11-03 13:45", "Fakturan var fel två gånger", 0.5),
      response(6, 8, "Privat", "2026-11-04 08:30", "", 1),
      response(8, 7, "Företag", "2026-11-05 16:20", "Okej, men \"support\" svarar långsamt", 2),
      response(11, 0, "Privat", "2026-11-07 07:07", "Inte sannolikt alls", 1),
  };
  EXPECT_EQ(outcome.records, expected);
  EXPECT_EQ(outcome.records_counted, 6u);
  EXPECT_EQ(outcome.rejected, 3u);
  const rejections_list expected_rejections = {
      {7, "line 7: score \"11\" is not from 0 to 10"},
      {9, "line 9: score \"9,5\" is not a whole number from 0 to 10"},
      {10, "line 10: weight \"-1\" is negative; expected 0 or more"},
  };
  EXPECT_EQ(outcome.rejections, expected_rejections);
}

TEST(ReaderSamples, GoogleFormsWithQuestionHeadersAndMultiLineAnswers) {
  const read_outcome outcome = read_sample("google_forms.csv");
  EXPECT_EQ(outcome.failure, "");
  const std::vector<read_record> expected = {
      response(2, 9, "Pro", "2026/11/20 9:14:03 AM GMT+1",
               "Great onboarding.\nThe team answered within minutes, even on Sunday."),
      response(4, 4, "Free", "2026/11/20 9:20:41 AM GMT+1",
               "Aplikacja się zawiesza, a wsparcie odpisuje po tygodniu. Jestem krytykiem, "
               "niestety."),
      response(6, 10, "Team", "2026/11/20 10:05:55 AM GMT+1",
               "They said \"we'll fix it\" and they did:\n- export to CSV\n- dark mode\n\nThanks!"),
      response(12, 8, "Pro", "2026/11/20 11:45:09 AM GMT+1", "Zażółć gęślą jaźń — działa dobrze"),
  };
  EXPECT_EQ(outcome.records, expected);
  const rejections_list expected_rejections = {
      {5, "line 5: score is empty"},
      {11, "line 11: expected 4 fields as in the header, found 5"},
  };
  EXPECT_EQ(outcome.rejections, expected_rejections);
}

TEST(ReaderSamples, TypeformLikeJsonArray) {
  const read_outcome outcome = read_sample("typeform_like.json");
  EXPECT_EQ(outcome.failure, "");
  const std::vector<read_record> expected = {
      response(2, 9, "enterprise", "2026-11-21T08:00:00Z", "产品很好用，客服回复也很快 {非常满意}"),
      response(11, 3, "starter", "2026-11-21T09:30:00Z",
               "Too slow: \"loading...\" for ages ]}, then an error \\ crash"),
      response(20, 10, "enterprise", "2026-11-22T11:15:00Z",
               "Hur troligt? Mycket! Återkommer gärna."),
      response(27, 7, "42", "2026-11-23T12:00:00Z"),
  };
  EXPECT_EQ(outcome.records, expected);
  const rejections_list expected_rejections = {
      {18, "line 18: score 9.5 is not a whole number from 0 to 10"},
      {19, "line 19: expected a JSON object, found a string"},
      {28, "line 28: score 12 is not from 0 to 10"},
      {29,
       "line 29: invalid JSON at column 119: syntax error while parsing object key - unexpected "
       "'}'; expected string literal"},
  };
  EXPECT_EQ(outcome.rejections, expected_rejections);
}

TEST(ReaderSamples, WidgetPayloadJsonlWithSegmentsInProperties) {
  const read_outcome outcome = read_sample("widget_payload.jsonl");
  EXPECT_EQ(outcome.failure, "");
  const std::vector<read_record> expected = {
      response(1, 9, "pro", "2026-11-22T10:15:00.000Z", "Snabbt och enkelt"),
      dismissal(2, "free", "2026-11-22T10:16:00.000Z"),
      response(4, 2, "free", "2026-11-22T11:00:00.000Z", "Za drogo, krytyk"),
      response(5, 10, "team", "2026-11-23T01:30:00.000Z", "非常推荐"),
      response(9, 7, "pro", "2026-11-24T09:00:00.000Z"),
  };
  EXPECT_EQ(outcome.records, expected);
  const rejections_list expected_rejections = {
      {6,
       "line 6: invalid JSON at column 90: syntax error while parsing value - invalid string: "
       "missing closing quote; last read: '\"cut off'"},
      {7, "line 7: score is missing"},
      {8, "line 8: expected a JSON object, found an array"},
  };
  EXPECT_EQ(outcome.rejections, expected_rejections);
}

TEST(ReaderSamples, EveryKindOfBadRowIsReportedAndReadingGoesOn) {
  const read_outcome outcome = read_sample("bad_rows.csv");
  EXPECT_EQ(outcome.failure, "");
  const std::vector<read_record> expected = {
      response(2, 9, "a", "", "fine"),
      response(8, 7, "a", "", "negative weight"),
      response(9, 7, "a", "", "word weight"),
      response(12, 5, "a", "", "zero weight is allowed"),
  };
  // Without a weight column, the weights of lines 8 and 9 are not read.
  EXPECT_EQ(outcome.records, expected);
  const rejections_list expected_rejections = {
      {3, "line 3: score \"11\" is not from 0 to 10"},
      {4, "line 4: score \"abc\" is not a number from 0 to 10"},
      {5, "line 5: score \"9.5\" is not a whole number from 0 to 10"},
      {6, "line 6: score is empty"},
      {7, "line 7: score \"-1\" is not from 0 to 10"},
      {10, "line 10: expected 4 fields as in the header, found 3"},
      {11,
       "line 11: field 4 has text after its closing quote; expected a delimiter or the end of "
       "the line"},
      {13,
       "line 13: field 4 opens a quote that is never closed; expected a closing '\"' before the "
       "end of the input"},
  };
  EXPECT_EQ(outcome.rejections, expected_rejections);
  EXPECT_EQ(outcome.rejected, 8u);
}

TEST(ReaderSamples, BadWeightsAreRejectedWhenWeighted) {
  reader_options options = options_for(input_format::csv);
  options.weight_column = "WEIGHT ";
  const read_outcome outcome = read_text(options, load_sample("bad_rows.csv"));
  ASSERT_EQ(outcome.records.size(), 2u);
  EXPECT_EQ(outcome.records[1].line, 12u);
  EXPECT_EQ(outcome.records[1].weight, 0.0);
  ASSERT_GE(outcome.rejections.size(), 8u);
  EXPECT_EQ(outcome.rejections[5],
            std::make_pair(std::uint64_t{8}, std::string("line 8: weight \"-2\" is negative; "
                                                         "expected 0 or more")));
  EXPECT_EQ(
      outcome.rejections[6],
      std::make_pair(std::uint64_t{9}, std::string("line 9: weight \"heavy\" is not a number")));
}

TEST(ReaderSamples, TabSeparatedWithLoneCarriageReturns) {
  const read_outcome outcome = read_sample("mac_cr.tsv");
  EXPECT_EQ(outcome.failure, "");
  const std::vector<read_record> expected = {
      response(2, 10, "web", "2026-10-01"),
      dismissal(3, "web", "2026-10-01"),
      response(4, 0, "app", "2026-10-02"),
      response(5, 8, "app", "2026-10-02"),
  };
  EXPECT_EQ(outcome.records, expected);
  EXPECT_TRUE(outcome.rejections.empty());
}

// --- any chunking gives the same result ----------------------------------------

class ReaderChunking : public testing::TestWithParam<sample> {};

TEST_P(ReaderChunking, EverySplitPointGivesTheSameResult) {
  const sample& item = GetParam();
  const std::string text = load_sample(item.file);
  const read_outcome whole = read_text(item.options, text);
  ASSERT_FALSE(whole.records.empty());
  const std::string_view view(text);
  for (std::size_t split = 0; split <= text.size(); ++split) {
    const read_outcome parts =
        read_chunks(item.options, {view.substr(0, split), view.substr(split)});
    ASSERT_EQ(parts, whole) << item.file << " split at byte " << split;
  }
}

TEST_P(ReaderChunking, RandomMultiSplitsAndSingleBytesGiveTheSameResult) {
  const sample& item = GetParam();
  const std::string text = load_sample(item.file);
  const read_outcome whole = read_text(item.options, text);
  const std::string_view view(text);

  std::vector<std::string_view> bytes;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bytes.push_back(view.substr(i, 1));
  }
  ASSERT_EQ(read_chunks(item.options, bytes), whole) << item.file << " byte by byte";

  std::mt19937 random(20261122);
  for (int round = 0; round < 300; ++round) {
    std::uniform_int_distribution<std::size_t> count_of(2, 24);
    std::uniform_int_distribution<std::size_t> position(0, text.size());
    std::vector<std::size_t> cuts(count_of(random));
    for (std::size_t& cut : cuts) {
      cut = position(random);
    }
    std::sort(cuts.begin(), cuts.end());
    std::vector<std::string_view> chunks;
    std::size_t start = 0;
    for (std::size_t cut : cuts) {
      chunks.push_back(view.substr(start, cut - start));  // empty chunks included on purpose
      start = cut;
    }
    chunks.push_back(view.substr(start));
    ASSERT_EQ(read_chunks(item.options, chunks), whole) << item.file << " round " << round;
  }
}

INSTANTIATE_TEST_SUITE_P(Samples, ReaderChunking, testing::ValuesIn(samples()),
                         [](const testing::TestParamInfo<sample>& test_case) {
                           std::string name;
                           for (char c : test_case.param.file) {
                             name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           }
                           return name;
                         });

TEST(ReaderChunking, ByteOrderMarkSplitAcrossChunksIsStripped) {
  const std::string text = "\xEF\xBB\xBFscore\n9\n";
  const read_outcome whole = read_text(options_for(input_format::csv), text);
  ASSERT_EQ(whole.records, std::vector<read_record>{response(2, 9)});
  EXPECT_EQ(read_chunks(options_for(input_format::csv), {"\xEF", "\xBB", "\xBF", "score\n9\n"}),
            whole);
  EXPECT_EQ(read_chunks(options_for(input_format::csv), {"\xEF\xBB", "\xBFscore\r", "\n9"}), whole);
}

// --- CSV details ---------------------------------------------------------------

TEST(CsvReader, ScoresAsIntegralNumbersAreAcceptedOthersRejected) {
  const read_outcome outcome = read_text(options_for(input_format::csv),
                                         "score\n 9 \n9.0\n+7\n07\n-0\n10.00\n"
                                         "9.5\n1e1\nten\n\"\"\n100000000000000000000\n");
  std::vector<int> scores;
  for (const read_record& record : outcome.records) {
    scores.push_back(record.score);
  }
  EXPECT_EQ(scores, (std::vector<int>{9, 9, 7, 7, 0, 10}));
  const rejections_list expected = {
      {8, "line 8: score \"9.5\" is not a whole number from 0 to 10"},
      {9, "line 9: score \"1e1\" is not a number from 0 to 10"},
      {10, "line 10: score \"ten\" is not a number from 0 to 10"},
      {12, "line 12: score \"100000000000000000000\" is not from 0 to 10"},
  };
  // Line 11 is a quoted empty value on its own: a blank line, skipped.
  EXPECT_EQ(outcome.rejections, expected);
}

TEST(CsvReader, DecimalCommaOnlyWhenCommaIsNotTheDelimiter) {
  const read_outcome semicolon = read_text(options_for(input_format::csv), "score;x\n9,0;a\n");
  EXPECT_EQ(semicolon.records, std::vector<read_record>{response(2, 9)});
  const read_outcome comma = read_text(options_for(input_format::csv), "score,x\n\"9,0\",a\n");
  const rejections_list expected = {{2, "line 2: score \"9,0\" is not a number from 0 to 10"}};
  EXPECT_EQ(comma.rejections, expected);
}

TEST(CsvReader, DelimiterIsTheMostFrequentOneOnTheHeaderLine) {
  const read_outcome tabs = read_text(options_for(input_format::csv),
                                      "comment\tscore\tsegment\nfine, thanks; really\t9\tweb\n");
  EXPECT_EQ(tabs.records,
            std::vector<read_record>{response(2, 9, "web", "", "fine, thanks; really")});
  // Delimiters inside a quoted header name do not count.
  const read_outcome quoted =
      read_text(options_for(input_format::csv), "\"a,b,c\";score;segment\nx;7;web\n");
  EXPECT_EQ(quoted.records, std::vector<read_record>{response(2, 7, "web")});
}

TEST(CsvReader, SingleColumnFileUsesTheFormatsDelimiter) {
  const read_outcome csv = read_text(options_for(input_format::csv), "score\n9\n8\t1\n");
  EXPECT_EQ(csv.rejections,
            (rejections_list{{3, "line 3: score \"8\\t1\" is not a number from 0 to 10"}}));
  const read_outcome tsv = read_text(options_for(input_format::tsv), "score\n9\n8\t1\n");
  EXPECT_EQ(tsv.rejections, (rejections_list{{3,
                                              "line 3: expected 1 field as in the header, "
                                              "found 2"}}));
}

TEST(CsvReader, ColumnsMatchInAnyOrderIgnoringCaseAndSpaces) {
  reader_options options = options_for(input_format::csv);
  options.score_column = " Score ";
  const read_outcome outcome =
      read_text(options, "\" COMMENT \",Segment, SCORE ,Created_At,extra\nok,web,9,2026-01-02,x\n");
  EXPECT_EQ(outcome.records, std::vector<read_record>{response(2, 9, "web", "2026-01-02", "ok")});
}

TEST(CsvReader, NamedDateColumnWinsAndDefaultsAreTriedInOrder) {
  const std::string text = "score,created_at,timestamp,date,submitted_at,answered\n9,c,t,d,s,a\n";
  const reader_options defaults = options_for(input_format::csv);
  EXPECT_EQ(read_text(defaults, text).records[0].timestamp, "s");
  EXPECT_EQ(read_text(defaults, "score,created_at,timestamp,date\n9,c,t,d\n").records[0].timestamp,
            "d");
  EXPECT_EQ(read_text(defaults, "score,created_at,timestamp\n9,c,t\n").records[0].timestamp, "t");
  EXPECT_EQ(read_text(defaults, "score,created_at\n9,c\n").records[0].timestamp, "c");
  reader_options named = options_for(input_format::csv);
  named.date_column = "Answered";
  EXPECT_EQ(read_text(named, text).records[0].timestamp, "a");
}

TEST(CsvReader, ANamedColumnThatIsNotInTheHeaderIsAnErrorWithTheClosestName) {
  const std::string text = "score,survey_date,Region,note\n9,2026-03-01,eu,ok\n";
  const struct {
    std::string reader_options::*column;
    const char* name;
    const char* expected;
  } cases[] = {
      {&reader_options::date_column, "survey_dat",
       "header row on line 1 has no \"survey_dat\" column (the date column); columns found: "
       "\"score\", \"survey_date\", \"Region\", \"note\"; closest: \"survey_date\""},
      {&reader_options::segment_column, "regoin",
       "header row on line 1 has no \"regoin\" column (the segment column); columns found: "
       "\"score\", \"survey_date\", \"Region\", \"note\"; closest: \"Region\""},
      {&reader_options::comment_column, "comment",
       "header row on line 1 has no \"comment\" column (the comment column); columns found: "
       "\"score\", \"survey_date\", \"Region\", \"note\""},
      {&reader_options::type_column, "kind",
       "header row on line 1 has no \"kind\" column (the type column); columns found: "
       "\"score\", \"survey_date\", \"Region\", \"note\""},
      {&reader_options::score_column, "scor",
       "header row on line 1 has no \"scor\" column; columns found: \"score\", "
       "\"survey_date\", \"Region\", \"note\"; closest: \"score\""},
  };
  for (const auto& item : cases) {
    reader_options options = options_for(input_format::csv);
    options.*item.column = item.name;
    const read_outcome outcome = read_text(options, text);
    EXPECT_EQ(outcome.failure_code, error_code::missing_column) << item.name;
    EXPECT_EQ(outcome.failure, item.expected);
    EXPECT_TRUE(outcome.records.empty()) << item.name;
  }
  // Unnamed optional columns may be absent.
  EXPECT_EQ(read_text(options_for(input_format::csv), text).failure, "");
}

TEST(JsonReader, ANamedKeyThatNoObjectHasIsAnError) {
  reader_options options = options_for(input_format::jsonl);
  options.segment_column = "plna";
  const read_outcome outcome = read_text(
      options,
      "{\"score\": 9, \"properties\": {\"plan\": \"pro\"}}\n{\"score\": 7, \"date\": \"x\"}\n");
  EXPECT_EQ(outcome.failure_code, error_code::missing_column);
  EXPECT_EQ(outcome.failure,
            "no object has a \"plna\" key (the segment column); keys found: \"properties\", "
            "\"score\", \"plan\", \"date\"; closest: \"plan\"");
  // Found in one object is enough; a key absent from every object of an
  // empty input cannot be judged.
  options.segment_column = "date";
  EXPECT_EQ(read_text(options, "{\"score\": 9}\n{\"score\": 7, \"date\": \"x\"}\n").failure, "");
  EXPECT_EQ(read_text(options, "").failure, "");
  reader_options array = options_for(input_format::json);
  array.score_column = "rating";
  EXPECT_EQ(read_text(array, "[{\"score\": 9}, {\"type\": \"dismissal\"}]").failure,
            "no object has a \"rating\" key; keys found: \"score\", \"type\"");
  EXPECT_EQ(read_text(array, "[{\"type\": \"dismissal\"}]").failure, "");
}

// --- a stray quote costs only its own row ----------------------------------------

std::string numbered_rows(int first_line, int last_line) {
  std::string text;
  for (int line = first_line; line <= last_line; ++line) {
    text += std::to_string(line % 11) + ",answer " + std::to_string(line) + "\n";
  }
  return text;
}

TEST(CsvReader, AQuoteNeverClosedCostsOnlyItsRow) {
  // The 10,000-row export whose line 4 opens a quote it never closes.
  const std::string text =
      "score,comment\n" + numbered_rows(2, 3) + "9,\"Great\n" + numbered_rows(5, 10001);
  const read_outcome whole = read_text(options_for(input_format::csv), text);
  EXPECT_EQ(whole.failure, "");
  EXPECT_EQ(whole.records_counted, 9999u);
  EXPECT_EQ(whole.rejected, 1u);
  const rejections_list expected = {
      {4,
       "line 4: field 2 opens a quote that is still open after 100 lines (the most a quoted value "
       "may span); the quote is taken as stray: the row is left out and reading goes on with "
       "line 5"}};
  EXPECT_EQ(whole.rejections, expected);
  EXPECT_EQ(whole.records[2].line, 5u);
  EXPECT_EQ(whole.records.back().line, 10001u);

  // Every chunking, split anywhere, gives the same outcome.
  const std::string_view view(text);
  std::mt19937 random(4);
  for (int round = 0; round < 20; ++round) {
    std::vector<std::string_view> chunks;
    std::size_t start = 0;
    while (start < view.size()) {
      const std::size_t size = 1 + random() % 4000;
      chunks.push_back(view.substr(start, size));
      start += size;
    }
    ASSERT_EQ(read_chunks(options_for(input_format::csv), chunks), whole) << "round " << round;
  }
}

TEST(CsvReader, AQuoteOpenAtTheEndOfTheInputIsReadAgainFromTheNextLine) {
  const read_outcome outcome = read_text(options_for(input_format::csv),
                                         "score,comment\r\n9,\"never closed\r\n8,a\r\n\r\n7,b");
  EXPECT_EQ(outcome.records,
            (std::vector<read_record>{response(3, 8, "", "", "a"), response(5, 7, "", "", "b")}));
  const rejections_list expected = {
      {2,
       "line 2: field 2 opens a quote that is never closed; expected a closing '\"' before the "
       "end of the input"}};
  EXPECT_EQ(outcome.rejections, expected);
}

TEST(CsvReader, AQuoteThatLeavesAMalformedRowOverSeveralLinesCostsOnlyThatRow) {
  const read_outcome outcome =
      read_text(options_for(input_format::csv),
                "score,comment,segment\n8,\"Great,b\n7,ok,a\n10,\"two\nlines\",b\n6,x,\"y\"z\n");
  EXPECT_EQ(outcome.records, (std::vector<read_record>{response(3, 7, "a", "", "ok"),
                                                       response(4, 10, "b", "", "two\nlines")}));
  const rejections_list expected = {
      {2,
       "line 2: field 2 opens a quote that runs on to line 4, where field 2 has text after its "
       "closing quote; the quote is taken as stray: the row is left out and reading goes on "
       "with line 3"},
      {6,
       "line 6: field 3 has text after its closing quote; expected a delimiter or the end of the "
       "line"}};
  EXPECT_EQ(outcome.rejections, expected);
}

TEST(CsvReader, AQuotedValuePastTheByteBoundCostsOnlyItsRow) {
  const std::string huge(csv_max_quoted_continuation_bytes, 'x');
  const std::string text = "score,comment\n9,\"open\n" + huge + "\n8,after\n";
  const read_outcome outcome = read_text(options_for(input_format::csv), text);
  ASSERT_EQ(outcome.rejections.size(), 2u);
  EXPECT_EQ(outcome.rejections[0].first, 2u);
  EXPECT_NE(outcome.rejections[0].second.find("still open after 1048576 bytes"), std::string::npos)
      << outcome.rejections[0].second;
  // The long line is read again as a row of its own, and the row after it.
  EXPECT_EQ(outcome.rejections[1].first, 3u);
  EXPECT_EQ(outcome.records, std::vector<read_record>{response(4, 8, "", "", "after")});
  const std::string_view view(text);
  EXPECT_EQ(read_chunks(options_for(input_format::csv),
                        {view.substr(0, 20), view.substr(20, 500000), view.substr(500020)}),
            outcome);
}

TEST(CsvReader, AMultiLineValueWithinTheBoundsIsOneValue) {
  std::string value;
  for (std::uint64_t line = 1; line < csv_max_quoted_lines; ++line) value += "l\n";
  value += "end";
  const read_outcome outcome =
      read_text(options_for(input_format::csv), "score,comment\n9,\"" + value + "\"\n8,b\n");
  EXPECT_TRUE(outcome.rejections.empty());
  EXPECT_EQ(outcome.records, (std::vector<read_record>{response(2, 9, "", "", value),
                                                       response(102, 8, "", "", "b")}));
}

TEST(JsonReader, AStringOpenAtTheEndOfALineCostsOnlyItsElement) {
  const read_outcome outcome = read_sample("stray_quote.json");
  EXPECT_EQ(outcome.failure, "");
  EXPECT_EQ(outcome.records, (std::vector<read_record>{response(2, 9, "", "", "fine"),
                                                       response(4, 7, "", "", "ok")}));
  const rejections_list expected = {
      {3,
       "line 3: a string is still open at the end of line 3 (a JSON string cannot span lines; a "
       "quote is stray or missing); the element is left out and reading goes on with the next "
       "line that starts with '{'"}};
  EXPECT_EQ(outcome.rejections, expected);
}

TEST(ReaderSamples, StrayQuotesInCsvCostOnlyTheirRows) {
  const read_outcome outcome = read_sample("stray_quotes.csv");
  EXPECT_EQ(outcome.failure, "");
  EXPECT_EQ(outcome.records, (std::vector<read_record>{
                                 response(2, 9, "a", "", "fine"), response(4, 7, "a", "", "ok"),
                                 response(5, 10, "b", "", "multi\r\nline comment"),
                                 response(8, 5, "b", "", "after")}));
  ASSERT_EQ(outcome.rejections.size(), 2u);
  EXPECT_EQ(outcome.rejections[0].first, 3u);
  EXPECT_EQ(outcome.rejections[1].first, 7u);
}

TEST(CsvReader, BlankAndEmptyRowsAreSkippedAndLinesStillCount) {
  const read_outcome outcome =
      read_text(options_for(input_format::csv), "\n  \n,,\nscore,segment\n\n9,a\n , \n\r\n8,b");
  EXPECT_EQ(outcome.records, (std::vector<read_record>{response(6, 9, "a"), response(9, 8, "b")}));
  EXPECT_TRUE(outcome.rejections.empty());
}

TEST(CsvReader, QuotedFieldsMayFollowBlanksAndHoldLineBreaksOfAnyKind) {
  const read_outcome outcome = read_text(
      options_for(input_format::csv),
      "score, comment ,segment\n9, \"one, two\" ,a\n8,\"x\r\ny\rz\",b\n7,\"\"\"quoted\"\"\",c\n");
  EXPECT_EQ(outcome.records, (std::vector<read_record>{response(2, 9, "a", "", "one, two"),
                                                       response(3, 8, "b", "", "x\r\ny\rz"),
                                                       response(6, 7, "c", "", "\"quoted\"")}));
}

TEST(CsvReader, QuotesInsideAPlainFieldAreText) {
  const read_outcome outcome =
      read_text(options_for(input_format::csv), "score,comment\n9,5\" screen is \"ok\"\n");
  EXPECT_EQ(outcome.records,
            std::vector<read_record>{response(2, 9, "", "", "5\" screen is \"ok\"")});
}

TEST(CsvReader, DismissalRowsNeedNoScore) {
  reader_options options = options_for(input_format::csv);
  options.weight_column = "weight";
  const read_outcome outcome =
      read_text(options, "type,score,weight\nDismissal ,,\ndismissal,,2\nresponse,,1\nother,5,1\n");
  EXPECT_EQ(outcome.records,
            (std::vector<read_record>{dismissal(2),
                                      read_record{record_type::dismissal, -1, 2, "", "", "", 3},
                                      response(5, 5)}));
  EXPECT_EQ(outcome.rejections, (rejections_list{{4, "line 4: score is empty"}}));
}

TEST(CsvReader, WeightsAcceptDecimalsAndExponentsButNotNegativeOrHuge) {
  reader_options options = options_for(input_format::csv);
  options.weight_column = "w";
  const read_outcome outcome =
      read_text(options, "score,w\n9,2.5\n9,1e-1\n9,0\n9,\n9,1e999\n9,-0.1\n9,inf\n");
  ASSERT_EQ(outcome.records.size(), 3u);
  EXPECT_EQ(outcome.records[0].weight, 2.5);
  EXPECT_EQ(outcome.records[1].weight, 0.1);
  EXPECT_EQ(outcome.records[2].weight, 0.0);
  const rejections_list expected = {
      {5, "line 5: weight is empty"},
      {6, "line 6: weight \"1e999\" is not a finite number"},
      {7, "line 7: weight \"-0.1\" is negative; expected 0 or more"},
      {8, "line 8: weight \"inf\" is not a number"},
  };
  EXPECT_EQ(outcome.rejections, expected);
}

TEST(CsvReader, MissingScoreColumnIsAnErrorNamingTheColumns) {
  const read_outcome outcome =
      read_text(options_for(input_format::csv), "\n\"Rating\",Comment\n9,good\n");
  EXPECT_EQ(outcome.failure_code, error_code::missing_column);
  EXPECT_EQ(outcome.failure,
            "header row on line 2 has no \"score\" column; columns found: \"Rating\", "
            "\"Comment\"");
  EXPECT_TRUE(outcome.records.empty());
}

TEST(CsvReader, MissingWeightColumnIsAnError) {
  reader_options options = options_for(input_format::csv);
  options.weight_column = "w";
  const read_outcome outcome = read_text(options, "score\n9\n");
  EXPECT_EQ(outcome.failure_code, error_code::missing_column);
  EXPECT_EQ(outcome.failure,
            "header row on line 1 has no \"w\" column (the weight column); columns found: "
            "\"score\"");
}

TEST(CsvReader, InputWithoutAHeaderIsAnError) {
  for (std::string_view text : {"", "\xEF\xBB\xBF", "\r\n \n;;\n"}) {
    const read_outcome outcome = read_text(options_for(input_format::csv), text);
    EXPECT_EQ(outcome.failure_code, error_code::empty_input) << text;
    EXPECT_EQ(outcome.failure,
              "input has no header row; expected a first line naming the columns, one of them "
              "\"score\"");
  }
}

TEST(CsvReader, HeaderOnlyIsAnEmptyResultNotAnError) {
  const read_outcome outcome = read_text(options_for(input_format::csv), "score,comment");
  EXPECT_EQ(outcome.failure, "");
  EXPECT_EQ(outcome.records_counted, 0u);
}

TEST(CsvReader, UnclosedQuoteInTheHeaderIsAnError) {
  const read_outcome outcome = read_text(options_for(input_format::csv), "score,\"comment\n9,a\n");
  EXPECT_EQ(outcome.failure_code, error_code::parse_error);
  EXPECT_EQ(outcome.failure,
            "header row on line 1: field 2 opens a quote that is never closed; expected a "
            "closing '\"' before the end of the input");
}

TEST(CsvReader, LongAndControlValuesAreQuotedSafelyInMessages) {
  const read_outcome outcome =
      read_text(options_for(input_format::csv), "score\n\"a\tb\"\n\"" + std::string(60, 'x') +
                                                    "\"\n\"\xFF\"\n\"åäöåäöåäöåäöåäöåäöåäöå\"\n");
  const rejections_list expected = {
      {2, "line 2: score \"a\\tb\" is not a number from 0 to 10"},
      {3, "line 3: score \"" + std::string(40, 'x') + "...\" is not a number from 0 to 10"},
      {4, "line 4: score \"\xEF\xBF\xBD\" is not a number from 0 to 10"},
      {5, "line 5: score \"åäöåäöåäöåäöåäöåäöåä...\" is not a number from 0 to 10"},
  };
  EXPECT_EQ(outcome.rejections, expected);
}

// --- JSON and JSONL details ----------------------------------------------------

TEST(JsonReader, ElementsMayBeAnyShapeOfValidJson) {
  const read_outcome outcome =
      read_text(options_for(input_format::json),
                "[ {\"score\": 9, \"comment\": \"a ] b } c, \\\"d\\\\\"},"
                "\n{\"Score\": \"8\", \"nested\": [[{}], {\"x\": [\"]\"]}],"
                " \"segment\": true},\n7, {\"score\": false},"
                " {\"score\": {\"v\": 1}}, {\"score\": null},,\n]  \n");
  EXPECT_EQ(outcome.records, (std::vector<read_record>{response(1, 9, "", "", "a ] b } c, \"d\\"),
                                                       response(2, 8, "true")}));
  const rejections_list expected = {
      {3, "line 3: expected a JSON object, found a number"},
      {3, "line 3: score false is not a number from 0 to 10"},
      {3, "line 3: score must be a number from 0 to 10, found an object"},
      {3, "line 3: score is missing"},
      {3, "line 3: empty array element; expected a JSON object before ','"},
  };
  EXPECT_EQ(outcome.rejections, expected);
  EXPECT_EQ(outcome.failure, "");
}

TEST(JsonReader, KeysMissingAtTheTopAreLookedUpInProperties) {
  reader_options options = options_for(input_format::json);
  options.segment_column = "plan";
  options.weight_column = "w";
  const read_outcome outcome = read_text(
      options,
      "[{\"properties\": {\"score\": 10, \"plan\": \"pro\", \"w\": \"2\", \"date\": \"d1\"}},"
      " {\"score\": 6, \"plan\": \"top\", \"properties\": {\"plan\": \"inner\"}, \"w\": 0.5},"
      " {\"score\": 6, \"w\": -1}, {\"score\": 6}, {\"score\": 6, \"w\": [1]}]");
  EXPECT_EQ(outcome.records, (std::vector<read_record>{response(1, 10, "pro", "d1", "", 2),
                                                       response(1, 6, "top", "", "", 0.5)}));
  const rejections_list expected = {
      {1, "line 1: weight -1 is negative; expected 0 or more"},
      {1, "line 1: weight is missing"},
      {1, "line 1: weight must be a number, found an array"},
  };
  EXPECT_EQ(outcome.rejections, expected);
}

TEST(JsonReader, DocumentThatIsNotAnArrayIsAnError) {
  const read_outcome object = read_text(options_for(input_format::json), "\n {\"score\": 9}\n");
  EXPECT_EQ(object.failure_code, error_code::parse_error);
  EXPECT_EQ(object.failure,
            "JSON input must be an array of objects; found an object ('{') on line 2 where '[' "
            "was expected (for one object per line, use the jsonl format)");
  const read_outcome text = read_text(options_for(input_format::json), "score\n9\n");
  EXPECT_EQ(text.failure,
            "JSON input must be an array of objects; found \"s\" on line 1 where '[' was "
            "expected");
}

TEST(JsonReader, TextAfterTheArrayAndUnclosedArraysAreErrors) {
  const read_outcome after =
      read_text(options_for(input_format::json), "[{\"score\": 9}]\n[{\"score\": 8}]");
  EXPECT_EQ(after.records, std::vector<read_record>{response(1, 9)});
  EXPECT_EQ(after.failure,
            "unexpected text after the end of the JSON array on line 2; expected nothing after "
            "the closing ']'");
  const read_outcome unclosed =
      read_text(options_for(input_format::json), "[{\"score\": 9},\n{\"score\": 8");
  EXPECT_EQ(unclosed.records, std::vector<read_record>{response(1, 9)});
  EXPECT_EQ(unclosed.failure_code, error_code::parse_error);
  EXPECT_EQ(unclosed.failure, "JSON array is not closed: the input ends on line 2; expected ']'");
  const read_outcome empty = read_text(options_for(input_format::json), " \n");
  EXPECT_EQ(empty.failure_code, error_code::empty_input);
  EXPECT_EQ(read_text(options_for(input_format::json), "[]").failure, "");
}

TEST(JsonReader, SyntaxErrorsInsideAnElementNameTheirLineAndColumn) {
  const read_outcome outcome = read_text(
      options_for(input_format::json), "[\n{\"score\": 9,\n  \"comment\": tru}\n, {\"score\": 1}]");
  EXPECT_EQ(outcome.records, std::vector<read_record>{response(4, 1)});
  const rejections_list expected = {
      {2,
       "line 2: invalid JSON on line 3, column 17: syntax error while parsing value - invalid "
       "literal; last read: '\"comment\": tru}'"},
  };
  EXPECT_EQ(outcome.rejections, expected);
}

TEST(JsonlReader, BlankLinesAndAnyLineBreakAreAccepted) {
  const read_outcome outcome = read_text(
      options_for(input_format::jsonl), "\n{\"score\":9}\r\n  \r{\"score\":\"10\"}\r{\"score\":0}");
  EXPECT_EQ(outcome.records,
            (std::vector<read_record>{response(2, 9), response(4, 10), response(5, 0)}));
  EXPECT_EQ(read_text(options_for(input_format::jsonl), "").failure, "");
}

TEST(JsonlReader, NulBytesMakeALineInvalid) {
  // A JSON parser that stops at NUL would read line 1 as {"score":9}.
  const read_outcome outcome =
      read_text(options_for(input_format::jsonl),
                std::string("{\"score\":9}\0{\"score\":1}\n{\"score\":2}", 35));
  EXPECT_EQ(outcome.records, std::vector<read_record>{response(2, 2)});
  EXPECT_EQ(outcome.rejections,
            (rejections_list{{1, "line 1: invalid JSON at column 12: unexpected NUL byte"}}));
}

// --- the reader object ---------------------------------------------------------

TEST(Reader, RejectionsKeepTheFirstOnesAndCountAll) {
  reader_options options = options_for(input_format::csv);
  options.max_reported_rejections = 2;
  const read_outcome outcome = read_text(options, "score\n11\n12\n9\n13\n");
  EXPECT_EQ(outcome.rejected, 3u);
  EXPECT_EQ(outcome.records_counted, 1u);
  EXPECT_EQ(outcome.rejections, (rejections_list{{2, "line 2: score \"11\" is not from 0 to 10"},
                                                 {3, "line 3: score \"12\" is not from 0 to 10"}}));
}

TEST(Reader, SinkRefusalBecomesARejectionWithTheLine) {
  reader_options options = options_for(input_format::csv);
  auto created = reader::create(options, [](const record_view& value) -> status {
    if (value.timestamp.empty()) {
      return make_error(error_code::invalid_record, "date is missing; expected an ISO-8601 date");
    }
    return ok{};
  });
  ASSERT_TRUE(created.has_value());
  ASSERT_TRUE(created->push("score,date\n9,2026-01-01\n9,\n"));
  ASSERT_TRUE(created->finish());
  EXPECT_EQ(created->records(), 1u);
  EXPECT_EQ(created->rejected(), 1u);
  ASSERT_EQ(created->rejections().size(), 1u);
  EXPECT_EQ(created->rejections()[0].line, 3u);
  EXPECT_EQ(created->rejections()[0].reason, "line 3: date is missing; expected an ISO-8601 date");
}

TEST(Reader, Utf16InputIsRefusedWithAHint) {
  const read_outcome outcome =
      read_text(options_for(input_format::csv), std::string("\xFF\xFEs\0c\0", 6));
  EXPECT_EQ(outcome.failure_code, error_code::parse_error);
  EXPECT_EQ(outcome.failure,
            "input is UTF-16 text (it starts with a UTF-16 byte order mark); expected UTF-8: save "
            "or export the file as UTF-8");
}

TEST(Reader, CountsBytesAndRefusesPushAfterFinish) {
  auto created = reader::create(options_for(input_format::csv),
                                [](const record_view&) -> status { return ok{}; });
  ASSERT_TRUE(created.has_value());
  ASSERT_TRUE(created->push("score\n9"));
  ASSERT_TRUE(created->push("\n"));
  EXPECT_EQ(created->bytes(), 8u);
  ASSERT_TRUE(created->finish());
  EXPECT_TRUE(created->finish());
  const status late = created->push("8\n");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, error_code::invalid_argument);
  EXPECT_EQ(created->records(), 1u);
}

TEST(Reader, ErrorsStickAcrossLaterCalls) {
  auto created = reader::create(options_for(input_format::json),
                                [](const record_view&) -> status { return ok{}; });
  ASSERT_TRUE(created.has_value());
  const status first = created->push("{");
  ASSERT_FALSE(first);
  const status second = created->push("[{\"score\": 9}]");
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().message, first.error().message);
  EXPECT_FALSE(created->finish());
  EXPECT_EQ(created->records(), 0u);
}

TEST(Reader, CreateRejectsInconsistentOptions) {
  const auto sink = [](const record_view&) -> status { return ok{}; };
  reader_options options;
  options.score_column = "  ";
  auto empty_score = reader::create(options, sink);
  ASSERT_FALSE(empty_score);
  EXPECT_EQ(empty_score.error().code, error_code::invalid_argument);

  options.score_column = "score";
  options.weight_column = "Score";
  auto same_columns = reader::create(options, sink);
  ASSERT_FALSE(same_columns);
  EXPECT_EQ(same_columns.error().message,
            "weight column \"Score\" is the score column; expected a different column");

  EXPECT_FALSE(reader::create(reader_options{}, record_sink{}));
}

TEST(Reader, MovedReaderKeepsItsState) {
  std::vector<int> scores;
  auto created = reader::create(options_for(input_format::csv), [&](const record_view& value) {
    scores.push_back(value.score);
    return status(ok{});
  });
  ASSERT_TRUE(created.has_value());
  reader first = std::move(*created);
  ASSERT_TRUE(first.push("score\n9\n1"));
  reader second = std::move(first);
  ASSERT_TRUE(second.push("0\n"));
  ASSERT_TRUE(second.finish());
  EXPECT_EQ(scores, (std::vector<int>{9, 10}));
}

TEST(InputFormat, NamesAndFileExtensions) {
  EXPECT_STREQ(to_string(input_format::tsv), "tsv");
  EXPECT_EQ(*parse_input_format(" JSONL "), input_format::jsonl);
  EXPECT_EQ(*parse_input_format("ndjson"), input_format::jsonl);
  const auto unknown = parse_input_format("xml");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message,
            "unknown input format \"xml\"; expected csv, tsv, json or jsonl");

  EXPECT_EQ(format_from_path("exports/2026.11/answers.CSV"), input_format::csv);
  EXPECT_EQ(format_from_path("a.tab"), input_format::tsv);
  EXPECT_EQ(format_from_path("a.txt"), input_format::tsv);
  EXPECT_EQ(format_from_path("a.json"), input_format::json);
  EXPECT_EQ(format_from_path("C:\\data\\a.ndjson"), input_format::jsonl);
  EXPECT_EQ(format_from_path("a.jsonl"), input_format::jsonl);
  EXPECT_EQ(format_from_path("answers"), std::nullopt);
  EXPECT_EQ(format_from_path("dir.csv/answers"), std::nullopt);
  EXPECT_EQ(format_from_path(".csv"), std::nullopt);
  EXPECT_EQ(format_from_path("-"), std::nullopt);
}

// The one- and two-byte scores most exports hold are read without the
// general rules; a blank on each side always takes the general path (the
// value is trimmed first), so both must agree on every such text.
TEST(ScoreText, ShortScoresReadAsTheGeneralRulesReadThem) {
  using reader_detail::parse_score_text;
  using reader_detail::value_problem;
  std::vector<std::string> texts = {"10",
                                    " 7",
                                    "7 ",
                                    "7.0",
                                    "07",
                                    "010",
                                    "1e1",
                                    "+7",
                                    "-0",
                                    "-1",
                                    "11",
                                    "10.0",
                                    "10,0",
                                    "1 0",
                                    "\"7\"",
                                    "\xEF\xBB\xBF"
                                    "7",
                                    "",
                                    " ",
                                    "\t10\r"};
  for (int first = 0; first < 256; ++first) {
    texts.emplace_back(1, static_cast<char>(first));
    for (const char second : std::string("0123456789 .,+-e\"\t")) {
      texts.push_back(std::string(1, static_cast<char>(first)) + second);
    }
  }
  for (const std::string& text : texts) {
    for (const bool decimal_comma : {false, true}) {
      int fast = -1;
      int general = -1;
      const value_problem fast_problem = parse_score_text(text, decimal_comma, fast);
      const value_problem general_problem =
          parse_score_text(" " + text + " ", decimal_comma, general);
      EXPECT_EQ(fast_problem, general_problem) << '"' << text << '"';
      EXPECT_EQ(fast, general) << '"' << text << '"';
    }
  }
  int score = -1;
  EXPECT_EQ(parse_score_text("10", false, score), value_problem::none);
  EXPECT_EQ(score, 10);
  EXPECT_EQ(parse_score_text("0", false, score), value_problem::none);
  EXPECT_EQ(score, 0);
  EXPECT_EQ(parse_score_text("07", false, score), value_problem::none);
  EXPECT_EQ(score, 7);
  EXPECT_EQ(parse_score_text("7,0", true, score), value_problem::none);
  EXPECT_EQ(parse_score_text("7,0", false, score), value_problem::not_a_number);
  EXPECT_EQ(parse_score_text("1e1", false, score), value_problem::not_a_number);
  EXPECT_EQ(parse_score_text("\"7\"", false, score), value_problem::not_a_number);
  EXPECT_EQ(parse_score_text("11", false, score), value_problem::out_of_range);
}

// Scores read through the CSV reader, quoted and not, after a byte order
// mark: the fast and the general path give the same records.
TEST(ScoreText, ScoresInAFileWithByteOrderMarkAndQuotes) {
  const std::string text =
      "\xEF\xBB\xBFscore,comment\n10,a\n\"7\",b\n \"9\" ,c\n07,d\n7.0,e\n\" 8 "
      "\",f\n1e1,g\n\"10\"\n";
  std::vector<int> scores;
  auto created = reader::create(reader_options{}, [&](const record_view& record) -> status {
    scores.push_back(record.score);
    return ok{};
  });
  ASSERT_TRUE(created);
  ASSERT_TRUE(created->push(text));
  ASSERT_TRUE(created->finish());
  EXPECT_EQ(scores, (std::vector<int>{10, 7, 9, 7, 7, 8}));
  // 1e1 is not a whole number written as a score; "10" alone has one field.
  EXPECT_EQ(created->rejected(), 2U);
}

}  // namespace
}  // namespace npskit
