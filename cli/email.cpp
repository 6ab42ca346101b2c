// `npskit email`: the survey's first question as an e-mail, 11 score links
// to the hosted survey page, printed for pasting into a mail tool, or one
// personalized message per contact of a CSV list, as .eml files or CSV.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "collector/personal_link.h"
#include "collector/webhook_signature.h"
#include "command.h"
#include "email_message.h"
#include "npskit/contacts.h"
#include "npskit/text.h"

namespace npskit::cli {

namespace {

constexpr std::string_view command = "email";

const std::vector<option_spec>& email_options() {
  static const std::vector<option_spec> options = {
      {"--survey", option_arity::single, "KEY", "the survey key answers are collected under"},
      {"--base-url", option_arity::single, "URL",
       "where the collector serves /s/KEY, e.g. https://nps.example.com"},
      {"--locale", option_arity::single, "L",
       "language of the message (default en; a contact's locale column wins)"},
      {"--product", option_arity::single, "NAME", "the name the question asks about"},
      {"--campaign", option_arity::single, "NAME", "campaign the answers are counted under"},
      {"--part", option_arity::single, "html|text",
       "without --contacts: the part printed (default html)"},
      {"--contacts", option_arity::single, "FILE.csv",
       "one personalized message per contact (columns contact, email, name, locale)"},
      {"--out", option_arity::single, "DIR|FILE.csv",
       "with --contacts: a folder of .eml files, or one CSV of the messages"},
      {"--from", option_arity::single, "ADDRESS",
       "the From of .eml files, e.g. \"Acme <nps@acme.example>\""},
      {"--link-secret-file", option_arity::single, "FILE",
       "key that signs personal links (default: DB.link-key)"},
      {"--db", option_arity::single, "FILE",
       "the collector's SQLite database, for the default key file (default npskit.db)"},
      {"--no-unsubscribe", option_arity::flag, "",
       "leave out the unsubscribe link and List-Unsubscribe headers"},
      {"--help", option_arity::flag, "", "show this help"},
  };
  return options;
}

constexpr std::string_view email_details =
    "Every score link opens the survey page with that score chosen; nothing is\n"
    "recorded until the person sends the answer there (or leaves the page after\n"
    "choosing), so mail scanners that open links record nothing.\n"
    "\n"
    "Contacts: a CSV file (comma, semicolon or tab) with a header naming the\n"
    "columns: contact (or contact_id, id) and email are required, name and locale\n"
    "optional. Each contact gets personal links signed with the key of\n"
    "--link-secret-file (the same file `npskit serve` uses: DB.link-key beside its\n"
    "SQLite database; created when missing), so answers are counted for that\n"
    "contact and campaign and nobody can answer in someone else's name. Rows that\n"
    "cannot be used are listed on stderr with their line and reason and counted;\n"
    "the others are written.\n"
    "\n"
    "Output with --contacts: --out DIR writes DIR/CONTACT.eml (RFC 5322, HTML and\n"
    "text, needs --from); --out FILE.csv writes contact,email,subject,html,text.\n"
    "\n"
    "Examples:\n"
    "  npskit email --survey acme-nps --base-url https://nps.example.com \\\n"
    "      --product Acme --locale sv > question.html\n"
    "  npskit email --survey acme-nps --base-url https://nps.example.com \\\n"
    "      --campaign 2026-q4 --contacts customers.csv --out outbox/ \\\n"
    "      --from 'Acme <nps@acme.example>'\n";

std::string read_whole_file(const std::string& path, std::string& failure) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    failure = "cannot open \"" + path + "\": " + std::strerror(errno);
    return {};
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) failure = "cannot read \"" + path + "\"";
  return text.str();
}

bool write_file(const std::filesystem::path& path, std::string_view text, std::string& failure) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) {
    failure = "cannot write \"" + path.string() + "\": " + std::strerror(errno);
    return false;
  }
  return true;
}

