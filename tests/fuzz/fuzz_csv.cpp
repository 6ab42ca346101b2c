// CSV/TSV reader: any chunking reads the same, within the documented limits.
#include "fuzz_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const npskit::fuzz::fuzz_input input =
      npskit::fuzz::decode(npskit::input_format::csv, data, size);
  npskit::fuzz::check_rows_on_distinct_lines(input, npskit::fuzz::check_chunking(input));
  return 0;
}
