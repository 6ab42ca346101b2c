#include "npskit/response.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "npskit/tally.h"
#include "npskit/text.h"
#include "timestamp.h"
#include "utf8.h"

namespace npskit {
namespace {

// Insertion order is kept so that a stored payload reads like the one sent.
using json = nlohmann::ordered_json;

constexpr std::size_t max_quoted_length = 60;

// A JSON value as it appears in an error message, shortened so that a huge
// field cannot flood a log line.
std::string quote(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > max_quoted_length)
    text = std::string(utf8::cut(text, max_quoted_length)) + "...";
  return text;
}

const char* type_name(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::string:
      return "a string";
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    case json::value_t::binary:
      return "binary data";
    case json::value_t::discarded:
      return "nothing";
    default:
      return "a number";
  }
}

error field_error(error_code code, std::string_view field, const std::string& what) {
  return make_error(code, std::string(field) + ": " + what);
}

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// 8-4-4-4-12 hexadecimal digits, any case (RFC 4122 text form). The version
// nibble is not checked: any UUID is a fine idempotency key.
bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position ? text[i] != '-' : !is_hex(text[i])) return false;
  }
  return true;
}

// The segment the readers would see for this payload: a "segment" key at the
// top level, else inside "properties"; keys match ignoring case and spaces.
std::string find_segment(const json& object) {
  const auto lookup = [](const json& where) -> const json* {
    for (auto it = where.begin(); it != where.end(); ++it) {
      if (text::equals_ignoring_case(text::trim(it.key()), "segment")) return &it.value();
    }
    return nullptr;
  };
  const json* found = lookup(object);
  if (found == nullptr) {
    const auto properties = object.find("properties");
    if (properties != object.end() && properties->is_object()) found = lookup(*properties);
  }
  if (found == nullptr || found->is_null()) return {};
  if (found->is_string()) return found->get<std::string>();
  return found->dump(-1, ' ', false, json::error_handler_t::replace);
}

// Rejects objects that name a key twice: two "score" fields would let the
// widget and a reader see different answers in the same payload.
struct duplicate_key_finder {
  std::vector<std::set<std::string>> open_objects;
  std::string duplicate;

  bool operator()(int /*depth*/, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
        open_objects.emplace_back();
        break;
      case json::parse_event_t::object_end:
        if (!open_objects.empty()) open_objects.pop_back();
        break;
      case json::parse_event_t::key:
        if (!open_objects.empty() && parsed.is_string() &&
            !open_objects.back().insert(parsed.get<std::string>()).second && duplicate.empty()) {
          duplicate = parsed.get<std::string>();
        }
        break;
      default:
        break;
    }
    return true;
  }
};

// Collects the parser's own description of the first syntax error.
class syntax_error_sink : public nlohmann::json_sax<json> {
 public:
  std::size_t position = 0;
  std::string message;

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
  bool parse_error(std::size_t at, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& failure) override {
    position = at;
    message = failure.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: x"
    // -> "x": the position is reported in bytes by the caller.
    const auto colon = message.find(": ");
    if (colon != std::string::npos) message.erase(0, colon + 2);
    return false;
  }
};

error syntax_error(std::string_view text) {
  syntax_error_sink sink;
  json::sax_parse(text.begin(), text.end(), &sink);
  if (sink.message.empty()) {
    return make_error(error_code::parse_error, "payload: malformed JSON");
  }
  // The parser counts the byte it stopped at from 1.
  const std::size_t offset = sink.position > 0 ? sink.position - 1 : 0;
  return make_error(error_code::parse_error, "payload: malformed JSON at byte " +
                                                 std::to_string(offset) + ": " + sink.message);
}

const json* optional_member(const json& object, const char* name) {
  const auto found = object.find(name);
  if (found == object.end() || found->is_null()) return nullptr;
  return &*found;
}

// An optional text field: absent and null give "", anything but a string is
// an error naming the field.
result<std::string> optional_text(const json& object, const char* name) {
  const json* value = optional_member(object, name);
  if (value == nullptr) return std::string();
  if (!value->is_string()) {
    return field_error(error_code::invalid_record, name,
                       std::string("expected a string, got ") + type_name(*value));
  }
  return value->get<std::string>();
}

status optional_object(const json& object, const char* name) {
  const json* value = optional_member(object, name);
  if (value != nullptr && !value->is_object()) {
    return field_error(error_code::invalid_record, name,
                       std::string("expected an object, got ") + type_name(*value));
  }
  return ok{};
}

