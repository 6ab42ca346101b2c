// A JSON object of the shape survey exports have, read straight from its
// bytes: keys and scalar values (strings, numbers, true, false, null), and
// values that are themselves objects of scalars (the widget's "properties"). The JSON readers try
// it on every element before building a nlohmann/json document; anything else, valid or not, is
// left to that document, so the outcome stays the library's.
#ifndef NPSKIT_JSON_FLAT_H
#define NPSKIT_JSON_FLAT_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace npskit::reader_detail {

struct flat_json_value {
  enum class kind : std::uint8_t {
    null,
    boolean,
    string,
    number_unsigned,  // digits that fit in 64 bits, as nlohmann/json types them
    number_integer,   // '-' and digits that fit in a signed 64-bit integer
    number_float,     // anything else that is a number
    object,
  };
  std::string_view key;
  // A string's characters (escapes decoded), or a number's token as written.
  std::string_view text;
  std::uint64_t unsigned_value = 0;
  std::int64_t integer_value = 0;
  double float_value = 0;  // finite: the document refuses numbers beyond the double range
  // An object's members.
  const flat_json_value* members = nullptr;
  std::size_t member_count = 0;
  kind type = kind::null;
  bool truth = false;

  // Named as nlohmann::json names them, so the readers' checks read the same
  // whichever way the element was parsed.
  bool is_null() const { return type == kind::null; }
  bool is_boolean() const { return type == kind::boolean; }
  bool is_string() const { return type == kind::string; }
  bool is_object() const { return type == kind::object; }
  bool is_number() const {
    return type == kind::number_unsigned || type == kind::number_integer ||
           type == kind::number_float;
  }
  bool is_number_unsigned() const { return type == kind::number_unsigned; }
  bool is_number_integer() const {
    return type == kind::number_unsigned || type == kind::number_integer;
  }
  bool is_number_float() const { return type == kind::number_float; }
};

class flat_json_parser {
 public:
  // True when text is one object of the shape above, with nothing but JSON
  // white space around it, valid as nlohmann/json reads JSON: strict UTF-8
  // in strings, no raw control characters, numbers by the JSON grammar and
  // within the double range.
  // False for everything else (an array, an object inside a member object,
  // a byte order mark, invalid JSON). The values found stay valid up
  // to the next call and while text lives.
  bool parse(std::string_view text);
  // The same for an object at the very start of text, whatever follows it:
  // the bytes it takes, or 0.
  std::size_t parse_leading(std::string_view text);

  const flat_json_value* begin() const { return fields_.data(); }
  std::size_t size() const { return fields_.size(); }

 private:
  const char* object_members(const char* p, const char* end, bool nested);
  const char* string_value(const char* p, const char* end, std::string_view& out);
  const char* number_value(const char* p, const char* end, flat_json_value& out);

  std::vector<flat_json_value> fields_;
  std::vector<flat_json_value> members_;
  // Strings with escapes are decoded here; sized to the text before parsing,
  // so decoded views never move.
  std::string decoded_;
  std::size_t decoded_used_ = 0;
};

}  // namespace npskit::reader_detail

#endif  // NPSKIT_JSON_FLAT_H
