// What every npskit subcommand shares: exit codes, error reporting and the
// help page generated from its option table.
#ifndef NPSKIT_CLI_COMMAND_H
#define NPSKIT_CLI_COMMAND_H

#include <string>
#include <string_view>
#include <vector>

#include "arguments.h"

namespace npskit::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_unreadable_input = 1;
inline constexpr int exit_usage = 2;

struct command_help {
  std::string_view name;      // "summarize"
  std::string_view synopsis;  // "[options] FILE...|-"
  std::string_view purpose;   // one sentence
  const std::vector<option_spec>& options;
  std::string_view details;  // paragraphs after the option list
};

// The help page on stdout: usage line, purpose, options, details.
void print_help(const command_help& help);

// "npskit: COMMAND: MESSAGE" plus a pointer to the help; returns exit_usage.
int usage_failure(std::string_view command, std::string_view message);

// "npskit: MESSAGE"; returns exit_unreadable_input.
int input_failure(std::string_view message);

// Writes text to stdout as is.
void print(std::string_view text);

int run_summarize(const std::vector<std::string>& args);
int run_compare(const std::vector<std::string>& args);
int run_sample_size(const std::vector<std::string>& args);
int run_email(const std::vector<std::string>& args);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COMMAND_H
