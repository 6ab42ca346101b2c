#include "npskit/stats.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "npskit/normal.h"
#include "npskit/tally.h"

namespace {

using nlohmann::json;
using npskit::counts;
using npskit::error_code;
using npskit::interval_method;

// Critical values for the decimal levels, to 20 digits.
constexpr double z90 = 1.6448536269514727149;
constexpr double z95 = 1.9599639845400542355;
constexpr double z99 = 2.575829303548900761;
constexpr double z_power_80 = 0.84162123357291416552;

// The vectors print 4 decimals (Tango 3): a correct value is within half a
// unit of the last printed digit.
constexpr double printed_4 = 0.5e-4 + 1e-9;
constexpr double printed_3 = 0.5e-3 + 1e-9;

json load_vectors() {
  const std::string path = std::string(NPSKIT_TEST_DATA_DIR) + "/nps_vectors.json";
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return json::parse(text.str(), nullptr, false);
}

// Missing or non-numeric fields fail the test instead of reading as 0.
double number_at(const json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_number()) {
    ADD_FAILURE() << "vector field \"" << key << "\" is missing or not a number";
    return std::numeric_limits<double>::quiet_NaN();
  }
  return found->get<double>();
}

double element(const json& array, std::size_t index) {
  if (!array.is_array() || index >= array.size() || !array[index].is_number()) {
    ADD_FAILURE() << "expected a number at index " << index << " of " << array.dump();
    return std::numeric_limits<double>::quiet_NaN();
  }
  return array[index].get<double>();
}

const json& member(const json& object, const char* key) {
  static const json missing;
  const auto found = object.find(key);
  if (found == object.end()) {
    ADD_FAILURE() << "vector field \"" << key << "\" is missing";
    return missing;
  }
  return *found;
}

std::uint64_t count_at(const json& value) {
  if (!value.is_number_unsigned()) {
    ADD_FAILURE() << "expected a count, got " << value.dump();
    return 0;
  }
  return value.get<std::uint64_t>();
}

counts counts_from_array(const json& array) {
  if (!array.is_array() || array.size() != 3) {
    ADD_FAILURE() << "expected [promoters, passives, detractors], got " << array.dump();
    return counts{};
  }
  return counts{count_at(array[0]), count_at(array[1]), count_at(array[2])};
}

npskit::interval interval_or_fail(const counts& value, interval_method method, double confidence) {
  const auto computed = npskit::compute_interval(value, method, confidence);
  if (!computed) {
    ADD_FAILURE() << computed.error().message;
    return npskit::interval{};
  }
  return computed.value();
}

double clip(double points) { return std::min(100.0, std::max(-100.0, points)); }

TEST(StatsVectors, FileHoldsSingleGroupAndPairVectors) {
  const json vectors = load_vectors();
  ASSERT_FALSE(vectors.is_discarded()) << "tests/data/nps_vectors.json is not valid JSON";
  const auto list = vectors.find("vectors");
  ASSERT_TRUE(list != vectors.end() && list->is_array());
  int singles = 0;
  int pairs = 0;
  for (const json& vector : *list) {
    if (vector.contains("pro")) ++singles;
    if (vector.contains("a")) ++pairs;
  }
  EXPECT_EQ(singles, 5);
  EXPECT_EQ(pairs, 3);
}

TEST(StatsVectors, SingleGroupStatisticsMatchEveryVector) {
  const json vectors = load_vectors();
  ASSERT_FALSE(vectors.is_discarded());
  for (const json& vector : member(vectors, "vectors")) {
    if (!vector.contains("pro")) continue;
    const std::string id = vector.value("id", std::string("?"));
    SCOPED_TRACE("vector " + id);
    const counts value{count_at(member(vector, "pro")), count_at(member(vector, "pas")),
                       count_at(member(vector, "det"))};
    EXPECT_EQ(static_cast<double>(value.n()), number_at(vector, "n"));
    EXPECT_NEAR(npskit::nps(value), number_at(vector, "nps"), printed_4);
    EXPECT_NEAR(npskit::unit_variance(value), number_at(vector, "var_unit"), printed_4);
    EXPECT_NEAR(npskit::standard_error(value), number_at(vector, "se"), printed_4);

    const npskit::interval wald = interval_or_fail(value, interval_method::wald, 0.95);
    const json& wald_expected = member(vector, "wald95");
    EXPECT_NEAR(wald.low, element(wald_expected, 0), printed_4);
    EXPECT_NEAR(wald.high, element(wald_expected, 1), printed_4);
    EXPECT_NEAR(wald.se, number_at(vector, "se"), printed_4);
    EXPECT_EQ(wald.method, interval_method::wald);
    EXPECT_EQ(wald.confidence, 0.95);

    const json& adjusted_expected = member(vector, "adjwald95");
    const npskit::adjusted_estimate adjusted = npskit::adjusted_wald_estimate(value);
    EXPECT_NEAR(adjusted.nps, number_at(adjusted_expected, "nps_adj"), printed_4);
    EXPECT_NEAR(adjusted.se, number_at(adjusted_expected, "se_adj"), printed_4);
    EXPECT_EQ(adjusted.n, static_cast<double>(value.n()) + 3);
    const npskit::interval adjusted_interval =
        interval_or_fail(value, interval_method::adjusted_wald, 0.95);
    const json& adjusted_ci = member(adjusted_expected, "ci");
    EXPECT_NEAR(adjusted_interval.low, clip(element(adjusted_ci, 0)), printed_4);
    EXPECT_NEAR(adjusted_interval.high, clip(element(adjusted_ci, 1)), printed_4);
    EXPECT_NEAR(adjusted_interval.se, number_at(adjusted_expected, "se_adj"), printed_4);
    EXPECT_EQ(adjusted_interval.method, interval_method::adjusted_wald);

    const npskit::interval tango = interval_or_fail(value, interval_method::tango, 0.95);
    const json& tango_expected = member(vector, "tango95");
    EXPECT_NEAR(tango.low, element(tango_expected, 0), printed_3);
    EXPECT_NEAR(tango.high, element(tango_expected, 1), printed_3);
    // Tango reports the Wald SE for reference.
    EXPECT_NEAR(tango.se, number_at(vector, "se"), printed_4);
    EXPECT_EQ(tango.method, interval_method::tango);
  }
}

