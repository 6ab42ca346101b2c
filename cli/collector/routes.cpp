#include "collector/routes.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <utility>

#include "arguments.h"
#include "collector/compression.h"
#include "collector/export.h"
#include "collector/invitation_routes.h"
#include "collector/public_summary.h"
#include "npskit/response.h"
#include "npskit/stats.h"
#include "npskit/summary.h"

namespace npskit::cli {

namespace {

using json = nlohmann::json;

void set_json(http_response& response, int status, const json& body) {
  response.status = status;
  response.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  response.set_header("Content-Type", "application/json");
}

// Errors name the field (or parameter, header, body) they are about; core
// messages already start with "field: ".
void set_error(http_response& response, int status, std::string_view code, std::string_view field,
               const std::string& message) {
  set_json(response, status, json{{"error", code}, {"field", field}, {"message", message}});
}

http_response error(int status, std::string_view code, std::string_view field,
                    const std::string& message) {
  http_response response;
  set_error(response, status, code, field, message);
  return response;
}

// The details of a storage failure (file names included) go to the log, not
// to the client.
http_response storage_error(std::string_view doing, const std::string& detail) {
  std::fprintf(stderr, "npskit serve: %.*s: %s\n", static_cast<int>(doing.size()), doing.data(),
               detail.c_str());
  return error(500, "storage_unavailable", "database",
               "database: the stored answers cannot be read right now; retry later");
}

std::string_view field_of(const std::string& message) {
  const std::size_t colon = message.find(": ");
  return colon == std::string::npos ? std::string_view("payload")
                                    : std::string_view(message).substr(0, colon);
}

bool is_api_path(const std::string& path) { return path.rfind("/api/", 0) == 0; }

// Repeated X-Forwarded-For headers count as one list (RFC 9110 section 5.3).
std::string forwarded_for_of(const http_request& request) {
  std::string joined;
  for (const http_header& field : request.headers) {
    if (ascii_lower(field.name) != "x-forwarded-for") continue;
    if (!joined.empty()) joined += ", ";
    joined += field.value;
  }
  return joined;
}

std::string payload_too_large(std::size_t limit) {
  return "body: larger than the limit of " + std::to_string(limit) + " bytes (--max-body)";
}

// A strong validator of a summary: the FNV-1a hash of its bytes. Equal
// summaries (nothing stored since) give equal tags, so a dashboard that polls
// with If-None-Match gets 304 and no body until something changes.
std::string entity_tag(std::string_view body) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : body) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  char text[24];
  std::snprintf(text, sizeof text, "\"%016llx\"", static_cast<unsigned long long>(hash));
  return text;
}

// If-None-Match (RFC 9110 section 13.1.2): "*", or a list of tags compared
// weakly (a W/ prefix is ignored).
bool matches_if_none_match(std::string_view header, std::string_view tag) {
  std::size_t start = 0;
  while (start < header.size()) {
    std::size_t end = header.find(',', start);
    if (end == std::string_view::npos) end = header.size();
    std::string_view item = header.substr(start, end - start);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item.rfind("W/", 0) == 0) item.remove_prefix(2);
    if (item == "*" || item == tag) return true;
    start = end + 1;
  }
  return false;
}

bool is_json_body(const http_request& request) {
  const std::string content_type = ascii_lower(request.header("Content-Type"));
  return content_type.substr(0, content_type.find(';')) == "application/json";
}

json inbox_entry_json(const inbox_entry& entry) {
  json user = nullptr;
  if (!entry.user.empty()) user = json::parse(entry.user, nullptr, false);
  if (user.is_discarded()) user = nullptr;
  return json{{"sequence", entry.sequence},
              {"id", entry.id},
              {"survey", entry.survey},
              {"score", entry.score},
              {"category", entry.category},
              {"comment", entry.comment},
              {"submitted_at", entry.submitted_at},
              {"received_at", entry.received_at},
              {"locale", entry.locale},
              {"page", entry.page},
              {"segment", entry.segment},
              {"user", user},
              {"status", entry.status},
              {"note", entry.note},
              {"channel", entry.channel},
              {"campaign", entry.campaign},
              {"contact", entry.contact}};
}

// The longest private note, in bytes: room for a real follow-up, not a file.
constexpr std::size_t max_note_bytes = 8000;
constexpr std::size_t max_inbox_page = 500;

}  // namespace

