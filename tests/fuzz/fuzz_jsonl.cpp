// JSONL reader: any chunking reads the same, it never fails as a whole but
// for missing_column (a named key in no object), and every non-blank line
// gives exactly one record or rejection.
#include "fuzz_reader.h"

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::uint64_t non_blank_lines(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
  }
  std::uint64_t count = 0;
  bool has_content = false;
  for (char c : text) {
    if (c == '\n' || c == '\r') {
      count += has_content ? 1 : 0;
      has_content = false;
    } else if (!is_blank(c)) {
      has_content = true;
    }
  }
  return count + (has_content ? 1 : 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace npskit::fuzz;
  const fuzz_input input = decode(npskit::input_format::jsonl, data, size);
  const outcome result = check_chunking(input);
  check_direct_reading(input, size >= control_bytes ? data[size - control_bytes] : 0);
  const bool utf16 = input.text.substr(0, 2) == "\xFF\xFE" || input.text.substr(0, 2) == "\xFE\xFF";
  if (result.failure && !utf16 && result.failure->first != npskit::error_code::missing_column) {
    fail("JSONL input failed as a whole", input.text);
  }
  if (!utf16 && result.records_counted + result.rejected != non_blank_lines(input.text)) {
    fail("non-blank JSONL lines were lost or counted twice", input.text);
  }
  return 0;
}
