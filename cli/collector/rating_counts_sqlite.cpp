#include "collector/rating_counts_sqlite.h"

#include <utility>

#include "collector/sqlite_values.h"

namespace npskit::cli {
namespace {

using sqlite_values::bind_text;
using sqlite_values::column_text;
using sqlite_values::run;

// rating_counts: ratings per place (rating_counts.h), metric and rating.
// rated_answers: where each stored answer with a rating is counted; a
// companion's `completes` is the id of the answer it completes.
constexpr const char* create_sql = R"sql(
CREATE TABLE IF NOT EXISTS rating_counts (
  survey TEXT NOT NULL,
  date TEXT NOT NULL,
  segment TEXT NOT NULL,
  channel TEXT NOT NULL,
  campaign TEXT NOT NULL,
  joined_survey TEXT NOT NULL,
  joined_date TEXT NOT NULL,
  joined_segment TEXT NOT NULL,
  joined_channel TEXT NOT NULL,
  joined_campaign TEXT NOT NULL,
  metric TEXT NOT NULL CHECK (metric IN ('csat', 'ces')),
  rating INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (survey, date, segment, channel, campaign, joined_survey, joined_date,
               joined_segment, joined_channel, joined_campaign, metric, rating)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rated_answers (
  sequence INTEGER PRIMARY KEY,
  completes TEXT NOT NULL,
  survey TEXT NOT NULL,
  date TEXT NOT NULL,
  segment TEXT NOT NULL,
  channel TEXT NOT NULL,
  campaign TEXT NOT NULL,
  joined_survey TEXT NOT NULL,
  joined_date TEXT NOT NULL,
  joined_segment TEXT NOT NULL,
  joined_channel TEXT NOT NULL,
  joined_campaign TEXT NOT NULL,
  csat INTEGER NOT NULL,
  ces INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS rated_answers_completes ON rated_answers (completes)
  WHERE completes <> '';
)sql";

std::string place_list(const char* prefix = "") {
  std::string out;
  for (const char* column : rating_place_columns) {
    if (!out.empty()) out += ", ";
    out += prefix;
    out += column;
  }
  return out;
}

std::string rated_columns() { return "sequence, completes, " + place_list() + ", csat, ces"; }

void bind_place(sqlite3_stmt* statement, int first, const rating_place& place) {
  for (std::size_t i = 0; i < rating_place::size; ++i) {
    bind_text(statement, first + static_cast<int>(i), place.columns[i]);
  }
}

}  // namespace

bool create_rating_count_tables(sqlite3* connection) {
  return sqlite3_exec(connection, create_sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

sqlite_rating_counts::~sqlite_rating_counts() {
  for (sqlite3_stmt* statement : {find_answer_, insert_rated_, rated_by_sequence_, companions_,
                                  update_place_, drop_rated_, count_, prune_}) {
    sqlite3_finalize(statement);
  }
}

bool sqlite_rating_counts::prepare(sqlite3* connection) {
  std::string key_match;
  for (std::size_t i = 0; i < rating_place::size; ++i) {
    key_match += std::string(rating_place_columns[i]) + " = ?" + std::to_string(i + 1) + " AND ";
  }
  std::string joined_set;
  for (std::size_t i = 5; i < rating_place::size; ++i) {
    if (!joined_set.empty()) joined_set += ", ";
    joined_set += std::string(rating_place_columns[i]) + " = ?" + std::to_string(i - 3);
  }
  const std::pair<std::string, sqlite3_stmt**> all[] = {
      {"SELECT type, survey, submitted_at, payload FROM responses WHERE id = ?1", &find_answer_},
      {"INSERT INTO rated_answers (" + rated_columns() +
           ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
       &insert_rated_},
      {"SELECT " + rated_columns() + " FROM rated_answers WHERE sequence = ?1",
       &rated_by_sequence_},
      // The companions of an answer, joined to it (?2 = 1) or waiting for it.
      {"SELECT " + rated_columns() +
           " FROM rated_answers WHERE completes = ?1 AND completes <> '' "
           "AND (joined_date <> '') = ?2 ORDER BY sequence",
       &companions_},
      {"UPDATE rated_answers SET " + joined_set + " WHERE sequence = ?1", &update_place_},
      {"DELETE FROM rated_answers WHERE sequence = ?1", &drop_rated_},
      {"INSERT INTO rating_counts (" + place_list() +
           ", metric, rating, count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
           "?13) ON CONFLICT (" +
           place_list() + ", metric, rating) DO UPDATE SET count = count + excluded.count",
       &count_},
      {"DELETE FROM rating_counts WHERE " + key_match +
           "metric = ?11 AND rating = ?12 AND count <= 0",
       &prune_},
  };
  for (const auto& [sql, statement] : all) {
    if (sqlite3_prepare_v3(connection, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, statement,
                           nullptr) != SQLITE_OK) {
      return false;
    }
  }
  return true;
}

bool sqlite_rating_counts::read_rated(sqlite3_stmt* query, std::vector<rated_answer>& into) {
  int status = SQLITE_OK;
  while ((status = sqlite3_step(query)) == SQLITE_ROW) {
    rated_answer answer;
    answer.sequence = sqlite3_column_int64(query, 0);
    answer.completes = column_text(query, 1);
    for (std::size_t i = 0; i < rating_place::size; ++i) {
      answer.place.columns[i] = column_text(query, static_cast<int>(i) + 2);
    }
    answer.csat = sqlite3_column_int(query, 12);
    answer.ces = sqlite3_column_int(query, 13);
    into.push_back(std::move(answer));
  }
  sqlite3_reset(query);
  return status == SQLITE_DONE;
}

bool sqlite_rating_counts::write_place(const rated_answer& answer) {
  sqlite3_bind_int64(update_place_, 1, answer.sequence);
  for (std::size_t i = 5; i < rating_place::size; ++i) {
    bind_text(update_place_, static_cast<int>(i) - 3, answer.place.columns[i]);
  }
  return run(update_place_);
}

bool sqlite_rating_counts::count_answer(std::int64_t sequence, std::string_view id,
                                        std::string_view survey, std::string_view date,
                                        const counted_view& view) {
  if (std::optional<rated_answer> rated = rated_answer_of(sequence, survey, date, view)) {
    if (!rated->completes.empty()) {
      bind_text(find_answer_, 1, rated->completes);
      const int status = sqlite3_step(find_answer_);
      if (status == SQLITE_ROW) {
        const std::string answer_survey = column_text(find_answer_, 1);
        const std::string answer_date = column_text(find_answer_, 2).substr(0, 10);
        const counted_view answer = view_of_payload(column_text(find_answer_, 3), answer_date);
        if (answer.completable()) join_rating(rated->place, answer_survey, answer_date, answer);
      }
      sqlite3_reset(find_answer_);
      if (status != SQLITE_ROW && status != SQLITE_DONE) return false;
    }
    sqlite3_bind_int64(insert_rated_, 1, rated->sequence);
    bind_text(insert_rated_, 2, rated->completes);
    bind_place(insert_rated_, 3, rated->place);
    sqlite3_bind_int(insert_rated_, 13, rated->csat);
    sqlite3_bind_int(insert_rated_, 14, rated->ces);
    if (!run(insert_rated_)) return false;
    deltas_.add(*rated, 1);
  }
  if (!view.completable()) return true;
  std::vector<rated_answer> waiting;
  bind_text(companions_, 1, id);
  sqlite3_bind_int(companions_, 2, 0);
  if (!read_rated(companions_, waiting)) return false;
  for (rated_answer& companion : waiting) {
    deltas_.add(companion, -1);
    join_rating(companion.place, survey, date, view);
    deltas_.add(companion, 1);
    if (!write_place(companion)) return false;
  }
  return true;
}

bool sqlite_rating_counts::remove_answer(std::int64_t sequence, std::string_view id,
                                         bool take_back_counts) {
  if (take_back_counts) {
    std::vector<rated_answer> own;
    sqlite3_bind_int64(rated_by_sequence_, 1, sequence);
    if (!read_rated(rated_by_sequence_, own)) return false;
    for (const rated_answer& answer : own) deltas_.add(answer, -1);
    std::vector<rated_answer> joined;
    bind_text(companions_, 1, id);
    sqlite3_bind_int(companions_, 2, 1);
    if (!read_rated(companions_, joined)) return false;
    for (rated_answer& companion : joined) {
      deltas_.add(companion, -1);
      unjoin_rating(companion.place);
      deltas_.add(companion, 1);
      if (!write_place(companion)) return false;
    }
  }
  sqlite3_bind_int64(drop_rated_, 1, sequence);
  return run(drop_rated_);
}

bool sqlite_rating_counts::flush() {
  bool written = true;
  for (const auto& [key, added] : deltas_.entries()) {
    if (added == 0) continue;
    sqlite3_stmt* statement = count_;
    bind_place(statement, 1, key.place);
    bind_text(statement, 11, to_string(key.metric));
    sqlite3_bind_int(statement, 12, key.rating);
    sqlite3_bind_int64(statement, 13, added);
    written = written && run(statement);
    if (added < 0) {
      bind_place(prune_, 1, key.place);
      bind_text(prune_, 11, to_string(key.metric));
      sqlite3_bind_int(prune_, 12, key.rating);
      written = written && run(prune_);
    }
  }
  deltas_.clear();
  return written;
}

bool read_rating_counts(sqlite3* connection, const std::string& survey, const std::string& from,
                        const std::string& to, count_grouping by,
                        std::vector<stored_counts::rating_row>& into) {
  const std::string sql = "SELECT " + rating_group_sql(by, {"?1", "?2", "?3"}) +
                          " AS grouping, metric, rating, sum(count) FROM rating_counts "
                          "WHERE (?1 = '' OR survey = ?1) AND (?2 = '' OR date >= ?2) "
                          "AND (?3 = '' OR date <= ?3) GROUP BY grouping, metric, rating";
  sqlite3_stmt* query = nullptr;
  // A database no collector of this version has opened yet (read-only) has
  // set every answer with a rating aside: there are no rating counts.
  if (sqlite3_prepare_v2(connection,
                         "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = "
                         "'rating_counts'",
                         -1, &query, nullptr) != SQLITE_OK) {
    sqlite3_finalize(query);
    return false;
  }
  const int found = sqlite3_step(query);
  sqlite3_finalize(query);
  query = nullptr;
  if (found == SQLITE_DONE) return true;
  if (found != SQLITE_ROW) return false;
  if (sqlite3_prepare_v2(connection, sql.c_str(), -1, &query, nullptr) != SQLITE_OK) {
    sqlite3_finalize(query);
    return false;
  }
  bind_text(query, 1, survey);
  bind_text(query, 2, from);
  bind_text(query, 3, to);
  int status = SQLITE_OK;
  while ((status = sqlite3_step(query)) == SQLITE_ROW) {
    const std::int64_t count = sqlite3_column_int64(query, 3);
    if (count <= 0) continue;
    stored_counts::rating_row row;
    row.group = column_text(query, 0);
    row.metric = column_text(query, 1) == "ces" ? rating_metric::ces : rating_metric::csat;
    row.rating = sqlite3_column_int(query, 2);
    row.count = static_cast<std::uint64_t>(count);
    into.push_back(std::move(row));
  }
  sqlite3_finalize(query);
  return status == SQLITE_DONE;
}

}  // namespace npskit::cli
