// Aggregation of records into an overall tally, optional groups (segment or
// period), dismissal counts and comment themes. Aggregates merge exactly.
#ifndef NPSKIT_AGGREGATE_H
#define NPSKIT_AGGREGATE_H

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "npskit/period.h"
#include "npskit/rating_aggregate.h"
#include "npskit/reader.h"
#include "npskit/result.h"
#include "npskit/tally.h"
#include "npskit/themes.h"

namespace npskit {

namespace period_detail {
struct numbered_date;
}

enum class group_by { none, segment, day, week, month };

const char* to_string(group_by value);  // "none", "segment", "day", ...
result<group_by> parse_group_by(std::string_view name);

// Answers grouped by period whose date could not be used: they count in the
// overall score and in no period.
struct undated_answers {
  struct reason {
    date_problem problem = date_problem::missing;
    std::uint64_t count = 0;
    std::string example;  // the first such date as written, shortened; "" when missing
    std::string message;  // why that first one could not be read
  };
  std::uint64_t count = 0;
  // One entry per problem met, in the order missing, needs_date_order, invalid.
  std::vector<reason> reasons;

  void add(date_problem problem, std::string_view example, std::string message);
  void merge(const undated_answers& other);
};

// The group a record falls in: its trimmed segment ("(none)" when blank) or
// its day, ISO week or month, read as aggregate::add reads it (in UTC, or at
// dates' fixed offset). Error when grouping by period and the date is missing
// or cannot be read; empty for group_by::none.
result<std::string> group_key(const record_view& value, group_by by,
                              const date_options& dates = {});

// A group of answers by several segment columns: the answers with one value
// of one column, or with one pair of values of two columns crossed.
struct segment_cell {
  std::vector<std::size_t> columns;  // indexes into the segment columns; one, or two ascending
  std::vector<std::string> values;   // trimmed, "(none)" when blank; one per column
};
// Cells of one column first, in column order, then pairs; values in order.
bool operator<(const segment_cell& left, const segment_cell& right);

class aggregate {
 public:
  // Comment themes cost most of the time spent per record; an aggregate
  // whose summary lists none can leave them out. dates says how period keys
  // are read (zone, date order).
  explicit aggregate(group_by by = group_by::none, bool collect_themes = true,
                     date_options dates = {})
      : by_(by), collect_themes_(collect_themes), dates_(dates) {}

  // Adds a record; error (nothing added) only for an invalid score, rating or
  // weight. A record with a CSAT or CES rating and no score counts in
  // ratings() only.
  // When grouping by period, an answer whose date is missing or cannot be
  // read counts in the overall score and in undated(), in no period. A
  // record without a segment goes to the group "(none)".
  status add(const record_view& value);
  // Error when the two aggregates group differently.
  status merge(const aggregate& other);

  // Adds answers counted elsewhere (a stored histogram) to the overall tally
  // and, when grouping, to the group `key` (ignored without grouping). Error
  // (nothing added) when grouping and the key is empty. With add_dismissals
  // and add_comment, this rebuilds the aggregate add() would have made from
  // the same records.
  status add_counted(std::string_view key, const tally& answers);
  // The same for CSAT and CES ratings counted elsewhere, companions already
  // in the group of the answer they complete.
  status add_counted_ratings(std::string_view key, const rating_pair& ratings);
  // Groups by segments from several columns (named for the summary, in the
  // order of record_view::segments): every answer goes to one cell per
  // column and one per pair of columns. With fewer than two names, segments
  // come from record_view::segment alone. Call before adding anything.
  void set_segment_columns(std::vector<std::string> names);
  const std::vector<std::string>& segment_columns() const { return segment_columns_; }
  // By several segment columns: the cells (groups() is then empty).
  const std::map<segment_cell, tally>& cells() const { return cells_; }
  void add_dismissals(std::uint64_t count);
  // Adds the comment of one answer with this score to the themes, as add()
  // does; nothing when themes are not collected or the score is not 0..10.
  void add_comment(int score, std::string_view comment);

  group_by by() const { return by_; }
  const tally& overall() const { return overall_; }
  // Groups ordered by key (periods therefore chronologically).
  const std::map<std::string, tally>& groups() const { return groups_; }
  std::uint64_t dismissals() const { return dismissals_; }
  const theme_collector& themes() const { return themes_; }
  const undated_answers& undated() const { return undated_; }
  const date_options& dates() const { return dates_; }
  // CSAT and CES answers, grouped like the NPS answers.
  const rating_aggregate& ratings() const { return ratings_; }

 private:
  struct group_slot;
  void add_to_cells(const record_view& value);
  const group_slot& segment_slot(std::string_view segment);
  const group_slot& period_slot(const period_detail::numbered_date& dated);

  group_by by_;
  bool collect_themes_;
  date_options dates_;
  undated_answers undated_;
  tally overall_;
  std::map<std::string, tally> groups_;
  // The groups met so far by segment or by period number, pointing into
  // groups_, so that an answer's group costs one hash lookup instead of a
  // key built and compared in the ordered map. A copy starts empty: the
  // pointers are into the original's map (a move keeps them valid).
  struct group_slot {
    tally* group;
    rating_aggregate::group_number ratings;  // the same group in ratings_
  };
  struct group_index {
    group_index() = default;
    group_index(const group_index&) {}
    group_index(group_index&&) = default;
    group_index& operator=(const group_index&) {
      segments.clear();
      periods.clear();
      recent_segments = {};
      recent_periods = {};
      return *this;
    }
    group_index& operator=(group_index&&) = default;
    ~group_index() = default;
    std::unordered_map<std::string_view, group_slot> segments;
    std::unordered_map<std::int64_t, group_slot> periods;
    // In front of the maps, the group last met at each of 64 places picked
    // by a cheap hash: an export has a few dozen segments or periods, so
    // nearly every answer finds its group here without hashing its key.
    struct recent {
      std::int64_t number = 0;
      std::string_view segment;
      const group_slot* slot = nullptr;  // into the maps' nodes, which stay put
    };
    std::array<recent, 64> recent_segments{};
    std::array<recent, 64> recent_periods{};
  };
  group_index index_;
  std::vector<std::string> segment_columns_;
  std::map<segment_cell, tally> cells_;
  std::uint64_t dismissals_ = 0;
  theme_collector themes_;
  rating_aggregate ratings_;
};

}  // namespace npskit

#endif  // NPSKIT_AGGREGATE_H
