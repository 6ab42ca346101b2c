#include "reader_sessions.h"

#include <map>
#include <memory>
#include <optional>
#include <utility>

#include "arguments.h"
#include "npskit/npskit.h"
#include "replies.h"

namespace npskit::wasm {
namespace {

using emscripten::val;

struct reader_session {
  aggregate data;
  summary_options options;
  // The same records grouped by a period, without themes: the trend.
  std::optional<aggregate> trend;
  std::optional<reader> parser;
};
std::map<int, std::unique_ptr<reader_session>> sessions;
int last_session_id = 0;

result<std::optional<group_by>> trend_of(const val& given) {
  if (given.isNull() || given.isUndefined()) return std::optional<group_by>();
  const std::string name = given.as<std::string>();
  result<group_by> by = parse_group_by(name);
  if (!by) return by.error();
  if (*by == group_by::none || *by == group_by::segment) {
    return make_error(error_code::invalid_argument,
                      "trend \"" + name + "\" is not a period (expected day, week or month)");
  }
  return std::optional<group_by>(*by);
}

}  // namespace

std::string reader_create(const val& given) {
  result<summary_options> options = summary_options_from(given);
  result<input_format> format = parse_input_format(given["format"].as<std::string>());
  result<group_by> by = parse_group_by(given["by"].as<std::string>());
  result<std::optional<group_by>> trend = trend_of(given["trend"]);
  result<date_options> dates = date_options_from(given);
  if (const auto problem = first_error(options, format, by, trend, dates)) {
    return failure(*problem);
  }
  reader_options columns;
  columns.format = *format;
  // In api.js's order; null keeps the core's default.
  std::string* names[] = {&columns.score_column, &columns.weight_column,  &columns.segment_column,
                          &columns.date_column,  &columns.comment_column, &columns.csat_column,
                          &columns.ces_column};
  for (int i = 0; i < 7; ++i) {
    if (!given["columns"][i].isNull()) *names[i] = given["columns"][i].as<std::string>();
  }
  columns.segment_columns = emscripten::vecFromJSArray<std::string>(given["segmentColumns"]);
  columns.max_reported_rejections = given["maxRejections"].as<std::size_t>();
  std::unique_ptr<reader_session> session(new reader_session{
      aggregate(*by, options->themes_per_category > 0, *dates), *options, std::nullopt, {}});
  if (*by == group_by::segment) session->data.set_segment_columns(columns.segment_columns);
  if (*trend) session->trend.emplace(**trend, false, *dates);
  // Both aggregates refuse the same records (an invalid score, rating or
  // weight), so a record is in both or in neither.
  result<reader> created =
      reader::create(columns, [session = session.get()](const record_view& record) -> status {
        status added = session->data.add(record);
        if (!added || !session->trend) return added;
        return session->trend->add(record);
      });
  if (!created) return failure(created.error());
  session->parser.emplace(std::move(*created));
  sessions.emplace(++last_session_id, std::move(session));
  return reply(std::to_string(last_session_id));
}

std::string reader_step(int id, std::uintptr_t address, std::size_t length, bool finishing) {
  const auto found = sessions.find(id);
  if (found == sessions.end()) return failure({error_code::invalid_argument, "reader is closed"});
  reader_session& session = *found->second;
  reader& parser = *session.parser;
  const status done =
      finishing ? parser.finish() : parser.push({reinterpret_cast<const char*>(address), length});
  if (done && !finishing) return reply(progress_text(parser));
  std::string out;
  if (!done) {
    out = failure(done.error());
  } else {
    result<summary> main =
        summarize(session.data, session.options, parser.rejected(), parser.rejections());
    if (!main || !session.trend) {
      out = answer(main);
    } else {
      // A trend lists every period, however few its answers: the minimum
      // group size is for the main grouping's segments.
      summary_options trend_options = session.options;
      trend_options.themes_per_category = 0;
      trend_options.min_group_size = 0;
      result<summary> trend =
          summarize(*session.trend, trend_options, parser.rejected(), parser.rejections());
      out = trend ? reply("{\"summary\":" + text(*main) + ",\"trend\":" + text(*trend) + "}")
                  : failure(trend.error());
    }
  }
  sessions.erase(found);
  return out;
}

void reader_abort(int id) { sessions.erase(id); }

}  // namespace npskit::wasm