access_verdict collector_routes::judge(const http_request& request) const {
  const std::string forwarded_for = forwarded_for_of(request);
  const std::string host = request.header("Host");
  const std::string origin = request.header("Origin");
  const std::string authorization = request.header("Authorization");
  request_view view;
  view.method = request.method;
  view.path = request.path;
  view.host = host;
  view.origin = origin;
  view.has_origin = request.has_header("Origin");
  view.authorization = authorization;
  view.forwarded_for = forwarded_for;
  view.peer = request.peer;
  return state_.access.check(view);
}

bool collector_routes::admit(const http_request& request, http_response& response,
                             access_verdict* verdict) const {
  access_verdict judged = judge(request);
  for (const auto& [name, value] : judged.headers) response.set_header(name, value);
  if (!judged.allowed()) {
    set_error(response, judged.status, judged.code, judged.field, judged.message);
  }
  const bool allowed = judged.allowed();
  if (verdict != nullptr) *verdict = std::move(judged);
  return allowed;
}

http_response collector_routes::preflight(const http_request& request) const {
  http_response response;
  const bool is_preflight =
      request.has_header("Origin") && request.has_header("Access-Control-Request-Method");
  const bool posts = request.path == "/api/responses";
  const char* methods = posts ? "POST, OPTIONS" : "GET, HEAD, OPTIONS";
  if (!is_preflight) {
    response.status = 204;
    response.set_header("Allow", methods);
    return response;
  }
  if (!admit(request, response)) return response;
  const std::string method = request.header("Access-Control-Request-Method");
  const bool method_allowed = posts ? method == "POST" : (method == "GET" || method == "HEAD");
  if (!method_allowed) {
    set_error(response, 403, "method_not_allowed", "Access-Control-Request-Method",
              "Access-Control-Request-Method: " + printable(method) + " is not allowed on " +
                  printable(request.path) + " (allowed: " + methods + ")");
    return response;
  }
  response.status = 204;
  response.set_header("Access-Control-Allow-Methods", methods);
  const std::string headers = request.header("Access-Control-Request-Headers");
  // Any request header may accompany an answer (the widget lets sites add
  // their own); the collector reads none but Content-Type.
  if (!headers.empty()) response.set_header("Access-Control-Allow-Headers", headers);
  if (request.header("Access-Control-Request-Private-Network") == "true") {
    response.set_header("Access-Control-Allow-Private-Network", "true");
  }
  response.set_header("Access-Control-Max-Age", "600");
  response.set_header("Vary",
                      "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
  return response;
}

http_response collector_routes::post_answer(const http_request& request) {
  http_response response;
  if (!admit(request, response)) return response;
  // No JSON text holds a raw NUL; a parser that stopped at one would store
  // a different answer than the bytes that arrived.
  const std::size_t nul = request.body.find('\0');
  if (nul != std::string::npos) {
    set_error(response, 400, "parse_error", "body",
              "body: a NUL byte at offset " + std::to_string(nul) +
                  " (expected JSON text, which never contains one)");
    return response;
  }
  const std::string forwarded_for = forwarded_for_of(request);
  const long wait = state_.limiter.acquire(state_.access.client_key(request.peer, forwarded_for));
  if (wait > 0) {
    response.set_header("Retry-After", std::to_string(wait));
    set_error(response, 429, "rate_limited", "client",
              "client: more than the allowed answers per minute from this address; retry in " +
                  std::to_string(wait) + " s");
    return response;
  }
  // sendBeacon and no-preflight fetches send text/plain; the body is JSON
  // either way.
  const std::string content_type = ascii_lower(request.header("Content-Type"));
  const std::string media_type = content_type.substr(0, content_type.find(';'));
  if (!media_type.empty() && media_type != "application/json" && media_type != "text/plain") {
    set_error(response, 415, "unsupported_media_type", "Content-Type",
              "Content-Type: \"" + printable(request.header("Content-Type")) +
                  "\" is not accepted (expected application/json or text/plain)");
    return response;
  }

  const std::string received_at = utc_timestamp_now();
  auto parsed = parse_response(request.body, received_at);
  if (!parsed) {
    const bool malformed = parsed.error().code == error_code::parse_error;
    set_error(response, malformed ? 400 : 422, to_string(parsed.error().code),
              field_of(parsed.error().message), parsed.error().message);
    return response;
  }
  const contact_status contact =
      settle_contact(*parsed, state_.link_key ? &*state_.link_key : nullptr);
  const auto answered = [&](int status, const char* outcome) {
    json body{{"status", outcome}, {"id", parsed->id}};
    if (contact == contact_status::unverified) body["contact_status"] = "unverified";
    set_json(response, status, body);
  };
  switch (state_.store->store(*parsed, received_at)) {
    case store_outcome::stored:
      answered(201, "stored");
      break;
    case store_outcome::duplicate:
      answered(200, "duplicate");
      break;
    case store_outcome::already_answered:
      // One answer per contact and campaign: the first stands.
      answered(200, "already_answered");
      break;
    case store_outcome::failed:
      // The widget retries; the database may be restarting.
      response.set_header("Retry-After", "2");
      set_error(response, 503, "storage_unavailable", "payload",
                "payload: the answer could not be stored; retry later");
      break;
  }
  return response;
}

bool collector_routes::read_filter(const http_request& request, http_response& response,
                                   row_filter& filter) const {
  filter.survey = request.param("survey").value_or("");
  filter.from = request.param("from").value_or("");
  filter.to = request.param("to").value_or("");
  for (const auto& [name, value] :
       {std::pair<const char*, const std::string*>{"from", &filter.from}, {"to", &filter.to}}) {
    if (!value->empty() && !is_calendar_date(*value)) {
      set_error(response, 400, "invalid_parameter", name,
                std::string(name) + ": \"" + printable(*value) +
                    "\" is not a date (expected YYYY-MM-DD)");
      return false;
    }
  }
  return true;
}

http_response collector_routes::get_summary(const http_request& request) const {
  http_response response;
  access_verdict verdict;
  if (!admit(request, response, &verdict)) return response;
  row_filter filter;
  if (!read_filter(request, response, filter)) return response;
  if (verdict.public_form) {
    for (const char* name : {"from", "to"}) {
      if (!public_summary_allows_parameter(name) && request.param(name)) {
        set_error(response, 400, "invalid_parameter", name,
                  std::string(name) +
                      ": date ranges need the admin token (the public summary covers every "
                      "date; group by day, week or month instead)");
        return response;
      }
    }
  }
  group_by by = group_by::none;
  std::optional<origin_dimension> origin;
  if (const auto text = request.param("by"); text && !text->empty()) {
    origin = parse_origin_dimension(*text);
    auto parsed = origin ? result<group_by>(group_by::segment) : parse_group_by(*text);
    if (!parsed) {
      set_error(response, 400, "invalid_parameter", "by",
                "by: \"" + printable(*text) +
                    "\" is not a grouping (expected none, segment, day, week, month, channel or "
                    "campaign)");
      return response;
    }
    by = *parsed;
  }
  summary_options options;
  if (const auto text = request.param("method")) {
    auto method = parse_interval_method(*text);
    if (!method) {
      set_error(response, 400, "invalid_parameter", "method", "method: " + method.error().message);
      return response;
    }
    options.method = *method;
  }
  if (const auto text = request.param("confidence")) {
    char* end = nullptr;
    const double confidence = std::strtod(text->c_str(), &end);
    if (text->empty() || end != text->c_str() + text->size() ||
        !(confidence > 0 && confidence < 1)) {
      set_error(response, 400, "invalid_parameter", "confidence",
                "confidence: \"" + printable(*text) +
                    "\" is not a level (expected a number between 0 and 1, e.g. 0.95)");
      return response;
    }
    options.confidence = confidence;
  }

  if (const auto text = request.param("themes")) {
    // As `npskit summarize --themes N`; 0 skips reading the comments.
    auto themes = parse_whole_number("themes", *text);
    if (!themes || *themes > 100) {
      set_error(response, 400, "invalid_parameter", "themes",
                "themes: \"" + printable(*text) +
                    "\" is not a theme count (expected a whole number 0..100)");
      return response;
    }
    options.themes_per_category = static_cast<std::size_t>(*themes);
  }

  bool storage_failure = false;
  auto summarized = summarize_stored(*state_.store, summary_request{filter, by, origin, options},
                                     storage_failure, &state_.themes);
  if (!summarized) {
    if (storage_failure) return storage_error("summary", summarized.error().message);
    set_error(response, 400, "invalid_parameter", field_of(summarized.error().message),
              summarized.error().message);
    return response;
  }
  response.status = 200;
  if (verdict.public_form) {
    auto public_form =
        make_public_summary(std::move(*summarized), state_.access.min_group(), options);
    if (!public_form) {
      set_error(response, 400, "invalid_parameter", field_of(public_form.error().message),
                public_form.error().message);
      return response;
    }
    response.body = to_json(*public_form);
    if (origin) response.body = label_origin_summary(response.body, *origin, -1);
    response.set_header("Content-Type", "application/json");
    return response;
  }
  response.body = to_json(*summarized);
  if (origin) response.body = label_origin_summary(response.body, *origin, -1);
  if (origin == origin_dimension::campaign) {
    response.body = add_response_rates(*state_.store, filter.survey, response.body);
  }
  response.set_header("Content-Type", "application/json");
  const std::string tag = entity_tag(response.body);
  response.set_header("ETag", tag);
  response.set_header("Cache-Control", "no-cache");
  if (matches_if_none_match(request.header("If-None-Match"), tag)) {
    response.status = 304;
    response.body.clear();
  }
  return response;
}

http_response collector_routes::get_export(const http_request& request, bool csv) const {
  http_response response;
  if (!admit(request, response)) return response;
  row_filter filter;
  if (!read_filter(request, response, filter)) return response;
  auto opened = state_.store->open_rows(filter);
  if (!opened) return storage_error("export", opened.error().message);
  const export_format format = csv ? export_format::csv : export_format::jsonl;
  response.status = 200;
  response.set_header("Content-Type", export_content_type(format));
  response.set_header("Content-Disposition", csv ? "attachment; filename=\"responses.csv\""
                                                 : "attachment; filename=\"responses.jsonl\"");
  response.set_header("Cache-Control", "no-store");
  // Shared by the producer's calls for one response; released when it ends.
  struct export_stream {
    std::unique_ptr<row_cursor> cursor;
    bool header_pending = true;
    bool ended = false;  // a cursor read past its end would start over
  };
  auto stream = std::make_shared<export_stream>();
  stream->cursor = std::move(*opened);
  response.producer = [stream, format](std::string& piece) {
    constexpr std::size_t piece_size = std::size_t{64} * 1024;
    if (stream->header_pending) {
      piece = export_header(format);
      stream->header_pending = false;
    }
    while (!stream->ended && piece.size() < piece_size) {
      auto row = stream->cursor->next();
      if (!row) {
        // A read failure mid-stream can no longer change the status: abort,
        // so the client sees a truncated transfer, not a short file.
        if (!stream->cursor->error().empty()) {
          std::fprintf(stderr, "npskit serve: export: %s\n", stream->cursor->error().c_str());
          return false;
        }
        stream->ended = true;
        break;
      }
      if (!append_export_row(format, *row, piece)) return false;
    }
    return true;
  };
  if (accepts_encoding(request.header("Accept-Encoding"), "gzip")) {
    response.set_header("Content-Encoding", "gzip");
    auto gzip = std::make_shared<gzip_stream>();
    auto finished = std::make_shared<bool>(false);
    response.producer = [plain = std::move(response.producer), gzip, finished](std::string& piece) {
      // Until the plain export ends, a piece may compress to nothing yet;
      // the loop keeps an empty piece meaning "the end".
      while (piece.empty() && !*finished) {
        std::string text;
        if (!plain(text)) return false;
        *finished = text.empty();
        piece = gzip->compress(text, *finished);
      }
      return true;
    };
  }
  const std::string vary = response.header("Vary");
  response.set_header("Vary", vary.empty() ? "Accept-Encoding" : vary + ", Accept-Encoding");
  return response;
}

http_response collector_routes::get_surveys(const http_request& request) const {
  http_response response;
  if (!admit(request, response)) return response;
  auto surveys = state_.store->read_surveys();
  if (!surveys) return storage_error("surveys", surveys.error().message);
  json list = json::array();
  for (const survey_totals& survey : *surveys) {
    list.push_back(json{
        {"survey", survey.survey}, {"answers", survey.answers}, {"dismissals", survey.dismissals}});
  }
  set_json(response, 200, json{{"surveys", std::move(list)}});
  response.set_header("Cache-Control", "no-store");
  return response;
}

http_response collector_routes::get_inbox(const http_request& request) const {
  http_response response;
  if (!admit(request, response)) return response;
  row_filter dates;
  if (!read_filter(request, response, dates)) return response;
  inbox_filter filter;
  filter.survey = std::move(dates.survey);
  filter.from = std::move(dates.from);
  filter.to = std::move(dates.to);
  filter.category = request.param("category").value_or("");
  filter.segment = request.param("segment").value_or("");
  filter.text = request.param("text").value_or("");
  filter.campaign = request.param("campaign").value_or("");
  if (const auto channel = request.param("channel"); channel && !channel->empty()) {
    if (*channel != "web" && *channel != "link" && *channel != "email") {
      set_error(response, 400, "invalid_parameter", "channel",
                "channel: \"" + printable(*channel) +
                    "\" is not a channel (expected web, link or email)");
      return response;
    }
    filter.channel = *channel;
  }
  if (const auto status = request.param("status"); status && !status->empty()) {
    auto parsed = parse_follow_up_status(*status);
    if (!parsed) {
      set_error(response, 400, "invalid_parameter", "status", parsed.error().message);
      return response;
    }
    filter.status = std::move(*parsed);
  }
  const struct {
    const char* name;
    std::uint64_t high;
    const char* expected;
  } numbers[] = {{"score", 10, "a score 0..10"},
                 {"before", INT64_MAX, "a sequence number from an earlier page"},
                 {"limit", max_inbox_page, "a page size 1..500"}};
  for (const auto& number : numbers) {
    const auto text = request.param(number.name);
    if (!text || text->empty()) continue;
    auto parsed = parse_whole_number(number.name, *text);
    if (!parsed || *parsed > number.high ||
        (std::string_view(number.name) == "limit" && *parsed == 0)) {
      set_error(
          response, 400, "invalid_parameter", number.name,
          std::string(number.name) + ": \"" + printable(*text) + "\" is not " + number.expected);
      return response;
    }
    if (std::string_view(number.name) == "score") filter.score = static_cast<int>(*parsed);
    if (std::string_view(number.name) == "before") {
      filter.before = static_cast<std::int64_t>(*parsed);
    }
    if (std::string_view(number.name) == "limit") filter.limit = *parsed;
  }
  auto page = state_.store->read_inbox(filter);
  if (!page) {
    if (page.error().message.rfind("category: ", 0) == 0) {
      set_error(response, 400, "invalid_parameter", "category", page.error().message);
      return response;
    }
    return storage_error("inbox", page.error().message);
  }
  json entries = json::array();
  for (const inbox_entry& entry : page->entries) entries.push_back(inbox_entry_json(entry));
  set_json(response, 200,
           json{{"entries", std::move(entries)},
                {"next_before", page->next_before > 0 ? json(page->next_before) : json(nullptr)}});
  response.set_header("Cache-Control", "no-store");
  return response;
}

http_response collector_routes::patch_answer(const http_request& request, const std::string& id) {
  http_response response;
  if (!admit(request, response)) return response;
  if (!is_json_body(request)) {
    set_error(response, 415, "unsupported_media_type", "Content-Type",
              "Content-Type: \"" + printable(request.header("Content-Type")) +
                  "\" is not accepted (expected application/json)");
    return response;
  }
  const json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    set_error(response, 400, "parse_error", "body",
              "body: not a JSON object (expected {\"status\": ..., \"note\": ...})");
    return response;
  }
  std::optional<std::string> status;
  std::optional<std::string> note;
  for (const auto& [key, value] : body.items()) {
    if (key != "status" && key != "note") {
      set_error(response, 422, "invalid_record", key,
                printable(key) + ": not a follow-up field (expected status or note)");
      return response;
    }
    if (!value.is_string()) {
      set_error(response, 422, "invalid_record", key, key + ": expected a string");
      return response;
    }
    if (key == "status") {
      auto parsed = parse_follow_up_status(value.get<std::string>());
      if (!parsed) {
        set_error(response, 422, "invalid_record", "status", parsed.error().message);
        return response;
      }
      status = std::move(*parsed);
    } else {
      note = value.get<std::string>();
      if (note->size() > max_note_bytes) {
        set_error(response, 422, "invalid_record", "note",
                  "note: " + std::to_string(note->size()) + " bytes, more than the " +
                      std::to_string(max_note_bytes) + " a note may hold");
        return response;
      }
    }
  }
  auto saved = state_.store->set_follow_up(id, status, note);
  if (!saved) return storage_error("follow-up", saved.error().message);
  if (!saved->has_value()) {
    set_error(response, 404, "not_found", "id",
              "id: no stored answer has the id \"" + printable(id) + "\"");
    return response;
  }
  const follow_up& value = **saved;
  set_json(response, 200,
           json{{"id", id},
                {"status", value.status},
                {"note", value.note},
                {"updated_at", value.updated_at}});
  return response;
}

