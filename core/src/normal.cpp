#include "npskit/normal.h"

#include <cmath>
#include <string>

#include "number_text.h"
#include "reproducible_math.h"

namespace npskit {
namespace {

using detail::number_text;
using detail::reproducible_exp;

double polynomial(const double (&coefficients)[8], double x) {
  double sum = coefficients[7];
  for (int i = 6; i >= 0; --i) sum = sum * x + coefficients[i];
  return sum;
}

// Wichura, "Algorithm AS 241: The percentage points of the normal
// distribution", Applied Statistics 37 (1988), PPND16: rational
// approximations with relative error below 1e-16 over the whole double range.
constexpr double central_numerator[8] = {3.3871328727963666080e0,  1.3314166789178437745e+2,
                                         1.9715909503065514427e+3, 1.3731693765509461125e+4,
                                         4.5921953931549871457e+4, 6.7265770927008700853e+4,
                                         3.3430575583588128105e+4, 2.5090809287301226727e+3};
constexpr double central_denominator[8] = {1.0,
                                           4.2313330701600911252e+1,
                                           6.8718700749205790830e+2,
                                           5.3941960214247511077e+3,
                                           2.1213794301586595867e+4,
                                           3.9307895800092710610e+4,
                                           2.8729085735721942674e+4,
                                           5.2264952788528545610e+3};
constexpr double intermediate_numerator[8] = {1.42343711074968357734e0,  4.63033784615654529590e0,
                                              5.76949722146069140550e0,  3.64784832476320460504e0,
                                              1.27045825245236838258e0,  2.41780725177450611770e-1,
                                              2.27238449892691845833e-2, 7.74545014278341407640e-4};
constexpr double intermediate_denominator[8] = {1.0,
                                                2.05319162663775882187e0,
                                                1.67638483018380384940e0,
                                                6.89767334985100004550e-1,
                                                1.48103976427480074590e-1,
                                                1.51986665636164571966e-2,
                                                5.47593808499534494600e-4,
                                                1.05075007164441684324e-9};
constexpr double tail_numerator[8] = {6.65790464350110377720e0,  5.46378491116411436990e0,
                                      1.78482653991729133580e0,  2.96560571828504891230e-1,
                                      2.65321895265761230930e-2, 1.24266094738807843860e-3,
                                      2.71155556874348757815e-5, 2.01033439929228813265e-7};
constexpr double tail_denominator[8] = {1.0,
                                        5.99832206555887937690e-1,
                                        1.36929880922735805310e-1,
                                        1.48753612908506148525e-2,
                                        7.86869131145613259100e-4,
                                        1.84631831751005468180e-5,
                                        1.42151175831644588870e-7,
                                        2.04426310338993978564e-15};

// Phi^-1 of the probability 0.5 + offset, whose distance to the nearer end
// is tail_probability. Callers pass both because each can often compute them
// exactly where p itself would round (tiny confidence levels, p near 1).
double quantile_from_parts(double offset, double tail_probability) {
  if (std::fabs(offset) <= 0.425) {
    const double r = 0.180625 - offset * offset;
    return offset * polynomial(central_numerator, r) / polynomial(central_denominator, r);
  }
  double r = std::sqrt(-detail::reproducible_log(tail_probability));
  double magnitude;
  if (r <= 5.0) {
    r -= 1.6;
    magnitude = polynomial(intermediate_numerator, r) / polynomial(intermediate_denominator, r);
  } else {
    r -= 5.0;
    magnitude = polynomial(tail_numerator, r) / polynomial(tail_denominator, r);
  }
  return offset < 0 ? -magnitude : magnitude;
}

// erfc from +, -, *, /, sqrt and reproducible_exp (see reproducible_math.h):
// the command line and the browser must print the same p-values.

// e^(-x^2) without the rounding error of x * x, which e^ would magnify up to
// 1e-13 near x = 26: x = s + t with s holding the top 26 significant bits,
// so s * s is exact and e^(-x^2) = e^(-s^2) * e^(-t (x + s)).
double exp_of_minus_square(double x) {
  int exponent = 0;
  const double mantissa = std::frexp(x, &exponent);
  const double head = std::ldexp(std::floor(std::ldexp(mantissa, 26)), exponent - 26);
  return reproducible_exp(-head * head) * reproducible_exp((head - x) * (head + x));
}

// erfc(x) for x >= 0, relative error below 5e-15 down to 1e-307. Below 1:
// 1 - erf(x), with erf(x) = 2 / sqrt(pi) e^(-x^2) sum 2^n x^(2n+1) / (2n+1)!!,
// a series of positive terms (no cancellation). From 1 on: Laplace's
// continued fraction erfc(x) = e^(-x^2) / sqrt(pi) / (x + (1/2) / (x + 1 /
// (x + (3/2) / (x + ...)))), by the modified Lentz method (under 230 terms).
double erfc_of_nonnegative(double x) {
  constexpr double inverse_sqrt_pi = 0.56418958354775628695;
  if (x < 1.0) {
    const double twice_square = 2.0 * x * x;
    double term = x;
    double sum = x;
    for (int n = 1;; ++n) {
      term = term * twice_square / (2 * n + 1);
      const double next = sum + term;
      if (next == sum) break;
      sum = next;
    }
    return 1.0 - 2.0 * inverse_sqrt_pi * exp_of_minus_square(x) * sum;
  }
  if (std::isinf(x)) return 0.0;
  constexpr double tiny = 1e-300;
  double fraction = x;
  double c = x;
  double d = 0.0;
  for (int n = 1; n < 1000; ++n) {
    const double a = n / 2.0;
    d = x + a * d;
    if (d == 0.0) d = tiny;
    c = x + a / c;
    if (c == 0.0) c = tiny;
    d = 1.0 / d;
    const double step = c * d;
    fraction *= step;
    if (std::fabs(step - 1.0) < 1e-16) break;
  }
  return inverse_sqrt_pi * exp_of_minus_square(x) / fraction;
}

double reproducible_erfc(double x) {
  if (std::isnan(x)) return x;
  return x >= 0 ? erfc_of_nonnegative(x) : 2.0 - erfc_of_nonnegative(-x);
}

}  // namespace

double normal_cdf(double x) {
  // erfc keeps full relative precision in the lower tail, where
  // 0.5 * (1 + erf(x / sqrt 2)) would cancel to 0 long before underflow.
  return 0.5 * reproducible_erfc(-x / std::sqrt(2.0));
}

result<double> normal_quantile(double p) {
  if (!(p > 0.0 && p < 1.0)) {
    return make_error(error_code::invalid_argument,
                      "probability " + number_text(p) +
                          " is outside (0, 1); expected a number strictly between 0 and 1");
  }
  // 1 - p is exact for p >= 0.5, so the upper tail is as accurate as the
  // lower one.
  return quantile_from_parts(p - 0.5, p < 0.5 ? p : 1.0 - p);
}

result<double> z_for_confidence(double confidence) {
  if (!(confidence > 0.0 && confidence < 1.0)) {
    return make_error(error_code::invalid_confidence,
                      "confidence " + number_text(confidence) +
                          " is outside (0, 1); expected a fraction such as 0.95");
  }
  // c / 2 is exact at every level and (1 - c) / 2 is exact wherever the tail
  // branch needs it (c > 0.85), so neither tiny levels such as 1e-20 nor
  // levels close to 1 lose digits to rounding 0.5 + c / 2.
  return quantile_from_parts(confidence / 2.0, (1.0 - confidence) / 2.0);
}

double two_sided_p_value(double z) { return reproducible_erfc(std::fabs(z) / std::sqrt(2.0)); }

}  // namespace npskit
