// The form of /api/summary that --public-summary shows without the admin
// token: aggregates only. Comment examples are dropped, and groups too small
// to hide one person's answer are folded away, so nobody is singled out.
#ifndef NPSKIT_CLI_COLLECTOR_PUBLIC_SUMMARY_H
#define NPSKIT_CLI_COLLECTOR_PUBLIC_SUMMARY_H

#include <cstdint>
#include <string>
#include <string_view>

#include "npskit/result.h"
#include "npskit/summary.h"

namespace npskit::cli {

// What was left out of a public summary.
struct folded_counts {
  std::uint64_t groups = 0;   // segments or periods removed from `groups`
  std::uint64_t answers = 0;  // the answers in them
  // The overall statistics were withheld: fewer than min_group answers in all.
  bool overall = false;
};

struct public_summary {
  summary value;
  std::uint64_t min_group = 5;
  folded_counts folded;
  // The same for the groups of the CSAT and CES blocks (overall: the block
  // was withheld).
  folded_counts csat_folded;
  folded_counts ces_folded;
};

// Removes from `full`: theme examples; themes found in fewer than min_group
// comments; rejection details (their count stays); every group with fewer
// than min_group answers, and then the smallest other groups until the folded
// groups hold at least min_group answers together (else the overall minus the
// groups shown would give the folded ones back); a period's comparison with a
// folded previous period. The overall stays unless it has fewer than
// min_group answers itself; then it is shown as if empty. The groups of the
// CSAT and CES blocks are folded by the same rule, each metric on its own
// answers, and a block with fewer than min_group answers in all is left out.
// `options` are the ones `full` was computed with. Error only for invalid
// options.
result<public_summary> make_public_summary(summary full, std::uint64_t min_group,
                                           const summary_options& options);

// Whether a /api/summary parameter may be used in the public form. Date
// ranges may not: two overlapping ranges would differ by a handful of answers,
// which folding within one answer cannot hide.
bool public_summary_allows_parameter(std::string_view name);

// Leaves out of a summary's JSON every "csat" or "ces" block (ratings asked
// beside NPS) with fewer than min_group answers ("n"), at the top level and
// in each group: a group large enough for NPS can hold one rating answer.
// Text that is not a JSON object comes back unchanged.
std::string withhold_small_rating_blocks(const std::string& summary_json, std::uint64_t min_group);

// npskit.summary/1 plus "folded": {"min_group", "groups", "answers", "overall"},
// and the same "folded" in each CSAT and CES block; small rating blocks
// withheld as above.
std::string to_json(const public_summary& value);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_PUBLIC_SUMMARY_H
