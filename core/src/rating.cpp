#include "npskit/rating.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "npskit/normal.h"
#include "npskit/text.h"
#include "number_text.h"
#include "reproducible_math.h"

namespace npskit {
namespace {

using detail::number_text;
using detail::reproducible_exp;
using detail::reproducible_log;

// Every count and sum stays exact in double up to 2^53 answers.
constexpr std::uint64_t max_answers = std::uint64_t{1} << 53;
constexpr double max_plan = 9007199254740992.0;
constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

// ln Gamma(x) for x > 0 by Lanczos' approximation (g = 7, nine terms; Press
// et al., Numerical Recipes, 3rd ed., 6.1), relative error about 1e-15. Built
// on the reproducible log so that native and WebAssembly builds agree.
double log_gamma(double x) {
  constexpr double coefficients[9] = {
      0.99999999999980993,  676.5203681218851,     -1259.1392167224028,
      771.32342877765313,   -176.61502916214059,   12.507343278686905,
      -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
  constexpr double log_sqrt_two_pi = 0.91893853320467274178;
  const double shifted = x - 1;
  double sum = coefficients[0];
  for (int i = 1; i < 9; ++i) sum += coefficients[i] / (shifted + i);
  const double t = shifted + 7.5;
  return log_sqrt_two_pi + (shifted + 0.5) * reproducible_log(t) - t + reproducible_log(sum);
}

// Continued fraction of the incomplete beta function, modified Lentz method
// (Numerical Recipes 6.4); converges fast for x < (a + 1) / (a + b + 2).
double beta_continued_fraction(double a, double b, double x) {
  constexpr double tiny = 1e-300;
  constexpr double epsilon = 1e-16;
  const double qab = a + b;
  const double qap = a + 1;
  const double qam = a - 1;
  double c = 1;
  double d = 1 - qab * x / qap;
  if (std::fabs(d) < tiny) d = tiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 1000; ++m) {
    const int m2 = 2 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1) < epsilon) break;
  }
  return h;
}

// The regularized incomplete beta function I_x(a, b), a, b > 0.
double regularized_beta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double log_front = log_gamma(a + b) - log_gamma(a) - log_gamma(b) +
                           a * reproducible_log(x) + b * reproducible_log(1 - x);
  const double front = reproducible_exp(log_front);
  if (x < (a + 1) / (a + b + 2)) return front * beta_continued_fraction(a, b, x) / a;
  return 1 - front * beta_continued_fraction(b, a, 1 - x) / b;
}

status check_confidence(double confidence) {
  const result<double> z = z_for_confidence(confidence);
  if (!z) return z.error();
  return ok{};
}

double sum_of(const rating_tally& value, double center, int power) {
  double sum = 0;
  for (int rating = 1; rating <= 7; ++rating) {
    const double count =
        static_cast<double>(value.histogram()[static_cast<std::size_t>(rating - 1)]);
    const double deviation = rating - center;
    sum += count * (power == 1 ? deviation : deviation * deviation);
  }
  return sum;
}

double mean_of(const rating_tally& value) {
  return sum_of(value, 0, 1) / static_cast<double>(value.n());
}

// Sample variance with n - 1, from deviations around the mean (no
// cancellation of large sums).
double variance_of(const rating_tally& value, double mean) {
  return sum_of(value, mean, 2) / static_cast<double>(value.n() - 1);
}

// A test statistic from a difference and its standard error, with the
// convention of stats.h for se = 0.
void finish_test(rating_test& test) {
  if (test.se > 0) {
    test.statistic = test.diff / test.se;
  } else if (test.diff == 0) {
    test.statistic = 0;
  } else {
    test.statistic = not_a_number;
  }
}

status check_same_metric(const rating_tally& a, const rating_tally& b) {
  if (a.metric() != b.metric()) {
    return make_error(error_code::invalid_argument,
                      std::string("cannot compare ") + to_string(a.metric()) + " with " +
                          to_string(b.metric()) + " answers; expected two groups of one metric");
  }
  return ok{};
}

