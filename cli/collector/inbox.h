// The owner's side of the stored answers, whatever the backend: what an
// inbox page asks for and lists, the follow-up status and private note of an
// answer, and the tables erasure must clear. The operations themselves are
// methods of answer_storage (storage.h).
#ifndef NPSKIT_CLI_COLLECTOR_INBOX_H
#define NPSKIT_CLI_COLLECTOR_INBOX_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "npskit/result.h"

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

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_INBOX_H
