// CSAT and CES for bindings.cpp: the same answers-in, JSON-out shape as the
// NPS functions, every statistic from the core.
#ifndef NPSKIT_WASM_RATINGS_H
#define NPSKIT_WASM_RATINGS_H

#include <emscripten/val.h>

#include <string>

namespace npskit::wasm {

// answers: {histogram: [counts per rating]} or {values: numbers, name}.
// {"value": the "csat"/"ces" summary block} or {"error", "message"}.
std::string rating_summary_reply(const std::string& metric, const emscripten::val& answers,
                                 double confidence);
// {"value": {"share": two-proportion test, "mean": Welch's test}}.
std::string rating_compare_reply(const std::string& metric, const emscripten::val& a,
                                 const emscripten::val& b, double confidence);
// plan: {kind: "share"|"mean"|"share-difference"|"mean-difference", target
// (margin or difference), confidence, power, expectedA, expectedB (null for
// the worst case)}; {"value": {n, variance, z, half_width}}.
std::string rating_plan_reply(const std::string& metric, const emscripten::val& plan);
// {"value": {histogram, rejected, rejections}} of pasted ratings.
std::string parse_ratings_reply(const std::string& metric, const std::string& pasted);

}  // namespace npskit::wasm

#endif  // NPSKIT_WASM_RATINGS_H
