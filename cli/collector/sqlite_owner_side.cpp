#include "collector/sqlite_owner_side.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <tuple>
#include <utility>

#include "collector/counted_view.h"
#include "collector/rating_counts_sqlite.h"
#include "collector/sqlite_values.h"
#include "collector/storage.h"

namespace npskit::cli {

namespace {

using sqlite_values::bind_text;
using sqlite_values::column_text;

// Answers retention removes per transaction, so the answer writer never
// waits long for the write lock.
constexpr int retention_slice = 1000;

constexpr const char* page_sql =
    "SELECT r.sequence, r.id, r.survey, r.score, r.submitted_at, r.received_at, r.payload, "
    "coalesce(f.status, 'new'), coalesce(f.note, '') "
    "FROM responses AS r LEFT JOIN follow_ups AS f USING (id) "
    "WHERE r.type = 'response' AND r.sequence < ?1 "
    "AND (?2 = '' OR r.survey = ?2) "
    "AND (?3 = '' OR substr(r.submitted_at, 1, 10) >= ?3) "
    "AND (?4 = '' OR substr(r.submitted_at, 1, 10) <= ?4) "
    "AND r.score BETWEEN ?5 AND ?6 "
    "AND (?7 = '' OR coalesce(f.status, 'new') = ?7) "
    "AND (?8 = '' OR instr(lower(coalesce(json_extract(r.payload, '$.comment'), '')), lower(?8)) "
    "> 0) "
    "AND (?10 = '' OR r.channel = ?10) AND (?11 = '' OR r.campaign = ?11) "
    "AND coalesce(json_extract(r.payload, '$.metric'), 'nps') = 'nps' "
    "ORDER BY r.sequence DESC LIMIT ?9";

constexpr const char* select_by_id_sql =
    "SELECT sequence, id, survey, submitted_at, payload FROM responses WHERE id = ?1";
// user.id may have been sent as a number; it is compared as text.
constexpr const char* select_by_user_sql =
    "SELECT sequence, id, survey, submitted_at, payload FROM responses "
    "WHERE CAST(json_extract(payload, '$.user.id') AS TEXT) = ?1";
constexpr const char* select_received_before_sql =
    "SELECT sequence, id, survey, submitted_at, payload FROM responses "
    "WHERE received_at < ?1 ORDER BY sequence LIMIT 1000";

// A prepared statement finalized when it goes out of scope.
class statement {
 public:
  statement(sqlite3* connection, const char* sql) {
    if (sqlite3_prepare_v2(connection, sql, -1, &handle_, nullptr) != SQLITE_OK) {
      sqlite3_finalize(handle_);
      handle_ = nullptr;
    }
  }
  ~statement() { sqlite3_finalize(handle_); }
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  explicit operator bool() const { return handle_ != nullptr; }
  sqlite3_stmt* get() const { return handle_; }
  // Runs a write with its bound values and resets it; true when it completed.
  bool run() {
    const int status = sqlite3_step(handle_);
    sqlite3_reset(handle_);
    return status == SQLITE_DONE;
  }

