// The human-readable form of a summary: aligned key figures, the score
// distribution as a bar chart, rejected rows, groups and comment themes.
#ifndef NPSKIT_CLI_TEXT_REPORT_H
#define NPSKIT_CLI_TEXT_REPORT_H

#include <string>
#include <vector>

#include "npskit/bands.h"
#include "npskit/summary.h"
#include "sources.h"

namespace npskit::cli {

struct report_context {
  std::string source;  // what was summarized: "a.csv + b.csv", "counts 50,30,20"
  // False for bare counts, whose score distribution is not known.
  bool scores_known = true;
  std::vector<band> bands;
  std::vector<located_rejection> rejections;
  // The groups' name when they are segments of one field (--by channel:
  // "channel"); empty: from the grouping.
  std::string group_name;
};

// Rejected rows listed before "... and N more".
inline constexpr std::size_t listed_rejections = 10;

std::string summary_text(const summary& value, const report_context& context);

// "14.1 to 44.2"; an adjusted-Wald interval, which is centred on the
// adjusted estimate rather than on the NPS, adds "around the adjusted
// estimate 29.1".
std::string interval_text(const interval& range);

// "30.0 (95% CI 14.1 to 44.2, Tango score)".
std::string nps_with_interval(double nps, const interval& range);

// Rows of cells as columns separated by two spaces; `right_aligned[i]` says
// how column i is aligned. Each line starts with `indent`.
std::string table(const std::vector<std::vector<std::string>>& rows,
                  const std::vector<bool>& right_aligned, std::string_view indent);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_TEXT_REPORT_H
