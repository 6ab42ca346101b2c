// JSON readers. A JSON array is cut into its elements by a small scanner that
// tracks strings, escapes and nesting, so one element at a time is held in
// memory whatever the chunking; JSONL is cut at line breaks. Each element or
// line is then read straight from its bytes when it is a flat object (the
// common shape, see json_flat.h), else parsed with nlohmann/json's
// non-throwing API; both give the same records and rejections.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "json_flat.h"
#include "reader_internal.h"
#include "scan_finder.h"

namespace npskit::reader_detail {

namespace {

using json = nlohmann::json;

constexpr std::string_view no_default[] = {""};
constexpr unsigned every_watched_byte = 0xF;

bool is_json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

const char* kind_of(const json& value) {
  switch (value.type()) {
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::null:
      return "null";
    default:
      return "a number";
  }
}

const char* kind_of(const flat_json_value& value) {
  switch (value.type) {
    case flat_json_value::kind::object:
      return "an object";
    case flat_json_value::kind::string:
      return "a string";
    case flat_json_value::kind::boolean:
      return "a boolean";
    case flat_json_value::kind::null:
      return "null";
    default:
      return "a number";
  }
}

// The members of a flat object (the element itself or its "properties").
struct flat_object {
  const flat_json_value* first = nullptr;
  std::size_t size = 0;
  // The element's "properties" when it is an object, found once: every role
  // missing at the top is looked up there.
  const flat_json_value* properties = nullptr;
};

// names_equal(key, trimmed_name), with the lengths compared before the
// characters: most keys are not the name looked for.
bool key_matches(std::string_view key, std::string_view trimmed_name) {
  if (!key.empty() && (text::is_blank(key.front()) || text::is_blank(key.back()))) {
    key = trim(key);
  }
  return key.size() == trimmed_name.size() && text::equals_ignoring_case(key, trimmed_name);
}

const json& members_of(const json& object) { return object; }
flat_object members_of(const flat_json_value& object) {
  return {object.members, object.member_count};
}

// Values read the same way from either parse. A flat value is what the
// document would hold: the same string, the same number type and value.
std::string_view string_of(const json& value) { return value.get_ref<const std::string&>(); }
std::string_view string_of(const flat_json_value& value) { return value.text; }
std::uint64_t unsigned_of(const json& value) { return value.get<std::uint64_t>(); }
std::uint64_t unsigned_of(const flat_json_value& value) { return value.unsigned_value; }
std::int64_t integer_of(const json& value) { return value.get<std::int64_t>(); }
std::int64_t integer_of(const flat_json_value& value) {
  return value.is_number_unsigned() ? static_cast<std::int64_t>(value.unsigned_value)
                                    : value.integer_value;
}
double double_of(const json& value) { return value.get<double>(); }
double double_of(const flat_json_value& value) {
  switch (value.type) {
    case flat_json_value::kind::number_unsigned:
      return static_cast<double>(value.unsigned_value);
    case flat_json_value::kind::number_integer:
      return static_cast<double>(value.integer_value);
    default:
      return value.float_value;
  }
}

json document_of(const flat_json_value& value) {
  switch (value.type) {
    case flat_json_value::kind::null:
      return json(nullptr);
    case flat_json_value::kind::boolean:
      return json(value.truth);
    case flat_json_value::kind::string:
      return json(std::string(value.text));
    case flat_json_value::kind::number_unsigned:
      return json(value.unsigned_value);
    case flat_json_value::kind::number_integer:
      return json(value.integer_value);
    case flat_json_value::kind::number_float:
      return json(value.float_value);
    case flat_json_value::kind::object:
      break;
  }
  json object = json::object();
  for (std::size_t i = 0; i < value.member_count; ++i) {
    // Assigned in order, so a repeated key keeps its last value, as parsing does.
    object[std::string(value.members[i].key)] = document_of(value.members[i]);
  }
  return object;
}

// The value as nlohmann/json prints it, for messages.
std::string dump_of(const json& value) { return value.dump(); }
std::string dump_of(const flat_json_value& value) { return document_of(value).dump(); }

// A number or boolean as nlohmann/json prints it; scratch may hold the text.
std::string_view printed(const json& value, std::string& scratch) {
  scratch = value.dump();
  return scratch;
}
std::string_view printed(const flat_json_value& value, std::string& scratch) {
  switch (value.type) {
    case flat_json_value::kind::boolean:
      return value.truth ? "true" : "false";
    case flat_json_value::kind::number_unsigned:
      // The grammar allows no leading zeros: digits print as written.
      return value.text;
    case flat_json_value::kind::number_integer:
      // Only "-0" prints otherwise.
      return value.integer_value == 0 ? "0" : value.text;
    default:
      scratch = dump_of(value);
      return scratch;
  }
}

// Collects only the description of the first syntax error; used after a
// failed parse to say what was wrong and where.
class syntax_error_catcher final : public nlohmann::json_sax<json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t at, const std::string&,
                   const nlohmann::detail::exception& failure) override {
    position = at;
    // The library's text starts with "[json.exception...] parse error at line
    // L, column C: "; our own position replaces that prefix.
    const std::string_view text = failure.what();
    const std::size_t colon = text.find(": ");
    description = std::string(colon == std::string_view::npos ? text : text.substr(colon + 2));
    return false;
  }

