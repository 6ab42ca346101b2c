#include "ratings.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "npskit/npskit.h"
#include "replies.h"

namespace npskit::wasm {
namespace {

using emscripten::val;
using json = nlohmann::ordered_json;

result<rating_tally> ratings_of(rating_metric metric, const val& answers) {
  if (!answers["histogram"].isUndefined()) {
    rating_tally out(metric);
    const int high = scale_of(metric).high;
    for (int rating = 1; rating <= high; ++rating) {
      const double count = answers["histogram"][rating - 1].as<double>();
      const status added = out.add_many(rating, static_cast<std::uint64_t>(count));
      if (!added) return added.error();
    }
    return out;
  }
  const std::vector<double> values =
      emscripten::convertJSArrayToNumberVector<double>(answers["values"]);
  return rating_tally_from_values(metric, values.data(), values.size(),
                                  answers["name"].as<std::string>());
}

std::optional<double> optional_of(const val& value) {
  if (value.isNull() || value.isUndefined()) return std::nullopt;
  return value.as<double>();
}

std::string plan_reply(const result<sample_size_plan>& plan) {
  if (!plan) return failure(plan.error());
  return reply(json({{"n", plan->n},
                     {"variance", plan->variance},
                     {"z", plan->z},
                     {"half_width", plan->half_width}})
                   .dump());
}

}  // namespace

std::string rating_summary_reply(const std::string& metric, const val& answers, double confidence) {
  const result<rating_metric> parsed = parse_rating_metric(metric);
  if (!parsed) return failure(parsed.error());
  const result<rating_tally> tallied = ratings_of(*parsed, answers);
  if (!tallied) return failure(tallied.error());
  const result<rating_summary> summary = summarize_ratings(*tallied, confidence);
  return summary ? reply(to_json(*summary)) : failure(summary.error());
}

std::string rating_compare_reply(const std::string& metric, const val& a, const val& b,
                                 double confidence) {
  const result<rating_metric> parsed = parse_rating_metric(metric);
  if (!parsed) return failure(parsed.error());
  const result<rating_tally> first = ratings_of(*parsed, a);
  const result<rating_tally> second = ratings_of(*parsed, b);
  const result<double> z = z_for_confidence(confidence);
  if (const auto problem = first_error(first, second, z)) return failure(*problem);
  return reply(rating_comparison_json(*first, *second, confidence));
}

std::string rating_plan_reply(const std::string& metric, const val& plan) {
  const result<rating_metric> parsed = parse_rating_metric(metric);
  if (!parsed) return failure(parsed.error());
  const std::string kind = plan["kind"].as<std::string>();
  const double target = plan["target"].as<double>();
  const double confidence = plan["confidence"].as<double>();
  const std::optional<double> expected_a = optional_of(plan["expectedA"]);
  if (kind == "share") return plan_reply(rating_share_sample_size(target, confidence, expected_a));
  if (kind == "mean") {
    return plan_reply(rating_mean_sample_size(*parsed, target, confidence, expected_a));
  }
  const double power = plan["power"].as<double>();
  if (kind == "share-difference") {
    return plan_reply(rating_share_difference_sample_size(target, confidence, power, expected_a,
                                                          optional_of(plan["expectedB"])));
  }
  if (kind == "mean-difference") {
    return plan_reply(
        rating_mean_difference_sample_size(*parsed, target, confidence, power, expected_a));
  }
  return failure({error_code::invalid_argument,
                  "plan kind \"" + kind +
                      "\" is unknown; expected share, mean, share-difference or mean-difference"});
}

std::string parse_ratings_reply(const std::string& metric, const std::string& pasted) {
  const result<rating_metric> parsed = parse_rating_metric(metric);
  if (!parsed) return failure(parsed.error());
  const result<pasted_ratings> read = read_pasted_ratings(pasted, *parsed);
  if (!read) return failure(read.error());
  json histogram = json::array();
  for (int rating = 1; rating <= scale_of(*parsed).high; ++rating) {
    histogram.push_back(read->answers.histogram()[static_cast<std::size_t>(rating - 1)]);
  }
  json rejections = json::array();
  for (const rejection& item : read->rejections) {
    rejections.push_back({{"line", item.line}, {"reason", item.reason}});
  }
  return reply(
      json({{"histogram", histogram}, {"rejected", read->rejected}, {"rejections", rejections}})
          .dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace npskit::wasm
