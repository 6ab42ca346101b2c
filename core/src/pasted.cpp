#include "npskit/pasted.h"

#include <array>
#include <string>

#include "reader_internal.h"
#include "utf8.h"

namespace npskit {
namespace {

bool is_separator(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == ',' || c == ';';
}

}  // namespace

// A comma separates entries here, so a decimal comma ("9,0") reads as two
// entries, 9 and 0; pasted decimals need a point.
result<pasted_scores> read_pasted_scores(std::string_view text, std::size_t max_reported) {
  pasted_scores out;
  std::array<std::uint64_t, 11> histogram{};
  std::uint64_t line = 1;
  std::size_t at = 0;
  while (at < text.size()) {
    const char c = text[at];
    if (c == '\n') {
      ++line;
      ++at;
      continue;
    }
    if (is_separator(c)) {
      ++at;
      continue;
    }
    std::size_t end = at;
    while (end < text.size() && text[end] != '\n' && !is_separator(text[end])) ++end;
    const std::string_view entry = text.substr(at, end - at);
    at = end;
    int score = -1;
    const reader_detail::value_problem problem =
        reader_detail::parse_score_text(entry, false, score);
    if (problem == reader_detail::value_problem::none) {
      histogram[static_cast<std::size_t>(score)] += 1;
      continue;
    }
    ++out.rejected;
    if (out.rejections.size() < max_reported) {
      out.rejections.push_back({line,
                                "line " + std::to_string(line) + ": " +
                                    reader_detail::describe_problem(
                                        "score", problem, reader_detail::quoted_value(entry)),
                                utf8::sanitized(entry, max_rejected_text_bytes)});
    }
  }
  result<tally> answers = tally_from_histogram(histogram);
  if (!answers) return answers.error();
  out.answers = *answers;
  return out;
}

}  // namespace npskit