  std::size_t position = 0;
  std::string description;
};

// Turns one parsed JSON element (array element or JSONL line) into a record.
class json_record_reader {
 public:
  json_record_reader(const reader_options& options, record_emitter& emitter,
                     column_observer* observer, json_element_reading reading)
      : emitter_(emitter),
        observer_(observer),
        direct_(reading == json_element_reading::direct_when_flat && observer == nullptr),
        roles_{role_of(options.score_column, no_default, ""),
               role_of(options.weight_column, no_default, " (the weight column)"),
               role_of(options.segment_columns.empty() ? options.segment_column
                                                       : options.segment_columns.front(),
                       default_segment_columns, " (the segment column)"),
               role_of(options.date_column, default_date_columns, " (the date column)"),
               role_of(options.comment_column, default_comment_columns, " (the comment column)"),
               role_of(options.type_column, default_type_columns, " (the type column)"),
               role_of(options.csat_column, default_csat_columns, " (the CSAT column)"),
               role_of(options.ces_column, default_ces_columns, " (the CES column)")} {
    emitter_.describe_rows_with([this] { return std::string(current_text_); });
    // Segment columns after the first are roles of their own, after the fixed ones.
    for (std::size_t i = 1; i < options.segment_columns.size(); ++i) {
      roles_.push_back(role_of(options.segment_columns[i], no_default, " (a segment column)"));
    }
    if (!options.segment_columns.empty()) {
      segment_texts_.resize(options.segment_columns.size());
      segment_values_.resize(options.segment_columns.size());
    }
    // Nothing looked up yet, for the layout of an empty object too.
    found_at_.assign(roles_.size() + std::size(own_keys), not_looked_up);
  }

  void read(std::string_view text, std::uint64_t line) {
    // Shown with a rejection of this element; cleared before reading returns.
    current_text_ = trim(text);
    if (direct_ && flat_.parse(text)) {
      read_flat(line);
    } else {
      read_element(text, line);
    }
    current_text_ = {};
  }

  // The length of a flat object at the start of text, 0 when there is none
  // or elements are not read directly; read_parsed then reads it.
  std::size_t leading_flat_object(std::string_view text) {
    return direct_ ? flat_.parse_leading(text) : 0;
  }

  // Reads the element text whose object leading_flat_object just parsed.
  void read_parsed(std::string_view text, std::uint64_t line) {
    current_text_ = trim(text);
    read_flat(line);
    current_text_ = {};
  }

 private:
  void read_element(std::string_view text, std::uint64_t line) {
    // nlohmann/json takes a NUL byte for the end of the input and would
    // ignore whatever follows it; JSON allows no raw NUL anywhere.
    const std::size_t nul = text.find('\0');
    if (nul != std::string_view::npos) {
      emitter_.reject(line, [&] {
        return "invalid JSON " + where(text, line, nul + 1) + ": unexpected NUL byte";
      });
      return;
    }
    const json value = json::parse(text.begin(), text.end(), nullptr, false);
    if (value.is_discarded()) {
      emitter_.reject(line, [&] { return describe_syntax_error(text, line); });
      return;
    }
    if (!value.is_object()) {
      emitter_.reject(
          line, [&] { return std::string("expected a JSON object, found ") + kind_of(value); });
      return;
    }
    read_object(value, line);
  }

 private:
  // "at column C" or "on line L, column C" for the read_count-th byte of an
  // element that starts on line.
  static std::string where(std::string_view text, std::uint64_t line, std::size_t read_count) {
    std::uint64_t error_line = line;
    std::size_t line_start = 0;
    const std::size_t end = read_count < text.size() ? read_count : text.size();
    for (std::size_t i = 0; i < end; ++i) {
      const bool crlf = text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n';
      if ((text[i] == '\n' || text[i] == '\r') && !crlf) {
        ++error_line;
        line_start = i + 1;
      }
    }
    const std::size_t column = end > line_start ? end - line_start : 1;
    return error_line == line
               ? "at column " + std::to_string(column)
               : "on line " + std::to_string(error_line) + ", column " + std::to_string(column);
  }

  void read_flat(std::uint64_t line) {
    flat_object object{flat_.begin(), flat_.size(), nullptr};
    describe_layout(object);
    layout_repeated_ = layout_ == known_layout_;
    if (!layout_repeated_) {
      known_layout_.swap(layout_);
      found_at_.assign(roles_.size() + std::size(own_keys), not_looked_up);
    }
    const flat_json_value* properties = find_own(object, properties_key);
    if (properties != nullptr && properties->is_object()) {
      object.properties = properties;
    }
    read_object(object, line);
  }

  static std::string describe_syntax_error(std::string_view text, std::uint64_t line) {
    syntax_error_catcher catcher;
    json::sax_parse(text.begin(), text.end(), &catcher);
    // nlohmann counts the failing character as read.
    return "invalid JSON " + where(text, line, catcher.position) + ": " + catcher.description;
  }

