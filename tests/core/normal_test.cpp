#include "npskit/normal.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace {

using npskit::error_code;

// Reference values computed to 20 significant digits with arbitrary-precision
// arithmetic (mpmath) for the exact double given as input.
struct reference {
  double input;
  double expected;
};

void expect_relative(double actual, double expected, double tolerance) {
  if (expected == 0) {
    EXPECT_EQ(actual, 0.0);
    return;
  }
  EXPECT_LE(std::fabs(actual - expected) / std::fabs(expected), tolerance)
      << "actual " << actual << ", expected " << expected;
}

TEST(NormalQuantile, MatchesHighPrecisionValuesIncludingFarTails) {
  const reference cases[] = {
      {1e-300, -37.047096299361199237},
      {1e-100, -21.273453560965324294},
      {1e-20, -9.2623400897984075796},
      {1e-10, -6.3613409024040561991},
      {1e-05, -4.2648907939228246102},
      {0.001, -3.0902323061678135354},
      {0.01, -2.3263478740408410931},
      {0.025, -1.9599639845400542118},
      {0.1, -1.2815515655446004353},
      {0.2, -0.84162123357291416552},
      {0.3, -0.52440051270804081597},
      {0.45, -0.12566134685507400616},
      {0.5, 0.0},
      {0.6, 0.25334710313579974132},
      {0.75, 0.6744897501960817432},
      {0.9, 1.2815515655446005935},
      {0.975, 1.9599639845400538556},
      {0.99, 2.3263478740408407676},
      {0.999, 3.0902323061678132778},
      {1 - 1e-10, 6.3613408896974218642},
      {1 - std::ldexp(1.0, -53), 8.2095361516013868556},
  };
  for (const reference& item : cases) {
    SCOPED_TRACE(item.input);
    const auto quantile = npskit::normal_quantile(item.input);
    ASSERT_TRUE(quantile.has_value()) << quantile.error().message;
    expect_relative(quantile.value(), item.expected, 1e-14);
  }
}

TEST(NormalQuantile, InvertsTheCdfAcrossTheRange) {
  for (double exponent = -300; exponent <= -1; exponent += 0.5) {
    const double p = std::pow(10.0, exponent);
    SCOPED_TRACE(p);
    const auto lower = npskit::normal_quantile(p);
    ASSERT_TRUE(lower.has_value());
    expect_relative(npskit::normal_cdf(lower.value()), p, 1e-12);
    // Symmetry: Phi^-1(1 - p) = -Phi^-1(tail), where tail is the exact
    // distance of the rounded 1 - p from 1.
    if (p > 1e-15) {
      const double complement = 1.0 - p;
      const double tail = 1.0 - complement;
      const auto upper = npskit::normal_quantile(complement);
      ASSERT_TRUE(upper.has_value());
      expect_relative(upper.value(), -npskit::normal_quantile(tail).value(), 1e-14);
    }
  }
}

TEST(NormalQuantile, RejectsProbabilitiesOutsideTheOpenUnitInterval) {
  const double bad[] = {0.0,
                        1.0,
                        -0.5,
                        1.5,
                        std::numeric_limits<double>::quiet_NaN(),
                        std::numeric_limits<double>::infinity()};
  for (const double p : bad) {
    const auto quantile = npskit::normal_quantile(p);
    ASSERT_FALSE(quantile.has_value()) << p;
    EXPECT_EQ(quantile.error().code, error_code::invalid_argument);
    EXPECT_NE(quantile.error().message.find("outside (0, 1)"), std::string::npos)
        << quantile.error().message;
  }
  EXPECT_EQ(npskit::normal_quantile(1.5).error().message.rfind("probability 1.5 ", 0), 0u);
}

TEST(NormalCdf, MatchesHighPrecisionValuesIncludingTheLowerTail) {
  const reference cases[] = {
      {-37.0, 5.7255712225245768225e-300}, {-30.0, 4.9067139271481870595e-198},
      {-20.0, 2.7536241186062336951e-89},  {-10.0, 7.619853024160526066e-24},
      {-5.0, 2.8665157187919391167e-7},    {-3.0, 0.0013498980316300945267},
      {-1.96, 0.024997895148220436213},    {-1.0, 0.15865525393145705141},
      {-0.5, 0.30853753872598689636},      {0.0, 0.5},
      {0.5, 0.69146246127401310364},       {1.0, 0.84134474606854294859},
      {1.96, 0.97500210485177956379},      {3.0, 0.99865010196836990547},
      {5.0, 0.99999971334842812081},       {8.0, 0.9999999999999993779},
  };
  // Far in the tail the relative error grows like x^2 ulp because x / sqrt 2
  // is rounded before erfc sees it; at x = -30 that is about 1e-13.
  for (const reference& item : cases) {
    SCOPED_TRACE(item.input);
    expect_relative(npskit::normal_cdf(item.input), item.expected, 1e-12);
  }
}

