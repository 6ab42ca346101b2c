#include "collector/invitations_sqlite.h"

#include <sqlite3.h>

#include <utility>

#include "collector/sqlite_store.h"
#include "collector/storage.h"

namespace npskit::cli {

namespace {

// Times are ISO-8601 UTC text (utc_timestamp_at), which sorts as it reads.
// The unique key makes sending idempotent per survey, campaign and contact.
constexpr const char* create_sql = R"sql(
CREATE TABLE IF NOT EXISTS invitations (
  id INTEGER PRIMARY KEY,
  survey TEXT NOT NULL,
  campaign TEXT NOT NULL,
  contact TEXT NOT NULL,
  email TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  locale TEXT NOT NULL DEFAULT '',
  channel TEXT NOT NULL DEFAULT 'email' CHECK (channel IN ('email')),
  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'skipped')),
  reason TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  send_after TEXT NOT NULL,
  sent_at TEXT NOT NULL DEFAULT '',
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  UNIQUE (survey, campaign, contact)
);
CREATE INDEX IF NOT EXISTS invitations_due ON invitations (state, send_after);
CREATE INDEX IF NOT EXISTS invitations_contact ON invitations (survey, contact);
CREATE TABLE IF NOT EXISTS unsubscribes (
  contact TEXT PRIMARY KEY,
  email TEXT NOT NULL DEFAULT '',
  at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS unsubscribes_email ON unsubscribes (lower(email));
)sql";

constexpr const char* columns =
    "id, survey, campaign, contact, email, name, locale, channel, state, reason, created_at, "
    "send_after, sent_at, attempts, last_error";

// An unsubscribe counts for the contact id and for the address it had.
constexpr const char* unsubscribed_sql =
    "SELECT EXISTS (SELECT 1 FROM unsubscribes WHERE contact = ?1 "
    "OR (email <> '' AND lower(email) = lower(?2)))";
// Queued and in-flight invitations count as asking at their send_after, so
// two campaigns queued at once do not both reach a contact.
constexpr const char* last_asked_sql =
    "SELECT coalesce(max(CASE state WHEN 'sent' THEN sent_at WHEN 'skipped' THEN NULL "
    "WHEN 'failed' THEN NULL ELSE send_after END), '') FROM invitations "
    "WHERE survey = ?1 AND contact = ?2";
// Answers keep the contact of a valid personal link (schema version 4).
constexpr const char* last_answered_sql =
    "SELECT coalesce(max(received_at), '') FROM responses WHERE survey = ?1 AND contact = ?2";

