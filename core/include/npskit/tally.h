// Classification of 0..10 answers and the tally (11-bin histogram plus
// weight sums) that every statistic is computed from. Tallies merge exactly,
// so shards, files and chunks combine into the same result.
#ifndef NPSKIT_TALLY_H
#define NPSKIT_TALLY_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "npskit/result.h"

namespace npskit {

enum class category { detractor, passive, promoter };

// "detractor", "passive" or "promoter".
const char* to_string(category value);

// 0..6 detractor, 7..8 passive, 9..10 promoter; error for anything else.
result<category> classify(int score);

// Category counts; n() = promoters + passives + detractors.
struct counts {
  std::uint64_t promoters = 0;
  std::uint64_t passives = 0;
  std::uint64_t detractors = 0;
  std::uint64_t n() const { return promoters + passives + detractors; }
};

// NPS on the -100..+100 scale; 0 when n = 0 (documented convention).
double nps(const counts& value);

// Shares in percent (0..100); all zero when n = 0.
struct shares {
  double promoters = 0;
  double passives = 0;
  double detractors = 0;
};
shares percentages(const counts& value);

// Sums of weights per category and of squared weights, for weighted NPS and
// the Kish effective sample size. For an unweighted tally every weight is 1.
struct weight_sums {
  double promoters = 0;
  double passives = 0;
  double detractors = 0;
  double squares = 0;
  double total() const { return promoters + passives + detractors; }
};

class tally {
 public:
  // Adds one answer; error (and no change) for a score outside 0..10 or a
  // weight that is negative, NaN or infinite. A tally holds at most 2^53
  // answers (every count and weight sum stays exact in double); adding past
  // that is an invalid_argument error.
  status add(int score, double weight = 1.0);
  // Adds count answers of the same score with weight 1 each; same errors.
  status add_many(int score, std::uint64_t count);
  // Adds every answer of other; exact (integer counts, summed weights).
  // Counts that would pass 2^64 stay at the maximum instead of wrapping.
  void merge(const tally& other);

  const std::array<std::uint64_t, 11>& histogram() const { return histogram_; }
  counts category_counts() const;
  const weight_sums& weights() const { return weights_; }
  // True once any answer had a weight other than 1.
  bool weighted() const { return weighted_; }
  std::uint64_t n() const { return answers_; }

 private:
  std::array<std::uint64_t, 11> histogram_{};
  // The histogram's saturating sum, kept as it changes: add() checks it for
  // every answer read.
  std::uint64_t answers_ = 0;
  weight_sums weights_{};
  bool weighted_ = false;
};

// A tally of the given count of answers per score 0..10; error when the
// total exceeds what a tally holds exactly (2^53).
result<tally> tally_from_histogram(const std::array<std::uint64_t, 11>& histogram);

// Category counts carry no score distribution: each category's answers are
// put on its top score (6, 8 and 10), so the histogram still adds up to the
// counts and every statistic (all of which depend on the categories only) is
// that of the counts. Error as for tally_from_histogram.
result<tally> tally_from_counts(const counts& value);

// A tally of one answer per value, each an integer 0..10 given as a number
// (9.0 is 9). Error invalid_score naming the first bad value as
// "<name>[index] is <value>; expected an integer score from 0 to 10".
result<tally> tally_from_scores(const double* scores, std::size_t size, std::string_view name);

}  // namespace npskit

#endif  // NPSKIT_TALLY_H