TEST(StatsVectors, PairComparisonsMatchEveryVector) {
  const json vectors = load_vectors();
  ASSERT_FALSE(vectors.is_discarded());
  for (const json& vector : member(vectors, "vectors")) {
    if (!vector.contains("a")) continue;
    const std::string id = vector.value("id", std::string("?"));
    SCOPED_TRACE("vector " + id);
    const counts a = counts_from_array(member(vector, "a"));
    const counts b = counts_from_array(member(vector, "b"));
    EXPECT_NEAR(npskit::nps(a), number_at(vector, "nps_a"), printed_4);
    EXPECT_NEAR(npskit::nps(b), number_at(vector, "nps_b"), printed_4);
    const std::pair<const char*, interval_method> variants[] = {
        {"wald", interval_method::wald}, {"adjwald", interval_method::adjusted_wald}};
    for (const auto& [key, method] : variants) {
      SCOPED_TRACE(key);
      const json& expected = member(vector, key);
      const auto compared = npskit::compare_groups(a, b, method);
      ASSERT_TRUE(compared.has_value()) << compared.error().message;
      EXPECT_EQ(compared->method, method);
      // diff is the plain difference of the scores; the adjusted-Wald test
      // works on the adjusted estimates, whose difference is adjusted_diff.
      EXPECT_EQ(compared->diff, npskit::nps(a) - npskit::nps(b));
      EXPECT_EQ(compared->adjusted_diff.has_value(), method == interval_method::adjusted_wald);
      EXPECT_NEAR(compared->adjusted_diff.value_or(compared->diff), number_at(expected, "diff"),
                  printed_4);
      EXPECT_NEAR(compared->se, number_at(expected, "se"), printed_4);
      EXPECT_NEAR(compared->z, number_at(expected, "z"), printed_4);
      EXPECT_NEAR(compared->p_value, number_at(expected, "p2"), printed_4);
    }
  }
}

TEST(Intervals, WithoutAnswersWaldAndTangoSpanTheScaleAndAdjustedWaldStaysDefined) {
  const counts none{};
  EXPECT_EQ(npskit::unit_variance(none), 0.0);
  EXPECT_EQ(npskit::standard_error(none), 0.0);
  for (const interval_method method : {interval_method::wald, interval_method::tango}) {
    const npskit::interval result = interval_or_fail(none, method, 0.95);
    EXPECT_EQ(result.low, -100.0);
    EXPECT_EQ(result.high, 100.0);
    EXPECT_EQ(result.se, 0.0);
  }
  // n' = 3, p' = d' = 0.25: V' = 0.5, centred on 0.
  const npskit::interval adjusted = interval_or_fail(none, interval_method::adjusted_wald, 0.95);
  const double se = 100 * std::sqrt(0.5 / 3);
  EXPECT_NEAR(adjusted.se, se, 1e-12);
  EXPECT_NEAR(adjusted.low, -z95 * se, 1e-12);
  EXPECT_NEAR(adjusted.high, z95 * se, 1e-12);
}

