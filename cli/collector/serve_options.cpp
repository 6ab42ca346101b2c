#include "collector/serve_options.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

#include "collector/http_server.h"
#include "collector/rate_limiter.h"

namespace npskit::cli {

namespace {

// scheme://host[:port] with nothing after it, as browsers send in Origin.
result<std::string> parse_origin(std::string_view text) {
  if (text == "*") return std::string("*");
  const std::string origin = ascii_lower(text);
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

result<std::size_t> parse_bounded(const parsed_arguments& parsed, std::string_view name,
                                  std::size_t low, std::size_t high, std::size_t fallback,
                                  std::string_view unit = "") {
  const auto text = parsed.value(name);
  if (!text) return fallback;
  auto number = parse_whole_number(name, *text);
  if (!number) return number.error();
  if (*number < low || *number > high) {
    return make_error(error_code::invalid_argument,
                      std::string(name) + ": " + *text + " is out of range (expected " +
                          std::to_string(low) + ".." + std::to_string(high) + std::string(unit) +
                          ")");
  }
  return static_cast<std::size_t>(*number);
}

result<std::string> folder_option(std::string_view name, const std::string& value,
                                  std::string_view hint) {
  std::error_code failure;
  const auto canonical = std::filesystem::canonical(value, failure);
  if (failure || !std::filesystem::is_directory(canonical, failure)) {
    return make_error(
        error_code::invalid_argument,
        std::string(name) + ": \"" + value + "\" is not a folder (" + std::string(hint) + ")");
  }
  return canonical.string();
}

// Built pages where the build puts them: dist/NAME of the source tree the
// binary was built in (build/bin/npskit), or share/npskit/NAME next to an
// installed bin/npskit.
std::string default_page_root(const char* name) {
  std::error_code failure;
  const auto executable = std::filesystem::read_symlink("/proc/self/exe", failure);
  if (failure) return {};
  const std::filesystem::path bin = executable.parent_path();
  for (const std::filesystem::path& candidate :
       {bin / ".." / ".." / "dist" / name, bin / ".." / "share" / "npskit" / name}) {
    const auto canonical = std::filesystem::canonical(candidate, failure);
    if (!failure && std::filesystem::is_directory(canonical, failure)) return canonical.string();
  }
  return {};
}

}  // namespace

const std::vector<option_spec>& serve_option_table() {
  static const std::vector<option_spec> table = {
      {"--host", option_arity::single, "ADDRESS", "address to listen on (default 127.0.0.1)"},
      {"--port", option_arity::single, "PORT", "port; 0 picks a free one (default 8080)"},
      {"--db", option_arity::single, "FILE|URI",
       "SQLite file (created if missing; npskit.db) or postgresql://USER@HOST/DB"},
      {"--db-connections", option_arity::single, "N",
       "PostgreSQL: reading connections per collector (default 8)"},
      {"--root", option_arity::single, "DIR", "folder served as static files (default: none)"},
      {"--allow-origin", option_arity::repeated, "ORIGIN",
       "origin allowed to post and read (https://example.com, or *)"},
      {"--max-body", option_arity::single, "BYTES",
       "largest accepted request body (default 16384)"},
      {"--rate", option_arity::single, "N/min",
       "answers per client IP; 0 = no limit (default 600/min)"},
      {"--synchronous", option_arity::single, "FULL|NORMAL",
       "FULL (default) survives power loss; NORMAL a process crash"},
      {"--threads", option_arity::single, "N", "requests handled at once (default 64)"},
      {"--max-connections", option_arity::single, "N", "open connections in all (default 2048)"},
      {"--max-connections-per-client", option_arity::single, "N",
       "open connections per client address (default 64)"},
      {"--admin-token-file", option_arity::single, "FILE",
       "token that reads of answers need; created if missing"},
      {"--public-summary", option_arity::flag, "",
       "/api/summary readable without the token, aggregates only"},
      {"--min-group", option_arity::single, "N",
       "smallest group the public summary shows (default 5)"},
      {"--proxy", option_arity::single, "ADDRESS",
       "trusted reverse proxy; its X-Forwarded-For names the client"},
      {"--retain-days", option_arity::single, "N",
       "erase answers received more than N days ago (counts stay)"},
      {"--admin-root", option_arity::single, "DIR",
       "the dashboard's files served at /admin/ (default: dist/admin)"},
      {"--survey-root", option_arity::single, "DIR",
       "the survey page served at /s/SURVEY (default: dist/survey)"},
      {"--help", option_arity::flag, "", "show this help"},
  };
  static const std::vector<option_spec> with_alerts = [] {
    std::vector<option_spec> all = table;
    const auto& alerts = webhook_option_table();
    all.insert(all.end() - 1, alerts.begin(), alerts.end());
    const auto& personal = personal_answer_option_table();
    all.insert(all.end() - 1, personal.begin(), personal.end());
    const auto& invitations = invitation_option_table();
    all.insert(all.end() - 1, invitations.begin(), invitations.end());
    return all;
  }();
  return with_alerts;
}

void print_serve_usage(std::FILE* stream) {
  std::fprintf(
      stream,
      "usage: npskit serve [--host ADDRESS] [--port PORT] [--db FILE|URI] [--root DIR]\n"
      "                    [--allow-origin ORIGIN]... [--max-body BYTES] [--rate N/min]\n"
      "                    [--synchronous FULL|NORMAL] [--threads N]\n"
      "                    [--max-connections N] [--max-connections-per-client N]\n"
      "                    [--admin-token-file FILE] [--public-summary] [--min-group N]\n"
      "                    [--proxy ADDRESS] [--db-connections N] [--retain-days N]\n"
      "                    [--admin-root DIR] [--public-url URL]\n"
      "                    [--webhook URL [--webhook-secret-file FILE] [--webhook-when WHICH]]...\n"
      "                    [--slack-webhook URL [--webhook-when WHICH]]...\n"
      "                    [--link-secret-file FILE] [--answer-replace-window DURATION]\n"
      "                    [--smtp URL [--from ADDRESS] [--invite-delay DELAY]]\n"
      "                    [--resurvey-days N]\n\n"
      "The reference collector: receives widget answers on POST /api/responses, stores\n"
      "them in SQLite (WAL) or PostgreSQL, answers GET /api/summary, /api/responses.csv,\n"
      "/api/responses.jsonl and /api/health, serves the dashboard and inbox at\n"
      "/admin/ and --root as static files.\n"
      "--webhook-secret-file and --webhook-when qualify the --webhook or\n"
      "--slack-webhook before them (default: every response for --webhook,\n"
      "detractors for --slack-webhook).\n\n");
  for (const option_spec& option : serve_option_table()) {
    std::string left(option.name);
    if (!option.value_name.empty()) left += " " + std::string(option.value_name);
    std::fprintf(stream, "  %-32s %.*s\n", left.c_str(), static_cast<int>(option.help.size()),
                 option.help.data());
  }
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
  if (auto db = parsed.value("--db")) {
    auto target = parse_storage_target(*db);
    if (!target) return target.error();
    options.db = std::move(*target);
  }
  if (auto root = parsed.value("--root")) {
    auto folder = folder_option("--root", *root, "build the demo first?");
    if (!folder) return folder.error();
    options.root = std::move(*folder);
  }
  if (auto admin_root = parsed.value("--admin-root")) {
    auto folder = folder_option("--admin-root", *admin_root, "build the dashboard first?");
    if (!folder) return folder.error();
    options.admin_root = std::move(*folder);
  } else {
    options.admin_root = default_page_root("admin");
  }
  if (auto survey_root = parsed.value("--survey-root")) {
    auto folder = folder_option("--survey-root", *survey_root, "build the survey page first?");
    if (!folder) return folder.error();
    options.survey_root = std::move(*folder);
  } else {
    options.survey_root = default_page_root("survey");
  }
  auto retain_days = parse_bounded(parsed, "--retain-days", 1, 36500, 0, " days");
  if (!retain_days) return retain_days.error();
  options.retain_days = *retain_days;
  for (const std::string& value : parsed.values("--allow-origin")) {
    auto origin = parse_origin(value);
    if (!origin) return origin.error();
    options.allowed_origins.push_back(*origin);
  }
  auto max_body = parse_bounded(parsed, "--max-body", 64, 64u << 20, options.max_body, " bytes");
  if (!max_body) return max_body.error();
  options.max_body = *max_body;
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
  auto threads = parse_bounded(parsed, "--threads", 2, 1024, options.threads);
  if (!threads) return threads.error();
  options.threads = *threads;
  auto connections =
      parse_bounded(parsed, "--max-connections", 8, 1000000, options.max_connections);
  if (!connections) return connections.error();
  options.max_connections = *connections;
  auto per_client = parse_bounded(parsed, "--max-connections-per-client", 1, 1000000,
                                  options.max_connections_per_client);
  if (!per_client) return per_client.error();
  options.max_connections_per_client = *per_client;
  auto pool = parse_bounded(parsed, "--db-connections", 1, 256, options.db_connections);
  if (!pool) return pool.error();
  options.db_connections = *pool;
  auto access = read_access_options(parsed);
  if (!access) return access.error();
  options.access = std::move(*access);
  auto webhooks = read_webhook_options(parsed);
  if (!webhooks) return webhooks.error();
  options.webhooks = std::move(*webhooks);
  auto personal = read_personal_answer_options(parsed);
  if (!personal) return personal.error();
  options.personal = std::move(*personal);
  auto invitations = read_invitation_options(parsed);
  if (!invitations) return invitations.error();
  options.invitations = std::move(*invitations);
  return options;
}

}  // namespace npskit::cli
