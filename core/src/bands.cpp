#include "npskit/bands.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

#include "npskit/text.h"
#include "number_text.h"

namespace npskit {
namespace {

using text::trim;

// Only plain decimal numbers: strtod alone would also take "inf", "nan" and
// hexadecimal, none of which is a sensible NPS bound.
bool parse_bound(std::string_view text, double& value) {
  if (text.empty()) return false;
  for (const char c : text) {
    const bool allowed =
        (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
    if (!allowed) return false;
  }
  const std::string copy(text);
  char* end = nullptr;
  errno = 0;
  value = std::strtod(copy.c_str(), &end);
  return end == copy.c_str() + copy.size() && errno == 0 && std::isfinite(value);
}

error bad_entry(std::size_t index, std::string_view entry, const std::string& problem) {
  return make_error(error_code::invalid_argument, "bands entry " + std::to_string(index) + " \"" +
                                                      std::string(entry) + "\": " + problem);
}

}  // namespace

std::vector<band> default_bands() {
  return {{"negative", -100}, {"fair", 0}, {"good", 20}, {"very-good", 50}, {"world-class", 75}};
}

result<std::vector<band>> parse_bands(std::string_view text) {
  if (trim(text).empty()) {
    return make_error(error_code::invalid_argument,
                      "bands text is empty; expected name:lower,... such as "
                      "\"negative:-100,fair:0,good:20\"");
  }
  std::vector<band> bands;
  std::size_t start = 0;
  for (std::size_t index = 1;; ++index) {
    const std::size_t comma = text.find(',', start);
    const std::string_view entry = trim(text.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    const std::size_t colon = entry.find(':');
    if (colon == std::string_view::npos) {
      return bad_entry(index, entry, "expected name:lower, such as good:20");
    }
    const std::string_view name = trim(entry.substr(0, colon));
    const std::string_view bound_text = trim(entry.substr(colon + 1));
    if (name.empty()) {
      return bad_entry(index, entry, "the name before ':' is empty");
    }
    double lower = 0;
    if (!parse_bound(bound_text, lower)) {
      return bad_entry(index, entry,
                       "lower bound \"" + std::string(bound_text) +
                           "\" is not a number; expected a value in "
                           "-100..100");
    }
    if (index == 1 && lower != -100) {
      return bad_entry(index, entry,
                       "the first band must start at -100 so that every score has a band");
    }
    if (lower < -100 || lower > 100) {
      return bad_entry(index, entry,
                       "lower bound " + std::string(bound_text) + " is outside -100..100");
    }
    if (!bands.empty() && lower <= bands.back().lower) {
      return bad_entry(index, entry,
                       "lower bound " + std::string(bound_text) +
                           " is not above the previous band's; expected "
                           "strictly increasing bounds");
    }
    for (const band& earlier : bands) {
      if (earlier.name == name) {
        return bad_entry(index, entry,
                         "name \"" + std::string(name) + "\" is already used by an earlier band");
      }
    }
    bands.push_back(band{std::string(name), lower});
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return bands;
}

std::string bands_text(const std::vector<band>& bands) {
  std::string text;
  for (const band& entry : bands) {
    if (!text.empty()) text += ',';
    text += entry.name + ":" + detail::number_text(entry.lower);
  }
  return text;
}

const std::string& band_for(const std::vector<band>& bands, double nps) {
  static const std::string no_band;
  if (bands.empty()) return no_band;
  // Bands are sorted by lower bound; the last one not above nps contains it.
  // Values below the first bound (or NaN) fall into the first band.
  const band* found = &bands.front();
  for (const band& candidate : bands) {
    if (candidate.lower <= nps) found = &candidate;
  }
  return found->name;
}

}  // namespace npskit
