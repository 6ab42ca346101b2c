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

// fold_small_groups for the groups of one rating metric: each group with
// fewer than min_group answers of it, then the smallest others until the
// folded ones hold min_group answers together (else the overall minus the
// groups shown would give a lone one back); a period after a folded period
// loses its comparison.
folded_counts fold_rating_groups(rating_report& report, group_by by, std::uint64_t min_group) {
  std::vector<rating_group_summary>& groups = report.groups;
  std::vector<bool> folded(groups.size(), false);
  std::uint64_t folded_answers = 0;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (groups[i].stats.n < min_group) {
      folded[i] = true;
      folded_answers += groups[i].stats.n;
    }
  }
  while (folded_answers > 0 && folded_answers < min_group) {
    std::size_t smallest = groups.size();
    for (std::size_t i = 0; i < groups.size(); ++i) {
      if (!folded[i] &&
          (smallest == groups.size() || groups[i].stats.n < groups[smallest].stats.n)) {
        smallest = i;
      }
    }
    if (smallest == groups.size()) break;
    folded[smallest] = true;
    folded_answers += groups[smallest].stats.n;
  }
  folded_counts out;
  std::vector<rating_group_summary> shown;
  bool previous_folded = false;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    rating_group_summary& group = groups[i];
    const bool has_answers = group.stats.n > 0;
    if (folded[i]) {
      ++out.groups;
      out.answers += group.stats.n;
    } else {
      if (by != group_by::segment && previous_folded) {
        group.share_versus.reset();
        group.mean_versus.reset();
      }
      shown.push_back(std::move(group));
    }
    if (has_answers) previous_folded = folded[i];
  }
  groups = std::move(shown);
  return out;
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
  // CSAT and CES from min_group answers up, their groups folded as the NPS
  // groups are.
  for (const auto& [ratings, folded] :
       {std::pair{&value.csat, &out.csat_folded}, std::pair{&value.ces, &out.ces_folded}}) {
    if (!*ratings) continue;
    if ((*ratings)->overall.n < min_group) {
      ratings->reset();
      folded->overall = true;
    } else {
      *folded = fold_rating_groups(**ratings, value.by, min_group);
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
  for (const auto& [metric, folded] :
       {std::pair{"csat", &value.csat_folded}, std::pair{"ces", &value.ces_folded}}) {
    const auto block = out.find(metric);
    if (block == out.end() || !block->is_object()) continue;
    (*block)["folded"] = json{
        {"min_group", value.min_group}, {"groups", folded->groups}, {"answers", folded->answers}};
  }
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace npskit::cli
