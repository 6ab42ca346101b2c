// The core's own logarithm and exponential against the C library's: they exist
// so that every build prints the same digits, and must be as accurate.
#include "reproducible_math.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace {

using npskit::detail::reproducible_exp;
using npskit::detail::reproducible_log;

double relative_error(double actual, double expected) {
  if (actual == expected) return 0;
  return std::fabs(actual - expected) / std::fabs(expected);
}

// A deterministic spread of doubles over the whole positive range: random
// bit patterns, so every exponent and mantissa is visited.
double positive_double_from(std::uint64_t& state) {
  state = state * 6364136223846793005ULL + 1442695040888963407ULL;
  std::uint64_t bits = state >> 1;  // sign bit clear
  double value = 0;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

TEST(ReproducibleLog, AgreesWithTheCLibraryOverTheWholeRange) {
  std::uint64_t state = 42;
  int checked = 0;
  for (int i = 0; i < 200000; ++i) {
    const double x = positive_double_from(state);
    if (!std::isfinite(x) || x == 0) continue;
    const double expected = std::log(x);
    ASSERT_LE(relative_error(reproducible_log(x), expected), 1e-14) << "x = " << x;
    ++checked;
  }
  EXPECT_GT(checked, 190000);
}

TEST(ReproducibleLog, IsAccurateNearOneWhereTheResultIsSmall) {
  for (double delta = 1e-300; delta < 0.5; delta *= 1.37) {
    for (const double x : {1.0 + delta, 1.0 - delta}) {
      if (x == 1.0) continue;
      ASSERT_LE(relative_error(reproducible_log(x), std::log(x)), 1e-14) << "x = 1 +- " << delta;
    }
  }
  EXPECT_EQ(reproducible_log(1.0), 0.0);
}

TEST(ReproducibleLog, ProbabilitiesTheQuantileAsksFor) {
  // The normal quantile takes ln of tail probabilities from 1e-300 to 0.5.
  for (double p = 1e-300; p <= 0.5; p *= 1.0123) {
    ASSERT_LE(relative_error(reproducible_log(p), std::log(p)), 1e-14) << "p = " << p;
  }
  EXPECT_LE(relative_error(reproducible_log(std::numeric_limits<double>::denorm_min()),
                           std::log(std::numeric_limits<double>::denorm_min())),
            1e-14);
  EXPECT_LE(relative_error(reproducible_log(std::numeric_limits<double>::max()),
                           std::log(std::numeric_limits<double>::max())),
            1e-14);
}

TEST(ReproducibleLog, EdgesOfTheDomain) {
  EXPECT_EQ(reproducible_log(0.0), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(reproducible_log(std::numeric_limits<double>::infinity()),
            std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(reproducible_log(-1.0)));
  EXPECT_TRUE(std::isnan(reproducible_log(std::numeric_limits<double>::quiet_NaN())));
  EXPECT_EQ(reproducible_log(2.0), std::log(2.0));
}

TEST(ReproducibleExp, AgreesWithTheCLibrary) {
  for (double x = -700; x <= 700; x += 0.0731) {
    ASSERT_LE(relative_error(reproducible_exp(x), std::exp(x)), 1e-14) << "x = " << x;
  }
  EXPECT_EQ(reproducible_exp(0.0), 1.0);
  EXPECT_EQ(reproducible_exp(800.0), std::numeric_limits<double>::infinity());
  EXPECT_EQ(reproducible_exp(-800.0), 0.0);
}

}  // namespace