class statement {
 public:
  statement(sqlite3* connection, const std::string& sql) {
    if (sqlite3_prepare_v2(connection, sql.c_str(), -1, &handle_, nullptr) != SQLITE_OK) {
      sqlite3_finalize(handle_);
      handle_ = nullptr;
    }
  }
  ~statement() { sqlite3_finalize(handle_); }
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  explicit operator bool() const { return handle_ != nullptr; }
  sqlite3_stmt* get() const { return handle_; }
  statement& bind(int index, std::string_view text) {
    sqlite3_bind_text(handle_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  statement& bind(int index, std::int64_t number) {
    sqlite3_bind_int64(handle_, index, number);
    return *this;
  }
  std::string text(int column) const {
    const auto* value = reinterpret_cast<const char*>(sqlite3_column_text(handle_, column));
    return value != nullptr
               ? std::string(value, static_cast<std::size_t>(sqlite3_column_bytes(handle_, column)))
               : std::string();
  }
  std::int64_t number(int column) const { return sqlite3_column_int64(handle_, column); }

 private:
  sqlite3_stmt* handle_ = nullptr;
};

bool execute(sqlite3* connection, const char* sql) {
  return sqlite3_exec(connection, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

invitation_record record_of(const statement& row) {
  invitation_record record;
  record.id = row.number(0);
  record.survey = row.text(1);
  record.campaign = row.text(2);
  record.contact = row.text(3);
  record.email = row.text(4);
  record.name = row.text(5);
  record.locale = row.text(6);
  record.channel = row.text(7);
  record.state = parse_invitation_state(row.text(8)).value_or(invitation_state::failed);
  record.reason = row.text(9);
  record.created_at = row.text(10);
  record.send_after = row.text(11);
  record.sent_at = row.text(12);
  record.attempts = static_cast<int>(row.number(13));
  record.last_error = row.text(14);
  return record;
}

// Runs `work` inside BEGIN IMMEDIATE ... COMMIT; rolls back when it fails.
template <typename Work>
bool in_transaction(sqlite3* connection, Work&& work) {
  if (!execute(connection, "BEGIN IMMEDIATE")) return false;
  if (work() && execute(connection, "COMMIT")) return true;
  if (!sqlite3_get_autocommit(connection)) execute(connection, "ROLLBACK");
  return false;
}

}  // namespace

bool create_invitation_tables(sqlite3* connection) { return execute(connection, create_sql); }

result<std::unique_ptr<sqlite_invitations>> sqlite_invitations::open(const std::string& path) {
  std::unique_ptr<sqlite_invitations> opened(new sqlite_invitations());
  const status opened_file = opened->open_file(path);
  if (!opened_file) return opened_file.error();
  return opened;
}

result<std::vector<queue_outcome>> sqlite_invitations::queue(
    const std::vector<invitation_request>& requests, const std::string& window_start) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<queue_outcome> outcomes;
  const bool written = in_transaction(connection_, [&] {
    statement existing(connection_, std::string("SELECT ") + columns +
                                        " FROM invitations WHERE survey = ?1 AND campaign = ?2 "
                                        "AND contact = ?3");
    statement unsubscribed(connection_, unsubscribed_sql);
    statement asked(connection_, last_asked_sql);
    statement answered(connection_, last_answered_sql);
    statement insert(connection_,
                     std::string("INSERT INTO invitations (survey, campaign, contact, email, name, "
                                 "locale, state, reason, created_at, send_after) VALUES (?1, ?2, "
                                 "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING ") +
                         columns);
    if (!existing || !unsubscribed || !asked || !answered || !insert) return false;
    const std::string created_at = utc_timestamp_now();
    for (const invitation_request& request : requests) {
      existing.bind(1, request.survey).bind(2, request.campaign).bind(3, request.contact);
      const int found = sqlite3_step(existing.get());
      if (found == SQLITE_ROW) {
        outcomes.push_back({record_of(existing), false});
        sqlite3_reset(existing.get());
        continue;
      }
      sqlite3_reset(existing.get());
      if (found != SQLITE_DONE) return false;

      contact_history history;
      unsubscribed.bind(1, request.contact).bind(2, request.email);
      if (sqlite3_step(unsubscribed.get()) != SQLITE_ROW) return false;
      history.unsubscribed = unsubscribed.number(0) != 0;
      sqlite3_reset(unsubscribed.get());
      asked.bind(1, request.survey).bind(2, request.contact);
      if (sqlite3_step(asked.get()) != SQLITE_ROW) return false;
      history.last_asked_at = asked.text(0);
      sqlite3_reset(asked.get());
      answered.bind(1, request.survey).bind(2, request.contact);
      if (sqlite3_step(answered.get()) != SQLITE_ROW) return false;
      history.last_answered_at = answered.text(0);
      sqlite3_reset(answered.get());
      const invitation_decision decision = decide_invitation(history, window_start);

      insert.bind(1, request.survey)
          .bind(2, request.campaign)
          .bind(3, request.contact)
          .bind(4, request.email)
          .bind(5, request.name)
          .bind(6, request.locale)
          .bind(7, to_string(decision.state))
          .bind(8, decision.reason)
          .bind(9, created_at)
          .bind(10, request.send_after);
      if (sqlite3_step(insert.get()) != SQLITE_ROW) return false;
      outcomes.push_back({record_of(insert), true});
      sqlite3_step(insert.get());  // past RETURNING's single row
      sqlite3_reset(insert.get());
    }
    return true;
  });
  if (!written) return failure("cannot queue invitations");
  return outcomes;
}

result<std::vector<invitation_record>> sqlite_invitations::claim(const invitation_claim& which,
                                                                 std::size_t limit) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<invitation_record> claimed;
  const bool written = in_transaction(connection_, [&] {
    statement take(connection_,
                   std::string("UPDATE invitations SET state = 'sending', attempts = attempts + 1 "
                               "WHERE id IN (SELECT id FROM invitations WHERE state = 'queued' "
                               "AND send_after <= ?1 AND (?2 = '' OR survey = ?2) "
                               "AND (?3 = '' OR campaign = ?3) ORDER BY send_after, id "
                               "LIMIT ?4) RETURNING ") +
                       columns);
    statement unsubscribed(connection_, unsubscribed_sql);
    statement skip(connection_,
                   "UPDATE invitations SET state = 'skipped', reason = ?2, "
                   "attempts = attempts - 1 WHERE id = ?1");
    if (!take || !unsubscribed || !skip) return false;
    take.bind(1, which.now)
        .bind(2, which.survey)
        .bind(3, which.campaign)
        .bind(4, static_cast<std::int64_t>(limit));
    int status = SQLITE_OK;
    std::vector<invitation_record> taken;
    while ((status = sqlite3_step(take.get())) == SQLITE_ROW) taken.push_back(record_of(take));
    if (status != SQLITE_DONE) return false;
    // Queued before the contact unsubscribed (an invitation after an event
    // waits for its delay): never sent.
    for (invitation_record& record : taken) {
      unsubscribed.bind(1, record.contact).bind(2, record.email);
      if (sqlite3_step(unsubscribed.get()) != SQLITE_ROW) return false;
      const bool gone = unsubscribed.number(0) != 0;
      sqlite3_reset(unsubscribed.get());
      if (!gone) {
        claimed.push_back(std::move(record));
        continue;
      }
      skip.bind(1, record.id).bind(2, reason_unsubscribed);
      const int skipped = sqlite3_step(skip.get());
      sqlite3_reset(skip.get());
      if (skipped != SQLITE_DONE) return false;
    }
    return true;
  });
  if (!written) return failure("cannot claim invitations");
  return claimed;
}

status sqlite_invitations::record(std::int64_t id, const invitation_outcome& outcome) {
  std::lock_guard<std::mutex> lock(mutex_);
  statement update(connection_,
                   "UPDATE invitations SET state = ?2, "
                   "sent_at = CASE WHEN ?2 = 'sent' THEN ?3 ELSE sent_at END, "
                   "send_after = CASE WHEN ?2 = 'queued' THEN ?5 ELSE send_after END, "
                   "last_error = ?4 WHERE id = ?1 AND state = 'sending'");
  if (!update) return failure("cannot record an invitation");
  update.bind(1, id)
      .bind(2, to_string(outcome.state))
      .bind(3, outcome.at)
      .bind(4, outcome.error)
      .bind(5, outcome.retry_at);
  if (sqlite3_step(update.get()) != SQLITE_DONE) return failure("cannot record an invitation");
  return ok{};
}

result<std::size_t> sqlite_invitations::requeue_failed(const std::string& survey,
                                                       const std::string& campaign,
                                                       const std::string& now) {
  std::lock_guard<std::mutex> lock(mutex_);
  statement update(connection_,
                   "UPDATE invitations SET state = 'queued', send_after = ?3 "
                   "WHERE state = 'failed' AND survey = ?1 AND campaign = ?2");
  if (!update) return failure("cannot queue failed invitations again");
  update.bind(1, survey).bind(2, campaign).bind(3, now);
  if (sqlite3_step(update.get()) != SQLITE_DONE) {
    return failure("cannot queue failed invitations again");
  }
  return static_cast<std::size_t>(sqlite3_changes(connection_));
}

result<std::vector<invitation_record>> sqlite_invitations::read(const std::string& survey,
                                                                const std::string& campaign) {
  std::lock_guard<std::mutex> lock(mutex_);
  statement select(connection_, std::string("SELECT ") + columns +
                                    " FROM invitations WHERE survey = ?1 AND campaign = ?2 "
                                    "ORDER BY id");
  if (!select) return failure("cannot read invitations");
  select.bind(1, survey).bind(2, campaign);
  std::vector<invitation_record> records;
  int status = SQLITE_OK;
  while ((status = sqlite3_step(select.get())) == SQLITE_ROW) records.push_back(record_of(select));
  if (status != SQLITE_DONE) return failure("cannot read invitations");
  return records;
}

result<bool> sqlite_invitations::unsubscribe(const std::string& contact, const std::string& at) {
  std::lock_guard<std::mutex> lock(mutex_);
  // The address is the one the contact was last invited at, so that the
  // same person under another contact id is not asked either.
  statement insert(connection_,
                   "INSERT INTO unsubscribes (contact, email, at) VALUES (?1, "
                   "coalesce((SELECT email FROM invitations WHERE contact = ?1 "
                   "ORDER BY id DESC LIMIT 1), ''), ?2) ON CONFLICT (contact) DO NOTHING");
  if (!insert) return failure("cannot record an unsubscribe");
  insert.bind(1, contact).bind(2, at);
  if (sqlite3_step(insert.get()) != SQLITE_DONE) return failure("cannot record an unsubscribe");
  return sqlite3_changes(connection_) > 0;
}

result<std::vector<campaign_totals>> sqlite_invitations::totals(const std::string& survey) {
  std::lock_guard<std::mutex> lock(mutex_);
  statement select(connection_,
                   "SELECT survey, campaign, count(*), sum(state = 'queued'), "
                   "sum(state = 'sending'), sum(state = 'sent'), sum(state = 'failed'), "
                   "sum(state = 'skipped') FROM invitations WHERE (?1 = '' OR survey = ?1) "
                   "GROUP BY survey, campaign ORDER BY survey, campaign");
  if (!select) return failure("cannot read the campaigns");
  select.bind(1, survey);
  std::vector<campaign_totals> totals;
  int status = SQLITE_OK;
  while ((status = sqlite3_step(select.get())) == SQLITE_ROW) {
    totals.push_back({select.text(0), select.text(1), select.number(2), select.number(3),
                      select.number(4), select.number(5), select.number(6), select.number(7)});
  }
  if (status != SQLITE_DONE) return failure("cannot read the campaigns");
  return totals;
}

}  // namespace npskit::cli