  static const flat_json_value* find_key(const flat_object& object, std::string_view name) {
    // The document keeps one value per key, the last one written, and
    // iterates keys in byte order: the exact key, else the least key that
    // matches ignoring case and blanks.
    const std::string_view exact_name = trim(name);
    const flat_json_value* exact = nullptr;
    for (std::size_t i = 0; i < object.size; ++i) {
      if (object.first[i].key == exact_name) {
        exact = &object.first[i];
      }
    }
    if (exact != nullptr) {
      return exact;
    }
    const flat_json_value* least = nullptr;
    for (std::size_t i = 0; i < object.size; ++i) {
      const std::string_view key = object.first[i].key;
      if ((least == nullptr || key <= least->key) && key_matches(key, exact_name)) {
        least = &object.first[i];
      }
    }
    // The last of the repeats of that key.
    for (std::size_t i = 0; least != nullptr && i < object.size; ++i) {
      if (object.first[i].key == least->key) {
        least = &object.first[i];
      }
    }
    return least;
  }

  static const json* find_key(const json& object, std::string_view name) {
    const auto exact = object.find(std::string(trim(name)));
    if (exact != object.end()) {
      return &*exact;
    }
    for (auto it = object.begin(); it != object.end(); ++it) {
      if (names_equal(it.key(), name)) {
        return &*it;
      }
    }
    return nullptr;
  }

  // A key at the top level, else inside "properties" (where the widget's
  // payload keeps segment-like fields).
  static const flat_json_value* find(const flat_object& object, std::string_view name) {
    if (trim(name).empty()) {
      return nullptr;
    }
    if (const flat_json_value* found = find_key(object, name)) {
      return found;
    }
    return object.properties == nullptr ? nullptr : find_key(members_of(*object.properties), name);
  }

  static const json* find(const json& object, std::string_view name) {
    if (trim(name).empty()) {
      return nullptr;
    }
    if (const json* found = find_key(object, name)) {
      return found;
    }
    const json* properties = find_key(object, "properties");
    if (properties != nullptr && properties->is_object()) {
      return find_key(*properties, name);
    }
    return nullptr;
  }

  // Text of a segment, date or comment value: strings as they are, numbers
  // and booleans as written in JSON. Null, objects and arrays give no text
  // (printing a nested value would recurse as deep as the input nests).
  template <typename Value>
  static std::string_view text_of(const Value* value, std::string& scratch) {
    if (value == nullptr) {
      return {};
    }
    if (value->is_string()) {
      return trim(string_of(*value));
    }
    if (value->is_number() || value->is_boolean()) {
      return printed(*value, scratch);
    }
    return {};
  }

  // Score from a JSON value; on failure, rejects and returns false.
  template <typename Value>
  bool read_score(const Value* value, std::uint64_t line, int& score) {
    if (value == nullptr || value->is_null()) {
      emitter_.reject(line, [] { return std::string("score is missing"); });
      return false;
    }
    value_problem problem = value_problem::none;
    if (value->is_number_unsigned()) {
      const auto number = unsigned_of(*value);
      problem = number > 10 ? value_problem::out_of_range : value_problem::none;
      score = static_cast<int>(number <= 10 ? number : 0);
    } else if (value->is_number_integer()) {
      const auto number = integer_of(*value);
      problem = number < 0 || number > 10 ? value_problem::out_of_range : value_problem::none;
      score = static_cast<int>(problem == value_problem::none ? number : 0);
    } else if (value->is_number_float()) {
      const double number = double_of(*value);
      if (std::isfinite(number) && number != std::floor(number)) {
        problem = value_problem::not_whole;
      } else if (!(number >= 0 && number <= 10)) {
        problem = value_problem::out_of_range;
      } else {
        score = static_cast<int>(number);
      }
    } else if (value->is_string()) {
      const std::string_view text = string_of(*value);
      problem = parse_score_text(text, false, score);
      if (problem != value_problem::none) {
        emitter_.reject(
            line, [&] { return describe_problem("score", problem, quoted_value(trim(text))); });
        return false;
      }
    } else if (value->is_boolean()) {
      problem = value_problem::not_a_number;
    } else {
      emitter_.reject(line, [&] {
        return std::string("score must be a number from 0 to 10, found ") + kind_of(*value);
      });
      return false;
    }
    if (problem != value_problem::none) {
      emitter_.reject(line, [&] { return describe_problem("score", problem, dump_of(*value)); });
      return false;
    }
    return true;
  }

  // "csat" or "ces" in a "metric" key; NPS (nullopt) for anything else, as
  // readers tolerate fields they do not know.
  template <typename Value>
  static std::optional<rating_metric> metric_of(const Value* value) {
    if (value == nullptr || !value->is_string()) return std::nullopt;
    const result<rating_metric> metric = parse_rating_metric(string_of(*value));
    if (!metric) return std::nullopt;
    return metric.value();
  }