status check_group_size(const rating_tally& value, std::uint64_t at_least, const char* group,
                        const char* test) {
  if (value.n() < at_least) {
    return make_error(error_code::empty_input,
                      std::string("group ") + group + " has " + std::to_string(value.n()) + " " +
                          to_string(value.metric()) + " answer" + (value.n() == 1 ? "" : "s") +
                          "; " + test + " needs at least " + std::to_string(at_least));
  }
  return ok{};
}

result<std::uint64_t> round_up(double answers, const std::string& what) {
  if (!(answers <= max_plan)) {
    return make_error(error_code::invalid_argument,
                      what + " needs more than 2^53 answers; expected a larger value");
  }
  return static_cast<std::uint64_t>(std::max(0.0, std::ceil(answers)));
}

// An expected share in percent strictly inside (0, 100), as a fraction.
result<double> expected_fraction(std::optional<double> share, const char* name) {
  if (!share) return 0.5;
  if (!(*share > 0 && *share < 100)) {
    return make_error(error_code::invalid_argument,
                      std::string(name) + " " + number_text(*share) +
                          " is outside (0, 100); expected a percentage such as 80");
  }
  return *share / 100;
}

result<double> expected_deviation(rating_metric metric, std::optional<double> sd) {
  const rating_scale scale = scale_of(metric);
  // Popoviciu: no distribution on [low, high] has a larger standard deviation.
  const double largest = (scale.high - scale.low) / 2.0;
  if (!sd) return largest;
  if (!(*sd > 0 && *sd <= largest)) {
    return make_error(error_code::invalid_argument,
                      "expected standard deviation " + number_text(*sd) + " is outside (0, " +
                          number_text(largest) + "] for " + to_string(metric) + " on " +
                          std::to_string(scale.low) + ".." + std::to_string(scale.high));
  }
  return *sd;
}

result<double> power_quantile(double power) {
  if (!(power > 0 && power < 1)) {
    return make_error(
        error_code::invalid_argument,
        "power " + number_text(power) + " is outside (0, 1); expected a fraction such as 0.8");
  }
  return normal_quantile(power);
}

}  // namespace

const char* to_string(rating_metric metric) {
  return metric == rating_metric::csat ? "csat" : "ces";
}

result<rating_metric> parse_rating_metric(std::string_view name) {
  const std::string_view trimmed = text::trim(name);
  if (text::equals_ignoring_case(trimmed, "csat")) return rating_metric::csat;
  if (text::equals_ignoring_case(trimmed, "ces")) return rating_metric::ces;
  return make_error(error_code::invalid_argument,
                    "metric \"" + std::string(trimmed) + "\" is unknown; expected csat or ces");
}

rating_scale scale_of(rating_metric metric) {
  return metric == rating_metric::csat ? rating_scale{1, 5, 4} : rating_scale{1, 7, 5};
}

status check_rating(rating_metric metric, int value) {
  const rating_scale scale = scale_of(metric);
  if (value < scale.low || value > scale.high) {
    return make_error(error_code::invalid_score,
                      std::string(to_string(metric)) + " must be an integer from " +
                          std::to_string(scale.low) + " to " + std::to_string(scale.high) +
                          " (got " + std::to_string(value) + ")");
  }
  return ok{};
}

status rating_tally::add(int value) { return add_many(value, 1); }

status rating_tally::add_many(int value, std::uint64_t count) {
  status valid = check_rating(metric_, value);
  if (!valid) return valid;
  if (count > max_answers - std::min(n(), max_answers)) {
    return make_error(error_code::invalid_argument,
                      std::string(to_string(metric_)) + " tally would hold more than 2^53 answers");
  }
  histogram_[static_cast<std::size_t>(value - 1)] += count;
  return ok{};
}

status rating_tally::merge(const rating_tally& other) {
  status same = check_same_metric(*this, other);
  if (!same) return same;
  for (std::size_t i = 0; i < histogram_.size(); ++i) {
    const std::uint64_t room = std::numeric_limits<std::uint64_t>::max() - histogram_[i];
    histogram_[i] += std::min(room, other.histogram_[i]);
  }
  return ok{};
}

std::uint64_t rating_tally::n() const {
  std::uint64_t total = 0;
  for (const std::uint64_t count : histogram_) total += count;
  return total;
}