TEST(Intervals, OneCategoryGivesAZeroWaldErrorButNotAZeroAdjustedOne) {
  for (const std::uint64_t n : {std::uint64_t{1}, std::uint64_t{10}, std::uint64_t{1000}}) {
    SCOPED_TRACE(n);
    const counts promoters{n, 0, 0};
    const counts passives{0, n, 0};
    const counts detractors{0, 0, n};

    const npskit::interval wald_promoters =
        interval_or_fail(promoters, interval_method::wald, 0.95);
    EXPECT_EQ(wald_promoters.se, 0.0);
    EXPECT_EQ(wald_promoters.low, 100.0);
    EXPECT_EQ(wald_promoters.high, 100.0);
    const npskit::interval wald_passives = interval_or_fail(passives, interval_method::wald, 0.95);
    EXPECT_EQ(wald_passives.se, 0.0);
    EXPECT_EQ(wald_passives.low, 0.0);
    EXPECT_EQ(wald_passives.high, 0.0);

    // n' = n + 3, p' = (n + 0.75) / n', d' = 0.75 / n'.
    const double n_adjusted = static_cast<double>(n) + 3;
    const double p = (static_cast<double>(n) + 0.75) / n_adjusted;
    const double d = 0.75 / n_adjusted;
    const double se = 100 * std::sqrt((p + d - (p - d) * (p - d)) / n_adjusted);
    const npskit::interval adjusted =
        interval_or_fail(promoters, interval_method::adjusted_wald, 0.95);
    EXPECT_GT(adjusted.se, 0.0);
    EXPECT_NEAR(adjusted.se, se, 1e-9);
    EXPECT_NEAR(adjusted.low, 100 * (p - d) - z95 * se, 1e-9);
    EXPECT_NEAR(adjusted.high, std::min(100.0, 100 * (p - d) + z95 * se), 1e-9);
    EXPECT_LE(adjusted.high, 100.0);
    const npskit::interval adjusted_passives =
        interval_or_fail(passives, interval_method::adjusted_wald, 0.95);
    EXPECT_GT(adjusted_passives.se, 0.0);
    EXPECT_LT(adjusted_passives.low, 0.0);
    EXPECT_GT(adjusted_passives.high, 0.0);

    // Tango in closed form: all promoters T = sqrt(n (1 - delta) / (1 + delta)),
    // so the lower bound is (n - z^2) / (n + z^2); all passives T = -sqrt(n
    // delta / (1 - delta)) above 0, so the bounds are +-z^2 / (n + z^2).
    const double nd = static_cast<double>(n);
    const double z2 = z95 * z95;
    const npskit::interval tango_promoters =
        interval_or_fail(promoters, interval_method::tango, 0.95);
    EXPECT_NEAR(tango_promoters.low, 100 * (nd - z2) / (nd + z2), 1e-9);
    EXPECT_EQ(tango_promoters.high, 100.0);
    const npskit::interval tango_detractors =
        interval_or_fail(detractors, interval_method::tango, 0.95);
    EXPECT_EQ(tango_detractors.low, -100.0);
    EXPECT_NEAR(tango_detractors.high, -100 * (nd - z2) / (nd + z2), 1e-9);
    const npskit::interval tango_passives =
        interval_or_fail(passives, interval_method::tango, 0.95);
    EXPECT_NEAR(tango_passives.low, -100 * z2 / (nd + z2), 1e-9);
    EXPECT_NEAR(tango_passives.high, 100 * z2 / (nd + z2), 1e-9);
  }
}

TEST(Intervals, OneAnswerGivesSaneBounds) {
  for (const interval_method method :
       {interval_method::wald, interval_method::adjusted_wald, interval_method::tango}) {
    for (const counts& one : {counts{1, 0, 0}, counts{0, 1, 0}, counts{0, 0, 1}}) {
      const npskit::interval result = interval_or_fail(one, method, 0.95);
      EXPECT_TRUE(std::isfinite(result.low) && std::isfinite(result.high));
      EXPECT_GE(result.low, -100.0);
      EXPECT_LE(result.high, 100.0);
      EXPECT_LE(result.low, result.high);
      if (method != interval_method::adjusted_wald) {
        EXPECT_LE(result.low, npskit::nps(one));
        EXPECT_GE(result.high, npskit::nps(one));
      }
    }
  }
}

TEST(Intervals, MirrorWhenPromotersAndDetractorsSwap) {
  const counts cases[] = {{50, 30, 20}, {3, 2, 1}, {0, 5, 20}, {7, 0, 1}, {1, 0, 0}};
  for (const interval_method method :
       {interval_method::wald, interval_method::adjusted_wald, interval_method::tango}) {
    for (const counts& value : cases) {
      const counts swapped{value.detractors, value.passives, value.promoters};
      const npskit::interval original = interval_or_fail(value, method, 0.9);
      const npskit::interval mirrored = interval_or_fail(swapped, method, 0.9);
      EXPECT_NEAR(original.low, -mirrored.high, 1e-9);
      EXPECT_NEAR(original.high, -mirrored.low, 1e-9);
      EXPECT_NEAR(original.se, mirrored.se, 1e-12);
    }
  }
}

TEST(Intervals, UseTheRequestedConfidenceLevel) {
  const counts value{50, 30, 20};
  const double se = 100 * std::sqrt(0.61 / 100);
  const double adjusted_se = npskit::adjusted_wald_estimate(value).se;
  const double adjusted_nps = npskit::adjusted_wald_estimate(value).nps;
  const std::pair<double, double> levels[] = {{0.90, z90}, {0.95, z95}, {0.99, z99}};
  for (const auto& [confidence, z] : levels) {
    SCOPED_TRACE(confidence);
    const npskit::interval wald = interval_or_fail(value, interval_method::wald, confidence);
    EXPECT_EQ(wald.confidence, confidence);
    EXPECT_NEAR(wald.low, 30 - z * se, 1e-9);
    EXPECT_NEAR(wald.high, 30 + z * se, 1e-9);
    const npskit::interval adjusted =
        interval_or_fail(value, interval_method::adjusted_wald, confidence);
    EXPECT_NEAR(adjusted.low, adjusted_nps - z * adjusted_se, 1e-9);
    EXPECT_NEAR(adjusted.high, adjusted_nps + z * adjusted_se, 1e-9);
  }
}

TEST(Intervals, NestAsTheConfidenceGrows) {
  const counts cases[] = {{50, 30, 20}, {3, 2, 1}, {0, 5, 20}, {4500, 3500, 2000}, {2, 0, 0}};
  for (const interval_method method :
       {interval_method::wald, interval_method::adjusted_wald, interval_method::tango}) {
    for (const counts& value : cases) {
      double previous_low = std::numeric_limits<double>::infinity();
      double previous_high = -std::numeric_limits<double>::infinity();
      for (const double confidence : {0.5, 0.8, 0.9, 0.95, 0.99, 0.999}) {
        const npskit::interval result = interval_or_fail(value, method, confidence);
        EXPECT_LE(result.low, previous_low) << npskit::to_string(method) << " " << confidence;
        EXPECT_GE(result.high, previous_high) << npskit::to_string(method) << " " << confidence;
        previous_low = result.low;
        previous_high = result.high;
      }
    }
  }
}

