#include "collector/sqlite_store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <set>
#include <system_error>
#include <tuple>
#include <utility>
#include <vector>

#include "collector/answer_origin.h"
#include "collector/counted_view.h"
#include "collector/invitations_sqlite.h"
#include "collector/rating_counts_sqlite.h"
#include "collector/sqlite_owner_side.h"
#include "collector/sqlite_values.h"

namespace npskit::cli {

namespace {

using sqlite_values::bind_text;
using sqlite_values::column_text;
using sqlite_values::run;

// Bumped whenever the tables change shape; a database written by a newer
// collector is refused rather than misread. Version 2 added the counts, which
// opening an older database fills from its answers. Version 4 (numbered as
// the PostgreSQL migration that makes the same change; 3 is the outbox
// there) added where answers came from: the channel, campaign and contact
// columns, the counts per channel and campaign and the ids of replaced
// answers. Version 5 added the invitations and unsubscribes
// (invitations_sqlite.cpp). Version 6 added the CSAT and CES counts
// (rating_counts_sqlite.cpp); opening an older database counts the answers
// it had set aside for their ratings.
constexpr int schema_version = 6;

// Answers of concurrent requests committed in one transaction. Large enough
// to amortize an fsync over a burst, small enough to keep latency bounded.
constexpr std::size_t max_batch = 1024;

// Rows an export reads in one short read transaction.
constexpr int slice_rows = 1000;

constexpr const char* create_table_sql = R"sql(
CREATE TABLE IF NOT EXISTS responses (
  sequence INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL CHECK (type IN ('response', 'dismissal')),
  survey TEXT NOT NULL,
  score INTEGER CHECK (score BETWEEN 0 AND 10),
  submitted_at TEXT NOT NULL,
  received_at TEXT NOT NULL,
  payload TEXT NOT NULL
);
)sql";

// Counts of what the JSONL reader sees in each stored payload, so that a
// summary built from them equals `npskit summarize` on an export. `date` is
// what from/to compare (the first ten characters of submitted_at); a score of
// -1 counts dismissals. Answers whose reader view disagrees with the columns
// (or that the reader refuses) are listed in uncounted_answers instead.
constexpr const char* create_counts_sql = R"sql(
CREATE TABLE IF NOT EXISTS score_counts (
  survey TEXT NOT NULL,
  date TEXT NOT NULL,
  score INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (survey, date, score)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS segment_counts (
  survey TEXT NOT NULL,
  date TEXT NOT NULL,
  segment TEXT NOT NULL,
  score INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (survey, date, segment, score)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS comments (
  sequence INTEGER PRIMARY KEY,
  survey TEXT NOT NULL,
  date TEXT NOT NULL,
  score INTEGER NOT NULL,
  comment TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS uncounted_answers (
  sequence INTEGER PRIMARY KEY,
  survey TEXT NOT NULL,
  date TEXT NOT NULL
);
)sql";

// The owner's follow-up of an answer (inbox.h), keyed by the answer's id and
// exported with it. Created here so that every reader of a collector
// database finds it.
constexpr const char* create_follow_ups_sql = R"sql(
CREATE TABLE IF NOT EXISTS follow_ups (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL CHECK (status IN ('new', 'to follow up', 'done')),
  note TEXT NOT NULL,
  updated_at TEXT NOT NULL
) WITHOUT ROWID;
)sql";

// Version 4 on a database of an earlier version (or a new one). Answers
// stored before it came from the page: channel web, no campaign, no contact;
// their counts per channel and campaign are those per segment, summed.
constexpr const char* migrate_to_origins_sql = R"sql(
ALTER TABLE responses ADD COLUMN channel TEXT NOT NULL DEFAULT 'web';
ALTER TABLE responses ADD COLUMN campaign TEXT;
ALTER TABLE responses ADD COLUMN contact TEXT;
CREATE INDEX responses_survey_contact ON responses (survey, contact, received_at)
  WHERE contact IS NOT NULL;
CREATE INDEX responses_survey_campaign ON responses (survey, campaign)
  WHERE campaign IS NOT NULL;
CREATE UNIQUE INDEX responses_one_per_contact ON responses (survey, campaign, contact)
  WHERE campaign IS NOT NULL AND contact IS NOT NULL AND type = 'response';
CREATE TABLE channel_counts (
  survey TEXT NOT NULL,
  date TEXT NOT NULL,
  channel TEXT NOT NULL,
  score INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (survey, date, channel, score)
) WITHOUT ROWID;
CREATE TABLE campaign_counts (
  survey TEXT NOT NULL,
  date TEXT NOT NULL,
  campaign TEXT NOT NULL,
  score INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (survey, date, campaign, score)
) WITHOUT ROWID;
CREATE TABLE replaced_answers (
  id TEXT PRIMARY KEY,
  replaced_by TEXT NOT NULL,
  replaced_at TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO channel_counts (survey, date, channel, score, count)
  SELECT survey, date, 'web', score, sum(count) FROM segment_counts
  GROUP BY survey, date, score;
INSERT INTO campaign_counts (survey, date, campaign, score, count)
  SELECT survey, date, '(none)', score, sum(count) FROM segment_counts
  GROUP BY survey, date, score;
)sql";

constexpr const char* count_score_sql =
    "INSERT INTO score_counts (survey, date, score, count) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (survey, date, score) DO UPDATE SET count = count + excluded.count";
constexpr const char* count_segment_sql =
    "INSERT INTO segment_counts (survey, date, segment, score, count) "
    "VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (survey, date, segment, score) DO UPDATE SET count = count + excluded.count";
constexpr const char* count_channel_sql =
    "INSERT INTO channel_counts (survey, date, channel, score, count) "
    "VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (survey, date, channel, score) DO UPDATE SET count = count + excluded.count";
constexpr const char* count_campaign_sql =
    "INSERT INTO campaign_counts (survey, date, campaign, score, count) "
    "VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (survey, date, campaign, score) DO UPDATE SET count = count + excluded.count";
constexpr const char* keep_comment_sql =
    "INSERT INTO comments (sequence, survey, date, score, comment) VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr const char* set_aside_sql =
    "INSERT INTO uncounted_answers (sequence, survey, date) VALUES (?1, ?2, ?3)";

constexpr const char* insert_sql =
    "INSERT INTO responses (id, type, survey, score, submitted_at, received_at, payload, "
    "channel, campaign, contact) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (id) DO NOTHING";

// One answer per contact and campaign (storage.h): the stored answer of the
// same survey, campaign and contact, and the ids of answers replaced before.
constexpr const char* find_contact_answer_sql =
    "SELECT sequence, id, received_at, submitted_at, payload FROM responses "
    "WHERE survey = ?1 AND campaign = ?2 AND contact = ?3 AND type = 'response'";
// An id stored or replaced before: the answer is a duplicate.
constexpr const char* replaced_before_sql =
    "SELECT 1 FROM replaced_answers WHERE id = ?1 UNION ALL SELECT 1 FROM responses WHERE id = ?1";
constexpr const char* record_replaced_sql =
    "INSERT OR REPLACE INTO replaced_answers (id, replaced_by, replaced_at) VALUES (?1, ?2, ?3)";
constexpr const char* drop_comment_sql = "DELETE FROM comments WHERE sequence = ?1";
constexpr const char* drop_uncounted_sql = "DELETE FROM uncounted_answers WHERE sequence = ?1";
constexpr const char* drop_answer_sql = "DELETE FROM responses WHERE sequence = ?1";
// Counts a replacement took down to nothing, so that no empty group shows.
constexpr const char* prune_counts_sql[] = {
    "DELETE FROM score_counts WHERE survey = ?1 AND date = ?2 AND count <= 0",
    "DELETE FROM segment_counts WHERE survey = ?1 AND date = ?2 AND count <= 0",
    "DELETE FROM channel_counts WHERE survey = ?1 AND date = ?2 AND count <= 0",
    "DELETE FROM campaign_counts WHERE survey = ?1 AND date = ?2 AND count <= 0"};
constexpr const char* last_answer_at_sql =
    "SELECT max(received_at) FROM responses WHERE survey = ?1 AND contact = ?2";

constexpr const char* select_sql =
    "SELECT sequence, received_at, payload, follow_ups.status, follow_ups.note "
    "FROM responses LEFT JOIN follow_ups USING (id) "
    "WHERE sequence > ?4 AND sequence <= ?5 "
    "AND (?1 = '' OR survey = ?1) "
    "AND (?2 = '' OR substr(submitted_at, 1, 10) >= ?2) "
    "AND (?3 = '' OR substr(submitted_at, 1, 10) <= ?3) "
    "ORDER BY sequence LIMIT ?6";
// A database no collector of this version has opened yet has no follow-ups.
constexpr const char* select_without_follow_ups_sql =
    "SELECT sequence, received_at, payload, NULL, NULL FROM responses "
    "WHERE sequence > ?4 AND sequence <= ?5 "
    "AND (?1 = '' OR survey = ?1) "
    "AND (?2 = '' OR substr(submitted_at, 1, 10) >= ?2) "
    "AND (?3 = '' OR substr(submitted_at, 1, 10) <= ?3) "
    "ORDER BY sequence LIMIT ?6";

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
constexpr const char* by_channel_sql =
    "SELECT channel, score, sum(count) FROM channel_counts WHERE (?1 = '' OR survey = ?1) "
    "AND (?2 = '' OR date >= ?2) AND (?3 = '' OR date <= ?3) GROUP BY channel, score";
constexpr const char* by_campaign_sql =
    "SELECT campaign, score, sum(count) FROM campaign_counts WHERE (?1 = '' OR survey = ?1) "
    "AND (?2 = '' OR date >= ?2) AND (?3 = '' OR date <= ?3) GROUP BY campaign, score";
constexpr const char* dismissals_sql =
    "SELECT coalesce(sum(count), 0) FROM score_counts WHERE score = -1 "
    "AND (?1 = '' OR survey = ?1) AND (?2 = '' OR date >= ?2) AND (?3 = '' OR date <= ?3)";
constexpr const char* comments_sql =
    "SELECT sequence, score, comment FROM comments WHERE sequence > ?4 AND sequence <= ?5 "
    "AND (?1 = '' OR survey = ?1) AND (?2 = '' OR date >= ?2) AND (?3 = '' OR date <= ?3) "
    "ORDER BY sequence LIMIT ?6";

std::string describe(sqlite3* connection, const std::string& path, const char* doing) {
  const char* detail = connection != nullptr ? sqlite3_errmsg(connection) : "out of memory";
  return "--db \"" + path + "\": " + doing + ": " + detail;
}

error storage_error(sqlite3* connection, const std::string& path, const char* doing) {
  return make_error(error_code::invalid_argument, describe(connection, path, doing));
}

bool execute(sqlite3* connection, const char* sql) {
  return sqlite3_exec(connection, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

// The single value of a one-row query such as a pragma; "" on failure.
std::string query_text(sqlite3* connection, const char* sql) {
  sqlite3_stmt* statement = nullptr;
  std::string value;
  if (sqlite3_prepare_v2(connection, sql, -1, &statement, nullptr) == SQLITE_OK &&
      sqlite3_step(statement) == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(statement, 0);
    if (text != nullptr) value = reinterpret_cast<const char*>(text);
  }
  sqlite3_finalize(statement);
  return value;
}

// The folders of path that do not exist yet, outermost first.
std::vector<std::filesystem::path> missing_folders(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> missing;
  std::error_code failure;
  for (std::filesystem::path at = folder; !at.empty() && !std::filesystem::exists(at, failure);
       at = at.parent_path()) {
    missing.insert(missing.begin(), at);
    if (at == at.parent_path()) break;
  }
  return missing;
}

}  // namespace

struct sqlite_storage::statements {
  sqlite3_stmt* insert = nullptr;
  sqlite3_stmt* count_score = nullptr;
  sqlite3_stmt* count_segment = nullptr;
  sqlite3_stmt* count_channel = nullptr;
  sqlite3_stmt* count_campaign = nullptr;
  sqlite3_stmt* keep_comment = nullptr;
  sqlite3_stmt* set_aside = nullptr;
  // One answer per contact and campaign.
  sqlite3_stmt* find_contact_answer = nullptr;
  sqlite3_stmt* replaced_before = nullptr;
  sqlite3_stmt* record_replaced = nullptr;
  sqlite3_stmt* drop_comment = nullptr;
  sqlite3_stmt* drop_uncounted = nullptr;
  sqlite3_stmt* drop_answer = nullptr;
  std::vector<sqlite3_stmt*> drop_keyed;  // one per tables_keyed_by_answer_id
  std::vector<sqlite3_stmt*> prune_counts;
  // (survey, date, score) and (survey, date, group, score) -> answers
  // counted in the current transaction (negative: taken back).
  using score_key = std::tuple<std::string, std::string, int>;
  using group_key = std::tuple<std::string, std::string, std::string, int>;
  std::map<score_key, std::int64_t> score_deltas;
  std::map<group_key, std::int64_t> segment_deltas;
  std::map<group_key, std::int64_t> channel_deltas;
  std::map<group_key, std::int64_t> campaign_deltas;
  // (survey, date) of the answers replaced in the current transaction.
  std::set<std::pair<std::string, std::string>> replaced_dates;
  sqlite_rating_counts ratings;

  statements() = default;
  statements(const statements&) = delete;
  statements& operator=(const statements&) = delete;
  ~statements() {
    for (sqlite3_stmt* statement :
         {insert, count_score, count_segment, count_channel, count_campaign, keep_comment,
          set_aside, find_contact_answer, replaced_before, record_replaced, drop_comment,
          drop_uncounted, drop_answer}) {
      sqlite3_finalize(statement);
    }
    for (sqlite3_stmt* statement : drop_keyed) sqlite3_finalize(statement);
    for (sqlite3_stmt* statement : prune_counts) sqlite3_finalize(statement);
  }

  // After the tables of every part (the outbox's too) exist.
  bool prepare(sqlite3* connection) {
    const std::pair<const char*, sqlite3_stmt**> all[] = {
        {insert_sql, &insert},
        {count_score_sql, &count_score},
        {count_segment_sql, &count_segment},
        {count_channel_sql, &count_channel},
        {count_campaign_sql, &count_campaign},
        {keep_comment_sql, &keep_comment},
        {set_aside_sql, &set_aside},
        {find_contact_answer_sql, &find_contact_answer},
        {replaced_before_sql, &replaced_before},
        {record_replaced_sql, &record_replaced},
        {drop_comment_sql, &drop_comment},
        {drop_uncounted_sql, &drop_uncounted},
        {drop_answer_sql, &drop_answer}};
    for (const auto& [sql, statement] : all) {
      if (sqlite3_prepare_v3(connection, sql, -1, SQLITE_PREPARE_PERSISTENT, statement, nullptr) !=
          SQLITE_OK) {
        return false;
      }
    }
    const auto prepare_into = [connection](const std::string& sql,
                                           std::vector<sqlite3_stmt*>& into) {
      sqlite3_stmt* statement = nullptr;
      const bool prepared =
          sqlite3_prepare_v3(connection, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &statement,
                             nullptr) == SQLITE_OK;
      into.push_back(statement);
      return prepared;
    };
    for (const answer_keyed_table& keyed : tables_keyed_by_answer_id) {
      if (!prepare_into(
              std::string("DELETE FROM ") + keyed.table + " WHERE " + keyed.id_column + " = ?1",
              drop_keyed)) {
        return false;
      }
    }
    for (const char* sql : prune_counts_sql) {
      if (!prepare_into(sql, prune_counts)) return false;
    }
    return ratings.prepare(connection);
  }

  // The stored answer this one replaces or is refused by (one answer per
  // contact and campaign), in the writer's transaction.
  struct earlier_answer {
    std::int64_t sequence = 0;
    std::string id;
    std::string received_at;
    std::string submitted_at;
    std::string payload;
  };
  // nullopt with `failed` false: no earlier answer.
  std::optional<earlier_answer> find_earlier(const response& value, const answer_origin& origin,
                                             bool& failed) {
    failed = false;
    bind_text(find_contact_answer, 1, value.survey);
    bind_text(find_contact_answer, 2, origin.campaign);
    bind_text(find_contact_answer, 3, origin.contact);
    std::optional<earlier_answer> found;
    const int status = sqlite3_step(find_contact_answer);
    if (status == SQLITE_ROW) {
      found =
          earlier_answer{sqlite3_column_int64(find_contact_answer, 0),
                         column_text(find_contact_answer, 1), column_text(find_contact_answer, 2),
                         column_text(find_contact_answer, 3), column_text(find_contact_answer, 4)};
    } else if (status != SQLITE_DONE) {
      failed = true;
    }
    sqlite3_reset(find_contact_answer);
    return found;
  }

  // Whether the id was stored or replaced before. -1: cannot tell (a failed
  // read), 0: no, 1: yes.
  int known_id(const std::string& id) {
    bind_text(replaced_before, 1, id);
    const int status = sqlite3_step(replaced_before);
    sqlite3_reset(replaced_before);
    return status == SQLITE_ROW ? 1 : status == SQLITE_DONE ? 0 : -1;
  }

  // Takes the earlier answer back: its counts (in this transaction's
  // deltas), its comment, the row, and every row kept under its id (its
  // follow-up, its alerts not yet delivered); its id is remembered.
  bool replace(const earlier_answer& earlier, const response& by, const std::string& received_at) {
    const std::string date = earlier.submitted_at.substr(0, 10);
    const counted_view view = view_of_payload(earlier.payload, date);
    if (view.counted && view.has_score()) {
      const int score = view.dismissal ? -1 : view.score;
      --score_deltas[{by.survey, date, score}];
      if (!view.dismissal) {
        --segment_deltas[{by.survey, date, view.segment, score}];
        --channel_deltas[{by.survey, date, view.channel, score}];
        --campaign_deltas[{by.survey, date, view.campaign, score}];
      }
      replaced_dates.emplace(by.survey, date);
    }
    bool written = ratings.remove_answer(earlier.sequence, earlier.id, true);
    for (sqlite3_stmt* drop : {drop_comment, drop_uncounted, drop_answer}) {
      sqlite3_bind_int64(drop, 1, earlier.sequence);
      written = written && run(drop);
    }
    for (sqlite3_stmt* drop : drop_keyed) {
      bind_text(drop, 1, earlier.id);
      written = written && run(drop);
    }
    bind_text(record_replaced, 1, earlier.id);
    bind_text(record_replaced, 2, by.id);
    bind_text(record_replaced, 3, received_at);
    return written && run(record_replaced);
  }

  // Adds the stored answer `sequence` to the counts of the transaction (or
  // to the uncounted answers); false when a write failed. The counts reach
  // the tables with flush_counts(), once per key and transaction: a batch of
  // answers of one day touches each row once.
  bool count(std::int64_t sequence, std::string_view survey, std::string_view submitted_at,
             const counted_view& view) {
    const std::string_view date = submitted_at.substr(0, 10);
    if (!view.counted) {
      sqlite3_bind_int64(set_aside, 1, sequence);
      bind_text(set_aside, 2, survey);
      bind_text(set_aside, 3, date);
      return run(set_aside);
    }
    if (!view.has_score()) return true;  // ratings only: counted by `ratings`
    const int score = view.dismissal ? -1 : view.score;
    ++score_deltas[{std::string(survey), std::string(date), score}];
    if (view.dismissal) return true;
    ++segment_deltas[{std::string(survey), std::string(date), view.segment, score}];
    ++channel_deltas[{std::string(survey), std::string(date), view.channel, score}];
    ++campaign_deltas[{std::string(survey), std::string(date), view.campaign, score}];
    if (view.comment.empty()) return true;
    sqlite3_bind_int64(keep_comment, 1, sequence);
    bind_text(keep_comment, 2, survey);
    bind_text(keep_comment, 3, date);
    sqlite3_bind_int(keep_comment, 4, view.score);
    bind_text(keep_comment, 5, view.comment);
    return run(keep_comment);
  }

  bool flush_counts() {
    bool written = ratings.flush();
    for (const auto& [key, added] : score_deltas) {
      bind_text(count_score, 1, std::get<0>(key));
      bind_text(count_score, 2, std::get<1>(key));
      sqlite3_bind_int(count_score, 3, std::get<2>(key));
      sqlite3_bind_int64(count_score, 4, added);
      written = written && run(count_score);
    }
    const std::pair<std::map<group_key, std::int64_t>*, sqlite3_stmt*> grouped[] = {
        {&segment_deltas, count_segment},
        {&channel_deltas, count_channel},
        {&campaign_deltas, count_campaign}};
    for (const auto& [deltas, statement] : grouped) {
      for (const auto& [key, added] : *deltas) {
        bind_text(statement, 1, std::get<0>(key));
        bind_text(statement, 2, std::get<1>(key));
        bind_text(statement, 3, std::get<2>(key));
        sqlite3_bind_int(statement, 4, std::get<3>(key));
        sqlite3_bind_int64(statement, 5, added);
        written = written && run(statement);
      }
    }
    for (const auto& [survey, date] : replaced_dates) {
      for (sqlite3_stmt* prune : prune_counts) {
        bind_text(prune, 1, survey);
        bind_text(prune, 2, date);
        written = written && run(prune);
      }
    }
    discard_counts();
    return written;
  }

  void discard_counts() {
    ratings.discard();
    score_deltas.clear();
    segment_deltas.clear();
    channel_deltas.clear();
    campaign_deltas.clear();
    replaced_dates.clear();
  }

  // Fills the counts of a database written before they existed (every
  // answer), or before ratings were counted (answers with a rating were set
  // aside then: they are counted now, and every rating); runs in the
  // transaction that creates them, a slice of answers at a time.
  bool count_existing(sqlite3* connection, bool ratings_only) {
    sqlite3_stmt* slice = nullptr;
    if (sqlite3_prepare_v2(connection,
                           "SELECT r.sequence, r.survey, r.submitted_at, r.payload, r.id, "
                           "u.sequence IS NOT NULL FROM responses AS r "
                           "LEFT JOIN uncounted_answers AS u USING (sequence) "
                           "WHERE r.sequence > ?1 ORDER BY r.sequence LIMIT 1000",
                           -1, &slice, nullptr) != SQLITE_OK) {
      sqlite3_finalize(slice);
      return false;
    }
    struct stored {
      std::int64_t sequence;
      std::string survey;
      std::string submitted_at;
      std::string payload;
      std::string id;
      bool set_aside;
    };
    std::vector<stored> answers;
    std::int64_t after = 0;
    bool written = true;
    do {
      // Read first: counting changes uncounted_answers, which the query reads.
      answers.clear();
      sqlite3_bind_int64(slice, 1, after);
      int status = SQLITE_OK;
      while ((status = sqlite3_step(slice)) == SQLITE_ROW) {
        answers.push_back({sqlite3_column_int64(slice, 0), column_text(slice, 1),
                           column_text(slice, 2), column_text(slice, 3), column_text(slice, 4),
                           sqlite3_column_int(slice, 5) != 0});
      }
      sqlite3_reset(slice);
      written = status == SQLITE_DONE;
      for (std::size_t i = 0; written && i < answers.size(); ++i) {
        const stored& answer = answers[i];
        after = answer.sequence;
        const std::string_view date = std::string_view(answer.submitted_at).substr(0, 10);
        const counted_view view = view_of_payload(answer.payload, date);
        if (!ratings_only) {
          written = count(answer.sequence, answer.survey, answer.submitted_at, view);
        } else if (answer.set_aside && view.counted) {
          sqlite3_bind_int64(drop_uncounted, 1, answer.sequence);
          written = run(drop_uncounted) &&
                    count(answer.sequence, answer.survey, answer.submitted_at, view);
        }
        written =
            written && ratings.count_answer(answer.sequence, answer.id, answer.survey, date, view);
      }
      written = written && flush_counts();
    } while (written && answers.size() == 1000);
    sqlite3_finalize(slice);
    return written;
  }
};

// --- reading -------------------------------------------------------------------

namespace {

// Rows are read in slices of a thousand, each in its own short read
// transaction that ends before any row is handed out, so that a slow export
// never holds back the WAL checkpoint. Answers never change once stored and
// the last slice ends at the last answer stored when the cursor opened.
class sqlite_row_cursor final : public row_cursor {
 public:
  static result<std::unique_ptr<row_cursor>> open(const std::string& path,
                                                  const row_filter& filter) {
    std::unique_ptr<sqlite_row_cursor> cursor(new sqlite_row_cursor());
    if (sqlite3_open_v2(path.c_str(), &cursor->connection_, SQLITE_OPEN_READONLY, nullptr) !=
        SQLITE_OK) {
      return storage_error(cursor->connection_, path, "cannot open");
    }
    sqlite3_busy_timeout(cursor->connection_, 5000);
    if (sqlite3_prepare_v2(cursor->connection_, select_sql, -1, &cursor->statement_, nullptr) !=
            SQLITE_OK &&
        sqlite3_prepare_v2(cursor->connection_, select_without_follow_ups_sql, -1,
                           &cursor->statement_, nullptr) != SQLITE_OK) {
      return make_error(error_code::invalid_argument,
                        describe(cursor->connection_, path,
                                 "not an npskit collector database (no responses table)"));
    }
    const std::string last = query_text(cursor->connection_, "SELECT max(sequence) FROM responses");
    cursor->end_sequence_ = std::strtoll(last.c_str(), nullptr, 10);
    bind_text(cursor->statement_, 1, filter.survey);
    bind_text(cursor->statement_, 2, filter.from);
    bind_text(cursor->statement_, 3, filter.to);
    sqlite3_bind_int64(cursor->statement_, 5, cursor->end_sequence_);
    sqlite3_bind_int(cursor->statement_, 6, slice_rows);
    return std::unique_ptr<row_cursor>(std::move(cursor));
  }

  ~sqlite_row_cursor() override {
    sqlite3_finalize(statement_);
    sqlite3_close(connection_);
  }
  sqlite_row_cursor(const sqlite_row_cursor&) = delete;
  sqlite_row_cursor& operator=(const sqlite_row_cursor&) = delete;

  std::optional<stored_row> next() override {
    if (statement_ == nullptr || !error_.empty()) return std::nullopt;
    if (next_in_slice_ == slice_.size() && (finished_ || !read_slice())) return std::nullopt;
    return std::move(slice_[next_in_slice_++]);
  }
  const std::string& error() const override { return error_; }

 private:
  sqlite_row_cursor() = default;

  bool read_slice() {
    slice_.clear();
    next_in_slice_ = 0;
    sqlite3_bind_int64(statement_, 4, last_sequence_);
    int status = SQLITE_OK;
    while ((status = sqlite3_step(statement_)) == SQLITE_ROW) {
      stored_row row;
      row.sequence = sqlite3_column_int64(statement_, 0);
      row.received_at = column_text(statement_, 1);
      row.payload = column_text(statement_, 2);
      row.status = column_text(statement_, 3);
      row.note = column_text(statement_, 4);
      slice_.push_back(std::move(row));
    }
    // Resetting ends the read transaction before any row is handed out.
    sqlite3_reset(statement_);
    if (status != SQLITE_DONE) {
      error_ = sqlite3_errmsg(connection_);
      slice_.clear();
      return false;
    }
    if (static_cast<int>(slice_.size()) < slice_rows) finished_ = true;
    if (!slice_.empty()) last_sequence_ = slice_.back().sequence;
    return !slice_.empty();
  }

  sqlite3* connection_ = nullptr;
  sqlite3_stmt* statement_ = nullptr;
  std::int64_t end_sequence_ = 0;   // the last answer stored at open
  std::int64_t last_sequence_ = 0;  // of the last row read
  std::vector<stored_row> slice_;
  std::size_t next_in_slice_ = 0;
  bool finished_ = false;
  std::string error_;
};

struct connection_closer {
  void operator()(sqlite3* connection) const { sqlite3_close(connection); }
};
using connection_handle = std::unique_ptr<sqlite3, connection_closer>;
struct statement_finalizer {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using statement_handle = std::unique_ptr<sqlite3_stmt, statement_finalizer>;

// Messages of the summary reads name the cause but never the database's
// path: they may end up in an HTTP answer.
error read_error(sqlite3* connection, const char* doing) {
  return make_error(error_code::invalid_argument,
                    std::string("database: ") + doing + ": " +
                        (connection != nullptr ? sqlite3_errmsg(connection) : "out of memory"));
}

result<connection_handle> open_reader(const std::string& path, const char* doing) {
  sqlite3* opened = nullptr;
  const int status = sqlite3_open_v2(path.c_str(), &opened, SQLITE_OPEN_READONLY, nullptr);
  connection_handle connection(opened);
  if (status != SQLITE_OK) return read_error(opened, doing);
  sqlite3_busy_timeout(opened, 5000);
  return connection;
}

statement_handle prepare_filtered(sqlite3* connection, const char* sql, const row_filter& filter) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(connection, sql, -1, &statement, nullptr) != SQLITE_OK) return nullptr;
  bind_text(statement, 1, filter.survey);
  bind_text(statement, 2, filter.from);
  bind_text(statement, 3, filter.to);
  return statement_handle(statement);
}

}  // namespace

result<std::unique_ptr<row_cursor>> sqlite_storage::open_rows(const row_filter& filter) {
  std::error_code missing;
  if (!std::filesystem::is_regular_file(path_, missing)) {
    return make_error(error_code::invalid_argument,
                      "--db \"" + path_ + "\": no such database file");
  }
  return sqlite_row_cursor::open(path_, filter);
}

// The owner's operations run on their own connection (sqlite_owner_side.h).
// A read-only storage (npskit export) has none and reads nothing of them.
result<inbox_page> sqlite_storage::read_inbox(const inbox_filter& filter) {
  if (!owner_side_) return read_only_error();
  return owner_side_->page(filter);
}

result<std::optional<follow_up>> sqlite_storage::set_follow_up(
    const std::string& id, const std::optional<std::string>& status,
    const std::optional<std::string>& note) {
  if (!owner_side_) return read_only_error();
  return owner_side_->set_follow_up(id, status, note);
}

result<std::size_t> sqlite_storage::erase_answer(const std::string& id) {
  if (!owner_side_) return read_only_error();
  return owner_side_->erase_answer(id);
}

result<std::size_t> sqlite_storage::erase_user(const std::string& user) {
  if (!owner_side_) return read_only_error();
  return owner_side_->erase_user(user);
}

result<std::size_t> sqlite_storage::erase_received_before(const std::string& timestamp) {
  if (!owner_side_) return read_only_error();
  return owner_side_->erase_received_before(timestamp);
}

result<std::vector<survey_totals>> sqlite_storage::read_surveys() {
  if (!owner_side_) return read_only_error();
  return owner_side_->surveys();
}

error sqlite_storage::read_only_error() const {
  return make_error(error_code::invalid_argument,
                    "--db \"" + path_ + "\": opened read-only, for reading the answers only");
}

result<stored_counts> sqlite_storage::read_counts(const row_filter& filter, count_grouping by) {
  auto opened = open_reader(path_, "cannot open the stored answers");
  if (!opened) return opened.error();
  sqlite3* db = opened->get();
  // The counts, the dismissals and the last answer come from one snapshot.
  if (sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return read_error(db, "cannot read the counts");
  }
  stored_counts counts;
  statement_handle uncounted = prepare_filtered(db, uncounted_sql, filter);
  statement_handle last = prepare_filtered(db, last_sequence_sql, filter);
  const char* rows_sql = by == count_grouping::segment    ? by_segment_sql
                         : by == count_grouping::channel  ? by_channel_sql
                         : by == count_grouping::campaign ? by_campaign_sql
                                                          : by_date_sql;
  statement_handle rows = prepare_filtered(db, rows_sql, filter);
  statement_handle dismissed = prepare_filtered(db, dismissals_sql, filter);
  if (!uncounted || !last || !rows || !dismissed || sqlite3_step(uncounted.get()) != SQLITE_ROW ||
      sqlite3_step(last.get()) != SQLITE_ROW || sqlite3_step(dismissed.get()) != SQLITE_ROW) {
    const error failure = read_error(db, "cannot read the counts");
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return failure;
  }
  counts.set_aside = sqlite3_column_int(uncounted.get(), 0) != 0;
  counts.last_sequence = sqlite3_column_int64(last.get(), 0);
  counts.dismissals = static_cast<std::uint64_t>(sqlite3_column_int64(dismissed.get(), 0));
  int step = SQLITE_DONE;
  while (!counts.set_aside && (step = sqlite3_step(rows.get())) == SQLITE_ROW) {
    const int score = sqlite3_column_int(rows.get(), 1);
    if (score < 0 || score > 10) continue;  // dismissals, counted above
    counts.rows.push_back({column_text(rows.get(), 0), score,
                           static_cast<std::uint64_t>(sqlite3_column_int64(rows.get(), 2))});
  }
  if (step != SQLITE_DONE ||
      (!counts.set_aside &&
       !read_rating_counts(db, filter.survey, filter.from, filter.to, by, counts.ratings))) {
    const error failure = read_error(db, "cannot read the counts");
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return failure;
  }
  sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  return counts;
}

status sqlite_storage::read_comments(const row_filter& filter, std::int64_t after,
                                     std::int64_t up_to, const comment_sink& sink) {
  auto opened = open_reader(path_, "cannot read the comments");
  if (!opened) return opened.error();
  sqlite3* db = opened->get();
  statement_handle comments = prepare_filtered(db, comments_sql, filter);
  if (!comments) return read_error(db, "cannot read the comments");
  sqlite3_bind_int64(comments.get(), 5, up_to);
  sqlite3_bind_int(comments.get(), 6, comment_slice_rows);
  for (int rows = comment_slice_rows; rows == comment_slice_rows;) {
    rows = 0;
    sqlite3_bind_int64(comments.get(), 4, after);
    int step = SQLITE_OK;
    while ((step = sqlite3_step(comments.get())) == SQLITE_ROW) {
      after = sqlite3_column_int64(comments.get(), 0);
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(comments.get(), 2));
      const auto size = static_cast<std::size_t>(sqlite3_column_bytes(comments.get(), 2));
      sink(after, sqlite3_column_int(comments.get(), 1),
           text != nullptr ? std::string_view(text, size) : std::string_view());
      ++rows;
    }
    // Resetting ends the read transaction of the slice.
    sqlite3_reset(comments.get());
    if (step != SQLITE_DONE) return read_error(db, "cannot read the comments");
  }
  return ok{};
}

result<std::optional<std::string>> sqlite_storage::last_answer_at(const std::string& survey,
                                                                  const std::string& contact) {
  auto opened = open_reader(path_, "cannot read the answers of a contact");
  if (!opened) return opened.error();
  sqlite3_stmt* prepared = nullptr;
  if (sqlite3_prepare_v2(opened->get(), last_answer_at_sql, -1, &prepared, nullptr) != SQLITE_OK) {
    return read_error(opened->get(), "cannot read the answers of a contact");
  }
  statement_handle query(prepared);
  bind_text(prepared, 1, survey);
  bind_text(prepared, 2, contact);
  if (sqlite3_step(prepared) != SQLITE_ROW) {
    return read_error(opened->get(), "cannot read the answers of a contact");
  }
  if (sqlite3_column_type(prepared, 0) == SQLITE_NULL) return std::optional<std::string>();
  return std::optional<std::string>(column_text(prepared, 0));
}

// --- writing -------------------------------------------------------------------

sqlite_storage::sqlite_storage() = default;

result<std::unique_ptr<sqlite_storage>> sqlite_storage::open(const std::string& path,
                                                             synchronous_mode mode,
                                                             storage_access access) {
  if (access == storage_access::read_only) {
    // Reads open their own connections, by name; nothing is written.
    std::unique_ptr<sqlite_storage> reader(new sqlite_storage());
    reader->path_ = path;
    reader->closing_ = true;
    return reader;
  }
  // Answers are personal data: folders created here are 0700, a database
  // file created here 0600 (SQLite gives its -wal and -shm files the mode of
  // the database file). Existing files and folders keep their modes.
  for (const std::filesystem::path& folder :
       missing_folders(std::filesystem::path(path).parent_path())) {
    if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST) {
      return make_error(error_code::invalid_argument,
                        "--db \"" + path + "\": cannot create the folder \"" + folder.string() +
                            "\": " + std::generic_category().message(errno));
    }
  }
  const int created = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (created >= 0) {
    ::fchmod(created, 0600);  // whatever the umask
    ::close(created);
  }

