// The collector's storage, whatever the backend: the HTTP layer, the export
// command and the summaries talk to an answer_storage only. Two backends
// implement it with the same guarantees (commit before ack with group
// commit, idempotent on `id`, counts kept per survey, date, segment and score
// (and CSAT and CES ratings, rating_counts.h) in the transaction that stores
// the answer, reads in arrival order):
// SQLite (sqlite_store.h, the embedded default) and PostgreSQL
// (postgres_store.h, shared by several collectors).
//
// Adding an operation: declare it here as a pure virtual method, implement it
// in sqlite_store.cpp and postgres_store.cpp (each backend's SQL stays in its
// own file), and call it through answer_storage from the routes.
#ifndef NPSKIT_CLI_COLLECTOR_STORAGE_H
#define NPSKIT_CLI_COLLECTOR_STORAGE_H

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collector/inbox.h"
#include "collector/invitations.h"
#include "collector/outbox.h"
#include "npskit/rating.h"
#include "npskit/response.h"
#include "npskit/result.h"

namespace npskit::cli {

// SQLite's `synchronous` pragma in WAL mode (PostgreSQL always commits with
// its own durable settings):
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
  std::int64_t sequence = 0;  // arrival order, 1-based, unique in the database
  std::string received_at;
  std::string payload;  // npskit.response/1 JSON, as validated on arrival
  // The owner's follow-up (PATCH /api/responses/{id}): empty status means
  // never set ("new"); exported with the answer.
  std::string status;
  std::string note;
};

enum class store_outcome {
  stored,     // a new answer, now committed
  duplicate,  // an answer with this id was already stored (or earlier in the batch)
  failed,     // not stored (database unreachable, disk full, shutting down)
  // Not stored: the contact already answered this survey in this campaign
  // longer ago than the replace window (see set_answer_replace_window).
  already_answered,
};

// Reads stored answers in arrival order, in short slices so that a slow
// reader never holds a transaction open. The rows end at the last answer
// stored when the cursor opened, so they are the same as from one snapshot.
class row_cursor {
 public:
  virtual ~row_cursor() = default;
  // Next row; nullopt at the end. error() tells a read failure from the end.
  virtual std::optional<stored_row> next() = 0;
  virtual const std::string& error() const = 0;
};

// The counts of one selection, all read from one snapshot.
struct stored_counts {
  // Some answers of the selection are counted apart (their reader view
  // disagreed with their columns): the summary must read the payloads.
  bool set_aside = false;
  std::int64_t last_sequence = 0;  // the last answer the counts include
  std::uint64_t dismissals = 0;
  struct row {
    std::string group;  // the date (YYYY-MM-DD), or the segment, channel or campaign
    int score = 0;      // 0..10
    std::uint64_t count = 0;
  };
  std::vector<row> rows;  // answers per group and score
  // CSAT and CES ratings per group, companions in the group of the answer
  // they complete when it is in the selection (rating_counts.h); by date,
  // the group is the date.
  struct rating_row {
    std::string group;
    rating_metric metric = rating_metric::csat;
    int rating = 0;  // on the metric's scale
    std::uint64_t count = 0;
  };
  std::vector<rating_row> ratings;
};

// What the rows of read_counts are grouped by.
enum class count_grouping { date, segment, channel, campaign };

// Called with each stored comment, in arrival order.
using comment_sink =
    std::function<void(std::int64_t sequence, int score, std::string_view comment)>;

// What --db names: a SQLite file (FILE or sqlite:FILE) or a PostgreSQL
// database (a postgresql:// or postgres:// URI, or a libpq key/value string
// such as "host=/run/postgresql dbname=npskit").
enum class storage_kind { sqlite, postgresql };
struct storage_target {
  storage_kind kind = storage_kind::sqlite;
  std::string location;  // the file's path, or the libpq connection string
  std::string display;   // for logs and errors: the path, or the URI without its password
};
result<storage_target> parse_storage_target(std::string_view db);

