// The alert outbox of the SQLite store. Deliveries are rows of `outbox`,
// written by the writer thread in the transaction of their answer and
// changed (delivered, retried, dropped) by it too; claims read on a
// connection of their own.
#include <sqlite3.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "collector/sqlite_store.h"

namespace npskit::cli {

namespace {

// created_ms and next_attempt_ms are Unix milliseconds; answer_id lets an
// erased answer take its deliveries with it.
constexpr const char* create_outbox_sql = R"sql(
CREATE TABLE IF NOT EXISTS outbox (
  delivery_id TEXT PRIMARY KEY,
  hook TEXT NOT NULL,
  answer_id TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL,
  last_failure TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (next_attempt_ms);
CREATE INDEX IF NOT EXISTS outbox_answer ON outbox (answer_id);
CREATE TABLE IF NOT EXISTS disabled_hooks (
  hook TEXT PRIMARY KEY,
  disabled_at TEXT NOT NULL
);
)sql";

constexpr const char* queue_sql =
    "INSERT INTO outbox (delivery_id, hook, answer_id, payload, created_ms, next_attempt_ms) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?5)";
constexpr const char* delivered_sql = "DELETE FROM outbox WHERE delivery_id = ?1";
constexpr const char* retry_sql =
    "UPDATE outbox SET attempts = attempts + 1, next_attempt_ms = ?2, last_failure = ?3 "
    "WHERE delivery_id = ?1";
constexpr const char* disable_sql =
    "INSERT INTO disabled_hooks (hook, disabled_at) VALUES (?1, ?2) "
    "ON CONFLICT (hook) DO UPDATE SET disabled_at = excluded.disabled_at";
constexpr const char* drop_hook_sql = "DELETE FROM outbox WHERE hook = ?1";
constexpr const char* enable_sql = "DELETE FROM disabled_hooks WHERE hook = ?1";

constexpr const char* claim_sql =
    "SELECT delivery_id, hook, answer_id, payload, attempts, created_ms FROM outbox "
    "WHERE next_attempt_ms <= ?1 AND hook IN (SELECT value FROM json_each(?2)) "
    "ORDER BY next_attempt_ms LIMIT ?3";

void bind_value(sqlite3_stmt* statement, int index, std::string_view text) {
  sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

std::string text_of(sqlite3_stmt* statement, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
  return text != nullptr
             ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement, column)))
             : std::string();
}

bool step_done(sqlite3_stmt* statement) {
  const int status = sqlite3_step(statement);
  sqlite3_reset(statement);
  return status == SQLITE_DONE;
}

}  // namespace

std::int64_t unix_time_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct sqlite_storage::outbox_statements {
  sqlite3_stmt* queue = nullptr;
  sqlite3_stmt* delivered = nullptr;
  sqlite3_stmt* retry = nullptr;
  sqlite3_stmt* disable = nullptr;
  sqlite3_stmt* drop_hook = nullptr;
  sqlite3_stmt* enable = nullptr;

  outbox_statements() = default;
  outbox_statements(const outbox_statements&) = delete;
  outbox_statements& operator=(const outbox_statements&) = delete;
  ~outbox_statements() {
    for (sqlite3_stmt* statement : {queue, delivered, retry, disable, drop_hook, enable}) {
      sqlite3_finalize(statement);
    }
  }
};

void sqlite_storage::outbox_statements_deleter::operator()(outbox_statements* statements) const {
  delete statements;
}

bool sqlite_storage::prepare_outbox() {
  if (sqlite3_exec(connection_, create_outbox_sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return false;
  }
  outbox_statements_.reset(new outbox_statements());
  outbox_statements& prepared = *outbox_statements_;
  const std::pair<const char*, sqlite3_stmt**> all[] = {
      {queue_sql, &prepared.queue},         {delivered_sql, &prepared.delivered},
      {retry_sql, &prepared.retry},         {disable_sql, &prepared.disable},
      {drop_hook_sql, &prepared.drop_hook}, {enable_sql, &prepared.enable}};
  for (const auto& [sql, statement] : all) {
    if (sqlite3_prepare_v3(connection_, sql, -1, SQLITE_PREPARE_PERSISTENT, statement, nullptr) !=
        SQLITE_OK) {
      return false;
    }
  }
  return true;
}

bool sqlite_storage::queue_deliveries(const response& value,
                                      const std::vector<outbox_message>& messages) {
  if (messages.empty()) return true;
  const std::int64_t now = unix_time_ms();
  sqlite3_stmt* queue = outbox_statements_->queue;
  for (const outbox_message& message : messages) {
    bind_value(queue, 1, message.delivery_id);
    bind_value(queue, 2, message.hook);
    bind_value(queue, 3, value.id);
    bind_value(queue, 4, message.payload);
    sqlite3_bind_int64(queue, 5, now);
    if (!step_done(queue)) return false;
  }
  return true;
}

bool sqlite_storage::apply_outbox_changes(const std::vector<outbox_change>& changes) {
  outbox_statements& prepared = *outbox_statements_;
  for (const outbox_change& change : changes) {
    bool done = true;
    switch (change.kind) {
      case outbox_change_kind::delivered:
      case outbox_change_kind::abandoned:
        bind_value(prepared.delivered, 1, change.delivery_id);
        done = step_done(prepared.delivered);
        break;
      case outbox_change_kind::retry_later:
        bind_value(prepared.retry, 1, change.delivery_id);
        sqlite3_bind_int64(prepared.retry, 2, change.next_attempt_ms);
        bind_value(prepared.retry, 3, change.failure);
        done = step_done(prepared.retry);
        break;
      case outbox_change_kind::hook_disabled:
        bind_value(prepared.disable, 1, change.hook);
        bind_value(prepared.disable, 2, utc_timestamp_now());
        bind_value(prepared.drop_hook, 1, change.hook);
        done = step_done(prepared.disable) && step_done(prepared.drop_hook);
        break;
      case outbox_change_kind::hook_enabled:
        bind_value(prepared.enable, 1, change.hook);
        done = step_done(prepared.enable);
        break;
    }
    if (!done) return false;
  }
  return true;
}

status sqlite_storage::record_outbox_changes(const std::vector<outbox_change>& changes) {
  pending_changes item{&changes, {}};
  auto committed = item.committed.get_future();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closing_ || !writer_.joinable()) {
      return make_error(error_code::invalid_argument, "--db \"" + path_ + "\": closing");
    }
    change_queue_.push_back(&item);
  }
  work_ready_.notify_one();
  const bool written = committed.get();
  std::lock_guard<std::mutex> lock(outbox_reader_mutex_);
  for (const outbox_change& change : changes) leases_.erase(change.delivery_id);
  if (!written) {
    return make_error(error_code::invalid_argument,
                      "--db \"" + path_ + "\": cannot record alert deliveries");
  }
  return ok{};
}

