// Options of `npskit serve`: the table that drives parsing and help, and the
// checked values the collector runs with.
#ifndef NPSKIT_CLI_COLLECTOR_SERVE_OPTIONS_H
#define NPSKIT_CLI_COLLECTOR_SERVE_OPTIONS_H

#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

#include "arguments.h"
#include "collector/access.h"
#include "collector/invitation_options.h"
#include "collector/personal_answers.h"
#include "collector/storage.h"
#include "collector/webhook_options.h"
#include "npskit/result.h"

namespace npskit::cli {

struct serve_options {
  std::string host = "127.0.0.1";
  int port = 8080;
  storage_target db{storage_kind::sqlite, "npskit.db", "npskit.db"};
  std::string root;
  std::vector<std::string> allowed_origins;  // lower-case; "*" admits any
  std::size_t max_body = 16384;
  double rate_per_minute = 600;
  synchronous_mode synchronous = synchronous_mode::full;
  std::size_t threads = 64;  // requests handled at once
  std::size_t max_connections = 2048;
  std::size_t max_connections_per_client = 64;
  std::size_t db_connections = 8;  // PostgreSQL: the pool of reading connections
  access_options access;
  // The dashboard and inbox served at /admin/ (dist/admin); empty: none found.
  std::string admin_root;
  // The hosted survey page served at /s/SURVEY (dist/survey); empty: none found.
  std::string survey_root;
  // Answers received longer ago than this many days are erased (their counts
  // stay); 0 keeps every answer.
  std::size_t retain_days = 0;
  webhook_options webhooks;          // alert destinations and their retry schedule
  personal_answer_options personal;  // answers from personal links
  invitation_options invitations;    // sending after events, unsubscribe links
};

const std::vector<option_spec>& serve_option_table();
void print_serve_usage(std::FILE* stream);

// Checks every option; errors name the option, the value and what was expected.
result<serve_options> read_serve_options(const parsed_arguments& parsed);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_SERVE_OPTIONS_H
