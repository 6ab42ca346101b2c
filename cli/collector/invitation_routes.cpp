#include "collector/invitation_routes.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>

#include "collector/invitation_sender.h"
#include "collector/invitations.h"
#include "collector/personal_link.h"
#include "email_message.h"

namespace npskit::cli {

namespace {

using json = nlohmann::json;

http_response json_answer(int status, const json& body) {
  http_response response;
  response.status = status;
  response.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  response.set_header("Content-Type", "application/json");
  response.set_header("Cache-Control", "no-store");
  return response;
}

http_response json_error(int status, std::string_view code, std::string_view field,
                         const std::string& message) {
  return json_answer(status, json{{"error", code}, {"field", field}, {"message", message}});
}

http_response storage_failure(std::string_view doing, const std::string& detail) {
  std::fprintf(stderr, "npskit serve: %.*s: %s\n", static_cast<int>(doing.size()), doing.data(),
               detail.c_str());
  return json_error(500, "storage_unavailable", "database",
                    "database: invitations cannot be read or written right now; retry later");
}

// A small page of its own: no script, styles inline and allowed by the
// policy, never framed, no referrer (the URL holds the signature).
http_response page(int status, std::string_view title, const std::string& body_html) {
  http_response response;
  response.status = status;
  response.body = std::string(
                      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                      "<title>") +
                  std::string(title) +
                  "</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;"
                  "margin:3rem auto;padding:0 1rem;color:#1a1a1a;background:#fff}"
                  "button{font:inherit;padding:.5rem 1.25rem;border-radius:.375rem;"
                  "border:1px solid #1a56db;background:#1a56db;color:#fff;cursor:pointer}"
                  "@media (prefers-color-scheme:dark){body{color:#eee;background:#121212}}"
                  "</style></head><body><main><h1>" +
                  std::string(title) + "</h1>" + body_html + "</main></body></html>\n";
  response.set_header("Content-Type", "text/html; charset=utf-8");
  response.set_header("Content-Security-Policy",
                      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                      "frame-ancestors 'none'");
  response.set_header("Referrer-Policy", "no-referrer");
  response.set_header("Cache-Control", "no-store");
  response.set_header("X-Robots-Tag", "noindex");
  return response;
}

// c and sig: from the query (the link, and the one-click POST to it), or
// from an application/x-www-form-urlencoded body.
std::optional<std::string> form_value(const http_request& request, std::string_view name) {
  if (auto value = request.param(name)) return value;
  const std::string content_type = ascii_lower(request.header("Content-Type"));
  if (content_type.rfind("application/x-www-form-urlencoded", 0) != 0) return std::nullopt;
  std::string_view body = request.body;
  while (!body.empty()) {
    const std::size_t end = body.find('&');
    const std::string_view pair = body.substr(0, end);
    const std::size_t equals = pair.find('=');
    if (percent_decode(pair.substr(0, equals), true) == name) {
      return equals == std::string_view::npos ? std::string()
                                              : percent_decode(pair.substr(equals + 1), true);
    }
    if (end == std::string_view::npos) break;
    body.remove_prefix(end + 1);
  }
  return std::nullopt;
}

const char* const known_fields[] = {"survey", "campaign", "contact", "email",
                                    "name",   "locale",   "delay"};

json invitation_json(const invitation_record& record) {
  json body{{"id", record.id},
            {"survey", record.survey},
            {"campaign", record.campaign},
            {"contact", record.contact},
            {"channel", record.channel},
            {"state", to_string(record.state)},
            {"send_after", record.send_after}};
  if (!record.reason.empty()) body["reason"] = record.reason;
  if (!record.sent_at.empty()) body["sent_at"] = record.sent_at;
  if (!record.last_error.empty()) body["last_error"] = record.last_error;
  return body;
}

// Answers per invitation sent, 0..1 and more when answers came from a
// shared link too; null before anything was sent.
json response_rate(std::uint64_t answers, std::int64_t sent) {
  if (sent <= 0) return nullptr;
  return static_cast<double>(answers) / static_cast<double>(sent);
}

}  // namespace

http_response post_invitation(collector_state& state, const http_request& request) {
  const std::string content_type = ascii_lower(request.header("Content-Type"));
  if (content_type.substr(0, content_type.find(';')) != "application/json") {
    return json_error(415, "unsupported_media_type", "Content-Type",
                      "Content-Type: \"" + printable(request.header("Content-Type")) +
                          "\" is not accepted (expected application/json)");
  }
  const json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return json_error(400, "parse_error", "body",
                      "body: not a JSON object (expected {\"survey\", \"campaign\", \"contact\", "
                      "\"email\", ...})");
  }
  for (const auto& [key, value] : body.items()) {
    bool known = false;
    for (const char* field : known_fields) known = known || key == field;
    if (!known) {
      return json_error(400, "invalid_field", key,
                        printable(key) +
                            ": not an invitation field (expected survey, campaign, contact, "
                            "email, name, locale, delay)");
    }
    if (!value.is_string() && !(value.is_null() && key != "survey" && key != "campaign" &&
                                key != "contact" && key != "email")) {
      return json_error(400, "invalid_field", key, key + ": expected a string");
    }
  }
  const auto text = [&body](const char* key) {
    const auto found = body.find(key);
    return found == body.end() || found->is_null() ? std::string() : found->get<std::string>();
  };
  invitation_request wanted;
  wanted.survey = text("survey");
  wanted.campaign = text("campaign");
  wanted.contact = text("contact");
  wanted.email = text("email");
  wanted.name = text("name");
  wanted.locale = text("locale");
  const struct {
    const char* field;
    const std::string* value;
    std::optional<std::string> (*check)(std::string_view);
  } checks[] = {{"survey", &wanted.survey, check_survey_key},
                {"campaign", &wanted.campaign, check_campaign_name},
                {"contact", &wanted.contact, check_contact_id},
                {"email", &wanted.email, check_email_address},
                {"name", &wanted.name, check_display_name},
                {"locale", &wanted.locale, check_locale_tag}};
  for (const auto& check : checks) {
    if (body.find(check.field) == body.end() && check.check(*check.value)) {
      return json_error(400, "missing_field", check.field,
                        std::string(check.field) + ": missing (required)");
    }
    if (auto problem = check.check(*check.value)) {
      return json_error(
          400, "invalid_field", check.field,
          std::string(check.field) + ": \"" + printable(*check.value) + "\" " + *problem);
    }
  }
  std::int64_t delay_ms = state.invitations.options.default_delay_ms;
  if (const std::string delay = text("delay"); body.contains("delay") && !body["delay"].is_null()) {
    auto parsed = parse_delay("delay", delay);
    if (!parsed) return json_error(400, "invalid_field", "delay", parsed.error().message);
    delay_ms = *parsed;
  }
  const auto now = std::chrono::system_clock::now();
  wanted.send_after = utc_timestamp_at(now + std::chrono::milliseconds(delay_ms));
  const std::int64_t days = state.invitations.options.resurvey_days;
  const std::string window_start =
      days > 0 ? utc_timestamp_at(now - std::chrono::hours(24 * days)) : std::string();
  auto queued = state.store->queue_invitations({wanted}, window_start);
  if (!queued) return storage_failure("invitations", queued.error().message);
  const queue_outcome& outcome = queued->front();
  json answer = invitation_json(outcome.record);
  answer["status"] = outcome.created ? "created" : "existing";
  if (outcome.created && outcome.record.state == invitation_state::queued &&
      state.invitations.sender != nullptr) {
    state.invitations.sender->wake();
  }
  return json_answer(outcome.created ? 201 : 200, answer);
}

