// UTF-8 checks and cuts for text that comes from users' files and ends up in
// messages and JSON, which must stay valid UTF-8.
#ifndef NPSKIT_UTF8_H
#define NPSKIT_UTF8_H

#include <cstddef>
#include <string>
#include <string_view>

namespace npskit::utf8 {

// Length of the valid UTF-8 sequence starting at text[at], or 0 when the
// bytes there are not one (overlong forms, surrogates and values above
// U+10FFFF included).
std::size_t sequence_length(std::string_view text, std::size_t at);

bool is_valid(std::string_view text);

// Longest prefix of at most max_bytes that does not end inside a character.
std::string_view cut(std::string_view text, std::size_t max_bytes);

// Valid UTF-8 of at most max_bytes: invalid bytes become U+FFFD and text
// that does not fit is cut on a character boundary and ends with "...".
std::string sanitized(std::string_view text, std::size_t max_bytes);

// Characters (code points) of valid UTF-8 text.
std::size_t character_count(std::string_view text);

// Position (in characters, from 1) of the first C0 or C1 control character
// or DEL in valid UTF-8 text, 0 when there is none. Identifiers that end up
// in e-mail headers, CSV and logs must have none: a line break or an escape
// sequence there would be read as structure.
std::size_t first_control_character(std::string_view text);

}  // namespace npskit::utf8

#endif  // NPSKIT_UTF8_H