  // A rating from a JSON value: absent or null is none (rating stays 0); a
  // number or text that is not an integer on the scale rejects the record.
  template <typename Value>
  bool read_rating(const Value* value, rating_metric metric, std::uint64_t line, int& rating) {
    if (value == nullptr || value->is_null()) return true;
    value_problem problem = value_problem::not_a_number;
    if (value->is_number_integer()) {
      const bool in_scale = value->is_number_unsigned()
                                ? unsigned_of(*value) <= 7 &&
                                      check_rating(metric, static_cast<int>(unsigned_of(*value)))
                                : integer_of(*value) >= 0 && integer_of(*value) <= 7 &&
                                      check_rating(metric, static_cast<int>(integer_of(*value)));
      problem = in_scale ? value_problem::none : value_problem::out_of_range;
      if (in_scale) rating = static_cast<int>(integer_of(*value));
    } else if (value->is_number_float()) {
      const double number = double_of(*value);
      const bool whole = std::isfinite(number) && number == std::floor(number);
      if (whole && number >= 1 && number <= 7 && check_rating(metric, static_cast<int>(number))) {
        problem = value_problem::none;
        rating = static_cast<int>(number);
      } else {
        problem = whole ? value_problem::out_of_range : value_problem::not_whole;
      }
    } else if (value->is_string()) {
      const std::string_view text = string_of(*value);
      if (trim(text).empty()) return true;
      problem = parse_rating_text(text, false, metric, rating);
    }
    if (problem == value_problem::none) return true;
    emitter_.reject(line, [&] {
      return describe_rating_problem(
          metric, problem,
          value->is_string() ? quoted_value(trim(string_of(*value))) : dump_of(*value));
    });
    return false;
  }

  template <typename Value>
  bool read_weight(const Value* value, bool may_be_absent, std::uint64_t line, double& weight) {
    if (value == nullptr || value->is_null()) {
      if (may_be_absent) {
        return true;
      }
      emitter_.reject(line, [] { return std::string("weight is missing"); });
      return false;
    }
    value_problem problem = value_problem::none;
    if (value->is_number()) {
      const double number = double_of(*value);
      if (!std::isfinite(number)) {
        problem = value_problem::not_finite;
      } else if (number < 0) {
        problem = value_problem::negative;
      } else {
        weight = number == 0 ? 0.0 : number;
      }
    } else if (value->is_string()) {
      const std::string_view text = string_of(*value);
      problem = parse_weight_text(text, false, weight);
      if (problem != value_problem::none) {
        emitter_.reject(
            line, [&] { return describe_problem("weight", problem, quoted_value(trim(text))); });
        return false;
      }
    } else {
      emitter_.reject(
          line, [&] { return std::string("weight must be a number, found ") + kind_of(*value); });
      return false;
    }
    if (problem != value_problem::none) {
      emitter_.reject(line, [&] { return describe_problem("weight", problem, dump_of(*value)); });
      return false;
    }
    return true;
  }

 public:
  // A column named in the options that no object had: an error for the
  // whole input, since every record was read without it.
  std::optional<error> missing_named_key() const {
    if (observer_ != nullptr) {
      return std::nullopt;
    }
    for (std::size_t index = 0; index < roles_.size(); ++index) {
      const role_names& names = roles_[index];
      const std::uint64_t objects = index == score_role ? responses_ : objects_;
      if (names.named.empty() || objects == 0 || names.seen) {
        continue;
      }
      std::string found;
      for (std::size_t i = 0; i < keys_.size() && i < max_keys_listed; ++i) {
        found += (i == 0 ? "" : ", ") + quoted_value(keys_[i]);
      }
      if (keys_.size() > max_keys_listed) {
        found += ", ...";
      }
      const std::vector<std::string_view> candidates(keys_.begin(), keys_.end());
      return make_error(error_code::missing_column,
                        "no object has a " + quoted_value(names.named) + " key" +
                            std::string(names.role) +
                            "; keys found: " + (found.empty() ? std::string("none") : found) +
                            closest_name_hint(names.named, candidates));
    }
    return std::nullopt;
  }

 private:
  static constexpr std::size_t role_count = 8;
  static constexpr std::size_t score_role = 0;
  static constexpr std::size_t csat_role = 6;
  static constexpr std::size_t ces_role = 7;
  static constexpr std::size_t max_keys_listed = 12;
  // Distinct keys kept for messages; enough for any survey export.
  static constexpr std::size_t max_keys_kept = 64;

  struct role_names {
    std::string named;  // empty: the defaults are looked up
    const std::string_view* defaults = nullptr;
    std::size_t default_count = 0;
    std::string_view role;
    bool seen = false;
  };

  template <std::size_t count>
  static role_names role_of(const std::string& named, const std::string_view (&defaults)[count],
                            std::string_view role) {
    role_names out;
    out.named = normalized_name(named);
    out.defaults = defaults;
    out.default_count = count;
    out.role = role;
    return out;
  }

  const json* find_role(const json& object, std::size_t index) {
    return resolve_role(object, index);
  }
  const flat_json_value* find_role(const flat_object& object, std::size_t index) {
    return remembered(object, index, [&] { return resolve_role(object, index); });
  }

