// JSON array reader: any chunking reads the same, and a document that
// nlohmann/json accepts as an array gives exactly one record or rejection per
// element and no error but missing_column (a named key in no object).
#include <nlohmann/json.hpp>

#include "fuzz_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace npskit::fuzz;
  const fuzz_input input = decode(npskit::input_format::json, data, size);
  const outcome result = check_chunking(input);
  check_direct_reading(input, size >= control_bytes ? data[size - control_bytes] : 0);
  // nlohmann/json stops at a NUL byte and accepts what came before; the
  // reader (rightly) does not, so such texts prove nothing here.
  if (input.text.find('\0') != std::string_view::npos) {
    return 0;
  }
  const nlohmann::json document = nlohmann::json::parse(input.text, nullptr, false);
  if (!document.is_discarded() && document.is_array()) {
    if (result.failure && result.failure->first != npskit::error_code::missing_column) {
      fail("a valid JSON array gave an error", input.text);
    }
    if (result.records_counted + result.rejected != document.size()) {
      fail("elements of a valid JSON array were lost or counted twice", input.text);
    }
  }
  return 0;
}