std::uint64_t rating_tally::top() const {
  std::uint64_t total = 0;
  for (int rating = scale_of(metric_).top_from; rating <= 7; ++rating) {
    total += histogram_[static_cast<std::size_t>(rating - 1)];
  }
  return total;
}

result<rating_tally> rating_tally_from_values(rating_metric metric, const double* values,
                                              std::size_t size, std::string_view name) {
  rating_tally out(metric);
  const rating_scale scale = scale_of(metric);
  for (std::size_t i = 0; i < size; ++i) {
    const double value = values[i];
    const bool whole = value >= scale.low && value <= scale.high && value == std::floor(value);
    if (!whole) {
      return make_error(error_code::invalid_score,
                        std::string(name) + "[" + std::to_string(i) + "] is " + number_text(value) +
                            "; " + to_string(metric) + " must be an integer from " +
                            std::to_string(scale.low) + " to " + std::to_string(scale.high));
    }
    const status added = out.add(static_cast<int>(value));
    if (!added) return added.error();
  }
  return out;
}

result<rating_interval> wilson_interval(std::uint64_t successes, std::uint64_t n,
                                        double confidence) {
  const result<double> z = z_for_confidence(confidence);
  if (!z) return z.error();
  if (n == 0) {
    return make_error(error_code::empty_input, "Wilson interval of 0 answers; expected n >= 1");
  }
  if (successes > n) {
    return make_error(error_code::invalid_argument, std::to_string(successes) +
                                                        " successes out of " + std::to_string(n) +
                                                        " answers; expected at most n");
  }
  const double count = static_cast<double>(n);
  const double p = static_cast<double>(successes) / count;
  const double z2 = z.value() * z.value();
  const double denominator = 1 + z2 / count;
  const double center = (p + z2 / (2 * count)) / denominator;
  const double half =
      z.value() / denominator * std::sqrt(p * (1 - p) / count + z2 / (4 * count * count));
  rating_interval out;
  // At p = 0 (or 1) the end is 0 (or 1) exactly; rounding must not move it.
  out.low = successes == 0 ? 0 : std::clamp(center - half, 0.0, 1.0) * 100;
  out.high = successes == n ? 100 : std::clamp(center + half, 0.0, 1.0) * 100;
  out.se = std::sqrt(p * (1 - p) / count) * 100;
  return out;
}

double student_t_two_sided_p_value(double t, double df) {
  if (std::isnan(t) || !(df > 0)) return not_a_number;
  if (std::isinf(t)) return 0;
  return regularized_beta(df / 2, 0.5, df / (df + t * t));
}

result<double> t_for_confidence(double confidence, double df) {
  const status valid = check_confidence(confidence);
  if (!valid) return valid.error();
  if (!(df > 0 && std::isfinite(df))) {
    return make_error(error_code::invalid_argument,
                      "degrees of freedom " + number_text(df) + " must be positive and finite");
  }
  const double alpha = 1 - confidence;
  // The two-sided p falls as t grows: widen, then bisect to the last bit.
  double low = 0;
  double high = 1;
  while (student_t_two_sided_p_value(high, df) > alpha && high < 1e300) {
    low = high;
    high *= 2;
  }
  for (int step = 0; step < 2000; ++step) {
    const double middle = low + (high - low) / 2;
    if (middle <= low || middle >= high) break;
    if (student_t_two_sided_p_value(middle, df) > alpha) {
      low = middle;
    } else {
      high = middle;
    }
  }
  return high;
}

result<rating_summary> summarize_ratings(const rating_tally& value, double confidence) {
  const status valid = check_confidence(confidence);
  if (!valid) return valid.error();
  rating_summary out;
  out.metric = value.metric();
  out.confidence = confidence;
  out.n = value.n();
  out.histogram = value.histogram();
  out.top = value.top();
  if (out.n == 0) return out;

  const double count = static_cast<double>(out.n);
  out.share = static_cast<double>(out.top) / count * 100;
  out.share_interval = wilson_interval(out.top, out.n, confidence).value();
  out.mean = mean_of(value);
  if (out.n < 2) return out;

  out.sd = std::sqrt(variance_of(value, *out.mean));
  const double se = *out.sd / std::sqrt(count);
  const double t = t_for_confidence(confidence, count - 1).value();
  const rating_scale scale = scale_of(value.metric());
  rating_interval interval;
  interval.se = se;
  interval.low = std::max<double>(scale.low, *out.mean - t * se);
  interval.high = std::min<double>(scale.high, *out.mean + t * se);
  out.mean_interval = interval;
  return out;
}

