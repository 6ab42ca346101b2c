// The SQLite backend's invitations and unsubscribes (invitations.h), on a
// connection of their own to the collector's database. Each operation is one
// short IMMEDIATE transaction, so it serializes with the answer writer's
// group commits and with another process (`npskit send` beside `npskit
// serve`) on the same file: a claim hands an invitation to one sender only.
#ifndef NPSKIT_CLI_COLLECTOR_INVITATIONS_SQLITE_H
#define NPSKIT_CLI_COLLECTOR_INVITATIONS_SQLITE_H

#include <memory>
#include <string>
#include <vector>

#include "collector/invitations.h"
#include "collector/sqlite_side_connection.h"
#include "npskit/result.h"

struct sqlite3;

namespace npskit::cli {

// Creates the tables (schema version 5) inside the caller's transaction.
bool create_invitation_tables(sqlite3* connection);

class sqlite_invitations : public sqlite_side_connection {
 public:
  // Opens `path`, whose tables exist. Errors name the file.
  static result<std::unique_ptr<sqlite_invitations>> open(const std::string& path);

  result<std::vector<queue_outcome>> queue(const std::vector<invitation_request>& requests,
                                           const std::string& window_start);
  result<std::vector<invitation_record>> claim(const invitation_claim& which, std::size_t limit);
  status record(std::int64_t id, const invitation_outcome& outcome);
  result<std::size_t> requeue_failed(const std::string& survey, const std::string& campaign,
                                     const std::string& now);
  result<std::vector<invitation_record>> read(const std::string& survey,
                                              const std::string& campaign);
  result<bool> unsubscribe(const std::string& contact, const std::string& at);
  result<std::vector<campaign_totals>> totals(const std::string& survey);

 private:
  sqlite_invitations() = default;
};

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_INVITATIONS_SQLITE_H
