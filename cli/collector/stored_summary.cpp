#include "collector/stored_summary.h"

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "input.h"
#include "npskit/period.h"
#include "npskit/reader.h"
#include "npskit/text.h"

namespace npskit::cli {
namespace {

error storage_error(const error& cause, bool& storage_failure) {
  storage_failure = true;
  return cause;
}

// As `npskit summarize --by channel` reads an export: a blank channel is the
// group "web" (answers from before channels were recorded).
record_view with_blank_segment(const record_view& record, const std::string& blank) {
  if (blank.empty() || !npskit::text::trim(record.segment).empty()) return record;
  record_view named = record;
  named.segment = blank;
  return named;
}

// The reference path for answers the counts set aside: every payload of the
// selection through the JSONL reader, as `npskit summarize` reads an export.
result<summary> summarize_by_reading(answer_storage& storage, const summary_request& request,
                                     bool& storage_failure) {
  auto cursor = storage.open_rows(request.filter);
  if (!cursor) {
    storage_failure = true;
    // The message may reach a client: it names the cause, not the database.
    const std::string prefix = "--db \"" + storage.description() + "\": ";
    std::string message = cursor.error().message;
    if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
    return make_error(cursor.error().code, "database: " + message);
  }
  aggregate totals(request.by, request.options.themes_per_category > 0);
  reader_options reading;
  reading.format = input_format::jsonl;
  if (request.origin) reading.segment_column = to_string(*request.origin);
  const std::string blank = request.origin ? blank_group(*request.origin) : "";
  auto reader = reader::create(reading, [&totals, &blank](const record_view& record) {
    return totals.add(with_blank_segment(record, blank));
  });
  if (!reader) {
    storage_failure = true;
    return reader.error();
  }
  std::string line;
  while (auto row = (*cursor)->next()) {
    line = std::move(row->payload);
    line.push_back('\n');
    const status pushed = reader->push(line);
    if (!pushed) {
      storage_failure = true;
      return pushed.error();
    }
  }
  if (!(*cursor)->error().empty()) {
    storage_failure = true;
    return make_error(error_code::invalid_argument, "database: " + (*cursor)->error());
  }
  const status finished = reader->finish();
  // No answer of the selection has the field: all are in its blank group.
  if (!finished && !(request.origin && is_missing_segment_key(finished.error()))) {
    storage_failure = true;
    return finished.error();
  }
  return summarize(totals, request.options, reader->rejected(), reader->rejections());
}

count_grouping grouping_of(const summary_request& request) {
  if (request.origin) {
    return *request.origin == origin_dimension::channel ? count_grouping::channel
                                                        : count_grouping::campaign;
  }
  return request.by == group_by::segment ? count_grouping::segment : count_grouping::date;
}

period period_of(group_by by) {
  return by == group_by::week ? period::week : by == group_by::month ? period::month : period::day;
}

}  // namespace

std::shared_ptr<theme_cache::entry> theme_cache::find(const summary_request& request) {
  std::string key = request.filter.survey;
  for (const std::string* part : {&request.filter.from, &request.filter.to}) {
    key.push_back('\0');
    key += *part;
  }
  key.push_back('\0');
  key += to_string(request.by);
  if (request.origin) key += to_string(*request.origin);
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if ((*it)->key == key) {
      entries_.splice(entries_.begin(), entries_, it);
      return entries_.front();
    }
  }
  entries_.push_front(std::make_shared<entry>(std::move(key), request.by));
  if (entries_.size() > max_entries_) entries_.pop_back();
  return entries_.front();
}

void theme_cache::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.clear();
}

result<summary> summarize_stored(answer_storage& storage, const summary_request& request,
                                 bool& storage_failure, theme_cache* cache) {
  storage_failure = false;
  const row_filter& filter = request.filter;
  auto counts = storage.read_counts(filter, grouping_of(request));
  if (!counts) return storage_error(counts.error(), storage_failure);
  bool set_aside = counts->set_aside;
  const std::int64_t last_sequence = counts->last_sequence;
  std::map<std::string, std::array<std::uint64_t, 11>> histograms;
  std::map<std::string, std::string> period_keys;  // date -> week or month
  for (const stored_counts::row& row : counts->rows) {
    if (set_aside) break;
    std::string key;
    if (request.by == group_by::segment || request.by == group_by::day) {
      key = row.group;
    } else if (request.by != group_by::none) {
      auto [found, created] = period_keys.try_emplace(row.group);
      if (created) {
        auto period = period_key(row.group, period_of(request.by));
        if (!period) {
          set_aside = true;  // not a date the counts can group; read the answers
          break;
        }
        found->second = std::move(*period);
      }
      key = found->second;
    }
    histograms[key][static_cast<std::size_t>(row.score)] += row.count;
  }
  std::map<std::string, rating_pair> ratings;
  for (const stored_counts::rating_row& row : counts->ratings) {
    if (set_aside) break;
    std::string key;
    if (request.by == group_by::segment || request.by == group_by::day) {
      key = row.group;
    } else if (request.by != group_by::none) {
      auto period = period_key(row.group, period_of(request.by));
      if (!period) {
        set_aside = true;  // not a date the counts can group; read the answers
        break;
      }
      key = std::move(*period);
    }
    rating_pair& pair = ratings[key];
    const status added =
        (row.metric == rating_metric::csat ? pair.csat : pair.ces).add_many(row.rating, row.count);
    if (!added) {
      set_aside = true;  // a count the summary cannot take; the payloads say why
      break;
    }
  }
  if (set_aside) return summarize_by_reading(storage, request, storage_failure);

  const bool themes = request.options.themes_per_category > 0;
  aggregate totals(request.by, themes);
  for (const auto& [key, histogram] : histograms) {
    auto answers = tally_from_histogram(histogram);
    if (!answers) return answers.error();
    const status added = totals.add_counted(key, *answers);
    if (!added) return added.error();
  }
  for (const auto& [key, pair] : ratings) {
    const status added = totals.add_counted_ratings(key, pair);
    if (!added) return added.error();
  }
  totals.add_dismissals(counts->dismissals);

  if (themes) {
    // Comments of answers stored after the counts were read are left out;
    // answers never change, so the comments add up to that same snapshot.
    const auto read_comments = [&](aggregate& into, std::int64_t after) -> status {
      const status read = storage.read_comments(
          filter, after, last_sequence, [&into](std::int64_t, int score, std::string_view comment) {
            into.add_comment(score, comment);
          });
      if (!read) return storage_error(read.error(), storage_failure);
      return ok{};
    };
    const std::shared_ptr<theme_cache::entry> cached =
        cache != nullptr ? cache->find(request) : nullptr;
    std::unique_lock<std::mutex> holding;
    if (cached) holding = std::unique_lock<std::mutex>(cached->mutex);
    // A cached entry already past this snapshot (a later request got there
    // first) would add comments the counts do not have.
    if (cached && cached->last_sequence <= last_sequence) {
      const status read = read_comments(cached->themes, cached->last_sequence);
      if (!read) {
        // Part of the new comments may be in: start the entry over.
        cached->themes = aggregate(request.by, true);
        cached->last_sequence = 0;
        return read.error();
      }
      cached->last_sequence = last_sequence;
      const status merged = totals.merge(cached->themes);
      if (!merged) return merged.error();
    } else {
      const status read = read_comments(totals, 0);
      if (!read) return read.error();
    }
  }
  return summarize(totals, request.options);
}

}  // namespace npskit::cli
