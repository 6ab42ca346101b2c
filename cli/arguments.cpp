#include "arguments.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "format.h"
#include "npskit/text.h"

namespace npskit::cli {

namespace {

error usage(std::string message) {
  return make_error(error_code::invalid_argument, std::move(message));
}

std::string unknown_option_message(const std::vector<option_spec>& table, std::string_view name) {
  std::string message = "unknown option " + quote(name);
  const option_spec* closest = nullptr;
  std::size_t best = 3;  // suggest only near misses (typos, not guesses)
  for (const option_spec& spec : table) {
    const std::size_t distance = text::edit_distance(name, spec.name);
    if (distance < best) {
      best = distance;
      closest = &spec;
    }
  }
  if (closest != nullptr) {
    message += " (did you mean ";
    message += closest->name;
    message += "?)";
  }
  return message;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    fields.push_back(text::trim(text.substr(start, end - start)));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return fields;
}

// Digits only: strtoull would silently accept "-1" (as 2^64 - 1), "+5" and
// leading spaces.
std::optional<std::uint64_t> whole_number(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

// Parses a comma-separated list of exactly `expected` whole numbers whose
// total fits in 64 bits (the tally counts n as their sum).
result<std::vector<std::uint64_t>> whole_number_list(std::string_view flag, std::string_view text,
                                                     std::size_t expected, std::string_view shape) {
  const std::vector<std::string_view> fields = split(text, ',');
  if (fields.size() != expected) {
    return usage(std::string(flag) + " " + quote(text) + " must be " + std::to_string(expected) +
                 " whole numbers separated by commas: " + std::string(shape));
  }
  std::vector<std::uint64_t> values;
  std::uint64_t total = 0;
  for (std::size_t index = 0; index < fields.size(); ++index) {
    const std::optional<std::uint64_t> value = whole_number(fields[index]);
    if (!value) {
      return usage(std::string(flag) + " " + quote(text) + ": value " + std::to_string(index + 1) +
                   " " + quote(fields[index]) + " is not a whole number (expected " +
                   std::string(shape) + ")");
    }
    if (*value > std::numeric_limits<std::uint64_t>::max() - total) {
      return usage(std::string(flag) + " " + quote(text) +
                   ": the total is too large (at most 2^64 - 1 answers)");
    }
    total += *value;
    values.push_back(*value);
  }
  return values;
}

}  // namespace

bool parsed_arguments::has(std::string_view name) const {
  return options_.find(name) != options_.end();
}

std::optional<std::string> parsed_arguments::value(std::string_view name) const {
  const auto found = options_.find(name);
  if (found == options_.end() || found->second.empty()) return std::nullopt;
  return found->second.front();
}

std::vector<std::string> parsed_arguments::values(std::string_view name) const {
  const auto found = options_.find(name);
  if (found == options_.end()) return {};
  return found->second;
}

void parsed_arguments::add_option(std::string_view name, std::string value) {
  in_order_.emplace_back(name, value);
  options_[std::string(name)].push_back(std::move(value));
}

result<parsed_arguments> parse_arguments(const std::vector<option_spec>& table,
                                         const std::vector<std::string>& args) {
  parsed_arguments parsed;
  bool options_ended = false;
  for (std::size_t index = 0; index < args.size(); ++index) {
    const std::string& argument = args[index];
    if (options_ended || argument == "-" || argument.empty() || argument[0] != '-') {
      parsed.add_operand(argument);
      continue;
    }
    if (argument == "--") {
      options_ended = true;
      continue;
    }
    std::string_view name = argument;
    std::optional<std::string> inline_value;
    if (const std::size_t equals = name.find('='); equals != std::string_view::npos) {
      inline_value = std::string(name.substr(equals + 1));
      name = name.substr(0, equals);
    }
    if (name == "-h") name = "--help";
    const auto spec = std::find_if(table.begin(), table.end(),
                                   [&](const option_spec& s) { return s.name == name; });
    if (spec == table.end()) return usage(unknown_option_message(table, name));

    if (spec->arity == option_arity::flag) {
      if (inline_value) return usage(std::string(name) + " takes no value");
      parsed.add_option(name, "");
      continue;
    }
    if (spec->arity == option_arity::single && parsed.has(name)) {
      return usage(std::string(name) + " is given more than once");
    }
    std::string value;
    if (inline_value) {
      value = *inline_value;
    } else {
      // "--score-column --json" is a forgotten value, not a column named
      // "--json".
      if (index + 1 >= args.size() || args[index + 1].rfind("--", 0) == 0) {
        return usage(std::string(name) + " needs a value (" + std::string(spec->value_name) + ")");
      }
      value = args[++index];
    }
    parsed.add_option(name, std::move(value));
  }
  return parsed;
}

result<double> parse_number(std::string_view flag, std::string_view text) {
  // Only plain decimal notation: strtod also takes "nan", "inf", hexadecimal
  // and leading spaces, none of which is a sensible option value.
  const bool plain =
      !text.empty() && text.find_first_not_of("0123456789+-.eE") == std::string_view::npos;
  const std::string copy(text);
  char* end = nullptr;
  errno = 0;
  const double value = plain ? std::strtod(copy.c_str(), &end) : 0;
  if (!plain || end != copy.c_str() + copy.size()) {
    return usage(std::string(flag) + " " + quote(text) + " is not a number");
  }
  if (errno == ERANGE || !std::isfinite(value)) {
    return usage(std::string(flag) + " " + quote(text) + " is out of range");
  }
  return value;
}

result<double> parse_fraction(std::string_view flag, std::string_view text) {
  result<double> number = parse_number(flag, text);
  if (!number) return number;
  const double value = *number;
  if (value > 0 && value < 1) return value;
  std::string message =
      std::string(flag) + " " + quote(text) + " must be between 0 and 1 (exclusive)";
  // "95" for 95% is the likeliest slip.
  if (value >= 50 && value < 100) {
    char hint[48];
    std::snprintf(hint, sizeof hint, "; did you mean %.6g?", value / 100);
    message += hint;
  }
  return usage(std::move(message));
}

result<double> parse_positive(std::string_view flag, std::string_view text, double upper) {
  result<double> number = parse_number(flag, text);
  if (!number) return number;
  if (*number > 0 && *number <= upper) return number;
  char limit[32];
  std::snprintf(limit, sizeof limit, "%g", upper);
  return usage(std::string(flag) + " " + quote(text) + " must be greater than 0 and at most " +
               limit);
}

result<std::uint64_t> parse_whole_number(std::string_view flag, std::string_view text) {
  const std::optional<std::uint64_t> value = whole_number(text);
  if (!value) {
    return usage(std::string(flag) + " " + quote(text) + " must be a whole number (0 or more)");
  }
  return *value;
}

result<counts> parse_counts(std::string_view flag, std::string_view text) {
  result<std::vector<std::uint64_t>> values =
      whole_number_list(flag, text, 3, "P,S,D = promoters, passives, detractors");
  if (!values) return values.error();
  counts parsed;
  parsed.promoters = (*values)[0];
  parsed.passives = (*values)[1];
  parsed.detractors = (*values)[2];
  return parsed;
}

result<std::array<std::uint64_t, 11>> parse_histogram(std::string_view flag,
                                                      std::string_view text) {
  result<std::vector<std::uint64_t>> values =
      whole_number_list(flag, text, 11, "how many answers gave each score 0,1,...,10");
  if (!values) return values.error();
  std::array<std::uint64_t, 11> histogram{};
  std::copy(values->begin(), values->end(), histogram.begin());
  return histogram;
}

result<interval_method> parse_method(std::string_view flag, std::string_view text) {
  result<interval_method> method = parse_interval_method(text);
  if (!method) {
    return usage(std::string(flag) + " " + quote(text) +
                 " is not a method; use wald, adjusted-wald or tango");
  }
  return method;
}

result<input_format> parse_format(std::string_view flag, std::string_view text) {
  result<input_format> format = parse_input_format(text);
  if (!format) {
    return usage(std::string(flag) + " " + quote(text) +
                 " is not a format; use csv, tsv, json or jsonl");
  }
  return format;
}

}  // namespace npskit::cli