  // "metric", "id", "answer_id" and "properties", looked up by their own names.
  static constexpr std::string_view own_keys[] = {"metric", "id", "answer_id", "properties"};
  static constexpr std::size_t metric_key = 0;
  static constexpr std::size_t id_key = 1;
  static constexpr std::size_t answer_id_key = 2;
  static constexpr std::size_t properties_key = 3;

  static const json* find_own(const json& object, std::size_t which) {
    return find_key(object, own_keys[which]);
  }
  const flat_json_value* find_own(const flat_object& object, std::size_t which) {
    return remembered(object, roles_.size() + which,
                      [&] { return find_key(object, own_keys[which]); });
  }

  // Where a lookup found its value in a flat object with the previous
  // object's keys: found the same way then (a value's kind plays no part
  // but for objects, which the layout tells apart), so it is not redone.
  template <typename Lookup>
  const flat_json_value* remembered(const flat_object& object, std::size_t slot, Lookup&& lookup) {
    std::int64_t& at = found_at_[slot];
    if (at == not_looked_up) {
      const flat_json_value* found = lookup();
      if (found == nullptr) {
        at = not_found;
      } else if (found >= object.first && found < object.first + object.size) {
        at = found - object.first;
      } else {
        at = static_cast<std::int64_t>(object.size) + (found - object.properties->members);
      }
      return found;
    }
    if (at == not_found) {
      return nullptr;
    }
    const auto index = static_cast<std::size_t>(at);
    return index < object.size ? object.first + index
                               : object.properties->members + (index - object.size);
  }

  // The keys of a flat object and of its member objects, in order, with
  // which values are objects: the lookups' results depend on nothing else.
  void describe_layout(const flat_object& object) {
    layout_.clear();
    const auto add_key = [&](std::string_view key, bool object_value) {
      const std::size_t size = key.size();
      layout_.append(reinterpret_cast<const char*>(&size), sizeof size);
      layout_.append(key);
      layout_.push_back(object_value ? 'o' : 'v');
    };
    for (std::size_t i = 0; i < object.size; ++i) {
      const flat_json_value& field = object.first[i];
      add_key(field.key, field.is_object());
      for (std::size_t j = 0; j < field.member_count; ++j) {
        add_key(field.members[j].key, field.members[j].is_object());
      }
    }
  }

  template <typename Object>
  auto resolve_role(const Object& object, std::size_t index) -> decltype(find_key(object, "")) {
    role_names& names = roles_[index];
    if (!names.named.empty()) {
      const auto* found = find(object, names.named);
      names.seen = names.seen || found != nullptr;
      return found;
    }
    for (std::size_t i = 0; i < names.default_count; ++i) {
      if (const auto* found = find(object, names.defaults[i])) {
        return found;
      }
    }
    return nullptr;
  }

  bool key_kept(std::string_view key) const {
    for (const std::string& kept : keys_) {
      if (kept == key) {
        return true;
      }
    }
    return false;
  }

  void remember_key(std::string_view key) {
    if (!key_kept(trim(key))) {
      keys_.emplace_back(trim(key));
    }
  }

  void remember_keys(const json& object) {
    for (auto it = object.begin(); it != object.end() && keys_.size() < max_keys_kept; ++it) {
      remember_key(it.key());
    }
  }

  // In the document's order (each key once, in byte order), which decides
  // the keys a message lists.
  void remember_keys(const flat_object& object) {
    bool all_kept = true;
    for (std::size_t i = 0; i < object.size && all_kept; ++i) {
      all_kept = key_kept(trim(object.first[i].key));
    }
    if (all_kept) {
      return;
    }
    std::vector<std::string_view> keys;
    for (std::size_t i = 0; i < object.size; ++i) {
      keys.push_back(object.first[i].key);
    }
    std::sort(keys.begin(), keys.end());
    for (std::size_t i = 0; i < keys.size() && keys_.size() < max_keys_kept; ++i) {
      remember_key(keys[i]);
    }
  }

  // Scalar values by key, then those of "properties" under their own keys.
  void observe(const json& object) {
    std::vector<std::pair<std::string_view, std::string_view>> fields;
    std::vector<std::string> scratch(object.size());
    const json* properties = find_key(object, "properties");
    if (properties != nullptr && properties->is_object()) {
      scratch.resize(object.size() + properties->size());
    }
    std::size_t used = 0;
    const auto add = [&](const json& from) {
      for (auto it = from.begin(); it != from.end(); ++it) {
        if (it->is_object() || it->is_array()) continue;
        fields.emplace_back(trim(it.key()), text_of(&*it, scratch[used++]));
      }
    };
    add(object);
    if (properties != nullptr && properties->is_object()) add(*properties);
    observer_->object(fields);
  }

  void read_object(const json& object, std::uint64_t line) {
    // A document's keys are remembered whatever the flat objects before it had.
    layout_repeated_ = false;
    if (observer_ != nullptr) {
      ++objects_;
      observe(object);
      return;
    }
    read_record(object, line);
  }

