#include "json_flat.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

#include "utf8.h"

namespace npskit::reader_detail {

namespace {

bool is_json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

const char* skip_space(const char* p, const char* end) {
  while (p < end && is_json_space(*p)) {
    ++p;
  }
  return p;
}

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "skip_plain reads words little-endian");

// Past the string bytes that need no look (not '"', '\\', a control
// character or non-ASCII), eight at a time: comments are most of the bytes.
const char* skip_plain(const char* p, const char* end) {
  constexpr std::uint64_t ones = 0x0101010101010101U;
  constexpr std::uint64_t high_bits = 0x8080808080808080U;
  while (end - p >= 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, p, sizeof word);
    const std::uint64_t quotes = word ^ (ones * '"');
    const std::uint64_t backslashes = word ^ (ones * '\\');
    // A high bit where a byte is zero (quotes, backslashes) or below 0x20,
    // exact as a whole once no byte has its own high bit set.
    const std::uint64_t stops = ((quotes - ones) & ~quotes) |
                                ((backslashes - ones) & ~backslashes) |
                                ((word - ones * 0x20) & ~word) | word;
    if ((stops & high_bits) != 0) {
      // The lowest flagged byte is a true stop (borrows only run upwards);
      // words are loaded little-endian, as on x86 and WebAssembly.
      return p + __builtin_ctzll(stops & high_bits) / 8;
    }
    p += 8;
  }
  return p;
}

// The four hex digits after "\u", or -1.
int hex_quad(const char* p, const char* end) {
  if (end - p < 4) {
    return -1;
  }
  int value = 0;
  for (int i = 0; i < 4; ++i) {
    const char c = p[i];
    int digit = 0;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      return -1;
    }
    value = value * 16 + digit;
  }
  return value;
}

char* put_code_point(char* out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    *out++ = static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    *out++ = static_cast<char>(0xC0 | (code_point >> 6));
    *out++ = static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    *out++ = static_cast<char>(0xE0 | (code_point >> 12));
    *out++ = static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    *out++ = static_cast<char>(0xF0 | (code_point >> 18));
    *out++ = static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    *out++ = static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (code_point & 0x3F));
  }
  return out;
}

// Whether the digits of a number token are at most the digits of limit,
// both without leading zeros; decides whether it fits in 64 bits the way
// strtoull and strtoll do for nlohmann/json.
bool fits(std::string_view digits, std::string_view limit) {
  return digits.size() < limit.size() || (digits.size() == limit.size() && digits <= limit);
}

// A number token's value as nlohmann/json reads it: strtod, which needs a
// terminated copy.
double float_of_token(std::string_view token) {
  char buffer[64];
  if (token.size() < sizeof buffer) {
    std::memcpy(buffer, token.data(), token.size());
    buffer[token.size()] = '\0';
    return std::strtod(buffer, nullptr);
  }
  const std::string copy(token);
  return std::strtod(copy.c_str(), nullptr);
}

}  // namespace

bool flat_json_parser::parse(std::string_view text) {
  const char* const end = text.data() + text.size();
  const char* const start = skip_space(text.data(), end);
  const std::size_t length =
      parse_leading(std::string_view(start, static_cast<std::size_t>(end - start)));
  return length != 0 && skip_space(start + length, end) == end;
}

std::size_t flat_json_parser::parse_leading(std::string_view text) {
  fields_.clear();
  members_.clear();
  decoded_used_ = 0;
  // A decoded string is never longer than its escaped form, so the strings
  // of one text fit in its size.
  if (decoded_.size() < text.size()) {
    decoded_.resize(text.size());
  }
  const char* const end = text.data() + text.size();
  if (text.empty() || text.front() != '{') {
    return 0;
  }
  const char* const after = object_members(text.data() + 1, end, false);
  if (after == nullptr) {
    return 0;
  }
  for (flat_json_value& field : fields_) {
    if (field.type == flat_json_value::kind::object) {
      field.members = members_.data() + static_cast<std::size_t>(field.unsigned_value);
      field.unsigned_value = 0;
    }
  }
  return static_cast<std::size_t>(after - text.data());
}

// The members of an object after its '{', up to and with its '}'; nullptr
// when they are not all of the shape handled.
const char* flat_json_parser::object_members(const char* p, const char* end, bool nested) {
  std::vector<flat_json_value>& out = nested ? members_ : fields_;
  p = skip_space(p, end);
  if (p < end && *p == '}') {
    return p + 1;
  }
  while (true) {
    if (p == end || *p != '"') {
      return nullptr;
    }
    flat_json_value value;
    p = string_value(p + 1, end, value.key);
    if (p == nullptr) {
      return nullptr;
    }
    p = skip_space(p, end);
    if (p == end || *p != ':') {
      return nullptr;
    }
    p = skip_space(p + 1, end);
    if (p == end) {
      return nullptr;
    }
    const auto literal = [&](std::string_view word) {
      return static_cast<std::size_t>(end - p) >= word.size() &&
             std::memcmp(p, word.data(), word.size()) == 0;
    };
    switch (*p) {
      case '"':
        value.type = flat_json_value::kind::string;
        p = string_value(p + 1, end, value.text);
        break;
      case '{':
        // Objects of scalars, one level down: the rest is the document's.
        if (nested) {
          return nullptr;
        }
        value.type = flat_json_value::kind::object;
        // Where its members start; members_ may still grow and move.
        value.unsigned_value = members_.size();
        p = object_members(p + 1, end, true);
        value.member_count = members_.size() - static_cast<std::size_t>(value.unsigned_value);
        break;
      case 't':
        value.type = flat_json_value::kind::boolean;
        value.truth = true;
        p = literal("true") ? p + 4 : nullptr;
        break;
      case 'f':
        value.type = flat_json_value::kind::boolean;
        p = literal("false") ? p + 5 : nullptr;
        break;
      case 'n':
        p = literal("null") ? p + 4 : nullptr;
        break;
      default:
        p = number_value(p, end, value);
        break;
    }
    if (p == nullptr) {
      return nullptr;
    }
    out.push_back(value);
    p = skip_space(p, end);
    if (p == end) {
      return nullptr;
    }
    if (*p == '}') {
      return p + 1;
    }
    if (*p != ',') {
      return nullptr;
    }
    p = skip_space(p + 1, end);
  }
}

