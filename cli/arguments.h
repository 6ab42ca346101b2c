// Command-line parsing for the npskit subcommands: each command describes its
// options in a table, and the same table drives parsing and the help text.
#ifndef NPSKIT_CLI_ARGUMENTS_H
#define NPSKIT_CLI_ARGUMENTS_H

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "npskit/reader.h"
#include "npskit/result.h"
#include "npskit/stats.h"
#include "npskit/tally.h"

namespace npskit::cli {

// How often an option may appear and whether it takes a value.
enum class option_arity {
  flag,      // --json
  single,    // --confidence 0.9 (at most once)
  repeated,  // --counts 50,30,20 --counts 40,35,25
};

struct option_spec {
  std::string_view name;  // with the dashes: "--confidence"
  option_arity arity = option_arity::flag;
  std::string_view value_name;  // shown in help: "C"
  std::string_view help;        // one line
};

class parsed_arguments {
 public:
  bool has(std::string_view name) const;
  // The value of a single-valued option, nullopt when it was not given.
  std::optional<std::string> value(std::string_view name) const;
  // Every value of a repeated option, in command-line order.
  std::vector<std::string> values(std::string_view name) const;
  const std::vector<std::string>& operands() const { return operands_; }
  // Every option with its value ("" for a flag), in command-line order, for
  // options that qualify the one before them.
  const std::vector<std::pair<std::string, std::string>>& in_order() const { return in_order_; }

  void add_option(std::string_view name, std::string value);
  void add_operand(std::string value) { operands_.push_back(std::move(value)); }

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> options_;
  std::vector<std::string> operands_;
  std::vector<std::pair<std::string, std::string>> in_order_;
};

// Accepts "--name value", "--name=value", "--" (everything after it is an
// operand) and "-" (an operand: standard input). "-h" means "--help". Error
// messages name the offending argument.
result<parsed_arguments> parse_arguments(const std::vector<option_spec>& table,
                                         const std::vector<std::string>& args);

// Value parsers. Each error message names the flag, quotes the value and says
// what was expected.
result<double> parse_number(std::string_view flag, std::string_view text);
// A confidence level or power, strictly between 0 and 1.
result<double> parse_fraction(std::string_view flag, std::string_view text);
// A number in (0, upper].
result<double> parse_positive(std::string_view flag, std::string_view text, double upper);
result<std::uint64_t> parse_whole_number(std::string_view flag, std::string_view text);
// "P,S,D": promoter, passive and detractor counts.
result<counts> parse_counts(std::string_view flag, std::string_view text);
// "h0,h1,...,h10": how many answers gave each score.
result<std::array<std::uint64_t, 11>> parse_histogram(std::string_view flag, std::string_view text);
result<interval_method> parse_method(std::string_view flag, std::string_view text);
result<input_format> parse_format(std::string_view flag, std::string_view text);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_ARGUMENTS_H
