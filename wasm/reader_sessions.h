// Streaming readers for bindings.cpp: a table of open readers keyed by id, each
// feeding the records it reads to one aggregate, or two when a trend by period
// is asked for, so a page that shows both reads its file once.
#ifndef NPSKIT_WASM_READER_SESSIONS_H
#define NPSKIT_WASM_READER_SESSIONS_H

#include <emscripten/val.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace npskit::wasm {

// given: api.js's reader settings ({format, by, trend (a period or null),
// columns, segmentColumns, maxRejections, ...}). {"value": "id"}.
std::string reader_create(const emscripten::val& given);
// Reads `length` bytes at `address` (api.js's buffer) and answers the
// progress, or when finishing ends the input and answers the summary, or
// {summary, trend} when a trend was asked for (that grouping's summary with
// the same options, but no themes and no minimum group size). A reader that fails is gone,
// like a finished one.
std::string reader_step(int id, std::uintptr_t address, std::size_t length, bool finishing);
void reader_abort(int id);

}  // namespace npskit::wasm

#endif  // NPSKIT_WASM_READER_SESSIONS_H
