#include "collector/storage.h"

#include <libpq-fe.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "collector/postgres_store.h"
#include "collector/sqlite_store.h"

namespace npskit::cli {

const char* to_string(synchronous_mode mode) {
  return mode == synchronous_mode::full ? "FULL" : "NORMAL";
}

result<synchronous_mode> parse_synchronous_mode(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "full") return synchronous_mode::full;
  if (lower == "normal") return synchronous_mode::normal;
  return make_error(error_code::invalid_argument,
                    "--synchronous: \"" + std::string(text) +
                        "\" is not a mode (expected FULL: survives power loss, or NORMAL: "
                        "survives a crash of the process)");
}

bool is_calendar_date(std::string_view text) {
  return text.size() == 10 && npskit::is_iso8601_timestamp(text);
}

std::string utc_timestamp_now() { return utc_timestamp_at(std::chrono::system_clock::now()); }

std::string utc_timestamp_at(std::chrono::system_clock::time_point moment) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(moment);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(moment.time_since_epoch()).count() %
      1000;
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[80];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900,
                parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
                static_cast<int>(millis));
  return text;
}

std::optional<std::int64_t> unix_ms_of_timestamp(std::string_view timestamp) {
  constexpr std::string_view shape = "0000-00-00T00:00:00.000Z";
  if (timestamp.size() != shape.size()) return std::nullopt;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const bool digit = timestamp[i] >= '0' && timestamp[i] <= '9';
    if (shape[i] == '0' ? !digit : timestamp[i] != shape[i]) return std::nullopt;
  }
  const auto number = [&timestamp](std::size_t at, std::size_t length) {
    int value = 0;
    for (std::size_t i = at; i < at + length; ++i) value = value * 10 + (timestamp[i] - '0');
    return value;
  };
  std::tm parts{};
  parts.tm_year = number(0, 4) - 1900;
  parts.tm_mon = number(5, 2) - 1;
  parts.tm_mday = number(8, 2);
  parts.tm_hour = number(11, 2);
  parts.tm_min = number(14, 2);
  parts.tm_sec = number(17, 2);
  return static_cast<std::int64_t>(timegm(&parts)) * 1000 + number(20, 3);
}

namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// A libpq key/value string starts with a keyword and '=' ("host=... dbname=...").
bool is_key_value_string(std::string_view text) {
  std::size_t at = 0;
  while (at < text.size() && text[at] == ' ') ++at;
  const std::size_t start = at;
  while (at < text.size() &&
         (std::islower(static_cast<unsigned char>(text[at])) != 0 || text[at] == '_')) {
    ++at;
  }
  while (at < text.size() && text[at] == ' ') ++at;
  return at > start && at < text.size() && text[at] == '=';
}

// What logs show of a connection string: its settings, the password left out.
result<std::string> describe_connection(const std::string& conninfo) {
  char* failure = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &failure);
  if (options == nullptr) {
    std::string message = failure != nullptr ? failure : "out of memory";
    PQfreemem(failure);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return make_error(
        error_code::invalid_argument,
        "--db: not a PostgreSQL connection string (" + message +
            "; expected postgresql://USER@HOST:PORT/DATABASE or host=... dbname=...)");
  }
  std::string shown = "postgresql:";
  for (const PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    const std::string_view keyword = option->keyword;
    if (option->val == nullptr || keyword == "password" || keyword == "sslpassword") continue;
    shown += " " + std::string(keyword) + "=" + option->val;
  }
  PQconninfoFree(options);
  return shown;
}

}  // namespace

result<storage_target> parse_storage_target(std::string_view db) {
  storage_target target;
  if (db.empty()) {
    return make_error(error_code::invalid_argument,
                      "--db: empty (expected a SQLite file, sqlite:FILE or a postgresql:// URI)");
  }
  if (starts_with(db, "postgresql://") || starts_with(db, "postgres://") ||
      is_key_value_string(db)) {
    target.kind = storage_kind::postgresql;
    target.location = std::string(db);
    auto shown = describe_connection(target.location);
    if (!shown) return shown.error();
    target.display = std::move(*shown);
    return target;
  }
  constexpr std::string_view sqlite_prefix = "sqlite:";
  if (starts_with(db, sqlite_prefix)) {
    target.location = std::string(db.substr(sqlite_prefix.size()));
    if (target.location.empty()) {
      return make_error(error_code::invalid_argument,
                        "--db: \"sqlite:\" names no file (expected sqlite:FILE)");
    }
    target.display = target.location;
    return target;
  }
  target.location = std::string(db);
  target.display = target.location;
  return target;
}

result<std::unique_ptr<answer_storage>> open_storage(const storage_target& target,
                                                     const storage_settings& settings,
                                                     storage_access access) {
  if (target.kind == storage_kind::postgresql) {
    auto opened = postgres_storage::open(target, settings, access);
    if (!opened) return opened.error();
    return std::unique_ptr<answer_storage>(std::move(*opened));
  }
  auto opened = sqlite_storage::open(target.location, settings.synchronous, access);
  if (!opened) return opened.error();
  return std::unique_ptr<answer_storage>(std::move(*opened));
}

}  // namespace npskit::cli
