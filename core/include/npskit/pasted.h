// Scores pasted as plain text (one or many per line), the way people copy a
// column or a row out of a spreadsheet or a survey tool.
#ifndef NPSKIT_PASTED_H
#define NPSKIT_PASTED_H

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

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

}  // namespace npskit

#endif  // NPSKIT_PASTED_H
