#include "collector/public_summary.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "npskit/tally.h"

namespace npskit::cli {
namespace {

void strip_themes(std::vector<theme>& themes, std::uint64_t min_group) {
  // A term used by only a few people can name one of them.
  themes.erase(std::remove_if(themes.begin(), themes.end(),
                              [min_group](const theme& item) { return item.count < min_group; }),
               themes.end());
  for (theme& item : themes) item.examples.clear();
}

}  // namespace

result<public_summary> make_public_summary(summary full, std::uint64_t min_group,
                                           const summary_options& options) {
  public_summary out;
  out.min_group = min_group;
  summary& value = full;

  strip_themes(value.themes.promoters, min_group);
  strip_themes(value.themes.passives, min_group);
  strip_themes(value.themes.detractors, min_group);
  // Reasons quote the rejected input.
  value.rejections.clear();
  // CSAT and CES are shown overall only, and only from min_group answers up:
  // their groups are not folded like the NPS groups, so none is published.
  for (std::optional<rating_report>* ratings : {&value.csat, &value.ces}) {
    if (!*ratings) continue;
    if ((*ratings)->overall.n < min_group) {
      ratings->reset();
    } else {
      (*ratings)->groups.clear();
    }
  }

  fold_small_groups(value, min_group);
  out.folded.groups = value.folded->groups;
  out.folded.answers = value.folded->answers;

  if (value.overall.n < min_group) {
    auto empty = summarize_tally(tally(), options);
    if (!empty) return empty.error();
    value.overall = std::move(*empty);
    value.themes = category_themes{};
    out.folded.overall = true;
  }
  out.value = std::move(value);
  return out;
}

bool public_summary_allows_parameter(std::string_view name) {
  return name != "from" && name != "to";
}

namespace {

void withhold_small_ratings(nlohmann::json& block, std::uint64_t min_group) {
  for (const char* metric : {"csat", "ces"}) {
    const auto found = block.find(metric);
    if (found == block.end() || !found->is_object()) continue;
    const auto n = found->find("n");
    if (n == found->end() || !n->is_number_unsigned() || n->get<std::uint64_t>() < min_group) {
      block.erase(found);
    }
  }
}

nlohmann::json withheld(const std::string& summary_json, std::uint64_t min_group) {
  using json = nlohmann::json;
  json out = json::parse(summary_json, nullptr, false);
  if (!out.is_object()) return out;
  withhold_small_ratings(out, min_group);
  const auto groups = out.find("groups");
  if (groups != out.end() && groups->is_array()) {
    for (json& group : *groups) {
      if (group.is_object()) withhold_small_ratings(group, min_group);
    }
  }
  return out;
}

}  // namespace

std::string withhold_small_rating_blocks(const std::string& summary_json, std::uint64_t min_group) {
  using json = nlohmann::json;
  json out = withheld(summary_json, min_group);
  if (!out.is_object()) return summary_json;
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string to_json(const public_summary& value) {
  using json = nlohmann::json;
  // The core writes valid JSON; parsed without exceptions, as everywhere here.
  json out = withheld(npskit::to_json(value.value), value.min_group);
  // The core wrote what it folded; the collector adds whether it withheld
  // the overall too.
  out["folded"]["overall"] = value.folded.overall;
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace npskit::cli