  void read_object(const flat_object& object, std::uint64_t line) { read_record(object, line); }

  template <typename Object>
  void read_record(const Object& object, std::uint64_t line) {
    ++objects_;
    // The keys of an object like the previous one are remembered already.
    if (keys_.size() < max_keys_kept && !layout_repeated_) {
      remember_keys(object);
      const auto* properties = find_own(object, properties_key);
      if (properties != nullptr && properties->is_object()) {
        remember_keys(members_of(*properties));
      }
    }
    record_view record;
    record.line = line;
    const auto* type = find_role(object, 5);
    if (type != nullptr && type->is_string() && names_equal(string_of(*type), "dismissal")) {
      record.type = record_type::dismissal;
    } else {
      const std::optional<rating_metric> metric = metric_of(find_own(object, metric_key));
      if (metric) {
        // A CSAT or CES survey (or companion) has its rating in the score key.
        const auto* score = find_role(object, score_role);
        int& rating = *metric == rating_metric::csat ? record.csat : record.ces;
        if (!read_rating(score, *metric, line, rating)) return;
        if (rating == 0) {
          emitter_.reject(line, [&] {
            return std::string("score is missing (expected the ") + to_string(*metric) +
                   " rating of a \"metric\": \"" + to_string(*metric) + "\" answer)";
          });
          return;
        }
        record.answer_id = text_of(find_own(object, answer_id_key), answer_id_text_);
      } else {
        if (!read_rating(find_role(object, csat_role), rating_metric::csat, line, record.csat) ||
            !read_rating(find_role(object, ces_role), rating_metric::ces, line, record.ces)) {
          return;
        }
        const auto* score = find_role(object, score_role);
        const bool rating_only =
            (score == nullptr || score->is_null()) && (record.csat != 0 || record.ces != 0);
        if (!rating_only) {
          ++responses_;
          if (!read_score(score, line, record.score)) {
            return;
          }
        }
      }
    }
    record.id = text_of(find_own(object, id_key), id_text_);
    if (!roles_[1].named.empty() &&
        !read_weight(find_role(object, 1), record.type == record_type::dismissal, line,
                     record.weight)) {
      return;
    }
    record.segment = text_of(find_role(object, 2), segment_text_);
    if (!segment_values_.empty()) {
      segment_values_.front() = record.segment;
      for (std::size_t i = 1; i < segment_values_.size(); ++i) {
        segment_values_[i] = text_of(find_role(object, role_count + i - 1), segment_texts_[i]);
      }
      record.segments = segment_values_.data();
      record.segment_count = segment_values_.size();
    }
    record.timestamp = text_of(find_role(object, 3), timestamp_text_);
    record.comment = text_of(find_role(object, 4), comment_text_);
    emitter_.emit(record);
  }

  record_emitter& emitter_;
  column_observer* observer_;
  // Flat objects are read without building a document.
  bool direct_;
  flat_json_parser flat_;
  // The lookups of flat objects with the same keys (see remembered()).
  static constexpr std::int64_t not_looked_up = -2;
  static constexpr std::int64_t not_found = -1;
  std::string layout_;
  std::string known_layout_;
  bool layout_repeated_ = false;
  std::vector<std::int64_t> found_at_;
  std::string_view current_text_;
  // score, weight, segment, date, comment, type, csat, ces, then any further segment columns
  std::vector<role_names> roles_;
  std::uint64_t objects_ = 0;
  std::uint64_t responses_ = 0;
  std::vector<std::string> keys_;
  // Room for values printed from numbers, reused from record to record.
  std::string segment_text_;
  // Several segment columns: room for printed numbers, and the values of the record being read.
  std::vector<std::string> segment_texts_;
  std::vector<std::string_view> segment_values_;
  std::string timestamp_text_;
  std::string comment_text_;
  std::string id_text_;
  std::string answer_id_text_;
};

// Counts lines the way a text editor does: LF, CRLF and a lone CR each end
// one line, whatever chunk the CR and LF arrive in.
class line_counter {
 public:
  void see(char c) {
    if (c == '\n') {
      if (!after_cr_) {
        ++line_;
      }
    } else if (c == '\r') {
      ++line_;
    }
    after_cr_ = c == '\r';
  }
  void see_ordinary() { after_cr_ = false; }
  std::uint64_t line() const { return line_; }
  bool after_cr() const { return after_cr_; }

 private:
  std::uint64_t line_ = 1;
  bool after_cr_ = false;
};

class json_array_parser final : public format_parser {
 public:
  json_array_parser(const reader_options& options, record_emitter& emitter, scan_path path,
                    column_observer* observer, json_element_reading reading)
      : records_(options, emitter, observer, reading),
        emitter_(emitter),
        string_stops_(path, {'"', '\\', '\n', '\r'}) {}

