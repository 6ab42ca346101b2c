#include "collector/storage.h"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>

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

std::string utc_timestamp_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[80];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900,
                parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
                static_cast<int>(millis));
  return text;
}

result<storage_target> parse_storage_target(std::string_view db) {
  storage_target target;
  if (db.empty()) {
    return make_error(error_code::invalid_argument,
                      "--db: empty (expected a SQLite file, sqlite:FILE or a postgresql:// URI)");
  }
  constexpr std::string_view sqlite_prefix = "sqlite:";
  if (db.substr(0, sqlite_prefix.size()) == sqlite_prefix) {
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
  auto opened = sqlite_storage::open(target.location, settings.synchronous, access);
  if (!opened) return opened.error();
  return std::unique_ptr<answer_storage>(std::move(*opened));
}

}  // namespace npskit::cli
