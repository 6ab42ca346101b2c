// The JSON that bindings.cpp answers api.js with: {"value": ...} or
// {"error": code, "message": text}, every value an object with named fields.
#ifndef NPSKIT_WASM_REPLIES_H
#define NPSKIT_WASM_REPLIES_H

#include <string>
#include <vector>

#include "npskit/npskit.h"

namespace npskit::wasm {

std::string failure(const error& problem);
// value_json is already JSON text.
std::string reply(const std::string& value_json);

std::string text(const summary& value);
std::string text(double value);
std::string text(const sample_size_plan& plan);  // {n, variance, z}
// {n, variance, z, half_width}: a margin plan also tells the half-width it reaches.
std::string margin_plan_text(const sample_size_plan& plan);
std::string text(const std::vector<band>& bands);  // [{name, lower}]
std::string text(const pasted_scores& pasted);     // {histogram, rejected, rejections}
std::string progress_text(const reader& parser);
std::string text(
    const columns_profile& profile);  // {rows, columns}   // {bytes, records, rejected}
// {categories (of scores 0..10), bands, method, confidence}: the core's defaults.
std::string defaults_text();

template <typename T>
std::string answer(const result<T>& value) {
  return value ? reply(text(*value)) : failure(value.error());
}

}  // namespace npskit::wasm

#endif  // NPSKIT_WASM_REPLIES_H
