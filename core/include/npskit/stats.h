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
//
// Only the Wald and Tango intervals always contain the raw NPS; the
// adjusted-Wald interval is centred on the adjusted estimate NPS' (given in
// adjusted_nps) and may leave the raw NPS out (one promoter: NPS 100, 95%
// interval -48.5 to 98.5 around NPS' 25), so it is shown with NPS'.
struct interval {
  interval_method method = interval_method::tango;
  double confidence = 0.95;
  double low = 0;
  double high = 0;
  double se = 0;
  std::optional<double> adjusted_nps;
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

// Tango's score interval has no test of its own; its tests use adjusted Wald,
// which also keeps small groups from getting a zero standard error. Every
// other method tests with itself.
interval_method test_method_for(interval_method method);

// Two independent groups, or one group against a fixed benchmark. diff is
// always the plain difference of the scores as shown (NPS_a - NPS_b, or
// NPS - B). The adjusted-Wald test works on the adjusted estimates instead;
// the difference it tests is then adjusted_diff (NPS'_a - NPS'_b, or
// NPS' - B), absent for Wald. z = tested difference / se with
// se = sqrt(SE_a^2 + SE_b^2) (SE of the group for a benchmark), two-sided p.
// method is the test's method: tango is accepted and tested as
// test_method_for(tango), adjusted Wald. A group without answers: error
// empty_input. se = 0 happens only under Wald with every answer of both
// groups in one category: the test is then undefined (z and p_value NaN,
// never significant) unless the estimates agree (z = 0, p = 1).
struct comparison {
  interval_method method = interval_method::adjusted_wald;
  double diff = 0;
  std::optional<double> adjusted_diff;
  double se = 0;
  double z = 0;
  double p_value = 1;
};
result<comparison> compare_groups(const counts& a, const counts& b, interval_method method);
// Errors as for compare_groups, and for a benchmark outside -100..100.
result<comparison> compare_to_benchmark(const counts& value, double benchmark,
                                        interval_method method);

// The one significance rule: a two-sided p below 1 - confidence from a test
// that has a standard error (se > 0).
bool is_significant(const comparison& test, double confidence);

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
