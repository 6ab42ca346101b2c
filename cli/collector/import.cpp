// `npskit import`: loads a JSONL export into a collector's storage (either
// backend), and `npskit migrate`: brings a PostgreSQL schema up to date.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "arguments.h"
#include "collector/collector.h"
#include "collector/postgres_store.h"
#include "collector/storage.h"

namespace npskit::cli {
namespace {

// Answers handed to the storage at once: the writer commits them in
// transactions of its own batch size.
constexpr std::size_t import_batch = 2000;

const std::vector<option_spec>& import_options() {
  static const std::vector<option_spec> table = {
      {"--db", option_arity::single, "FILE|URI",
       "SQLite file (created if missing) or PostgreSQL database to load into (required)"},
      {"--synchronous", option_arity::single, "FULL|NORMAL", "SQLite only (default FULL)"},
      {"--help", option_arity::flag, "", "show this help"},
  };
  return table;
}

const std::vector<option_spec>& migrate_options() {
  static const std::vector<option_spec> table = {
      {"--db", option_arity::single, "URI", "the PostgreSQL database (required)"},
      {"--help", option_arity::flag, "", "show this help"},
  };
  return table;
}

void print_options(std::FILE* stream, const std::vector<option_spec>& options) {
  for (const option_spec& option : options) {
    std::string left(option.name);
    if (!option.value_name.empty()) left += " " + std::string(option.value_name);
    std::fprintf(stream, "  %-26s %.*s\n", left.c_str(), static_cast<int>(option.help.size()),
                 option.help.data());
  }
}

void print_import_usage(std::FILE* stream) {
  std::fprintf(stream,
               "usage: npskit import --db FILE|URI [FILE.jsonl|-]\n\n"
               "Loads answers exported as JSONL (npskit export, /api/responses.jsonl) into a\n"
               "collector's storage, from FILE or standard input. Answers whose id is already\n"
               "stored are skipped, so an interrupted import can simply be run again.\n\n");
  print_options(stream, import_options());
}

void print_migrate_usage(std::FILE* stream) {
  std::fprintf(stream,
               "usage: npskit migrate --db URI\n\n"
               "Applies the PostgreSQL schema migrations the database lacks (npskit serve also\n"
               "does at start-up), under an advisory lock so that collectors starting at the\n"
               "same moment wait for each other.\n\n");
  print_options(stream, migrate_options());
}

struct import_totals {
  std::size_t stored = 0;
  std::size_t duplicates = 0;
  std::size_t rejected = 0;
  std::size_t failed = 0;
};

class progress_line {
 public:
  explicit progress_line(bool shown) : shown_(shown) {}
  void update(const import_totals& totals, bool last = false) {
    if (!shown_) return;
    const auto now = std::chrono::steady_clock::now();
    if (!last && now - drawn_ < std::chrono::milliseconds(200)) return;
    drawn_ = now;
    std::fprintf(stderr, "\r%zu stored, %zu already there, %zu rejected%s", totals.stored,
                 totals.duplicates, totals.rejected, last ? "\n" : "");
    std::fflush(stderr);
  }