// Erasure is logged with what was asked and how many answers went, never
// with their content or the user's id.
http_response collector_routes::erase(const http_request& request, const std::string& id) {
  http_response response;
  if (!admit(request, response)) return response;
  result<std::size_t> erased = std::size_t{0};
  if (!id.empty()) {
    erased = state_.store->erase_answer(id);
  } else {
    const auto user = request.param("user");
    if (!user || user->empty()) {
      set_error(response, 400, "invalid_parameter", "user",
                "user: missing (DELETE /api/responses?user=ID erases every answer of that "
                "user.id; DELETE /api/responses/{id} erases one answer)");
      return response;
    }
    erased = state_.store->erase_user(*user);
  }
  if (!erased) return storage_error("erasure", erased.error().message);
  state_.themes.clear();
  std::fprintf(stderr, "npskit serve: erasure: %zu %s removed (%s)\n", *erased,
               *erased == 1 ? "answer" : "answers", id.empty() ? "by user" : "by id");
  if (!id.empty() && *erased == 0) {
    set_error(response, 404, "not_found", "id",
              "id: no stored answer has the id \"" + printable(id) + "\"");
    return response;
  }
  set_json(response, 200, json{{"erased", *erased}});
  return response;
}

http_response collector_routes::serve_admin(const http_request& request) const {
  if (state_.options.admin_root.empty()) {
    http_response response;
    response.status = 404;
    response.body =
        "Not found: the dashboard's files are not built (./run build writes dist/admin) or not "
        "where npskit looks (start it with --admin-root DIR).\n";
    response.set_header("Content-Type", "text/plain; charset=utf-8");
    return response;
  }
  if (request.path == "/admin") {
    http_response response;
    response.status = 308;
    response.set_header("Location", "/admin/");
    return response;
  }
  http_request inside = request;
  inside.path = request.path.substr(std::string_view("/admin").size());
  http_response response = state_.admin_files.serve(inside);
  // The sign-in page handles the admin token: no other site may frame it or
  // learn where it was opened from.
  response.set_header("Referrer-Policy", "no-referrer");
  return response;
}

