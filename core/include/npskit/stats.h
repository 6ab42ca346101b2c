// Confidence intervals, significance tests and sample-size planning for NPS,
// exactly as specified in the product brief (Wald, adjusted Wald after
// Rocks 2016, Tango's score interval).
#ifndef NPSKIT_STATS_H
#define NPSKIT_STATS_H

#include <cstdint>
#include <optional>
#include <string_view>

#include "npskit/result.h"
#include "npskit/tally.h"

namespace npskit {

enum class interval_method { wald, adjusted_wald, tango };

// "wald", "adjusted-wald", "tango".
const char* to_string(interval_method method);
// Accepts the names above (also "adjusted_wald" and "adjwald"); error names
// the unknown method and lists the valid ones.
result<interval_method> parse_interval_method(std::string_view name);

// All on the -100..+100 scale. low/high are clipped to [-100, 100]. se is the
// standard error used by the method (adjusted Wald: SE'; Tango: the Wald SE
// for reference). For n = 0 Wald and Tango give low = -100, high = 100, se = 0
// (nothing is known); adjusted Wald is defined for every n (n = 0: centred on
// 0 with SE' = 100 sqrt(0.5 / 3)). With every answer in one category the Wald
// SE is 0 and the Wald interval collapses to the point estimate; adjusted
// Wald and Tango stay wide (Tango keeps the observed end of the scale, e.g.
// all promoters give [100 (n - z^2) / (n + z^2), 100]).
struct interval {
  interval_method method = interval_method::adjusted_wald;
  double confidence = 0.95;
  double low = 0;
  double high = 0;
  double se = 0;
};

// Variance of one answer scored +1/0/-1 on the unit scale: p + d - (p - d)^2.
double unit_variance(const counts& value);
// Wald standard error, 100 * sqrt(V / n); 0 when n = 0.
double standard_error(const counts& value);

// Error for a confidence outside (0, 1).
result<interval> compute_interval(const counts& value, interval_method method, double confidence);

// Adjusted-Wald point estimate and SE (n' = n + 3, +0.75 to P and D), on the
// -100..+100 scale; used by the adjusted-Wald interval and tests.
struct adjusted_estimate {
  double nps = 0;
  double se = 0;
  double n = 0;
};
adjusted_estimate adjusted_wald_estimate(const counts& value);

// Two independent groups: diff = NPS_a - NPS_b (adjusted point estimates
// for the adjusted-Wald variant), se = sqrt(SE_a^2 + SE_b^2), two-sided p.
// Tango is not a test method: error invalid_argument. A group without
// answers: error empty_input. If se is 0 (Wald, both groups unanimous), z is
// 0 with p = 1 when the estimates agree, else +-infinity with p = 0.
struct comparison {
  interval_method method = interval_method::adjusted_wald;
  double diff = 0;
  double se = 0;
  double z = 0;
  double p_value = 1;
};
result<comparison> compare_groups(const counts& a, const counts& b, interval_method method);

// One group against a fixed benchmark B (-100..100): z = (NPS - B) / SE
// (NPS' and SE' for adjusted Wald), two-sided p; diff = NPS - B. Errors as
// for compare_groups.
result<comparison> compare_to_benchmark(const counts& value, double benchmark,
                                        interval_method method);

// Sample size for a target margin of error (half-width, in NPS points,
// 0 < margin <= 200): the smallest n >= 1 at which the interval of the given
// method, for n answers in the expected split, is no wider than +-margin
// (half of high - low, after clipping); with n - 1 it is wider. V = 1 (the
// worst case, half promoters and half detractors) unless expected shares are
// given. Starts from the closed form z^2 V / m^2, which skewed splits and
// adjusted Wald's shrinkage make too optimistic. Error if the plan would
// exceed 2^53 answers. variance is V of the split, half_width the interval
// half-width at the planned n (0 for sample_size_for_difference).
struct sample_size_plan {
  std::uint64_t n = 0;
  double variance = 1;
  double z = 0;
  double half_width = 0;
};
result<sample_size_plan> sample_size_for_margin(
    double margin_points, double confidence, interval_method method,
    const std::optional<counts>& expected = std::nullopt);

// Per-group n to detect a difference of diff_points between two groups with a
// two-sided test at the given confidence and power (0 < power < 1):
// n = (z_(1-alpha/2) + z_power)^2 (V_a + V_b) / diff^2, V = 1 each unless
// expected splits are given. The plan reports variance = V_a + V_b and
// z = z_(1-alpha/2) + z_power.
result<sample_size_plan> sample_size_for_difference(
    double diff_points, double confidence, double power,
    const std::optional<counts>& expected_a = std::nullopt,
    const std::optional<counts>& expected_b = std::nullopt);

// Weighted NPS: (sum w promoters - sum w detractors) / sum w on -100..+100,
// with Kish's effective n = (sum w)^2 / sum w^2 and a Wald-type interval that
// uses n_effective (adjusted Wald applies its +3 / +0.75 to n_effective).
// Errors: empty_input when the weights sum to 0, invalid_weight for a
// negative or non-finite sum.
struct weighted_estimate {
  double nps = 0;
  double n_effective = 0;
  npskit::interval interval;
};
result<weighted_estimate> weighted_nps(const weight_sums& sums, interval_method method,
                                       double confidence);

}  // namespace npskit

#endif  // NPSKIT_STATS_H
