// The embind surface of the core for api.js, which checks every argument and fills in every
// option. Free functions answer JSON, {"value": ...} or {"error": code, "message": text}, with
// named fields only, so JavaScript never owns a C++ object and never depends on an order; readers
// live in reader_sessions.cpp's table keyed by id.
#include <emscripten/bind.h>

#include <optional>
#include <string>

#include "arguments.h"
#include "npskit/npskit.h"
#include "ratings.h"
#include "reader_sessions.h"
#include "replies.h"

namespace {

using emscripten::val;
using namespace npskit;
using namespace npskit::wasm;

std::string summarize_answers(const val& answers, const val& given) {
  result<summary_options> options = summary_options_from(given);
  result<tally> tallied = tally_of(answers);
  if (const auto problem = first_error(options, tallied)) return failure(*problem);
  summary out;
  result<score_summary> overall = summarize_tally(*tallied, *options);
  if (overall) out.overall = std::move(*overall);
  return overall ? reply(text(out)) : failure(overall.error());
}

// `other` is the second group's answers or a fixed benchmark NPS.
std::string compare(const val& answers, const val& other, const std::string& method,
                    double confidence) {
  result<interval_method> parsed = parse_interval_method(method);
  result<tally> first = tally_of(answers);
  result<tally> second = other.isNumber() ? tally() : tally_of(other);
  if (const auto problem = first_error(parsed, first, second)) return failure(*problem);
  const result<comparison> tested =
      other.isNumber()
          ? compare_to_benchmark(first->category_counts(), other.as<double>(), *parsed)
          : compare_groups(first->category_counts(), second->category_counts(), *parsed);
  return tested ? reply(to_json(*tested, confidence)) : failure(tested.error());
}

std::string plan_for_margin(double margin, double confidence, std::string method, val split) {
  result<interval_method> parsed = parse_interval_method(method);
  result<std::optional<counts>> expected = split_of(split);
  if (const auto problem = first_error(parsed, expected)) return failure(*problem);
  result<sample_size_plan> plan = sample_size_for_margin(margin, confidence, *parsed, *expected);
  return plan ? reply(margin_plan_text(*plan)) : failure(plan.error());
}
std::string plan_for_difference(double diff, double confidence, double power, val a, val b) {
  result<std::optional<counts>> first = split_of(a);
  result<std::optional<counts>> second = split_of(b);
  if (const auto problem = first_error(first, second)) return failure(*problem);
  return answer(sample_size_for_difference(diff, confidence, power, *first, *second));
}
std::string z_for(double confidence) { return answer(z_for_confidence(confidence)); }
std::string parse_scores(const std::string& pasted) { return answer(read_pasted_scores(pasted)); }
std::string parse_bands_text(const std::string& bands) { return answer(parse_bands(bands)); }
std::string defaults() { return reply(defaults_text()); }

// The first `length` bytes of a file, at `address` (api.js's buffer).
std::string profile(std::uintptr_t address, std::size_t length, const std::string& format,
                    bool truncated) {
  const result<input_format> parsed = parse_input_format(format);
  if (!parsed) return failure(parsed.error());
  return answer(profile_columns({reinterpret_cast<const char*>(address), length},
                                profile_options{*parsed, truncated}));
}

}  // namespace

EMSCRIPTEN_BINDINGS(npskit) {
  emscripten::constant("version", std::string(NPSKIT_VERSION));
  emscripten::function("summarize", &summarize_answers);
  emscripten::function("compare", &compare);
  emscripten::function("planForMargin", &plan_for_margin);
  emscripten::function("planForDifference", &plan_for_difference);
  emscripten::function("zForConfidence", &z_for);
  emscripten::function("parseScores", &parse_scores);
  emscripten::function("parseBands", &parse_bands_text);
  emscripten::function("defaults", &defaults);
  emscripten::function("readerCreate", &reader_create);
  emscripten::function("readerStep", &reader_step);
  emscripten::function("readerAbort", &reader_abort);
  emscripten::function("profileColumns", &profile);
  emscripten::function("ratingSummary", &rating_summary_reply);
  emscripten::function("ratingCompare", &rating_compare_reply);
  emscripten::function("ratingPlan", &rating_plan_reply);
  emscripten::function("parseRatings", &parse_ratings_reply);
}
