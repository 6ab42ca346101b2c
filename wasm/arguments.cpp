#include "arguments.h"

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace npskit::wasm {

using emscripten::val;

namespace {

// Whole counts that api.js has checked; the cast is guarded all the same, and
// a total a tally cannot hold comes back as the tally's error.
std::uint64_t whole_count(const val& count) {
  const double value = count.as<double>();
  return value >= 0 && value < 0x1p63 ? static_cast<std::uint64_t>(value) : ~0ull;
}

counts counts_of(const val& given) {
  return counts{whole_count(given["promoters"]), whole_count(given["passives"]),
                whole_count(given["detractors"])};
}

}  // namespace

result<tally> tally_of(const val& answers) {
  if (!answers["histogram"].isUndefined()) {
    std::array<std::uint64_t, 11> bins{};
    for (std::size_t score = 0; score < bins.size(); ++score) {
      bins[score] = whole_count(answers["histogram"][score]);
    }
    return tally_from_histogram(bins);
  }
  if (!answers["counts"].isUndefined()) return tally_from_counts(counts_of(answers["counts"]));
  const std::vector<double> scores =
      emscripten::convertJSArrayToNumberVector<double>(answers["scores"]);
  return tally_from_scores(scores.data(), scores.size(), answers["name"].as<std::string>());
}
result<std::optional<counts>> split_of(const val& split) {
  if (split.isNull()) return std::optional<counts>();
  return std::optional<counts>(counts_of(split));
}
result<summary_options> summary_options_from(const val& given) {
  result<interval_method> method = parse_interval_method(given["method"].as<std::string>());
  if (!method) return method.error();
  summary_options options;
  options.method = *method;
  options.confidence = given["confidence"].as<double>();
  options.themes_per_category = given["themes"].as<std::size_t>();
  if (!given["minGroupSize"].isUndefined()) {
    options.min_group_size = whole_count(given["minGroupSize"]);
  }
  if (!given["foldGroupsBelow"].isUndefined()) {
    options.fold_groups_below = whole_count(given["foldGroupsBelow"]);
  }
  if (given["bands"].isNull()) return options;
  result<std::vector<band>> bands = parse_bands(given["bands"].as<std::string>());
  if (!bands) return bands.error();
  options.bands = std::move(*bands);
  return options;
}

result<date_options> date_options_from(const val& given) {
  date_options options;
  if (!given["utcOffset"].isNull()) {
    result<int> offset = parse_utc_offset(given["utcOffset"].as<std::string>());
    if (!offset) return offset.error();
    options.utc_offset_minutes = *offset;
  }
  if (!given["dateOrder"].isNull()) {
    result<date_order> order = parse_date_order(given["dateOrder"].as<std::string>());
    if (!order) return order.error();
    options.order = *order;
  }
  return options;
}

}  // namespace npskit::wasm
