// Aggregation of records into an overall tally, optional groups (segment or
// period), dismissal counts and comment themes. Aggregates merge exactly.
#ifndef NPSKIT_AGGREGATE_H
#define NPSKIT_AGGREGATE_H

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "npskit/reader.h"
#include "npskit/result.h"
#include "npskit/tally.h"
#include "npskit/themes.h"

namespace npskit {

enum class group_by { none, segment, day, week, month };

const char* to_string(group_by value);  // "none", "segment", "day", ...
result<group_by> parse_group_by(std::string_view name);

class aggregate {
 public:
  // Comment themes cost most of the time spent per record; an aggregate
  // whose summary lists none can leave them out.
  explicit aggregate(group_by by = group_by::none, bool collect_themes = true)
      : by_(by), collect_themes_(collect_themes) {}

  // Adds a record; error (nothing added) when grouping by period and the
  // timestamp is missing or not ISO-8601. A record without a segment goes to
  // the group "(none)".
  status add(const record_view& value);
  // Error when the two aggregates group differently.
  status merge(const aggregate& other);

  group_by by() const { return by_; }
  const tally& overall() const { return overall_; }
  // Groups ordered by key (periods therefore chronologically).
  const std::map<std::string, tally>& groups() const { return groups_; }
  std::uint64_t dismissals() const { return dismissals_; }
  const theme_collector& themes() const { return themes_; }

 private:
  group_by by_;
  bool collect_themes_;
  tally overall_;
  std::map<std::string, tally> groups_;
  std::uint64_t dismissals_ = 0;
  theme_collector themes_;
};

}  // namespace npskit

#endif  // NPSKIT_AGGREGATE_H
