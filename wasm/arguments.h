// JavaScript values, as api.js passes them after checking them, turned into
// the core's types for bindings.cpp.
#ifndef NPSKIT_WASM_ARGUMENTS_H
#define NPSKIT_WASM_ARGUMENTS_H

#include <emscripten/val.h>

#include <optional>

#include "npskit/npskit.h"

namespace npskit::wasm {

// {histogram: [11 whole counts]}, {counts: {promoters, passives, detractors}}
// or {scores: numbers, name} (name is how an error message calls the array).
result<tally> tally_of(const emscripten::val& answers);
// {promoters, passives, detractors} as an expected split; null for none.
result<std::optional<counts>> split_of(const emscripten::val& split);
// {method, confidence, bands (text or null), themes, minGroupSize (optional)}.
result<summary_options> summary_options_from(const emscripten::val& given);
// {utcOffset ("+02:00" or null), dateOrder ("dmy", "mdy" or null)}.
result<date_options> date_options_from(const emscripten::val& given);

}  // namespace npskit::wasm

#endif  // NPSKIT_WASM_ARGUMENTS_H
