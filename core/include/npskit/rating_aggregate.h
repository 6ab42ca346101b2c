// CSAT and CES answers gathered beside the NPS aggregate: overall, per group
// (segment or period), with companion answers joined to the NPS answer they
// complete, and their summaries with group tests.
#ifndef NPSKIT_RATING_AGGREGATE_H
#define NPSKIT_RATING_AGGREGATE_H

#include <cstdint>
#include <functional>
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
// matched by a 64-bit hash of their id; when two answers share an id, the
// one read last is the match. While grouping, each answer with an id costs
// 12 bytes (its hash and the index of its group) and the join is made once,
// when the groups are asked for; ungrouped, nothing is kept.
class rating_aggregate {
 public:
  // Checks the record's ratings: error invalid_score for one off its scale.
  static status check(const record_view& value);
  // A group key's number for add(); the same key always gets the same
  // number. no_group for an answer whose date could not be read.
  using group_number = std::uint32_t;
  static constexpr group_number no_group = UINT32_MAX;
  group_number number_of(std::optional<std::string_view> key);
  // Adds the record's ratings (if any) overall and, when grouping, to the
  // group numbered by number_of, and remembers a grouped record's id so that
  // companions can be joined to it.
  void add(const record_view& value, bool grouping, group_number group);
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
  // A group number is its key's index in keys_.
  using key_index = group_number;

  struct companion {
    std::uint64_t answer = 0;  // hash of the answer's id
    key_index own_key = no_group;
    int csat = 0;
    int ces = 0;
  };

  // Each companion's group after the join, in pending_ order.
  std::vector<key_index> companion_groups() const;

  rating_pair overall_;
  // Group keys, each stored once, in order of first use.
  std::vector<std::string> keys_;
  std::map<std::string, key_index, std::less<>> key_indexes_;
  key_index last_key_ = no_group;
  // Ratings of answers that are not companions, by key index.
  std::vector<rating_pair> direct_;
  std::vector<companion> pending_;
  // Grouped answers with an id, in reading order: the id's hash and the
  // answer's group.
  std::vector<std::uint64_t> answer_hashes_;
  std::vector<key_index> answer_groups_;
  std::uint64_t companions_ = 0;
};

}  // namespace npskit

#endif  // NPSKIT_RATING_AGGREGATE_H
