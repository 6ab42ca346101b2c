#include "collector/store.h"

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
#include <system_error>
#include <tuple>
#include <utility>
#include <vector>

#include "npskit/aggregate.h"
#include "npskit/reader.h"

namespace npskit::cli {

// What a reader of the JSONL export sees of one stored payload. Running the
// same reader at insert time makes the counts agree with `npskit summarize`
// on an export by construction, including its rules for segments in
// "properties", trimming and keys that differ only in case.
struct counted_view {
  bool counted = false;  // false: refused by the reader, or dated differently
  bool dismissal = false;
  int score = -1;
  std::string segment;  // the group key: trimmed, "(none)" when blank
  std::string comment;  // trimmed, as themes see it
};

namespace {

// Bumped whenever the tables change shape; a database written by a newer
// collector is refused rather than misread. Version 2 added the counts, which
// opening an older database fills from its answers.
constexpr int schema_version = 2;

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

constexpr const char* count_score_sql =
    "INSERT INTO score_counts (survey, date, score, count) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (survey, date, score) DO UPDATE SET count = count + excluded.count";
constexpr const char* count_segment_sql =
    "INSERT INTO segment_counts (survey, date, segment, score, count) "
    "VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (survey, date, segment, score) DO UPDATE SET count = count + excluded.count";
constexpr const char* keep_comment_sql =
    "INSERT INTO comments (sequence, survey, date, score, comment) VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr const char* set_aside_sql =
    "INSERT INTO uncounted_answers (sequence, survey, date) VALUES (?1, ?2, ?3)";

constexpr const char* insert_sql =
    "INSERT INTO responses (id, type, survey, score, submitted_at, received_at, payload) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO NOTHING";

constexpr const char* select_sql =
    "SELECT sequence, received_at, payload FROM responses "
    "WHERE sequence > ?4 AND sequence <= ?5 "
    "AND (?1 = '' OR survey = ?1) "
    "AND (?2 = '' OR substr(submitted_at, 1, 10) >= ?2) "
    "AND (?3 = '' OR substr(submitted_at, 1, 10) <= ?3) "
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

void bind_text(sqlite3_stmt* statement, int index, std::string_view text) {
  sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

std::string column_text(sqlite3_stmt* statement, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
  const int size = sqlite3_column_bytes(statement, column);
  return text != nullptr ? std::string(text, static_cast<std::size_t>(size)) : std::string();
}

// Runs one prepared write with its bound values; true when it completed.
bool run(sqlite3_stmt* statement) {
  const int status = sqlite3_step(statement);
  sqlite3_reset(statement);
  return status == SQLITE_DONE;
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

class payload_reader {
 public:
  payload_reader() {
    reader_options options;
    options.format = input_format::jsonl;
    options.max_reported_rejections = 0;
    auto created = reader::create(options, [this](const record_view& record) {
      take(record);
      return status(ok{});
    });
    if (created) reader_.emplace(std::move(*created));
  }
  payload_reader(const payload_reader&) = delete;
  payload_reader& operator=(const payload_reader&) = delete;

  // date: the first ten characters of submitted_at, the date from/to compare.
  counted_view view(std::string_view payload, std::string_view date) {
    view_ = counted_view{};
    date_ = date;
    if (reader_) {
      line_.assign(payload);
      line_.push_back('\n');
      (void)reader_->push(line_);
    }
    return std::move(view_);
  }

 private:
  void take(const record_view& record) {
    view_.dismissal = record.type == record_type::dismissal;
    view_.score = record.score;
    // The counts hold NPS scores only: an answer with a CSAT or CES rating is
    // set aside, so summaries that include it read the payloads and report
    // the ratings (and never take a rating for an NPS score).
    if (record.csat != 0 || record.ces != 0) return;
    if (!view_.dismissal) {
      auto day = group_key(record, group_by::day);
      if (!day || *day != date_) return;
      auto segment = group_key(record, group_by::segment);
      if (!segment) return;
      view_.segment = std::move(*segment);
      view_.comment.assign(record.comment);
    }
    view_.counted = true;
  }

  std::optional<reader> reader_;
  std::string line_;
  std::string_view date_;
  counted_view view_;
};

}  // namespace

struct answer_store::statements {
  sqlite3_stmt* insert = nullptr;
  sqlite3_stmt* count_score = nullptr;
  sqlite3_stmt* count_segment = nullptr;
  sqlite3_stmt* keep_comment = nullptr;
  sqlite3_stmt* set_aside = nullptr;
  payload_reader payloads;
  // (survey, date, score) and (survey, date, segment, score) -> answers
  // counted in the current transaction.
  std::map<std::tuple<std::string, std::string, int>, std::int64_t> score_deltas;
  std::map<std::tuple<std::string, std::string, std::string, int>, std::int64_t> segment_deltas;

  statements() = default;
  statements(const statements&) = delete;
  statements& operator=(const statements&) = delete;
  ~statements() {
    for (sqlite3_stmt* statement : {insert, count_score, count_segment, keep_comment, set_aside}) {
      sqlite3_finalize(statement);
    }
  }

  bool prepare(sqlite3* connection) {
    const std::pair<const char*, sqlite3_stmt**> all[] = {{insert_sql, &insert},
                                                          {count_score_sql, &count_score},
                                                          {count_segment_sql, &count_segment},
                                                          {keep_comment_sql, &keep_comment},
                                                          {set_aside_sql, &set_aside}};
    for (const auto& [sql, statement] : all) {
      if (sqlite3_prepare_v3(connection, sql, -1, SQLITE_PREPARE_PERSISTENT, statement, nullptr) !=
          SQLITE_OK) {
        return false;
      }
    }
    return true;
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
    const int score = view.dismissal ? -1 : view.score;
    ++score_deltas[{std::string(survey), std::string(date), score}];
    if (view.dismissal) return true;
    ++segment_deltas[{std::string(survey), std::string(date), view.segment, score}];
    if (view.comment.empty()) return true;
    sqlite3_bind_int64(keep_comment, 1, sequence);
    bind_text(keep_comment, 2, survey);
    bind_text(keep_comment, 3, date);
    sqlite3_bind_int(keep_comment, 4, view.score);
    bind_text(keep_comment, 5, view.comment);
    return run(keep_comment);
  }

  bool flush_counts() {
    bool written = true;
    for (const auto& [key, added] : score_deltas) {
      bind_text(count_score, 1, std::get<0>(key));
      bind_text(count_score, 2, std::get<1>(key));
      sqlite3_bind_int(count_score, 3, std::get<2>(key));
      sqlite3_bind_int64(count_score, 4, added);
      written = written && run(count_score);
    }
    for (const auto& [key, added] : segment_deltas) {
      bind_text(count_segment, 1, std::get<0>(key));
      bind_text(count_segment, 2, std::get<1>(key));
      bind_text(count_segment, 3, std::get<2>(key));
      sqlite3_bind_int(count_segment, 4, std::get<3>(key));
      sqlite3_bind_int64(count_segment, 5, added);
      written = written && run(count_segment);
    }
    discard_counts();
    return written;
  }

  void discard_counts() {
    score_deltas.clear();
    segment_deltas.clear();
  }

  // Fills the counts of a database written before they existed; runs in the
  // transaction that creates them.
  bool count_existing(sqlite3* connection) {
    sqlite3_stmt* all = nullptr;
    if (sqlite3_prepare_v2(connection,
                           "SELECT sequence, survey, submitted_at, payload FROM responses "
                           "ORDER BY sequence",
                           -1, &all, nullptr) != SQLITE_OK) {
      return false;
    }
    int status = SQLITE_OK;
    while ((status = sqlite3_step(all)) == SQLITE_ROW) {
      const std::string submitted_at = column_text(all, 2);
      const counted_view view =
          payloads.view(column_text(all, 3), std::string_view(submitted_at).substr(0, 10));
      if (!count(sqlite3_column_int64(all, 0), column_text(all, 1), submitted_at, view)) {
        break;
      }
    }
    sqlite3_finalize(all);
    return flush_counts() && status == SQLITE_DONE;
  }
};

const char* to_string(synchronous_mode mode) {
  return mode == synchronous_mode::full ? "FULL" : "NORMAL";
}

result<synchronous_mode> parse_synchronous_mode(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "full") return synchronous_mode::full;
  if (lower == "normal") return synchronous_mode::normal;
  return make_error(error_code::invalid_argument,
                    "--synchronous: \"" + std::string(text) +
                        "\" is not a mode (expected FULL: survives power loss, or NORMAL: "
                        "survives a crash of the process)");
}

bool is_calendar_date(std::string_view text) {
  return text.size() == 10 && npskit::is_iso8601_timestamp(text);
}

std::string utc_timestamp_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[80];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900,
                parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
                static_cast<int>(millis));
  return text;
}

