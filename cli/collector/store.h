// SQLite storage of the collector: one table of answers keyed by their
// idempotency id, plus counts per survey, date, segment and score (and the
// comments) kept in the same transactions, written by a single thread that
// commits the answers of concurrent requests together (group commit) and
// reports each outcome only after its transaction is durable. The WAL is
// checkpointed while the server runs and stays under wal_size_bound.
#ifndef NPSKIT_CLI_COLLECTOR_STORE_H
#define NPSKIT_CLI_COLLECTOR_STORE_H

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "collector/outbox.h"
#include "npskit/response.h"
#include "npskit/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace npskit::cli {

// What the export's reader sees of one answer (defined in store.cpp).
struct counted_view;

// SQLite's `synchronous` pragma in WAL mode:
//   normal - a commit survives the process being killed at any moment (the
//            WAL is in the operating system's cache) but the latest commits
//            can be lost if the machine loses power;
//   full   - the WAL is fsynced at every commit: a commit also survives
//            power loss. The default.
enum class synchronous_mode { normal, full };

const char* to_string(synchronous_mode mode);  // "NORMAL", "FULL"
result<synchronous_mode> parse_synchronous_mode(std::string_view text);

// Which stored answers an export or summary reads; empty fields do not filter.
// from/to are inclusive calendar dates (YYYY-MM-DD) compared with the date
// written in submitted_at.
struct row_filter {
  std::string survey;
  std::string from;
  std::string to;
};

// One stored answer as read back.
struct stored_row {
  std::int64_t sequence = 0;  // arrival order, 1-based
  std::string received_at;
  std::string payload;  // npskit.response/1 JSON, as validated on arrival
};

// The WAL file stays under this size whatever the load: past
// wal_restart_bytes the writer checkpoints it completely and starts it over
// (from its beginning, the file cut back to wal_restart_bytes) before its
// next transaction, and one transaction adds at most about max_batch_bytes
// plus the pages it touches.
inline constexpr std::size_t wal_restart_bytes = std::size_t{4} << 20;
inline constexpr std::size_t max_batch_bytes = std::size_t{1} << 20;
inline constexpr std::size_t wal_size_bound = std::size_t{8} << 20;

// Reads the stored answers in arrival order. Rows are read in slices of a
// thousand, each in its own short read transaction that ends before any row
// is handed out, so that a slow export never holds back the WAL checkpoint.
// Answers never change once stored and the last slice ends at the last
// answer stored when the cursor opened, so the rows are the same as from one
// snapshot.
class row_cursor {
 public:
  // Opens its own read-only connection; error names the file.
  static result<std::unique_ptr<row_cursor>> open(const std::string& path,
                                                  const row_filter& filter);
  ~row_cursor();
  row_cursor(const row_cursor&) = delete;
  row_cursor& operator=(const row_cursor&) = delete;

  // Next row; nullopt at the end. error() tells a read failure from the end.
  std::optional<stored_row> next();
  const std::string& error() const { return error_; }

 private:
  row_cursor() = default;
  bool read_slice();
  sqlite3* connection_ = nullptr;
  sqlite3_stmt* statement_ = nullptr;
  std::int64_t end_sequence_ = 0;   // the last answer stored at open
  std::int64_t last_sequence_ = 0;  // of the last row read
  std::vector<stored_row> slice_;
  std::size_t next_in_slice_ = 0;
  bool finished_ = false;
  std::string error_;
};

enum class store_outcome {
  stored,     // a new answer, now committed
  duplicate,  // an answer with this id was already stored (or earlier in the batch)
  failed,     // not stored (disk full, I/O error, shutting down)
};

// The writing side: owns the read-write connection and the writer thread.
// It also keeps the alert outbox (outbox_sqlite.cpp): deliveries are
// inserted with their answer, and changes to them go through the writer
// thread too, so SQLite only ever sees one writer.
class answer_store : public outbox_storage {
 public:
  // Opens (creating when missing) the database and its parent folder, turns
  // on WAL and the synchronous mode, creates the table. Error names the file.
  static result<std::unique_ptr<answer_store>> open(const std::string& path, synchronous_mode mode);
  ~answer_store() override;  // drains pending answers, stops the thread, closes
  answer_store(const answer_store&) = delete;
  answer_store& operator=(const answer_store&) = delete;