TEST(NormalCdf, SaturatesAtTheEnds) {
  EXPECT_EQ(npskit::normal_cdf(-std::numeric_limits<double>::infinity()), 0.0);
  EXPECT_EQ(npskit::normal_cdf(std::numeric_limits<double>::infinity()), 1.0);
  EXPECT_EQ(npskit::normal_cdf(40.0), 1.0);
  EXPECT_GE(npskit::normal_cdf(-40.0), 0.0);
}

TEST(ZForConfidence, GivesTheKnownCriticalValues) {
  // Values for the decimal levels; the double nearest 0.95 is 4e-17 below
  // 0.95, which moves z by about 4e-16.
  EXPECT_NEAR(npskit::z_for_confidence(0.95).value(), 1.959963984540054, 1e-15);
  EXPECT_NEAR(npskit::z_for_confidence(0.90).value(), 1.6448536269514727149, 1e-15);
  EXPECT_NEAR(npskit::z_for_confidence(0.99).value(), 2.575829303548900761, 1e-15);
  EXPECT_NEAR(npskit::z_for_confidence(0.999).value(), 3.2905267314918947932, 1e-15);
  EXPECT_NEAR(npskit::z_for_confidence(0.80).value(), 1.281551565544600467, 1e-15);
  EXPECT_NEAR(npskit::z_for_confidence(0.5).value(), 0.6744897501960817432, 1e-15);
}

TEST(ZForConfidence, KeepsRelativePrecisionForTinyLevels) {
  expect_relative(npskit::z_for_confidence(1e-20).value(), 1.2533141373155001825e-20, 1e-14);
}

TEST(ZForConfidence, GrowsWithTheLevel) {
  double previous = 0;
  for (double level = 0.01; level < 1.0; level += 0.01) {
    const double z = npskit::z_for_confidence(level).value();
    EXPECT_GT(z, previous) << level;
    previous = z;
  }
}

TEST(ZForConfidence, RejectsLevelsOutsideTheOpenUnitIntervalNamingThem) {
  const double bad[] = {0.0, 1.0, 95.0, -0.95, std::numeric_limits<double>::quiet_NaN()};
  for (const double level : bad) {
    const auto z = npskit::z_for_confidence(level);
    ASSERT_FALSE(z.has_value()) << level;
    EXPECT_EQ(z.error().code, error_code::invalid_confidence);
  }
  EXPECT_EQ(npskit::z_for_confidence(95.0).error().message,
            "confidence 95 is outside (0, 1); expected a fraction such as 0.95");
  // The exact value is echoed, not a rounded one that looks valid.
  EXPECT_NE(npskit::z_for_confidence(1.0000000000000002).error().message.find("1.0000000000000002"),
            std::string::npos);
}

TEST(TwoSidedPValue, MatchesHighPrecisionValuesWithoutCancellation) {
  EXPECT_EQ(npskit::two_sided_p_value(0.0), 1.0);
  expect_relative(npskit::two_sided_p_value(1.0), 0.31731050786291410283, 1e-14);
  expect_relative(npskit::two_sided_p_value(1.959963984540054), 0.050000000000000021752, 1e-14);
  expect_relative(npskit::two_sided_p_value(-3.0), 0.0026997960632601890533, 1e-14);
  // 2 * (1 - Phi(10)) would be exactly 0 in double.
  expect_relative(npskit::two_sided_p_value(10.0), 1.5239706048321052132e-23, 1e-13);
  expect_relative(npskit::two_sided_p_value(37.0), 1.1451142445049153645e-299, 1e-13);
  EXPECT_EQ(npskit::two_sided_p_value(std::numeric_limits<double>::infinity()), 0.0);
}

TEST(TwoSidedPValue, IsSymmetricInZ) {
  for (double z = 0; z < 8; z += 0.25) {
    EXPECT_EQ(npskit::two_sided_p_value(z), npskit::two_sided_p_value(-z)) << z;
  }
}

}  // namespace
