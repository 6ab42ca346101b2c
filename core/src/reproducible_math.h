// Internal to the core: the elementary functions that statistics need, from
// operations IEEE 754 rounds identically on every target.
//
// The C libraries of the native build (glibc), of the WebAssembly build
// (musl) and the JavaScript engine under the wasm2js build (Math.log,
// Math.exp) round log, exp and erfc differently in the last bit, and the
// command line, the module and the wasm2js fallback must print the same
// numbers. So these are computed from +, -, *, /, sqrt and the exact floor,
// frexp and ldexp only (no multiply-add is fused: see core/CMakeLists.txt).
#pragma once

namespace npskit::detail {

// e^x, relative error below 2e-16 wherever the result is a normal number.
double reproducible_exp(double x);

// ln x, relative error below 1e-15 (about 2e-16) for every positive x,
// subnormals included; -infinity at 0, NaN below 0 or for NaN.
double reproducible_log(double x);

}  // namespace npskit::detail
