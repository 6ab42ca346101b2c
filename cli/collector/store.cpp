#include "collector/store.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <system_error>
#include <utility>

namespace npskit::cli {
namespace {

// Bumped whenever the table changes shape; a database written by a newer
// collector is refused rather than misread.
constexpr int schema_version = 1;

// Answers of concurrent requests committed in one transaction. Large enough
// to amortize an fsync over a burst, small enough to keep latency bounded.
constexpr std::size_t max_batch = 1024;

// SQLite's own default threshold for checkpointing the WAL (pages of 4 KiB).
constexpr int checkpoint_pages = 1000;

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

constexpr const char* insert_sql =
    "INSERT INTO responses (id, type, survey, score, submitted_at, received_at, payload) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO NOTHING";

constexpr const char* select_sql =
    "SELECT sequence, received_at, payload FROM responses "
    "WHERE (?1 = '' OR survey = ?1) "
    "AND (?2 = '' OR substr(submitted_at, 1, 10) >= ?2) "
    "AND (?3 = '' OR substr(submitted_at, 1, 10) <= ?3) "
    "ORDER BY sequence";

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

}  // namespace

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
  bind_text(cursor->statement_, 1, filter.survey);
  bind_text(cursor->statement_, 2, filter.from);
  bind_text(cursor->statement_, 3, filter.to);
  return cursor;
}

row_cursor::~row_cursor() {
  sqlite3_finalize(statement_);
  sqlite3_close(connection_);
}

std::optional<stored_row> row_cursor::next() {
  if (statement_ == nullptr || !error_.empty()) return std::nullopt;
  const int status = sqlite3_step(statement_);
  if (status == SQLITE_DONE) return std::nullopt;
  if (status != SQLITE_ROW) {
    error_ = sqlite3_errmsg(connection_);
    return std::nullopt;
  }
  stored_row row;
  row.sequence = sqlite3_column_int64(statement_, 0);
  row.received_at = column_text(statement_, 1);
  row.payload = column_text(statement_, 2);
  return row;
}

// --- writing -------------------------------------------------------------------

result<std::unique_ptr<answer_store>> answer_store::open(const std::string& path,
                                                         synchronous_mode mode) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code failure;
    std::filesystem::create_directories(parent, failure);
    if (failure) {
      return make_error(error_code::invalid_argument,
                        "--db \"" + path + "\": cannot create the folder \"" + parent.string() +
                            "\": " + failure.message());
    }
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
  if (std::strtol(version.c_str(), nullptr, 10) > schema_version) {
    return make_error(error_code::invalid_argument,
                      "--db \"" + path + "\": written by a newer npskit (schema version " +
                          version + ", this one reads " + std::to_string(schema_version) + ")");
  }
  if (query_text(connection, "PRAGMA journal_mode = WAL") != "wal") {
    return storage_error(connection, path, "cannot switch to WAL mode");
  }
  const std::string synchronous =
      std::string("PRAGMA synchronous = ") + npskit::cli::to_string(mode);
  if (!execute(connection, synchronous.c_str()) || !execute(connection, create_table_sql) ||
      !execute(connection, ("PRAGMA user_version = " + std::to_string(schema_version)).c_str())) {
    return storage_error(connection, path, "cannot prepare the responses table");
  }
  if (sqlite3_prepare_v3(connection, insert_sql, -1, SQLITE_PREPARE_PERSISTENT, &store->insert_,
                         nullptr) != SQLITE_OK) {
    return storage_error(connection, path, "cannot prepare the insert");
  }
  if (sqlite3_open_v2(path.c_str(), &store->checkpoint_connection_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    return storage_error(store->checkpoint_connection_, path, "cannot open");
  }
  sqlite3_busy_timeout(store->checkpoint_connection_, 5000);
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
    due = pages >= checkpoint_pages;
  }
  if (due) store->checkpoint_due_.notify_one();
  return SQLITE_OK;
}

void answer_store::run_checkpointer() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(checkpoint_mutex_);
      checkpoint_due_.wait(
          lock, [this] { return checkpointer_closing_ || wal_pages_ >= checkpoint_pages; });
      if (checkpointer_closing_) return;
      wal_pages_ = 0;
    }
    // PASSIVE never blocks the writer; what it cannot copy now, the next
    // round will.
    if (sqlite3_wal_checkpoint_v2(checkpoint_connection_, "main", SQLITE_CHECKPOINT_PASSIVE,
                                  nullptr, nullptr) != SQLITE_OK) {
      report_failure("checkpoint");
    }
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
  sqlite3_finalize(insert_);
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
  pending item{&value, &received_at, {}};
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
      const std::size_t take = std::min(queue_.size(), max_batch);
      batch.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(take));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(take));
    }
    write_batch(batch);
    batch.clear();
  }
}

void answer_store::report_failure(const char* doing) const {
  // The request log shows the 500; this line says why.
  std::fprintf(stderr, "npskit serve: %s\n", describe(connection_, path_, doing).c_str());
}

void answer_store::write_batch(std::vector<pending*>& batch) {
  std::vector<store_outcome> outcomes(batch.size(), store_outcome::failed);
  if (execute(connection_, "BEGIN IMMEDIATE")) {
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const response& value = *batch[i]->value;
      sqlite3_reset(insert_);
      bind_text(insert_, 1, value.id);
      bind_text(insert_, 2, value.type == record_type::dismissal ? "dismissal" : "response");
      bind_text(insert_, 3, value.survey);
      if (value.type == record_type::dismissal) {
        sqlite3_bind_null(insert_, 4);
      } else {
        sqlite3_bind_int(insert_, 4, value.score);
      }
      bind_text(insert_, 5, value.submitted_at);
      bind_text(insert_, 6, *batch[i]->received_at);
      bind_text(insert_, 7, value.json);
      if (sqlite3_step(insert_) == SQLITE_DONE) {
        outcomes[i] =
            sqlite3_changes(connection_) == 1 ? store_outcome::stored : store_outcome::duplicate;
      } else {
        report_failure("insert");
      }
    }
    sqlite3_reset(insert_);
    if (!execute(connection_, "COMMIT")) {
      report_failure("commit");
      execute(connection_, "ROLLBACK");
      std::fill(outcomes.begin(), outcomes.end(), store_outcome::failed);
    }
  } else {
    report_failure("begin a transaction");
  }
  // Each waiting request learns its outcome only now, after the commit.
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i]->outcome.set_value(outcomes[i]);
}

}  // namespace npskit::cli
