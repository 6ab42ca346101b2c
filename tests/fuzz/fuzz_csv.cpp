// CSV/TSV reader: any chunking reads the same, within the documented limits.
#include "fuzz_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  npskit::fuzz::check_chunking(npskit::fuzz::decode(npskit::input_format::csv, data, size));
  return 0;
}
