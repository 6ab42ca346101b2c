// The SQLite side of the rating counts (rating_counts.h): the tables, and
// the writes of one transaction on one connection.
#ifndef NPSKIT_CLI_COLLECTOR_RATING_COUNTS_SQLITE_H
#define NPSKIT_CLI_COLLECTOR_RATING_COUNTS_SQLITE_H

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "collector/counted_view.h"
#include "collector/rating_counts.h"

namespace npskit::cli {

// Creates the tables when missing (schema version 6).
bool create_rating_count_tables(sqlite3* connection);

class sqlite_rating_counts {
 public:
  sqlite_rating_counts() = default;
  ~sqlite_rating_counts();
  sqlite_rating_counts(const sqlite_rating_counts&) = delete;
  sqlite_rating_counts& operator=(const sqlite_rating_counts&) = delete;

  // After the tables exist; false when a statement cannot be prepared.
  bool prepare(sqlite3* connection);

  // A stored answer (stored now, or counted by an upgrade): its ratings are
  // counted, a companion in the group of its answer when that one is stored,
  // and companions stored before this answer move to its group. False when
  // a read or write failed.
  bool count_answer(std::int64_t sequence, std::string_view id, std::string_view survey,
                    std::string_view date, const counted_view& view);
  // An answer leaves (erasure, replacement): with take_back_counts its
  // ratings are taken back and the companions joined to it go back to their
  // own group; without (retention), its counts stay.
  bool remove_answer(std::int64_t sequence, std::string_view id, bool take_back_counts);
  // Writes the counts of the transaction; counts taken down to nothing go.
  bool flush();
  void discard() { deltas_.clear(); }

 private:
  bool read_rated(sqlite3_stmt* query, std::vector<rated_answer>& into);
  bool write_place(const rated_answer& answer);

  sqlite3_stmt* find_answer_ = nullptr;
  sqlite3_stmt* insert_rated_ = nullptr;
  sqlite3_stmt* rated_by_sequence_ = nullptr;
  sqlite3_stmt* companions_ = nullptr;
  sqlite3_stmt* update_place_ = nullptr;
  sqlite3_stmt* drop_rated_ = nullptr;
  sqlite3_stmt* count_ = nullptr;
  sqlite3_stmt* prune_ = nullptr;
  rating_deltas deltas_;
};

// The rating rows of read_counts, from the read transaction's connection;
// false when a read failed.
bool read_rating_counts(sqlite3* connection, const std::string& survey, const std::string& from,
                        const std::string& to, count_grouping by,
                        std::vector<stored_counts::rating_row>& into);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_RATING_COUNTS_SQLITE_H