  std::unique_ptr<sqlite_storage> store(new sqlite_storage());
  store->path_ = path;
  // Only the writer thread uses this connection once open returns.
  if (sqlite3_open_v2(path.c_str(), &store->connection_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    return storage_error(store->connection_, path, "cannot open");
  }
  sqlite3* connection = store->connection_;
  sqlite3_busy_timeout(connection, 5000);

  const std::string version = query_text(connection, "PRAGMA user_version");
  if (version.empty()) return storage_error(connection, path, "not a SQLite database");
  const long found_version = std::strtol(version.c_str(), nullptr, 10);
  if (found_version > schema_version) {
    return make_error(error_code::invalid_argument,
                      "--db \"" + path + "\": written by a newer npskit (schema version " +
                          version + ", this one reads " + std::to_string(schema_version) + ")");
  }
  if (query_text(connection, "PRAGMA journal_mode = WAL") != "wal") {
    return storage_error(connection, path, "cannot switch to WAL mode");
  }
  const std::string synchronous =
      std::string("PRAGMA synchronous = ") + npskit::cli::to_string(mode);
  // A WAL that grew past the bound (a long reader held it) is cut back to it
  // when it is next reset.
  const std::string size_limit = "PRAGMA journal_size_limit = " + std::to_string(wal_restart_bytes);
  if (!execute(connection, synchronous.c_str()) || !execute(connection, size_limit.c_str())) {
    return storage_error(connection, path, "cannot set up the journal");
  }
  store->wal_restart_pages_ = static_cast<int>(
      wal_restart_bytes /
      static_cast<std::size_t>(std::max(
          512L, std::strtol(query_text(connection, "PRAGMA page_size").c_str(), nullptr, 10))));

  store->statements_ = std::make_unique<statements>();
  if (!execute(connection, "BEGIN IMMEDIATE")) {
    return storage_error(connection, path, "cannot prepare the tables");
  }
  const bool prepared =
      execute(connection, create_table_sql) && execute(connection, create_counts_sql) &&
      create_rating_count_tables(connection) && execute(connection, create_follow_ups_sql) &&
      (found_version >= 4 || execute(connection, migrate_to_origins_sql)) &&
      store->prepare_outbox() && store->statements_->prepare(connection) &&
      create_invitation_tables(connection) &&
      (found_version >= 6 || store->statements_->count_existing(connection, found_version >= 2)) &&
      execute(connection, ("PRAGMA user_version = " + std::to_string(schema_version)).c_str()) &&
      execute(connection, "COMMIT");
  if (!prepared) {
    const error failure = storage_error(connection, path, "cannot prepare the tables");
    execute(connection, "ROLLBACK");
    return failure;
  }

  if (sqlite3_open_v2(path.c_str(), &store->checkpoint_connection_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    return storage_error(store->checkpoint_connection_, path, "cannot open");
  }
  sqlite3_busy_timeout(store->checkpoint_connection_, 5000);
  // A connection that has not read the database yet has not opened its WAL,
  // and a checkpoint on it returns SQLITE_OK having copied nothing.
  if (query_text(store->checkpoint_connection_, "SELECT count(*) FROM sqlite_master").empty()) {
    return storage_error(store->checkpoint_connection_, path, "cannot read");
  }
  if (sqlite3_open_v2(path.c_str(), &store->outbox_reader_,
                      SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    return storage_error(store->outbox_reader_, path, "cannot open");
  }
  sqlite3_busy_timeout(store->outbox_reader_, 5000);
  // Replaces SQLite's automatic checkpoint, which would run inside a commit.
  sqlite3_wal_hook(connection, &sqlite_storage::on_wal_commit, store.get());
  store->writer_ = std::thread([raw = store.get()] { raw->run_writer(); });
  store->checkpointer_ = std::thread([raw = store.get()] { raw->run_checkpointer(); });
  auto owner_side = sqlite_owner_side::open(path);
  if (!owner_side) return owner_side.error();
  store->owner_side_ = std::move(*owner_side);
  auto invitations = sqlite_invitations::open(path);
  if (!invitations) return invitations.error();
  store->invitations_ = std::move(*invitations);
  return store;
}

int sqlite_storage::on_wal_commit(void* self, sqlite3*, const char*, int pages) {
  auto* store = static_cast<sqlite_storage*>(self);
  bool due = false;
  {
    std::lock_guard<std::mutex> lock(store->checkpoint_mutex_);
    store->wal_pages_ = pages;
    due = pages >= store->wal_restart_pages_ / 4;
    store->passive_checkpoint_due_ = store->passive_checkpoint_due_ || due;
  }
  if (due) store->checkpoint_due_.notify_one();
  return SQLITE_OK;
}

// Copies the WAL into the database file a quarter of the way to the bound,
// without blocking the writer. Once everything is copied, the writer starts
// the WAL over at its next transaction; under steady load that moment may
// not come, which bound_wal() takes care of.
void sqlite_storage::run_checkpointer() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(checkpoint_mutex_);
      checkpoint_due_.wait(lock,
                           [this] { return checkpointer_closing_ || passive_checkpoint_due_; });
      if (checkpointer_closing_) return;
      passive_checkpoint_due_ = false;
    }
    std::lock_guard<std::mutex> running(checkpoint_running_);
    const int status = sqlite3_wal_checkpoint_v2(checkpoint_connection_, "main",
                                                 SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (status != SQLITE_OK && status != SQLITE_BUSY) {
      std::fprintf(stderr, "npskit serve: %s\n",
                   describe(checkpoint_connection_, path_, "checkpoint").c_str());
    }
  }
}

// Past the bound, the writer itself checkpoints everything and makes the
// next transaction start the WAL over from its beginning (RESTART; reusing
// the file is cheaper than truncating it, and journal_size_limit cuts it back
// to the bound if it grew further). The passive checkpoints have usually
// copied most pages already, so this is short; readers hold only short
// transactions, and one that is still reading after a moment only delays the
// restart to a later commit.
void sqlite_storage::bound_wal() {
  {
    std::lock_guard<std::mutex> lock(checkpoint_mutex_);
    if (wal_pages_ < wal_restart_pages_) return;
  }
  // SQLite refuses a second checkpoint at once without waiting for the
  // first; this one waits for the passive one to end instead.
  std::lock_guard<std::mutex> running(checkpoint_running_);
  sqlite3_busy_timeout(connection_, 200);
  int log_frames = 0;
  int copied_frames = 0;
  const int status = sqlite3_wal_checkpoint_v2(connection_, "main", SQLITE_CHECKPOINT_RESTART,
                                               &log_frames, &copied_frames);
  sqlite3_busy_timeout(connection_, 5000);
  if (status == SQLITE_OK) {
    std::lock_guard<std::mutex> lock(checkpoint_mutex_);
    wal_pages_ = 0;
  } else if (status != SQLITE_BUSY) {
    report_failure("checkpoint");
  }
}

sqlite_storage::~sqlite_storage() {
  close();
  {
    std::lock_guard<std::mutex> lock(checkpoint_mutex_);
    checkpointer_closing_ = true;
  }
  checkpoint_due_.notify_all();
  if (checkpointer_.joinable()) checkpointer_.join();
  sqlite3_close(checkpoint_connection_);
  sqlite3_close(outbox_reader_);
  statements_.reset();
  outbox_statements_.reset();
  // Closing the last connection checkpoints the WAL into the database file.
  sqlite3_close(connection_);
}

void sqlite_storage::close() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing_ = true;
  }
  work_ready_.notify_all();
  if (writer_.joinable()) writer_.join();
}

