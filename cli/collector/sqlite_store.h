// SQLite storage of the collector: one table of answers keyed by their
// idempotency id, plus counts per survey, date, segment and score (and the
// comments) kept in the same transactions, written by a single thread that
// commits the answers of concurrent requests together (group commit) and
// reports each outcome only after its transaction is durable. The WAL is
// checkpointed while the server runs and stays under wal_size_bound. Reads
// open their own read-only connections.
#ifndef NPSKIT_CLI_COLLECTOR_SQLITE_STORE_H
#define NPSKIT_CLI_COLLECTOR_SQLITE_STORE_H

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "collector/answer_origin.h"
#include "collector/storage.h"
#include "npskit/response.h"
#include "npskit/result.h"

struct sqlite3;

namespace npskit::cli {

struct counted_view;

// The WAL file stays under this size whatever the load: past
// wal_restart_bytes the writer checkpoints it completely and starts it over
// (from its beginning, the file cut back to wal_restart_bytes) before its
// next transaction, and one transaction adds at most about max_batch_bytes
// plus the pages it touches.
inline constexpr std::size_t wal_restart_bytes = std::size_t{4} << 20;
inline constexpr std::size_t max_batch_bytes = std::size_t{1} << 20;
inline constexpr std::size_t wal_size_bound = std::size_t{8} << 20;

class sqlite_storage final : public answer_storage {
 public:
  // read_write: opens (creating when missing) the database and its parent
  // folder, turns on WAL and the synchronous mode, creates the tables and
  // starts the writer. read_only: the file must exist; nothing is stored.
  // Errors name the file.
  static result<std::unique_ptr<sqlite_storage>> open(const std::string& path,
                                                      synchronous_mode mode, storage_access access);
  ~sqlite_storage() override;  // drains pending answers, stops the threads, closes

  store_outcome store(const response& value, const std::string& received_at) override;
  std::vector<store_outcome> store_many(const std::vector<response>& values,
                                        const std::string& received_at) override;
  void close() override;
  bool degraded() const override { return degraded_.load(std::memory_order_relaxed); }
  result<std::unique_ptr<row_cursor>> open_rows(const row_filter& filter) override;
  result<stored_counts> read_counts(const row_filter& filter, count_grouping by) override;
  status read_comments(const row_filter& filter, std::int64_t after, std::int64_t up_to,
                       const comment_sink& sink) override;
  const std::string& description() const override { return path_; }

  result<inbox_page> read_inbox(const inbox_filter& filter) override;
  result<std::optional<follow_up>> set_follow_up(const std::string& id,
                                                 const std::optional<std::string>& status,
                                                 const std::optional<std::string>& note) override;
  result<std::size_t> erase_answer(const std::string& id) override;
  result<std::size_t> erase_user(const std::string& user) override;
  result<std::size_t> erase_received_before(const std::string& timestamp) override;
  result<std::vector<survey_totals>> read_surveys() override;
  // The alert outbox (outbox_sqlite.cpp): deliveries are inserted with their
  // answer, and changes to them go through the writer thread too, so SQLite
  // only ever sees one writer.
  void set_outbox_router(outbox_router* router) override { router_ = router; }
  result<std::vector<outbox_delivery>> claim_due_deliveries(const std::vector<std::string>& hooks,
                                                            std::int64_t now_ms, std::size_t limit,
                                                            std::int64_t lease_until_ms) override;
  status record_outbox_changes(const std::vector<outbox_change>& changes) override;
  result<std::vector<disabled_hook>> disabled_hooks() override;
  // Answers from links and e-mails (storage.h).
  void set_answer_replace_window(std::chrono::milliseconds window) override {
    replace_window_ms_ = window.count();
  }
  result<std::optional<std::string>> last_answer_at(const std::string& survey,
                                                    const std::string& contact) override;

  // Invitations and unsubscribes (invitations_sqlite.cpp), on a connection
  // of their own.
  result<std::vector<queue_outcome>> queue_invitations(
      const std::vector<invitation_request>& requests, const std::string& window_start) override;
  result<std::vector<invitation_record>> claim_invitations(const invitation_claim& which,
                                                           std::size_t limit) override;
  status record_invitation_outcome(std::int64_t id, const invitation_outcome& outcome) override;
  result<std::size_t> requeue_failed_invitations(const std::string& survey,
                                                 const std::string& campaign,
                                                 const std::string& now) override;
  result<std::vector<invitation_record>> read_invitations(const std::string& survey,
                                                          const std::string& campaign) override;
  result<bool> record_unsubscribe(const std::string& contact, const std::string& at) override;
  result<std::vector<campaign_totals>> read_campaign_totals(const std::string& survey) override;

 private:
  struct pending {
    const response* value;
    const std::string* received_at;
    // Worked out on the request's own thread, so the single writer thread
    // spends its time on SQL only.
    const counted_view* view;
    const answer_origin* origin;
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

  sqlite_storage();
  void run_writer();
  void write_batch(std::vector<pending*>& batch, std::vector<pending_changes*>& changes);
  // One answer per contact and campaign, in the writer's transaction: what
  // to do with an answer that has survey, campaign and contact.
  enum class one_per_contact { first, replaced, duplicate, already_answered, failed };
  one_per_contact replace_earlier(const response& value, const answer_origin& origin,
                                  const std::string& received_at);
  // outbox_sqlite.cpp: the outbox's tables, and its writes inside the
  // writer's transaction (false when one failed).
  bool prepare_outbox();
  bool queue_deliveries(const response& value, const std::vector<outbox_message>& messages);
  bool apply_outbox_changes(const std::vector<outbox_change>& changes);
  void bound_wal();
  void report_failure(const char* doing) const;
  error read_only_error() const;
  void run_checkpointer();
  static int on_wal_commit(void* self, sqlite3* connection, const char* database, int pages);

  std::string path_;
  sqlite3* connection_ = nullptr;
  // Follow-ups, erasure, retention, the inbox; none when read-only.
  std::unique_ptr<class sqlite_owner_side> owner_side_;
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
  std::int64_t replace_window_ms_ = std::int64_t{3600} * 1000;
  std::unique_ptr<outbox_statements, outbox_statements_deleter> outbox_statements_;
  // Claims read on their own connection; leases live in memory, as only
  // this process writes the database.
  sqlite3* outbox_reader_ = nullptr;
  std::mutex outbox_reader_mutex_;
  std::unordered_map<std::string, std::int64_t> leases_;  // delivery id -> until (ms)
  std::thread writer_;
  // Invitations and unsubscribes; none when read-only.
  std::unique_ptr<class sqlite_invitations> invitations_;

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

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_SQLITE_STORE_H
