#include "collector/export.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "arguments.h"
#include "collector/collector.h"
#include "npskit/response.h"
#include "npskit/tally.h"

namespace npskit::cli {
namespace {

// C0 controls other than tab and line feed, DEL, and C1 controls (U+0080 to
// U+009F, two bytes in UTF-8) are dropped from spreadsheet-safe cells.
std::string without_control_characters(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if ((byte < 0x20 && byte != '\t' && byte != '\n') || byte == 0x7F) continue;
    if (byte == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      ++i;
      continue;
    }
    out.push_back(text[i]);
  }
  return out;
}

bool starts_like_a_formula(std::string_view text) {
  return !text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos;
}

}  // namespace

// RFC 4180: quote a field that holds a delimiter, quote or line break (and
// one with edge spaces, which some spreadsheets would trim); double quotes.
void append_csv_field(std::string_view raw, csv_text mode, std::string& out) {
  std::string safe;
  std::string_view text = raw;
  if (mode == csv_text::spreadsheet_safe) {
    safe = without_control_characters(raw);
    if (starts_like_a_formula(safe)) safe.insert(safe.begin(), '\'');
    text = safe;
  }
  const bool needs_quotes = text.find_first_of(",\"\r\n") != std::string_view::npos ||
                            (!text.empty() && (text.front() == ' ' || text.back() == ' '));
  if (!needs_quotes) {
    out.append(text);
    return;
  }
  out.push_back('"');
  for (const char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

namespace {

const std::vector<option_spec>& export_options() {
  static const std::vector<option_spec> table = {
      {"--db", option_arity::single, "FILE|URI",
       "the collector's SQLite file or PostgreSQL database (required)"},
      {"--format", option_arity::single, "csv|jsonl", "output format (default jsonl)"},
      {"--survey", option_arity::single, "NAME", "only answers of this survey"},
      {"--from", option_arity::single, "YYYY-MM-DD", "only answers submitted on or after"},
      {"--to", option_arity::single, "YYYY-MM-DD", "only answers submitted on or before"},
      {"--raw", option_arity::flag, "",
       "CSV text exactly as stored (default: formula starts and control characters defused)"},
      {"--help", option_arity::flag, "", "show this help"},
  };
  return table;
}

void print_export_usage(std::FILE* stream) {
  std::fprintf(stream,
               "usage: npskit export --db FILE|URI [--format csv|jsonl] [--survey NAME] "
               "[--from DATE] [--to DATE] [--raw]\n\n"
               "Writes the answers stored by `npskit serve` to standard output, oldest first.\n"
               "JSONL keeps every field of every payload; CSV has one column per known field,\n"
               "safe to open in a spreadsheet unless --raw is given.\n\n");
  for (const option_spec& option : export_options()) {
    std::string left(option.name);
    if (!option.value_name.empty()) left += " " + std::string(option.value_name);
    std::fprintf(stream, "  %-26s %.*s\n", left.c_str(), static_cast<int>(option.help.size()),
                 option.help.data());
  }
}

// The payload as stored, with the owner's follow-up added as one more field
// when there is one. Readers ignore fields they do not know, so the numbers
// of an export stay those of the stored answers.
void append_follow_up(const stored_row& row, std::string& out) {
  const std::size_t end = row.payload.find_last_of('}');
  if (row.status.empty() || end == std::string::npos) {
    out += row.payload;
    return;
  }
  out.append(row.payload, 0, end);
  const nlohmann::json follow_up = {{"status", row.status}, {"note", row.note}};
  const bool empty_object =
      row.payload.find_first_not_of(" \t\r\n", row.payload.find('{') + 1) == end;
  out += empty_object ? "\"follow_up\":" : ",\"follow_up\":";
  out += follow_up.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out.append(row.payload, end, std::string::npos);
}

}  // namespace

result<export_format> parse_export_format(std::string_view text) {
  if (text == "csv") return export_format::csv;
  if (text == "jsonl" || text == "ndjson") return export_format::jsonl;
  return make_error(
      error_code::invalid_argument,
      "--format: \"" + std::string(text) + "\" is not an export format (expected csv or jsonl)");
}

std::string export_header(export_format format) {
  if (format == export_format::jsonl) return {};
  return "sequence,id,type,survey,score,category,comment,submitted_at,received_at,locale,page,"
         "segment,user,properties,csat,ces,answer_id,status,note,channel,campaign,contact\r\n";
}

const char* export_content_type(export_format format) {
  return format == export_format::csv ? "text/csv; charset=utf-8" : "application/x-ndjson";
}

status append_export_row(export_format format, const stored_row& row, std::string& out,
                         csv_text text) {
  if (format == export_format::jsonl) {
    append_follow_up(row, out);
    out.push_back('\n');
    return ok{};
  }
  auto parsed = parse_response(row.payload);
  if (!parsed) {
    return make_error(parsed.error().code, "stored answer " + std::to_string(row.sequence) + ": " +
                                               parsed.error().message);
  }
  const response& value = *parsed;
  const bool dismissal = value.type == record_type::dismissal;
  // A CSAT or CES answer has its rating in its own column and no NPS score,
  // so a reader of the export counts it as the collector does.
  const bool nps_answer = !dismissal && !value.metric;
  const std::string score = nps_answer ? std::to_string(value.score) : std::string();
  const std::string category =
      nps_answer ? to_string(classify(value.score).value()) : std::string();
  const auto rating_text = [&](rating_metric metric, int inline_rating) {
    if (value.metric == metric && !dismissal) return std::to_string(value.score);
    return inline_rating != 0 ? std::to_string(inline_rating) : std::string();
  };
  const std::string csat = rating_text(rating_metric::csat, value.csat);
  const std::string ces = rating_text(rating_metric::ces, value.ces);
  const std::string sequence = std::to_string(row.sequence);
  const std::string_view status = row.status.empty() ? std::string_view("new") : row.status;
  const std::string_view fields[] = {sequence,
                                     value.id,
                                     dismissal ? "dismissal" : "response",
                                     value.survey,
                                     score,
                                     category,
                                     value.comment,
                                     value.submitted_at,
                                     row.received_at,
                                     value.locale,
                                     value.page,
                                     value.segment,
                                     value.user,
                                     value.properties,
                                     csat,
                                     ces,
                                     value.answer_id,
                                     status,
                                     row.note,
                                     value.channel,
                                     value.campaign,
                                     value.contact};
  bool first = true;
  for (const std::string_view field : fields) {
    if (!first) out.push_back(',');
    first = false;
    append_csv_field(field, text, out);
  }
  out += "\r\n";
  return ok{};
}

int run_export(const std::vector<std::string>& args) {
  auto parsed = parse_arguments(export_options(), args);
  if (!parsed) {
    std::fprintf(stderr, "npskit export: %s\n", parsed.error().message.c_str());
    print_export_usage(stderr);
    return 2;
  }
  if (parsed->has("--help")) {
    print_export_usage(stdout);
    return 0;
  }
  const auto usage_error = [](const std::string& message) {
    std::fprintf(stderr, "npskit export: %s\n", message.c_str());
    return 2;
  };
  if (!parsed->operands().empty()) {
    return usage_error("unexpected argument \"" + parsed->operands().front() + "\"");
  }
  const auto db = parsed->value("--db");
  if (!db) return usage_error("--db FILE|URI is required");
  auto format = parse_export_format(parsed->value("--format").value_or("jsonl"));
  if (!format) return usage_error(format.error().message);
  row_filter filter;
  filter.survey = parsed->value("--survey").value_or("");
  filter.from = parsed->value("--from").value_or("");
  filter.to = parsed->value("--to").value_or("");
  for (const auto& [flag, date] :
       {std::pair<const char*, const std::string*>{"--from", &filter.from}, {"--to", &filter.to}}) {
    if (!date->empty() && !is_calendar_date(*date)) {
      return usage_error(std::string(flag) + ": \"" + *date +
                         "\" is not a date (expected YYYY-MM-DD)");
    }
  }

  auto target = parse_storage_target(*db);
  if (!target) return usage_error(target.error().message);
  auto storage = open_storage(*target, storage_settings{}, storage_access::read_only);
  if (!storage) {
    std::fprintf(stderr, "npskit export: %s\n", storage.error().message.c_str());
    return 1;
  }
  auto cursor = (*storage)->open_rows(filter);
  if (!cursor) {
    std::fprintf(stderr, "npskit export: %s\n", cursor.error().message.c_str());
    return 1;
  }
  const csv_text cells = parsed->has("--raw") ? csv_text::verbatim : csv_text::spreadsheet_safe;
  std::string buffer = export_header(*format);
  int failures = 0;
  while (auto row = (*cursor)->next()) {
    const status appended = append_export_row(*format, *row, buffer, cells);
    if (!appended) {
      std::fprintf(stderr, "npskit export: %s\n", appended.error().message.c_str());
      ++failures;
    }
    if (buffer.size() >= 1 << 16) {
      std::fwrite(buffer.data(), 1, buffer.size(), stdout);
      buffer.clear();
    }
  }
  std::fwrite(buffer.data(), 1, buffer.size(), stdout);
  if (std::fflush(stdout) != 0) {
    std::fprintf(stderr, "npskit export: cannot write to standard output\n");
    return 1;
  }
  if (!(*cursor)->error().empty()) {
    std::fprintf(stderr, "npskit export: --db \"%s\": %s\n", (*storage)->description().c_str(),
                 (*cursor)->error().c_str());
    return 1;
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace npskit::cli
