#include "collector/sqlite_side_connection.h"

#include <sqlite3.h>

namespace npskit::cli {

status sqlite_side_connection::open_file(const std::string& path) {
  path_ = path;
  if (sqlite3_open_v2(path.c_str(), &connection_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    return failure("cannot open");
  }
  sqlite3_busy_timeout(connection_, 5000);
  return ok{};
}

sqlite_side_connection::~sqlite_side_connection() { sqlite3_close(connection_); }

error sqlite_side_connection::failure(const char* doing) const {
  const char* detail = connection_ != nullptr ? sqlite3_errmsg(connection_) : "out of memory";
  return make_error(error_code::invalid_argument,
                    "--db \"" + path_ + "\": " + doing + ": " + detail);
}

}  // namespace npskit::cli
