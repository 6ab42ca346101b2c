// `npskit sample-size`: how many answers a survey needs for a margin of error,
// or per group to detect a difference between two groups.
#include <nlohmann/json.hpp>

#include "command.h"
#include "format.h"
#include "npskit/stats.h"

namespace npskit::cli {

namespace {

const std::vector<option_spec>& sample_size_options() {
  static const std::vector<option_spec> options = {
      {"--margin", option_arity::single, "POINTS",
       "margin of error (interval half-width) in NPS points"},
      {"--difference", option_arity::single, "POINTS",
       "smallest difference in NPS points between two groups to detect"},
      {"--confidence", option_arity::single, "C",
       "confidence level, between 0 and 1 (default 0.95)"},
      {"--method", option_arity::single, "M",
       "with --margin: wald, adjusted-wald (default) or tango"},
      {"--power", option_arity::single, "P",
       "with --difference: chance to detect it (default 0.8)"},
      {"--expect", option_arity::repeated, "P,S,D",
       "expected promoters, passives, detractors instead of the worst case (twice: A, B)"},
      {"--json", option_arity::flag, "",
       "print one npskit.sample-size/1 JSON object instead of text"},
      {"--help", option_arity::flag, "", "show this help"},
  };
  return options;
}

constexpr std::string_view sample_size_details =
    "Margin: the smallest n whose interval (with --method, for n answers in the\n"
    "expected split, clipped to -100..100) is no wider than +-m points. It starts\n"
    "from z^2 V / m^2, where V is the variance of one answer: 1 in the worst case\n"
    "(half promoters, half detractors), smaller for an expected split; skewed\n"
    "splits need more than that formula says. Difference: n per group =\n"
    "(z_(1-alpha/2) + z_power)^2 (V_A + V_B) / d^2.\n"
    "The result counts completed answers; divide by the expected response rate to\n"
    "size the invitation list.\n"
    "\n"
    "Exit status: 0 success, 2 usage error.\n"
    "\n"
    "Examples:\n"
    "  npskit sample-size --margin 5\n"
    "  npskit sample-size --margin 3 --confidence 0.9 --expect 50,30,20\n"
    "  npskit sample-size --difference 10 --power 0.9\n";

struct sample_size_request {
  std::optional<double> margin;
  std::optional<double> difference;
  double confidence = 0.95;
  interval_method method = interval_method::adjusted_wald;
  double power = 0.8;
  std::vector<counts> expected;
  bool json = false;
};

result<sample_size_request> read_request(const parsed_arguments& arguments) {
  const auto invalid = [](std::string message) {
    return make_error(error_code::invalid_argument, std::move(message));
  };
  sample_size_request request;
  request.json = arguments.has("--json");
  if (!arguments.operands().empty()) {
    return invalid("unexpected argument " + quote(arguments.operands().front()) +
                   "; sample-size takes only options");
  }
  const auto margin_text = arguments.value("--margin");
  const auto difference_text = arguments.value("--difference");
  if (margin_text && difference_text) {
    return invalid("give either --margin or --difference, not both");
  }
  if (!margin_text && !difference_text) {
    return invalid(
        "needs --margin POINTS (precision of one NPS) or --difference POINTS (two groups)");
  }
  if (margin_text) {
    result<double> margin = parse_positive("--margin", *margin_text, 200);
    if (!margin) return margin.error();
    request.margin = *margin;
    if (arguments.has("--power")) {
      return invalid("--power applies to --difference, not to --margin");
    }
  } else {
    result<double> difference = parse_positive("--difference", *difference_text, 200);
    if (!difference) return difference.error();
    request.difference = *difference;
    if (arguments.has("--method")) {
      return invalid("--method applies to --margin; the test for --difference is always a z test");
    }
  }
  if (const auto text = arguments.value("--confidence")) {
    result<double> confidence = parse_fraction("--confidence", *text);
    if (!confidence) return confidence.error();
    request.confidence = *confidence;
  }
  if (const auto text = arguments.value("--power")) {
    result<double> power = parse_fraction("--power", *text);
    if (!power) return power.error();
    request.power = *power;
  }
  if (const auto text = arguments.value("--method")) {
    result<interval_method> method = parse_method("--method", *text);
    if (!method) return method.error();
    request.method = *method;
  }
  const std::vector<std::string> expect_texts = arguments.values("--expect");
  const std::size_t allowed = request.margin ? 1 : 2;
  if (expect_texts.size() > allowed) {
    return invalid(
        std::string("--expect is given ") + std::to_string(expect_texts.size()) + " times; " +
        (request.margin ? "--margin takes one split" : "--difference takes at most two (A, B)"));
  }
  for (const std::string& text : expect_texts) {
    result<counts> split = parse_counts("--expect", text);
    if (!split) return split.error();
    if (split->n() == 0) return invalid("--expect " + quote(text) + " needs at least one answer");
    request.expected.push_back(*split);
  }
  return request;
}

std::string split_label(const counts& split) {
  const shares percent = percentages(split);
  return fixed(percent.promoters, 0) + "% promoters, " + fixed(percent.passives, 0) +
         "% passives, " + fixed(percent.detractors, 0) + "% detractors";
}

nlohmann::ordered_json split_json(const counts& split) {
  nlohmann::ordered_json out;
  out["promoters"] = split.promoters;
  out["passives"] = split.passives;
  out["detractors"] = split.detractors;
  return out;
}

int run_margin(const sample_size_request& request) {
  const std::optional<counts> expected =
      request.expected.empty() ? std::nullopt : std::optional<counts>(request.expected.front());
  result<sample_size_plan> plan =
      sample_size_for_margin(*request.margin, request.confidence, request.method, expected);
  if (!plan) return usage_failure("sample-size", plan.error().message);

  if (request.json) {
    nlohmann::ordered_json out;
    out["schema"] = "npskit.sample-size/1";
    out["goal"] = "margin";
    out["margin"] = *request.margin;
    out["confidence"] = request.confidence;
    out["method"] = to_string(request.method);
    if (expected) out["expected"] = split_json(*expected);
    out["variance"] = plan->variance;
    out["z"] = plan->z;
    out["n"] = plan->n;
    out["half_width"] = plan->half_width;
    print(out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    return exit_ok;
  }
  const std::string assumption =
      expected ? "expected " + split_label(*expected) + ", V = " + fixed(plan->variance, 4)
               : std::string("worst case, V = 1");
  print("You need " + std::to_string(plan->n) + " responses to measure NPS within ±" +
        as_given(*request.margin) + " points at " + confidence_label(request.confidence) +
        " confidence.\n  (" + method_label(request.method) + " interval, ±" +
        fixed(plan->half_width, 2) + " points with " + std::to_string(plan->n) + " answers; " +
        assumption + ", z = " + fixed(plan->z, 4) + ")\n");
  return exit_ok;
}

int run_difference(const sample_size_request& request) {
  std::optional<counts> expected_a;
  std::optional<counts> expected_b;
  if (!request.expected.empty()) {
    expected_a = request.expected.front();
    expected_b = request.expected.back();
  }
  result<sample_size_plan> plan = sample_size_for_difference(
      *request.difference, request.confidence, request.power, expected_a, expected_b);
  if (!plan) return usage_failure("sample-size", plan.error().message);

  if (request.json) {
    nlohmann::ordered_json out;
    out["schema"] = "npskit.sample-size/1";
    out["goal"] = "difference";
    out["difference"] = *request.difference;
    out["confidence"] = request.confidence;
    out["power"] = request.power;
    if (expected_a) {
      out["expected_a"] = split_json(*expected_a);
      out["expected_b"] = split_json(*expected_b);
    }
    out["variance"] = plan->variance;
    out["z"] = plan->z;
    out["n_per_group"] = plan->n;
    out["n_total"] = plan->n * 2;
    print(out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    return exit_ok;
  }
  std::string assumption = "worst case, V = 1 in each group";
  if (expected_a) {
    assumption = request.expected.size() == 1
                     ? "both groups " + split_label(*expected_a)
                     : "A " + split_label(*expected_a) + "; B " + split_label(*expected_b);
  }
  print("You need " + std::to_string(plan->n) + " responses per group (" +
        std::to_string(plan->n * 2) + " in total) to detect a difference of " +
        as_given(*request.difference) + " points at " + confidence_label(request.confidence) +
        " confidence with " + confidence_label(request.power) + " power.\n  (two-sided z test, " +
        assumption + ")\n");
  return exit_ok;
}

}  // namespace

int run_sample_size(const std::vector<std::string>& args) {
  constexpr std::string_view command = "sample-size";
  const command_help help{command, "--margin POINTS | --difference POINTS  [options]",
                          "Plan a survey: the number of answers needed for a margin of error, or\n"
                          "per group to detect a difference between two groups.",
                          sample_size_options(), sample_size_details};
  result<parsed_arguments> arguments = parse_arguments(sample_size_options(), args);
  if (!arguments) return usage_failure(command, arguments.error().message);
  if (arguments->has("--help")) {
    print_help(help);
    return exit_ok;
  }
  result<sample_size_request> request = read_request(*arguments);
  if (!request) return usage_failure(command, request.error().message);
  return request->margin ? run_margin(*request) : run_difference(*request);
}

}  // namespace npskit::cli