result<std::vector<outbox_delivery>> sqlite_storage::claim_due_deliveries(
    const std::vector<std::string>& hooks, std::int64_t now_ms, std::size_t limit,
    std::int64_t lease_until_ms) {
  std::lock_guard<std::mutex> lock(outbox_reader_mutex_);
  if (outbox_reader_ == nullptr) {
    return make_error(error_code::invalid_argument, "--db \"" + path_ + "\": opened read-only");
  }
  for (auto lease = leases_.begin(); lease != leases_.end();) {
    lease = lease->second <= now_ms ? leases_.erase(lease) : std::next(lease);
  }
  sqlite3_stmt* claim = nullptr;
  if (sqlite3_prepare_v2(outbox_reader_, claim_sql, -1, &claim, nullptr) != SQLITE_OK) {
    return make_error(
        error_code::invalid_argument,
        "--db \"" + path_ + "\": cannot read the outbox: " + sqlite3_errmsg(outbox_reader_));
  }
  sqlite3_bind_int64(claim, 1, now_ms);
  bind_value(claim, 2, nlohmann::json(hooks).dump());
  // Leased rows are skipped here rather than in SQL; ask for enough that
  // they cannot crowd out the ones due.
  sqlite3_bind_int64(claim, 3, static_cast<std::int64_t>(limit + leases_.size()));
  std::vector<outbox_delivery> claimed;
  int status = SQLITE_OK;
  while (claimed.size() < limit && (status = sqlite3_step(claim)) == SQLITE_ROW) {
    outbox_delivery delivery;
    delivery.delivery_id = text_of(claim, 0);
    if (leases_.count(delivery.delivery_id) != 0) continue;
    delivery.hook = text_of(claim, 1);
    delivery.answer_id = text_of(claim, 2);
    delivery.payload = text_of(claim, 3);
    delivery.attempts = sqlite3_column_int(claim, 4);
    delivery.created_ms = sqlite3_column_int64(claim, 5);
    leases_[delivery.delivery_id] = lease_until_ms;
    claimed.push_back(std::move(delivery));
  }
  const bool failed = status != SQLITE_OK && status != SQLITE_ROW && status != SQLITE_DONE;
  std::string failure = failed ? sqlite3_errmsg(outbox_reader_) : "";
  sqlite3_finalize(claim);
  if (failed) {
    for (const outbox_delivery& delivery : claimed) leases_.erase(delivery.delivery_id);
    return make_error(error_code::invalid_argument,
                      "--db \"" + path_ + "\": cannot read the outbox: " + failure);
  }
  return claimed;
}

result<std::vector<disabled_hook>> sqlite_storage::disabled_hooks() {
  std::lock_guard<std::mutex> lock(outbox_reader_mutex_);
  if (outbox_reader_ == nullptr) return std::vector<disabled_hook>{};
  sqlite3_stmt* select = nullptr;
  std::vector<disabled_hook> hooks;
  int status = sqlite3_prepare_v2(outbox_reader_, "SELECT hook, disabled_at FROM disabled_hooks",
                                  -1, &select, nullptr);
  while (status == SQLITE_OK || status == SQLITE_ROW) {
    status = sqlite3_step(select);
    if (status == SQLITE_ROW) hooks.push_back({text_of(select, 0), text_of(select, 1)});
  }
  sqlite3_finalize(select);
  if (status != SQLITE_DONE) {
    return make_error(error_code::invalid_argument,
                      "--db \"" + path_ +
                          "\": cannot read the disabled hooks: " + sqlite3_errmsg(outbox_reader_));
  }
  return hooks;
}

}  // namespace npskit::cli