// /s/SURVEY is the survey page itself, /s/assets/... what it loads. Only a
// static file is read: opening a link never records anything.
http_response collector_routes::serve_survey_page(const http_request& request) const {
  const std::string_view rest =
      std::string_view(request.path).substr(std::string_view("/s/").size());
  http_request inside = request;
  if (rest.rfind("assets/", 0) == 0) {
    inside.path = "/" + std::string(rest);
  } else if (!rest.empty() && rest.find('/') == std::string_view::npos) {
    inside.path = "/index.html";
  } else {
    return error(404, "not_found", "path",
                 "path: " + printable(request.path) + " names no survey (expected /s/SURVEY)");
  }
  if (state_.options.survey_root.empty()) {
    http_response response;
    response.status = 404;
    response.body =
        "Not found: the survey page is not built (./run build writes dist/survey) or not where "
        "npskit looks (start it with --survey-root DIR).\n";
    response.set_header("Content-Type", "text/plain; charset=utf-8");
    return response;
  }
  http_response response = state_.survey_files.serve(inside);
  if (inside.path == "/index.html") {
    // Its own script, its styles, the locale files and this collector's
    // /api/responses: nothing else. The link's query holds a signature, so
    // no Referer leaves the page.
    response.set_header("Content-Security-Policy",
                        "default-src 'none'; script-src 'self'; style-src 'self'; "
                        "connect-src 'self'; base-uri 'none'; form-action 'none'; "
                        "frame-ancestors 'none'");
    response.set_header("Referrer-Policy", "no-referrer");
  }
  return response;
}