  // Queues one validated answer and blocks until the transaction holding it
  // has committed (or failed). Safe to call from many threads at once.
  store_outcome store(const response& value, const std::string& received_at);

  // Commits what is queued, then refuses new answers (failed).
  void close();

  // True from a failed transaction until one commits: the disk may be full
  // or failing, and /api/health says so. Answers are still tried meanwhile,
  // so the store recovers by itself once the cause is gone.
  bool degraded() const { return degraded_.load(std::memory_order_relaxed); }

  const std::string& path() const { return path_; }

  // Makes every stored answer queue the deliveries `router` asks for, in its
  // transaction. Set before the first store(); the router outlives the store's
  // writing (close()).
  void set_outbox_router(outbox_router* router) { router_ = router; }

  result<std::vector<outbox_delivery>> claim_due_deliveries(const std::vector<std::string>& hooks,
                                                            std::int64_t now_ms, std::size_t limit,
                                                            std::int64_t lease_until_ms) override;
  status record_outbox_changes(const std::vector<outbox_change>& changes) override;
  result<std::vector<disabled_hook>> disabled_hooks() override;

 private:
  struct pending {
    const response* value;
    const std::string* received_at;
    // Worked out on the request's own thread, so the single writer thread
    // spends its time on SQL only.
    const counted_view* view;
    const std::vector<outbox_message>* messages;
    std::promise<store_outcome> outcome;
  };
  struct pending_changes {
    const std::vector<outbox_change>* changes;
    std::promise<bool> committed;
  };
  struct outbox_statements;
  struct outbox_statements_deleter {  // outbox_statements is complete in outbox_sqlite.cpp only
    void operator()(outbox_statements* statements) const;
  };

  answer_store();
  void run_writer();
  void write_batch(std::vector<pending*>& batch, std::vector<pending_changes*>& changes);
  // outbox_sqlite.cpp: the outbox's tables, and its writes inside the
  // writer's transaction (false when one failed).
  bool prepare_outbox();
  bool queue_deliveries(const response& value, const std::vector<outbox_message>& messages);
  bool apply_outbox_changes(const std::vector<outbox_change>& changes);
  void bound_wal();
  void report_failure(const char* doing) const;
  void run_checkpointer();
  static int on_wal_commit(void* self, sqlite3* connection, const char* database, int pages);

  std::string path_;
  sqlite3* connection_ = nullptr;
  // The writer's prepared statements (insert, counts, comments).
  struct statements;
  std::unique_ptr<statements> statements_;
  std::atomic<bool> degraded_{false};
  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::vector<pending*> queue_;
  std::vector<pending_changes*> change_queue_;
  bool closing_ = false;
  outbox_router* router_ = nullptr;
  std::unique_ptr<outbox_statements, outbox_statements_deleter> outbox_statements_;
  // Claims read on their own connection; leases live in memory, as only
  // this process writes the database.
  sqlite3* outbox_reader_ = nullptr;
  std::mutex outbox_reader_mutex_;
  std::unordered_map<std::string, std::int64_t> leases_;  // delivery id -> until (ms)
  std::thread writer_;

  // Checkpoints (copying the WAL back into the database file) run on their
  // own connection and thread, so no commit waits for one.
  sqlite3* checkpoint_connection_ = nullptr;
  std::mutex checkpoint_mutex_;
  std::condition_variable checkpoint_due_;
  int wal_pages_ = 0;          // frames in the WAL after the last commit
  int wal_restart_pages_ = 0;  // wal_restart_bytes in pages of this database
  bool passive_checkpoint_due_ = false;
  std::mutex checkpoint_running_;  // one checkpoint at a time
  bool checkpointer_closing_ = false;
  std::thread checkpointer_;
};

// The current time as an ISO-8601 UTC timestamp with milliseconds:
// "2026-11-22T10:15:00.123Z".
std::string utc_timestamp_now();

// True for a calendar date written YYYY-MM-DD.
bool is_calendar_date(std::string_view text);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_STORE_H
