#include "command.h"

#include <algorithm>
#include <cstdio>

#include "format.h"

namespace npskit::cli {

void print(std::string_view text) { std::fwrite(text.data(), 1, text.size(), stdout); }

void print_help(const command_help& help) {
  std::string page = "Usage: npskit " + std::string(help.name) + " " + std::string(help.synopsis) +
                     "\n\n" + std::string(help.purpose) + "\n\nOptions:\n";
  std::vector<std::string> left;
  std::size_t width = 0;
  for (const option_spec& spec : help.options) {
    std::string column = "  " + std::string(spec.name);
    if (spec.arity != option_arity::flag) column += " " + std::string(spec.value_name);
    width = std::max(width, display_width(column));
    left.push_back(std::move(column));
  }
  for (std::size_t index = 0; index < help.options.size(); ++index) {
    page += pad_right(left[index], width + 2) + std::string(help.options[index].help) + "\n";
  }
  if (!help.details.empty()) page += "\n" + std::string(help.details);
  if (page.back() != '\n') page += '\n';
  print(page);
}

int usage_failure(std::string_view command, std::string_view message) {
  std::fprintf(stderr, "npskit: %.*s: %.*s\nRun 'npskit help %.*s' for the options.\n",
               static_cast<int>(command.size()), command.data(), static_cast<int>(message.size()),
               message.data(), static_cast<int>(command.size()), command.data());
  return exit_usage;
}

int input_failure(std::string_view message) {
  std::fprintf(stderr, "npskit: %.*s\n", static_cast<int>(message.size()), message.data());
  return exit_unreadable_input;
}

}  // namespace npskit::cli