 private:
  sqlite3_stmt* handle_ = nullptr;
};

bool execute(sqlite3* connection, const char* sql) {
  return sqlite3_exec(connection, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

struct stored_answer {
  std::int64_t sequence = 0;
  std::string id;
  std::string survey;
  std::string submitted_at;
  std::string payload;
};

}  // namespace

result<std::unique_ptr<sqlite_owner_side>> sqlite_owner_side::open(const std::string& path) {
  std::unique_ptr<sqlite_owner_side> store(new sqlite_owner_side());
  const status opened_file = store->open_file(path);
  if (!opened_file) return opened_file.error();
  return store;
}

result<inbox_page> sqlite_owner_side::page(const inbox_filter& filter) {
  std::lock_guard<std::mutex> lock(mutex_);
  statement query(connection_, page_sql);
  if (!query) return failure("read the inbox");
  return collect_inbox_page(
      filter,
      [&](const inbox_filter& wanted, const inbox_slice& slice) -> result<std::vector<inbox_row>> {
        sqlite3_stmt* rows = query.get();
        sqlite3_reset(rows);
        sqlite3_bind_int64(rows, 1, slice.before);
        bind_text(rows, 2, wanted.survey);
        bind_text(rows, 3, wanted.from);
        bind_text(rows, 4, wanted.to);
        sqlite3_bind_int(rows, 5, slice.low_score);
        sqlite3_bind_int(rows, 6, slice.high_score);
        bind_text(rows, 7, wanted.status);
        bind_text(rows, 8, wanted.text);
        sqlite3_bind_int(rows, 9, slice.limit);
        bind_text(rows, 10, wanted.channel);
        bind_text(rows, 11, wanted.campaign);
        std::vector<inbox_row> read;
        int status = SQLITE_OK;
        while ((status = sqlite3_step(rows)) == SQLITE_ROW) {
          read.push_back({sqlite3_column_int64(rows, 0), column_text(rows, 1), column_text(rows, 2),
                          sqlite3_column_int(rows, 3), column_text(rows, 4), column_text(rows, 5),
                          column_text(rows, 6), column_text(rows, 7), column_text(rows, 8)});
        }
        sqlite3_reset(rows);
        if (status != SQLITE_DONE) return failure("read the inbox");
        return read;
      });
}

result<std::optional<follow_up>> sqlite_owner_side::set_follow_up(
    const std::string& id, const std::optional<std::string>& status,
    const std::optional<std::string>& note) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!execute(connection_, "BEGIN IMMEDIATE")) return failure("begin a transaction");
  const auto give_up = [this](const char* doing) {
    error failed = failure(doing);
    execute(connection_, "ROLLBACK");
    return failed;
  };
  statement exists(connection_, "SELECT 1 FROM responses WHERE id = ?1");
  statement current(connection_, "SELECT status, note FROM follow_ups WHERE id = ?1");
  statement write(connection_,
                  "INSERT INTO follow_ups (id, status, note, updated_at) VALUES (?1, ?2, ?3, ?4) "
                  "ON CONFLICT (id) DO UPDATE SET status = excluded.status, note = excluded.note, "
                  "updated_at = excluded.updated_at");
  if (!exists || !current || !write) return give_up("set a follow-up");
  bind_text(exists.get(), 1, id);
  const int found = sqlite3_step(exists.get());
  if (found == SQLITE_DONE) {
    execute(connection_, "ROLLBACK");
    return std::optional<follow_up>();
  }
  if (found != SQLITE_ROW) return give_up("set a follow-up");
  follow_up value{"new", "", utc_timestamp_now()};
  bind_text(current.get(), 1, id);
  if (sqlite3_step(current.get()) == SQLITE_ROW) {
    value.status = column_text(current.get(), 0);
    value.note = column_text(current.get(), 1);
  }
  if (status) value.status = *status;
  if (note) value.note = *note;
  bind_text(write.get(), 1, id);
  bind_text(write.get(), 2, value.status);
  bind_text(write.get(), 3, value.note);
  bind_text(write.get(), 4, value.updated_at);
  if (!write.run()) return give_up("set a follow-up");
  if (!execute(connection_, "COMMIT")) return give_up("commit a follow-up");
  return std::optional<follow_up>(std::move(value));
}

result<std::size_t> sqlite_owner_side::erase_answer(const std::string& id) {
  return erase_where(select_by_id_sql, id, counts_policy::take_back);
}

result<std::size_t> sqlite_owner_side::erase_user(const std::string& user) {
  return erase_where(select_by_user_sql, user, counts_policy::take_back);
}

result<std::size_t> sqlite_owner_side::erase_received_before(const std::string& timestamp) {
  std::size_t erased = 0;
  for (;;) {
    auto slice = erase_where(select_received_before_sql, timestamp, counts_policy::keep);
    if (!slice) return slice.error();
    erased += *slice;
    if (*slice < static_cast<std::size_t>(retention_slice)) return erased;
  }
}

// All in one transaction: an answer leaves the table, its counts, its comment
// and every row kept under its id together, or not at all.
result<std::size_t> sqlite_owner_side::erase_where(const char* select_sql, const std::string& value,
                                                   counts_policy counts) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!execute(connection_, "BEGIN IMMEDIATE")) return failure("begin a transaction");
  const auto give_up = [this](const char* doing) {
    error failed = failure(doing);
    execute(connection_, "ROLLBACK");
    return failed;
  };
  std::vector<stored_answer> answers;
  {
    statement select(connection_, select_sql);
    if (!select) return give_up("find the answers to erase");
    bind_text(select.get(), 1, value);
    int status = SQLITE_OK;
    while ((status = sqlite3_step(select.get())) == SQLITE_ROW) {
      answers.push_back({sqlite3_column_int64(select.get(), 0), column_text(select.get(), 1),
                         column_text(select.get(), 2), column_text(select.get(), 3),
                         column_text(select.get(), 4)});
    }
    if (status != SQLITE_DONE) return give_up("find the answers to erase");
  }
  if (answers.empty()) {
    execute(connection_, "ROLLBACK");
    return std::size_t{0};
  }

  statement uncount_score(connection_,
                          "UPDATE score_counts SET count = count - 1 "
                          "WHERE survey = ?1 AND date = ?2 AND score = ?3");
  statement uncount_segment(connection_,
                            "UPDATE segment_counts SET count = count - 1 "
                            "WHERE survey = ?1 AND date = ?2 AND segment = ?3 AND score = ?4");
  statement uncount_channel(connection_,
                            "UPDATE channel_counts SET count = count - 1 "
                            "WHERE survey = ?1 AND date = ?2 AND channel = ?3 AND score = ?4");
  statement uncount_campaign(connection_,
                             "UPDATE campaign_counts SET count = count - 1 "
                             "WHERE survey = ?1 AND date = ?2 AND campaign = ?3 AND score = ?4");
  statement drop_comment(connection_, "DELETE FROM comments WHERE sequence = ?1");
  statement drop_uncounted(connection_, "DELETE FROM uncounted_answers WHERE sequence = ?1");
  statement drop_answer(connection_, "DELETE FROM responses WHERE sequence = ?1");
  sqlite_rating_counts ratings;
  if (!uncount_score || !uncount_segment || !uncount_channel || !uncount_campaign ||
      !drop_comment || !drop_uncounted || !drop_answer || !ratings.prepare(connection_)) {
    return give_up("erase answers");
  }
  // A table of the list that this database does not have holds nothing.
  std::vector<std::unique_ptr<statement>> drop_keyed;
  for (const answer_keyed_table& keyed : tables_keyed_by_answer_id) {
    const std::string sql =
        std::string("DELETE FROM ") + keyed.table + " WHERE " + keyed.id_column + " = ?1";
    auto prepared = std::make_unique<statement>(connection_, sql.c_str());
    if (*prepared) drop_keyed.push_back(std::move(prepared));
  }

  for (const stored_answer& answer : answers) {
    const std::string date = answer.submitted_at.substr(0, 10);
    bool written =
        ratings.remove_answer(answer.sequence, answer.id, counts == counts_policy::take_back);
    if (counts == counts_policy::take_back) {
      const counted_view view = view_of_payload(answer.payload, date);
      if (view.counted && view.has_score()) {
        bind_text(uncount_score.get(), 1, answer.survey);
        bind_text(uncount_score.get(), 2, date);
        sqlite3_bind_int(uncount_score.get(), 3, view.dismissal ? -1 : view.score);
        written = written && uncount_score.run();
        if (!view.dismissal) {
          const std::pair<statement*, const std::string*> grouped[] = {
              {&uncount_segment, &view.segment},
              {&uncount_channel, &view.channel},
              {&uncount_campaign, &view.campaign}};
          for (const auto& [uncount, group] : grouped) {
            bind_text(uncount->get(), 1, answer.survey);
            bind_text(uncount->get(), 2, date);
            bind_text(uncount->get(), 3, *group);
            sqlite3_bind_int(uncount->get(), 4, view.score);
            written = written && uncount->run();
          }
        }
      }
    }
    for (statement* drop : {&drop_comment, &drop_uncounted, &drop_answer}) {
      sqlite3_bind_int64(drop->get(), 1, answer.sequence);
      written = written && drop->run();
    }
    for (const auto& drop : drop_keyed) {
      bind_text(drop->get(), 1, answer.id);
      written = written && drop->run();
    }
    if (!written) return give_up("erase answers");
  }
  if (!ratings.flush()) return give_up("erase answers");
  if (counts == counts_policy::take_back &&
      (!execute(connection_, "DELETE FROM score_counts WHERE count <= 0") ||
       !execute(connection_, "DELETE FROM segment_counts WHERE count <= 0") ||
       !execute(connection_, "DELETE FROM channel_counts WHERE count <= 0") ||
       !execute(connection_, "DELETE FROM campaign_counts WHERE count <= 0"))) {
    return give_up("erase answers");
  }
  if (!execute(connection_, "COMMIT")) return give_up("commit an erasure");
  return answers.size();
}

result<std::vector<survey_totals>> sqlite_owner_side::surveys() {
  std::lock_guard<std::mutex> lock(mutex_);
  statement query(connection_,
                  "SELECT survey, sum(CASE WHEN score >= 0 THEN count ELSE 0 END), "
                  "sum(CASE WHEN score < 0 THEN count ELSE 0 END) "
                  "FROM score_counts GROUP BY survey ORDER BY survey");
  if (!query) return failure("list the surveys");
  std::vector<survey_totals> surveys;
  int status = SQLITE_OK;
  while ((status = sqlite3_step(query.get())) == SQLITE_ROW) {
    surveys.push_back({column_text(query.get(), 0), sqlite3_column_int64(query.get(), 1),
                       sqlite3_column_int64(query.get(), 2)});
  }
  if (status != SQLITE_DONE) return failure("list the surveys");
  return surveys;
}

}  // namespace npskit::cli
