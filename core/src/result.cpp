#include "npskit/result.h"

namespace npskit {

const char* to_string(error_code code) {
  switch (code) {
    case error_code::invalid_argument:
      return "invalid_argument";
    case error_code::invalid_score:
      return "invalid_score";
    case error_code::invalid_confidence:
      return "invalid_confidence";
    case error_code::invalid_weight:
      return "invalid_weight";
    case error_code::parse_error:
      return "parse_error";
    case error_code::missing_column:
      return "missing_column";
    case error_code::invalid_record:
      return "invalid_record";
    case error_code::empty_input:
      return "empty_input";
  }
  // Reachable only through a value cast from an integer outside the enum.
  return "unknown_error";
}

}  // namespace npskit
