// Comment themes: the terms that most distinguish one category's comments
// from the others'. UTF-8 aware: words for alphabetic scripts (lower-cased,
// stop words of the widget's locales removed), character bigrams for CJK text,
// which has no spaces.
#ifndef NPSKIT_THEMES_H
#define NPSKIT_THEMES_H

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
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

// Splits a comment into normalized terms (lower-cased words without stop
// words; CJK bigrams). Invalid UTF-8 bytes are treated as separators.
std::vector<std::string> comment_terms(std::string_view comment);

class theme_collector {
 public:
  // Blank comments are ignored.
  void add(category group, std::string_view comment);
  void merge(const theme_collector& other);
  // The top `limit` themes of each category, most distinctive first; a term
  // must occur in at least two comments of its category to count.
  category_themes top(std::size_t limit) const;
  std::uint64_t comments() const;

 private:
  struct term_stats {
    std::array<std::uint64_t, 3> counts{};
    // The number of the last comment counted, so a term counts once per comment.
    std::uint64_t last_comment = 0;
    // Shared: one long comment is often the first example of many terms.
    std::array<std::vector<std::shared_ptr<const std::string>>, 3> examples;
  };
  std::unordered_map<std::string, term_stats> terms_;
  std::array<std::uint64_t, 3> comment_counts_{};
};

}  // namespace npskit

#endif  // NPSKIT_THEMES_H
