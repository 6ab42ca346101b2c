#include "collector/answer_origin.h"

#include <nlohmann/json.hpp>

#include "npskit/text.h"

namespace npskit::cli {

answer_origin origin_of(const response& value) {
  answer_origin origin;
  origin.channel = value.channel.empty() ? "web" : value.channel;
  if (!value.answer_id.empty()) return origin;
  origin.campaign = value.campaign;
  origin.contact = value.contact;
  return origin;
}

std::optional<origin_dimension> parse_origin_dimension(std::string_view name) {
  if (name == "channel") return origin_dimension::channel;
  if (name == "campaign") return origin_dimension::campaign;
  return std::nullopt;
}

const char* to_string(origin_dimension dimension) {
  return dimension == origin_dimension::channel ? "channel" : "campaign";
}

const char* blank_group(origin_dimension dimension) {
  return dimension == origin_dimension::channel ? "web" : "(none)";
}

std::string origin_group(origin_dimension dimension, std::string_view value) {
  const std::string_view trimmed = npskit::text::trim(value);
  return trimmed.empty() ? std::string(blank_group(dimension)) : std::string(trimmed);
}

namespace {
using json = nlohmann::json;
}  // namespace

std::string label_origin_summary(const std::string& summary_json, origin_dimension dimension,
                                 int indent) {
  json summary = json::parse(summary_json, nullptr, false);
  if (summary.is_discarded() || !summary.is_object()) return summary_json;
  summary["by"] = to_string(dimension);
  if (dimension == origin_dimension::campaign) {
    auto groups = summary.find("groups");
    if (groups != summary.end() && groups->is_array()) {
      for (json& group : *groups) {
        group["invitations"] = nullptr;
        group["response_rate"] = nullptr;
      }
    }
  }
  return summary.dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace npskit::cli