result<rating_test> compare_shares(const rating_tally& a, const rating_tally& b) {
  const status same = check_same_metric(a, b);
  if (!same) return same.error();
  const std::optional<error> too_small =
      first_error(check_group_size(a, 1, "a", "the two-proportion test"),
                  check_group_size(b, 1, "b", "the two-proportion test"));
  if (too_small) return *too_small;
  const double n_a = static_cast<double>(a.n());
  const double n_b = static_cast<double>(b.n());
  const double pooled = static_cast<double>(a.top() + b.top()) / (n_a + n_b);
  rating_test test;
  test.diff = (static_cast<double>(a.top()) / n_a - static_cast<double>(b.top()) / n_b) * 100;
  test.se = std::sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b)) * 100;
  finish_test(test);
  test.p_value = two_sided_p_value(test.statistic);
  if (std::isnan(test.statistic)) test.p_value = not_a_number;
  return test;
}

result<rating_test> compare_means(const rating_tally& a, const rating_tally& b) {
  const status same = check_same_metric(a, b);
  if (!same) return same.error();
  const std::optional<error> too_small = first_error(check_group_size(a, 2, "a", "Welch's t test"),
                                                     check_group_size(b, 2, "b", "Welch's t test"));
  if (too_small) return *too_small;
  const double n_a = static_cast<double>(a.n());
  const double n_b = static_cast<double>(b.n());
  const double mean_a = mean_of(a);
  const double mean_b = mean_of(b);
  const double part_a = variance_of(a, mean_a) / n_a;
  const double part_b = variance_of(b, mean_b) / n_b;
  rating_test test;
  test.diff = mean_a - mean_b;
  test.se = std::sqrt(part_a + part_b);
  finish_test(test);
  if (test.se > 0) {
    // Welch-Satterthwaite.
    test.df = (part_a + part_b) * (part_a + part_b) /
              (part_a * part_a / (n_a - 1) + part_b * part_b / (n_b - 1));
    test.p_value = student_t_two_sided_p_value(test.statistic, *test.df);
  } else {
    test.p_value = test.statistic == 0 ? 1 : not_a_number;
  }
  return test;
}

bool is_significant(const rating_test& test, double confidence) {
  return test.se > 0 && test.p_value < 1 - confidence;
}

result<sample_size_plan> rating_share_sample_size(double margin_points, double confidence,
                                                  std::optional<double> expected_share) {
  if (!(margin_points > 0 && margin_points <= 100)) {
    return make_error(error_code::invalid_argument,
                      "margin " + number_text(margin_points) +
                          " is outside (0, 100]; expected percentage points such as 5");
  }
  const result<double> z = z_for_confidence(confidence);
  if (!z) return z.error();
  const result<double> p = expected_fraction(expected_share, "expected share");
  if (!p) return p.error();
  const double variance = p.value() * (1 - p.value());
  const double margin = margin_points / 100;
  const result<std::uint64_t> n = round_up(z.value() * z.value() * variance / (margin * margin),
                                           "margin " + number_text(margin_points));
  if (!n) return n.error();
  sample_size_plan plan{std::max<std::uint64_t>(1, n.value()), variance, z.value()};
  plan.half_width = z.value() * std::sqrt(variance / static_cast<double>(plan.n)) * 100;
  return plan;
}