  status feed(std::string_view chunk) override {
    const char* p = chunk.data();
    const char* const end = p + chunk.size();
    string_stops_.new_span();
    while (p < end && !failure_) {
      if ((phase_ == phase::first_element || phase_ == phase::next_element) && *p == '{') {
        if (const char* const after = whole_flat_element(p, end)) {
          p = after;
          continue;
        }
      }
      if (phase_ == phase::in_element) {
        p = scan_element(p, end);
      } else if (phase_ == phase::resyncing) {
        resync(*p++);
      } else {
        between_elements(*p++);
      }
    }
    return outcome();
  }

  status finish() override {
    if (failure_) {
      return *failure_;
    }
    switch (phase_) {
      case phase::before_array:
        failure_ = make_error(error_code::empty_input,
                              "JSON input is empty; expected an array of objects");
        break;
      case phase::after_array:
        if (std::optional<error> missing = records_.missing_named_key()) {
          failure_ = std::move(missing);
        }
        break;
      default:
        failure_ = make_error(error_code::parse_error,
                              "JSON array is not closed: the input ends on line " +
                                  std::to_string(lines_.line()) + "; expected ']'");
    }
    return outcome();
  }

 private:
  enum class phase : std::uint8_t {
    before_array,   // before '['
    first_element,  // after '[': an element or ']'
    next_element,   // after ',': an element, or ']' after a trailing comma
    in_element,     // inside an element
    resyncing,      // after a broken element: up to a line that starts with '{' or ']'
    after_array,    // after the closing ']': only white space may follow
  };

  status outcome() const { return failure_ ? status(*failure_) : status(ok{}); }

  void between_elements(char c) {
    if (is_json_space(c)) {
      lines_.see(c);
      return;
    }
    lines_.see_ordinary();
    switch (phase_) {
      case phase::before_array:
        if (c == '[') {
          phase_ = phase::first_element;
        } else {
          failure_ = not_an_array(c);
        }
        return;
      case phase::first_element:
      case phase::next_element:
        if (c == ']') {
          phase_ = phase::after_array;
        } else if (c == ',') {
          emitter_.reject(lines_.line(), [] {
            return std::string("empty array element; expected a JSON object before ','");
          });
          phase_ = phase::next_element;
        } else {
          start_element(c);
        }
        return;
      case phase::after_array:
        failure_ = make_error(error_code::parse_error,
                              "unexpected text after the end of the JSON array on line " +
                                  std::to_string(lines_.line()) +
                                  "; expected nothing after the closing ']'");
        return;
      case phase::in_element:
      case phase::resyncing:
        return;
    }
  }

  error not_an_array(char c) const {
    std::string found =
        c == '{' ? std::string("an object ('{')") : quoted_value(std::string_view(&c, 1));
    std::string hint = c == '{' ? " (for one object per line, use the jsonl format)" : "";
    return make_error(error_code::parse_error,
                      "JSON input must be an array of objects; found " + found + " on line " +
                          std::to_string(lines_.line()) + " where '[' was expected" + hint);
  }

  void start_element(char c) {
    phase_ = phase::in_element;
    element_line_ = lines_.line();
    element_.clear();
    depth_ = 0;
    in_string_ = false;
    escaped_ = false;
    element_byte(c);
  }

  // An element that is a flat object and ends in this chunk is read where
  // it lies, without the byte-by-byte pass; returns where reading goes on,
  // or nullptr to leave the element to that pass. No string of a flat
  // object holds a raw line break, so the pass would end the element at
  // the same ',' or ']'.
  const char* whole_flat_element(const char* p, const char* const end) {
    const auto window = std::min<std::size_t>(static_cast<std::size_t>(end - p), max_direct_bytes);
    const std::size_t length = records_.leading_flat_object(std::string_view(p, window));
    if (length == 0) {
      return nullptr;
    }
    const char* stop = p + length;
    while (stop < end && is_json_space(*stop)) {
      ++stop;
    }
    if (stop == end || (*stop != ',' && *stop != ']')) {
      return nullptr;
    }
    element_line_ = lines_.line();
    // The line counter sees the element's breaks; the bytes between them
    // (at least the '{') are ordinary.
    for (const char* c = p; c < stop; ++c) {
      const char* const run = c;
      while (c < stop && *c != '\n' && *c != '\r') {
        ++c;
      }
      if (c != run) {
        lines_.see_ordinary();
      }
      if (c < stop) {
        lines_.see(*c);
      }
    }
    records_.read_parsed(std::string_view(p, static_cast<std::size_t>(stop - p)), element_line_);
    phase_ = *stop == ',' ? phase::next_element : phase::after_array;
    lines_.see_ordinary();
    return stop + 1;
  }

  // Reads element bytes up to the ',' or ']' that ends the element.
  const char* scan_element(const char* p, const char* const end) {
    while (p < end) {
      if (in_string_) {
        const char* const run = p;
        if (!escaped_) {
          p = string_stops_.find(p, end, every_watched_byte);
        }
        if (p != run) {
          element_.append(run, static_cast<std::size_t>(p - run));
          lines_.see_ordinary();
        }
        if (p == end) {
          return p;
        }
      }
      const char c = *p++;
      if (in_string_ && (c == '\n' || c == '\r')) {
        lines_.see(c);
        break_element();
        return p;
      }
      if (!in_string_ && depth_ == 0 && (c == ',' || c == ']')) {
        end_element();
        phase_ = c == ',' ? phase::next_element : phase::after_array;
        lines_.see_ordinary();
        return p;
      }
      element_byte(c);
    }
    return p;
  }