TEST(Intervals, StayFiniteAndAgreeForCountsBeyondTwoToThe40) {
  // 50/30/20 scaled by 2^34: V stays 0.61 and every method shrinks to Wald.
  const std::uint64_t scale = std::uint64_t{1} << 34;
  const counts value{50 * scale, 30 * scale, 20 * scale};
  const double n = 100.0 * static_cast<double>(scale);
  EXPECT_NEAR(npskit::unit_variance(value), 0.61, 1e-15);
  const double se = 100 * std::sqrt(0.61 / n);
  EXPECT_NEAR(npskit::standard_error(value), se, se * 1e-12);
  for (const interval_method method :
       {interval_method::wald, interval_method::adjusted_wald, interval_method::tango}) {
    SCOPED_TRACE(npskit::to_string(method));
    const npskit::interval result = interval_or_fail(value, method, 0.95);
    EXPECT_NEAR(result.low, 30 - z95 * se, 1e-8);
    EXPECT_NEAR(result.high, 30 + z95 * se, 1e-8);
  }
}

TEST(Intervals, HandleCountsAroundTwoToThe31) {
  const std::uint64_t half = std::uint64_t{1} << 31;
  const counts value{half + 1, 12345, half - 1};
  const double n = static_cast<double>(value.n());
  const double p = static_cast<double>(half + 1) / n;
  const double d = static_cast<double>(half - 1) / n;
  const double se = 100 * std::sqrt((p + d - (p - d) * (p - d)) / n);
  EXPECT_NEAR(npskit::nps(value), 100 * 2 / n, 1e-15);
  EXPECT_NEAR(npskit::standard_error(value), se, se * 1e-12);
  for (const interval_method method :
       {interval_method::wald, interval_method::adjusted_wald, interval_method::tango}) {
    const npskit::interval result = interval_or_fail(value, method, 0.99);
    EXPECT_NEAR(result.high - result.low, 2 * z99 * se, 1e-6) << npskit::to_string(method);
  }
}

TEST(Intervals, RejectBadConfidenceAndUnknownMethods) {
  for (const double confidence : {0.0, 1.0, 95.0, -1.0, std::nan("")}) {
    const auto result =
        npskit::compute_interval(counts{5, 3, 2}, interval_method::wald, confidence);
    ASSERT_FALSE(result.has_value()) << confidence;
    EXPECT_EQ(result.error().code, error_code::invalid_confidence);
  }
  EXPECT_EQ(npskit::compute_interval(counts{5, 3, 2}, interval_method::tango, 1.5).error().message,
            "confidence 1.5 is outside (0, 1); expected a fraction such as 0.95");
  const auto unknown =
      npskit::compute_interval(counts{5, 3, 2}, static_cast<interval_method>(7), 0.95);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, error_code::invalid_argument);
}

TEST(IntervalMethod, ParsesNamesAndAliasesAndNamesTheUnknownOne) {
  EXPECT_EQ(npskit::parse_interval_method("wald").value(), interval_method::wald);
  EXPECT_EQ(npskit::parse_interval_method("adjusted-wald").value(), interval_method::adjusted_wald);
  EXPECT_EQ(npskit::parse_interval_method("adjusted_wald").value(), interval_method::adjusted_wald);
  EXPECT_EQ(npskit::parse_interval_method("adjwald").value(), interval_method::adjusted_wald);
  EXPECT_EQ(npskit::parse_interval_method("Tango").value(), interval_method::tango);
  const auto unknown = npskit::parse_interval_method("wilson");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, error_code::invalid_argument);
  EXPECT_EQ(unknown.error().message,
            "unknown interval method \"wilson\"; expected wald, adjusted-wald or tango");
  EXPECT_FALSE(npskit::parse_interval_method("").has_value());
  EXPECT_FALSE(npskit::parse_interval_method("wald ").has_value());
}

TEST(IntervalMethod, NamesRoundTrip) {
  for (const interval_method method :
       {interval_method::wald, interval_method::adjusted_wald, interval_method::tango}) {
    EXPECT_EQ(npskit::parse_interval_method(npskit::to_string(method)).value(), method);
  }
  EXPECT_STREQ(npskit::to_string(interval_method::adjusted_wald), "adjusted-wald");
}

TEST(CompareGroups, IsAntisymmetricInTheGroups) {
  const counts a{50, 30, 20};
  const counts b{40, 35, 25};
  for (const interval_method method : {interval_method::wald, interval_method::adjusted_wald}) {
    const auto forward = npskit::compare_groups(a, b, method);
    const auto backward = npskit::compare_groups(b, a, method);
    ASSERT_TRUE(forward && backward);
    EXPECT_DOUBLE_EQ(forward->diff, -backward->diff);
    EXPECT_DOUBLE_EQ(forward->z, -backward->z);
    EXPECT_DOUBLE_EQ(forward->p_value, backward->p_value);
    EXPECT_DOUBLE_EQ(forward->p_value, npskit::two_sided_p_value(forward->z));
  }
}

TEST(CompareGroups, IdenticalGroupsShowNoDifference) {
  const auto same = npskit::compare_groups(counts{5, 3, 2}, counts{5, 3, 2}, interval_method::wald);
  ASSERT_TRUE(same.has_value());
  EXPECT_EQ(same->diff, 0.0);
  EXPECT_EQ(same->z, 0.0);
  EXPECT_EQ(same->p_value, 1.0);
  // Both all promoters: the Wald SE is 0 but nothing differs either.
  const auto saturated =
      npskit::compare_groups(counts{4, 0, 0}, counts{9, 0, 0}, interval_method::wald);
  ASSERT_TRUE(saturated.has_value());
  EXPECT_EQ(saturated->se, 0.0);
  EXPECT_EQ(saturated->z, 0.0);
  EXPECT_EQ(saturated->p_value, 1.0);
}

