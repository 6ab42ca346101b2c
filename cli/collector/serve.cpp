// `npskit serve`: the HTTP side of the reference collector.
#include <httplib.h>
#include <pthread.h>
#include <sys/socket.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "arguments.h"
#include "collector/access.h"
#include "collector/collector.h"
#include "collector/export.h"
#include "collector/public_summary.h"
#include "collector/rate_limiter.h"
#include "collector/static_files.h"
#include "collector/store.h"
#include "npskit/aggregate.h"
#include "npskit/reader.h"
#include "npskit/response.h"
#include "npskit/stats.h"
#include "npskit/summary.h"

namespace npskit::cli {
namespace {

using httplib::Request;
using httplib::Response;
using json = nlohmann::json;

struct serve_options {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string db = "npskit.db";
  std::string root;
  std::vector<std::string> allowed_origins;  // lower-case; "*" admits any
  std::size_t max_body = 16384;
  double rate_per_minute = 600;
  synchronous_mode synchronous = synchronous_mode::full;
  std::size_t threads = 64;
  access_options access;
};

const std::vector<option_spec>& serve_option_table() {
  static const std::vector<option_spec> table = {
      {"--host", option_arity::single, "ADDRESS", "address to listen on (default 127.0.0.1)"},
      {"--port", option_arity::single, "PORT", "port; 0 picks a free one (default 8080)"},
      {"--db", option_arity::single, "FILE", "SQLite database, created if missing (npskit.db)"},
      {"--root", option_arity::single, "DIR", "folder served as static files (default: none)"},
      {"--allow-origin", option_arity::repeated, "ORIGIN",
       "origin allowed to post and read (https://example.com, or *)"},
      {"--max-body", option_arity::single, "BYTES",
       "largest accepted request body (default 16384)"},
      {"--rate", option_arity::single, "N/min",
       "answers per client IP; 0 = no limit (default 600/min)"},
      {"--synchronous", option_arity::single, "FULL|NORMAL",
       "FULL (default) survives power loss; NORMAL a process crash"},
      {"--threads", option_arity::single, "N", "connections served at once (default 64)"},
      {"--admin-token-file", option_arity::single, "FILE",
       "token that reads of answers need; created if missing"},
      {"--public-summary", option_arity::flag, "",
       "/api/summary readable without the token, aggregates only"},
      {"--min-group", option_arity::single, "N",
       "smallest group the public summary shows (default 5)"},
      {"--proxy", option_arity::single, "ADDRESS",
       "trusted reverse proxy; its X-Forwarded-For names the client"},
      {"--help", option_arity::flag, "", "show this help"},
  };
  return table;
}

void print_serve_usage(std::FILE* stream) {
  std::fprintf(stream,
               "usage: npskit serve [--host ADDRESS] [--port PORT] [--db FILE] [--root DIR]\n"
               "                    [--allow-origin ORIGIN]... [--max-body BYTES] [--rate N/min]\n"
               "                    [--synchronous FULL|NORMAL] [--threads N]\n"
               "                    [--admin-token-file FILE] [--public-summary] [--min-group N]\n"
               "                    [--proxy ADDRESS]\n\n"
               "The reference collector: receives widget answers on POST /api/responses, stores\n"
               "them in SQLite (WAL), answers GET /api/summary, /api/responses.csv,\n"
               "/api/responses.jsonl and /api/health, and serves --root as static files.\n\n");
  for (const option_spec& option : serve_option_table()) {
    std::string left(option.name);
    if (!option.value_name.empty()) left += " " + std::string(option.value_name);
    std::fprintf(stream, "  %-26s %.*s\n", left.c_str(), static_cast<int>(option.help.size()),
                 option.help.data());
  }
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// scheme://host[:port] with nothing after it, as browsers send in Origin.
result<std::string> parse_origin(std::string_view text) {
  if (text == "*") return std::string("*");
  const std::string origin = lower(text);
  const std::size_t scheme_end = origin.find("://");
  const bool valid =
      scheme_end != std::string::npos &&
      (origin.compare(0, scheme_end, "http") == 0 || origin.compare(0, scheme_end, "https") == 0) &&
      origin.size() > scheme_end + 3 &&
      origin.find_first_of("/?#@ ", scheme_end + 3) == std::string::npos;
  if (!valid) {
    return make_error(error_code::invalid_argument,
                      "--allow-origin: \"" + std::string(text) +
                          "\" is not an origin (expected scheme://host[:port] with no path, "
                          "e.g. https://example.com, or *)");
  }
  return origin;
}

result<serve_options> read_serve_options(const parsed_arguments& parsed) {
  serve_options options;
  if (!parsed.operands().empty()) {
    return make_error(error_code::invalid_argument,
                      "unexpected argument \"" + parsed.operands().front() + "\"");
  }
  if (auto host = parsed.value("--host")) options.host = *host;
  if (auto port = parsed.value("--port")) {
    auto number = parse_whole_number("--port", *port);
    if (!number) return number.error();
    if (*number > 65535) {
      return make_error(error_code::invalid_argument,
                        "--port: " + *port + " is not a port (expected 0..65535)");
    }
    options.port = static_cast<int>(*number);
  }
  if (auto db = parsed.value("--db")) options.db = *db;
  if (auto root = parsed.value("--root")) {
    std::error_code failure;
    const auto canonical = std::filesystem::canonical(*root, failure);
    if (failure || !std::filesystem::is_directory(canonical, failure)) {
      return make_error(error_code::invalid_argument,
                        "--root: \"" + *root + "\" is not a folder (build the demo first?)");
    }
    options.root = canonical.string();
  }
  for (const std::string& value : parsed.values("--allow-origin")) {
    auto origin = parse_origin(value);
    if (!origin) return origin.error();
    options.allowed_origins.push_back(*origin);
  }
  if (auto max_body = parsed.value("--max-body")) {
    auto number = parse_whole_number("--max-body", *max_body);
    if (!number) return number.error();
    if (*number < 64 || *number > (64u << 20)) {
      return make_error(
          error_code::invalid_argument,
          "--max-body: " + *max_body + " is out of range (expected 64..67108864 bytes)");
    }
    options.max_body = static_cast<std::size_t>(*number);
  }
  if (auto rate = parsed.value("--rate")) {
    auto per_minute = parse_rate(*rate);
    if (!per_minute) return per_minute.error();
    options.rate_per_minute = *per_minute;
  }
  if (auto mode = parsed.value("--synchronous")) {
    auto synchronous = parse_synchronous_mode(*mode);
    if (!synchronous) return synchronous.error();
    options.synchronous = *synchronous;
  }
  if (auto threads = parsed.value("--threads")) {
    auto number = parse_whole_number("--threads", *threads);
    if (!number) return number.error();
    if (*number < 2 || *number > 1024) {
      return make_error(error_code::invalid_argument,
                        "--threads: " + *threads + " is out of range (expected 2..1024)");
    }
    options.threads = static_cast<std::size_t>(*number);
  }
  auto access = read_access_options(parsed);
  if (!access) return access.error();
  options.access = std::move(*access);
  return options;
}

// --- responses -------------------------------------------------------------------

void send_json(Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

// Errors name the field (or parameter, header, body) they are about; core
// messages already start with "field: ".
void send_error(Response& res, int status, std::string_view code, std::string_view field,
                const std::string& message) {
  send_json(res, status, json{{"error", code}, {"field", field}, {"message", message}});
}

std::string_view field_of(const std::string& message) {
  const std::size_t colon = message.find(": ");
  return colon == std::string::npos ? std::string_view("payload")
                                    : std::string_view(message).substr(0, colon);
}

bool is_api_path(const std::string& path) { return path.rfind("/api/", 0) == 0; }

// Reason phrases of the errors httplib raises on its own.
const char* reason_phrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 413:
      return "Payload Too Large";
    case 414:
      return "URI Too Long";
    case 416:
      return "Range Not Satisfiable";
    case 431:
      return "Request Header Fields Too Large";
    default:
      return status >= 500 ? "Internal Server Error" : "Client Error";
  }
}

// --- request log ---------------------------------------------------------------------

// Set when routing starts; requests refused before that (a malformed request
// line) are logged without a duration.
thread_local std::chrono::steady_clock::time_point request_started{};

// Paths arrive percent-decoded; escape what could forge a second log line or
// a terminal sequence.
std::string printable_path(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (const char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F || c == ' ') {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", byte);
      out += escaped;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void log_request(const Request& req, const Response& res) {
  std::string line = utc_timestamp_now() + " " + printable_path(req.method) + " " +
                     printable_path(req.path.empty() ? req.target : req.path) + " " +
                     std::to_string(res.status) + " ";
  if (request_started == std::chrono::steady_clock::time_point{}) {
    line += "-";
  } else {
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                                request_started)
                          .count();
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.2fms", ms);
    line += duration;
  }
  request_started = {};
  line.push_back('\n');
  // One write per line keeps lines from concurrent requests whole.
  std::fwrite(line.data(), 1, line.size(), stderr);
}

// --- the collector ------------------------------------------------------------------

class collector {
 public:
  // `admin_token` empty: none (reads open to this machine only).
  collector(serve_options options, std::unique_ptr<answer_store> store, std::string admin_token)
      : options_(std::move(options)),
        store_(std::move(store)),
        access_(options_.host, std::move(admin_token), options_.allowed_origins, options_.access),
        limiter_(options_.rate_per_minute),
        files_(options_.root) {}

  void install(httplib::Server& server);
  answer_store& store() { return *store_; }

 private:
  // Judges the request by the access policy (Host, Origin, admin token):
  // adds the headers it asks for (CORS, WWW-Authenticate) and answers a
  // refusal. Returns false when refused.
  bool admit(const Request& req, Response& res, access_verdict* verdict = nullptr) const;

  void preflight(const Request& req, Response& res) const;
  // A body up to this size is read (and dropped) past the limit so that the
  // client hears the 413 on a connection still in step.
  std::size_t body_drain_limit() const { return options_.max_body * 16; }
  enum class body_outcome { complete, too_large, incomplete };
  body_outcome read_body(const Request& req, Response& res,
                         const httplib::ContentReader& content_reader, std::string& body) const;
  void post_response(const Request& req, Response& res,
                     const httplib::ContentReader& content_reader);
  void get_summary(const Request& req, Response& res) const;
  void get_export(const Request& req, Response& res, export_format format) const;
  bool read_filter(const Request& req, Response& res, row_filter& filter) const;

  serve_options options_;
  std::unique_ptr<answer_store> store_;
  access_policy access_;
  rate_limiter limiter_;
  static_files files_;
};

// --- access policy wiring ------------------------------------------------------------

std::string_view header_of(const Request& req, const char* name) {
  const auto found = req.headers.find(name);
  return found == req.headers.end() ? std::string_view() : std::string_view(found->second);
}

// Repeated X-Forwarded-For headers count as one list (RFC 9110 §5.3).
std::string forwarded_for_of(const Request& req) {
  std::string joined;
  const auto [first, last] = req.headers.equal_range("X-Forwarded-For");
  for (auto it = first; it != last; ++it) {
    if (!joined.empty()) joined += ", ";
    joined += it->second;
  }
  return joined;
}

request_view view_of(const Request& req, const std::string& forwarded_for) {
  request_view view;
  view.method = req.method;
  view.path = req.path;
  view.host = header_of(req, "Host");
  view.origin = header_of(req, "Origin");
  view.has_origin = req.has_header("Origin");
  view.authorization = header_of(req, "Authorization");
  view.forwarded_for = forwarded_for;
  view.peer = req.remote_addr;
  return view;
}

bool collector::admit(const Request& req, Response& res, access_verdict* verdict) const {
  const std::string forwarded_for = forwarded_for_of(req);
  access_verdict judged = access_.check(view_of(req, forwarded_for));
  for (const auto& [name, value] : judged.headers) res.set_header(name, value);
  if (!judged.allowed()) send_error(res, judged.status, judged.code, judged.field, judged.message);
  const bool allowed = judged.allowed();
  if (verdict != nullptr) *verdict = std::move(judged);
  return allowed;
}

void collector::preflight(const Request& req, Response& res) const {
  const bool is_preflight =
      req.has_header("Origin") && req.has_header("Access-Control-Request-Method");
  const bool posts = req.path == "/api/responses";
  const char* methods = posts ? "POST, OPTIONS" : "GET, HEAD, OPTIONS";
  if (!is_preflight) {
    res.status = 204;
    res.set_header("Allow", methods);
    return;
  }
  if (!admit(req, res)) return;
  const std::string method = req.get_header_value("Access-Control-Request-Method");
  const bool method_allowed = posts ? method == "POST" : (method == "GET" || method == "HEAD");
  if (!method_allowed) {
    send_error(res, 403, "method_not_allowed", "Access-Control-Request-Method",
               "Access-Control-Request-Method: " + method + " is not allowed on " + req.path +
                   " (allowed: " + methods + ")");
    return;
  }
  res.status = 204;
  res.set_header("Access-Control-Allow-Methods", methods);
  const std::string headers = req.get_header_value("Access-Control-Request-Headers");
  // Any request header may accompany an answer (the widget lets sites add
  // their own); the collector reads none but Content-Type.
  if (!headers.empty()) res.set_header("Access-Control-Allow-Headers", headers);
  if (req.get_header_value("Access-Control-Request-Private-Network") == "true") {
    res.set_header("Access-Control-Allow-Private-Network", "true");
  }
  res.set_header("Access-Control-Max-Age", "600");
  res.headers.erase("Vary");
  res.set_header("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
}

// Reads the body, at most max_body bytes. httplib enforces its payload limit
// on a Content-Length body only; a chunked body is cut off here.
collector::body_outcome collector::read_body(const Request& req, Response& res,
                                             const httplib::ContentReader& content_reader,
                                             std::string& body) const {
  // A client that keeps sending far beyond the limit is cut off.
  const std::size_t drain_limit = body_drain_limit();
  std::size_t received = 0;
  bool too_large = false;
  const bool complete = content_reader([&](const char* data, std::size_t size) {
    received += size;
    if (received > options_.max_body) {
      too_large = true;
      body.clear();
      return received <= drain_limit;
    }
    body.append(data, size);
    return true;
  });
  if (too_large || res.status == 413) {
    if (!complete) {
      // The rest of the body is still on the wire: it must not be read as
      // the next request.
      const_cast<Request&>(req).set_header("Connection", "close");
    }
    return body_outcome::too_large;
  }
  return complete ? body_outcome::complete : body_outcome::incomplete;
}

void collector::post_response(const Request& req, Response& res,
                              const httplib::ContentReader& content_reader) {
  std::string body;
  switch (read_body(req, res, content_reader, body)) {
    case body_outcome::complete:
      break;
    case body_outcome::too_large:
      admit(req, res);
      send_error(res, 413, "payload_too_large", "body",
                 "body: larger than the limit of " + std::to_string(options_.max_body) +
                     " bytes (--max-body)");
      return;
    case body_outcome::incomplete:
      send_error(res, 400, "bad_request", "body", "body: the request body ended early");
      return;
  }
  if (!admit(req, res)) return;
  const long wait = limiter_.acquire(access_.client_key(req.remote_addr, forwarded_for_of(req)));
  if (wait > 0) {
    res.set_header("Retry-After", std::to_string(wait));
    send_error(res, 429, "rate_limited", "client",
               "client: more than the allowed answers per minute from this address; retry in " +
                   std::to_string(wait) + " s");
    return;
  }
  // sendBeacon and no-preflight fetches send text/plain; the body is JSON
  // either way.
  const std::string content_type = lower(req.get_header_value("Content-Type"));
  const std::string media_type = content_type.substr(0, content_type.find(';'));
  if (!media_type.empty() && media_type != "application/json" && media_type != "text/plain") {
    send_error(res, 415, "unsupported_media_type", "Content-Type",
               "Content-Type: \"" + req.get_header_value("Content-Type") +
                   "\" is not accepted (expected application/json or text/plain)");
    return;
  }

  const std::string received_at = utc_timestamp_now();
  auto parsed = parse_response(body, received_at);
  if (!parsed) {
    const bool malformed = parsed.error().code == error_code::parse_error;
    send_error(res, malformed ? 400 : 422, to_string(parsed.error().code),
               field_of(parsed.error().message), parsed.error().message);
    return;
  }
  switch (store_->store(*parsed, received_at)) {
    case store_outcome::stored:
      send_json(res, 201, json{{"status", "stored"}, {"id", parsed->id}});
      return;
    case store_outcome::duplicate:
      send_json(res, 200, json{{"status", "duplicate"}, {"id", parsed->id}});
      return;
    case store_outcome::failed:
      send_error(res, 503, "storage_unavailable", "payload",
                 "payload: the answer could not be stored; retry later");
      return;
  }
}

bool collector::read_filter(const Request& req, Response& res, row_filter& filter) const {
  filter.survey = req.get_param_value("survey");
  filter.from = req.get_param_value("from");
  filter.to = req.get_param_value("to");
  for (const auto& [name, value] :
       {std::pair<const char*, const std::string*>{"from", &filter.from}, {"to", &filter.to}}) {
    if (!value->empty() && !is_calendar_date(*value)) {
      send_error(res, 400, "invalid_parameter", name,
                 std::string(name) + ": \"" + *value + "\" is not a date (expected YYYY-MM-DD)");
      return false;
    }
  }
  return true;
}

void collector::get_summary(const Request& req, Response& res) const {
  access_verdict verdict;
  if (!admit(req, res, &verdict)) return;
  row_filter filter;
  if (!read_filter(req, res, filter)) return;
  if (verdict.public_form) {
    for (const char* name : {"from", "to"}) {
      if (!public_summary_allows_parameter(name) && req.has_param(name)) {
        send_error(res, 400, "invalid_parameter", name,
                   std::string(name) +
                       ": date ranges need the admin token (the public summary covers every "
                       "date; group by day, week or month instead)");
        return;
      }
    }
  }
  group_by by = group_by::none;
  if (req.has_param("by") && !req.get_param_value("by").empty()) {
    auto parsed = parse_group_by(req.get_param_value("by"));
    if (!parsed) {
      send_error(res, 400, "invalid_parameter", "by",
                 "by: \"" + req.get_param_value("by") +
                     "\" is not a grouping (expected none, segment, day, week or month)");
      return;
    }
    by = *parsed;
  }
  summary_options options;
  if (req.has_param("method")) {
    auto method = parse_interval_method(req.get_param_value("method"));
    if (!method) {
      send_error(res, 400, "invalid_parameter", "method", "method: " + method.error().message);
      return;
    }
    options.method = *method;
  }
  if (req.has_param("confidence")) {
    const std::string text = req.get_param_value("confidence");
    char* end = nullptr;
    const double confidence = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !(confidence > 0 && confidence < 1)) {
      send_error(res, 400, "invalid_parameter", "confidence",
                 "confidence: \"" + text +
                     "\" is not a level (expected a number between 0 and 1, "
                     "e.g. 0.95)");
      return;
    }
    options.confidence = confidence;
  }

  auto cursor = row_cursor::open(store_->path(), filter);
  if (!cursor) {
    send_error(res, 500, "storage_unavailable", "database", cursor.error().message);
    return;
  }
  // The stored payloads go through the same JSONL reader as
  // `npskit summarize` reading an export, so both give the same numbers.
  aggregate totals(by);
  reader_options reading;
  reading.format = input_format::jsonl;
  auto reader =
      reader::create(reading, [&totals](const record_view& record) { return totals.add(record); });
  if (!reader) {
    send_error(res, 500, "internal_error", "reader", reader.error().message);
    return;
  }
  std::string line;
  while (auto row = (*cursor)->next()) {
    line = std::move(row->payload);
    line.push_back('\n');
    const status pushed = reader->push(line);
    if (!pushed) {
      send_error(res, 500, "internal_error", "database", pushed.error().message);
      return;
    }
  }
  if (!(*cursor)->error().empty()) {
    send_error(res, 500, "storage_unavailable", "database", (*cursor)->error());
    return;
  }
  const status finished = reader->finish();
  if (!finished) {
    send_error(res, 500, "internal_error", "database", finished.error().message);
    return;
  }
  auto summarized = summarize(totals, options, reader->rejected(), reader->rejections());
  if (!summarized) {
    send_error(res, 400, "invalid_parameter", field_of(summarized.error().message),
               summarized.error().message);
    return;
  }
  res.status = 200;
  if (verdict.public_form) {
    auto public_form = make_public_summary(std::move(*summarized), access_.min_group(), options);
    if (!public_form) {
      send_error(res, 400, "invalid_parameter", field_of(public_form.error().message),
                 public_form.error().message);
      return;
    }
    res.set_content(to_json(*public_form), "application/json");
    return;
  }
  res.set_content(to_json(*summarized), "application/json");
}

void collector::get_export(const Request& req, Response& res, export_format format) const {
  if (!admit(req, res)) return;
  row_filter filter;
  if (!read_filter(req, res, filter)) return;
  auto opened = row_cursor::open(store_->path(), filter);
  if (!opened) {
    send_error(res, 500, "storage_unavailable", "database", opened.error().message);
    return;
  }
  // Shared by the provider calls of one response; released when it ends.
  std::shared_ptr<row_cursor> cursor = std::move(*opened);
  auto header_pending = std::make_shared<bool>(true);
  res.set_header("Content-Disposition", format == export_format::csv
                                            ? "attachment; filename=\"responses.csv\""
                                            : "attachment; filename=\"responses.jsonl\"");
  res.set_header("Cache-Control", "no-store");
  res.set_chunked_content_provider(
      export_content_type(format),
      [cursor, header_pending, format](std::size_t, httplib::DataSink& sink) {
        constexpr std::size_t chunk_size = std::size_t{64} * 1024;
        std::string chunk;
        if (*header_pending) {
          chunk = export_header(format);
          *header_pending = false;
        }
        while (chunk.size() < chunk_size) {
          auto row = cursor->next();
          if (!row) {
            // A read failure mid-stream can no longer change the status:
            // abort, so the client sees a truncated transfer, not a short file.
            if (!cursor->error().empty()) return false;
            if (!chunk.empty() && !sink.write(chunk.data(), chunk.size())) return false;
            sink.done();
            return true;
          }
          if (!append_export_row(format, *row, chunk)) return false;
        }
        return sink.write(chunk.data(), chunk.size());
      });
}

void collector::install(httplib::Server& server) {
  server.set_pre_routing_handler([this](const Request& req, Response& res) {
    request_started = std::chrono::steady_clock::now();
    // Refused before any body is read: a wrong Host (DNS rebinding), an
    // Origin that may not do this, a read without the admin token. A body
    // still on the wire must not be read as the next request.
    const std::string forwarded_for = forwarded_for_of(req);
    const access_verdict verdict = access_.check(view_of(req, forwarded_for));
    if (!verdict.allowed()) {
      const_cast<Request&>(req).set_header("Connection", "close");
      for (const auto& [name, value] : verdict.headers) res.set_header(name, value);
      send_error(res, verdict.status, verdict.code, verdict.field, verdict.message);
      return httplib::Server::HandlerResponse::Handled;
    }
    // httplib would read and discard a declared body of any size before
    // answering 413; far too large ones are refused before reading.
    const std::string declared = req.get_header_value("Content-Length");
    if (!declared.empty() && std::strtoull(declared.c_str(), nullptr, 10) > body_drain_limit()) {
      const_cast<Request&>(req).set_header("Connection", "close");
      admit(req, res);
      send_error(res, 413, "payload_too_large", "body",
                 "body: larger than the limit of " + std::to_string(options_.max_body) +
                     " bytes (--max-body)");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server.set_logger(log_request);
  // Fills the body of errors raised by httplib itself (413, 400, 404 without
  // a route); responses the handlers wrote keep theirs.
  server.set_error_handler(httplib::Server::HandlerWithResponse([this](const Request& req,
                                                                       Response& res) {
    if (!res.body.empty() || res.status == 304) return httplib::Server::HandlerResponse::Unhandled;
    if (res.status == 413) {
      // The limit is enforced before the body is read; the client's CORS
      // headers still matter so that the widget can read this answer.
      admit(req, res);
      send_error(res, 413, "payload_too_large", "body",
                 "body: larger than the limit of " + std::to_string(options_.max_body) +
                     " bytes (--max-body)");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (is_api_path(req.path)) {
      send_error(res, res.status, res.status == 404 ? "not_found" : "bad_request", "path",
                 "path: " + printable_path(req.path) + " (" + reason_phrase(res.status) + ")");
    } else {
      res.set_content(std::string(reason_phrase(res.status)) + "\n", "text/plain; charset=utf-8");
    }
    return httplib::Server::HandlerResponse::Handled;
  }));

  server.Options(".*", [this](const Request& req, Response& res) {
    if (is_api_path(req.path)) {
      preflight(req, res);
    } else {
      res.status = 204;
      res.set_header("Allow", "GET, HEAD, OPTIONS");
    }
  });
  server.Post("/api/responses", [this](const Request& req, Response& res,
                                       const httplib::ContentReader& content_reader) {
    post_response(req, res, content_reader);
  });
  server.Get("/api/health", [this](const Request& req, Response& res) {
    if (!admit(req, res)) return;
    send_json(res, 200, json{{"status", "ok"}});
  });
  server.Get("/api/summary", [this](const Request& req, Response& res) { get_summary(req, res); });
  server.Get("/api/responses\\.csv", [this](const Request& req, Response& res) {
    get_export(req, res, export_format::csv);
  });
  server.Get("/api/responses\\.jsonl", [this](const Request& req, Response& res) {
    get_export(req, res, export_format::jsonl);
  });
  server.Get("/api/responses", [](const Request&, Response& res) {
    res.set_header("Allow", "POST, OPTIONS");
    send_error(res, 405, "method_not_allowed", "method",
               "method: GET is not allowed on /api/responses (POST an answer; read them from "
               "/api/responses.csv or /api/responses.jsonl)");
  });
  server.Get(".*", [this](const Request& req, Response& res) {
    if (is_api_path(req.path)) {
      send_error(res, 404, "not_found", "path",
                 "path: " + printable_path(req.path) + " is not an API endpoint");
      return;
    }
    files_.serve(req, res);
  });
  // Bodies sent anywhere else are never read (httplib would read a chunked
  // one without limit); the connection closes after the answer instead.
  const auto refuse_body = [](const Request& req, Response& res, const httplib::ContentReader&) {
    const_cast<Request&>(req).set_header("Connection", "close");
    const bool post = req.method == "POST";
    send_error(res, post ? 404 : 405, post ? "not_found" : "method_not_allowed", "path",
               "path: " + printable_path(req.path) + " accepts no " + printable_path(req.method) +
                   " (answers are POSTed to /api/responses)");
  };
  server.Post(".*", refuse_body);
  server.Put(".*", refuse_body);
  server.Patch(".*", refuse_body);
  server.Delete(".*", refuse_body);
}

// httplib hard-codes a listen backlog of 5; a burst of new connections (a
// load test, a page of visitors) would see SYNs dropped and retried a second
// later. Its listening socket is a protected member, so a subclass widens it.
class collector_server : public httplib::Server {
 public:
  void widen_listen_backlog() { ::listen(svr_sock_, SOMAXCONN); }
};

}  // namespace

int run_serve(const std::vector<std::string>& args) {
  auto parsed = parse_arguments(serve_option_table(), args);
  if (!parsed) {
    std::fprintf(stderr, "npskit serve: %s\n", parsed.error().message.c_str());
    print_serve_usage(stderr);
    return 2;
  }
  if (parsed->has("--help")) {
    print_serve_usage(stdout);
    return 0;
  }
  auto options = read_serve_options(*parsed);
  if (!options) {
    std::fprintf(stderr, "npskit serve: %s\n", options.error().message.c_str());
    return 2;
  }

  // SIGTERM and SIGINT are taken by one thread that stops the server; every
  // other thread (created below, after this mask) never sees them. SIGUSR2
  // only wakes that thread when the server ends for another reason.
  sigset_t handled_signals;
  sigemptyset(&handled_signals);
  sigaddset(&handled_signals, SIGTERM);
  sigaddset(&handled_signals, SIGINT);
  sigaddset(&handled_signals, SIGUSR2);
  pthread_sigmask(SIG_BLOCK, &handled_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  auto store = answer_store::open(options->db, options->synchronous);
  if (!store) {
    std::fprintf(stderr, "npskit serve: %s\n", store.error().message.c_str());
    return 1;
  }
  // Reachable from elsewhere, reads need a token; on loopback without one
  // they stay open to this machine.
  admin_token token;
  if (auto token_path = admin_token_path(options->access, options->host, options->db)) {
    auto loaded = load_or_create_admin_token(*token_path);
    if (!loaded) {
      std::fprintf(stderr, "npskit serve: %s\n", loaded.error().message.c_str());
      return 1;
    }
    token = std::move(*loaded);
    if (!token.warning.empty())
      std::fprintf(stderr, "npskit serve: warning: %s\n", token.warning.c_str());
  }
  const std::string access_note =
      token.path.empty()
          ? std::string(", reads from this machine only")
          : std::string(token.created ? ", new admin token in " : ", admin token in ") + token.path;
  collector service(*options, std::move(*store), token.value);

  collector_server server;
  const std::size_t threads = options->threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(options->max_body);
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(1000);
  server.set_keep_alive_timeout(2);
  server.set_read_timeout(5);
  server.set_write_timeout(5);
  service.install(server);

  int port = options->port;
  if (port == 0) {
    port = server.bind_to_any_port(options->host);
  } else if (!server.bind_to_port(options->host, port)) {
    port = -1;
  }
  if (port < 0) {
    std::fprintf(stderr, "npskit serve: cannot listen on %s:%d: %s\n", options->host.c_str(),
                 options->port, std::strerror(errno));
    return 1;
  }
  server.widen_listen_backlog();

  std::atomic<bool> listening_done{false};
  std::thread stopper([&] {
    int signal_number = 0;
    do {
      sigwait(&handled_signals, &signal_number);
      if (listening_done) return;
    } while (signal_number == SIGUSR2);
    std::fprintf(stderr, "npskit serve: %s received, finishing requests in flight\n",
                 signal_number == SIGINT ? "SIGINT" : "SIGTERM");
    // stop() is a no-op until the accept loop runs; a signal that arrives
    // right at start-up must still end it.
    while (!listening_done) {
      if (server.is_running()) {
        server.stop();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });

  const bool ipv6 = options->host.find(':') != std::string::npos;
  std::fprintf(stderr,
               "npskit serve: listening on http://%s%s%s:%d (database %s, synchronous %s%s%s%s)\n",
               ipv6 ? "[" : "", options->host.c_str(), ipv6 ? "]" : "", port, options->db.c_str(),
               to_string(options->synchronous), options->root.empty() ? "" : ", files from ",
               options->root.c_str(), access_note.c_str());
  const bool listened = server.listen_after_bind();
  listening_done = true;
  pthread_kill(stopper.native_handle(), SIGUSR2);
  stopper.join();
  // Every request has been answered; commit whatever is still queued.
  service.store().close();
  std::fprintf(stderr, "npskit serve: stopped\n");
  return listened ? 0 : 1;
}

}  // namespace npskit::cli