 private:
  bool shown_;
  std::chrono::steady_clock::time_point drawn_{};
};

}  // namespace

int run_import(const std::vector<std::string>& args) {
  auto parsed = parse_arguments(import_options(), args);
  if (!parsed) {
    std::fprintf(stderr, "npskit import: %s\n", parsed.error().message.c_str());
    print_import_usage(stderr);
    return 2;
  }
  if (parsed->has("--help")) {
    print_import_usage(stdout);
    return 0;
  }
  const auto usage_error = [](const std::string& message) {
    std::fprintf(stderr, "npskit import: %s\n", message.c_str());
    return 2;
  };
  if (parsed->operands().size() > 1) {
    return usage_error("unexpected argument \"" + parsed->operands()[1] + "\" (one file at most)");
  }
  const auto db = parsed->value("--db");
  if (!db) return usage_error("--db FILE|URI is required");
  auto target = parse_storage_target(*db);
  if (!target) return usage_error(target.error().message);
  storage_settings settings;
  if (auto mode = parsed->value("--synchronous")) {
    auto synchronous = parse_synchronous_mode(*mode);
    if (!synchronous) return usage_error(synchronous.error().message);
    settings.synchronous = *synchronous;
  }
  const std::string name =
      parsed->operands().empty() ? std::string("-") : parsed->operands().front();
  std::FILE* input = name == "-" ? stdin : std::fopen(name.c_str(), "rb");
  if (input == nullptr) {
    std::fprintf(stderr, "npskit import: \"%s\": cannot open\n", name.c_str());
    return 1;
  }
  const std::string shown_name = name == "-" ? "standard input" : "\"" + name + "\"";

  auto storage = open_storage(*target, settings, storage_access::read_write);
  if (!storage) {
    std::fprintf(stderr, "npskit import: %s\n", storage.error().message.c_str());
    if (input != stdin) std::fclose(input);
    return 1;
  }
  // An export's answers keep their submitted_at; received_at is this import.
  const std::string received_at = utc_timestamp_now();
  import_totals totals;
  progress_line progress(::isatty(STDERR_FILENO) == 1);
  std::vector<response> batch;
  const auto flush = [&] {
    if (batch.empty()) return;
    for (const store_outcome outcome : (*storage)->store_many(batch, received_at)) {
      if (outcome == store_outcome::stored) ++totals.stored;
      // An answer of a contact and campaign with an earlier one stored (one
      // answer per contact and campaign) is there too, as that one.
      if (outcome == store_outcome::duplicate || outcome == store_outcome::already_answered) {
        ++totals.duplicates;
      }
      if (outcome == store_outcome::failed) ++totals.failed;
    }
    batch.clear();
    progress.update(totals);
  };
  char* buffer = nullptr;
  std::size_t capacity = 0;
  std::size_t line_number = 0;
  ssize_t length = 0;
  while (totals.failed == 0 && (length = ::getline(&buffer, &capacity, input)) >= 0) {
    ++line_number;
    std::string_view line(buffer, static_cast<std::size_t>(length));
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    auto answer = parse_response(line, received_at);
    if (answer) {
      batch.push_back(std::move(*answer));
      if (batch.size() >= import_batch) flush();
      continue;
    }
    ++totals.rejected;
    std::fprintf(stderr, "%snpskit import: %s line %zu: %s\n",
                 ::isatty(STDERR_FILENO) == 1 ? "\r" : "", shown_name.c_str(), line_number,
                 answer.error().message.c_str());
  }
  std::free(buffer);
  const bool read_failed = std::ferror(input) != 0;
  if (input != stdin) std::fclose(input);
  flush();
  progress.update(totals, true);
  (*storage)->close();
  if (read_failed) {
    std::fprintf(stderr, "npskit import: %s: read error after line %zu\n", shown_name.c_str(),
                 line_number);
    return 1;
  }
  if (totals.failed > 0) {
    std::fprintf(stderr,
                 "npskit import: %s: %zu answers could not be stored (see above); run the "
                 "import again, stored answers are skipped\n",
                 target->display.c_str(), totals.failed);
    return 1;
  }
  std::printf("%zu stored, %zu already there, %zu rejected\n", totals.stored, totals.duplicates,
              totals.rejected);
  return totals.rejected == 0 ? 0 : 1;
}

int run_migrate(const std::vector<std::string>& args) {
  auto parsed = parse_arguments(migrate_options(), args);
  if (!parsed) {
    std::fprintf(stderr, "npskit migrate: %s\n", parsed.error().message.c_str());
    print_migrate_usage(stderr);
    return 2;
  }
  if (parsed->has("--help")) {
    print_migrate_usage(stdout);
    return 0;
  }
  if (!parsed->operands().empty()) {
    std::fprintf(stderr, "npskit migrate: unexpected argument \"%s\"\n",
                 parsed->operands().front().c_str());
    return 2;
  }
  const auto db = parsed->value("--db");
  if (!db) {
    std::fprintf(stderr, "npskit migrate: --db URI is required\n");
    return 2;
  }
  auto target = parse_storage_target(*db);
  if (target && target->kind != storage_kind::postgresql) {
    std::fprintf(stderr,
                 "npskit migrate: --db \"%s\" is a SQLite file (expected a PostgreSQL URI; "
                 "SQLite files are brought up to date when npskit serve opens them)\n",
                 db->c_str());
    return 2;
  }
  if (!target) {
    std::fprintf(stderr, "npskit migrate: %s\n", target.error().message.c_str());
    return 2;
  }
  auto applied = migrate_postgres(*target);
  if (!applied) {
    std::fprintf(stderr, "npskit migrate: %s\n", applied.error().message.c_str());
    return 1;
  }
  if (applied->empty()) {
    std::printf("schema already at version %d\n", postgres_schema_version());
  }
  for (const int version : *applied) std::printf("applied migration %d\n", version);
  return 0;
}

}  // namespace npskit::cli
