// `npskit send`: sends a campaign's invitations to the contacts of a CSV
// file over SMTP. Every invitation is recorded in the collector's database
// before it is sent, so running the same campaign again sends nothing twice
// and resumes where an interrupted run stopped.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "arguments.h"
#include "collector/collector.h"
#include "collector/export.h"
#include "collector/invitation_sender.h"
#include "collector/invitations.h"
#include "collector/personal_link.h"
#include "collector/rate_limiter.h"
#include "collector/smtp_client.h"
#include "collector/storage.h"
#include "email_message.h"
#include "npskit/contacts.h"

namespace npskit::cli {

namespace {

// Invitations recorded per transaction while queueing a file.
constexpr std::size_t queue_batch = 500;

std::atomic<bool> stop_requested{false};

void request_stop(int) { stop_requested = true; }

const std::vector<option_spec>& send_option_table() {
  static const std::vector<option_spec> table = [] {
    std::vector<option_spec> all = {
        {"--contacts", option_arity::single, "FILE.csv",
         "contacts: columns contact, email, optional name, locale (required)"},
        {"--campaign", option_arity::single, "NAME",
         "the campaign: each contact is sent at most once per campaign (required)"},
        {"--survey", option_arity::single, "KEY", "the survey asked (required)"},
        {"--base-url", option_arity::single, "URL",
         "where the collector serves /s/ and /unsubscribe (required)"},
        {"--db", option_arity::single, "FILE|URI",
         "the collector's database, where invitations are recorded (required)"},
        {"--resurvey-days", option_arity::single, "N",
         "skip contacts asked or answering in the last N days (default 90; 0: off)"},
        {"--rate", option_arity::single, "N/min", "messages per minute (default: no limit)"},
        {"--link-secret-file", option_arity::single, "FILE",
         "the key signing links (default: <db>.link-key; required with PostgreSQL)"},
        {"--locale", option_arity::single, "TAG",
         "language of contacts without a locale column value (default en)"},
        {"--product", option_arity::single, "NAME", "the name the question asks about"},
        {"--report", option_arity::single, "FILE.csv",
         "write every invitation of the campaign with its state"},
    };
    const auto& smtp = smtp_option_table();
    all.insert(all.end(), smtp.begin(), smtp.end());
    all.push_back({"--help", option_arity::flag, "", "show this help"});
    return all;
  }();
  return table;
}

void print_send_usage(std::FILE* stream) {
  std::fprintf(
      stream,
      "usage: npskit send --contacts FILE.csv --campaign NAME --survey KEY --base-url URL\n"
      "                   --db FILE|URI --smtp smtps://USER@HOST:PORT [--from ADDRESS]\n"
      "                   [--resurvey-days N] [--rate N/min] [--smtp-password-file FILE]\n"
      "                   [--link-secret-file FILE] [--locale TAG] [--product NAME]\n"
      "                   [--report FILE.csv]\n\n"
      "Sends the survey's invitation e-mail (the first question with 11 score links,\n"
      "personal signed links and a one-click unsubscribe) to every contact of the file.\n"
      "Each invitation is recorded in the database before it is sent: running the same\n"
      "campaign again sends nothing twice and resumes an interrupted run. Contacts who\n"
      "unsubscribed, or were asked or answered within --resurvey-days, are skipped.\n"
      "The SMTP password comes from --smtp-password-file or NPSKIT_SMTP_PASSWORD,\n"
      "never from the command line.\n\n");
  for (const option_spec& option : send_option_table()) {
    std::string left(option.name);
    if (!option.value_name.empty()) left += " " + std::string(option.value_name);
    std::fprintf(stream, "  %-32s %.*s\n", left.c_str(), static_cast<int>(option.help.size()),
                 option.help.data());
  }
}

struct send_plan {
  std::string contacts_file;
  std::string survey;
  std::string campaign;
  storage_target db;
  std::int64_t resurvey_days = 90;
  double per_minute = 0;
  std::string link_secret_file;
  std::string report_file;
  smtp_settings smtp;
  mail_settings mail;
};

error usage(std::string message) {
  return make_error(error_code::invalid_argument, std::move(message));
}

result<send_plan> read_plan(const parsed_arguments& parsed) {
  if (!parsed.operands().empty()) {
    return usage("unexpected argument \"" + parsed.operands().front() + "\"");
  }
  send_plan plan;
  for (const char* required :
       {"--contacts", "--campaign", "--survey", "--base-url", "--db", "--smtp"}) {
    if (!parsed.value(required)) return usage(std::string(required) + ": missing (required)");
  }
  plan.contacts_file = *parsed.value("--contacts");
  plan.survey = *parsed.value("--survey");
  plan.campaign = *parsed.value("--campaign");
  if (auto problem = check_survey_key(plan.survey)) {
    return usage("--survey: \"" + plan.survey + "\" " + *problem);
  }
  if (auto problem = check_campaign_name(plan.campaign)) {
    return usage("--campaign: \"" + plan.campaign + "\" " + *problem);
  }
  auto db = parse_storage_target(*parsed.value("--db"));
  if (!db) return db.error();
  plan.db = std::move(*db);
  plan.mail.base_url = *parsed.value("--base-url");
  if (plan.mail.base_url.rfind("https://", 0) != 0 && plan.mail.base_url.rfind("http://", 0) != 0) {
    return usage("--base-url: \"" + plan.mail.base_url +
                 "\" is not an http:// or https:// URL (expected where the collector is "
                 "reachable, e.g. https://nps.example.com)");
  }
  if (auto days = parsed.value("--resurvey-days")) {
    auto number = parse_whole_number("--resurvey-days", *days);
    if (!number) return number.error();
    if (*number > 3650) {
      return usage("--resurvey-days: " + *days + " is out of range (expected 0..3650 days)");
    }
    plan.resurvey_days = static_cast<std::int64_t>(*number);
  }
  if (auto rate = parsed.value("--rate")) {
    auto per_minute = parse_rate(*rate);
    if (!per_minute) return per_minute.error();
    plan.per_minute = *per_minute;
  }
  if (auto locale = parsed.value("--locale")) {
    const std::string matched = match_email_locale(*locale);
    if (matched.empty()) {
      std::string known;
      for (const std::string& code : email_locales()) known += (known.empty() ? "" : ", ") + code;
      return usage("--locale: \"" + *locale + "\" is not a language of the messages (expected " +
                   known + ")");
    }
    plan.mail.default_locale = matched;
  }
  if (auto product = parsed.value("--product")) plan.mail.product = *product;
  if (auto report = parsed.value("--report")) plan.report_file = *report;
  if (auto secret = parsed.value("--link-secret-file")) {
    plan.link_secret_file = *secret;
  } else if (plan.db.kind == storage_kind::sqlite) {
    plan.link_secret_file = default_link_secret_path(plan.db.location);
  } else {
    return usage(
        "--link-secret-file: required with a PostgreSQL --db (give `npskit serve` and "
        "`npskit send` the same file, so that the collector accepts the links)");
  }
  auto smtp = read_smtp_options(parsed);
  if (!smtp) return smtp.error();
  plan.smtp = std::move(**smtp);
  return plan;
}

result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return usage("--contacts: cannot read \"" + path + "\"");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// What this run did, for the summary.
struct tally {
  std::size_t contacts = 0;
  std::size_t bad_rows = 0;
  std::size_t sent = 0;
  std::size_t failed = 0;
  std::size_t retried = 0;                     // failed in an earlier run, queued again
  std::map<std::string, std::size_t> skipped;  // reason -> contacts
};

constexpr const char* already_sent = "already sent in this campaign";
constexpr const char* interrupted =
    "interrupted while sending in an earlier run (not sent again: at most once)";

void note_existing(const invitation_record& record, tally& counts) {
  switch (record.state) {
    case invitation_state::sent:
      ++counts.skipped[already_sent];
      break;
    case invitation_state::sending:
      ++counts.skipped[interrupted];
      break;
    case invitation_state::skipped:
      ++counts.skipped[record.reason];
      break;
    case invitation_state::queued:
    case invitation_state::failed:
      break;
  }
}

status write_report(answer_storage& storage, const send_plan& plan) {
  auto records = storage.read_invitations(plan.survey, plan.campaign);
  if (!records) return records.error();
  std::string text = "contact,email,state,reason,sent_at,attempts,last_error\r\n";
  for (const invitation_record& record : *records) {
    const std::string attempts = std::to_string(record.attempts);
    const std::string_view cells[] = {record.contact,   record.email,   to_string(record.state),
                                      record.reason,    record.sent_at, attempts,
                                      record.last_error};
    bool first = true;
    for (const std::string_view cell : cells) {
      if (!first) text.push_back(',');
      first = false;
      append_csv_field(cell, csv_text::spreadsheet_safe, text);
    }
    text += "\r\n";
  }
  std::ofstream out(plan.report_file, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return usage("--report: cannot write \"" + plan.report_file + "\"");
  return ok{};
}

}  // namespace

int run_send(const std::vector<std::string>& args) {
  auto parsed = parse_arguments(send_option_table(), args);
  if (!parsed) {
    std::fprintf(stderr, "npskit send: %s\n", parsed.error().message.c_str());
    print_send_usage(stderr);
    return 2;
  }
  if (parsed->has("--help")) {
    print_send_usage(stdout);
    return 0;
  }
  auto plan = read_plan(*parsed);
  if (!plan) {
    std::fprintf(stderr, "npskit send: %s\n", plan.error().message.c_str());
    return 2;
  }
  auto text = read_file(plan->contacts_file);
  if (!text) {
    std::fprintf(stderr, "npskit send: %s\n", text.error().message.c_str());
    return 1;
  }
  auto contacts = read_contacts(*text);
  if (!contacts) {
    std::fprintf(stderr, "npskit send: --contacts \"%s\": %s\n", plan->contacts_file.c_str(),
                 contacts.error().message.c_str());
    return 1;
  }
  tally counts;
  counts.contacts = contacts->contacts.size();
  counts.bad_rows = contacts->rejected.size();
  for (const rejection& bad : contacts->rejected) {
    std::fprintf(stderr, "npskit send: %s: %s\n", plan->contacts_file.c_str(), bad.reason.c_str());
  }

  auto secret = load_or_create_link_secret(plan->link_secret_file);
  if (!secret) {
    std::fprintf(stderr, "npskit send: %s\n", secret.error().message.c_str());
    return 1;
  }
  plan->mail.secret = std::move(*secret);
  auto store = open_storage(plan->db, storage_settings{}, storage_access::read_write);
  if (!store) {
    std::fprintf(stderr, "npskit send: %s\n", store.error().message.c_str());
    return 1;
  }
  answer_storage& storage = **store;

  // SIGINT and SIGTERM end the run after the message in flight.
  struct sigaction action {};
  action.sa_handler = request_stop;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);