http_response collector_routes::refuse(const http_request& request, int status,
                                       std::string_view code, std::string_view field,
                                       const std::string& message) {
  http_response response;
  // The widget must be able to read a 413 from another origin, so the
  // policy's CORS headers come along.
  for (const auto& [name, value] : judge(request).headers) response.set_header(name, value);
  set_error(response, status, code, field,
            status == 413 ? payload_too_large(state_.options.max_body) : message);
  return response;
}

std::optional<http_response> collector_routes::screen(const http_request& request) {
  // A wrong Host (DNS rebinding), an Origin that may not do this, a read
  // without the admin token: refused whatever the path, before any body.
  http_response refused;
  if (admit(request, refused)) return std::nullopt;
  return refused;
}

http_response collector_routes::handle(const http_request& request) {
  const std::string& path = request.path;
  const std::string& method = request.method;
  const bool reads = method == "GET" || method == "HEAD";
  if (method == "OPTIONS") {
    if (is_api_path(path)) return preflight(request);
    http_response response;
    response.status = 204;
    response.set_header("Allow", "GET, HEAD, OPTIONS");
    return response;
  }
  constexpr std::string_view answer_prefix = "/api/responses/";
  if (path.rfind(answer_prefix, 0) == 0 &&
      path.find('/', answer_prefix.size()) == std::string::npos &&
      path.size() > answer_prefix.size()) {
    const std::string id = ascii_lower(std::string_view(path).substr(answer_prefix.size()));
    if (method == "PATCH") return patch_answer(request, id);
    if (method == "DELETE") return erase(request, id);
    http_response response =
        error(405, "method_not_allowed", "method",
              "method: " + printable(method) + " is not allowed on " + printable(path) +
                  " (PATCH its follow-up or DELETE the answer)");
    response.set_header("Allow", "PATCH, DELETE");
    return response;
  }
  // Invitations and unsubscribes (invitation_routes.h).
  if (path == "/unsubscribe") return unsubscribe(state_, request);
  if (path == "/api/invitations") {
    if (method == "POST") return post_invitation(state_, request);
    http_response response =
        error(405, "method_not_allowed", "method",
              "method: " + printable(method) +
                  " is not allowed on /api/invitations (POST one; read them per campaign from "
                  "/api/campaigns)");
    response.set_header("Allow", "POST");
    return response;
  }
  if (path == "/api/campaigns" && reads) return get_campaigns(state_, request);
  if (path == "/api/responses") {
    if (method == "POST") return post_answer(request);
    if (method == "DELETE") return erase(request, "");
    http_response response = error(405, "method_not_allowed", "method",
                                   "method: " + printable(method) +
                                       " is not allowed on /api/responses (POST an answer; read "
                                       "them from /api/responses.csv or /api/responses.jsonl; "
                                       "DELETE ?user=ID erases a user's answers)");
    response.set_header("Allow", "POST, DELETE, OPTIONS");
    return response;
  }
  if (reads) {
    if (path == "/api/health") {
      http_response response;
      if (!admit(request, response)) return response;
      // Degraded from a failed commit until one succeeds, so that a monitor
      // sees answers being lost.
      if (state_.store->degraded()) {
        set_json(response, 503, json{{"status", "degraded"}});
      } else {
        set_json(response, 200, json{{"status", "ok"}});
      }
      return response;
    }
    if (path == "/api/summary") return get_summary(request);
    if (path == "/api/surveys") return get_surveys(request);
    if (path == "/api/inbox") return get_inbox(request);
    if (path == "/admin" || path.rfind("/admin/", 0) == 0) return serve_admin(request);
    if (path.rfind("/s/", 0) == 0) return serve_survey_page(request);
    if (path == "/api/responses.csv") return get_export(request, true);
    if (path == "/api/responses.jsonl") return get_export(request, false);
    if (is_api_path(path)) {
      return error(404, "not_found", "path",
                   "path: " + printable(path) + " is not an API endpoint");
    }
    return state_.files.serve(request);
  }
  const bool post = method == "POST";
  http_response response =
      error(post ? 404 : 405, post ? "not_found" : "method_not_allowed", "path",
            "path: " + printable(path) + " accepts no " + printable(method) +
                " (answers are POSTed to /api/responses)");
  if (!post) response.set_header("Allow", "GET, HEAD, OPTIONS");
  return response;
}

}  // namespace npskit::cli
