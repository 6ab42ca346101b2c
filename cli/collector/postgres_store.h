// PostgreSQL storage of the collector, shared by several `npskit serve` on
// one database. Each collector has one writer thread that commits the answers
// of concurrent requests together (group commit) and reports each outcome
// only after PostgreSQL has committed; a bounded pool of connections serves
// the reads. Writers of all collectors take turns under a transaction-scoped
// advisory lock, so that answer sequence numbers are handed out in commit
// order: a reader that saw sequence N has seen every answer before it, which
// exports and the summaries' comment cache rely on. Ids are unique across the
// collectors through the answer_ids table (the first answer kept).
#ifndef NPSKIT_CLI_COLLECTOR_POSTGRES_STORE_H
#define NPSKIT_CLI_COLLECTOR_POSTGRES_STORE_H

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "collector/storage.h"
#include "npskit/result.h"

struct pg_conn;

namespace npskit::cli {

struct counted_view;
struct answer_origin;
class postgres_pool;

// Applies the schema migrations this collector knows and the database lacks,
// under a session advisory lock so that collectors starting together apply
// each migration once. Returns the versions applied now (empty when the
// schema was current). Error names the database and the cause, also when
// the database was migrated by a newer npskit.
result<std::vector<int>> migrate_postgres(const storage_target& target);

// The newest schema version this collector writes.
int postgres_schema_version();

class postgres_storage final : public answer_storage {
 public:
  // read_write: migrates the schema and starts the writer; read_only: reads
  // only. Errors name the database (never its password).
  static result<std::unique_ptr<postgres_storage>> open(const storage_target& target,
                                                        const storage_settings& settings,
                                                        storage_access access);
  ~postgres_storage() override;

  store_outcome store(const response& value, const std::string& received_at) override;
  std::vector<store_outcome> store_many(const std::vector<response>& values,
                                        const std::string& received_at) override;
  void close() override;
  bool degraded() const override { return degraded_.load(std::memory_order_relaxed); }
  result<std::unique_ptr<row_cursor>> open_rows(const row_filter& filter) override;
  result<stored_counts> read_counts(const row_filter& filter, count_grouping by) override;
  status read_comments(const row_filter& filter, std::int64_t after, std::int64_t up_to,
                       const comment_sink& sink) override;
  const std::string& description() const override { return display_; }

  result<inbox_page> read_inbox(const inbox_filter& filter) override;
  result<std::optional<follow_up>> set_follow_up(const std::string& id,
                                                 const std::optional<std::string>& status,
                                                 const std::optional<std::string>& note) override;
  result<std::size_t> erase_answer(const std::string& id) override;
  result<std::size_t> erase_user(const std::string& user) override;
  result<std::size_t> erase_received_before(const std::string& timestamp) override;
  result<std::vector<survey_totals>> read_surveys() override;
  // The alert outbox: deliveries are inserted in the answers' transaction;
  // claims and outcomes use the reading pool.
  void set_outbox_router(outbox_router* router) override { router_ = router; }
  result<std::vector<outbox_delivery>> claim_due_deliveries(const std::vector<std::string>& hooks,
                                                            std::int64_t now_ms, std::size_t limit,
                                                            std::int64_t lease_until_ms) override;
  status record_outbox_changes(const std::vector<outbox_change>& changes) override;
  result<std::vector<disabled_hook>> disabled_hooks() override;
  // Answers from links and e-mails (storage.h). One answer per contact and
  // campaign holds across collectors: the earlier answer is looked up and
  // replaced under the writers' advisory lock, which every collector's
  // writing transaction takes, with its row locked.
  void set_answer_replace_window(std::chrono::milliseconds window) override {
    replace_window_ms_ = window.count();
  }
  result<std::optional<std::string>> last_answer_at(const std::string& survey,
                                                    const std::string& contact) override;

  // Invitations and unsubscribes, on the reading pool; claims take rows
  // FOR UPDATE SKIP LOCKED, so collectors sharing the database never send
  // one invitation twice.
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
    counted_view* view;
    const answer_origin* origin;
    const std::vector<outbox_message>* messages;  // nullptr: none
    std::promise<store_outcome> outcome;
  };
  struct connection_closer {
    void operator()(pg_conn* connection) const;
  };
  using owned_connection = std::unique_ptr<pg_conn, connection_closer>;

  postgres_storage();
  void enqueue(std::vector<pending*>& items);
  void run_writer();
  // Answers of a contact and campaign already in the batch wait for the
  // next one (`deferred`), so that each replaces the one stored before it.
  void write_batch(std::vector<pending*>& batch, std::vector<pending*>& deferred);
  bool writer_connected();
  void note_failure(const std::string& message);
  result<std::size_t> erase_where(const char* select_sql, const std::string& value,
                                  bool take_back_counts);

  std::string conninfo_;
  std::string display_;
  std::shared_ptr<postgres_pool> readers_;
  outbox_router* router_ = nullptr;
  std::int64_t replace_window_ms_ = std::int64_t{3600} * 1000;
  std::atomic<bool> degraded_{false};

  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::vector<pending*> queue_;
  bool closing_ = false;
  std::thread writer_;
  // Used by the writer thread only.
  owned_connection writer_connection_;
  std::set<std::string> partitions_;  // months whose partition exists
  std::string last_failure_;          // logged once until a commit succeeds
};

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_POSTGRES_STORE_H