http_response get_campaigns(collector_state& state, const http_request& request) {
  const std::string survey = request.param("survey").value_or("");
  auto totals = state.store->read_campaign_totals(survey);
  if (!totals) return storage_failure("campaigns", totals.error().message);
  // Answers per survey and campaign, from the counts kept as answers commit.
  std::map<std::pair<std::string, std::string>, std::uint64_t> answered;
  std::set<std::string> surveys;
  for (const campaign_totals& campaign : *totals) surveys.insert(campaign.survey);
  for (const std::string& name : surveys) {
    auto counts = state.store->read_counts(row_filter{name, "", ""}, count_grouping::campaign);
    if (!counts) return storage_failure("campaigns", counts.error().message);
    for (const stored_counts::row& row : counts->rows) answered[{name, row.group}] += row.count;
  }
  json list = json::array();
  for (const campaign_totals& campaign : *totals) {
    const std::uint64_t answers = answered[{campaign.survey, campaign.campaign}];
    list.push_back(json{{"survey", campaign.survey},
                        {"campaign", campaign.campaign},
                        {"invited", campaign.invited},
                        {"queued", campaign.queued},
                        {"sending", campaign.sending},
                        {"sent", campaign.sent},
                        {"failed", campaign.failed},
                        {"skipped", campaign.skipped},
                        {"answered", answers},
                        {"response_rate", response_rate(answers, campaign.sent)}});
  }
  return json_answer(200, json{{"campaigns", std::move(list)}});
}

