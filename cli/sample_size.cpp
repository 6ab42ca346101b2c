// `npskit sample-size`: how many answers a survey needs for a margin of error,
// or per group to detect a difference between two groups.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "command.h"
#include "format.h"
#include "npskit/rating.h"
#include "npskit/stats.h"

namespace npskit::cli {

namespace {

const std::vector<option_spec>& sample_size_options() {
  static const std::vector<option_spec> options = {
      {"--margin", option_arity::single, "POINTS",
       "margin of error (interval half-width) in NPS points"},
      {"--difference", option_arity::single, "POINTS",
       "smallest difference in NPS points between two groups to detect"},
      {"--metric", option_arity::single, "M", "nps (default), csat (1-5) or ces (1-7)"},
      {"--of", option_arity::single, "WHAT",
       "with csat or ces: share (default; of 4-5, of 5-7) or mean"},
      {"--confidence", option_arity::single, "C",
       "confidence level, between 0 and 1 (default 0.95)"},
      {"--method", option_arity::single, "M",
       "with --margin: wald, adjusted-wald (default) or tango"},
      {"--power", option_arity::single, "P",
       "with --difference: chance to detect it (default 0.8)"},
      {"--expect", option_arity::repeated, "P,S,D",
       "NPS: expected promoters, passives, detractors instead of the worst case (twice: A, B);\n"
       "share: the expected share in % (twice: A, B); mean: the expected standard deviation"},
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
    "CSAT and CES (--metric): a share within +-m percentage points needs\n"
    "z^2 p (1 - p) / m^2 answers (p = 50 % at worst); a mean within +-m rating\n"
    "points the smallest n with t_(n-1) s / sqrt(n) <= m (s at most half the\n"
    "scale); differences as for NPS with those variances.\n"
    "The result counts completed answers; divide by the expected response rate to\n"
    "size the invitation list.\n"
    "\n"
    "Exit status: 0 success, 2 usage error.\n"
    "\n"
    "Examples:\n"
    "  npskit sample-size --margin 5\n"
    "  npskit sample-size --margin 3 --confidence 0.9 --expect 50,30,20\n"
    "  npskit sample-size --difference 10 --power 0.9\n"
    "  npskit sample-size --metric csat --margin 3 --expect 80\n"
    "  npskit sample-size --metric ces --of mean --difference 0.3 --expect 1.2\n";

// A CSAT or CES plan: of the share of satisfied (easy) answers or of the mean.
struct rating_goal {
  rating_metric metric = rating_metric::csat;
  bool mean = false;
  std::vector<double> expected;  // shares in %, or one standard deviation
};

struct sample_size_request {
  std::optional<rating_goal> rating;
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
  if (const auto text = arguments.value("--metric"); text && *text != "nps") {
    result<rating_metric> metric = parse_rating_metric(*text);
    if (!metric) {
      return invalid("--metric: \"" + *text + "\" is not a metric; expected nps, csat or ces");
    }
    rating_goal goal;
    goal.metric = *metric;
    const std::string of = arguments.value("--of").value_or("share");
    if (of != "share" && of != "mean") {
      return invalid("--of: \"" + of + "\" is not share or mean");
    }
    goal.mean = of == "mean";
    if (arguments.has("--method")) {
      return invalid("--method applies to NPS only");
    }
    const std::vector<std::string> expect_texts = arguments.values("--expect");
    const std::size_t allowed = goal.mean || request.margin ? 1 : 2;
    if (expect_texts.size() > allowed) {
      return invalid("--expect is given " + std::to_string(expect_texts.size()) + " times; " +
                     (goal.mean ? "a mean takes one standard deviation"
                                : "a share takes one expected share, two for A and B"));
    }
    for (const std::string& expect : expect_texts) {
      result<double> value = parse_positive("--expect", expect, goal.mean ? 3 : 100);
      if (!value) return value.error();
      goal.expected.push_back(*value);
    }
    request.rating = std::move(goal);
    return request;
  }
  if (arguments.has("--of")) return invalid("--of applies to --metric csat or ces");
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

std::optional<double> expected_at(const rating_goal& goal, std::size_t index) {
  if (goal.expected.empty()) return std::nullopt;
  return goal.expected[std::min(index, goal.expected.size() - 1)];
}

int run_rating(const sample_size_request& request) {
  const rating_goal& goal = *request.rating;
  const bool margin = request.margin.has_value();
  const double target = margin ? *request.margin : *request.difference;
  result<sample_size_plan> plan = make_error(error_code::invalid_argument, "no plan");
  if (margin) {
    plan = goal.mean ? rating_mean_sample_size(goal.metric, target, request.confidence,
                                               expected_at(goal, 0))
                     : rating_share_sample_size(target, request.confidence, expected_at(goal, 0));
  } else {
    plan = goal.mean
               ? rating_mean_difference_sample_size(goal.metric, target, request.confidence,
                                                    request.power, expected_at(goal, 0))
               : rating_share_difference_sample_size(target, request.confidence, request.power,
                                                     expected_at(goal, 0), expected_at(goal, 1));
  }
  if (!plan) return usage_failure("sample-size", plan.error().message);
  const std::string metric = to_string(goal.metric);
  if (request.json) {
    nlohmann::ordered_json out;
    out["schema"] = "npskit.sample-size/1";
    out["metric"] = metric;
    out["of"] = goal.mean ? "mean" : "share";
    out["goal"] = margin ? "margin" : "difference";
    out[margin ? "margin" : "difference"] = target;
    out["confidence"] = request.confidence;
    if (!margin) out["power"] = request.power;
    if (goal.mean && !goal.expected.empty()) out["expected_sd"] = goal.expected.front();
    if (!goal.mean && !goal.expected.empty()) {
      if (margin) {
        out["expected_share"] = goal.expected.front();
      } else {
        out["expected_share_a"] = *expected_at(goal, 0);
        out["expected_share_b"] = *expected_at(goal, 1);
      }
    }
    out["variance"] = plan->variance;
    out["z"] = plan->z;
    if (margin) {
      out["n"] = plan->n;
      out["half_width"] = plan->half_width;
    } else {
      out["n_per_group"] = plan->n;
      out["n_total"] = plan->n * 2;
    }
    print(out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    return exit_ok;
  }
  const rating_scale scale = scale_of(goal.metric);
  std::string upper = metric;
  for (char& c : upper) c = static_cast<char>(c - 'a' + 'A');
  const std::string what = goal.mean ? "the mean " + upper + " (" + std::to_string(scale.low) +
                                           "-" + std::to_string(scale.high) + ")"
                                     : upper + " (the share of " + std::to_string(scale.top_from) +
                                           "-" + std::to_string(scale.high) + ")";
  const std::string unit = goal.mean ? " points" : " percentage points";
  const double spread =
      goal.expected.empty() ? (scale.high - scale.low) / 2.0 : goal.expected.front();
  std::string assumption;
  if (goal.mean) {
    assumption = (goal.expected.empty() ? "the largest spread the scale allows, s = "
                                        : "expected standard deviation s = ") +
                 as_given(spread);
  } else if (goal.expected.empty()) {
    assumption = "worst case, 50 %";
  } else {
    assumption = "expected " + as_given(goal.expected.front()) + " %";
    if (goal.expected.size() > 1) assumption += " and " + as_given(goal.expected.back()) + " %";
  }
  if (margin) {
    print("You need " + std::to_string(plan->n) + " responses to measure " + what + " within ±" +
          as_given(target) + unit + " at " + confidence_label(request.confidence) +
          " confidence.\n  (±" + fixed(plan->half_width, 2) + unit + " with " +
          std::to_string(plan->n) + " answers; " + assumption + ")\n");
  } else {
    print("You need " + std::to_string(plan->n) + " responses per group (" +
          std::to_string(plan->n * 2) + " in total) to detect a difference of " + as_given(target) +
          unit + " in " + what + " at " + confidence_label(request.confidence) +
          " confidence with " + confidence_label(request.power) + " power.\n  (" + assumption +
          ")\n");
  }
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
  if (request->rating) return run_rating(*request);
  return request->margin ? run_margin(*request) : run_difference(*request);
}

}  // namespace npskit::cli
