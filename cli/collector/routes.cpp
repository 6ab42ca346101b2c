#include "collector/routes.h"

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <utility>

#include "arguments.h"
#include "collector/compression.h"
#include "collector/export.h"
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
  switch (state_.store->store(*parsed, received_at)) {
    case store_outcome::stored:
      set_json(response, 201, json{{"status", "stored"}, {"id", parsed->id}});
      break;
    case store_outcome::duplicate:
      set_json(response, 200, json{{"status", "duplicate"}, {"id", parsed->id}});
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
  if (const auto text = request.param("by"); text && !text->empty()) {
    auto parsed = parse_group_by(*text);
    if (!parsed) {
      set_error(response, 400, "invalid_parameter", "by",
                "by: \"" + printable(*text) +
                    "\" is not a grouping (expected none, segment, day, week or month)");
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
  auto summarized = summarize_stored(*state_.store, summary_request{filter, by, options},
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
    response.set_header("Content-Type", "application/json");
    return response;
  }
  response.body = to_json(*summarized);
  response.set_header("Content-Type", "application/json");
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
  if (path == "/api/responses") {
    if (method == "POST") return post_answer(request);
    http_response response = error(405, "method_not_allowed", "method",
                                   "method: " + printable(method) +
                                       " is not allowed on /api/responses (POST an answer; read "
                                       "them from /api/responses.csv or /api/responses.jsonl)");
    response.set_header("Allow", "POST, OPTIONS");
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
