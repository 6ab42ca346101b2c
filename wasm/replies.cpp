#include "replies.h"

#include <nlohmann/json.hpp>

namespace npskit::wasm {
namespace {

using json = nlohmann::ordered_json;

// Messages and rejection reasons may quote input bytes that are not UTF-8.
std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

json bands_json(const std::vector<band>& bands) {
  json out = json::array();
  for (const band& entry : bands) out.push_back({{"name", entry.name}, {"lower", entry.lower}});
  return out;
}

}  // namespace

std::string failure(const error& problem) {
  return dump({{"error", to_string(problem.code)}, {"message", problem.message}});
}
std::string reply(const std::string& value_json) { return "{\"value\":" + value_json + "}"; }

std::string text(const summary& value) { return to_json(value); }
std::string text(const columns_profile& profile) { return to_json(profile); }
std::string text(double value) { return json(value).dump(); }
std::string text(const sample_size_plan& plan) {
  return json{{"n", plan.n}, {"variance", plan.variance}, {"z", plan.z}}.dump();
}
std::string margin_plan_text(const sample_size_plan& plan) {
  return json{
      {"n", plan.n}, {"variance", plan.variance}, {"z", plan.z}, {"half_width", plan.half_width}}
      .dump();
}
std::string text(const std::vector<band>& bands) { return dump(bands_json(bands)); }
std::string text(const pasted_scores& pasted) {
  json rejections = json::array();
  for (const rejection& entry : pasted.rejections) {
    rejections.push_back({{"line", entry.line}, {"reason", entry.reason}, {"text", entry.text}});
  }
  return dump({{"histogram", pasted.answers.histogram()},
               {"rejected", pasted.rejected},
               {"rejections", std::move(rejections)}});
}
std::string progress_text(const reader& parser) {
  return json{
      {"bytes", parser.bytes()}, {"records", parser.records()}, {"rejected", parser.rejected()}}
      .dump();
}
std::string defaults_text() {
  json categories = json::array();
  for (int score = 0; score <= 10; ++score) categories.push_back(to_string(*classify(score)));
  const summary_options options;
  return dump({{"categories", std::move(categories)},
               {"bands", bands_json(options.bands)},
               {"method", to_string(options.method)},
               {"confidence", options.confidence}});
}

}  // namespace npskit::wasm
