#include "collector/inbox.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "collector/counted_view.h"
#include "npskit/response.h"
#include "npskit/tally.h"

namespace npskit::cli {

namespace {

constexpr std::size_t max_scanned_per_page = 5000;
constexpr int scan_slice = 250;

// The lowest and highest score of a category, as the core classifies scores.
std::optional<std::pair<int, int>> scores_of(std::string_view name) {
  std::optional<std::pair<int, int>> range;
  for (int score = 0; score <= 10; ++score) {
    if (to_string(classify(score).value()) != name) continue;
    if (!range) range.emplace(score, score);
    range->second = score;
  }
  return range;
}

inbox_entry entry_of(inbox_row&& row, std::string segment) {
  inbox_entry entry;
  auto parsed = parse_response(row.payload);
  entry.sequence = row.sequence;
  entry.id = std::move(row.id);
  entry.survey = std::move(row.survey);
  entry.score = row.score;
  entry.category = to_string(classify(row.score).value());
  entry.submitted_at = std::move(row.submitted_at);
  entry.received_at = std::move(row.received_at);
  entry.status = std::move(row.status);
  entry.note = std::move(row.note);
  entry.segment = std::move(segment);
  if (parsed) {
    entry.comment = std::move(parsed->comment);
    entry.locale = std::move(parsed->locale);
    entry.page = std::move(parsed->page);
    entry.user = std::move(parsed->user);
    entry.channel = std::move(parsed->channel);
    entry.campaign = std::move(parsed->campaign);
    entry.contact = std::move(parsed->contact);
  }
  return entry;
}

}  // namespace

result<std::string> parse_follow_up_status(std::string_view text) {
  for (const char* known : {"new", "to follow up", "done"}) {
    if (text == known) return std::string(known);
  }
  return make_error(error_code::invalid_argument,
                    "status: \"" + std::string(text) +
                        "\" is not a follow-up status (expected \"new\", \"to follow up\" or "
                        "\"done\")");
}

result<inbox_page> collect_inbox_page(const inbox_filter& filter,
                                      const inbox_slice_reader& read_slice) {
  inbox_slice slice;
  slice.limit = scan_slice;
  if (filter.score >= 0) slice.low_score = slice.high_score = filter.score;
  if (!filter.category.empty()) {
    const auto range = scores_of(filter.category);
    if (!range) {
      return make_error(error_code::invalid_argument,
                        "category: \"" + filter.category +
                            "\" is not a category (expected promoter, passive or detractor)");
    }
    slice.low_score = std::max(slice.low_score, range->first);
    slice.high_score = std::min(slice.high_score, range->second);
  }
  inbox_page page;
  if (slice.low_score > slice.high_score || filter.limit == 0) return page;
  slice.before = filter.before > 0 ? filter.before : INT64_MAX;
  std::size_t scanned = 0;
  bool more = true;
  while (more && page.entries.size() < filter.limit && scanned < max_scanned_per_page) {
    auto rows = read_slice(filter, slice);
    if (!rows) return rows.error();
    more = static_cast<int>(rows->size()) == slice.limit;
    for (inbox_row& row : *rows) {
      if (page.entries.size() >= filter.limit) {
        more = true;  // the rest of this slice comes on the next page
        break;
      }
      ++scanned;
      slice.before = row.sequence;
      const counted_view view =
          view_of_payload(row.payload, std::string_view(row.submitted_at).substr(0, 10));
      std::string segment = view.counted ? view.segment : std::string();
      if (segment.empty()) segment = "(none)";
      if (!filter.segment.empty() && segment != filter.segment) continue;
      page.entries.push_back(entry_of(std::move(row), std::move(segment)));
    }
  }
  page.next_before = more ? slice.before : 0;
  return page;
}

}  // namespace npskit::cli
