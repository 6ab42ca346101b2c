// The reference collector: `npskit serve` (HTTP endpoint for widget answers,
// SQLite or PostgreSQL storage, summaries, exports, static demo), `npskit export`,
// `npskit import` and `npskit migrate`.
#ifndef NPSKIT_CLI_COLLECTOR_H
#define NPSKIT_CLI_COLLECTOR_H

#include <string>
#include <vector>

namespace npskit::cli {

// `npskit serve ARGS...`; returns the process exit code (0 ok, 2 usage, 1 failure).
int run_serve(const std::vector<std::string>& args);

// `npskit export ARGS...`; writes CSV or JSONL to stdout; exit code as above.
int run_export(const std::vector<std::string>& args);

// `npskit import --db TARGET [FILE]`: loads a JSONL export; exit code as above.
int run_import(const std::vector<std::string>& args);

// `npskit migrate --db URI`: applies PostgreSQL schema migrations; exit code as above.
int run_migrate(const std::vector<std::string>& args);

// `npskit send --contacts FILE.csv --campaign NAME ...`: sends invitations
// over SMTP, recorded in the collector's database; exit code as above.
int run_send(const std::vector<std::string>& args);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_H
