// CSAT and CES ratings kept as counts beside the NPS counts, so that a
// summary of a survey with ratings reads counts, not payloads.
//
// A companion answer (answer_id) counts in the group of the answer it
// completes when that answer is in the same selection, and in its own group
// otherwise, as the readers join them in an export. Its counts therefore
// hold both places: its own (survey, date, segment, channel, campaign) and,
// once the answer it completes is stored, that answer's. A summary picks one
// per count from the selection (rating_group_sql). Each stored answer with a
// rating has a row in rated_answers saying where it is counted, so that an
// erasure or replacement takes back exactly what was added, and a companion
// stored before its answer is moved once that answer arrives.
#ifndef NPSKIT_CLI_COLLECTOR_RATING_COUNTS_H
#define NPSKIT_CLI_COLLECTOR_RATING_COUNTS_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "collector/counted_view.h"
#include "collector/storage.h"
#include "npskit/rating.h"

namespace npskit::cli {

// Where the ratings of one answer are counted, in the column order of the
// rating_counts and rated_answers tables: survey, date, segment, channel,
// campaign of the answer itself, then the same five of the answer it
// completes ("" while it is not joined).
struct rating_place {
  static constexpr std::size_t size = 10;
  std::array<std::string, size> columns;

  bool joined() const { return !columns[5].empty(); }
  bool operator<(const rating_place& other) const { return columns < other.columns; }
};

// The column names, in the order of rating_place::columns.
extern const std::array<const char*, rating_place::size> rating_place_columns;

struct rated_answer {
  std::int64_t sequence = 0;
  std::string completes;  // the answer_id of a companion, "" otherwise
  rating_place place;
  int csat = 0;
  int ces = 0;
};

// The ratings of a stored answer as its own group sees them; nullopt when it
// has none or is not counted.
std::optional<rated_answer> rated_answer_of(std::int64_t sequence, std::string_view survey,
                                            std::string_view date, const counted_view& view);
// Puts the companion in the group of the answer it completes (that answer's
// survey, date and view; view.completable() must hold).
void join_rating(rating_place& place, std::string_view survey, std::string_view date,
                 const counted_view& answer);
// Back to its own group (the answer it completes left).
void unjoin_rating(rating_place& place);

// Rating counts added (positive) or taken back (negative) in one
// transaction, once per key.
class rating_deltas {
 public:
  struct key {
    rating_place place;
    rating_metric metric = rating_metric::csat;
    int rating = 0;
    bool operator<(const key& other) const {
      return std::tie(place, metric, rating) < std::tie(other.place, other.metric, other.rating);
    }
  };
  void add(const rated_answer& answer, std::int64_t sign);
  const std::map<key, std::int64_t>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }
  void clear() { entries_.clear(); }

 private:
  std::map<key, std::int64_t> entries_;
};

// The SQL expression of the group a rating count falls in for a summary,
// with the filter's survey, from and to as placeholders survey_parameter
// etc. ("?1" or "$1::text"): the joined answer's group when that answer is
// in the selection, the count's own otherwise.
std::string rating_group_sql(count_grouping by, const std::array<std::string, 3>& filter);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_RATING_COUNTS_H