// --- reading -------------------------------------------------------------------

result<std::unique_ptr<row_cursor>> row_cursor::open(const std::string& path,
                                                     const row_filter& filter) {
  std::error_code missing;
  if (!std::filesystem::is_regular_file(path, missing)) {
    return make_error(error_code::invalid_argument, "--db \"" + path + "\": no such database file");
  }
  std::unique_ptr<row_cursor> cursor(new row_cursor());
  if (sqlite3_open_v2(path.c_str(), &cursor->connection_, SQLITE_OPEN_READONLY, nullptr) !=
      SQLITE_OK) {
    return storage_error(cursor->connection_, path, "cannot open");
  }
  sqlite3_busy_timeout(cursor->connection_, 5000);
  if (sqlite3_prepare_v2(cursor->connection_, select_sql, -1, &cursor->statement_, nullptr) !=
      SQLITE_OK) {
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
  return cursor;
}

row_cursor::~row_cursor() {
  sqlite3_finalize(statement_);
  sqlite3_close(connection_);
}

bool row_cursor::read_slice() {
  slice_.clear();
  next_in_slice_ = 0;
  sqlite3_bind_int64(statement_, 4, last_sequence_);
  int status = SQLITE_OK;
  while ((status = sqlite3_step(statement_)) == SQLITE_ROW) {
    stored_row row;
    row.sequence = sqlite3_column_int64(statement_, 0);
    row.received_at = column_text(statement_, 1);
    row.payload = column_text(statement_, 2);
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

std::optional<stored_row> row_cursor::next() {
  if (statement_ == nullptr || !error_.empty()) return std::nullopt;
  if (next_in_slice_ == slice_.size() && (finished_ || !read_slice())) return std::nullopt;
  return std::move(slice_[next_in_slice_++]);
}

// --- writing -------------------------------------------------------------------

answer_store::answer_store() = default;

result<std::unique_ptr<answer_store>> answer_store::open(const std::string& path,
                                                         synchronous_mode mode) {
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

  std::unique_ptr<answer_store> store(new answer_store());
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
      store->statements_->prepare(connection) &&
      (found_version >= 2 || store->statements_->count_existing(connection)) &&
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
  // Replaces SQLite's automatic checkpoint, which would run inside a commit.
  sqlite3_wal_hook(connection, &answer_store::on_wal_commit, store.get());
  store->writer_ = std::thread([raw = store.get()] { raw->run_writer(); });
  store->checkpointer_ = std::thread([raw = store.get()] { raw->run_checkpointer(); });
  return store;
}

int answer_store::on_wal_commit(void* self, sqlite3*, const char*, int pages) {
  auto* store = static_cast<answer_store*>(self);
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
void answer_store::run_checkpointer() {
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
void answer_store::bound_wal() {
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

answer_store::~answer_store() {
  close();
  {
    std::lock_guard<std::mutex> lock(checkpoint_mutex_);
    checkpointer_closing_ = true;
  }
  checkpoint_due_.notify_all();
  if (checkpointer_.joinable()) checkpointer_.join();
  sqlite3_close(checkpoint_connection_);
  statements_.reset();
  // Closing the last connection checkpoints the WAL into the database file.
  sqlite3_close(connection_);
}

void answer_store::close() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing_ = true;
  }
  work_ready_.notify_all();
  if (writer_.joinable()) writer_.join();
}

store_outcome answer_store::store(const response& value, const std::string& received_at) {
  thread_local payload_reader payloads;
  const counted_view view =
      payloads.view(value.json, std::string_view(value.submitted_at).substr(0, 10));
  pending item{&value, &received_at, &view, {}};
  auto outcome = item.outcome.get_future();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closing_) return store_outcome::failed;
    queue_.push_back(&item);
  }
  work_ready_.notify_one();
  return outcome.get();
}

void answer_store::run_writer() {
  std::vector<pending*> batch;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_ready_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing, and everything is written
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
    write_batch(batch);
    batch.clear();
    bound_wal();
  }
}

void answer_store::report_failure(const char* doing) const {
  // The request log shows the 503; this line says why.
  std::fprintf(stderr, "npskit serve: %s\n", describe(connection_, path_, doing).c_str());
}

// All or nothing: the answers and their counts commit together, so the
// counts always match the answers.
void answer_store::write_batch(std::vector<pending*>& batch) {
  std::vector<store_outcome> outcomes(batch.size(), store_outcome::failed);
  statements& writing = *statements_;
  bool written = execute(connection_, "BEGIN IMMEDIATE");
  if (!written) report_failure("begin a transaction");
  for (std::size_t i = 0; written && i < batch.size(); ++i) {
    const response& value = *batch[i]->value;
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
    if (!run(insert)) {
      report_failure("insert");
      written = false;
    } else if (sqlite3_changes(connection_) == 0) {
      outcomes[i] = store_outcome::duplicate;
    } else if (writing.count(sqlite3_last_insert_rowid(connection_), value.survey,
                             value.submitted_at, *batch[i]->view)) {
      outcomes[i] = store_outcome::stored;
    } else {
      report_failure("count");
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
}

}  // namespace npskit::cli
