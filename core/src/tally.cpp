#include "npskit/tally.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>

#include "number_text.h"

namespace npskit {
namespace {

using detail::number_text;

// Counts above 2^53 could no longer be mirrored exactly by the double weight
// sums (and by every statistic computed in double), so a tally stops there.
constexpr std::uint64_t max_answers = std::uint64_t{1} << 53;

// merge() cannot report an error, so a sum past 2^64 sticks at the maximum
// instead of wrapping around to a small, plausible-looking count.
std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  return b > max - a ? max : a + b;
}

status check_score(int score) {
  if (score < 0 || score > 10) {
    return make_error(error_code::invalid_score,
                      "score " + std::to_string(score) +
                          " is not from 0 to 10; expected a whole number from 0 to 10");
  }
  return ok{};
}

double& weight_slot(weight_sums& sums, category value) {
  switch (value) {
    case category::promoter:
      return sums.promoters;
    case category::passive:
      return sums.passives;
    case category::detractor:
      break;
  }
  return sums.detractors;
}

}  // namespace

const char* to_string(category value) {
  switch (value) {
    case category::detractor:
      return "detractor";
    case category::passive:
      return "passive";
    case category::promoter:
      return "promoter";
  }
  // Reachable only through a value cast from an integer outside the enum.
  return "unknown";
}

// The category of a score already known to be 0..10.
category category_of_valid(int score) {
  if (score >= 9) return category::promoter;
  if (score >= 7) return category::passive;
  return category::detractor;
}

result<category> classify(int score) {
  const status valid = check_score(score);
  if (!valid) return valid.error();
  return category_of_valid(score);
}

double nps(const counts& value) {
  const double n = static_cast<double>(value.promoters) + static_cast<double>(value.passives) +
                   static_cast<double>(value.detractors);
  if (n == 0) return 0;
  // Scaling the integer difference before dividing gives the correctly
  // rounded quotient, so a share that is exactly 20 % prints as 20, not
  // 19.999999999999996, and lands in the right benchmark band.
  const double difference =
      static_cast<double>(value.promoters) - static_cast<double>(value.detractors);
  return 100.0 * difference / n;
}

shares percentages(const counts& value) {
  const double n = static_cast<double>(value.promoters) + static_cast<double>(value.passives) +
                   static_cast<double>(value.detractors);
  if (n == 0) return shares{};
  return shares{100.0 * static_cast<double>(value.promoters) / n,
                100.0 * static_cast<double>(value.passives) / n,
                100.0 * static_cast<double>(value.detractors) / n};
}

// Called once per answer read: the checks come first and cost no result
// of their own; the errors are built only when one fails.
status tally::add(int score, double weight) {
  if (score < 0 || score > 10) return check_score(score);
  if (!std::isfinite(weight)) {
    return make_error(error_code::invalid_weight,
                      "weight " + number_text(weight) + " for score " + std::to_string(score) +
                          " is not a finite number; expected a number >= 0");
  }
  if (weight < 0) {
    return make_error(error_code::invalid_weight, "weight " + number_text(weight) + " for score " +
                                                      std::to_string(score) +
                                                      " is negative; expected a number >= 0");
  }
  if (n() >= max_answers) {
    return make_error(error_code::invalid_argument,
                      "cannot add score " + std::to_string(score) +
                          ": the tally already holds the maximum of " +
                          std::to_string(max_answers) + " answers");
  }
  histogram_[static_cast<std::size_t>(score)] += 1;
  ++answers_;
  weight_slot(weights_, category_of_valid(score)) += weight;
  weights_.squares += weight * weight;
  if (weight != 1.0) weighted_ = true;
  return ok{};
}

status tally::add_many(int score, std::uint64_t count) {
  const result<category> kind = classify(score);
  if (!kind) return kind.error();
  const std::uint64_t held = n();
  if (held > max_answers || count > max_answers - held) {
    return make_error(error_code::invalid_argument,
                      "cannot add " + std::to_string(count) + " answers of score " +
                          std::to_string(score) + ": the tally holds " + std::to_string(held) +
                          " and can hold at most " + std::to_string(max_answers));
  }
  histogram_[static_cast<std::size_t>(score)] += count;
  answers_ += count;
  // Exact: both sums stay integers no larger than 2^53.
  const double added = static_cast<double>(count);
  weight_slot(weights_, kind.value()) += added;
  weights_.squares += added;
  return ok{};
}

void tally::merge(const tally& other) {
  for (std::size_t score = 0; score < histogram_.size(); ++score) {
    histogram_[score] = saturating_add(histogram_[score], other.histogram_[score]);
  }
  // Equal to the saturating sum of the merged histogram: both are the true
  // total, or the maximum when that does not fit.
  answers_ = saturating_add(answers_, other.answers_);
  weights_.promoters += other.weights_.promoters;
  weights_.passives += other.weights_.passives;
  weights_.detractors += other.weights_.detractors;
  weights_.squares += other.weights_.squares;
  weighted_ = weighted_ || other.weighted_;
}

counts tally::category_counts() const {
  counts totals;
  for (std::size_t score = 0; score <= 6; ++score) {
    totals.detractors = saturating_add(totals.detractors, histogram_[score]);
  }
  totals.passives = saturating_add(histogram_[7], histogram_[8]);
  totals.promoters = saturating_add(histogram_[9], histogram_[10]);
  return totals;
}

result<tally> tally_from_histogram(const std::array<std::uint64_t, 11>& histogram) {
  tally answers;
  for (int score = 0; score <= 10; ++score) {
    const status added = answers.add_many(score, histogram[static_cast<std::size_t>(score)]);
    if (!added) return added.error();
  }
  return answers;
}

result<tally> tally_from_counts(const counts& value) {
  return tally_from_histogram(
      {0, 0, 0, 0, 0, 0, value.detractors, 0, value.passives, 0, value.promoters});
}

result<tally> tally_from_scores(const double* scores, std::size_t size, std::string_view name) {
  std::array<std::uint64_t, 11> histogram{};
  for (std::size_t index = 0; index < size; ++index) {
    const double score = scores[index];
    if (!(score >= 0 && score <= 10 && std::floor(score) == score)) {
      return make_error(error_code::invalid_score, std::string(name) + "[" + std::to_string(index) +
                                                       "] is " + number_text(score) +
                                                       "; expected an integer score from 0 to 10");
    }
    histogram[static_cast<std::size_t>(score)] += 1;
  }
  return tally_from_histogram(histogram);
}

}  // namespace npskit
