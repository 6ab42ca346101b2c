// A connection of its own to the collector's SQLite file, beside the answer
// writer's: the owner's operations and the invitations each hold one, opened
// on the file the storage created, with the writer's busy timeout, so their
// short transactions wait for its group commits instead of failing.
#ifndef NPSKIT_CLI_COLLECTOR_SQLITE_SIDE_CONNECTION_H
#define NPSKIT_CLI_COLLECTOR_SQLITE_SIDE_CONNECTION_H

#include <mutex>
#include <string>

#include "npskit/result.h"

struct sqlite3;

namespace npskit::cli {

class sqlite_side_connection {
 public:
  ~sqlite_side_connection();
  sqlite_side_connection(const sqlite_side_connection&) = delete;
  sqlite_side_connection& operator=(const sqlite_side_connection&) = delete;

 protected:
  sqlite_side_connection() = default;
  // Opens `path`, which must exist. Error names the file.
  status open_file(const std::string& path);
  // "--db "FILE": {doing}: {SQLite's message}".
  error failure(const char* doing) const;

  std::string path_;
  sqlite3* connection_ = nullptr;
  std::mutex mutex_;  // one operation at a time on the connection
};

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_SQLITE_SIDE_CONNECTION_H
