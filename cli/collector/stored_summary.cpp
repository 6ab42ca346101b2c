#include "collector/stored_summary.h"

#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "npskit/period.h"
#include "npskit/reader.h"

namespace npskit::cli {
namespace {

// Comments read in one short read transaction, so that themes over many
// answers never hold back the WAL checkpoint.
constexpr int comment_slice_rows = 5000;

constexpr const char* uncounted_sql =
    "SELECT EXISTS (SELECT 1 FROM uncounted_answers WHERE (?1 = '' OR survey = ?1) "
    "AND (?2 = '' OR date >= ?2) AND (?3 = '' OR date <= ?3))";
constexpr const char* last_sequence_sql = "SELECT coalesce(max(sequence), 0) FROM responses";
constexpr const char* by_date_sql =
    "SELECT date, score, sum(count) FROM score_counts WHERE (?1 = '' OR survey = ?1) "
    "AND (?2 = '' OR date >= ?2) AND (?3 = '' OR date <= ?3) GROUP BY date, score";
constexpr const char* by_segment_sql =
    "SELECT segment, score, sum(count) FROM segment_counts WHERE (?1 = '' OR survey = ?1) "
    "AND (?2 = '' OR date >= ?2) AND (?3 = '' OR date <= ?3) GROUP BY segment, score";
constexpr const char* dismissals_sql =
    "SELECT coalesce(sum(count), 0) FROM score_counts WHERE score = -1 "
    "AND (?1 = '' OR survey = ?1) AND (?2 = '' OR date >= ?2) AND (?3 = '' OR date <= ?3)";
constexpr const char* comments_sql =
    "SELECT sequence, score, comment FROM comments WHERE sequence > ?4 AND sequence <= ?5 "
    "AND (?1 = '' OR survey = ?1) AND (?2 = '' OR date >= ?2) AND (?3 = '' OR date <= ?3) "
    "ORDER BY sequence LIMIT ?6";

struct connection_closer {
  void operator()(sqlite3* connection) const { sqlite3_close(connection); }
};
struct statement_finalizer {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using statement_handle = std::unique_ptr<sqlite3_stmt, statement_finalizer>;

// Messages name the cause but never the database's path: they may end up in
// an HTTP answer.
error storage_error(sqlite3* connection, const char* doing, bool& storage_failure) {
  storage_failure = true;
  return make_error(error_code::invalid_argument,
                    std::string("database: ") + doing + ": " +
                        (connection != nullptr ? sqlite3_errmsg(connection) : "out of memory"));
}

void bind_text(sqlite3_stmt* statement, int index, std::string_view text) {
  sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

std::string_view column_view(sqlite3_stmt* statement, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
  const int size = sqlite3_column_bytes(statement, column);
  return text != nullptr ? std::string_view(text, static_cast<std::size_t>(size))
                         : std::string_view();
}

statement_handle prepare(sqlite3* connection, const char* sql, const row_filter& filter) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(connection, sql, -1, &statement, nullptr) != SQLITE_OK) return nullptr;
  bind_text(statement, 1, filter.survey);
  bind_text(statement, 2, filter.from);
  bind_text(statement, 3, filter.to);
  return statement_handle(statement);
}

// The reference path for answers the counts set aside: every payload of the
// selection through the JSONL reader, as `npskit summarize` reads an export.
result<summary> summarize_by_reading(const std::string& path, const summary_request& request,
                                     bool& storage_failure) {
  auto cursor = row_cursor::open(path, request.filter);
  if (!cursor) {
    storage_failure = true;
    const std::string prefix = "--db \"" + path + "\": ";
    std::string message = cursor.error().message;
    if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
    return make_error(cursor.error().code, "database: " + message);
  }
  aggregate totals(request.by, request.options.themes_per_category > 0);
  reader_options reading;
  reading.format = input_format::jsonl;
  auto reader =
      reader::create(reading, [&totals](const record_view& record) { return totals.add(record); });
  if (!reader) {
    storage_failure = true;
    return reader.error();
  }
  std::string line;
  while (auto row = (*cursor)->next()) {
    line = std::move(row->payload);
    line.push_back('\n');
    const status pushed = reader->push(line);
    if (!pushed) {
      storage_failure = true;
      return pushed.error();
    }
  }
  if (!(*cursor)->error().empty()) {
    storage_failure = true;
    return make_error(error_code::invalid_argument, "database: " + (*cursor)->error());
  }
  const status finished = reader->finish();
  if (!finished) {
    storage_failure = true;
    return finished.error();
  }
  return summarize(totals, request.options, reader->rejected(), reader->rejections());
}

period period_of(group_by by) {
  return by == group_by::week ? period::week : by == group_by::month ? period::month : period::day;
}

}  // namespace

std::shared_ptr<theme_cache::entry> theme_cache::find(const summary_request& request) {
  std::string key = request.filter.survey;
  for (const std::string* part : {&request.filter.from, &request.filter.to}) {
    key.push_back('\0');
    key += *part;
  }
  key.push_back('\0');
  key += to_string(request.by);
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if ((*it)->key == key) {
      entries_.splice(entries_.begin(), entries_, it);
      return entries_.front();
    }
  }
  entries_.push_front(std::make_shared<entry>(std::move(key), request.by));
  if (entries_.size() > max_entries_) entries_.pop_back();
  return entries_.front();
}

void theme_cache::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.clear();
}