store_outcome sqlite_storage::store(const response& value, const std::string& received_at) {
  const counted_view view =
      view_of_payload(value.json, std::string_view(value.submitted_at).substr(0, 10));
  const answer_origin origin = origin_of(value);
  const std::vector<outbox_message> messages = router_ != nullptr
                                                   ? router_->messages_for(value, received_at)
                                                   : std::vector<outbox_message>{};
  pending item{&value, &received_at, &view, &origin, &messages, {}};
  auto outcome = item.outcome.get_future();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closing_) return store_outcome::failed;
    queue_.push_back(&item);
  }
  work_ready_.notify_one();
  return outcome.get();
}

std::vector<store_outcome> sqlite_storage::store_many(const std::vector<response>& values,
                                                      const std::string& received_at) {
  std::vector<counted_view> views;
  std::vector<answer_origin> origins;
  views.reserve(values.size());
  origins.reserve(values.size());
  for (const response& value : values) {
    views.push_back(
        view_of_payload(value.json, std::string_view(value.submitted_at).substr(0, 10)));
    origins.push_back(origin_of(value));
  }
  std::vector<pending> items(values.size());
  std::vector<std::future<store_outcome>> outcomes;
  outcomes.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    items[i].value = &values[i];
    items[i].received_at = &received_at;
    items[i].view = &views[i];
    items[i].origin = &origins[i];
    items[i].messages = nullptr;  // imported answers raise no alerts
    outcomes.push_back(items[i].outcome.get_future());
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closing_) return std::vector<store_outcome>(values.size(), store_outcome::failed);
    for (pending& item : items) queue_.push_back(&item);
  }
  work_ready_.notify_one();
  std::vector<store_outcome> results;
  results.reserve(values.size());
  for (auto& outcome : outcomes) results.push_back(outcome.get());
  return results;
}

