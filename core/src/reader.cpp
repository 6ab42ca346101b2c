// The public reader: options check, byte order mark handling, dispatch to the
// format parsers, counters. The formats themselves live in reader_csv.cpp and
// reader_json.cpp.
#include "npskit/reader.h"

#include <optional>
#include <string>
#include <utility>

#include "reader_internal.h"

namespace npskit {

using reader_detail::names_equal;

const char* to_string(input_format value) {
  switch (value) {
    case input_format::csv:
      return "csv";
    case input_format::tsv:
      return "tsv";
    case input_format::json:
      return "json";
    case input_format::jsonl:
      return "jsonl";
  }
  return "csv";
}

result<input_format> parse_input_format(std::string_view name) {
  for (input_format format :
       {input_format::csv, input_format::tsv, input_format::json, input_format::jsonl}) {
    if (names_equal(name, to_string(format))) {
      return format;
    }
  }
  if (names_equal(name, "ndjson")) {
    return input_format::jsonl;
  }
  return make_error(error_code::invalid_argument, "unknown input format " +
                                                      reader_detail::quoted_value(name) +
                                                      "; expected csv, tsv, json or jsonl");
}

std::optional<input_format> format_from_path(std::string_view path) {
  const std::size_t slash = path.find_last_of("/\\");
  const std::string_view file_name =
      slash == std::string_view::npos ? path : path.substr(slash + 1);
  const std::size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) {
    return std::nullopt;
  }
  const std::string_view extension = file_name.substr(dot + 1);
  if (names_equal(extension, "csv")) {
    return input_format::csv;
  }
  // Spreadsheet "text" exports (.txt, .tab) are tab-separated.
  if (names_equal(extension, "tsv") || names_equal(extension, "tab") ||
      names_equal(extension, "txt")) {
    return input_format::tsv;
  }
  if (names_equal(extension, "json")) {
    return input_format::json;
  }
  if (names_equal(extension, "jsonl") || names_equal(extension, "ndjson")) {
    return input_format::jsonl;
  }
  return std::nullopt;
}

struct reader::state {
  state(const reader_options& reader_settings, record_sink sink)
      : options(reader_settings),
        emitter(reader_settings.max_reported_rejections, std::move(sink)) {}

  // Strips a UTF-8 byte order mark and refuses UTF-16 input. Leading bytes
  // that may still turn out to be a mark are held back until they are
  // known, so a mark split across chunks is recognized.
  status take_prefix(std::string_view& chunk, bool at_end) {
    static constexpr std::string_view marks[] = {"\xEF\xBB\xBF", "\xFF\xFE", "\xFE\xFF"};
    const auto starts_with = [&](std::string_view mark) {
      return std::string_view(prefix).substr(0, mark.size()) == mark;
    };
    const auto may_grow_into_a_mark = [&] {
      for (std::string_view mark : marks) {
        if (prefix.size() < mark.size() && mark.substr(0, prefix.size()) == prefix) {
          return true;
        }
      }
      return false;
    };
    while (!chunk.empty() && may_grow_into_a_mark()) {
      prefix.push_back(chunk.front());
      chunk.remove_prefix(1);
    }
    if (may_grow_into_a_mark() && !at_end) {
      return ok{};
    }
    prefix_done = true;
    if (starts_with("\xFF\xFE") || starts_with("\xFE\xFF")) {
      return make_error(error_code::parse_error,
                        "input is UTF-16 text (it starts with a UTF-16 byte order mark); "
                        "expected UTF-8: save or export the file as UTF-8");
    }
    std::string_view rest(prefix);
    if (starts_with("\xEF\xBB\xBF")) {
      rest.remove_prefix(3);
    }
    return rest.empty() ? status(ok{}) : parser->feed(rest);
  }

  status remember(status outcome) {
    if (!outcome) {
      failure = outcome.error();
    }
    return outcome;
  }

  reader_options options;
  reader_detail::record_emitter emitter;
  std::unique_ptr<reader_detail::format_parser> parser;
  std::string prefix;
  bool prefix_done = false;
  bool finished = false;
  std::optional<npskit::error> failure;
  std::uint64_t bytes = 0;
};

result<reader> reader::create(const reader_options& options, record_sink sink) {
  return create(options, std::move(sink), fastest_scan_path());
}

result<reader> reader::create(const reader_options& options, record_sink sink, scan_path path) {
  if (reader_detail::trim(options.score_column).empty()) {
    return make_error(error_code::invalid_argument,
                      "score column name is empty; expected the name of the column (CSV "
                      "header) or key (JSON) that holds the 0..10 score");
  }
  if (!sink) {
    return make_error(error_code::invalid_argument, "record sink is empty; expected a callable");
  }
  if (!reader_detail::trim(options.weight_column).empty() &&
      names_equal(options.weight_column, options.score_column)) {
    return make_error(error_code::invalid_argument,
                      "weight column " + reader_detail::quoted_value(options.weight_column) +
                          " is the score column; expected a different column");
  }
  for (std::size_t i = 0; i < options.segment_columns.size(); ++i) {
    if (reader_detail::trim(options.segment_columns[i]).empty()) {
      return make_error(error_code::invalid_argument,
                        "segment column " + std::to_string(i + 1) +
                            " has an empty name; expected the name of a column or key");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (names_equal(options.segment_columns[i], options.segment_columns[j])) {
        return make_error(error_code::invalid_argument,
                          "segment column " +
                              reader_detail::quoted_value(options.segment_columns[i]) +
                              " is named twice; expected different columns");
      }
    }
  }
  auto impl = std::make_unique<state>(options, std::move(sink));
  switch (options.format) {
    case input_format::csv:
    case input_format::tsv:
      impl->parser = reader_detail::make_csv_parser(impl->options, impl->emitter, path);
      break;
    case input_format::json:
      impl->parser = reader_detail::make_json_array_parser(impl->options, impl->emitter, path);
      break;
    case input_format::jsonl:
      impl->parser = reader_detail::make_jsonl_parser(impl->options, impl->emitter, path);
      break;
  }
  return reader(std::move(impl));
}

reader::reader(std::unique_ptr<state> impl) : impl_(std::move(impl)) {}
reader::reader(reader&&) noexcept = default;
reader& reader::operator=(reader&&) noexcept = default;
reader::~reader() = default;

status reader::push(std::string_view chunk) {
  state& self = *impl_;
  self.bytes += chunk.size();
  if (self.failure) {
    return *self.failure;
  }
  if (self.finished) {
    return make_error(error_code::invalid_argument,
                      "push after finish; expected every chunk before finish()");
  }
  if (!self.prefix_done) {
    status taken = self.remember(self.take_prefix(chunk, false));
    if (!taken || chunk.empty()) {
      return taken;
    }
  }
  return self.remember(self.parser->feed(chunk));
}

status reader::finish() {
  state& self = *impl_;
  if (self.failure) {
    return *self.failure;
  }
  if (self.finished) {
    return ok{};
  }
  self.finished = true;
  if (!self.prefix_done) {
    std::string_view nothing;
    status taken = self.remember(self.take_prefix(nothing, true));
    if (!taken) {
      return taken;
    }
  }
  return self.remember(self.parser->finish());
}

std::uint64_t reader::records() const { return impl_->emitter.records(); }
std::uint64_t reader::rejected() const { return impl_->emitter.rejected(); }
const std::vector<rejection>& reader::rejections() const { return impl_->emitter.rejections(); }
std::uint64_t reader::bytes() const { return impl_->bytes; }

}  // namespace npskit
