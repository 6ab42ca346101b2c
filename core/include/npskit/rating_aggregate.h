// CSAT and CES answers gathered beside the NPS aggregate: overall, per group
// (segment or period), with companion answers joined to the NPS answer they
// complete, and their summaries with group tests.
#ifndef NPSKIT_RATING_AGGREGATE_H
#define NPSKIT_RATING_AGGREGATE_H

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "npskit/rating.h"
#include "npskit/reader.h"
#include "npskit/result.h"

namespace npskit {

struct rating_pair {
  rating_tally csat{rating_metric::csat};
  rating_tally ces{rating_metric::ces};
  void merge(const rating_pair& other);
};

// A companion answer (one with an answer_id) counts in the group of the
// answer it completes when that answer is in the same input, whichever comes
// first; otherwise in the group of its own segment or date. Answers are
// matched by a 64-bit hash of their id, kept only while grouping (a few dozen
// bytes per answer that has an id); ungrouped, nothing is kept.
class rating_aggregate {
 public:
  // Checks the record's ratings: error invalid_score for one off its scale.
  static status check(const record_view& value);
  // Adds the record's ratings (if any) overall and, when grouping, to the
  // group key (nullopt: its date could not be read), and remembers a grouped
  // record's id so that companions can be joined to it.
  void add(const record_view& value, bool grouping, const std::optional<std::string>& key);
  void merge(const rating_aggregate& other);
  // Adds ratings counted elsewhere (a collector's stored counts, companions
  // already joined) overall and, when key is given, to that group.
  void add_counted(const std::optional<std::string>& key, const rating_pair& counted);

  const rating_pair& overall() const { return overall_; }
  // Per group, companions joined; ordered by key.
  std::map<std::string, rating_pair> groups() const;
  // Companion answers read, and how many of them found their answer (when
  // grouping; ungrouped no join is needed and joined stays 0).
  std::uint64_t companions() const { return companions_; }
  std::uint64_t joined() const;

 private:
  struct companion {
    std::uint64_t answer = 0;            // hash of the answer's id
    std::optional<std::string> own_key;  // the companion's own group
    int csat = 0;
    int ces = 0;
  };

  rating_pair overall_;
  std::map<std::string, rating_pair> direct_;
  std::vector<companion> pending_;
  // Hash of an answer's id -> its group key (nullopt: undated).
  std::map<std::uint64_t, std::optional<std::string>> answer_keys_;
  std::uint64_t companions_ = 0;
};

}  // namespace npskit

#endif  // NPSKIT_RATING_AGGREGATE_H