void sqlite_storage::run_writer() {
  std::vector<pending*> batch;
  std::vector<pending_changes*> changes;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_ready_.wait(lock,
                       [this] { return closing_ || !queue_.empty() || !change_queue_.empty(); });
      if (queue_.empty() && change_queue_.empty()) return;  // closing, everything written
      changes.swap(change_queue_);
      // Bounded in count and in bytes, so that one transaction adds at most
      // about max_batch_bytes to the WAL.
      std::size_t take = 0;
      std::size_t bytes = 0;
      while (take < queue_.size() && take < max_batch && (take == 0 || bytes < max_batch_bytes)) {
        bytes += queue_[take]->value->json.size();
        ++take;
      }
      batch.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(take));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(take));
    }
    write_batch(batch, changes);
    batch.clear();
    changes.clear();
    bound_wal();
  }
}

void sqlite_storage::report_failure(const char* doing) const {
  // The request log shows the 503; this line says why.
  std::fprintf(stderr, "npskit serve: %s\n", describe(connection_, path_, doing).c_str());
}

sqlite_storage::one_per_contact sqlite_storage::replace_earlier(const response& value,
                                                                const answer_origin& origin,
                                                                const std::string& received_at) {
  statements& writing = *statements_;
  const int known = writing.known_id(value.id);
  if (known != 0) return known > 0 ? one_per_contact::duplicate : one_per_contact::failed;
  bool failed = false;
  const auto earlier = writing.find_earlier(value, origin, failed);
  if (failed) return one_per_contact::failed;
  if (!earlier) return one_per_contact::first;
  const auto now = unix_ms_of_timestamp(received_at);
  const auto then = unix_ms_of_timestamp(earlier->received_at);
  if (!now || !then || *now - *then > replace_window_ms_) return one_per_contact::already_answered;
  return writing.replace(*earlier, value, received_at) ? one_per_contact::replaced
                                                       : one_per_contact::failed;
}

