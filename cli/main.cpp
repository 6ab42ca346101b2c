// `npskit`: Net Promoter Score from the command line. Dispatches to the
// subcommands; each parses its own options.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "collector/collector.h"
#include "command.h"

namespace npskit::cli {

namespace {

using command_function = int (*)(const std::vector<std::string>&);

struct command_entry {
  std::string_view name;
  command_function run;
};

constexpr command_entry commands[] = {
    {"summarize", run_summarize}, {"compare", run_compare}, {"sample-size", run_sample_size},
    {"serve", run_serve},         {"export", run_export},   {"import", run_import},
    {"migrate", run_migrate},     {"email", run_email},     {"send", run_send},
};

constexpr std::string_view overview =
    "Usage: npskit COMMAND [options]\n"
    "\n"
    "Net Promoter Score from the command line: the score with its confidence\n"
    "interval, trends, segments, significance tests and sample sizes.\n"
    "\n"
    "Commands:\n"
    "  summarize FILE...|-      NPS, interval, distribution and groups of CSV, TSV,\n"
    "                           JSON or JSONL answers (or of --counts P,S,D)\n"
    "  compare A B              whether two groups' NPS differ significantly\n"
    "  sample-size --margin M   answers needed for a margin of error (or --difference)\n"
    "  serve                    collect widget answers and serve the demo\n"
    "  export                   write the collected answers as CSV or JSONL\n"
    "  import                   load a JSONL export into a collector's database\n"
    "  migrate                  bring a PostgreSQL database's schema up to date\n"
    "  email                    the survey's first question as an e-mail (11 score\n"
    "                           links), for one message or a CSV list of contacts\n"
    "  send                     e-mail a campaign's survey invitations over SMTP\n"
    "  help COMMAND             options and examples of one command\n"
    "\n"
    "Options:\n"
    "  --help                   show this help\n"
    "  --version                show the version\n"
    "\n"
    "Exit status: 0 success, 1 unreadable input, 2 usage error.\n";

const command_entry* find_command(std::string_view name) {
  for (const command_entry& entry : commands) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

int unknown_command(std::string_view name) {
  std::fprintf(stderr, "npskit: unknown command \"%.*s\"\nRun 'npskit --help' for the commands.\n",
               static_cast<int>(name.size()), name.data());
  return exit_usage;
}

int run(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fwrite(overview.data(), 1, overview.size(), stderr);
    return exit_usage;
  }
  const std::string& first = args.front();
  if (first == "--help" || first == "-h") {
    print(overview);
    return exit_ok;
  }
  if (first == "--version") {
    print("npskit " NPSKIT_VERSION "\n");
    return exit_ok;
  }
  if (first == "help") {
    if (args.size() == 1) {
      print(overview);
      return exit_ok;
    }
    if (args.size() > 2) {
      return usage_failure("help",
                           "takes one command name, got " + std::to_string(args.size() - 1));
    }
    const command_entry* entry = find_command(args[1]);
    return entry != nullptr ? entry->run({"--help"}) : unknown_command(args[1]);
  }
  const command_entry* entry = find_command(first);
  if (entry == nullptr) return unknown_command(first);
  return entry->run(std::vector<std::string>(args.begin() + 1, args.end()));
}

}  // namespace

}  // namespace npskit::cli

int main(int argc, char** argv) {
  return npskit::cli::run(std::vector<std::string>(argv + 1, argv + argc));
}
