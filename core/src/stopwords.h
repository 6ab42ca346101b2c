// Stop words of the widget's locales for comment themes. Internal to the core.
#ifndef NPSKIT_SRC_STOPWORDS_H
#define NPSKIT_SRC_STOPWORDS_H

#include <cstddef>
#include <string_view>

namespace npskit::detail {

// True for a lower-cased word that carries no theme in any of en, sv, nb, da,
// fi, de, fr, es, pt, it, nl, pl, ar, he, zh-CN, ja: function words, and
// filler words (generic praise or complaint, thanks, hedges: "good", "nok",
// "bien", "gut", 不错, とても).
bool is_stop_word(std::string_view term);

// A quick hash of a short term, 8 bytes at a time: the stop words and the
// comment themes' term map look up every word of every comment with it.
std::size_t term_hash(std::string_view term);

}  // namespace npskit::detail

#endif  // NPSKIT_SRC_STOPWORDS_H
