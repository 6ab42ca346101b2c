#include "npskit/aggregate.h"

#include <optional>
#include <string>

#include "npskit/period.h"
#include "npskit/text.h"
#include "period_internal.h"
#include "utf8.h"

namespace npskit {
namespace {

// Answers without a segment still belong to the overall score; they form a
// group of their own instead of disappearing from the segment table.
constexpr const char* no_segment = "(none)";

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

// Longest text kept as an example of an unreadable date.
constexpr std::size_t max_example_bytes = 40;

bool is_period(group_by by) {
  return by == group_by::day || by == group_by::week || by == group_by::month;
}

std::string segment_value(std::string_view segment) {
  const std::string_view trimmed = text::trim(segment);
  return trimmed.empty() ? std::string(no_segment) : std::string(trimmed);
}

std::string segment_key(const record_view& value) { return segment_value(value.segment); }

}  // namespace

result<std::string> group_key(const record_view& value, group_by by, const date_options& dates) {
  if (by == group_by::segment) return segment_key(value);
  if (!is_period(by)) return std::string();
  period_detail::keyed_date dated =
      period_detail::period_key_of(value.timestamp, period_of(by), dates);
  if (dated.problem) return make_error(error_code::invalid_record, std::move(dated.message));
  return std::move(dated.key);
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
  const std::string_view trimmed = text::trim(name);
  for (const group_by candidate :
       {group_by::none, group_by::segment, group_by::day, group_by::week, group_by::month}) {
    if (text::equals_ignoring_case(trimmed, to_string(candidate))) return candidate;
  }
  return make_error(error_code::invalid_argument,
                    "grouping \"" + std::string(name) +
                        "\" is unknown (expected none, segment, day, week or month)");
}

bool operator<(const segment_cell& left, const segment_cell& right) {
  if (left.columns.size() != right.columns.size()) {
    return left.columns.size() < right.columns.size();
  }
  if (left.columns != right.columns) return left.columns < right.columns;
  return left.values < right.values;
}

void aggregate::set_segment_columns(std::vector<std::string> names) {
  segment_columns_ = std::move(names);
}

// Dismissals only count towards the response rate: they carry no score and
// need no date, so a period grouping does not reject them.
status aggregate::add(const record_view& value) {
  if (value.type == record_type::dismissal) {
    ++dismissals_;
    return ok{};
  }
  const bool crossing = by_ == group_by::segment && segment_columns_.size() >= 2;
  if (crossing && value.segment_count != segment_columns_.size()) {
    return make_error(error_code::invalid_argument,
                      "record has " + std::to_string(value.segment_count) +
                          " segment values; expected one per segment column (" +
                          std::to_string(segment_columns_.size()) + ")");
  }
  if (value.csat != 0 || value.ces != 0) {
    status ratings_valid = rating_aggregate::check(value);
    if (!ratings_valid) return ratings_valid;
  }
  std::string_view segment;
  std::optional<period_detail::numbered_date> dated;
  if (by_ == group_by::segment) {
    segment = text::trim(value.segment);
    if (segment.empty()) segment = no_segment;
  } else if (is_period(by_)) {
    dated = period_detail::period_number_of(value.timestamp, period_of(by_), dates_);
  }
  const bool undated = dated && dated->problem;
  // The group in the ratings; looked up by key only for a rating-only answer.
  rating_aggregate::group_number rating_group = rating_aggregate::no_group;
  // A CSAT or CES answer without an NPS score counts in the ratings only.
  const bool rating_only = value.score < 0 && (value.csat != 0 || value.ces != 0);
  if (!rating_only) {
    // The overall tally validates score and weight; only then is the answer
    // added anywhere else, so a refused record leaves no trace.
    status added = overall_.add(value.score, value.weight);
    if (!added) return added;
    if (crossing) {
      add_to_cells(value);
    } else if (undated) {
      undated_.add(*dated->problem, value.timestamp, std::move(dated->message));
    } else if (by_ != group_by::none) {
      const group_slot& slot = dated ? period_slot(*dated) : segment_slot(segment);
      slot.group->add(value.score, value.weight);
      rating_group = slot.ratings;
    }
    add_comment(value.score, value.comment);
  } else if (dated && !undated) {
    rating_group = ratings_.number_of(period_detail::key_of(dated->date, period_of(by_)));
  } else if (by_ == group_by::segment && !crossing) {
    rating_group = ratings_.number_of(segment);
  }
  // Crossed segment columns have no single group key, so CSAT and CES stay
  // overall there rather than be filed under the first column's value.
  ratings_.add(value, by_ != group_by::none && !crossing, rating_group);
  return ok{};
}

const aggregate::group_slot& aggregate::segment_slot(std::string_view segment) {
  const std::size_t place =
      (segment.size() * 31 + std::size_t{static_cast<unsigned char>(segment.front())} * 7 +
       std::size_t{static_cast<unsigned char>(segment.back())}) %
      index_.recent_segments.size();
  group_index::recent& recent = index_.recent_segments[place];
  if (recent.slot != nullptr && recent.segment == segment) return *recent.slot;
  auto found = index_.segments.find(segment);
  if (found == index_.segments.end()) {
    auto group = groups_.try_emplace(std::string(segment)).first;
    found = index_.segments
                .emplace(group->first, group_slot{&group->second, ratings_.number_of(group->first)})
                .first;
  }
  recent = {0, found->first, &found->second};
  return found->second;
}

const aggregate::group_slot& aggregate::period_slot(const period_detail::numbered_date& dated) {
  const std::size_t place = static_cast<std::size_t>(
      (static_cast<std::uint64_t>(dated.number) * 0x9E3779B97F4A7C15ULL) >> 58);
  group_index::recent& recent = index_.recent_periods[place];
  if (recent.slot != nullptr && recent.number == dated.number) return *recent.slot;
  auto found = index_.periods.find(dated.number);
  if (found == index_.periods.end()) {
    auto group = groups_.try_emplace(period_detail::key_of(dated.date, period_of(by_))).first;
    found = index_.periods
                .emplace(dated.number, group_slot{&group->second, ratings_.number_of(group->first)})
                .first;
  }
  recent = {dated.number, {}, &found->second};
  return found->second;
}

void aggregate::add_to_cells(const record_view& value) {
  const std::size_t columns = segment_columns_.size();
  std::vector<std::string> values;
  values.reserve(columns);
  for (std::size_t i = 0; i < columns; ++i) values.push_back(segment_value(value.segments[i]));
  for (std::size_t i = 0; i < columns; ++i) {
    cells_[segment_cell{{i}, {values[i]}}].add(value.score, value.weight);
    for (std::size_t j = i + 1; j < columns; ++j) {
      cells_[segment_cell{{i, j}, {values[i], values[j]}}].add(value.score, value.weight);
    }
  }
}

void undated_answers::add(date_problem problem, std::string_view example, std::string message) {
  ++count;
  auto place = reasons.begin();
  while (place != reasons.end() && place->problem < problem) ++place;
  if (place == reasons.end() || place->problem != problem) {
    reason added;
    added.problem = problem;
    added.example =
        utf8::sanitized(utf8::cut(text::trim(example), max_example_bytes), max_example_bytes * 3);
    added.message = std::move(message);
    place = reasons.insert(place, std::move(added));
  }
  ++place->count;
}

void undated_answers::merge(const undated_answers& other) {
  // Copied first: merging into itself must read the counts before adding.
  const std::vector<reason> incoming = other.reasons;
  for (const reason& item : incoming) {
    auto place = reasons.begin();
    while (place != reasons.end() && place->problem < item.problem) ++place;
    if (place == reasons.end() || place->problem != item.problem) {
      place = reasons.insert(place, item);
    } else {
      place->count += item.count;
    }
  }
  count += other.count;
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
  if (other.segment_columns_ != segment_columns_) {
    return make_error(error_code::invalid_argument,
                      "cannot merge answers grouped by other segment columns (expected the same "
                      "columns in the same order)");
  }
  overall_.merge(other.overall_);
  for (const auto& [key, group] : other.groups_) groups_[key].merge(group);
  for (const auto& [cell, group] : other.cells_) cells_[cell].merge(group);
  dismissals_ += other.dismissals_;
  undated_.merge(other.undated_);
  themes_.merge(other.themes_);
  ratings_.merge(other.ratings_);
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

status aggregate::add_counted_ratings(std::string_view key, const rating_pair& ratings) {
  if (by_ != group_by::none && key.empty()) {
    return make_error(error_code::invalid_argument, std::string("counted ratings grouped by ") +
                                                        to_string(by_) +
                                                        " need a group key (got an empty one)");
  }
  ratings_.add_counted(
      by_ != group_by::none ? std::optional<std::string>(std::string(key)) : std::nullopt, ratings);
  return ok{};
}

void aggregate::add_dismissals(std::uint64_t count) { dismissals_ += count; }

void aggregate::add_comment(int score, std::string_view comment) {
  if (!collect_themes_ || comment.empty()) return;
  const result<category> group = classify(score);
  if (group) themes_.add(group.value(), comment);
}

}  // namespace npskit