// --- sqlite_storage's invitation operations ------------------------------------------

namespace npskit::cli {

result<std::vector<queue_outcome>> sqlite_storage::queue_invitations(
    const std::vector<invitation_request>& requests, const std::string& window_start) {
  if (!invitations_) return read_only_error();
  return invitations_->queue(requests, window_start);
}

result<std::vector<invitation_record>> sqlite_storage::claim_invitations(
    const invitation_claim& which, std::size_t limit) {
  if (!invitations_) return read_only_error();
  return invitations_->claim(which, limit);
}

status sqlite_storage::record_invitation_outcome(std::int64_t id,
                                                 const invitation_outcome& outcome) {
  if (!invitations_) return read_only_error();
  return invitations_->record(id, outcome);
}

result<std::size_t> sqlite_storage::requeue_failed_invitations(const std::string& survey,
                                                               const std::string& campaign,
                                                               const std::string& now) {
  if (!invitations_) return read_only_error();
  return invitations_->requeue_failed(survey, campaign, now);
}

result<std::vector<invitation_record>> sqlite_storage::read_invitations(
    const std::string& survey, const std::string& campaign) {
  if (!invitations_) return read_only_error();
  return invitations_->read(survey, campaign);
}

result<bool> sqlite_storage::record_unsubscribe(const std::string& contact, const std::string& at) {
  if (!invitations_) return read_only_error();
  return invitations_->unsubscribe(contact, at);
}

result<std::vector<campaign_totals>> sqlite_storage::read_campaign_totals(
    const std::string& survey) {
  if (!invitations_) return read_only_error();
  return invitations_->totals(survey);
}

}  // namespace npskit::cli
