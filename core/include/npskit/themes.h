// Comment themes: the words and phrases that most distinguish one category's
// comments from the others'. UTF-8 aware: words for alphabetic scripts
// (lower-cased; stop and filler words of the widget's locales removed), whole
// words for Japanese (cut where the script changes), and for Chinese, which
// has no spaces and no such hint, the longest substrings repeated across
// comments (maximal repeats).
#ifndef NPSKIT_THEMES_H
#define NPSKIT_THEMES_H

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "npskit/tally.h"

namespace npskit {

struct theme {
  std::string term;
  std::uint64_t count = 0;            // comments of this category containing the term
  double score = 0;                   // distinctiveness (log-odds vs. other categories)
  std::vector<std::string> examples;  // up to 3 comments containing the term
};

struct category_themes {
  std::vector<theme> promoters;
  std::vector<theme> passives;
  std::vector<theme> detractors;
};

// Splits a comment into normalized candidate terms: lower-cased words without
// stop and filler words; Japanese words without their polite endings and
// particles; every Chinese substring of 2 to 6 characters between particles
// that neither starts nor ends with a function character (theme_collector
// keeps the maximal repeats among them). Invalid UTF-8 bytes are separators.
std::vector<std::string> comment_terms(std::string_view comment);

class theme_collector {
 public:
  // Blank comments are ignored.
  void add(category group, std::string_view comment);
  void merge(const theme_collector& other);
  // The top `limit` themes of each category, most distinctive first; a term
  // must occur in at least two comments of its category to count, and a CJK
  // term must not be a fragment of a longer term found in as many comments.
  category_themes top(std::size_t limit) const;
  std::uint64_t comments() const;

 private:
  std::unordered_set<const std::string*> fragment_terms() const;

  struct term_stats {
    std::array<std::uint64_t, 3> counts{};
    // The number of the last comment counted, so a term counts once per comment.
    std::uint64_t last_comment = 0;
    // Shared: one long comment is often the first example of many terms.
    std::array<std::vector<std::shared_ptr<const std::string>>, 3> examples;
  };
  // A quicker hash than std::hash for the short terms looked up per word.
  struct term_hasher {
    std::size_t operator()(const std::string& term) const noexcept;
  };
  std::unordered_map<std::string, term_stats, term_hasher> terms_;
  std::array<std::uint64_t, 3> comment_counts_{};
};

}  // namespace npskit

#endif  // NPSKIT_THEMES_H
