// /api/summary from the counts the store keeps per survey, date, segment and
// score (and of CSAT and CES ratings, rating_counts.h), and the stored
// comments when themes are asked for: the cost grows with the number of
// dates and segments, not with the number of answers.
#ifndef NPSKIT_CLI_COLLECTOR_STORED_SUMMARY_H
#define NPSKIT_CLI_COLLECTOR_STORED_SUMMARY_H

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "collector/answer_origin.h"
#include "collector/storage.h"
#include "npskit/aggregate.h"
#include "npskit/result.h"
#include "npskit/summary.h"

namespace npskit::cli {

struct summary_request {
  row_filter filter;
  group_by by = group_by::none;
  // by=channel or by=campaign: groups by that field of the answers (by is
  // then group_by::segment, as `npskit summarize --by channel|campaign`
  // groups an export by it as a segment column).
  std::optional<origin_dimension> origin;
  summary_options options;  // themes_per_category 0: the comments are not read
};

// Comment themes of recent selections (survey, from, to, grouping), kept so
// that asking again for the same selection, as a dashboard does, reads only
// the comments stored since: answers never change once stored. At most
// max_entries selections, the least recently asked for evicted; each holds
// the term counts and examples of its comments. Safe to share between
// threads.
class theme_cache {
 public:
  explicit theme_cache(std::size_t max_entries = 8) : max_entries_(max_entries) {}
  theme_cache(const theme_cache&) = delete;
  theme_cache& operator=(const theme_cache&) = delete;

  struct entry {
    explicit entry(std::string selection, group_by by)
        : key(std::move(selection)), themes(by, true) {}
    const std::string key;
    std::mutex mutex;                // held while reading new comments into themes
    std::int64_t last_sequence = 0;  // comments up to this answer are in
    aggregate themes;                // holds only comments
  };
  // The entry of this selection, created empty when missing.
  std::shared_ptr<entry> find(const summary_request& request);
  // Forgets every entry: after an erasure the comments read so far may hold
  // some that are gone. A summary running meanwhile finishes with its entry.
  void clear();

 private:
  std::size_t max_entries_;
  std::mutex mutex_;
  std::list<std::shared_ptr<entry>> entries_;  // most recently asked for first
};

// The summary `npskit summarize --json` computes from an export of the same
// answers (same filter, grouping and options), to the last digit. Answers
// whose counts would not match what a reader sees in the export are counted
// apart; a filter that takes any of them falls back to reading every payload.
// Errors: storage_failure is set when the database could not be read (the
// message names the cause, never the file's path); otherwise the options were
// invalid.
// With a cache, the themes of a selection asked for before cost only the
// comments stored since.
result<summary> summarize_stored(answer_storage& storage, const summary_request& request,
                                 bool& storage_failure, theme_cache* cache = nullptr);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_STORED_SUMMARY_H
