#include "collector/webhook_payload.h"

#include <nlohmann/json.hpp>

#include "npskit/tally.h"
#include "utf8.h"

namespace npskit::cli {

namespace {

using json = nlohmann::json;

// A Slack section's text holds at most 3000 characters; comments are cut
// well below that so the surrounding words always fit.
constexpr std::size_t max_slack_comment_bytes = 2500;
constexpr std::size_t max_slack_fallback_bytes = 300;

std::string quoted_json(std::string_view text) {
  return json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
}

// Slack reads &, < and > as markup (links, mentions); everything else is text.
std::string slack_escape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      default:
        escaped.push_back(c);
    }
  }
  return escaped;
}

std::string category_name(const response& value) {
  auto category = classify(value.score);
  return category ? to_string(*category) : "dismissal";
}

std::string capitalized(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(text[0] - 'a' + 'A');
  return text;
}

}  // namespace

std::string webhook_event_type(const response& value) {
  if (value.type == record_type::dismissal) return "dismissal.recorded";
  return "response." + category_name(value);
}

std::string inbox_link(std::string_view public_url, const response& value) {
  return std::string(public_url) + "/admin/#/inbox/" + value.id;
}

std::string standard_webhook_payload(const response& value, std::string_view received_at,
                                     std::string_view link) {
  // value.json is the answer exactly as stored (compact, valid JSON), so it
  // is spliced in rather than parsed and written again.
  std::string body = "{\"type\":" + quoted_json(webhook_event_type(value)) +
                     ",\"timestamp\":" + quoted_json(received_at) + ",\"data\":";
  body += value.json;
  body += ",\"links\":{\"inbox\":" + quoted_json(link) + "}}";
  return body;
}

std::string slack_payload(const response& value, std::string_view link) {
  const std::string survey = slack_escape(value.survey);
  const std::string comment = utf8::sanitized(value.comment, max_slack_comment_bytes);
  std::string headline;
  std::string fallback;
  if (value.type == record_type::dismissal) {
    headline = "*Dismissed* the survey `" + survey + "`";
    fallback = "Survey " + value.survey + " dismissed";
  } else {
    const std::string category = category_name(value);
    headline = "*" + capitalized(category) + "*: scored *" + std::to_string(value.score) +
               "*/10 in the survey `" + survey + "`";
    fallback =
        capitalized(category) + " (" + std::to_string(value.score) + "/10) in " + value.survey;
    if (!comment.empty()) fallback += ": " + comment;
  }
  std::string details = headline;
  if (!comment.empty()) {
    details += "\n";
    // Every line of the comment quoted, so that it reads as the respondent's words.
    std::string escaped = slack_escape(comment);
    std::size_t start = 0;
    while (start <= escaped.size()) {
      const std::size_t end = escaped.find('\n', start);
      details += "\n>" + escaped.substr(start, end - start);
      if (end == std::string::npos) break;
      start = end + 1;
    }
  } else if (value.type != record_type::dismissal) {
    details += "\n_No comment._";
  }
  json blocks = json::array();
  blocks.push_back({{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", details}}}});
  std::string context = "<" + slack_escape(link) + "|Open in the inbox>";
  if (!value.submitted_at.empty()) context += " · " + slack_escape(value.submitted_at);
  blocks.push_back(
      {{"type", "context"}, {"elements", json::array({{{"type", "mrkdwn"}, {"text", context}}})}});
  const json message = {{"text", slack_escape(utf8::sanitized(fallback, max_slack_fallback_bytes))},
                        {"blocks", blocks}};
  return message.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace npskit::cli