struct storage_settings {
  synchronous_mode synchronous = synchronous_mode::full;  // SQLite only
  std::size_t connections = 8;                            // PostgreSQL pool size
};

// read_write creates what is missing (the file, the tables) and starts the
// writer; read_only reads an existing database and stores nothing.
enum class storage_access { read_write, read_only };

class answer_storage {
 public:
  virtual ~answer_storage() = default;
  answer_storage() = default;
  answer_storage(const answer_storage&) = delete;
  answer_storage& operator=(const answer_storage&) = delete;

  // Stores one validated answer and blocks until the transaction holding it
  // has committed (or failed). Safe to call from many threads at once.
  virtual store_outcome store(const response& value, const std::string& received_at) = 0;

  // Stores many answers (an import) in as few transactions as the writer
  // allows; one outcome per answer, in order. Blocks until all committed.
  virtual std::vector<store_outcome> store_many(const std::vector<response>& values,
                                                const std::string& received_at) = 0;

  // Commits what is queued, then refuses new answers (failed).
  virtual void close() = 0;

  // True while answers cannot be committed (disk full, database down);
  // /api/health says so. Answers are still tried meanwhile, so the storage
  // recovers by itself once the cause is gone.
  virtual bool degraded() const = 0;

  // The answers of the selection in arrival order. Errors may name the
  // database; they go to logs and the command line, not to HTTP clients.
  virtual result<std::unique_ptr<row_cursor>> open_rows(const row_filter& filter) = 0;

  // The counts of the selection per date, segment, channel or campaign.
  // Errors name the cause but never the database (they may reach a client).
  virtual result<stored_counts> read_counts(const row_filter& filter, count_grouping by) = 0;

  // The stored comments of the selection with after < sequence <= up_to.
  // Errors as read_counts.
  virtual status read_comments(const row_filter& filter, std::int64_t after, std::int64_t up_to,
                               const comment_sink& sink) = 0;

  // Names the database in logs: the file, or the URI without its password.
  virtual const std::string& description() const = 0;

  // --- the owner's operations (inbox.h) ---
  // One page of the inbox. Errors as read_counts.
  virtual result<inbox_page> read_inbox(const inbox_filter& filter) = 0;
  // Sets what is given of the follow-up of the answer `id` and returns it
  // whole; nullopt when no answer has that id.
  virtual result<std::optional<follow_up>> set_follow_up(
      const std::string& id, const std::optional<std::string>& status,
      const std::optional<std::string>& note) = 0;
  // Erasure: the answer leaves the table, the counts, the comments and every
  // table of tables_keyed_by_answer_id, in one transaction. Returns how many
  // answers went.
  virtual result<std::size_t> erase_answer(const std::string& id) = 0;
  // The same for every answer whose user.id is `user`.
  virtual result<std::size_t> erase_user(const std::string& user) = 0;
  // Retention: answers received before `timestamp` (ISO-8601 UTC) leave with
  // their comments and follow-ups; their counts stay.
  virtual result<std::size_t> erase_received_before(const std::string& timestamp) = 0;
  // Every survey with counted answers or dismissals, by name.
  virtual result<std::vector<survey_totals>> read_surveys() = 0;
  // --- the alert outbox (outbox.h) ---
  // Makes every stored answer queue the deliveries `router` asks for, in the
  // answer's transaction. Set before the first store(); the router outlives
  // the storage's writing (close()).
  virtual void set_outbox_router(outbox_router* router) = 0;
  // Deliveries of `hooks` whose next attempt is due at now_ms, oldest first,
  // at most `limit`. Each is leased to the caller until lease_until_ms: not
  // claimed again before then unless a change about it is recorded.
  virtual result<std::vector<outbox_delivery>> claim_due_deliveries(
      const std::vector<std::string>& hooks, std::int64_t now_ms, std::size_t limit,
      std::int64_t lease_until_ms) = 0;
  // Applies the changes in one transaction; returns once it has committed.
  virtual status record_outbox_changes(const std::vector<outbox_change>& changes) = 0;
  // Hooks marked gone after a 410, with when.
  virtual result<std::vector<disabled_hook>> disabled_hooks() = 0;

