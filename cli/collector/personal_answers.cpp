#include "collector/personal_answers.h"

#include <cstdint>
#include <nlohmann/json.hpp>

namespace npskit::cli {

const std::vector<option_spec>& personal_answer_option_table() {
  static const std::vector<option_spec> table = {
      {"--link-secret-file", option_arity::single, "FILE",
       "key of personal links (default <db>.link-key; needed with PostgreSQL)"},
      {"--answer-replace-window", option_arity::single, "DURATION",
       "a contact's later answer in a campaign replaces the earlier within (default 1h)"},
  };
  return table;
}

result<std::chrono::milliseconds> parse_window(std::string_view flag, std::string_view text) {
  const auto invalid = [&] {
    return make_error(error_code::invalid_argument,
                      std::string(flag) + ": \"" + std::string(text) +
                          "\" is not a duration (expected a whole number with s, m, h or d, "
                          "such as 90s, 30m, 1h or 2d; 0 never replaces)");
  };
  if (text == "0") return std::chrono::milliseconds(0);
  if (text.size() < 2 || text.size() > 8) return invalid();
  std::int64_t number = 0;
  for (const char c : text.substr(0, text.size() - 1)) {
    if (c < '0' || c > '9') return invalid();
    number = number * 10 + (c - '0');
  }
  std::int64_t unit_seconds = 0;
  switch (text.back()) {
    case 's':
      unit_seconds = 1;
      break;
    case 'm':
      unit_seconds = 60;
      break;
    case 'h':
      unit_seconds = 3600;
      break;
    case 'd':
      unit_seconds = 86400;
      break;
    default:
      return invalid();
  }
  // Beyond a year an answer is no longer a correction of the one before.
  if (number == 0 || number * unit_seconds > std::int64_t{366} * 86400) return invalid();
  return std::chrono::milliseconds(number * unit_seconds * 1000);
}

result<personal_answer_options> read_personal_answer_options(const parsed_arguments& parsed) {
  personal_answer_options options;
  if (auto file = parsed.value("--link-secret-file")) {
    if (file->empty()) {
      return make_error(error_code::invalid_argument,
                        "--link-secret-file: empty (expected the key file's path)");
    }
    options.link_secret_file = *file;
  }
  if (auto window = parsed.value("--answer-replace-window")) {
    auto parsed_window = parse_window("--answer-replace-window", *window);
    if (!parsed_window) return parsed_window.error();
    options.replace_window = *parsed_window;
  }
  return options;
}

result<personal_link_key> load_personal_link_key(const personal_answer_options& options,
                                                 const storage_target& db) {
  personal_link_key key;
  std::string path = options.link_secret_file;
  if (path.empty() && db.kind == storage_kind::sqlite) {
    path = default_link_secret_path(db.location);
  }
  if (path.empty()) {
    key.note =
        "personal links: no --link-secret-file (with PostgreSQL every collector must share one "
        "key file), so answers with a contact are stored without it, as unverified";
    return key;
  }
  auto loaded = load_or_create_link_secret(path);
  if (!loaded) return loaded.error();
  key.note =
      std::string(loaded->created ? "personal links: new key in " : "personal links: key in ") +
      loaded->path;
  if (!loaded->warning.empty()) key.note += " (warning: " + loaded->warning + ")";
  key.secret = std::move(*loaded);
  return key;
}

contact_status settle_contact(response& value, const link_secret* secret) {
  if (value.contact.empty() && value.sig.empty() &&
      value.json.find("\"contact_status\"") == std::string::npos) {
    return contact_status::none;
  }
  const bool verified =
      !value.contact.empty() && !value.sig.empty() && secret != nullptr &&
      personal_link_valid(*secret, value.survey, value.contact, value.campaign, value.sig);
  // The payload keeps the order its fields were sent in.
  nlohmann::ordered_json payload = nlohmann::ordered_json::parse(value.json, nullptr, false);
  if (payload.is_discarded() || !payload.is_object()) return contact_status::none;
  payload.erase("sig");
  // Only the collector says whether a contact was verified.
  payload.erase("contact_status");
  value.sig.clear();
  contact_status status = contact_status::none;
  if (!value.contact.empty()) {
    status = verified ? contact_status::verified : contact_status::unverified;
    if (!verified) {
      payload.erase("contact");
      payload["contact_status"] = "unverified";
      value.contact.clear();
    }
  }
  value.json = payload.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  return status;
}

}  // namespace npskit::cli