TEST(CompareGroups, OppositeUnanimousGroupsHaveNoWaldTestAndAreNeverSignificantByIt) {
  const counts promoters{8, 0, 0};
  const counts detractors{0, 0, 8};
  const auto wald = npskit::compare_groups(promoters, detractors, interval_method::wald);
  ASSERT_TRUE(wald.has_value());
  EXPECT_EQ(wald->diff, 200.0);
  EXPECT_EQ(wald->se, 0.0);
  EXPECT_TRUE(std::isnan(wald->z));
  EXPECT_TRUE(std::isnan(wald->p_value));
  EXPECT_FALSE(npskit::is_significant(*wald, 0.95));
  const auto adjusted =
      npskit::compare_groups(promoters, detractors, interval_method::adjusted_wald);
  ASSERT_TRUE(adjusted.has_value());
  EXPECT_GT(adjusted->se, 0.0);
  EXPECT_TRUE(std::isfinite(adjusted->z));
  EXPECT_GT(adjusted->z, 0.0);
  EXPECT_LT(adjusted->p_value, 0.05);
  EXPECT_TRUE(npskit::is_significant(*adjusted, 0.95));
}

TEST(CompareGroups, SignificanceIsPBelowOneMinusConfidence) {
  const auto tested =
      npskit::compare_groups(counts{50, 30, 20}, counts{40, 35, 25}, interval_method::wald);
  ASSERT_TRUE(tested.has_value());
  // p is about 0.18: significant at 80%, not at 85% or 95%.
  ASSERT_GT(tested->p_value, 0.15);
  ASSERT_LT(tested->p_value, 0.195);
  EXPECT_TRUE(npskit::is_significant(*tested, 0.80));
  EXPECT_TRUE(npskit::is_significant(*tested, 1 - tested->p_value - 1e-9));
  EXPECT_FALSE(npskit::is_significant(*tested, 1 - tested->p_value + 1e-9));
  EXPECT_FALSE(npskit::is_significant(*tested, 0.85));
  EXPECT_FALSE(npskit::is_significant(*tested, 0.95));
}

TEST(CompareGroups, TestsTangoWithAdjustedWaldAndRejectsEmptyGroups) {
  EXPECT_EQ(npskit::test_method_for(interval_method::tango), interval_method::adjusted_wald);
  EXPECT_EQ(npskit::test_method_for(interval_method::wald), interval_method::wald);
  const auto tango =
      npskit::compare_groups(counts{5, 3, 2}, counts{4, 4, 2}, interval_method::tango);
  const auto adjusted =
      npskit::compare_groups(counts{5, 3, 2}, counts{4, 4, 2}, interval_method::adjusted_wald);
  ASSERT_TRUE(tango.has_value() && adjusted.has_value());
  EXPECT_EQ(tango->method, interval_method::adjusted_wald);
  EXPECT_EQ(tango->p_value, adjusted->p_value);
  EXPECT_EQ(tango->adjusted_diff, adjusted->adjusted_diff);

  for (const interval_method method : {interval_method::wald, interval_method::adjusted_wald}) {
    const auto empty_b = npskit::compare_groups(counts{5, 3, 2}, counts{}, method);
    ASSERT_FALSE(empty_b.has_value());
    EXPECT_EQ(empty_b.error().code, error_code::empty_input);
    EXPECT_EQ(empty_b.error().message.rfind("group b has no answers", 0), 0u);
    const auto empty_a = npskit::compare_groups(counts{}, counts{5, 3, 2}, method);
    ASSERT_FALSE(empty_a.has_value());
    EXPECT_EQ(empty_a.error().message.rfind("group a has no answers", 0), 0u);
  }
}

TEST(CompareToBenchmark, TestsTheEstimateAgainstAFixedValue) {
  const counts value{50, 30, 20};
  const auto wald = npskit::compare_to_benchmark(value, 20, interval_method::wald);
  ASSERT_TRUE(wald.has_value());
  const double se = 100 * std::sqrt(0.61 / 100);
  EXPECT_NEAR(wald->diff, 10.0, 1e-12);
  EXPECT_NEAR(wald->se, se, 1e-12);
  EXPECT_NEAR(wald->z, 10.0 / se, 1e-12);
  EXPECT_NEAR(wald->p_value, npskit::two_sided_p_value(10.0 / se), 1e-15);

  // Adjusted Wald tests NPS' and SE' (S1: 29.1262 and 7.6915); diff stays
  // the plain NPS - B.
  const auto adjusted = npskit::compare_to_benchmark(value, 20, interval_method::adjusted_wald);
  ASSERT_TRUE(adjusted.has_value());
  EXPECT_NEAR(adjusted->diff, 10.0, 1e-12);
  ASSERT_TRUE(adjusted->adjusted_diff.has_value());
  EXPECT_NEAR(*adjusted->adjusted_diff, 9.1262, printed_4);
  EXPECT_NEAR(adjusted->se, 7.6915, printed_4);
  const npskit::adjusted_estimate estimate = npskit::adjusted_wald_estimate(value);
  EXPECT_NEAR(adjusted->z, (estimate.nps - 20) / estimate.se, 1e-12);
  EXPECT_NEAR(adjusted->p_value, npskit::two_sided_p_value(adjusted->z), 1e-15);

  const auto at_estimate = npskit::compare_to_benchmark(value, 30, interval_method::wald);
  ASSERT_TRUE(at_estimate.has_value());
  EXPECT_EQ(at_estimate->z, 0.0);
  EXPECT_EQ(at_estimate->p_value, 1.0);
}

