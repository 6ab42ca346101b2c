// What a reader of the JSONL export sees of one stored answer, worked out as
// the answer is stored so that the counts of every backend agree with
// `npskit summarize` on an export by construction.
#ifndef NPSKIT_CLI_COLLECTOR_COUNTED_VIEW_H
#define NPSKIT_CLI_COLLECTOR_COUNTED_VIEW_H

#include <string>
#include <string_view>

namespace npskit::cli {

struct counted_view {
  bool counted = false;  // false: refused by the reader, or dated differently
  bool dismissal = false;
  int score = -1;       // 0..10; -1 for a dismissal or an answer with ratings only
  std::string segment;  // the group key: trimmed, "(none)" when blank
  std::string comment;  // trimmed, as themes see it
  // The groups of by=channel and by=campaign (answer_origin.h), as a reader
  // of the export grouping by the "channel" or "campaign" field sees them.
  std::string channel;
  std::string campaign;
  // CSAT (1..5) and CES (1..7) ratings, 0 when absent; a companion answer
  // names the answer it completes (lower case, as the collector stores ids).
  int csat = 0;
  int ces = 0;
  std::string answer_id;

  // Whether the answer has a place in the NPS counts (a dismissal counts as
  // score -1; an answer with ratings only has none).
  bool has_score() const { return dismissal || score >= 0; }
  bool has_rating() const { return csat != 0 || ces != 0; }
  // Whether a companion naming this answer joins its group, as the readers
  // join them: an answer (not a dismissal, not itself a companion).
  bool completable() const { return counted && !dismissal && answer_id.empty(); }
};

// The view of one payload through the core's JSONL reader (its rules for
// segments in "properties", trimming and keys that differ only in case).
// date: the first ten characters of submitted_at, the date from/to compare;
// an answer the reader dates differently is not counted. Thread-safe (one
// reader per thread).
counted_view view_of_payload(std::string_view payload, std::string_view date);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_COUNTED_VIEW_H
