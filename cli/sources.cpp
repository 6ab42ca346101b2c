#include "sources.h"

#include <utility>

namespace npskit::cli {

result<summary> summary_of_tally(const tally& value, const summary_options& options) {
  result<score_summary> overall = npskit::summarize_tally(value, options);
  if (!overall) return overall.error();
  summary out;
  out.overall = std::move(*overall);
  return out;
}

result<file_summary> summarize_files(const std::vector<std::string>& paths,
                                     const input_settings& input, const summary_options& options) {
  const bool collect_themes = options.themes_per_category > 0;
  aggregate merged(input.by, collect_themes, input.dates);
  if (input.by == group_by::segment) merged.set_segment_columns(input.columns.segment_columns);
  std::uint64_t rejected = 0;
  std::vector<rejection> rejections;
  std::vector<located_rejection> located;
  const std::size_t reported_limit = input.columns.max_reported_rejections;
  for (const std::string& path : paths) {
    result<input_result> file = read_input(path, input, collect_themes);
    if (!file) return file.error();
    const status combined = merged.merge(file->data);
    if (!combined) return combined.error();
    rejected += file->rejected;
    for (const rejection& rejected_row : file->rejections) {
      if (rejections.size() >= reported_limit) break;
      const std::string label = paths.size() > 1 ? input_name(path) : std::string();
      located.push_back({label, rejected_row.line, rejected_row.reason});
      rejection reported = rejected_row;
      if (!label.empty()) reported.reason = label + ": " + reported.reason;
      rejections.push_back(std::move(reported));
    }
  }
  result<summary> merged_summary = summarize(merged, options, rejected, rejections);
  if (!merged_summary) return merged_summary.error();
  return file_summary{std::move(*merged_summary), std::move(located)};
}

std::optional<std::string_view> misnamed_column_flag(const error& failure,
                                                     const parsed_arguments& arguments) {
  if (failure.code != error_code::missing_column) return std::nullopt;
  // The core names the role of every column but the score column.
  static constexpr std::pair<std::string_view, std::string_view> roles[] = {
      {"(the weight column)", "--weight-column"},   {"(the segment column)", "--segment-column"},
      {"(a segment column)", "--segment-column"},   {"(the date column)", "--date-column"},
      {"(the comment column)", "--comment-column"}, {"(the CSAT column)", "--csat-column"},
      {"(the CES column)", "--ces-column"},         {"(the type column)", ""},
  };
  std::string_view flag = "--score-column";
  for (const auto& [role, option] : roles) {
    if (failure.message.find(role) != std::string::npos) flag = option;
  }
  if (flag.empty() || !arguments.has(flag)) return std::nullopt;
  return flag;
}

std::string describe_files(const std::vector<std::string>& paths) {
  std::string description;
  for (const std::string& path : paths) {
    if (!description.empty()) description += " + ";
    description += input_name(path);
  }
  return description;
}

}  // namespace npskit::cli
