#include "npskit/stats.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>

#include "npskit/normal.h"
#include "npskit/text.h"
#include "number_text.h"

namespace npskit {
namespace {

using detail::number_text;

// Plans beyond 2^53 answers cannot be represented exactly and no survey gets
// near them; such a request is a unit mistake (points given as a fraction).
constexpr double max_plan = 9007199254740992.0;  // 2^53

// Category totals as real numbers: counts for a plain tally, Kish-scaled
// weight shares for a weighted one, so both share one set of formulas.
struct sample {
  double promoters = 0;
  double detractors = 0;
  double n = 0;
};

sample sample_of(const counts& value) {
  const double promoters = static_cast<double>(value.promoters);
  const double detractors = static_cast<double>(value.detractors);
  return sample{promoters, detractors,
                promoters + static_cast<double>(value.passives) + detractors};
}

// Scaling the difference before dividing keeps exact shares exact (see nps()).
double point_estimate(const sample& value) {
  if (value.n == 0) return 0;
  return 100.0 * (value.promoters - value.detractors) / value.n;
}

// p + d - (p - d)^2 can come out a rounding error below 0 when every answer
// is in one category; the true value is then exactly 0.
double variance_of_shares(double promoter_share, double detractor_share) {
  const double difference = promoter_share - detractor_share;
  return std::max(0.0, promoter_share + detractor_share - difference * difference);
}

double wald_se(const sample& value) {
  if (value.n == 0) return 0;
  const double variance = variance_of_shares(value.promoters / value.n, value.detractors / value.n);
  return 100.0 * std::sqrt(variance / value.n);
}

// sqrt(a^2 + b^2) from correctly rounded operations only: std::hypot rounds
// differently between C libraries, and the native command and the browser
// module must print the same digits. Standard errors are far from overflow.
double root_sum_of_squares(double a, double b) { return std::sqrt(a * a + b * b); }

adjusted_estimate adjusted_of(const sample& value) {
  const double n = value.n + 3.0;
  const double promoter_share = (value.promoters + 0.75) / n;
  const double detractor_share = (value.detractors + 0.75) / n;
  const double variance = variance_of_shares(promoter_share, detractor_share);
  return adjusted_estimate{100.0 * (promoter_share - detractor_share),
                           100.0 * std::sqrt(variance / n), n};
}

// Tango's score statistic T(delta) on the unit scale. q is the constrained
// maximum-likelihood detractor share given p - d = delta: the larger root of
// 2n q^2 + b q + c = 0, taken in the form that avoids cancellation.
double tango_statistic(const sample& value, double delta) {
  const double a = 2.0 * value.n;
  const double b = -value.detractors - value.promoters +
                   (2.0 * value.n - value.promoters + value.detractors) * delta;
  const double c = -value.detractors * delta * (1.0 - delta);
  const double root = std::sqrt(std::max(0.0, b * b - 4.0 * a * c));
  const double q = std::max(0.0, b <= 0 ? (-b + root) / (2.0 * a) : 2.0 * c / (-b - root));
  const double variance = 2.0 * q + delta * (1.0 - delta);
  const double numerator = value.promoters - value.detractors - value.n * delta;
  // At delta = +-1 the constrained model puts every answer in one category,
  // so the variance vanishes and the statistic is infinite unless the data
  // agree exactly.
  if (!(variance > 0)) {
    if (numerator > 0) return std::numeric_limits<double>::infinity();
    if (numerator < 0) return -std::numeric_limits<double>::infinity();
    return 0;
  }
  return numerator / std::sqrt(value.n * variance);
}

// The interval is {delta : |T(delta)| < z}. T is 0 at the estimate and grows
// in magnitude towards -1 and +1 (where it is infinite), so each boundary is
// found by bisection between the estimate (inside) and one end (outside).
// Bisection rather than a secant method because T is unbounded at the ends.
double tango_boundary(const sample& value, double inside, double outside, double z) {
  for (int step = 0; step < 200; ++step) {
    const double middle = inside + (outside - inside) / 2.0;
    if (middle == inside || middle == outside) break;
    if (std::fabs(tango_statistic(value, middle)) >= z) {
      outside = middle;
    } else {
      inside = middle;
    }
  }
  return inside + (outside - inside) / 2.0;
}

double clip(double points) { return std::min(100.0, std::max(-100.0, points)); }

interval interval_of(const sample& value, interval_method method, double confidence, double z) {
  interval out;
  out.method = method;
  out.confidence = confidence;
  if (method == interval_method::adjusted_wald) {
    const adjusted_estimate adjusted = adjusted_of(value);
    out.se = adjusted.se;
    out.adjusted_nps = adjusted.nps;
    out.low = clip(adjusted.nps - z * adjusted.se);
    out.high = clip(adjusted.nps + z * adjusted.se);
    return out;
  }
  out.se = wald_se(value);
  if (value.n == 0) {
    out.low = -100;
    out.high = 100;
    return out;
  }
  if (method == interval_method::wald) {
    const double center = point_estimate(value);
    out.low = clip(center - z * out.se);
    out.high = clip(center + z * out.se);
    return out;
  }
  // Every answer at one end (all promoters or all detractors) puts that end
  // of the scale inside the interval: T is 0/0 there, not infinite.
  const double estimate = (value.promoters - value.detractors) / value.n;
  const double low = estimate <= -1.0 ? -1.0 : tango_boundary(value, estimate, -1.0, z);
  const double high = estimate >= 1.0 ? 1.0 : tango_boundary(value, estimate, 1.0, z);
  out.low = clip(100.0 * low);
  out.high = clip(100.0 * high);
  return out;
}

status check_method(interval_method method) {
  switch (method) {
    case interval_method::wald:
    case interval_method::adjusted_wald:
    case interval_method::tango:
      return ok{};
  }
  return make_error(error_code::invalid_argument, "interval method " +
                                                      std::to_string(static_cast<int>(method)) +
                                                      " is not one of wald, adjusted-wald, tango");
}

// With every answer of both sides in one category the Wald model sees no
// noise at all: a difference then has no z (NaN, never significant) rather
// than an infinite one that would call any two such groups different.
void finish_test(comparison& test, double tested_difference) {
  if (test.se > 0) {
    test.z = tested_difference / test.se;
    test.p_value = two_sided_p_value(test.z);
  } else if (tested_difference == 0) {
    test.z = 0;
    test.p_value = 1;
  } else {
    test.z = std::numeric_limits<double>::quiet_NaN();
    test.p_value = std::numeric_limits<double>::quiet_NaN();
  }
}

// The shares of an expected split (promoters, detractors), or the worst case
// (half promoters, half detractors: V = 1) when none is given. The size of
// the split does not matter.
struct planning_split {
  double promoter_share = 0.5;
  double detractor_share = 0.5;
  double variance = 1.0;
};

result<planning_split> planning_split_of(const std::optional<counts>& expected, const char* name) {
  if (!expected) return planning_split{};
  const sample value = sample_of(*expected);
  if (value.n == 0) {
    return make_error(error_code::invalid_argument,
                      std::string(name) +
                          " has no answers; expected promoter, passive and detractor counts (or "
                          "shares) that are not all 0");
  }
  const double promoter_share = value.promoters / value.n;
  const double detractor_share = value.detractors / value.n;
  return planning_split{promoter_share, detractor_share,
                        variance_of_shares(promoter_share, detractor_share)};
}

// Half the width of the interval the method gives n answers in the expected
// split, after clipping to -100..100: what "within +-m points" promises.
double planned_half_width(const planning_split& split, double n, interval_method method,
                          double confidence, double z) {
  const sample expected{split.promoter_share * n, split.detractor_share * n, n};
  const interval bounds = interval_of(expected, method, confidence, z);
  return (bounds.high - bounds.low) / 2.0;
}

status check_points(double points, const char* name) {
  if (!(points > 0 && points <= 200)) {
    return make_error(error_code::invalid_argument,
                      std::string(name) + " " + number_text(points) +
                          " is outside (0, 200]; expected NPS points such as 5");
  }
  return ok{};
}

std::string too_many_answers(const std::string& what) {
  return what + " needs more than 2^53 answers; expected a larger value in NPS points";
}

result<std::uint64_t> round_up_plan(double answers, const std::string& what) {
  if (!(answers <= max_plan)) {
    return make_error(error_code::invalid_argument, too_many_answers(what));
  }
  return static_cast<std::uint64_t>(std::max(0.0, std::ceil(answers)));
}

using text::equals_ignoring_case;

// The smallest n >= 1 whose interval is no wider than +-margin. The closed
// form z^2 V / m^2 is the large-sample answer of every method and only the
// starting guess: adjusted Wald shrinks towards an even split, Tango is
// asymmetric and clipping narrows intervals near the ends of the scale, so on
// a skewed split the closed form can be far too small (95/5/0 at +-5 needs
// about 120 answers, not 70; all promoters need about 73, not 0). Bisection
// keeps "too wide at low, narrow enough at high", so the answer is narrow
// enough and one answer fewer is not.
result<std::uint64_t> smallest_plan(const planning_split& split, double margin_points,
                                    interval_method method, double confidence, double z,
                                    const std::string& what) {
  const auto narrow_enough = [&](double n) {
    return planned_half_width(split, n, method, confidence, z) <= margin_points;
  };
  const double margin = margin_points / 100.0;
  const double guess = std::ceil(z * z * split.variance / (margin * margin));
  double high = std::min(max_plan, std::max(1.0, guess));
  double low = 0;  // no answers never meet a margin: there is no estimate
  if (narrow_enough(high)) {
    // Halve towards 1 until too wide, so the bisection below starts bracketed.
    for (double below = std::floor(high / 2); below >= 1; below = std::floor(below / 2)) {
      if (!narrow_enough(below)) {
        low = below;
        break;
      }
      high = below;
    }
  } else {
    for (low = high;; low = high) {
      if (low >= max_plan) return make_error(error_code::invalid_argument, too_many_answers(what));
      high = std::min(max_plan, low * 2);
      if (narrow_enough(high)) break;
    }
  }
  while (high - low > 1) {
    const double middle = std::floor(low + (high - low) / 2);
    if (narrow_enough(middle)) {
      high = middle;
    } else {
      low = middle;
    }
  }
  return static_cast<std::uint64_t>(high);
}

}  // namespace

const char* to_string(interval_method method) {
  switch (method) {
    case interval_method::wald:
      return "wald";
    case interval_method::adjusted_wald:
      return "adjusted-wald";
    case interval_method::tango:
      return "tango";
  }
  // Reachable only through a value cast from an integer outside the enum.
  return "unknown";
}

result<interval_method> parse_interval_method(std::string_view name) {
  if (equals_ignoring_case(name, "wald")) return interval_method::wald;
  if (equals_ignoring_case(name, "adjusted-wald") || equals_ignoring_case(name, "adjusted_wald") ||
      equals_ignoring_case(name, "adjwald")) {
    return interval_method::adjusted_wald;
  }
  if (equals_ignoring_case(name, "tango")) return interval_method::tango;
  return make_error(error_code::invalid_argument, "unknown interval method \"" + std::string(name) +
                                                      "\"; expected wald, adjusted-wald or tango");
}

double unit_variance(const counts& value) {
  const sample converted = sample_of(value);
  if (converted.n == 0) return 0;
  return variance_of_shares(converted.promoters / converted.n, converted.detractors / converted.n);
}

double standard_error(const counts& value) { return wald_se(sample_of(value)); }

result<interval> compute_interval(const counts& value, interval_method method, double confidence) {
  const status valid = check_method(method);
  if (!valid) return valid.error();
  const result<double> z = z_for_confidence(confidence);
  if (!z) return z.error();
  return interval_of(sample_of(value), method, confidence, z.value());
}

adjusted_estimate adjusted_wald_estimate(const counts& value) {
  return adjusted_of(sample_of(value));
}

interval_method test_method_for(interval_method method) {
  return method == interval_method::tango ? interval_method::adjusted_wald : method;
}

result<comparison> compare_groups(const counts& a, const counts& b, interval_method method) {
  const status valid = check_method(method);
  if (!valid) return valid.error();
  const sample first = sample_of(a);
  const sample second = sample_of(b);
  if (first.n == 0 || second.n == 0) {
    return make_error(error_code::empty_input,
                      std::string("group ") + (first.n == 0 ? "a" : "b") +
                          " has no answers; a comparison needs at least one answer in each group");
  }
  comparison out;
  out.method = test_method_for(method);
  out.diff = point_estimate(first) - point_estimate(second);
  if (out.method == interval_method::wald) {
    out.se = root_sum_of_squares(wald_se(first), wald_se(second));
    finish_test(out, out.diff);
    return out;
  }
  const adjusted_estimate adjusted_first = adjusted_of(first);
  const adjusted_estimate adjusted_second = adjusted_of(second);
  out.adjusted_diff = adjusted_first.nps - adjusted_second.nps;
  out.se = root_sum_of_squares(adjusted_first.se, adjusted_second.se);
  finish_test(out, *out.adjusted_diff);
  return out;
}

result<comparison> compare_to_benchmark(const counts& value, double benchmark,
                                        interval_method method) {
  const status valid = check_method(method);
  if (!valid) return valid.error();
  if (!(benchmark >= -100 && benchmark <= 100)) {
    return make_error(
        error_code::invalid_argument,
        "benchmark " + number_text(benchmark) + " is outside -100..100; expected an NPS value");
  }
  const sample converted = sample_of(value);
  if (converted.n == 0) {
    return make_error(error_code::empty_input, "no answers to compare with benchmark " +
                                                   number_text(benchmark) +
                                                   "; expected at least one answer");
  }
  comparison out;
  out.method = test_method_for(method);
  out.diff = point_estimate(converted) - benchmark;
  if (out.method == interval_method::wald) {
    out.se = wald_se(converted);
    finish_test(out, out.diff);
    return out;
  }
  const adjusted_estimate adjusted = adjusted_of(converted);
  out.adjusted_diff = adjusted.nps - benchmark;
  out.se = adjusted.se;
  finish_test(out, *out.adjusted_diff);
  return out;
}

bool is_significant(const comparison& test, double confidence) {
  return test.se > 0 && test.p_value < 1 - confidence;
}

result<sample_size_plan> sample_size_for_margin(double margin_points, double confidence,
                                                interval_method method,
                                                const std::optional<counts>& expected) {
  const status valid_method = check_method(method);
  if (!valid_method) return valid_method.error();
  const status valid_margin = check_points(margin_points, "margin");
  if (!valid_margin) return valid_margin.error();
  const result<double> z = z_for_confidence(confidence);
  if (!z) return z.error();
  const result<planning_split> split = planning_split_of(expected, "expected split");
  if (!split) return split.error();

  const result<std::uint64_t> n = smallest_plan(split.value(), margin_points, method, confidence,
                                                z.value(), "margin " + number_text(margin_points));
  if (!n) return n.error();
  sample_size_plan plan{n.value(), split->variance, z.value()};
  plan.half_width = planned_half_width(split.value(), static_cast<double>(n.value()), method,
                                       confidence, z.value());
  return plan;
}

result<sample_size_plan> sample_size_for_difference(double diff_points, double confidence,
                                                    double power,
                                                    const std::optional<counts>& expected_a,
                                                    const std::optional<counts>& expected_b) {
  const status valid_difference = check_points(diff_points, "difference");
  if (!valid_difference) return valid_difference.error();
  const result<double> z_alpha = z_for_confidence(confidence);
  if (!z_alpha) return z_alpha.error();
  if (!(power > 0 && power < 1)) {
    return make_error(
        error_code::invalid_argument,
        "power " + number_text(power) + " is outside (0, 1); expected a fraction such as 0.8");
  }
  const result<double> z_power = normal_quantile(power);
  if (!z_power) return z_power.error();
  const result<planning_split> split_a = planning_split_of(expected_a, "expected split of group a");
  if (!split_a) return split_a.error();
  const result<planning_split> split_b = planning_split_of(expected_b, "expected split of group b");
  if (!split_b) return split_b.error();

  const double z = z_alpha.value() + z_power.value();
  const double variance = split_a->variance + split_b->variance;
  const double difference = diff_points / 100.0;
  const double answers = z * z * variance / (difference * difference);
  const result<std::uint64_t> n = round_up_plan(answers, "difference " + number_text(diff_points));
  if (!n) return n.error();
  return sample_size_plan{n.value(), variance, z};
}

result<weighted_estimate> weighted_nps(const weight_sums& sums, interval_method method,
                                       double confidence) {
  const status valid = check_method(method);
  if (!valid) return valid.error();
  const result<double> z = z_for_confidence(confidence);
  if (!z) return z.error();
  const double parts[] = {sums.promoters, sums.passives, sums.detractors, sums.squares};
  const char* const names[] = {"promoters", "passives", "detractors", "squares"};
  for (std::size_t i = 0; i < 4; ++i) {
    if (!(std::isfinite(parts[i]) && parts[i] >= 0)) {
      return make_error(error_code::invalid_weight, std::string("weight sum of ") + names[i] +
                                                        " is " + number_text(parts[i]) +
                                                        "; expected a finite number >= 0");
    }
  }
  const double total = sums.total();
  if (total == 0) {
    return make_error(error_code::empty_input,
                      "weights sum to 0; weighted NPS needs at least one "
                      "answer with a positive weight");
  }
  const double n_effective = total * total / sums.squares;
  if (!std::isfinite(n_effective)) {
    return make_error(error_code::invalid_weight,
                      "weights (sum " + number_text(total) + ", sum of squares " +
                          number_text(sums.squares) +
                          ") are too small or too large for an effective "
                          "sample size; expected weights such as 0.5 or 2");
  }
  // Kish: the weighted shares behave like shares of n_effective plain answers.
  const sample scaled{sums.promoters / total * n_effective, sums.detractors / total * n_effective,
                      n_effective};
  weighted_estimate out;
  out.nps = 100.0 * (sums.promoters - sums.detractors) / total;
  out.n_effective = n_effective;
  out.interval = interval_of(scaled, method, confidence, z.value());
  return out;
}

}  // namespace npskit
