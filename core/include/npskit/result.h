// Errors as values: every core function that can receive bad input returns a
// result<T> holding either the value or an error with a code and a message
// that names the input, the position and what was expected.
#ifndef NPSKIT_RESULT_H
#define NPSKIT_RESULT_H

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace npskit {

enum class error_code {
  invalid_argument,    // an option or parameter is out of its domain
  invalid_score,       // a score that is not an integer 0..10
  invalid_confidence,  // a confidence level outside (0, 1)
  invalid_weight,      // a weight that is negative, NaN or infinite
  parse_error,         // malformed CSV/JSON/timestamp text
  missing_column,      // the score (or a requested) column is absent
  invalid_record,      // a record that is well-formed but unusable
  empty_input,         // an operation that needs at least one answer got none
};

// Stable machine-readable name, e.g. "invalid_score"; used by the CLI's JSON
// output and by the JavaScript NpsError.code.
const char* to_string(error_code code);

struct error {
  error_code code;
  std::string message;
};

template <typename T>
class result {
 public:
  result(T value) : state_(std::move(value)) {}                  // NOLINT: implicit by design
  result(npskit::error failure) : state_(std::move(failure)) {}  // NOLINT: implicit by design

  bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &std::get<0>(state_); }
  const T* operator->() const { return &std::get<0>(state_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const npskit::error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, npskit::error> state_;
};

// result<void> equivalent: success carries no value.
struct ok {};
using status = result<ok>;

inline error make_error(error_code code, std::string message) {
  return error{code, std::move(message)};
}

// The error of the first failed result among several, if any: one check for
// all of a call's arguments.
template <typename... Results>
std::optional<error> first_error(const Results&... values) {
  std::optional<error> found;
  ((found = found || values ? found : std::optional<error>(values.error())), ...);
  return found;
}

}  // namespace npskit

#endif  // NPSKIT_RESULT_H