result<int> read_score(const json& value) {
  const std::string expected = " (expected an integer 0..10)";
  if (value.is_number_integer()) {
    // Compare in 64 bits: a huge value must not wrap into range.
    const bool in_range = value.is_number_unsigned()
                              ? value.get<std::uint64_t>() <= 10
                              : value.get<std::int64_t>() >= 0 && value.get<std::int64_t>() <= 10;
    if (!in_range) {
      return field_error(error_code::invalid_score, "score", quote(value) + " is outside 0..10");
    }
    return static_cast<int>(value.get<std::int64_t>());
  }
  if (value.is_number()) {
    return field_error(error_code::invalid_score, "score",
                       quote(value) + " is not an integer" + expected);
  }
  return field_error(error_code::invalid_score, "score",
                     std::string("got ") + type_name(value) + " " + quote(value) + expected);
}

std::string scale_text(rating_metric metric) {
  const rating_scale scale = scale_of(metric);
  return "from " + std::to_string(scale.low) + " to " + std::to_string(scale.high);
}

// A rating on its metric's scale: "csat must be an integer from 1 to 5
// (got 6)", the wording of check_rating, for the field it was read from.
result<int> read_rating(const json& value, const char* field, rating_metric metric) {
  const std::string expectation =
      std::string(field) + " must be an integer " + scale_text(metric) +
      (std::string_view(field) == "score" ? std::string(" for metric \"") + to_string(metric) + "\""
                                          : std::string());
  if (value.is_number_integer()) {
    const bool in_range =
        value.is_number_unsigned()
            ? value.get<std::uint64_t>() <= static_cast<std::uint64_t>(scale_of(metric).high)
            : value.get<std::int64_t>() >= 0 && value.get<std::int64_t>() <= scale_of(metric).high;
    if (in_range && check_rating(metric, static_cast<int>(value.get<std::int64_t>()))) {
      return static_cast<int>(value.get<std::int64_t>());
    }
  }
  return make_error(error_code::invalid_score,
                    expectation + " (got " +
                        (value.is_number() ? std::string() : std::string(type_name(value)) + " ") +
                        quote(value) + ")");
}

// Bounds of the link fields, in characters (code points).
constexpr std::size_t max_campaign_characters = 100;
constexpr std::size_t max_contact_characters = 200;
constexpr std::size_t max_sig_characters = 128;

// Characters of valid UTF-8 text (the payload was checked before).
std::size_t character_count(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

// Index (in characters, from 1) of the first C0 or C1 control character or
// DEL, 0 when there is none: identifiers end up in e-mail headers, CSV and
// logs, where a line break or escape sequence would be read as structure.
std::size_t first_control_character(std::string_view text) {
  std::size_t position = 0;
  for (std::size_t at = 0; at < text.size(); ++at) {
    const auto byte = static_cast<unsigned char>(text[at]);
    if ((byte & 0xC0) == 0x80) continue;
    ++position;
    const bool c1 = byte == 0xC2 && at + 1 < text.size() &&
                    static_cast<unsigned char>(text[at + 1]) >= 0x80 &&
                    static_cast<unsigned char>(text[at + 1]) <= 0x9F;
    if (byte < 0x20 || byte == 0x7F || c1) return position;
  }
  return 0;
}

// A campaign or contact id: a string of 1..max characters without control
// characters. Campaigns are compared trimmed, so they are stored trimmed.
result<std::string> read_identifier(const json& value, const char* field, std::size_t max,
                                    bool trim) {
  if (!value.is_string()) {
    return field_error(error_code::invalid_record, field,
                       std::string("expected a string, got ") + type_name(value));
  }
  const std::string& sent = value.get_ref<const std::string&>();
  const std::string kept(trim ? text::trim(sent) : std::string_view(sent));
  const std::size_t characters = character_count(kept);
  if (characters == 0 || characters > max) {
    return field_error(error_code::invalid_record, field,
                       quote(value) + " has " + std::to_string(characters) +
                           " characters (expected 1 to " + std::to_string(max) +
                           (trim ? " once trimmed)" : ")"));
  }
  if (const std::size_t at = first_control_character(kept)) {
    return field_error(error_code::invalid_record, field,
                       quote(value) + " has a control character at character " +
                           std::to_string(at) + " (expected printable text)");
  }
  return kept;
}

status read_link_fields(json& payload, response& out) {
  if (const json* channel = optional_member(payload, "channel")) {
    const std::string name = channel->is_string() ? channel->get<std::string>() : std::string();
    if (name != "web" && name != "link" && name != "email") {
      return field_error(error_code::invalid_record, "channel",
                         quote(*channel) + R"( is not one of "web", "link", "email")");
    }
    out.channel = name;
  }
  if (const json* campaign = optional_member(payload, "campaign")) {
    auto value = read_identifier(*campaign, "campaign", max_campaign_characters, true);
    if (!value) return value.error();
    out.campaign = std::move(*value);
    payload["campaign"] = out.campaign;
  }
  if (const json* contact = optional_member(payload, "contact")) {
    auto value = read_identifier(*contact, "contact", max_contact_characters, false);
    if (!value) return value.error();
    out.contact = std::move(*value);
  }
  if (const json* sig = optional_member(payload, "sig")) {
    const std::string text = sig->is_string() ? sig->get<std::string>() : std::string();
    const bool base64url =
        !text.empty() && text.size() <= max_sig_characters &&
        std::all_of(text.begin(), text.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
        });
    if (!base64url) {
      return field_error(error_code::invalid_record, "sig",
                         quote(*sig) + " is not a signature (expected 1 to " +
                             std::to_string(max_sig_characters) +
                             " base64url characters: A-Z a-z 0-9 - _)");
    }
    out.sig = text;
  }
  return ok{};
}

}  // namespace