  void element_byte(char c) {
    element_.push_back(c);
    if (c == '\n' || c == '\r') {
      lines_.see(c);
    } else {
      lines_.see_ordinary();
    }
    if (in_string_) {
      if (escaped_) {
        escaped_ = false;
      } else if (c == '\\') {
        escaped_ = true;
      } else if (c == '"') {
        in_string_ = false;
      }
      return;
    }
    switch (c) {
      case '"':
        in_string_ = true;
        break;
      case '{':
      case '[':
        ++depth_;
        break;
      case '}':
      case ']':
        // A surplus closer stays in the element, which then fails to parse.
        if (depth_ > 0) {
          --depth_;
        }
        break;
      default:
        break;
    }
  }

  void end_element() { records_.read(element_, element_line_); }

  // JSON strings cannot hold a raw line break, so a string still open at the
  // end of a line has a stray or missing quote: the element alone is
  // rejected and reading goes on with the next line that starts an object
  // (or ends the array), instead of the quote swallowing the rest.
  void break_element() {
    const std::uint64_t open_line = lines_.line() - 1;
    emitter_.reject(element_line_, [&] {
      return "a string is still open at the end of line " + std::to_string(open_line) +
             " (a JSON string cannot span lines; a quote is stray or missing); the element is "
             "left out and reading goes on with the next line that starts with '{'";
    });
    element_.clear();
    phase_ = phase::resyncing;
    at_line_start_ = true;
  }

  void resync(char c) {
    if (c == '\n' || c == '\r') {
      lines_.see(c);
      at_line_start_ = true;
      return;
    }
    lines_.see_ordinary();
    if (!at_line_start_ || c == ' ' || c == '\t') {
      return;
    }
    at_line_start_ = false;
    if (c == '{') {
      start_element(c);
    } else if (c == ']') {
      phase_ = phase::after_array;
    }
  }

  // Longest element read where it lies; longer ones (rare) are copied.
  static constexpr std::size_t max_direct_bytes = std::size_t{1} << 16;

  json_record_reader records_;
  record_emitter& emitter_;
  scan_detail::byte_finder string_stops_;  // where a run of plain string bytes ends
  std::optional<error> failure_;
  phase phase_ = phase::before_array;
  line_counter lines_;
  std::string element_;
  std::uint64_t element_line_ = 1;
  std::uint64_t depth_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
  bool at_line_start_ = false;
};

class jsonl_parser final : public format_parser {
 public:
  jsonl_parser(const reader_options& options, record_emitter& emitter, scan_path path,
               column_observer* observer, json_element_reading reading)
      : records_(options, emitter, observer, reading),
        line_breaks_(path, {'\n', '\r', '\n', '\r'}) {}

  status feed(std::string_view chunk) override {
    const char* p = chunk.data();
    const char* const end = p + chunk.size();
    line_breaks_.new_span();
    if (cr_pending_ && p < end) {
      cr_pending_ = false;
      if (*p == '\n') {
        ++p;
      }
    }
    while (p < end) {
      const char* const run = p;
      p = line_breaks_.find(p, end, every_watched_byte);
      const std::string_view piece(run, static_cast<std::size_t>(p - run));
      if (p == end) {
        line_text_.append(piece);
        break;
      }
      const char c = *p++;
      // A line wholly inside this chunk is read where it lies.
      if (line_text_.empty()) {
        end_line(piece);
      } else {
        line_text_.append(piece);
        end_line(line_text_);
      }
      if (c == '\r') {
        if (p == end) {
          cr_pending_ = true;
        } else if (*p == '\n') {
          ++p;
        }
      }
    }
    return ok{};
  }

  status finish() override {
    end_line(line_text_);
    if (std::optional<error> missing = records_.missing_named_key()) {
      return *missing;
    }
    return ok{};
  }

 private:
  void end_line(std::string_view line) {
    const std::string_view text = trim(line);
    if (!text.empty()) {
      records_.read(text, line_);
    }
    line_text_.clear();
    ++line_;
  }

  json_record_reader records_;
  scan_detail::byte_finder line_breaks_;
  std::string line_text_;
  std::uint64_t line_ = 1;
  bool cr_pending_ = false;
};

}  // namespace

std::unique_ptr<format_parser> make_json_array_parser(const reader_options& options,
                                                      record_emitter& emitter, scan_path path,
                                                      column_observer* observer,
                                                      json_element_reading reading) {
  return std::make_unique<json_array_parser>(options, emitter, path, observer, reading);
}

std::unique_ptr<format_parser> make_jsonl_parser(const reader_options& options,
                                                 record_emitter& emitter, scan_path path,
                                                 column_observer* observer,
                                                 json_element_reading reading) {
  return std::make_unique<jsonl_parser>(options, emitter, path, observer, reading);
}

}  // namespace npskit::reader_detail
