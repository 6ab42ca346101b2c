// `npskit compare`: whether two independent groups' NPS differ, with a
// two-sided z test.
#include <unistd.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "command.h"
#include "format.h"
#include "npskit/stats.h"
#include "npskit/summary.h"
#include "sources.h"
#include "text_report.h"

namespace npskit::cli {

namespace {

const std::vector<option_spec>& compare_options() {
  static const std::vector<option_spec> options = {
      {"--json", option_arity::flag, "",
       "print one npskit.comparison/1 JSON object instead of text"},
      {"--method", option_arity::single, "M",
       "intervals: tango (default; tested with adjusted Wald), adjusted-wald or wald"},
      {"--confidence", option_arity::single, "C",
       "confidence level of the test and the intervals (default 0.95)"},
      {"--counts", option_arity::repeated, "P,S,D",
       "a group given as counts of promoters, passives, detractors (twice: A then B)"},
      {"--format", option_arity::single, "F",
       "csv, tsv, json or jsonl (default: from the file name)"},
      {"--score-column", option_arity::single, "NAME",
       "column or key holding the 0-10 score (default score)"},
      {"--help", option_arity::flag, "", "show this help"},
  };
  return options;
}

constexpr std::string_view compare_details =
    "The test compares the NPS of A and B as independent samples:\n"
    "z = (NPS_A - NPS_B) / sqrt(SE_A^2 + SE_B^2), two-sided p. The adjusted-Wald\n"
    "test (also the test of the Tango intervals) uses the adjusted estimates\n"
    "(n + 3, +0.75 promoters and detractors); the difference it tests is then\n"
    "adjusted_diff in the JSON, while diff is always the plain NPS_A - NPS_B.\n"
    "The difference is significant when p < 1 - confidence. With Wald and every\n"
    "answer of both groups in one category there is no standard error and no test.\n"
    "\n"
    "Exit status: 0 success (significant or not), 1 unreadable input, 2 usage error.\n"
    "\n"
    "Examples:\n"
    "  npskit compare march.csv april.csv\n"
    "  npskit compare --json --method wald --counts 50,30,20 --counts 40,35,25\n";

struct group_input {
  std::string label;
  std::optional<tally> answers;  // from --counts
  std::string path;              // otherwise
};

struct compare_request {
  summary_options options;
  input_settings input;
  std::array<group_input, 2> groups;
  bool json = false;
};

result<compare_request> read_request(const parsed_arguments& arguments) {
  const auto invalid = [](std::string message) {
    return make_error(error_code::invalid_argument, std::move(message));
  };
  compare_request request;
  request.json = arguments.has("--json");
  request.options.themes_per_category = 0;
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
  if (const auto text = arguments.value("--format")) {
    result<input_format> format = parse_format("--format", *text);
    if (!format) return format.error();
    request.input.format = *format;
  }
  if (const auto name = arguments.value("--score-column")) {
    if (name->find_first_not_of(" \t") == std::string::npos) {
      return invalid("--score-column needs a column name, not " + quote(*name));
    }
    request.input.columns.score_column = *name;
  }
  request.input.progress = ::isatty(STDERR_FILENO) == 1;

  const std::vector<std::string> counts_texts = arguments.values("--counts");
  const std::vector<std::string>& paths = arguments.operands();
  if (!counts_texts.empty() && !paths.empty()) {
    return invalid("give either two files or two --counts, not both (got " + quote(paths.front()) +
                   " and --counts)");
  }
  if (!counts_texts.empty()) {
    if (counts_texts.size() != 2) {
      return invalid("--counts is needed exactly twice, for A and B (got " +
                     std::to_string(counts_texts.size()) + ")");
    }
    for (std::size_t index = 0; index < 2; ++index) {
      result<counts> parsed = parse_counts("--counts", counts_texts[index]);
      if (!parsed) return parsed.error();
      if (parsed->n() == 0) {
        return invalid("--counts " + quote(counts_texts[index]) + " has no answers to compare");
      }
      result<tally> answers = tally_from_counts(*parsed);
      if (!answers) {
        return invalid("--counts " + quote(counts_texts[index]) + ": " + answers.error().message);
      }
      request.groups[index] = {"counts " + counts_texts[index], *answers, ""};
    }
    return request;
  }
  if (paths.size() != 2) {
    return invalid("needs two answer files A and B, or --counts twice (got " +
                   std::to_string(paths.size()) + " file" + (paths.size() == 1 ? "" : "s") + ")");
  }
  if (paths[0].empty() || paths[1].empty()) return invalid("a file name is empty (\"\")");
  if (paths[0] == "-" && paths[1] == "-") {
    return invalid("standard input (-) can be read only once");
  }
  for (std::size_t index = 0; index < 2; ++index) {
    request.groups[index] = {input_name(paths[index]), std::nullopt, paths[index]};
  }
  return request;
}

std::string comparison_text(const std::array<summary, 2>& summaries,
                            const std::array<group_input, 2>& groups, const comparison& test,
                            double confidence) {
  const double alpha = 1 - confidence;  // for printing p with enough digits
  const interval_method shown_method = summaries[0].overall.interval.method;
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"", "", "n", "NPS",
                  confidence_label(confidence) + " CI (" + method_label(shown_method) + ")"});
  const char* names[] = {"A", "B"};
  for (std::size_t index = 0; index < 2; ++index) {
    const score_summary& stats = summaries[index].overall;
    rows.push_back({names[index], groups[index].label, std::to_string(stats.n), fixed(stats.nps, 1),
                    interval_text(stats.interval)});
  }
  std::string text =
      "Comparison of two groups\n\n" + table(rows, {false, false, true, true, false}, "  ");