  const auto started = std::chrono::system_clock::now();
  const std::string now = utc_timestamp_at(started);
  const std::string window_start =
      plan->resurvey_days > 0
          ? utc_timestamp_at(started - std::chrono::hours(24 * plan->resurvey_days))
          : std::string();
  auto retried = storage.requeue_failed_invitations(plan->survey, plan->campaign, now);
  if (!retried) {
    std::fprintf(stderr, "npskit send: %s\n", retried.error().message.c_str());
    return 1;
  }
  counts.retried = *retried;

  const std::vector<contact>& rows = contacts->contacts;
  for (std::size_t first = 0; first < rows.size(); first += queue_batch) {
    std::vector<invitation_request> batch;
    for (std::size_t i = first; i < rows.size() && i < first + queue_batch; ++i) {
      batch.push_back({plan->survey, plan->campaign, rows[i].id, rows[i].email, rows[i].name,
                       rows[i].locale, now});
    }
    auto queued = storage.queue_invitations(batch, window_start);
    if (!queued) {
      std::fprintf(stderr, "npskit send: %s\n", queued.error().message.c_str());
      return 1;
    }
    for (const queue_outcome& outcome : *queued) {
      if (outcome.created && outcome.record.state == invitation_state::skipped) {
        ++counts.skipped[outcome.record.reason];
      } else if (!outcome.created) {
        note_existing(outcome.record, counts);
      }
    }
  }

