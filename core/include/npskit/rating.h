// Customer satisfaction (CSAT, 1..5) and customer effort (CES, 1..7) beside
// NPS: tallies, the share of top answers with Wilson's score interval, the
// mean with Student's t interval, two-group tests and sample sizes.
//
// CSAT % is the share of 4 and 5; the CES "easy" share is the share of 5..7.
// The mean of the ratings is a different number and is never called CSAT.
#ifndef NPSKIT_RATING_H
#define NPSKIT_RATING_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "npskit/result.h"
#include "npskit/stats.h"

namespace npskit {

enum class rating_metric { csat, ces };

// "csat" or "ces".
const char* to_string(rating_metric metric);
// "csat" or "ces" (any case); error names the value and lists both.
result<rating_metric> parse_rating_metric(std::string_view name);

// The scale of a metric: answers low..high, "top" answers top_from..high.
struct rating_scale {
  int low = 1;
  int high = 5;
  int top_from = 4;
};
rating_scale scale_of(rating_metric metric);

// Ok for an integer on the metric's scale; else invalid_score with
// "csat must be an integer from 1 to 5 (got 6)".
status check_rating(rating_metric metric, int value);

// Counts per rating. Merges exactly, like the NPS tally.
class rating_tally {
 public:
  explicit rating_tally(rating_metric metric = rating_metric::csat) : metric_(metric) {}

  // Error (and no change) for a value off the scale, or past 2^53 answers.
  status add(int value);
  status add_many(int value, std::uint64_t count);
  // Error when the metrics differ; counts that would pass 2^64 saturate.
  status merge(const rating_tally& other);

  rating_metric metric() const { return metric_; }
  // Index value - 1; entries past the scale's top stay 0.
  const std::array<std::uint64_t, 7>& histogram() const { return histogram_; }
  std::uint64_t n() const;
  // Answers from top_from up.
  std::uint64_t top() const;

 private:
  rating_metric metric_;
  std::array<std::uint64_t, 7> histogram_{};
};

// A tally of one answer per value, each a whole number on the metric's scale
// given as a number (4.0 is 4). Error invalid_score naming the first bad
// value: "<name>[2] is 6; csat must be an integer from 1 to 5".
result<rating_tally> rating_tally_from_values(rating_metric metric, const double* values,
                                              std::size_t size, std::string_view name);

// An interval on the scale of its estimate (percent for shares, rating points
// for means).
struct rating_interval {
  double low = 0;
  double high = 0;
  double se = 0;  // share: sqrt(p (1 - p) / n) in percent; mean: s / sqrt(n)
};

// Wilson's score interval for a proportion (Wilson 1927, "Probable inference,
// the law of succession, and statistical inference", JASA 22:209-212), in
// percent, clipped to [0, 100]; error for n = 0, successes > n or a
// confidence outside (0, 1). Unlike the Wald interval it stays wide when every
// answer is (or none is) a success, and it is defined for n = 1.
result<rating_interval> wilson_interval(std::uint64_t successes, std::uint64_t n,
                                        double confidence);

// Student's t distribution with df > 0 degrees of freedom (df need not be
// whole: Welch's test uses fractional df).
// Two-sided p-value P(|T| >= |t|); NaN for NaN input or df <= 0.
double student_t_two_sided_p_value(double t, double df);
// Two-sided critical value: P(|T| <= t) = confidence. Error for a confidence
// outside (0, 1) or df not positive and finite.
result<double> t_for_confidence(double confidence, double df);

// Statistics of one rating tally. With n = 0 nothing is known: share, mean
// and both intervals are absent. With n = 1 the share and its Wilson interval
// exist, while the standard deviation and the mean's interval are absent (one
// answer says nothing about spread). With every answer equal (n >= 2), s = 0
// and the t interval collapses to the mean; Wilson stays wide.
struct rating_summary {
  rating_metric metric = rating_metric::csat;
  double confidence = 0.95;
  std::uint64_t n = 0;
  std::array<std::uint64_t, 7> histogram{};
  std::uint64_t top = 0;
  std::optional<double> share;                    // percent of top answers
  std::optional<rating_interval> share_interval;  // Wilson
  std::optional<double> mean;
  std::optional<double> sd;                      // sample standard deviation (n - 1), n >= 2
  std::optional<rating_interval> mean_interval;  // Student's t, clipped to the scale
};
// Error only for a confidence outside (0, 1).
result<rating_summary> summarize_ratings(const rating_tally& value, double confidence);

// A test of two independent groups, a minus b.
//   share: the two-proportion z test with the pooled proportion; diff and se
//          in percentage points; df absent.
//   mean:  Welch's t test; diff and se in rating points, df after
//          Welch-Satterthwaite. Needs n >= 2 in each group.
// se = 0 (every answer of both groups the same) leaves the test undefined
// (statistic and p_value NaN, never significant) unless diff = 0 (statistic
// 0, p 1). Errors: empty_input for a group with too few answers,
// invalid_argument when the metrics differ.
struct rating_test {
  double diff = 0;
  double se = 0;
  double statistic = 0;
  std::optional<double> df;
  double p_value = 1;
};
result<rating_test> compare_shares(const rating_tally& a, const rating_tally& b);
result<rating_test> compare_means(const rating_tally& a, const rating_tally& b);
// A two-sided p below 1 - confidence from a test with se > 0.
bool is_significant(const rating_test& test, double confidence);

// Sample sizes, the n of each plan as in stats.h (variance, z, half_width).
// Share within +-margin percentage points (0 < margin <= 100):
//   n = ceil(z^2 p (1 - p) / m^2), p the expected share in percent (50, the
//   worst case, when absent).
result<sample_size_plan> rating_share_sample_size(
    double margin_points, double confidence, std::optional<double> expected_share = std::nullopt);
// Mean within +-margin rating points: the smallest n >= 2 with
// t_(n-1) s / sqrt(n) <= margin, s the expected standard deviation (the
// largest a scale allows, (high - low) / 2, when absent). variance is s^2.
result<sample_size_plan> rating_mean_sample_size(rating_metric metric, double margin,
                                                 double confidence,
                                                 std::optional<double> expected_sd = std::nullopt);
// Per-group n to detect a difference of shares of diff percentage points:
//   n = ceil((z_(1-alpha/2) + z_power)^2 (p_a q_a + p_b q_b) / d^2),
//   expected shares 50 % each when absent.
result<sample_size_plan> rating_share_difference_sample_size(
    double diff_points, double confidence, double power,
    std::optional<double> expected_share_a = std::nullopt,
    std::optional<double> expected_share_b = std::nullopt);
// Per-group n to detect a difference of means of diff rating points:
//   n = ceil((z_(1-alpha/2) + z_power)^2 (s_a^2 + s_b^2) / d^2).
result<sample_size_plan> rating_mean_difference_sample_size(
    rating_metric metric, double diff, double confidence, double power,
    std::optional<double> expected_sd = std::nullopt);

}  // namespace npskit

#endif  // NPSKIT_RATING_H
