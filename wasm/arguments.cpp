#include "arguments.h"

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace npskit::wasm {

using emscripten::val;

// Histograms (11 bins) and expected splits come as whole counts that api.js has checked; the cast
// is guarded all the same, and a total a tally cannot hold comes back as the tally's error.
result<tally> tally_of(const val& histogram) {
  std::array<std::uint64_t, 11> bins{};
  for (std::size_t score = 0; score < bins.size(); ++score) {
    const double count = histogram[score].as<double>();
    bins[score] = count >= 0 && count < 0x1p63 ? static_cast<std::uint64_t>(count) : ~0ull;
  }
  return tally_from_histogram(bins);
}
result<std::optional<counts>> split_of(const val& histogram) {
  if (histogram.isNull()) return std::optional<counts>();
  result<tally> answers = tally_of(histogram);
  if (!answers) return answers.error();
  return std::optional<counts>(answers->category_counts());
}
result<summary_options> summary_options_from(const val& given) {
  result<interval_method> method = parse_interval_method(given["method"].as<std::string>());
  if (!method) return method.error();
  summary_options options{*method, given["confidence"].as<double>(), default_bands(),
                          given["themes"].as<std::size_t>()};
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
