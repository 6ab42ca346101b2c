// The collector's validation of one posted answer: any bytes give an answer
// or an error, never a crash; an accepted answer has a valid score and its
// stored JSON is accepted again as the same answer (what the collector writes
// is what it would take).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "npskit/response.h"

namespace {

[[noreturn]] void fail(const char* what, std::string_view text) {
  std::fprintf(stderr, "%s\ninput (%zu bytes): %.*s\n", what, text.size(),
               static_cast<int>(text.size()), text.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const npskit::result<npskit::response> first = npskit::parse_response(text);
  if (!first) {
    if (first.error().message.empty()) fail("a refusal without a reason", text);
    return 0;
  }
  const bool dismissal = first->type == npskit::record_type::dismissal;
  if (dismissal ? first->score != -1 : first->score < 0 || first->score > 10) {
    fail("an accepted answer has a score outside 0..10", text);
  }
  const npskit::result<npskit::response> again = npskit::parse_response(first->json);
  if (!again) fail("the stored JSON of an accepted answer is refused", text);
  if (again->json != first->json || again->id != first->id || again->score != first->score ||
      again->comment != first->comment || again->segment != first->segment) {
    fail("the stored JSON of an accepted answer reads differently", text);
  }
  return 0;
}
