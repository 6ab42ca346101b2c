#include "reproducible_math.h"

#include <cmath>
#include <limits>

namespace npskit::detail {

// Cody-Waite reduction x = k ln 2 + r, |r| <= ln(2) / 2, and the Taylor
// series of e^r (17 terms: the remainder is below 1e-21).
double reproducible_exp(double x) {
  if (std::isnan(x)) return x;
  if (x > 709.78) return std::numeric_limits<double>::infinity();
  if (x < -745.2) return 0.0;
  constexpr double log2_e = 1.4426950408889634;
  // ln 2 split so that k * ln2_high is exact for every k in range.
  constexpr double ln2_high = 6.93147180369123816490e-01;
  constexpr double ln2_low = 1.90821492927058770002e-10;
  const double k = std::floor(x * log2_e + 0.5);
  const double r = (x - k * ln2_high) - k * ln2_low;
  double sum = 1.0;
  for (int n = 17; n >= 1; --n) sum = 1.0 + r / n * sum;
  const int exponent = static_cast<int>(k);
  // Scaling by a power of two is exact down to the subnormal range; below it,
  // one final multiplication rounds, the same on every target.
  if (exponent < -1000) return std::ldexp(sum, exponent + 1000) * 0x1p-1000;
  return std::ldexp(sum, exponent);
}

// x = 2^k m with m in [sqrt(1/2), sqrt(2)) (frexp is exact), so
// ln x = k ln 2 + ln(1 + f) with f = m - 1 exact (Sterbenz) and |f| < 0.415.
// With s = f / (2 + f), ln(1 + f) = 2 atanh(s) = 2s + 2s^3/3 + 2s^5/5 + ...,
// rearranged as in fdlibm's log so that the exact f carries the leading term:
//   ln(1 + f) = f - f^2/2 + s (f^2/2 + R),  R = sum_{j>=1} 2 s^(2j) / (2j + 1).
// |s| <= 0.1716, so 14 terms of R leave a remainder below 1e-22.
double reproducible_log(double x) {
  if (std::isnan(x) || x < 0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) return -std::numeric_limits<double>::infinity();
  if (std::isinf(x)) return x;
  int exponent = 0;
  double mantissa = std::frexp(x, &exponent);
  constexpr double sqrt_half = 0.70710678118654752440;
  if (mantissa < sqrt_half) {
    mantissa *= 2.0;
    --exponent;
  }
  const double f = mantissa - 1.0;
  const double s = f / (2.0 + f);
  const double z = s * s;
  double r = 0.0;
  for (int j = 14; j >= 1; --j) r = z * (2.0 / (2 * j + 1) + r);
  const double half_square = 0.5 * f * f;
  const double k = exponent;
  constexpr double ln2_high = 6.93147180369123816490e-01;
  constexpr double ln2_low = 1.90821492927058770002e-10;
  return k * ln2_high - ((half_square - (s * (half_square + r) + k * ln2_low)) - f);
}

}  // namespace npskit::detail
