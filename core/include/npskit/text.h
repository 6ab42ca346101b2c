// Small text helpers shared by the core and the command: one definition of
// blank, of trimming and of ASCII case, so every reader, option and payload
// check agrees on them.
#ifndef NPSKIT_TEXT_H
#define NPSKIT_TEXT_H

#include <cstddef>
#include <string>
#include <string_view>

namespace npskit::text {

// Space, tab, line feed, carriage return, form feed, vertical tab: the ASCII
// white space of C's isspace in the "C" locale, independent of any locale.
constexpr bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Text without leading and trailing blanks. Inline: the readers trim every
// field of every row, and a call per field showed in their profile.
constexpr std::string_view trim(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

// 'A'..'Z' to 'a'..'z'; every other byte (UTF-8 included) unchanged.
constexpr char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
std::string ascii_lower(std::string_view text);

// Equal when lower-cased as ASCII.
bool equals_ignoring_case(std::string_view a, std::string_view b);

// Levenshtein distance in bytes (insertions, deletions, substitutions each
// cost 1), case-sensitive; used to suggest the option or column meant.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace npskit::text

#endif  // NPSKIT_TEXT_H
