// The owner's side of the stored answers: the inbox (answers newest first,
// filtered), a follow-up status and private note per answer, erasure of an
// answer or of everything one user answered, and retention. Works on its own
// connection to the collector's SQLite database; its writes take SQLite's
// write lock like the answer writer's group commits, so the two serialize
// and the counts stay equal to what the stored answers say.
#ifndef NPSKIT_CLI_COLLECTOR_INBOX_H
#define NPSKIT_CLI_COLLECTOR_INBOX_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "npskit/result.h"

struct sqlite3;

namespace npskit::cli {

// "new", "to follow up" or "done"; error names the field and the choices.
result<std::string> parse_follow_up_status(std::string_view text);

// Which answers an inbox page lists; empty fields and -1 do not filter.
struct inbox_filter {
  std::string survey;
  std::string from;         // YYYY-MM-DD, inclusive, against submitted_at
  std::string to;           // YYYY-MM-DD, inclusive
  int score = -1;           // 0..10
  std::string category;     // promoter, passive or detractor
  std::string segment;      // the segment key as the summary groups it
  std::string text;         // in the comment; ASCII letters match in any case
  std::string status;       // new, to follow up or done
  std::int64_t before = 0;  // only answers stored before this sequence; 0: from the newest
  std::size_t limit = 50;
};

struct inbox_entry {
  std::int64_t sequence = 0;
  std::string id;
  std::string survey;
  int score = 0;
  std::string category;
  std::string comment;
  std::string submitted_at;
  std::string received_at;
  std::string locale;
  std::string page;
  std::string segment;
  std::string user;  // the "user" object as JSON; "" when absent
  std::string status;
  std::string note;
};

struct inbox_page {
  std::vector<inbox_entry> entries;  // newest first
  // Pass as `before` for the next page; 0 when no older answer is left.
  std::int64_t next_before = 0;
};

struct follow_up {
  std::string status;
  std::string note;
  std::string updated_at;
};

struct survey_totals {
  std::string survey;
  std::int64_t answers = 0;
  std::int64_t dismissals = 0;
};

// Tables that hold something of an answer under its id besides the answer
// itself; erasure removes their rows in the same transaction. A feature that
// keeps per-answer data (an outbox of alerts, say) adds its table here.
struct answer_keyed_table {
  const char* table;
  const char* id_column;
};
inline constexpr answer_keyed_table tables_keyed_by_answer_id[] = {{"follow_ups", "id"}};

class inbox_store {
 public:
  // Opens the database the answer store created (its tables must exist).
  // Error names the file.
  static result<std::unique_ptr<inbox_store>> open(const std::string& path);
  ~inbox_store();
  inbox_store(const inbox_store&) = delete;
  inbox_store& operator=(const inbox_store&) = delete;

  // One page of answers (dismissals are not listed), newest first. Scans at
  // most a bounded number of stored answers per call; a page can therefore be
  // short with next_before still set.
  result<inbox_page> page(const inbox_filter& filter);

  // Sets what is given of the follow-up of the answer `id`; nullopt when no
  // answer has that id.
  result<std::optional<follow_up>> set_follow_up(const std::string& id,
                                                 const std::optional<std::string>& status,
                                                 const std::optional<std::string>& note);

  // Removes the answer, its counts, comment and follow-up (and the rows of
  // every table in tables_keyed_by_answer_id); returns how many were erased.
  result<std::size_t> erase_answer(const std::string& id);
  // The same for every answer whose user.id is `user`.
  result<std::size_t> erase_user(const std::string& user);
  // Retention: removes answers received before `timestamp` (ISO-8601 UTC)
  // with their comments and follow-ups; their counts stay, so the summaries
  // of past periods keep their numbers.
  result<std::size_t> erase_received_before(const std::string& timestamp);

  // Every survey with answers or dismissals, by name.
  result<std::vector<survey_totals>> surveys();

 private:
  inbox_store() = default;
  enum class counts_policy { take_back, keep };
  // Erases the answers a SELECT of (sequence, id, survey, submitted_at,
  // payload) with one text parameter returns.
  result<std::size_t> erase_where(const char* select_sql, const std::string& value,
                                  counts_policy counts);
  error failure(const char* doing) const;

  std::string path_;
  sqlite3* connection_ = nullptr;
  std::mutex mutex_;  // one request at a time on the connection
};

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_INBOX_H
