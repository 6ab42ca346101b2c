// The standard normal distribution, to double precision (~1e-9 relative or
// better), needed for intervals and tests at any confidence level.
#ifndef NPSKIT_NORMAL_H
#define NPSKIT_NORMAL_H

#include "npskit/result.h"

namespace npskit {

// Phi(x): P(Z <= x) for a standard normal Z.
double normal_cdf(double x);

// Phi^-1(p) for p in (0, 1); error for p outside (0, 1) or NaN.
result<double> normal_quantile(double p);

// Two-sided critical value for a confidence level in (0, 1):
// 0.95 -> 1.959963984540054. Error names the bad level.
result<double> z_for_confidence(double confidence);

// Two-sided p-value 2 * (1 - Phi(|z|)), computed without cancellation.
double two_sided_p_value(double z);

}  // namespace npskit

#endif  // NPSKIT_NORMAL_H
