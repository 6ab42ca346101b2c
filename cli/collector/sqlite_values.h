// Values in and out of a prepared SQLite statement, shared by every part of
// the collector that holds a connection to its file.
#ifndef NPSKIT_CLI_COLLECTOR_SQLITE_VALUES_H
#define NPSKIT_CLI_COLLECTOR_SQLITE_VALUES_H

#include <sqlite3.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace npskit::cli::sqlite_values {

// Binds a copy of text (SQLITE_TRANSIENT): the view need not outlive the call.
inline void bind_text(sqlite3_stmt* statement, int index, std::string_view text) {
  sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

// The column as text, "" for NULL; embedded NUL bytes kept.
inline std::string column_text(sqlite3_stmt* statement, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
  const int size = sqlite3_column_bytes(statement, column);
  return text != nullptr ? std::string(text, static_cast<std::size_t>(size)) : std::string();
}

// Runs one prepared write with its bound values; true when it completed.
inline bool run(sqlite3_stmt* statement) {
  const int status = sqlite3_step(statement);
  sqlite3_reset(statement);
  return status == SQLITE_DONE;
}

}  // namespace npskit::cli::sqlite_values

#endif  // NPSKIT_CLI_COLLECTOR_SQLITE_VALUES_H