  const bool terminal = ::isatty(STDERR_FILENO) != 0;
  smtp_client client(plan->smtp);
  const auto pace_start = std::chrono::steady_clock::now();
  std::size_t attempted = 0;
  while (!stop_requested) {
    if (attempted > 0) {
      const auto due =
          pace_start + std::chrono::milliseconds(pace_offset_ms(attempted, plan->per_minute));
      while (!stop_requested && std::chrono::steady_clock::now() < due) {
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
            due - std::chrono::steady_clock::now(), std::chrono::milliseconds(200)));
      }
      if (stop_requested) break;
    }
    // One at a time: a run killed mid-send leaves at most one invitation
    // `sending`.
    auto claimed =
        storage.claim_invitations({plan->survey, plan->campaign, utc_timestamp_now()}, 1);
    if (!claimed) {
      std::fprintf(stderr, "%snpskit send: %s\n", terminal ? "\n" : "",
                   claimed.error().message.c_str());
      return 1;
    }
    if (claimed->empty()) break;
    for (const invitation_record& record : *claimed) {
      const invitation_outcome outcome =
          send_invitation(storage, client, plan->mail, plan->smtp, record);
      ++attempted;
      if (outcome.state == invitation_state::sent) {
        ++counts.sent;
      } else {
        ++counts.failed;
        std::fprintf(stderr, "%snpskit send: contact %s <%s>: %s\n", terminal ? "\r\033[K" : "",
                     record.contact.c_str(), record.email.c_str(), outcome.error.c_str());
      }
    }
    if (terminal) {
      std::fprintf(stderr, "\r\033[Knpskit send: %zu sent, %zu failed", counts.sent, counts.failed);
      std::fflush(stderr);
    }
  }
  if (terminal) std::fprintf(stderr, "\r\033[K");

  std::size_t skipped = 0;
  for (const auto& [reason, count] : counts.skipped) skipped += count;
  std::printf("campaign %s of survey %s: %zu contacts, %zu bad %s\n", plan->campaign.c_str(),
              plan->survey.c_str(), counts.contacts, counts.bad_rows,
              counts.bad_rows == 1 ? "row" : "rows");
  std::printf("sent: %zu\n", counts.sent);
  std::printf("skipped: %zu\n", skipped);
  for (const auto& [reason, count] : counts.skipped) {
    std::printf("  %s: %zu\n", reason.c_str(), count);
  }
  std::printf("failed: %zu%s\n", counts.failed,
              counts.failed > 0 ? " (sending the campaign again retries them)" : "");
  if (counts.retried > 0) {
    std::printf("retried from earlier runs: %zu\n", counts.retried);
  }
  if (stop_requested) {
    std::printf("stopped before the end: sending the campaign again goes on where it stopped\n");
  }
  if (!plan->report_file.empty()) {
    if (auto written = write_report(storage, *plan); !written) {
      std::fprintf(stderr, "npskit send: %s\n", written.error().message.c_str());
      return 1;
    }
  }
  storage.close();
  return counts.failed > 0 || stop_requested ? 1 : 0;
}

}  // namespace npskit::cli