// A string after its opening quote, up to and with its closing quote.
const char* flat_json_parser::string_value(const char* p, const char* end, std::string_view& out) {
  const char* const start = p;
  while (p < end) {
    p = skip_plain(p, end);
    if (p == end) {
      break;
    }
    const auto c = static_cast<unsigned char>(*p);
    if (c == '"') {
      out = std::string_view(start, static_cast<std::size_t>(p - start));
      return p + 1;
    }
    if (c == '\\') {
      break;
    }
    if (c < 0x20) {
      return nullptr;
    }
    if (c < 0x80) {
      ++p;
      continue;
    }
    const std::size_t length =
        utf8::sequence_length(std::string_view(p, static_cast<std::size_t>(end - p)), 0);
    if (length == 0) {
      return nullptr;
    }
    p += length;
  }
  if (p == end) {
    return nullptr;
  }
  // An escape: the string is decoded into decoded_.
  char* const first = &decoded_[decoded_used_];
  std::memcpy(first, start, static_cast<std::size_t>(p - start));
  char* o = first + (p - start);
  while (p < end) {
    const auto c = static_cast<unsigned char>(*p);
    if (c == '"') {
      const auto length = static_cast<std::size_t>(o - first);
      decoded_used_ += length;
      out = std::string_view(first, length);
      return p + 1;
    }
    if (c < 0x20) {
      return nullptr;
    }
    if (c >= 0x80) {
      const std::size_t length =
          utf8::sequence_length(std::string_view(p, static_cast<std::size_t>(end - p)), 0);
      if (length == 0) {
        return nullptr;
      }
      std::memcpy(o, p, length);
      o += length;
      p += length;
      continue;
    }
    if (c != '\\') {
      *o++ = static_cast<char>(c);
      ++p;
      continue;
    }
    if (++p == end) {
      return nullptr;
    }
    switch (*p++) {
      case '"':
        *o++ = '"';
        break;
      case '\\':
        *o++ = '\\';
        break;
      case '/':
        *o++ = '/';
        break;
      case 'b':
        *o++ = '\b';
        break;
      case 'f':
        *o++ = '\f';
        break;
      case 'n':
        *o++ = '\n';
        break;
      case 'r':
        *o++ = '\r';
        break;
      case 't':
        *o++ = '\t';
        break;
      case 'u': {
        const int high = hex_quad(p, end);
        if (high < 0 || (high >= 0xDC00 && high <= 0xDFFF)) {
          return nullptr;
        }
        p += 4;
        auto code_point = static_cast<std::uint32_t>(high);
        if (high >= 0xD800 && high <= 0xDBFF) {
          // A high surrogate must be followed by an escaped low one.
          if (end - p < 2 || p[0] != '\\' || p[1] != 'u') {
            return nullptr;
          }
          const int low = hex_quad(p + 2, end);
          if (low < 0xDC00 || low > 0xDFFF) {
            return nullptr;
          }
          p += 6;
          code_point =
              0x10000 + ((code_point - 0xD800) << 10) + (static_cast<std::uint32_t>(low) - 0xDC00);
        }
        o = put_code_point(o, code_point);
        break;
      }
      default:
        return nullptr;
    }
  }
  return nullptr;
}

// A number by the JSON grammar, typed as nlohmann/json types it.
const char* flat_json_parser::number_value(const char* p, const char* end, flat_json_value& out) {
  const char* const start = p;
  const bool negative = *p == '-';
  if (negative) {
    ++p;
  }
  if (p == end || !is_digit(*p)) {
    return nullptr;
  }
  const char* const digits = p;
  if (*p == '0') {
    ++p;
  } else {
    while (p < end && is_digit(*p)) {
      ++p;
    }
  }
  const char* const digits_end = p;
  bool whole = true;
  if (p < end && *p == '.') {
    whole = false;
    ++p;
    if (p == end || !is_digit(*p)) {
      return nullptr;
    }
    while (p < end && is_digit(*p)) {
      ++p;
    }
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    whole = false;
    ++p;
    if (p < end && (*p == '+' || *p == '-')) {
      ++p;
    }
    if (p == end || !is_digit(*p)) {
      return nullptr;
    }
    while (p < end && is_digit(*p)) {
      ++p;
    }
  }
  out.text = std::string_view(start, static_cast<std::size_t>(p - start));
  const std::string_view integer(digits, static_cast<std::size_t>(digits_end - digits));
  out.type = flat_json_value::kind::number_float;
  if (whole && fits(integer, negative ? "9223372036854775808" : "18446744073709551615")) {
    std::uint64_t value = 0;
    for (const char digit : integer) {
      value = value * 10 + static_cast<std::uint64_t>(digit - '0');
    }
    if (negative) {
      out.type = flat_json_value::kind::number_integer;
      // Two's complement: also right for -9223372036854775808.
      out.integer_value = static_cast<std::int64_t>(0 - value);
    } else {
      out.type = flat_json_value::kind::number_unsigned;
      out.unsigned_value = value;
    }
    return p;
  }
  out.float_value = float_of_token(out.text);
  return std::isfinite(out.float_value) ? p : nullptr;
}

}  // namespace npskit::reader_detail
