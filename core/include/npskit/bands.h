// Benchmark bands: named NPS ranges. The defaults follow the brief (below 0,
// 0-20, 20-50 typical B2B, 50-75 very good, 75+ world class); callers may
// supply their own.
#ifndef NPSKIT_BANDS_H
#define NPSKIT_BANDS_H

#include <string>
#include <string_view>
#include <vector>

#include "npskit/result.h"

namespace npskit {

// A band covers [lower, next band's lower); the first band starts at -100.
struct band {
  std::string name;
  double lower = -100;
};

// negative [-100,0), fair [0,20), good [20,50), very-good [50,75),
// world-class [75,100].
std::vector<band> default_bands();

// Parses "name:lower,name:lower,..." (lowers strictly increasing, the first
// -100); error names the bad entry.
result<std::vector<band>> parse_bands(std::string_view text);

// The bands as parse_bands reads them: "negative:-100,fair:0,...".
std::string bands_text(const std::vector<band>& bands);

// Name of the band that contains nps; bands must be as parse_bands returns.
// Values below the first bound (and NaN) get the first band; an empty list
// gives an empty name.
const std::string& band_for(const std::vector<band>& bands, double nps);

}  // namespace npskit

#endif  // NPSKIT_BANDS_H