  const std::string points = fixed(std::fabs(test.diff), 1);
  text += "\n  Difference A - B  " + fixed(test.diff, 1) + " points\n";
  const char* test_method = method_label(test.method);
  if (!(test.se > 0)) {
    text += "  z test            not possible: both groups' answers have no spread under the " +
            std::string(test_method) + " method\n\n";
    text += "The " + std::string(test_method) +
            " test cannot judge this difference; try --method adjusted-wald.\n";
    return text;
  }
  const std::string p_text = p_value_label(test.p_value, alpha, is_significant(test, confidence));
  const std::string p_phrase = p_text[0] == '<' ? "p " + p_text : "p = " + p_text;
  text += "  z test            z = " + fixed(test.z, 2) + ", " + p_phrase + " (" + test_method +
          ", SE " + fixed(test.se, 1) + ")\n";
  if (test.adjusted_diff) {
    text +=
        "                    tested on the adjusted estimates (n + 3, +0.75 promoters and\n"
        "                    detractors), whose difference is " +
        fixed(*test.adjusted_diff, 1) + " points\n";
  }
  const bool significant = is_significant(test, confidence);
  text += "\nThe difference of " + points + " points is " + (significant ? "" : "not ") +
          "statistically significant at " + confidence_label(confidence) + " (" + p_phrase + ")";
  if (significant) text += test.diff > 0 ? ": A scores higher than B" : ": B scores higher than A";
  text += ".\n";
  return text;
}

}  // namespace

int run_compare(const std::vector<std::string>& args) {
  constexpr std::string_view command = "compare";
  const command_help help{
      command, "[options] A B  |  --counts P,S,D --counts P,S,D",
      "Test whether the NPS of two independent groups differs, e.g. two periods,\n"
      "two products or two survey waves.",
      compare_options(), compare_details};
  result<parsed_arguments> arguments = parse_arguments(compare_options(), args);
  if (!arguments) return usage_failure(command, arguments.error().message);
  if (arguments->has("--help")) {
    print_help(help);
    return exit_ok;
  }
  result<compare_request> request = read_request(*arguments);
  if (!request) return usage_failure(command, request.error().message);

  std::array<summary, 2> summaries;
  for (std::size_t index = 0; index < 2; ++index) {
    const group_input& group = request->groups[index];
    if (group.answers) {
      result<summary> counted = summary_of_tally(*group.answers, request->options);
      if (!counted) return usage_failure(command, counted.error().message);
      summaries[index] = std::move(*counted);
      continue;
    }
    result<file_summary> read = summarize_files({group.path}, request->input, request->options);
    if (!read) {
      if (const auto flag = misnamed_column_flag(read.error(), *arguments)) {
        return usage_failure(command, std::string(*flag) + ": " + read.error().message);
      }
      return input_failure(read.error().message);
    }
    if (read->value.overall.n == 0) {
      return input_failure(group.label + ": no valid answers to compare (" +
                           std::to_string(read->value.rejected) + " rows rejected)");
    }
    summaries[index] = std::move(read->value);
  }

  result<comparison> tested = compare_groups(
      summaries[0].overall.categories, summaries[1].overall.categories, request->options.method);
  if (!tested) return usage_failure(command, tested.error().message);
  const double confidence = request->options.confidence;

  if (!request->json) {
    print(comparison_text(summaries, request->groups, *tested, confidence));
    return exit_ok;
  }
  nlohmann::ordered_json out;
  out["schema"] = "npskit.comparison/1";
  // The core writes the test, significance included, as the module does.
  const nlohmann::ordered_json test =
      nlohmann::ordered_json::parse(to_json(*tested, confidence), nullptr, false);
  for (const auto& [key, field] : test.items()) out[key] = field;
  const char* keys[] = {"a", "b"};
  for (std::size_t index = 0; index < 2; ++index) {
    // Re-parsed rather than rebuilt so both summaries are exactly the
    // npskit.summary/1 objects `summarize --json` prints.
    nlohmann::ordered_json parsed =
        nlohmann::ordered_json::parse(to_json(summaries[index]), nullptr, false);
    if (parsed.is_discarded()) {
      return input_failure("the summary of " + request->groups[index].label +
                           " is not valid JSON; please report this as a bug");
    }
    out[keys[index]] = std::move(parsed);
  }
  print(out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  return exit_ok;
}

}  // namespace npskit::cli
