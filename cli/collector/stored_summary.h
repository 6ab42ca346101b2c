// /api/summary from the counts the store keeps per survey, date, segment and
// score, and the stored comments when themes are asked for: the cost grows
// with the number of dates and segments, not with the number of answers.
#ifndef NPSKIT_CLI_COLLECTOR_STORED_SUMMARY_H
#define NPSKIT_CLI_COLLECTOR_STORED_SUMMARY_H

#include <string>

#include "collector/store.h"
#include "npskit/aggregate.h"
#include "npskit/result.h"
#include "npskit/summary.h"

namespace npskit::cli {

struct summary_request {
  row_filter filter;
  group_by by = group_by::none;
  summary_options options;  // themes_per_category 0: the comments are not read
};

// The summary `npskit summarize --json` computes from an export of the same
// answers (same filter, grouping and options), to the last digit. Answers
// whose counts would not match what a reader sees in the export are counted
// apart; a filter that takes any of them falls back to reading every payload.
// Errors: storage_failure is set when the database could not be read (the
// message names the cause, never the file's path); otherwise the options were
// invalid.
result<summary> summarize_stored(const std::string& path, const summary_request& request,
                                 bool& storage_failure);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_STORED_SUMMARY_H
