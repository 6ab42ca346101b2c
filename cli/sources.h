// Summaries from what the user hands the command: answer files (merged into
// one) or bare counts. Shared by `summarize` and `compare`.
#ifndef NPSKIT_CLI_SOURCES_H
#define NPSKIT_CLI_SOURCES_H

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arguments.h"
#include "input.h"
#include "npskit/result.h"
#include "npskit/summary.h"
#include "npskit/tally.h"

namespace npskit::cli {

result<summary> summary_of_tally(const tally& value, const summary_options& options);

// A rejected row and, when several files were read, the file it is in.
struct located_rejection {
  std::string file;
  std::uint64_t line = 0;
  std::string reason;
};

struct file_summary {
  summary value;
  // The same rows as value.rejections, for the text report.
  std::vector<located_rejection> rejections;
};

// Reads every path (in order; "-" is standard input) and summarizes the
// merged answers. With several files each rejection's reason in the summary
// starts with its file's name, so the JSON stays unambiguous. Errors name the
// file that could not be read.
result<file_summary> summarize_files(const std::vector<std::string>& paths,
                                     const input_settings& input, const summary_options& options);

// When reading failed because a column named on the command line is not in
// the input, the option that named it: a misspelt column is a usage error.
std::optional<std::string_view> misnamed_column_flag(const error& failure,
                                                     const parsed_arguments& arguments);

// "a.csv", "a.csv + b.csv", "standard input".
std::string describe_files(const std::vector<std::string>& paths);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_SOURCES_H