result<summary> summarize_stored(const std::string& path, const summary_request& request,
                                 bool& storage_failure, theme_cache* cache) {
  storage_failure = false;
  sqlite3* opened = nullptr;
  const int open_status = sqlite3_open_v2(path.c_str(), &opened, SQLITE_OPEN_READONLY, nullptr);
  const std::unique_ptr<sqlite3, connection_closer> connection(opened);
  if (open_status != SQLITE_OK) {
    return storage_error(opened, "cannot open the stored answers", storage_failure);
  }
  sqlite3* db = connection.get();
  sqlite3_busy_timeout(db, 5000);

  // The counts, the dismissals and the last answer come from one snapshot.
  if (sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return storage_error(db, "cannot read the counts", storage_failure);
  }
  const row_filter& filter = request.filter;
  bool set_aside = false;
  std::int64_t last_sequence = 0;
  std::uint64_t dismissals = 0;
  std::map<std::string, std::array<std::uint64_t, 11>> histograms;
  std::map<std::string, std::string> period_keys;  // date -> week or month
  {
    statement_handle uncounted = prepare(db, uncounted_sql, filter);
    statement_handle last = prepare(db, last_sequence_sql, filter);
    statement_handle counts =
        prepare(db, request.by == group_by::segment ? by_segment_sql : by_date_sql, filter);
    statement_handle dismissed = prepare(db, dismissals_sql, filter);
    if (!uncounted || !last || !counts || !dismissed ||
        sqlite3_step(uncounted.get()) != SQLITE_ROW || sqlite3_step(last.get()) != SQLITE_ROW ||
        sqlite3_step(dismissed.get()) != SQLITE_ROW) {
      const error failure = storage_error(db, "cannot read the counts", storage_failure);
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      return failure;
    }
    set_aside = sqlite3_column_int(uncounted.get(), 0) != 0;
    last_sequence = sqlite3_column_int64(last.get(), 0);
    dismissals = static_cast<std::uint64_t>(sqlite3_column_int64(dismissed.get(), 0));
    int status = SQLITE_OK;
    while (!set_aside && (status = sqlite3_step(counts.get())) == SQLITE_ROW) {
      const int score = sqlite3_column_int(counts.get(), 1);
      if (score < 0 || score > 10) continue;  // dismissals, counted above
      std::string key;
      const std::string_view group = column_view(counts.get(), 0);
      if (request.by == group_by::segment || request.by == group_by::day) {
        key.assign(group);
      } else if (request.by != group_by::none) {
        auto [found, created] = period_keys.try_emplace(std::string(group));
        if (created) {
          auto period = period_key(group, period_of(request.by));
          if (!period) {
            set_aside = true;  // not a date the counts can group; read the answers
            break;
          }
          found->second = std::move(*period);
        }
        key = found->second;
      }
      histograms[key][static_cast<std::size_t>(score)] +=
          static_cast<std::uint64_t>(sqlite3_column_int64(counts.get(), 2));
    }
    if (!set_aside && status != SQLITE_DONE) {
      const error failure = storage_error(db, "cannot read the counts", storage_failure);
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      return failure;
    }
  }
  sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  if (set_aside) return summarize_by_reading(path, request, storage_failure);

  const bool themes = request.options.themes_per_category > 0;
  aggregate totals(request.by, themes);
  for (const auto& [key, histogram] : histograms) {
    auto answers = tally_from_histogram(histogram);
    if (!answers) return answers.error();
    const status added = totals.add_counted(key, *answers);
    if (!added) return added.error();
  }
  totals.add_dismissals(dismissals);

  if (themes) {
    // Comments of answers stored after the counts were read are left out;
    // answers never change, so the slices add up to that same snapshot.
    const auto read_comments = [&](aggregate& into, std::int64_t after) -> status {
      statement_handle comments = prepare(db, comments_sql, filter);
      if (!comments) return storage_error(db, "cannot read the comments", storage_failure);
      sqlite3_bind_int64(comments.get(), 5, last_sequence);
      sqlite3_bind_int(comments.get(), 6, comment_slice_rows);
      for (int rows = comment_slice_rows; rows == comment_slice_rows;) {
        rows = 0;
        sqlite3_bind_int64(comments.get(), 4, after);
        int step = SQLITE_OK;
        while ((step = sqlite3_step(comments.get())) == SQLITE_ROW) {
          after = sqlite3_column_int64(comments.get(), 0);
          into.add_comment(sqlite3_column_int(comments.get(), 1), column_view(comments.get(), 2));
          ++rows;
        }
        sqlite3_reset(comments.get());
        if (step != SQLITE_DONE) {
          return storage_error(db, "cannot read the comments", storage_failure);
        }
      }
      return ok{};
    };
    const std::shared_ptr<theme_cache::entry> cached =
        cache != nullptr ? cache->find(request) : nullptr;
    std::unique_lock<std::mutex> holding;
    if (cached) holding = std::unique_lock<std::mutex>(cached->mutex);
    // A cached entry already past this snapshot (a later request got there
    // first) would add comments the counts do not have.
    if (cached && cached->last_sequence <= last_sequence) {
      const status read = read_comments(cached->themes, cached->last_sequence);
      if (!read) {
        // Part of the new comments may be in: start the entry over.
        cached->themes = aggregate(request.by, true);
        cached->last_sequence = 0;
        return read.error();
      }
      cached->last_sequence = last_sequence;
      const status merged = totals.merge(cached->themes);
      if (!merged) return merged.error();
    } else {
      const status read = read_comments(totals, 0);
      if (!read) return read.error();
    }
  }
  return summarize(totals, request.options);
}

}  // namespace npskit::cli
