// JavaScript values, as api.js passes them after checking them, turned into
// the core's types for bindings.cpp.
#ifndef NPSKIT_WASM_ARGUMENTS_H
#define NPSKIT_WASM_ARGUMENTS_H

#include <emscripten/val.h>

#include <optional>

#include "npskit/npskit.h"

namespace npskit::wasm {

// An 11-element array of whole counts per score.
result<tally> tally_of(const emscripten::val& histogram);
// The same as an expected split; null for none.
result<std::optional<counts>> split_of(const emscripten::val& histogram);
// {method, confidence, bands (text or null), themes}.
result<summary_options> summary_options_from(const emscripten::val& given);
// {utcOffset ("+02:00" or null), dateOrder ("dmy", "mdy" or null)}.
result<date_options> date_options_from(const emscripten::val& given);

}  // namespace npskit::wasm

#endif  // NPSKIT_WASM_ARGUMENTS_H