  // --- answers from links and e-mails (schema version 4, answer_origin.h) ---
  // Every stored answer has the columns channel, campaign and contact, taken
  // from its payload (answer_origin); the HTTP layer stores a contact only
  // when the personal link's signature was valid.
  //
  // One answer per contact and campaign: an answer with survey, campaign and
  // contact replaces the stored answer of the same three when that one was
  // received at most `window` before it (someone changing 6 to 7): the
  // earlier answer leaves with its counts, comment, follow-up and alerts not
  // yet delivered, in the transaction that stores the new one, and its id
  // stays known, so that a repeat of it is a duplicate. An earlier answer
  // received longer ago stands, and the new one is already_answered. Set
  // before the first store(); the default is one hour.
  virtual void set_answer_replace_window(std::chrono::milliseconds window) = 0;
  // When the contact last answered the survey (received_at of the latest
  // stored answer with this survey and contact, any campaign and channel;
  // ISO-8601 UTC), nullopt when never: the re-survey window of invitations.
  // Errors as read_counts.
  virtual result<std::optional<std::string>> last_answer_at(const std::string& survey,
                                                            const std::string& contact) = 0;

  // --- invitations and unsubscribes (invitations.h) ---
  // Records each request unless its survey, campaign and contact are already
  // recorded (then returns the stored one): queued, or skipped when the
  // contact unsubscribed or was asked (or answered) at or after window_start
  // (empty: no window), decided in the transaction that inserts it. One
  // outcome per request, in order.
  virtual result<std::vector<queue_outcome>> queue_invitations(
      const std::vector<invitation_request>& requests, const std::string& window_start) = 0;
  // Marks at most `limit` due queued invitations `sending` and returns them;
  // collectors sharing a database never claim the same one. A contact who
  // unsubscribed since the invitation was queued is skipped instead.
  virtual result<std::vector<invitation_record>> claim_invitations(const invitation_claim& which,
                                                                   std::size_t limit) = 0;
  // What became of a claimed invitation's attempt.
  virtual status record_invitation_outcome(std::int64_t id, const invitation_outcome& outcome) = 0;
  // The failed invitations of a campaign are queued again (due at `now`), so
  // that sending the campaign again retries them; returns how many.
  virtual result<std::size_t> requeue_failed_invitations(const std::string& survey,
                                                         const std::string& campaign,
                                                         const std::string& now) = 0;
  // Every invitation of a campaign, in the order they were recorded.
  virtual result<std::vector<invitation_record>> read_invitations(const std::string& survey,
                                                                  const std::string& campaign) = 0;
  // The contact is never sent to again; false when it had unsubscribed before.
  virtual result<bool> record_unsubscribe(const std::string& contact, const std::string& at) = 0;
  // Invitations per campaign of `survey` (empty: every survey).
  virtual result<std::vector<campaign_totals>> read_campaign_totals(const std::string& survey) = 0;
};

// Opens the backend --db names. Errors name the database and the cause.
result<std::unique_ptr<answer_storage>> open_storage(const storage_target& target,
                                                     const storage_settings& settings,
                                                     storage_access access);

// The current time as an ISO-8601 UTC timestamp with milliseconds:
// "2026-11-22T10:15:00.123Z".
std::string utc_timestamp_now();
// The same for any moment.
std::string utc_timestamp_at(std::chrono::system_clock::time_point moment);

// Milliseconds since 1970 of a timestamp as utc_timestamp_at writes it
// ("2026-11-22T10:15:00.123Z"); nullopt for anything else.
std::optional<std::int64_t> unix_ms_of_timestamp(std::string_view timestamp);

// True for a calendar date written YYYY-MM-DD.
bool is_calendar_date(std::string_view text);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_STORAGE_H