// A file name for a contact id: its safe characters, and a hash of the id
// when any had to be replaced, so two ids never share a file.
std::string file_stem(std::string_view id) {
  std::string stem;
  bool replaced = false;
  for (const char c : id) {
    const bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '@';
    stem += safe ? c : '_';
    replaced = replaced || !safe;
  }
  if (stem.size() > 80) {
    stem.resize(80);
    replaced = true;
  }
  if (stem.front() == '.') {
    stem.front() = '_';
    replaced = true;
  }
  if (replaced) stem += "-" + sha256_hex(id).substr(0, 10);
  return stem;
}

std::string csv_field(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

struct email_request {
  invitation base;
  std::string part = "html";
  std::string contacts;
  std::string out;
  std::string from;
  std::string secret_file;
  bool unsubscribe = true;
};

result<email_request> read_request(const parsed_arguments& parsed) {
  email_request request;
  for (const auto& [flag, target] :
       {std::pair<const char*, std::string*>{"--survey", &request.base.survey},
        {"--base-url", &request.base.base_url},
        {"--locale", &request.base.locale},
        {"--product", &request.base.product},
        {"--part", &request.part},
        {"--contacts", &request.contacts},
        {"--out", &request.out},
        {"--from", &request.from},
        {"--link-secret-file", &request.secret_file}}) {
    if (auto value = parsed.value(flag)) *target = std::move(*value);
  }
  if (auto campaign = parsed.value("--campaign")) {
    request.base.campaign = std::string(text::trim(*campaign));
    if (request.base.campaign.empty()) {
      return make_error(error_code::invalid_argument,
                        "--campaign: empty (expected a name such as 2026-q4)");
    }
  }
  request.unsubscribe = !parsed.has("--no-unsubscribe");
  if (request.base.survey.empty()) {
    return make_error(error_code::invalid_argument, "--survey KEY is required");
  }
  if (request.base.base_url.empty()) {
    return make_error(error_code::invalid_argument,
                      "--base-url URL is required (where the collector serves the survey page)");
  }
  if (request.part != "html" && request.part != "text") {
    return make_error(error_code::invalid_argument,
                      "--part: \"" + request.part + "\" is not html or text");
  }
  if (request.contacts.empty() && !request.out.empty()) {
    return make_error(error_code::invalid_argument, "--out needs --contacts");
  }
  if (!request.contacts.empty()) {
    if (request.out.empty()) {
      return make_error(error_code::invalid_argument,
                        "--contacts needs --out DIR (.eml files) or --out FILE.csv");
    }
    if (parsed.has("--part")) {
      return make_error(error_code::invalid_argument,
                        "--part prints one message; with --contacts every part goes to --out");
    }
    const bool to_csv =
        text::ascii_lower(std::filesystem::path(request.out).extension().string()) == ".csv";
    if (!to_csv && request.from.empty()) {
      return make_error(error_code::invalid_argument,
                        "--out " + request.out +
                            " writes .eml files, which need --from ADDRESS (e.g. \"Acme "
                            "<nps@acme.example>\")");
    }
    if (request.secret_file.empty()) {
      const std::string db = parsed.value("--db").value_or("npskit.db");
      if (db.rfind("postgres", 0) == 0) {
        return make_error(error_code::invalid_argument,
                          "--link-secret-file FILE is required with a PostgreSQL --db (every "
                          "instance of the collector shares that file)");
      }
      request.secret_file = default_link_secret_path(db);
    }
  }
  return request;
}

int print_one(const email_request& request) {
  auto message = render_invitation(request.base);
  if (!message) return usage_failure(command, message.error().message);
  print(request.part == "text" ? message->text : message->html);
  return exit_ok;
}

int write_for_contacts(const email_request& request) {
  std::string failure;
  const std::string text = read_whole_file(request.contacts, failure);
  if (!failure.empty()) return input_failure("--contacts: " + failure);
  auto list = read_contacts(text);
  if (!list) return input_failure(request.contacts + ": " + list.error().message);
  auto secret = load_or_create_link_secret(request.secret_file);
  if (!secret) return usage_failure(command, secret.error().message);
  if (secret->created) {
    std::fprintf(stderr, "npskit: email: created the personal-link key %s\n", secret->path.c_str());
  }
  if (!secret->warning.empty()) {
    std::fprintf(stderr, "npskit: email: warning: %s\n", secret->warning.c_str());
  }

  const std::filesystem::path out(request.out);
  const bool to_csv = text::ascii_lower(out.extension().string()) == ".csv";
  if (!to_csv) {
    std::error_code created;
    std::filesystem::create_directories(out, created);
    if (created) {
      return input_failure("--out: cannot create folder \"" + request.out +
                           "\": " + created.message());
    }
  }
  std::string table = "contact,email,subject,html,text\r\n";
  std::vector<std::string> problems;
  for (const rejection& rejected : list->rejected) problems.push_back(rejected.reason);
  std::size_t written = 0;
  for (const contact& person : list->contacts) {
    invitation invite = request.base;
    invite.contact = person.id;
    invite.email = person.email;
    invite.name = person.name;
    if (!person.locale.empty()) invite.locale = person.locale;
    invite.signature = sign_personal_link(*secret, invite.survey, invite.contact, invite.campaign);
    if (request.unsubscribe) {
      invite.unsubscribe_url = unsubscribe_link(invite.base_url, invite.contact,
                                                sign_unsubscribe(*secret, invite.contact));
    }
    auto message = render_invitation(invite);
    if (!message) {
      problems.push_back("line " + std::to_string(person.line) + ": " + message.error().message);
      continue;
    }
    if (to_csv) {
      table += csv_field(person.id) + "," + csv_field(person.email) + "," +
               csv_field(message->subject) + "," + csv_field(message->html) + "," +
               csv_field(message->text) + "\r\n";
    } else {
      mime_headers headers;
      headers.from = request.from;
      headers.to = person.name.empty() ? person.email : person.name + " <" + person.email + ">";
      headers.unsubscribe_url = invite.unsubscribe_url;
      if (!write_file(out / (file_stem(person.id) + ".eml"), to_mime(*message, headers), failure)) {
        return input_failure("--out: " + failure);
      }
    }
    ++written;
  }
  if (to_csv && !write_file(out, table, failure)) return input_failure("--out: " + failure);

  for (const std::string& problem : problems) {
    std::fprintf(stderr, "npskit: email: %s: %s\n", request.contacts.c_str(), problem.c_str());
  }
  std::fprintf(stderr, "npskit: email: %zu message%s written to %s; %zu row%s skipped\n", written,
               written == 1 ? "" : "s", request.out.c_str(), problems.size(),
               problems.size() == 1 ? "" : "s");
  return written == 0 && !problems.empty() ? exit_unreadable_input : exit_ok;
}

}  // namespace

int run_email(const std::vector<std::string>& args) {
  const command_help help{command, "--survey KEY --base-url URL [options]",
                          "Write the survey's first question as an e-mail: 11 score links to the\n"
                          "hosted survey page, in HTML and plain text, for one message or one per\n"
                          "contact of a CSV list.",
                          email_options(), email_details};
  result<parsed_arguments> arguments = parse_arguments(email_options(), args);
  if (!arguments) return usage_failure(command, arguments.error().message);
  if (arguments->has("--help")) {
    print_help(help);
    return exit_ok;
  }
  if (!arguments->operands().empty()) {
    return usage_failure(command, "takes no file operands (got \"" + arguments->operands()[0] +
                                      "\"; the contact list goes after --contacts)");
  }
  auto request = read_request(*arguments);
  if (!request) return usage_failure(command, request.error().message);
  return request->contacts.empty() ? print_one(*request) : write_for_contacts(*request);
}

}  // namespace npskit::cli
