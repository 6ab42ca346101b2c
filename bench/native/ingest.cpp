// The core's reader natively, in one process: what `npskit summarize --json`
// does with a file (1 MiB reads, the streaming reader, the aggregate, the
// summary as JSON), timed from opening the file to the JSON, without the
// command's process start. bench/ingest.bench.mjs runs it beside the
// WebAssembly builds, which are timed the same way.
//
//   npskit-bench-ingest FILE RUNS [themes]
//
// Prints one JSON object: the milliseconds of each run and the last summary.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "npskit/aggregate.h"
#include "npskit/reader.h"
#include "npskit/summary.h"

namespace {

constexpr std::size_t chunk_bytes = std::size_t{1} << 20;

int fail(const std::string& message) {
  std::fprintf(stderr, "npskit-bench-ingest: %s\n", message.c_str());
  return 1;
}

// One read of the file as the command reads it; the summary's JSON, or an
// error message starting with "error: ".
std::string read_once(const char* path, bool themes) {
  const int descriptor = ::open(path, O_RDONLY | O_CLOEXEC);
  if (descriptor < 0) return std::string("error: cannot open: ") + std::strerror(errno);
  npskit::aggregate data(npskit::group_by::none, themes);
  npskit::reader_options options;
  npskit::result<npskit::reader> created = npskit::reader::create(
      options, [&data](const npskit::record_view& record) { return data.add(record); });
  if (!created) return "error: " + created.error().message;
  std::vector<char> buffer(chunk_bytes);
  std::string outcome;
  for (;;) {
    const ssize_t got = ::read(descriptor, buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      outcome = std::string("error: read: ") + std::strerror(errno);
      break;
    }
    if (got == 0) break;
    const npskit::status pushed =
        created->push(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
    if (!pushed) {
      outcome = "error: " + pushed.error().message;
      break;
    }
  }
  ::close(descriptor);
  if (!outcome.empty()) return outcome;
  const npskit::status finished = created->finish();
  if (!finished) return "error: " + finished.error().message;
  npskit::summary_options summary_options;
  if (!themes) summary_options.themes_per_category = 0;
  const npskit::result<npskit::summary> summary =
      npskit::summarize(data, summary_options, created->rejected(), created->rejections());
  if (!summary) return "error: " + summary.error().message;
  return npskit::to_json(*summary);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return fail("usage: npskit-bench-ingest FILE RUNS [themes]");
  const int runs = std::atoi(argv[2]);
  if (runs < 1) return fail("RUNS must be a whole number of at least 1");
  const bool themes = argc > 3 && std::string_view(argv[3]) == "themes";
  std::string times;
  std::string summary;
  for (int run = 0; run < runs; ++run) {
    const auto started = std::chrono::steady_clock::now();
    summary = read_once(argv[1], themes);
    const std::chrono::duration<double, std::milli> took =
        std::chrono::steady_clock::now() - started;
    if (summary.rfind("error: ", 0) == 0) return fail(argv[1] + (": " + summary.substr(7)));
    times += (run == 0 ? "" : ",") + std::to_string(took.count());
  }
  std::printf("{\"runs_ms\":[%s],\"summary\":%s}\n", times.c_str(), summary.c_str());
  return 0;
}