bool is_iso8601_timestamp(std::string_view text) {
  return !timestamp_detail::parse_timestamp(text, timestamp_detail::syntax::payload,
                                            date_order::unspecified)
              .problem;
}

std::size_t json_nesting_depth(std::string_view json_text) {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : json_text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
      if (depth > deepest) deepest = depth;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

result<response> parse_response(std::string_view json_text, std::string_view received_at) {
  const std::size_t depth = json_nesting_depth(json_text);
  if (depth > max_response_depth) {
    return make_error(error_code::parse_error,
                      "payload: nested " + std::to_string(depth) + " levels deep (at most " +
                          std::to_string(max_response_depth) + " allowed)");
  }

  duplicate_key_finder duplicates;
  json payload = json::parse(
      json_text.begin(), json_text.end(),
      [&duplicates](int depth_now, json::parse_event_t event, json& parsed) {
        return duplicates(depth_now, event, parsed);
      },
      false);
  if (payload.is_discarded()) return syntax_error(json_text);
  if (!payload.is_object()) {
    return make_error(error_code::invalid_record,
                      std::string("payload: expected a JSON object, got ") + type_name(payload));
  }
  if (!duplicates.duplicate.empty()) {
    return field_error(error_code::invalid_record, duplicates.duplicate,
                       "appears more than once in one object");
  }

  response out;

  if (const json* schema = optional_member(payload, "schema")) {
    if (!schema->is_string() || schema->get<std::string>() != response_schema) {
      return field_error(
          error_code::invalid_record, "schema",
          quote(*schema) + " is not supported (expected \"" + std::string(response_schema) + "\")");
    }
  }

  if (const json* type = optional_member(payload, "type")) {
    const std::string name = type->is_string() ? type->get<std::string>() : std::string();
    if (name == "response") {
      out.type = record_type::response;
    } else if (name == "dismissal") {
      out.type = record_type::dismissal;
    } else {
      return field_error(error_code::invalid_record, "type",
                         quote(*type) + " is not one of \"response\", \"dismissal\"");
    }
  }

  const json* id = optional_member(payload, "id");
  if (id == nullptr) {
    return field_error(error_code::invalid_record, "id",
                       "missing (expected a UUID, the answer's idempotency key)");
  }
  if (!id->is_string() || !is_uuid(id->get<std::string>())) {
    return field_error(error_code::invalid_record, "id",
                       quote(*id) + " is not a UUID (expected 8-4-4-4-12 hexadecimal digits)");
  }
  out.id = id->get<std::string>();
  out.id = text::ascii_lower(out.id);
  payload["id"] = out.id;

  if (const json* metric = optional_member(payload, "metric")) {
    const std::string name = metric->is_string() ? metric->get<std::string>() : std::string();
    if (name == "csat" || name == "ces") {
      out.metric = parse_rating_metric(name).value();
    } else if (name != "nps") {
      return field_error(error_code::invalid_record, "metric",
                         quote(*metric) + " is not one of \"nps\", \"csat\", \"ces\"");
    }
  }

  const json* score = optional_member(payload, "score");
  if (out.type == record_type::response) {
    if (score == nullptr) {
      return field_error(error_code::invalid_score, "score",
                         out.metric ? "missing (expected an integer " + scale_text(*out.metric) +
                                          " for metric \"" + to_string(*out.metric) + "\")"
                                    : std::string("missing (expected an integer 0..10)"));
    }
    auto value = out.metric ? read_rating(*score, "score", *out.metric) : read_score(*score);
    if (!value) return value.error();
    out.score = *value;
  } else if (score != nullptr) {
    return field_error(error_code::invalid_record, "score",
                       "a dismissal carries no score (got " + quote(*score) + ")");
  }

  for (const rating_metric extra : {rating_metric::csat, rating_metric::ces}) {
    const char* name = to_string(extra);
    const json* rating = optional_member(payload, name);
    if (rating == nullptr) continue;
    if (out.type == record_type::dismissal || out.metric) {
      return field_error(error_code::invalid_record, name,
                         out.type == record_type::dismissal
                             ? "a dismissal carries no rating (got " + quote(*rating) + ")"
                             : std::string("a ") + to_string(*out.metric) +
                                   " answer carries its rating in score (got " + quote(*rating) +
                                   ")");
    }
    auto value = read_rating(*rating, name, extra);
    if (!value) return value.error();
    (extra == rating_metric::csat ? out.csat : out.ces) = *value;
  }

  if (const json* answer_id = optional_member(payload, "answer_id")) {
    if (!out.metric) {
      return field_error(error_code::invalid_record, "answer_id",
                         "only a csat or ces companion answer names the answer it completes "
                         "(expected \"metric\": \"csat\" or \"ces\")");
    }
    if (!answer_id->is_string() || !is_uuid(answer_id->get<std::string>())) {
      return field_error(
          error_code::invalid_record, "answer_id",
          quote(*answer_id) + " is not a UUID (expected the id of the NPS answer it completes)");
    }
    out.answer_id = text::ascii_lower(answer_id->get<std::string>());
    if (out.answer_id == out.id) {
      return field_error(error_code::invalid_record, "answer_id",
                         "names the payload's own id (expected the id of the NPS answer)");
    }
    payload["answer_id"] = out.answer_id;
  }

  if (const json* category_value = optional_member(payload, "category")) {
    if (out.type == record_type::dismissal) {
      return field_error(error_code::invalid_record, "category",
                         "a dismissal has no category (got " + quote(*category_value) + ")");
    }
    if (out.metric) {
      return field_error(error_code::invalid_record, "category",
                         std::string("only NPS answers have a category (got ") +
                             quote(*category_value) + " on a " + to_string(*out.metric) +
                             " answer)");
    }
    const char* expected = to_string(classify(out.score).value());
    if (!category_value->is_string() || category_value->get<std::string>() != expected) {
      return field_error(error_code::invalid_record, "category",
                         quote(*category_value) + " does not match score " +
                             std::to_string(out.score) + " (expected \"" + expected + "\")");
    }
  }

  struct text_field {
    const char* name;
    std::string* target;
  };
  for (const text_field& field :
       {text_field{"survey", &out.survey}, text_field{"comment", &out.comment},
        text_field{"submitted_at", &out.submitted_at}, text_field{"locale", &out.locale},
        text_field{"page", &out.page}}) {
    auto value = optional_text(payload, field.name);
    if (!value) return value.error();
    *field.target = std::move(*value);
  }

  if (out.submitted_at.empty() && optional_member(payload, "submitted_at") == nullptr &&
      !received_at.empty()) {
    out.submitted_at = std::string(received_at);
    payload["submitted_at"] = out.submitted_at;
  }
  if (optional_member(payload, "submitted_at") != nullptr &&
      !is_iso8601_timestamp(out.submitted_at)) {
    return field_error(error_code::invalid_record, "submitted_at",
                       quote(json(out.submitted_at)) +
                           " is not an ISO-8601 timestamp (expected e.g. "
                           "\"2026-11-22T10:15:00.000Z\")");
  }

  for (const auto& [name, target] :
       {std::pair<const char*, std::string*>{"user", &out.user}, {"properties", &out.properties}}) {
    auto checked = optional_object(payload, name);
    if (!checked) return checked.error();
    if (const json* value = optional_member(payload, name)) {
      *target = value->dump(-1, ' ', false, json::error_handler_t::replace);
    }
  }

  auto link_fields = read_link_fields(payload, out);
  if (!link_fields) return link_fields.error();

  out.segment = find_segment(payload);
  out.json = payload.dump(-1, ' ', false, json::error_handler_t::replace);
  return out;
}

}  // namespace npskit