std::string add_response_rates(answer_storage& storage, const std::string& survey,
                               const std::string& summary_json) {
  json summary = json::parse(summary_json, nullptr, false);
  const auto groups = summary.is_object() ? summary.find("groups") : summary.end();
  if (summary.is_discarded() || groups == summary.end() || !groups->is_array()) {
    return summary_json;
  }
  auto totals = storage.read_campaign_totals(survey);
  if (!totals) {
    std::fprintf(stderr, "npskit serve: summary: %s\n", totals.error().message.c_str());
    return summary_json;
  }
  std::map<std::string, std::int64_t> sent;  // every survey's when none is selected
  for (const campaign_totals& campaign : *totals) sent[campaign.campaign] += campaign.sent;
  for (json& group : *groups) {
    const auto key = group.find("key");
    const auto answers = group.find("n");
    if (key == group.end() || !key->is_string() || answers == group.end()) continue;
    const auto found = sent.find(key->get<std::string>());
    if (found == sent.end()) continue;  // not a campaign sent from here
    group["invitations"] = found->second;
    group["response_rate"] = response_rate(answers->get<std::uint64_t>(), found->second);
  }
  return summary.dump(-1, ' ', false, json::error_handler_t::replace);
}

http_response unsubscribe(collector_state& state, const http_request& request) {
  const bool post = request.method == "POST";
  if (!post && request.method != "GET" && request.method != "HEAD") {
    http_response refused = page(405, "Unsubscribe", "<p>Open the link from the e-mail.</p>");
    refused.set_header("Allow", "GET, HEAD, POST");
    return refused;
  }
  if (!state.link_key) {
    std::fprintf(stderr,
                 "npskit serve: unsubscribe: no link key to check the link with (a PostgreSQL "
                 "--db needs --link-secret-file FILE, the file `npskit send` signs with)\n");
    return page(503, "Unsubscribe unavailable",
                "<p>This collector cannot check unsubscribe links right now. Please try again "
                "later or reply to the e-mail.</p>");
  }
  const auto contact = form_value(request, "c");
  const auto signature = form_value(request, "sig");
  if (!contact || contact->empty() || !signature || signature->empty()) {
    return page(400, "Incomplete unsubscribe link",
                "<p>The link is missing part of its address (<code>c</code> and "
                "<code>sig</code>). Open the whole link from the e-mail, or use the unsubscribe "
                "button of your mail program.</p>");
  }
  if (!unsubscribe_valid(*state.link_key, *contact, *signature)) {
    return page(403, "This unsubscribe link is not valid",
                "<p>The link was changed or cut short, so it cannot say who to unsubscribe. "
                "Nothing was recorded. Open the whole link from the e-mail.</p>");
  }
  if (!post) {
    // Mail scanners and link previews open links: a GET only asks.
    std::string action;  // the same link, as an HTML attribute
    for (const char c : unsubscribe_link("", *contact, *signature)) {
      action += c == '&' ? std::string("&amp;") : std::string(1, c);
    }
    return page(200, "Unsubscribe from surveys",
                "<p>Stop receiving survey invitations at this address?</p>"
                "<form method=\"post\" action=\"" +
                    action +
                    "\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
                    "<button type=\"submit\">Unsubscribe</button></form>");
  }
  auto recorded = state.store->record_unsubscribe(*contact, utc_timestamp_now());
  if (!recorded) {
    std::fprintf(stderr, "npskit serve: unsubscribe: %s\n", recorded.error().message.c_str());
    return page(503, "Please try again",
                "<p>The unsubscribe could not be recorded right now. Please try again in a "
                "moment.</p>");
  }
  return page(200, "You are unsubscribed",
              "<p>You will not receive survey invitations at this address again.</p>");
}

}  // namespace npskit::cli
