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
  struct term_stats {
    std::array<std::uint64_t, 3> counts{};
    // The number of the last comment counted, so a term counts once per comment.
    std::uint64_t last_comment = 0;
    // Shared: one long comment is often the first example of many terms.
    std::array<std::vector<std::shared_ptr<const std::string>>, 3> examples;
    // Where the term's bytes are in keys_.
    std::size_t key_offset = 0;
    std::size_t key_size = 0;
    // Stop words are kept in the table too, so a word's verdict is looked up
    // once per distinct word instead of once per occurrence; they are never
    // counted and never a theme.
    bool stop_word = false;
  };
  // One slot of the open-addressing index over entries_: the low 32 bits of
  // the term's hash, compared before the key, and the entry's position plus
  // one (zero marks an empty slot).
  struct bucket {
    std::uint32_t hash = 0;
    std::uint32_t entry = 0;
  };

  std::string_view key(const term_stats& stats) const;
  // The entry of `term` (with its hash), inserted if new.
  term_stats& entry(std::string_view term, std::size_t hash);
  // The position of `term` in entries_, or entries_.size() when absent.
  std::size_t find(std::string_view term) const;
  void grow();
  // Marks, by position in entries_, the CJK terms that are fragments.
  std::vector<bool> fragment_terms() const;

  // Terms in the order first seen; their bytes are stored once, in keys_.
  std::vector<term_stats> entries_;
  std::string keys_;
  // Power-of-two size, at most half full: short probe sequences without the
  // division and the node allocations of a standard hash map.
  std::vector<bucket> slots_;
  std::array<std::uint64_t, 3> comment_counts_{};
};

}  // namespace npskit

#endif  // NPSKIT_THEMES_H
