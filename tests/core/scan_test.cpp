// The structural scan: every scan path this machine runs (scalar, SSE2, AVX2)
// finds the same bytes, and the readers give the same records, rejections
// and errors on each, for inputs whose structure falls on 16-, 32- and
// 64-byte boundaries.
#include "npskit/scan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "npskit/reader.h"
#include "scan_finder.h"

namespace npskit {
namespace {

struct read_outcome {
  std::vector<std::string> records;  // every field of a record, printed
  std::vector<std::pair<std::uint64_t, std::string>> rejections;
  std::uint64_t rejected = 0;
  std::optional<std::string> failure;

  bool operator==(const read_outcome& other) const {
    return records == other.records && rejections == other.rejections &&
           rejected == other.rejected && failure == other.failure;
  }
};

read_outcome read_with(scan_path path, input_format format, std::string_view text,
                       std::size_t chunk_size) {
  read_outcome outcome;
  reader_options options;
  options.format = format;
  auto created = reader::create(
      options,
      [&](const record_view& record) -> status {
        outcome.records.push_back(
            std::to_string(record.line) + "|" +
            (record.type == record_type::dismissal ? "dismissal" : "response") + "|" +
            std::to_string(record.score) + "|" + std::string(record.segment) + "|" +
            std::string(record.timestamp) + "|" + std::string(record.comment));
        return ok{};
      },
      path);
  EXPECT_TRUE(created);
  reader& source = *created;
  status last = ok{};
  for (std::size_t at = 0; at < text.size() && last; at += chunk_size) {
    last = source.push(text.substr(at, chunk_size));
  }
  if (last) {
    last = source.finish();
  }
  if (!last) {
    outcome.failure = last.error().message;
  }
  outcome.rejected = source.rejected();
  for (const rejection& item : source.rejections()) {
    outcome.rejections.emplace_back(item.line, item.reason);
  }
  return outcome;
}

// Reads text on every available path, whole and in chunks of a few sizes,
// and expects the scalar outcome from each. Returns that outcome.
read_outcome expect_same_on_every_path(input_format format, const std::string& text) {
  const read_outcome reference = read_with(scan_path::scalar, format, text, text.size() + 1);
  for (scan_path path : available_scan_paths()) {
    for (std::size_t chunk :
         {text.size() + 1, std::size_t{1}, std::size_t{7}, std::size_t{64}, std::size_t{100}}) {
      EXPECT_EQ(read_with(path, format, text, chunk), reference)
          << "path " << to_string(path) << ", chunks of " << chunk << " bytes";
    }
  }
  return reference;
}

// A header padded so that the next row starts `offset` bytes into the input.
std::string header_padded_to(std::size_t offset) {
  std::string header = "score,segment,comment";
  const std::size_t used = header.size() + 1;
  if (offset > used) {
    header += std::string(offset - used, ' ');
  }
  return header + "\n";
}

TEST(ScanPaths, ScalarIsAlwaysAvailableAndFastestIsListed) {
  const std::vector<scan_path> paths = available_scan_paths();
  ASSERT_FALSE(paths.empty());
  EXPECT_EQ(paths.front(), scan_path::scalar);
  EXPECT_EQ(paths.back(), fastest_scan_path());
#if defined(__x86_64__)
  // Every x86-64 processor has SSE2.
  EXPECT_NE(std::find(paths.begin(), paths.end(), scan_path::sse2), paths.end());
#endif
}

TEST(ByteFinder, FindsTheSameByteAsALoopAtEveryOffset) {
  // Watched bytes at every position of a 200-byte span, asked from every
  // start, with ends cut short of the span too (the quoted-value budget).
  std::string text(200, 'a');
  for (std::size_t i = 0; i < text.size(); i += 13) {
    text[i] = ',';
  }
  for (std::size_t i = 5; i < text.size(); i += 31) {
    text[i] = '"';
  }
  text[63] = '\n';
  text[64] = '\r';
  text[127] = '\0';
  const std::array<char, 4> watched = {',', '"', '\0', '\n'};
  for (scan_path path : available_scan_paths()) {
    scan_detail::byte_finder finder(path, watched);
    for (unsigned which : {1U, 2U, 4U, 8U, 3U, 14U, 15U}) {
      finder.new_span();
      for (std::size_t from = 0; from <= text.size(); ++from) {
        for (std::size_t to : {text.size(), from + (text.size() - from) / 2}) {
          const char* const begin = text.data() + from;
          const char* const end = text.data() + to;
          const char* expected = begin;
          while (expected < end) {
            bool hit = false;
            for (std::size_t k = 0; k < 4; ++k) {
              hit = hit || (((which >> k) & 1U) != 0 && *expected == watched[k]);
            }
            if (hit) {
              break;
            }
            ++expected;
          }
          ASSERT_EQ(finder.find(begin, end, which) - text.data(), expected - text.data())
              << to_string(path) << " from " << from << " to " << to << " watching " << which;
        }
      }
    }
  }
}

TEST(ByteFinder, WindowsHoldTheWatchedBytesOfALoop) {
  std::string text(200, 'a');
  for (std::size_t i = 0; i < text.size(); i += 7) {
    text[i] = ',';
  }
  text[3] = '"';
  text[64] = '\n';
  text[65] = '\r';
  text[130] = '\0';
  const std::array<char, 4> watched = {',', '"', '\0', '\n'};
  for (scan_path path : available_scan_paths()) {
    scan_detail::byte_finder finder(path, watched);
    if (!finder.blocks()) {
      continue;
    }
    for (std::size_t from = 0; from < text.size(); ++from) {
      for (std::size_t to : {text.size(), from + 1 + (text.size() - from) / 3}) {
        const scan_detail::byte_finder::window window =
            finder.window_at(text.data() + from, text.data() + to);
        ASSERT_GE(window.size, 1U);
        ASSERT_LE(window.size, std::min<std::size_t>(64, to - from));
        for (std::size_t k = 0; k < 4; ++k) {
          std::uint64_t expected = 0;
          for (std::size_t i = 0; i < window.size; ++i) {
            if (text[from + i] == watched[k]) expected |= std::uint64_t{1} << i;
          }
          ASSERT_EQ(window.bits[k], expected)
              << to_string(path) << " from " << from << " to " << to << " byte " << k;
        }
      }
    }
  }
}

TEST(ScanPaths, QuotedValuesAcrossBlockBoundaries) {
  // A quoted value with a delimiter, an escaped quote and a line break in
  // it, placed so that each of them falls on either side of a 16-, 32- and
  // 64-byte boundary.
  for (std::size_t offset = 0; offset < 70; ++offset) {
    const std::string text = header_padded_to(offset) +
                             "9,web,\"fast, \"\"really\"\"\nfast\"\n"
                             "3,app,\"slow\"\r\n"
                             "10,\"a\"\"b\",plain text\n";
    const read_outcome outcome = expect_same_on_every_path(input_format::csv, text);
    ASSERT_EQ(outcome.records.size(), 3U) << "offset " << offset;
    EXPECT_EQ(outcome.records[0], "2|response|9|web||fast, \"really\"\nfast");
    EXPECT_EQ(outcome.records[1], "4|response|3|app||slow");
    EXPECT_EQ(outcome.records[2], "5|response|10|a\"b||plain text");
  }
}

TEST(ScanPaths, CrlfSplitAcrossBoundariesAndChunks) {
  for (std::size_t offset = 0; offset < 70; ++offset) {
    std::string text = header_padded_to(offset);
    text.replace(text.size() - 1, 1, "\r\n");
    text += "7,a,x\r\n8,b,\"y\r\nz\"\r\n\r\n9,c,w";
    const read_outcome outcome = expect_same_on_every_path(input_format::csv, text);
    ASSERT_EQ(outcome.records.size(), 3U) << "offset " << offset;
    EXPECT_EQ(outcome.records[1], "3|response|8|b||y\r\nz");
    EXPECT_EQ(outcome.records[2], "6|response|9|c||w");
  }
}

TEST(ScanPaths, ByteOrderMarkAndUtf8) {
  const std::string text =
      "\xEF\xBB\xBFscore;segment;comment\n"
      "9;\xC3\x85land;\"Snabb, v\xC3\xA4nlig \xE2\x80\x94 \xE6\x8E\xA8\xE8\x8D\x90\"\n"
      "6;\xF0\x9F\x98\x80;\"\xE2\x80\x9Cquoted\xE2\x80\x9D \"\"inner\"\"\"\n";
  const read_outcome outcome = expect_same_on_every_path(input_format::csv, text);
  ASSERT_EQ(outcome.records.size(), 2U);
  EXPECT_EQ(
      outcome.records[0],
      "2|response|9|\xC3\x85land||Snabb, v\xC3\xA4nlig \xE2\x80\x94 \xE6\x8E\xA8\xE8\x8D\x90");
  EXPECT_EQ(outcome.records[1],
            "3|response|6|\xF0\x9F\x98\x80||\xE2\x80\x9Cquoted\xE2\x80\x9D \"inner\"");
}

TEST(ScanPaths, StrayQuoteIsGivenUpTheSameWay) {
  // The quote on line 2 never closes: that row alone is rejected and the
  // lines it ran over are read again, on every path.
  std::string text = "score,segment,comment\n9,web,\"oops\n";
  for (int i = 0; i < 40; ++i) {
    text += std::to_string(i % 11) + ",seg" + std::to_string(i) + ",fine comment number " +
            std::to_string(i) + "\n";
  }
  const read_outcome outcome = expect_same_on_every_path(input_format::csv, text);
  EXPECT_EQ(outcome.records.size(), 40U);
  EXPECT_EQ(outcome.rejected, 1U);
}

TEST(ScanPaths, TabSeparatedWithQuotes) {
  std::string text = "score\tsegment\tcomment\n";
  for (int i = 0; i < 30; ++i) {
    text += std::to_string(i % 11) + "\t\"s\t" + std::to_string(i) + "\"\t\"a \"\"b\"\"\tc\"\n";
  }
  const read_outcome outcome = expect_same_on_every_path(input_format::tsv, text);
  ASSERT_EQ(outcome.records.size(), 30U);
  EXPECT_EQ(outcome.records[3], "5|response|3|s\t3||a \"b\"\tc");
}

TEST(ScanPaths, QuotedFieldsOnOneLineAreReadAsByTheStateMachine) {
  // A line whose quoted fields close on the line is cut in one pass; a
  // doubled quote, text after a closing quote or a quote left open goes to
  // the byte-level state machine. Read whole (the one pass) and one byte at a
  // time (only the state machine), at every offset from a block boundary,
  // both must give the same records and rejections.
  const std::string rows =
      "9,\"web\",\"fast, clear\"\n"
      "8, \t\"app\" \t,\"\"\n"
      "7,a\"b,c\"d\n"
      "6,\"x\"y,z\n"
      "5,\"\",\"\"\n"
      "\"\",\"\",\"\"\n"
      "4,\f\"q\",r\n"
      "3,\"it\"\"s\",s\n"
      "2,\"  \",\" t \"\r\n"
      "1,\"u\",\"v\",w\n"
      "10,\"open,\n"
      "0,z,\"end\"";
  for (std::size_t offset = 0; offset < 70; ++offset) {
    const read_outcome outcome =
        expect_same_on_every_path(input_format::csv, header_padded_to(offset) + rows);
    ASSERT_EQ(outcome.records.size(), 8U) << "offset " << offset;
    EXPECT_EQ(outcome.records[0], "2|response|9|web||fast, clear");
    EXPECT_EQ(outcome.records[1], "3|response|8|app||");
    EXPECT_EQ(outcome.records[2], "4|response|7|a\"b||c\"d");
    EXPECT_EQ(outcome.records[3], "6|response|5|||");
    EXPECT_EQ(outcome.records[4], "8|response|4|\"q\"||r");
    EXPECT_EQ(outcome.records[5], "9|response|3|it\"s||s");
    EXPECT_EQ(outcome.records[6], "10|response|2|||t");
    // Rejected: line 5 (text after a closing quote), line 11 (four fields)
    // and line 12, whose quote runs on into line 13 and leaves it malformed:
    // line 13 is then read again as a row of its own.
    EXPECT_EQ(outcome.records[7], "13|response|0|z||end");
    EXPECT_EQ(outcome.rejected, 3U) << "offset " << offset;
  }
  // Tab-separated: a tab after a closing quote is the delimiter, not a blank.
  const read_outcome tsv = expect_same_on_every_path(
      input_format::tsv, "score\tsegment\tcomment\n7\t\"a\"\t\"b\"\n8\t\"c\" \t d\n");
  ASSERT_EQ(tsv.records.size(), 2U);
  EXPECT_EQ(tsv.records[0], "2|response|7|a||b");
  EXPECT_EQ(tsv.records[1], "3|response|8|c||d");
}

TEST(ScanPaths, RowsWithoutQuotesCutAcrossWindows) {
  // Rows without a quote are cut at the delimiters of a whole 64-byte window
  // at once: rows shorter and longer than a window, blank rows and blank
  // fields, a lone CR, a row with too many fields, a quote after the line
  // break in the same window, and a last row without a line break, at every
  // offset from a window boundary.
  const std::string long_value(150, 'x');
  const std::string rows = "9,web,short\n8,app," + long_value +
                           "\n , , \n7,,\r6,a,b,c\n5,\tb\t, c \n4,\"q\",z\n3,,\n2,z,last";
  for (std::size_t offset = 0; offset < 70; ++offset) {
    const read_outcome outcome =
        expect_same_on_every_path(input_format::csv, header_padded_to(offset) + rows);
    ASSERT_EQ(outcome.records.size(), 7U) << "offset " << offset;
    EXPECT_EQ(outcome.records[0], "2|response|9|web||short");
    EXPECT_EQ(outcome.records[1], "3|response|8|app||" + long_value);
    EXPECT_EQ(outcome.records[2], "5|response|7|||");
    EXPECT_EQ(outcome.records[3], "7|response|5|b||c");
    EXPECT_EQ(outcome.records[4], "8|response|4|q||z");
    EXPECT_EQ(outcome.records[5], "9|response|3|||");
    EXPECT_EQ(outcome.records[6], "10|response|2|z||last");
    EXPECT_EQ(outcome.rejected, 1U) << "the row of four fields on line 6";
  }
}

TEST(ScanPaths, JsonStringsWithEscapesAcrossBoundaries) {
  for (std::size_t offset = 0; offset < 40; ++offset) {
    const std::string padding(offset, ' ');
    const std::string text = "[" + padding +
                             "{\"score\": 9, \"comment\": \"say \\\"hi\\\" \\\\ and \\u00e9 "
                             "\xE2\x80\x94 ok\"},\n"
                             "{\"score\": 4, \"segment\": \"a,b]}\"},\r\n"
                             "{\"score\": 7, \"comment\": \"broken\n"
                             "{\"score\": 2}\n]";
    const read_outcome outcome = expect_same_on_every_path(input_format::json, text);
    ASSERT_EQ(outcome.records.size(), 3U) << "offset " << offset;
    EXPECT_EQ(outcome.records[0], "1|response|9|||say \"hi\" \\ and \xC3\xA9 \xE2\x80\x94 ok");
    EXPECT_EQ(outcome.records[1], "2|response|4|a,b]}||");
    EXPECT_EQ(outcome.rejected, 1U);
  }
}

TEST(ScanPaths, JsonLinesWithCrlfAndBlankLines) {
  for (std::size_t offset = 0; offset < 40; ++offset) {
    const std::string text = std::string(offset, ' ') + "{\"score\": 10}\r\n\r\n" +
                             "{\"score\": 3, \"comment\": \"line\\nbreak\"}\r" +
                             "{\"score\": 11}\n{\"score\": 0}";
    const read_outcome outcome = expect_same_on_every_path(input_format::jsonl, text);
    ASSERT_EQ(outcome.records.size(), 3U) << "offset " << offset;
    EXPECT_EQ(outcome.records[1], "3|response|3|||line\nbreak");
    EXPECT_EQ(outcome.records[2], "5|response|0|||");
    EXPECT_EQ(outcome.rejected, 1U);
  }
}

}  // namespace
}  // namespace npskit