// All or nothing: the answers and their counts commit together, so the
// counts always match the answers.
void sqlite_storage::write_batch(std::vector<pending*>& batch,
                                 std::vector<pending_changes*>& changes) {
  std::vector<store_outcome> outcomes(batch.size(), store_outcome::failed);
  statements& writing = *statements_;
  bool queued_deliveries = false;
  bool written = execute(connection_, "BEGIN IMMEDIATE");
  if (!written) report_failure("begin a transaction");
  for (std::size_t i = 0; written && i < batch.size(); ++i) {
    const response& value = *batch[i]->value;
    const answer_origin& origin = *batch[i]->origin;
    if (value.type == record_type::response && origin.one_per_contact()) {
      const one_per_contact verdict = replace_earlier(value, origin, *batch[i]->received_at);
      if (verdict == one_per_contact::failed) {
        report_failure("replace an earlier answer");
        written = false;
        break;
      }
      if (verdict == one_per_contact::duplicate) {
        outcomes[i] = store_outcome::duplicate;
        continue;
      }
      if (verdict == one_per_contact::already_answered) {
        outcomes[i] = store_outcome::already_answered;
        continue;
      }
    }
    sqlite3_stmt* insert = writing.insert;
    bind_text(insert, 1, value.id);
    bind_text(insert, 2, value.type == record_type::dismissal ? "dismissal" : "response");
    bind_text(insert, 3, value.survey);
    if (value.type == record_type::dismissal) {
      sqlite3_bind_null(insert, 4);
    } else {
      sqlite3_bind_int(insert, 4, value.score);
    }
    bind_text(insert, 5, value.submitted_at);
    bind_text(insert, 6, *batch[i]->received_at);
    bind_text(insert, 7, value.json);
    bind_text(insert, 8, origin.channel);
    for (const auto& [index, text] :
         {std::pair<int, const std::string*>{9, &origin.campaign}, {10, &origin.contact}}) {
      if (text->empty()) {
        sqlite3_bind_null(insert, index);
      } else {
        bind_text(insert, index, *text);
      }
    }
    if (!run(insert)) {
      report_failure("insert");
      written = false;
    } else if (sqlite3_changes(connection_) == 0) {
      outcomes[i] = store_outcome::duplicate;
    } else if (const std::int64_t sequence = sqlite3_last_insert_rowid(connection_);
               !writing.count(sequence, value.survey, value.submitted_at, *batch[i]->view) ||
               !writing.ratings.count_answer(sequence, value.id, value.survey,
                                             std::string_view(value.submitted_at).substr(0, 10),
                                             *batch[i]->view)) {
      report_failure("count");
      written = false;
    } else if (batch[i]->messages != nullptr && !queue_deliveries(value, *batch[i]->messages)) {
      report_failure("queue alerts");
      written = false;
    } else {
      outcomes[i] = store_outcome::stored;
      queued_deliveries =
          queued_deliveries || (batch[i]->messages != nullptr && !batch[i]->messages->empty());
    }
  }
  for (std::size_t i = 0; written && i < changes.size(); ++i) {
    if (!apply_outbox_changes(*changes[i]->changes)) {
      report_failure("record alert deliveries");
      written = false;
    }
  }
  if (written && !writing.flush_counts()) {
    report_failure("count");
    written = false;
  }
  if (written && !execute(connection_, "COMMIT")) {
    report_failure("commit");
    written = false;
  }
  if (!written) {
    writing.discard_counts();
    if (!sqlite3_get_autocommit(connection_)) execute(connection_, "ROLLBACK");
    std::fill(outcomes.begin(), outcomes.end(), store_outcome::failed);
  }
  degraded_.store(!written, std::memory_order_relaxed);
  // Each waiting request learns its outcome only now, after the commit.
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i]->outcome.set_value(outcomes[i]);
  for (pending_changes* waiting : changes) waiting->committed.set_value(written);
  if (written && queued_deliveries) router_->deliveries_committed();
}

}  // namespace npskit::cli
