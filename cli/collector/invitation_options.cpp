#include "collector/invitation_options.h"

#include "collector/invitations.h"
#include "collector/rate_limiter.h"

namespace npskit::cli {

const std::vector<option_spec>& invitation_option_table() {
  static const std::vector<option_spec> table = [] {
    std::vector<option_spec> all = {
        {"--invite-delay", option_arity::single, "DELAY",
         "POST /api/invitations sends after this delay unless given (default 1h)"},
        {"--resurvey-days", option_arity::single, "N",
         "no invitation to contacts asked or answering in N days (default 90; 0: off)"},
        {"--invite-rate", option_arity::single, "N/min",
         "invitations sent per minute (default: no limit)"},
        {"--product", option_arity::single, "NAME", "the name invitations ask about"},
    };
    const auto& smtp = smtp_option_table();
    all.insert(all.end(), smtp.begin(), smtp.end());
    return all;
  }();
  return table;
}

result<invitation_options> read_invitation_options(const parsed_arguments& parsed) {
  invitation_options options;
  if (auto delay = parsed.value("--invite-delay")) {
    auto milliseconds = parse_delay("--invite-delay", *delay);
    if (!milliseconds) return milliseconds.error();
    options.default_delay_ms = *milliseconds;
  }
  if (auto days = parsed.value("--resurvey-days")) {
    auto number = parse_whole_number("--resurvey-days", *days);
    if (!number) return number.error();
    if (*number > 3650) {
      return make_error(error_code::invalid_argument,
                        "--resurvey-days: " + *days + " is out of range (expected 0..3650 days)");
    }
    options.resurvey_days = static_cast<std::int64_t>(*number);
  }
  if (auto rate = parsed.value("--invite-rate")) {
    auto per_minute = parse_rate(*rate);
    if (!per_minute) return per_minute.error();
    options.per_minute = *per_minute;
  }
  if (auto product = parsed.value("--product")) options.product = *product;
  auto smtp = read_smtp_options(parsed);
  if (!smtp) return smtp.error();
  options.smtp = std::move(*smtp);
  return options;
}

}  // namespace npskit::cli
