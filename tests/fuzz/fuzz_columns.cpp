// The column profile a calculator's mapping form is built from: any bytes
// give a profile or an error that says why, never a crash; the profile is the
// same on every scan path the machine runs; its flags are consistent with one
// another (a CSAT column is also a CES and a score column; free text is never
// numbers, dates or few values); samples are few, short and valid UTF-8; and
// its JSON is valid JSON naming every column.
//
// The last byte chooses the options: bits 0–1 the format (csv, tsv, json,
// jsonl), bit 2 "truncated", bit 3 at most 3 rows read.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "npskit/columns.h"
#include "npskit/scan.h"

namespace {

[[noreturn]] void fail(const char* what, std::string_view text) {
  std::fprintf(stderr, "column profile check failed: %s (text of %zu bytes)\n", what, text.size());
  std::abort();
}

bool valid_utf8(std::string_view text) {
  std::size_t at = 0;
  while (at < text.size()) {
    const auto lead = static_cast<unsigned char>(text[at]);
    const std::size_t length = lead < 0x80                    ? 1
                               : lead >= 0xC2 && lead <= 0xDF ? 2
                               : lead >= 0xE0 && lead <= 0xEF ? 3
                               : lead >= 0xF0 && lead <= 0xF4 ? 4
                                                              : 0;
    if (length == 0 || at + length > text.size()) return false;
    for (std::size_t i = 1; i < length; ++i) {
      if ((static_cast<unsigned char>(text[at + i]) & 0xC0) != 0x80) return false;
    }
    at += length;
  }
  return true;
}

void check_profile(const npskit::columns_profile& profile, const npskit::profile_options& options,
                   std::string_view text) {
  if (profile.columns.empty()) fail("a profile without columns", text);
  if (profile.rows > options.max_rows) fail("more rows read than allowed", text);
  for (const npskit::column_profile& column : profile.columns) {
    if (column.samples.size() > npskit::max_samples) fail("too many samples", text);
    if (column.samples.size() > column.distinct) fail("more samples than distinct values", text);
    if (column.distinct > column.values) fail("more distinct values than values", text);
    if (column.values > profile.rows) fail("more values than rows in a column", text);
    for (const std::string& sample : column.samples) {
      if (sample.empty()) fail("a blank sample", text);
      // A cut sample ends with "..." after at most max_sample_bytes.
      if (sample.size() > npskit::max_sample_bytes + 3) fail("a sample too long", text);
      if (!valid_utf8(sample)) fail("a sample that is not UTF-8", text);
    }
    const bool any_flag = column.scores || column.csat || column.ces || column.numbers ||
                          column.dates || column.free_text || column.few_values;
    if (column.values == 0 && any_flag) fail("a column without values has a shape", text);
    if (column.csat && !column.ces) fail("a 1-5 column is not a 1-7 column", text);
    if (column.ces && !column.scores) fail("a 1-7 column is not a 0-10 column", text);
    if (column.scores && !column.numbers) fail("a 0-10 column is not numbers", text);
    if (column.dates && column.numbers) fail("a column is both dates and numbers", text);
    if (column.free_text && (column.numbers || column.dates || column.few_values)) {
      fail("free text is also numbers, dates or few values", text);
    }
    if (column.few_values && column.distinct > npskit::max_segment_values) {
      fail("a segment candidate with many values", text);
    }
  }
  const auto json = nlohmann::json::parse(npskit::to_json(profile), nullptr, false);
  if (json.is_discarded()) fail("the profile's JSON does not parse", text);
  if (json.at("columns").size() != profile.columns.size()) {
    fail("the profile's JSON leaves out columns", text);
  }
}

bool same(const npskit::columns_profile& a, const npskit::columns_profile& b) {
  if (a.rows != b.rows || a.columns.size() != b.columns.size()) return false;
  for (std::size_t i = 0; i < a.columns.size(); ++i) {
    const npskit::column_profile& x = a.columns[i];
    const npskit::column_profile& y = b.columns[i];
    if (x.name != y.name || x.samples != y.samples || x.values != y.values ||
        x.distinct != y.distinct || x.scores != y.scores || x.csat != y.csat || x.ces != y.ces ||
        x.numbers != y.numbers || x.dates != y.dates || x.free_text != y.free_text ||
        x.few_values != y.few_values) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t flags = data[size - 1];
  const std::string_view text(reinterpret_cast<const char*>(data), size - 1);
  npskit::profile_options options;
  constexpr npskit::input_format formats[] = {npskit::input_format::csv, npskit::input_format::tsv,
                                              npskit::input_format::json,
                                              npskit::input_format::jsonl};
  options.format = formats[flags & 3];
  options.truncated = (flags & 4) != 0;
  if (flags & 8) options.max_rows = 3;

  options.path = npskit::scan_path::scalar;
  const npskit::result<npskit::columns_profile> scalar = npskit::profile_columns(text, options);
  if (!scalar) {
    if (scalar.error().message.empty()) fail("an error without a reason", text);
  } else {
    check_profile(*scalar, options, text);
  }
  for (const npskit::scan_path path : npskit::available_scan_paths()) {
    options.path = path;
    const npskit::result<npskit::columns_profile> other = npskit::profile_columns(text, options);
    if (static_cast<bool>(other) != static_cast<bool>(scalar)) {
      fail("a scan path disagrees with the scalar path on success", text);
    }
    if (other ? !same(*other, *scalar) : other.error().message != scalar.error().message) {
      fail("a scan path profiles differently from the scalar path", text);
    }
  }
  return 0;
}
