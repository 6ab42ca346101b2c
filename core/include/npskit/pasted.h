// Scores pasted as plain text (one or many per line), the way people copy a
// column or a row out of a spreadsheet or a survey tool.
#ifndef NPSKIT_PASTED_H
#define NPSKIT_PASTED_H

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "npskit/rating.h"
#include "npskit/reader.h"
#include "npskit/result.h"
#include "npskit/tally.h"

namespace npskit {

struct pasted_scores {
  tally answers;
  std::uint64_t rejected = 0;
  // The first max_reported rejections, in text order; each reason starts
  // with its line ("line 3: score \"abc\" is not a number from 0 to 10").
  std::vector<rejection> rejections;
};

// Reads every score in text: entries are separated by spaces, tabs, commas,
// semicolons and line breaks (LF or CRLF); each is read like a score in a
// file ("9", "+9", "9.0"; not "9.5", "11" or "nine"). An entry that is not a
// score is rejected with its line and the rest is still read. Error only when
// the scores exceed what a tally holds (2^53).
result<pasted_scores> read_pasted_scores(std::string_view text, std::size_t max_reported = 100);

struct pasted_ratings {
  rating_tally answers;
  std::uint64_t rejected = 0;
  // As for scores: "line 2: csat \"6\" must be an integer from 1 to 5".
  std::vector<rejection> rejections;
};

// Reads pasted CSAT (1..5) or CES (1..7) ratings, entries separated and read
// as for read_pasted_scores and then checked against the metric's scale.
result<pasted_ratings> read_pasted_ratings(std::string_view text, rating_metric metric,
                                           std::size_t max_reported = 100);

}  // namespace npskit

#endif  // NPSKIT_PASTED_H