result<sample_size_plan> rating_mean_sample_size(rating_metric metric, double margin,
                                                 double confidence,
                                                 std::optional<double> expected_sd) {
  const rating_scale scale = scale_of(metric);
  const double range = scale.high - scale.low;
  if (!(margin > 0 && margin <= range)) {
    return make_error(error_code::invalid_argument,
                      "margin " + number_text(margin) + " is outside (0, " + number_text(range) +
                          "]; expected " + to_string(metric) + " points such as 0.1");
  }
  const result<double> z = z_for_confidence(confidence);
  if (!z) return z.error();
  const result<double> sd = expected_deviation(metric, expected_sd);
  if (!sd) return sd.error();
  const auto half_width = [&](std::uint64_t n) {
    const double count = static_cast<double>(n);
    return t_for_confidence(confidence, count - 1).value() * sd.value() / std::sqrt(count);
  };
  // t_(n-1) / sqrt(n) falls as n grows: the normal plan is a lower bound;
  // double past it, then bisect to the smallest n that is narrow enough.
  const double ratio = z.value() * sd.value() / margin;
  const result<std::uint64_t> start =
      round_up(ratio * ratio, "margin " + number_text(margin) + " on " + to_string(metric));
  if (!start) return start.error();
  std::uint64_t low = std::max<std::uint64_t>(1, start.value() > 0 ? start.value() - 1 : 0);
  std::uint64_t high = std::max<std::uint64_t>(2, start.value());
  while (half_width(high) > margin) {
    low = high;
    if (high > max_answers / 2) {
      return make_error(error_code::invalid_argument,
                        "margin " + number_text(margin) + " needs more than 2^53 answers");
    }
    high *= 2;
  }
  while (high - low > 1) {
    const std::uint64_t middle = low + (high - low) / 2;
    if (middle >= 2 && half_width(middle) <= margin) {
      high = middle;
    } else {
      low = middle;
    }
  }
  sample_size_plan plan{high, sd.value() * sd.value(), z.value()};
  plan.half_width = half_width(high);
  return plan;
}

result<sample_size_plan> rating_share_difference_sample_size(
    double diff_points, double confidence, double power, std::optional<double> expected_share_a,
    std::optional<double> expected_share_b) {
  if (!(diff_points > 0 && diff_points <= 100)) {
    return make_error(error_code::invalid_argument,
                      "difference " + number_text(diff_points) +
                          " is outside (0, 100]; expected percentage points such as 10");
  }
  const result<double> z_alpha = z_for_confidence(confidence);
  if (!z_alpha) return z_alpha.error();
  const result<double> z_power = power_quantile(power);
  if (!z_power) return z_power.error();
  const result<double> p_a = expected_fraction(expected_share_a, "expected share of group a");
  if (!p_a) return p_a.error();
  const result<double> p_b = expected_fraction(expected_share_b, "expected share of group b");
  if (!p_b) return p_b.error();
  const double z = z_alpha.value() + z_power.value();
  const double variance = p_a.value() * (1 - p_a.value()) + p_b.value() * (1 - p_b.value());
  const double difference = diff_points / 100;
  const result<std::uint64_t> n = round_up(z * z * variance / (difference * difference),
                                           "difference " + number_text(diff_points));
  if (!n) return n.error();
  return sample_size_plan{n.value(), variance, z};
}

result<sample_size_plan> rating_mean_difference_sample_size(rating_metric metric, double diff,
                                                            double confidence, double power,
                                                            std::optional<double> expected_sd) {
  const rating_scale scale = scale_of(metric);
  const double range = scale.high - scale.low;
  if (!(diff > 0 && diff <= range)) {
    return make_error(error_code::invalid_argument,
                      "difference " + number_text(diff) + " is outside (0, " + number_text(range) +
                          "]; expected " + to_string(metric) + " points such as 0.3");
  }
  const result<double> z_alpha = z_for_confidence(confidence);
  if (!z_alpha) return z_alpha.error();
  const result<double> z_power = power_quantile(power);
  if (!z_power) return z_power.error();
  const result<double> sd = expected_deviation(metric, expected_sd);
  if (!sd) return sd.error();
  const double z = z_alpha.value() + z_power.value();
  const double variance = 2 * sd.value() * sd.value();
  const result<std::uint64_t> n =
      round_up(z * z * variance / (diff * diff), "difference " + number_text(diff));
  if (!n) return n.error();
  return sample_size_plan{std::max<std::uint64_t>(2, n.value()), variance, z};
}

}  // namespace npskit
