// The owner's side of the stored answers, whatever the backend: what an
// inbox page asks for and lists, the follow-up status and private note of an
// answer, and the tables erasure must clear. The operations themselves are
// methods of answer_storage (storage.h).
#ifndef NPSKIT_CLI_COLLECTOR_INBOX_H
#define NPSKIT_CLI_COLLECTOR_INBOX_H

#include <cstddef>
#include <cstdint>
#include <functional>
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
  std::string channel;      // web, link or email
  std::string campaign;     // exactly as stored (trimmed)
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
  std::string channel;   // web, link or email
  std::string campaign;  // "" when none
  std::string contact;   // a verified personal link's contact; "" when none
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

// One stored answer as a backend reads it for the inbox.
struct inbox_row {
  std::int64_t sequence = 0;
  std::string id;
  std::string survey;
  int score = 0;
  std::string submitted_at;
  std::string received_at;
  std::string payload;
  std::string status;  // "new" when never set
  std::string note;
};

// What a backend selects for one slice of an inbox page: answers (not
// dismissals) of the filter's survey, dates, status, text, channel and
// campaign (the answers' columns), with
// low_score <= score <= high_score and sequence < before, newest first, at
// most `limit`.
struct inbox_slice {
  std::int64_t before = 0;
  int low_score = 0;
  int high_score = 10;
  int limit = 0;
};
using inbox_slice_reader =
    std::function<result<std::vector<inbox_row>>(const inbox_filter&, const inbox_slice&)>;

// A page of the inbox from slices a backend reads: the scores of the
// category as the core classifies them, the segment as the summary groups
// it (which no SQL can tell), and a bounded number of answers looked at per
// page, so a filter that matches little answers a short page quickly and the
// next page goes on from there. Error for an unknown category.
result<inbox_page> collect_inbox_page(const inbox_filter& filter,
                                      const inbox_slice_reader& read_slice);

// Tables that hold something of an answer under its id besides the answer
// itself; erasure removes their rows in the same transaction. A feature that
// keeps per-answer data adds its table here; the alert outbox is one, so an
// erased answer takes its pending alerts with it.
struct answer_keyed_table {
  const char* table;
  const char* id_column;
};
inline constexpr answer_keyed_table tables_keyed_by_answer_id[] = {{"follow_ups", "id"},
                                                                   {"outbox", "answer_id"}};

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_INBOX_H
