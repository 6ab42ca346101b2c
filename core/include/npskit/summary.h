// The summary shared by the CLI and the browser, and its JSON form
// (npskit.summary/1). Both sides produce it from the same code, so the
// numbers agree to the last digit.
#ifndef NPSKIT_SUMMARY_H
#define NPSKIT_SUMMARY_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "npskit/aggregate.h"
#include "npskit/bands.h"
#include "npskit/rating.h"
#include "npskit/reader.h"
#include "npskit/stats.h"
#include "npskit/tally.h"
#include "npskit/themes.h"

namespace npskit {

// The default interval is Tango's score interval: it always contains the
// NPS it is shown with, and its tests use adjusted Wald (test_method_for).
struct summary_options {
  interval_method method = interval_method::tango;
  double confidence = 0.95;
  std::vector<band> bands = default_bands();
  std::size_t themes_per_category = 10;  // 0: no themes
  // Groups with fewer answers are listed but not tested (too few to say
  // anything, and small crossed segments could single out a respondent).
  std::uint64_t min_group_size = 0;
  // Groups too small to keep their respondents anonymous are left out of a
  // summary meant for people other than its owner (fold_small_groups); 0:
  // every group is shown.
  std::uint64_t fold_groups_below = 0;
};

// Statistics of one tally.
struct score_summary {
  std::uint64_t n = 0;
  counts categories;
  std::array<std::uint64_t, 11> histogram{};
  double nps = 0;
  shares percent;
  npskit::interval interval;
  std::string band;
  // The bands of the interval's ends: when they differ, the data cannot
  // tell which band the score is in.
  std::string band_low;
  std::string band_high;
  // Present when the tally is weighted.
  std::optional<weighted_estimate> weighted;
};

// What a group is tested against.
enum class reference_kind { rest, previous };
const char* to_string(reference_kind value);  // "rest", "previous"

// A group's test against its reference, with everything a view needs to show
// it without a rule of its own: the reference's raw NPS (test.diff is the
// group's NPS minus it) and the verdict at the summary's confidence. Tests
// count answers unweighted.
struct group_test {
  comparison test;
  bool significant = false;
  reference_kind reference = reference_kind::rest;
  // The previous period's key; empty for the rest.
  std::string reference_key;
  double reference_nps = 0;
};

struct group_summary {
  // The segment, period, or by several segment columns the values joined
  // with " × " ("SE × pro").
  std::string key;
  // By several segment columns: the columns' names and the values.
  std::vector<std::string> columns;
  std::vector<std::string> values;
  // A period's first day (YYYY-MM-DD); empty for segments.
  std::string start;
  // Fewer answers than summary_options::min_group_size: not tested.
  bool below_minimum = false;
  score_summary stats;
  // Segments: this group against all other answers. Periods: against the
  // previous period (absent for the first). Absent when either side is empty.
  std::optional<group_test> versus;
};

// A group's CSAT or CES, tested against the same reference as its NPS (the
// rest of the answers for segments, the previous period with answers of this
// metric for periods): the share by the two-proportion test, the mean by
// Welch's test, each absent when the test lacks answers (a group or its
// reference without answers, or fewer than 2 on a side for Welch).
struct rating_group_summary {
  std::string key;
  rating_summary stats;
  reference_kind reference = reference_kind::rest;
  std::string reference_key;  // the previous period; empty for the rest
  std::optional<rating_test> share_versus;
  std::optional<rating_test> mean_versus;
  // Fewer answers of this metric than summary_options::min_group_size: not
  // tested, and not the previous period of the next one (as NPS groups).
  bool below_minimum = false;
};

struct rating_report {
  rating_summary overall;
  std::uint64_t min_group_size = 0;
  // Every group with CSAT or CES answers, ordered by key (n = 0 when the
  // group has only the other metric).
  std::vector<rating_group_summary> groups;
};

// What fold_small_groups left out of a summary's groups.
struct folded_groups {
  std::uint64_t min_group = 0;
  std::uint64_t groups = 0;   // segments or periods removed from `groups`
  std::uint64_t answers = 0;  // the answers in them
};

struct summary {
  score_summary overall;
  // Present when any answer carried a CSAT (CES) rating.
  std::optional<rating_report> csat;
  std::optional<rating_report> ces;
  group_by by = group_by::none;
  // By several segment columns: their names (groups then hold each column
  // alone and every two crossed).
  std::vector<std::string> segment_columns;
  std::uint64_t min_group_size = 0;
  std::vector<group_summary> groups;
  // Set when groups were folded (summary_options::fold_groups_below).
  std::optional<folded_groups> folded;
  std::uint64_t dismissals = 0;
  // responses / (responses + dismissals); absent without dismissals.
  std::optional<double> response_rate;
  std::uint64_t rejected = 0;
  std::vector<rejection> rejections;
  category_themes themes;
  // Grouped by day, week or month: the answers counted in the overall score
  // but in no period because their date could not be used.
  std::optional<undated_answers> undated;
};

// Error only for invalid options (confidence outside (0, 1)).
result<score_summary> summarize_tally(const tally& value, const summary_options& options);
// With options.fold_groups_below, the groups are folded as fold_small_groups
// does.
result<summary> summarize(const aggregate& data, const summary_options& options,
                          std::uint64_t rejected = 0,
                          const std::vector<rejection>& rejections = {});

// Leaves out every group with fewer than min_group answers, and then the
// smallest other groups until the folded ones hold at least min_group answers
// together (else the overall minus the groups shown would give a lone small
// group back). A period compared with a folded previous period loses that
// comparison, as the difference would describe the folded one. Records what
// went in `folded`. The one rule for every place that shows groups to others:
// the collector's public summary and the widget's live panel.
void fold_small_groups(summary& value, std::uint64_t min_group);

// npskit.summary/1: schema, n, promoters, passives, detractors, histogram,
// nps, percent, interval {method, confidence, low, high, se, plus
// adjusted_nps for adjusted Wald}, band, rejected, groups [...]; with n = 0
// nps, percent, interval and band are null (nothing is known). When weighted:
// weighted_nps, n_effective and weighted_interval (the method's interval on
// Kish's effective n). by, dismissals and response_rate when present,
// interval_bands {low, high} (the bands of the interval's ends; null with n
// = 0), rejections [{line, reason, text (the row as read, shortened)}], themes. A group's versus is
// null when it has nothing to be compared with, else {reference ("rest" or "previous"),
// reference_key (previous only), reference_nps, diff, adjusted_diff
// (adjusted Wald only), se, z, p_value, method, significant, weighted
// (false: tests count answers unweighted)}. Numbers are shortest round-trip
// doubles; one that is not finite is written as null. Compact (indent < 0)
// or pretty-printed.
//
// By several segment columns, "segment_columns" names them and each group
// has "columns" and "values" (one column, or two crossed) besides its key
// (the values joined with " × "). With a minimum group size,
// "min_group_size" is written and each group has "below_minimum" (true:
// versus is null, the group is too small to be tested).
//
// Grouped by day, week or month, each group has "start", its first day
// (YYYY-MM-DD: a week's Monday, a month's 1st), for labels such as "3 Mar".
//
// Grouped by day, week or month, "undated" counts the answers that are in
// the overall score (n) but in no period, and says why (always present then,
// count 0 when every date was read):
//   "undated": {"count": 12, "reasons": [
//     {"reason": "missing", "count": 7, "example": "",
//      "message": "timestamp is empty (expected an ISO-8601 date YYYY-MM-DD)"},
//     {"reason": "needs_date_order", "count": 4, "example": "01.03.2026",
//      "message": "timestamp \"01.03.2026\" is written day and month without ..."},
//     {"reason": "invalid", "count": 1, "example": "yesterday", "message": "..."}]}
// reason is missing (no date), needs_date_order (D.M.YYYY or M/D/YYYY read
// without a date order dmy or mdy) or invalid (not a date, or a day that does
// not exist); count adds up to the undated count; example is the first such
// date as written (at most 40 bytes); message says why that one could not be
// read. Reasons appear in that order, only those that occurred.
//
// "csat" and "ces" blocks appear only when answers carried them:
//   "csat": {"scale": {"low": 1, "high": 5, "top_from": 4}, "n": 60,
//     "histogram": [2, 3, 5, 20, 30], "top": 50, "share": 83.33,
//     "share_interval": {"method": "wilson", "confidence": 0.95, "low": ...,
//                        "high": ..., "se": ...},
//     "mean": 4.22, "sd": 1.03,
//     "mean_interval": {"method": "t", "confidence": 0.95, "low": ...,
//                       "high": ..., "se": ..., "df": 59},
//     "groups": [{"key": ..., the fields above, "versus": null or
//       {"reference", "reference_key" (previous only),
//        "share": {"test": "two-proportion", "diff", "se", "z", "p_value",
//                  "significant"} or null,
//        "mean": {"test": "welch", "diff", "se", "t", "df", "p_value",
//                 "significant"} or null}}]}
// share is the percentage of top answers (CSAT: 4-5; CES: 5-7); the mean is
// reported apart. With n = 0 share, intervals, mean and sd are null; with
// n = 1 sd and mean_interval are null. "groups" only when grouped.
std::string to_json(const summary& value, int indent = -1);

// One CSAT or CES summary as the "csat"/"ces" block above, without groups.
std::string to_json(const rating_summary& value);

// Two groups of ratings of one metric: {"share": two-proportion test,
// "mean": Welch's test}, fields as in a group's versus; a test that lacks
// answers is null.
std::string rating_comparison_json(const rating_tally& a, const rating_tally& b, double confidence);

// A test as JSON, the fields of npskit.comparison/1 and
// npskit.benchmark-comparison/1 that describe the test: method, diff,
// adjusted_diff (adjusted Wald only), se, z, p_value, confidence and
// significant (is_significant at that confidence).
std::string to_json(const comparison& test, double confidence);

}  // namespace npskit

#endif  // NPSKIT_SUMMARY_H