TEST(CompareToBenchmark, RejectsBadBenchmarksAndEmptyInputAndTestsTangoWithAdjustedWald) {
  for (const double benchmark : {150.0, -100.5, std::nan("")}) {
    const auto result =
        npskit::compare_to_benchmark(counts{5, 3, 2}, benchmark, interval_method::wald);
    ASSERT_FALSE(result.has_value()) << benchmark;
    EXPECT_EQ(result.error().code, error_code::invalid_argument);
  }
  EXPECT_EQ(
      npskit::compare_to_benchmark(counts{5, 3, 2}, 150, interval_method::wald).error().message,
      "benchmark 150 is outside -100..100; expected an NPS value");
  const auto empty = npskit::compare_to_benchmark(counts{}, 20, interval_method::adjusted_wald);
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().code, error_code::empty_input);
  const auto tango = npskit::compare_to_benchmark(counts{5, 3, 2}, 20, interval_method::tango);
  ASSERT_TRUE(tango.has_value());
  EXPECT_EQ(tango->method, interval_method::adjusted_wald);
}

TEST(SampleSizeForMargin, WaldOnTheWorstCaseIsTheClosedForm) {
  // Half promoters and half detractors: the Wald interval is centred on 0 and
  // never clipped, so the search ends where 1.96^2 / 0.05^2 = 1536.6 does.
  const auto wald = npskit::sample_size_for_margin(5, 0.95, interval_method::wald);
  ASSERT_TRUE(wald.has_value()) << wald.error().message;
  EXPECT_EQ(wald->n, 1537u);
  EXPECT_EQ(wald->variance, 1.0);
  EXPECT_NEAR(wald->z, z95, 1e-15);
  EXPECT_LE(wald->half_width, 5.0);
  EXPECT_GT(wald->half_width, 4.99);
  EXPECT_EQ(npskit::sample_size_for_margin(10, 0.95, interval_method::wald)->n, 385u);
  EXPECT_EQ(npskit::sample_size_for_margin(5, 0.99, interval_method::wald)->n,
            static_cast<std::uint64_t>(std::ceil(z99 * z99 / 0.0025)));
  EXPECT_EQ(npskit::sample_size_for_margin(5, 0.99, interval_method::wald)->n, 2654u);
  // 50/30/20 has V = 0.61: 1.96^2 * 0.61 / 0.0025 = 937.3.
  const auto split =
      npskit::sample_size_for_margin(5, 0.95, interval_method::wald, counts{50, 30, 20});
  ASSERT_TRUE(split.has_value());
  EXPECT_NEAR(split->variance, 0.61, 1e-15);
  EXPECT_EQ(split->n, 938u);
}

// The interval the method gives n answers in the shares of `split`, through
// the weighted estimate (weights summing to n with n_effective = n), which
// takes fractional category totals: 95/5/0 of 71 answers is 67.45 promoters.
npskit::interval interval_for_split(const counts& split, double n, interval_method method,
                                    double confidence) {
  const double total = static_cast<double>(split.n());
  npskit::weight_sums sums;
  sums.promoters = n * static_cast<double>(split.promoters) / total;
  sums.passives = n * static_cast<double>(split.passives) / total;
  sums.detractors = n * static_cast<double>(split.detractors) / total;
  sums.squares = n;
  const auto estimate = npskit::weighted_nps(sums, method, confidence);
  EXPECT_TRUE(estimate.has_value()) << estimate.error().message;
  return estimate.has_value() ? estimate->interval : npskit::interval{};
}

double half_width(const npskit::interval& bounds) { return (bounds.high - bounds.low) / 2.0; }

