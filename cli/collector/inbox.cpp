#include "collector/inbox.h"

namespace npskit::cli {

result<std::string> parse_follow_up_status(std::string_view text) {
  for (const char* known : {"new", "to follow up", "done"}) {
    if (text == known) return std::string(known);
  }
  return make_error(error_code::invalid_argument,
                    "status: \"" + std::string(text) +
                        "\" is not a follow-up status (expected \"new\", \"to follow up\" or "
                        "\"done\")");
}

}  // namespace npskit::cli
