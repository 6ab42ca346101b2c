// Validation of one widget answer as posted (npskit.response/1). It lives in
// the core so that the collector and browser code built on the WebAssembly
// core accept exactly the same answers and word their refusals the same way.
#ifndef NPSKIT_RESPONSE_H
#define NPSKIT_RESPONSE_H

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "npskit/rating.h"
#include "npskit/reader.h"
#include "npskit/result.h"

namespace npskit {

// The schema tag every payload carries (an absent tag is read as this one).
inline constexpr std::string_view response_schema = "npskit.response/1";

// Nesting deeper than this (objects and arrays) is refused before parsing, so
// hostile input cannot exhaust the stack of a recursive consumer.
inline constexpr std::size_t max_response_depth = 32;

// One validated answer. Text fields hold the payload's strings unchanged;
// optional fields are empty when absent or null.
struct response {
  std::string id;  // the idempotency key, lower-cased canonical UUID
  record_type type = record_type::response;
  std::string survey;
  // The scale score is on: "metric" absent, null or "nps" is NPS (0..10);
  // "csat" (1..5) or "ces" (1..7) is a survey that asked only that question,
  // or, with answer_id, the companion answer completing an NPS answer.
  std::optional<rating_metric> metric;
  int score = -1;         // on the metric's scale for a response, -1 for a dismissal
  int csat = 0;           // 1..5 when an NPS answer carries a CSAT rating too, else 0
  int ces = 0;            // 1..7 likewise for CES
  std::string answer_id;  // a companion: the id of the NPS answer it completes
  std::string comment;
  std::string submitted_at;  // ISO-8601 date or timestamp as sent
  std::string locale;
  std::string page;
  std::string segment;     // "segment" at the top level or in "properties"
  std::string user;        // the "user" object as compact JSON; "" when absent
  std::string properties;  // the "properties" object as compact JSON; "" when absent
  // Where the answer came from: "web" (the widget; also when absent or null),
  // "link" (a shared survey link) or "email" (a link in an invitation).
  std::string channel = "web";
  std::string campaign;  // trimmed, 1..100 characters; "" when absent
  std::string contact;   // a personal link's contact id, 1..200 characters; "" when absent
  std::string sig;       // a personal link's signature (base64url); "" when absent
  // The whole payload as compact JSON: every field, known or not, in the
  // order sent, with "id" lower-cased. Readers (JSONL) accept it unchanged.
  std::string json;
};

// Parses and validates one payload. Errors:
//   parse_error    - not JSON (with the byte offset), not UTF-8, or nested
//                    deeper than max_response_depth;
//   invalid_record - well-formed but unusable; the message starts with the
//                    field name: `id: "abc" is not a UUID ...`;
//   invalid_score  - `score: 11 is outside 0..10`, `csat must be an integer
//                    from 1 to 5 (got 6)` and friends.
// Companion and single-metric payloads (npskit.response/1 as extended for
// CSAT and CES): "metric" is "nps", "csat" or "ces"; a csat/ces answer has
// its rating in "score", no "category", no "csat"/"ces" fields, and may name
// the NPS answer it completes in "answer_id" (a UUID other than its own id).
// An NPS answer may carry "csat" (1..5) and "ces" (1..7) next to "score".
// Link and e-mail answers: "channel" is "web", "link" or "email";
// "campaign" (1..100 characters once trimmed, stored trimmed) and "contact"
// (1..200 characters) hold no control characters; "sig" is base64url. The
// signature is not checked here: only the collector holds the key.
// When the payload has no submitted_at (or null) and received_at is given,
// received_at takes its place, in the struct and in json.
result<response> parse_response(std::string_view json, std::string_view received_at = {});

// Depth of the deepest object/array in JSON text (0 for a scalar), counted
// without parsing; brackets inside strings do not count.
std::size_t json_nesting_depth(std::string_view json);

// True for "2026-11-22", "2026-11-22T10:15:00.000Z", "2026-11-22 10:15+02:00"
// and the like: a valid calendar date from year 0001, optionally a time of
// day (seconds and fraction optional) and a "Z" or +hh:mm offset. The same
// parser reads dates for periods, so every stored date can be bucketed.
bool is_iso8601_timestamp(std::string_view text);

}  // namespace npskit

#endif  // NPSKIT_RESPONSE_H
