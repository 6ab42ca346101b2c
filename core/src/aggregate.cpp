#include "npskit/aggregate.h"

#include <string>

#include "npskit/period.h"

namespace npskit {
namespace {

// Answers without a segment still belong to the overall score; they form a
// group of their own instead of disappearing from the segment table.
constexpr const char* no_segment = "(none)";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

char lower_ascii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower_ascii(a[i]) != lower_ascii(b[i])) return false;
  }
  return true;
}

period period_of(group_by by) {
  switch (by) {
    case group_by::week:
      return period::week;
    case group_by::month:
      return period::month;
    default:
      return period::day;
  }
}

}  // namespace

result<std::string> group_key(const record_view& value, group_by by) {
  if (by == group_by::none) return std::string();
  if (by == group_by::segment) {
    const std::string_view segment = trim(value.segment);
    return segment.empty() ? std::string(no_segment) : std::string(segment);
  }
  if (trim(value.timestamp).empty()) {
    return make_error(error_code::invalid_record,
                      std::string("timestamp is missing; grouping by ") + to_string(by) +
                          " needs an ISO-8601 date (YYYY-MM-DD) in every response");
  }
  return period_key(value.timestamp, period_of(by));
}

const char* to_string(group_by value) {
  switch (value) {
    case group_by::none:
      return "none";
    case group_by::segment:
      return "segment";
    case group_by::day:
      return "day";
    case group_by::week:
      return "week";
    case group_by::month:
      return "month";
  }
  // Reachable only through a value cast from an integer outside the enum.
  return "unknown";
}

result<group_by> parse_group_by(std::string_view name) {
  const std::string_view trimmed = trim(name);
  for (const group_by candidate :
       {group_by::none, group_by::segment, group_by::day, group_by::week, group_by::month}) {
    if (equals_ignoring_case(trimmed, to_string(candidate))) return candidate;
  }
  return make_error(error_code::invalid_argument,
                    "grouping \"" + std::string(name) +
                        "\" is unknown (expected none, segment, day, week or month)");
}

// Dismissals only count towards the response rate: they carry no score and
// need no date, so a period grouping does not reject them.
status aggregate::add(const record_view& value) {
  if (value.type == record_type::dismissal) {
    ++dismissals_;
    return ok{};
  }
  std::string key;
  if (by_ != group_by::none) {
    result<std::string> found = group_key(value, by_);
    if (!found) return found.error();
    key = std::move(found.value());
  }
  // The overall tally validates score and weight; only then is the answer
  // added anywhere else, so a refused record leaves no trace.
  status added = overall_.add(value.score, value.weight);
  if (!added) return added;
  if (by_ != group_by::none) groups_[key].add(value.score, value.weight);
  add_comment(value.score, value.comment);
  return ok{};
}

// Merging an aggregate into itself doubles it: every step below reads a
// value before writing it and adds no new keys while iterating.
status aggregate::merge(const aggregate& other) {
  if (other.by_ != by_) {
    return make_error(error_code::invalid_argument,
                      std::string("cannot merge answers grouped by ") + to_string(other.by_) +
                          " into answers grouped by " + to_string(by_) +
                          " (expected the same grouping)");
  }
  overall_.merge(other.overall_);
  for (const auto& [key, group] : other.groups_) groups_[key].merge(group);
  dismissals_ += other.dismissals_;
  themes_.merge(other.themes_);
  return ok{};
}

status aggregate::add_counted(std::string_view key, const tally& answers) {
  if (by_ != group_by::none && key.empty()) {
    return make_error(error_code::invalid_argument, std::string("counted answers grouped by ") +
                                                        to_string(by_) +
                                                        " need a group key (got an empty one)");
  }
  overall_.merge(answers);
  if (by_ != group_by::none) groups_[std::string(key)].merge(answers);
  return ok{};
}

void aggregate::add_dismissals(std::uint64_t count) { dismissals_ += count; }

void aggregate::add_comment(int score, std::string_view comment) {
  const result<category> group = classify(score);
  if (collect_themes_ && group && !comment.empty()) themes_.add(group.value(), comment);
}

}  // namespace npskit
