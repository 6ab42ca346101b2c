// The SQLite backend's side of the owner's operations (inbox.h): inbox
// pages, follow-ups, erasure and retention, on a connection of their own to
// the collector's database. Its writes take SQLite's write lock like the
// answer writer's group commits, so the two serialize and the counts stay
// equal to what the stored answers say.
#ifndef NPSKIT_CLI_COLLECTOR_SQLITE_OWNER_SIDE_H
#define NPSKIT_CLI_COLLECTOR_SQLITE_OWNER_SIDE_H

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "collector/inbox.h"
#include "collector/sqlite_side_connection.h"
#include "npskit/result.h"

struct sqlite3;

namespace npskit::cli {

class sqlite_owner_side : public sqlite_side_connection {
 public:
  // Opens the database the answer storage created (its tables must exist).
  // Error names the file.
  static result<std::unique_ptr<sqlite_owner_side>> open(const std::string& path);

  // One page of answers (dismissals are not listed), newest first. Scans at
  // most a bounded number of stored answers per call; a page can therefore be
  // short with next_before still set.
  result<inbox_page> page(const inbox_filter& filter);
  result<std::optional<follow_up>> set_follow_up(const std::string& id,
                                                 const std::optional<std::string>& status,
                                                 const std::optional<std::string>& note);
  result<std::size_t> erase_answer(const std::string& id);
  result<std::size_t> erase_user(const std::string& user);
  // Removes answers in slices of a thousand, one transaction each, so the
  // answer writer never waits long for the write lock.
  result<std::size_t> erase_received_before(const std::string& timestamp);
  result<std::vector<survey_totals>> surveys();

 private:
  sqlite_owner_side() = default;
  enum class counts_policy { take_back, keep };
  // Erases the answers a SELECT of (sequence, id, survey, submitted_at,
  // payload) with one text parameter returns.
  result<std::size_t> erase_where(const char* select_sql, const std::string& value,
                                  counts_policy counts);
};

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_SQLITE_OWNER_SIDE_H
