// `npskit summarize`: the NPS, its interval, the distribution and optional
// groups of answer files or counts.
#include <unistd.h>

#include <algorithm>

#include "collector/answer_origin.h"
#include "command.h"
#include "format.h"
#include "npskit/bands.h"
#include "npskit/summary.h"
#include "sources.h"
#include "text_report.h"

namespace npskit::cli {

namespace {

// The default bands as the core defines them, in the form --bands takes.
std::string_view bands_help() {
  static const std::string help =
      "benchmark bands name:lower,... (default " + bands_text(default_bands()) + ")";
  return help;
}

const std::vector<option_spec>& summarize_options() {
  static const std::vector<option_spec> options = {
      {"--json", option_arity::flag, "",
       "print one npskit.summary/1 JSON object instead of the report"},
      {"--method", option_arity::single, "M",
       "interval method: tango (default), adjusted-wald or wald"},
      {"--confidence", option_arity::single, "C",
       "confidence level, between 0 and 1 (default 0.95)"},
      {"--by", option_arity::single, "G", "groups: segment, day, week, month, channel or campaign"},
      {"--format", option_arity::single, "F",
       "csv, tsv, json or jsonl (default: from the file name)"},
      {"--score-column", option_arity::single, "NAME",
       "column or key holding the 0-10 score (default score)"},
      {"--weight-column", option_arity::single, "NAME",
       "column of survey weights (default: unweighted)"},
      {"--segment-column", option_arity::repeated, "NAME",
       "column used by --by segment (default segment); repeat it for several columns"},
      {"--min-group-size", option_arity::single, "N",
       "groups with fewer answers are listed but not tested (default 0)"},
      {"--date-column", option_arity::single, "NAME",
       "date used by --by day|week|month (default submitted_at, date, timestamp or created_at)"},
      {"--comment-column", option_arity::single, "NAME",
       "column of comments for the themes (default comment)"},
      {"--csat-column", option_arity::single, "NAME",
       "column or key holding a 1-5 CSAT rating (default csat)"},
      {"--ces-column", option_arity::single, "NAME",
       "column or key holding a 1-7 CES rating (default ces)"},
      {"--utc-offset", option_arity::single, "+HH:MM",
       "count days, weeks and months at this fixed offset from UTC (default +00:00)"},
      {"--date-order", option_arity::single, "dmy|mdy",
       "read dates such as 01.03.2026 or 03/01/2026 day-first (dmy) or month-first (mdy)"},
      {"--counts", option_arity::single, "P,S,D",
       "summarize counts of promoters, passives, detractors"},
      {"--histogram", option_arity::single, "h0,...,h10",
       "summarize how many answers gave each score"},
      {"--bands", option_arity::single, "SPEC", bands_help()},
      {"--themes", option_arity::single, "N",
       "comment themes listed per category (default 10, 0 for none)"},
      {"--help", option_arity::flag, "", "show this help"},
  };
  return options;
}

constexpr std::string_view summarize_details =
    "Several files are merged into one summary. FILE - reads standard input;\n"
    "its format is --format or else sniffed: '[' starts JSON, '{' JSONL, anything\n"
    "else CSV (comma, semicolon or tab). Files of unknown extension are sniffed\n"
    "the same way. Rows that cannot be used are reported with their line number\n"
    "and are not counted; they do not make the command fail. A column named by an\n"
    "option must be in the input (exit status 2 otherwise, with the columns found).\n"
    "\n"
    "Dates for --by day|week|month: a timestamp with an offset (Z, +02:00) is\n"
    "converted to UTC, or to the --utc-offset given, before its day is taken;\n"
    "one without an offset is taken as written. ISO-8601 dates (2026-03-01) are\n"
    "always read; 01.03.2026 or 03/01/2026 only with --date-order, never guessed.\n"
    "Answers whose date is missing or unreadable still count in the overall\n"
    "score; the report says how many are in no period and why.\n"
    "\n"
    "Several --segment-column options with --by segment give each column alone\n"
    "and every two crossed (country x plan), each group tested against the rest.\n"
    "\n"
    "--by channel and --by campaign group the answers of a collector's export by\n"
    "where they came from, as its /api/summary?by=channel|campaign does: a blank\n"
    "channel is web (the page), a blank campaign (none). With --json, each\n"
    "campaign group has \"invitations\" and \"response_rate\", null here (an\n"
    "export holds no invitations).\n"
    "\n"
    "CSAT (1-5) and CES (1-7) ratings in a csat or ces column (or key, or the\n"
    "--csat-column/--ces-column named) are summarized beside the NPS: CSAT % is\n"
    "the share of 4-5 and the CES easy share that of 5-7, each with Wilson's\n"
    "interval, and the mean apart with Student's t interval. A row with a\n"
    "rating and no score counts in the ratings only; a JSON answer with\n"
    "\"metric\": \"csat\" or \"ces\" has its rating in score, and a companion\n"
    "(\"answer_id\") is grouped with the answer it completes.\n"
    "\n"
    "Exit status: 0 success, 1 unreadable input, 2 usage error.\n"
    "\n"
    "Examples:\n"
    "  npskit summarize responses.csv\n"
    "  npskit summarize --by month --json export-*.jsonl\n"
    "  npskit summarize --by segment --segment-column country --segment-column plan a.csv\n"
    "  npskit summarize --by week --utc-offset +01:00 --date-order dmy export.csv\n"
    "  npskit summarize --counts 50,30,20 --method wald --confidence 0.9\n";

// Options that describe how to read files, meaningless for bare counts.
constexpr std::string_view file_only_options[] = {
    "--by",          "--format",         "--score-column", "--weight-column", "--segment-column",
    "--date-column", "--comment-column", "--utc-offset",   "--date-order",    "--csat-column",
    "--ces-column"};

constexpr std::string_view column_options[] = {
    "--score-column",   "--weight-column", "--segment-column", "--date-column",
    "--comment-column", "--csat-column",   "--ces-column"};

struct summarize_request {
  summary_options options;
  input_settings input;
  std::vector<std::string> paths;
  std::optional<tally> answers;  // from --counts or --histogram
  std::string answers_label;
  bool json = false;
  // --by channel|campaign: the segment is that field of the answers.
  std::optional<origin_dimension> origin;
};

result<summarize_request> read_request(const parsed_arguments& arguments) {
  const auto invalid = [](std::string message) {
    return make_error(error_code::invalid_argument, std::move(message));
  };
  summarize_request request;
  request.json = arguments.has("--json");

  if (const auto text = arguments.value("--method")) {
    result<interval_method> method = parse_method("--method", *text);
    if (!method) return method.error();
    request.options.method = *method;
  }
  if (const auto text = arguments.value("--confidence")) {
    result<double> confidence = parse_fraction("--confidence", *text);
    if (!confidence) return confidence.error();
    request.options.confidence = *confidence;
  }
  if (const auto text = arguments.value("--bands")) {
    result<std::vector<band>> bands = parse_bands(*text);
    if (!bands) return invalid("--bands " + quote(*text) + ": " + bands.error().message);
    request.options.bands = std::move(*bands);
  }
  if (const auto text = arguments.value("--themes")) {
    result<std::uint64_t> themes = parse_whole_number("--themes", *text);
    if (!themes) return themes.error();
    request.options.themes_per_category = static_cast<std::size_t>(*themes);
  }
  if (const auto text = arguments.value("--by")) {
    request.origin = parse_origin_dimension(*text);
    result<group_by> by =
        request.origin ? result<group_by>(group_by::segment) : parse_group_by(*text);
    if (!by || *by == group_by::none) {
      return invalid("--by " + quote(*text) +
                     " is not a grouping; use segment, day, week, month, channel or campaign");
    }
    request.input.by = *by;
  }
  if (const auto text = arguments.value("--format")) {
    result<input_format> format = parse_format("--format", *text);
    if (!format) return format.error();
    request.input.format = *format;
  }
  for (std::string_view flag : column_options) {
    for (const std::string& name : arguments.values(flag)) {
      if (name.find_first_not_of(" \t") == std::string::npos) {
        return invalid(std::string(flag) + " needs a column name, not " + quote(name));
      }
    }
  }
  if (const auto text = arguments.value("--min-group-size")) {
    result<std::uint64_t> size = parse_whole_number("--min-group-size", *text);
    if (!size) return size.error();
    request.options.min_group_size = *size;
  }
  reader_options& columns = request.input.columns;
  columns.score_column = arguments.value("--score-column").value_or(columns.score_column);
  columns.weight_column = arguments.value("--weight-column").value_or(columns.weight_column);
  const std::vector<std::string> segment_columns = arguments.values("--segment-column");
  if (request.origin) {
    if (!segment_columns.empty()) {
      return invalid(std::string("--segment-column cannot be combined with --by ") +
                     to_string(*request.origin) + " (it groups by the " +
                     to_string(*request.origin) + " field)");
    }
    // As the collector counts them (answer_origin.h).
    columns.segment_column = to_string(*request.origin);
    request.input.blank_segment = blank_group(*request.origin);
  }
  if (segment_columns.size() == 1) columns.segment_column = segment_columns.front();
  if (segment_columns.size() > 1) {
    if (request.input.by != group_by::segment) {
      return invalid("several --segment-column options need --by segment");
    }
    columns.segment_columns = segment_columns;
  }
  columns.date_column = arguments.value("--date-column").value_or(columns.date_column);
  columns.comment_column = arguments.value("--comment-column").value_or(columns.comment_column);
  columns.csat_column = arguments.value("--csat-column").value_or(columns.csat_column);
  columns.ces_column = arguments.value("--ces-column").value_or(columns.ces_column);
  if (const auto text = arguments.value("--utc-offset")) {
    result<int> offset = parse_utc_offset(*text);
    if (!offset) return invalid("--utc-offset: " + offset.error().message);
    request.input.dates.utc_offset_minutes = *offset;
  }
  if (const auto text = arguments.value("--date-order")) {
    result<date_order> order = parse_date_order(*text);
    if (!order) return invalid("--date-order: " + order.error().message);
    request.input.dates.order = *order;
  }
  request.input.progress = ::isatty(STDERR_FILENO) == 1;

  const auto counts_text = arguments.value("--counts");
  const auto histogram_text = arguments.value("--histogram");
  request.paths = arguments.operands();
  if (counts_text && histogram_text) return invalid("--counts and --histogram cannot be combined");
  if (counts_text || histogram_text) {
    const std::string_view flag = counts_text ? "--counts" : "--histogram";
    if (!request.paths.empty()) {
      return invalid(std::string(flag) + " cannot be combined with files (got " +
                     quote(request.paths.front()) + ")");
    }
    for (std::string_view file_option : file_only_options) {
      if (arguments.has(file_option)) {
        return invalid(std::string(file_option) + " applies to answer files, not to " +
                       std::string(flag));
      }
    }
    if (counts_text) {
      result<counts> parsed = parse_counts("--counts", *counts_text);
      if (!parsed) return parsed.error();
      result<tally> answers = tally_from_counts(*parsed);
      if (!answers) {
        return invalid("--counts " + quote(*counts_text) + ": " + answers.error().message);
      }
      request.answers = *answers;
      request.answers_label = "counts " + *counts_text;
    } else {
      result<std::array<std::uint64_t, 11>> parsed =
          parse_histogram("--histogram", *histogram_text);
      if (!parsed) return parsed.error();
      result<tally> answers = tally_from_histogram(*parsed);
      if (!answers) {
        return invalid("--histogram " + quote(*histogram_text) + ": " + answers.error().message);
      }
      request.answers = *answers;
      request.answers_label = "histogram " + *histogram_text;
    }
    return request;
  }

  if (request.paths.empty()) {
    return invalid(
        "no input: give answer FILEs (- for standard input), --counts P,S,D or "
        "--histogram h0,...,h10");
  }
  if (std::count(request.paths.begin(), request.paths.end(), "") > 0) {
    return invalid("a file name is empty (\"\")");
  }
  if (std::count(request.paths.begin(), request.paths.end(), "-") > 1) {
    return invalid("standard input (-) can be read only once");
  }
  return request;
}

}  // namespace

int run_summarize(const std::vector<std::string>& args) {
  constexpr std::string_view command = "summarize";
  const command_help help{
      command, "[options] FILE...|-  |  --counts P,S,D  |  --histogram h0,...,h10",
      "Summarize NPS answers: score, confidence interval, shares, distribution,\n"
      "rejected rows, groups with significance tests and comment themes.",
      summarize_options(), summarize_details};
  result<parsed_arguments> arguments = parse_arguments(summarize_options(), args);
  if (!arguments) return usage_failure(command, arguments.error().message);
  if (arguments->has("--help")) {
    print_help(help);
    return exit_ok;
  }
  result<summarize_request> request = read_request(*arguments);
  if (!request) return usage_failure(command, request.error().message);

  report_context context;
  context.bands = request->options.bands;
  summary value;
  if (request->answers) {
    result<summary> counted = summary_of_tally(*request->answers, request->options);
    if (!counted) return usage_failure(command, counted.error().message);
    value = std::move(*counted);
    context.source = request->answers_label;
    // A histogram carries the distribution; counts only the categories.
    context.scores_known = arguments->has("--histogram");
  } else {
    result<file_summary> read = summarize_files(request->paths, request->input, request->options);
    if (!read) {
      if (const auto flag = misnamed_column_flag(read.error(), *arguments)) {
        return usage_failure(command, std::string(*flag) + ": " + read.error().message);
      }
      return input_failure(read.error().message);
    }
    value = std::move(read->value);
    context.rejections = std::move(read->rejections);
    context.source = describe_files(request->paths);
    if (request->origin) context.group_name = to_string(*request->origin);
  }

  if (request->json) {
    std::string json = to_json(value, 2);
    if (request->origin) json = label_origin_summary(json, *request->origin, 2);
    if (json.empty() || json.back() != '\n') json += '\n';
    print(json);
  } else {
    print(summary_text(value, context));
  }
  return exit_ok;
}

}  // namespace npskit::cli