TEST(SampleSizeForMargin, ThePlannedNMeetsTheMarginAndOneFewerDoesNot) {
  const counts splits[] = {{1, 0, 1},  {50, 30, 20}, {95, 5, 0},   {1, 0, 0},
                           {0, 1, 0},  {0, 0, 1},    {70, 20, 10}, {10, 10, 80},
                           {99, 0, 1}, {33, 34, 33}, {80, 15, 5},  {2, 97, 1}};
  int checked = 0;
  for (const interval_method method :
       {interval_method::wald, interval_method::adjusted_wald, interval_method::tango}) {
    for (const double confidence : {0.8, 0.95, 0.99}) {
      for (const counts& split : splits) {
        for (const double margin : {1.0, 2.5, 5.0, 7.5, 10.0, 25.0, 60.0, 150.0}) {
          const auto plan = npskit::sample_size_for_margin(margin, confidence, method, split);
          ASSERT_TRUE(plan.has_value()) << plan.error().message;
          const double n = static_cast<double>(plan->n);
          const std::string label =
              std::string(npskit::to_string(method)) + " at " + std::to_string(confidence) +
              ", split " + std::to_string(split.promoters) + "," + std::to_string(split.passives) +
              "," + std::to_string(split.detractors) + ", margin " + std::to_string(margin) +
              ": n = " + std::to_string(plan->n);
          ASSERT_GE(plan->n, 1u) << label;
          const double planned = half_width(interval_for_split(split, n, method, confidence));
          EXPECT_LE(planned, margin) << label;
          EXPECT_NEAR(plan->half_width, planned, 1e-9) << label;
          if (plan->n > 1) {
            EXPECT_GT(half_width(interval_for_split(split, n - 1, method, confidence)), margin)
                << label;
          }
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 3 * 3 * 12 * 8);
}

TEST(SampleSizeForMargin, SkewedSplitsNeedMoreThanTheClosedForm) {
  // 95/5/0 has V = 0.0475, so z^2 V / m^2 says 73 (70 after adjusted Wald's
  // -3); at 73 answers the adjusted-Wald interval is about +-7 points wide.
  const auto skewed =
      npskit::sample_size_for_margin(5, 0.95, interval_method::adjusted_wald, counts{95, 5, 0});
  ASSERT_TRUE(skewed.has_value());
  EXPECT_GT(skewed->n, 110u);
  EXPECT_LT(skewed->n, 130u);
  // All promoters: V = 0, yet no interval of 0 answers is +-5 wide; Tango
  // gives [100 (n - z^2) / (n + z^2), 100], +-5 from n = 19 z^2 = 73 on.
  const auto unanimous =
      npskit::sample_size_for_margin(5, 0.95, interval_method::tango, counts{1, 0, 0});
  ASSERT_TRUE(unanimous.has_value());
  EXPECT_EQ(unanimous->variance, 0.0);
  EXPECT_EQ(unanimous->n, static_cast<std::uint64_t>(std::ceil(19 * z95 * z95)));
  // All passives: adjusted Wald's +0.75 on each side gives V' = 1.5 / (n + 3),
  // +-5 from n + 3 = 1.96 sqrt(1.5) / 0.05 = 48 on; the closed form said 0.
  const auto passives =
      npskit::sample_size_for_margin(5, 0.95, interval_method::adjusted_wald, counts{0, 10, 0});
  ASSERT_TRUE(passives.has_value());
  EXPECT_EQ(passives->variance, 0.0);
  EXPECT_EQ(passives->n, 46u);
}

TEST(SampleSizeForMargin, AtLeastOneAnswer) {
  // No answers give no estimate, so not even the widest margin is met by 0.
  for (const interval_method method :
       {interval_method::wald, interval_method::adjusted_wald, interval_method::tango}) {
    const auto plan = npskit::sample_size_for_margin(200, 0.95, method);
    ASSERT_TRUE(plan.has_value());
    EXPECT_EQ(plan->n, 1u) << npskit::to_string(method);
  }
}

TEST(SampleSizeForMargin, RejectsBadInputNamingIt) {
  for (const double margin : {0.0, -5.0, 200.5, std::nan("")}) {
    const auto plan = npskit::sample_size_for_margin(margin, 0.95, interval_method::wald);
    ASSERT_FALSE(plan.has_value()) << margin;
    EXPECT_EQ(plan.error().code, error_code::invalid_argument);
  }
  EXPECT_EQ(npskit::sample_size_for_margin(0, 0.95, interval_method::wald).error().message,
            "margin 0 is outside (0, 200]; expected NPS points such as 5");
  EXPECT_EQ(npskit::sample_size_for_margin(5, 1.0, interval_method::wald).error().code,
            error_code::invalid_confidence);
  const auto no_split = npskit::sample_size_for_margin(5, 0.95, interval_method::wald, counts{});
  ASSERT_FALSE(no_split.has_value());
  EXPECT_NE(no_split.error().message.find("expected split has no answers"), std::string::npos);
  const auto too_fine = npskit::sample_size_for_margin(1e-9, 0.95, interval_method::wald);
  ASSERT_FALSE(too_fine.has_value());
  EXPECT_EQ(too_fine.error().message.rfind("margin 1e-09 needs more than 2^53 answers", 0), 0u)
      << too_fine.error().message;
}

TEST(SampleSizeForDifference, CombinesSignificanceAndPower) {
  // (1.96 + 0.8416)^2 * (1 + 1) / 0.1^2 = 1569.8 per group.
  const auto plan = npskit::sample_size_for_difference(10, 0.95, 0.8);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_EQ(plan->n, 1570u);
  EXPECT_EQ(plan->variance, 2.0);
  EXPECT_NEAR(plan->z, z95 + z_power_80, 1e-14);

  // 50/30/20 (V = 0.61) against 40/35/25 (V = 0.6275).
  const auto expected =
      npskit::sample_size_for_difference(10, 0.95, 0.8, counts{50, 30, 20}, counts{40, 35, 25});
  ASSERT_TRUE(expected.has_value());
  EXPECT_NEAR(expected->variance, 1.2375, 1e-14);
  const double z = z95 + z_power_80;
  EXPECT_EQ(expected->n, static_cast<std::uint64_t>(std::ceil(z * z * 1.2375 / 0.01)));
  EXPECT_EQ(expected->n, 972u);

  // More power or a smaller difference needs more answers.
  EXPECT_GT(npskit::sample_size_for_difference(10, 0.95, 0.9)->n, plan->n);
  EXPECT_GT(npskit::sample_size_for_difference(5, 0.95, 0.8)->n, plan->n);
}

TEST(SampleSizeForDifference, RejectsBadInputNamingIt) {
  for (const double power : {0.0, 1.0, 80.0, std::nan("")}) {
    const auto plan = npskit::sample_size_for_difference(10, 0.95, power);
    ASSERT_FALSE(plan.has_value()) << power;
    EXPECT_EQ(plan.error().code, error_code::invalid_argument);
  }
  EXPECT_EQ(npskit::sample_size_for_difference(10, 0.95, 80).error().message,
            "power 80 is outside (0, 1); expected a fraction such as 0.8");
  EXPECT_EQ(npskit::sample_size_for_difference(0, 0.95, 0.8).error().message,
            "difference 0 is outside (0, 200]; expected NPS points such as 5");
  EXPECT_EQ(npskit::sample_size_for_difference(10, 0, 0.8).error().code,
            error_code::invalid_confidence);
  const auto empty_b = npskit::sample_size_for_difference(10, 0.95, 0.8, std::nullopt, counts{});
  ASSERT_FALSE(empty_b.has_value());
  EXPECT_NE(empty_b.error().message.find("group b"), std::string::npos);
}

TEST(WeightedNps, WithUnitWeightsEqualsTheUnweightedStatistics) {
  npskit::tally answers;
  ASSERT_TRUE(answers.add_many(9, 50).has_value());
  ASSERT_TRUE(answers.add_many(7, 30).has_value());
  ASSERT_TRUE(answers.add_many(2, 20).has_value());
  for (const interval_method method :
       {interval_method::wald, interval_method::adjusted_wald, interval_method::tango}) {
    SCOPED_TRACE(npskit::to_string(method));
    const auto weighted = npskit::weighted_nps(answers.weights(), method, 0.9);
    ASSERT_TRUE(weighted.has_value()) << weighted.error().message;
    const npskit::interval plain = interval_or_fail(answers.category_counts(), method, 0.9);
    EXPECT_EQ(weighted->nps, 30.0);
    EXPECT_EQ(weighted->n_effective, 100.0);
    EXPECT_NEAR(weighted->interval.low, plain.low, 1e-9);
    EXPECT_NEAR(weighted->interval.high, plain.high, 1e-9);
    EXPECT_NEAR(weighted->interval.se, plain.se, 1e-12);
    EXPECT_EQ(weighted->interval.method, method);
    EXPECT_EQ(weighted->interval.confidence, 0.9);
  }
}

TEST(WeightedNps, UsesWeightSharesAndKishEffectiveSize) {
  // Ten promoters weighing 2 and ten detractors weighing 1.
  npskit::tally answers;
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(answers.add(10, 2.0).has_value());
    ASSERT_TRUE(answers.add(0, 1.0).has_value());
  }
  const auto wald = npskit::weighted_nps(answers.weights(), interval_method::wald, 0.95);
  ASSERT_TRUE(wald.has_value()) << wald.error().message;
  EXPECT_NEAR(wald->nps, 100.0 / 3.0, 1e-12);
  EXPECT_NEAR(wald->n_effective, 30.0 * 30.0 / 50.0, 1e-12);
  const double p = 2.0 / 3.0;
  const double d = 1.0 / 3.0;
  const double se = 100 * std::sqrt((p + d - (p - d) * (p - d)) / 18.0);
  EXPECT_NEAR(wald->interval.se, se, 1e-12);
  EXPECT_NEAR(wald->interval.low, 100.0 / 3.0 - z95 * se, 1e-9);
  EXPECT_NEAR(wald->interval.high, 100.0 / 3.0 + z95 * se, 1e-9);

  // Adjusted Wald applies +3 and +0.75 to n_effective = 18.
  const auto adjusted =
      npskit::weighted_nps(answers.weights(), interval_method::adjusted_wald, 0.95);
  ASSERT_TRUE(adjusted.has_value());
  const double pa = (p * 18 + 0.75) / 21;
  const double da = (d * 18 + 0.75) / 21;
  const double se_adjusted = 100 * std::sqrt((pa + da - (pa - da) * (pa - da)) / 21);
  EXPECT_NEAR(adjusted->nps, 100.0 / 3.0, 1e-12);
  EXPECT_NEAR(adjusted->interval.se, se_adjusted, 1e-12);
  EXPECT_NEAR(adjusted->interval.low, 100 * (pa - da) - z95 * se_adjusted, 1e-9);

  // Equal weights change nothing but the scale of the sums.
  npskit::tally scaled;
  ASSERT_TRUE(scaled.add(10, 2.5).has_value());
  ASSERT_TRUE(scaled.add(8, 2.5).has_value());
  ASSERT_TRUE(scaled.add(1, 2.5).has_value());
  ASSERT_TRUE(scaled.add(9, 2.5).has_value());
  const auto equal = npskit::weighted_nps(scaled.weights(), interval_method::wald, 0.95);
  ASSERT_TRUE(equal.has_value());
  EXPECT_NEAR(equal->n_effective, 4.0, 1e-12);
  EXPECT_NEAR(equal->nps, 25.0, 1e-12);
}

TEST(WeightedNps, RejectsEmptyOrInvalidWeightSums) {
  const auto empty = npskit::weighted_nps(npskit::weight_sums{}, interval_method::wald, 0.95);
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().code, error_code::empty_input);

  npskit::weight_sums negative;
  negative.promoters = 3;
  negative.detractors = -1;
  negative.squares = 10;
  const auto bad = npskit::weighted_nps(negative, interval_method::wald, 0.95);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, error_code::invalid_weight);
  EXPECT_EQ(bad.error().message, "weight sum of detractors is -1; expected a finite number >= 0");

  npskit::weight_sums fine;
  fine.promoters = 1;
  fine.squares = 1;
  EXPECT_EQ(npskit::weighted_nps(fine, interval_method::wald, 2).error().code,
            error_code::invalid_confidence);
}

}  // namespace
