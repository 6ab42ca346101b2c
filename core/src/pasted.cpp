#include "npskit/pasted.h"

#include <array>
#include <optional>
#include <string>

#include "reader_internal.h"
#include "utf8.h"

namespace npskit {
namespace {

bool is_separator(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == ',' || c == ';';
}

// Calls take(line, entry) for every entry of the text.
template <typename Take>
void for_each_entry(std::string_view text, Take&& take) {
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
    take(line, text.substr(at, end - at));
    at = end;
  }
}

void keep_rejection(std::vector<rejection>& kept, std::size_t max_reported, std::uint64_t line,
                    const std::string& reason, std::string_view entry) {
  if (kept.size() < max_reported)
    kept.push_back({line, "line " + std::to_string(line) + ": " + reason,
                    utf8::sanitized(entry, max_rejected_text_bytes)});
}

}  // namespace

// A comma separates entries here, so a decimal comma ("9,0") reads as two
// entries, 9 and 0; pasted decimals need a point.
result<pasted_scores> read_pasted_scores(std::string_view text, std::size_t max_reported) {
  pasted_scores out;
  std::array<std::uint64_t, 11> histogram{};
  for_each_entry(text, [&](std::uint64_t line, std::string_view entry) {
    int score = -1;
    const reader_detail::value_problem problem =
        reader_detail::parse_score_text(entry, false, score);
    if (problem == reader_detail::value_problem::none) {
      histogram[static_cast<std::size_t>(score)] += 1;
      return;
    }
    ++out.rejected;
    keep_rejection(
        out.rejections, max_reported, line,
        reader_detail::describe_problem("score", problem, reader_detail::quoted_value(entry)),
        entry);
  });
  result<tally> answers = tally_from_histogram(histogram);
  if (!answers) return answers.error();
  out.answers = *answers;
  return out;
}

result<pasted_ratings> read_pasted_ratings(std::string_view text, rating_metric metric,
                                           std::size_t max_reported) {
  pasted_ratings out{rating_tally(metric), 0, {}};
  std::optional<error> failure;
  for_each_entry(text, [&](std::uint64_t line, std::string_view entry) {
    int rating = 0;
    const reader_detail::value_problem problem =
        reader_detail::parse_rating_text(entry, false, metric, rating);
    if (problem == reader_detail::value_problem::none) {
      const status added = out.answers.add(rating);
      if (!added && !failure) failure = added.error();
      return;
    }
    ++out.rejected;
    keep_rejection(
        out.rejections, max_reported, line,
        reader_detail::describe_rating_problem(metric, problem, reader_detail::quoted_value(entry)),
        entry);
  });
  if (failure) return *failure;
  return out;
}

}  // namespace npskit
