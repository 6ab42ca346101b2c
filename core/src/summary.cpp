#include "npskit/summary.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace npskit {
namespace {

using json = nlohmann::ordered_json;

counts minus(const counts& all, const counts& part) {
  return counts{all.promoters - part.promoters, all.passives - part.passives,
                all.detractors - part.detractors};
}

// A comparison needs answers on both sides; otherwise there is nothing to
// test and versus stays absent.
std::optional<group_test> test_if_possible(const counts& own, const counts& reference,
                                           const summary_options& options) {
  if (own.n() == 0 || reference.n() == 0) return std::nullopt;
  result<comparison> tested = compare_groups(own, reference, options.method);
  if (!tested) return std::nullopt;
  group_test out;
  out.test = tested.value();
  out.significant = is_significant(out.test, options.confidence);
  out.reference_nps = nps(reference);
  return out;
}

// JSON has no NaN or infinity; a value that is not finite is written as null
// so every reader gets valid JSON and sees "no value" rather than a number.
json number(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }

json interval_json(const interval& range) {
  json out = json::object();
  out["method"] = to_string(range.method);
  out["confidence"] = number(range.confidence);
  out["low"] = number(range.low);
  out["high"] = number(range.high);
  out["se"] = number(range.se);
  if (range.adjusted_nps) out["adjusted_nps"] = number(*range.adjusted_nps);
  return out;
}

// Without answers the score, its shares, interval and band are unknown, not
// 0, "fair" and +-100: null tells every view to say so.
void write_scores(json& out, const score_summary& value) {
  out["n"] = value.n;
  out["promoters"] = value.categories.promoters;
  out["passives"] = value.categories.passives;
  out["detractors"] = value.categories.detractors;
  json histogram = json::array();
  for (const std::uint64_t count : value.histogram) histogram.push_back(count);
  out["histogram"] = std::move(histogram);
  if (value.n == 0) {
    out["nps"] = nullptr;
    out["percent"] = nullptr;
    out["interval"] = nullptr;
    out["band"] = nullptr;
    out["interval_bands"] = nullptr;
    return;
  }
  out["nps"] = number(value.nps);
  json percent = json::object();
  percent["promoters"] = number(value.percent.promoters);
  percent["passives"] = number(value.percent.passives);
  percent["detractors"] = number(value.percent.detractors);
  out["percent"] = std::move(percent);
  out["interval"] = interval_json(value.interval);
  out["band"] = value.band;
  out["interval_bands"] = {{"low", value.band_low}, {"high", value.band_high}};
  if (value.weighted) {
    out["n_effective"] = number(value.weighted->n_effective);
    out["weighted_nps"] = number(value.weighted->nps);
    out["weighted_interval"] = interval_json(value.weighted->interval);
  }
}

json versus_json(const std::optional<group_test>& versus) {
  if (!versus) return nullptr;
  const comparison& test = versus->test;
  json out = json::object();
  out["reference"] = to_string(versus->reference);
  if (versus->reference == reference_kind::previous) out["reference_key"] = versus->reference_key;
  out["reference_nps"] = number(versus->reference_nps);
  out["diff"] = number(test.diff);
  if (test.adjusted_diff) out["adjusted_diff"] = number(*test.adjusted_diff);
  out["se"] = number(test.se);
  out["z"] = number(test.z);
  out["p_value"] = number(test.p_value);
  out["method"] = to_string(test.method);
  out["significant"] = versus->significant;
  out["weighted"] = false;
  return out;
}

json themes_json(const std::vector<theme>& themes) {
  json out = json::array();
  for (const theme& item : themes) {
    json entry = json::object();
    entry["term"] = item.term;
    entry["count"] = item.count;
    entry["score"] = number(item.score);
    entry["examples"] = item.examples;
    out.push_back(std::move(entry));
  }
  return out;
}

json undated_json(const undated_answers& undated) {
  json reasons = json::array();
  for (const undated_answers::reason& item : undated.reasons) {
    json entry = json::object();
    entry["reason"] = to_string(item.problem);
    entry["count"] = item.count;
    entry["example"] = item.example;
    entry["message"] = item.message;
    reasons.push_back(std::move(entry));
  }
  json out = json::object();
  out["count"] = undated.count;
  out["reasons"] = std::move(reasons);
  return out;
}

rating_tally rating_rest(const rating_tally& all, const rating_tally& part) {
  rating_tally rest(all.metric());
  for (int value = 1; value <= 7; ++value) {
    const auto index = static_cast<std::size_t>(value - 1);
    const std::uint64_t count = all.histogram()[index] - part.histogram()[index];
    if (count > 0) static_cast<void>(rest.add_many(value, count));
  }
  return rest;
}

std::optional<rating_test> optional_test(const result<rating_test>& tested) {
  if (!tested) return std::nullopt;
  return tested.value();
}

result<std::optional<rating_report>> rating_report_of(
    const rating_tally& overall, const std::map<std::string, rating_pair>& groups,
    rating_metric metric, group_by by, double confidence, std::uint64_t min_group_size) {
  if (overall.n() == 0) return std::optional<rating_report>();
  result<rating_summary> overall_stats = summarize_ratings(overall, confidence);
  if (!overall_stats) return overall_stats.error();
  rating_report out;
  out.overall = overall_stats.value();
  out.min_group_size = min_group_size;
  std::optional<rating_tally> previous;
  std::string previous_key;
  for (const auto& [key, pair] : groups) {
    const rating_tally& own = metric == rating_metric::csat ? pair.csat : pair.ces;
    const rating_tally& other = metric == rating_metric::csat ? pair.ces : pair.csat;
    if (own.n() == 0 && other.n() == 0) continue;
    rating_group_summary entry;
    entry.key = key;
    entry.stats = summarize_ratings(own, confidence).value();
    std::optional<rating_tally> reference;
    if (by == group_by::segment) {
      reference = rating_rest(overall, own);
    } else if (previous) {
      reference = previous;
      entry.reference = reference_kind::previous;
      entry.reference_key = previous_key;
    }
    entry.below_minimum = own.n() < min_group_size;
    if (reference && !entry.below_minimum) {
      entry.share_versus = optional_test(compare_shares(own, *reference));
      entry.mean_versus = optional_test(compare_means(own, *reference));
    }
    if (own.n() > 0 && !entry.below_minimum) {
      previous = own;
      previous_key = key;
    }
    out.groups.push_back(std::move(entry));
  }
  return std::optional<rating_report>(std::move(out));
}

json rating_interval_json(const std::optional<rating_interval>& range, const char* method,
                          double confidence, std::optional<double> df) {
  if (!range) return nullptr;
  json out = json::object();
  out["method"] = method;
  out["confidence"] = number(confidence);
  out["low"] = number(range->low);
  out["high"] = number(range->high);
  out["se"] = number(range->se);
  if (df) out["df"] = number(*df);
  return out;
}

json optional_number(const std::optional<double>& value) {
  return value ? number(*value) : json(nullptr);
}

void write_ratings(json& out, const rating_summary& value) {
  out["n"] = value.n;
  const rating_scale scale = scale_of(value.metric);
  json histogram = json::array();
  for (int rating = scale.low; rating <= scale.high; ++rating) {
    histogram.push_back(value.histogram[static_cast<std::size_t>(rating - 1)]);
  }
  out["histogram"] = std::move(histogram);
  out["top"] = value.top;
  out["share"] = optional_number(value.share);
  out["share_interval"] =
      rating_interval_json(value.share_interval, "wilson", value.confidence, std::nullopt);
  out["mean"] = optional_number(value.mean);
  out["sd"] = optional_number(value.sd);
  out["mean_interval"] = rating_interval_json(
      value.mean_interval, "t", value.confidence,
      value.n >= 2 ? std::optional<double>(static_cast<double>(value.n - 1)) : std::nullopt);
}

json rating_test_json(const std::optional<rating_test>& test, const char* name,
                      const char* statistic, double confidence) {
  if (!test) return nullptr;
  json out = json::object();
  out["test"] = name;
  out["diff"] = number(test->diff);
  out["se"] = number(test->se);
  out[statistic] = number(test->statistic);
  if (test->df) out["df"] = number(*test->df);
  out["p_value"] = number(test->p_value);
  out["significant"] = is_significant(*test, confidence);
  return out;
}

json rating_report_json(const rating_report& report, bool grouped) {
  json out = json::object();
  const rating_scale scale = scale_of(report.overall.metric);
  json scale_json = json::object();
  scale_json["low"] = scale.low;
  scale_json["high"] = scale.high;
  scale_json["top_from"] = scale.top_from;
  out["scale"] = std::move(scale_json);
  write_ratings(out, report.overall);
  if (!grouped) return out;
  const double confidence = report.overall.confidence;
  json groups = json::array();
  for (const rating_group_summary& group : report.groups) {
    json entry = json::object();
    entry["key"] = group.key;
    write_ratings(entry, group.stats);
    if (report.min_group_size > 0) entry["below_minimum"] = group.below_minimum;
    if (!group.share_versus && !group.mean_versus) {
      entry["versus"] = nullptr;
    } else {
      json versus = json::object();
      versus["reference"] = to_string(group.reference);
      if (group.reference == reference_kind::previous)
        versus["reference_key"] = group.reference_key;
      versus["share"] = rating_test_json(group.share_versus, "two-proportion", "z", confidence);
      versus["mean"] = rating_test_json(group.mean_versus, "welch", "t", confidence);
      entry["versus"] = std::move(versus);
    }
    groups.push_back(std::move(entry));
  }
  out["groups"] = std::move(groups);
  return out;
}

}  // namespace

const char* to_string(reference_kind value) {
  return value == reference_kind::previous ? "previous" : "rest";
}

// A weighted tally whose weights are all zero has no weighted estimate;
// weighted then stays absent and the unweighted statistics still stand.
result<score_summary> summarize_tally(const tally& value, const summary_options& options) {
  const counts categories = value.category_counts();
  result<interval> range = compute_interval(categories, options.method, options.confidence);
  if (!range) return range.error();
  score_summary out;
  out.n = categories.n();
  out.categories = categories;
  out.histogram = value.histogram();
  out.nps = nps(categories);
  out.percent = percentages(categories);
  out.interval = range.value();
  out.band = band_for(options.bands, out.nps);
  out.band_low = band_for(options.bands, out.interval.low);
  out.band_high = band_for(options.bands, out.interval.high);
  if (value.weighted()) {
    result<weighted_estimate> weighted =
        weighted_nps(value.weights(), options.method, options.confidence);
    if (weighted) out.weighted = weighted.value();
  }
  return out;
}

// Segments are tested against every other answer (the rest of the data, not
// the overall score that contains the segment itself). Periods are tested
// against the previous period that has answers, so a trend reads as a chain
// of period-over-period changes.
result<summary> summarize(const aggregate& data, const summary_options& options,
                          std::uint64_t rejected, const std::vector<rejection>& rejections) {
  result<score_summary> overall = summarize_tally(data.overall(), options);
  if (!overall) return overall.error();
  summary out;
  out.overall = std::move(overall.value());
  out.by = data.by();
  const counts all = data.overall().category_counts();
  out.min_group_size = options.min_group_size;
  if (data.by() == group_by::segment && data.segment_columns().size() >= 2) {
    out.segment_columns = data.segment_columns();
    for (const auto& [cell, group] : data.cells()) {
      result<score_summary> stats = summarize_tally(group, options);
      if (!stats) return stats.error();
      group_summary entry;
      for (std::size_t i = 0; i < cell.values.size(); ++i) {
        entry.key += (i == 0 ? "" : " \u00d7 ") + cell.values[i];
        entry.columns.push_back(data.segment_columns()[cell.columns[i]]);
      }
      entry.values = cell.values;
      entry.stats = std::move(stats.value());
      const counts own = group.category_counts();
      entry.below_minimum = own.n() < options.min_group_size;
      if (!entry.below_minimum) entry.versus = test_if_possible(own, minus(all, own), options);
      out.groups.push_back(std::move(entry));
    }
  }
  std::optional<counts> previous;
  std::string previous_key;
  for (const auto& [key, group] : data.groups()) {
    result<score_summary> stats = summarize_tally(group, options);
    if (!stats) return stats.error();
    group_summary entry;
    entry.key = key;
    if (data.by() != group_by::segment) {
      const period unit = data.by() == group_by::day    ? period::day
                          : data.by() == group_by::week ? period::week
                                                        : period::month;
      result<std::string> start = period_start(key, unit);
      if (start) entry.start = std::move(*start);
    }
    entry.stats = std::move(stats.value());
    const counts own = group.category_counts();
    entry.below_minimum = own.n() < options.min_group_size;
    if (entry.below_minimum) {
      // Too few answers to test; the chain of periods skips it too.
    } else if (data.by() == group_by::segment) {
      entry.versus = test_if_possible(own, minus(all, own), options);
    } else if (previous) {
      entry.versus = test_if_possible(own, *previous, options);
      if (entry.versus) {
        entry.versus->reference = reference_kind::previous;
        entry.versus->reference_key = previous_key;
      }
    }
    if (own.n() > 0 && !entry.below_minimum) {
      previous = own;
      previous_key = key;
    }
    out.groups.push_back(std::move(entry));
  }
  out.dismissals = data.dismissals();
  if (out.dismissals > 0) {
    const double responses = static_cast<double>(out.overall.n);
    out.response_rate = responses / (responses + static_cast<double>(out.dismissals));
  }
  out.rejected = rejected;
  out.rejections = rejections;
  out.themes = data.themes().top(options.themes_per_category);
  const std::map<std::string, rating_pair> rating_groups = data.ratings().groups();
  for (const rating_metric metric : {rating_metric::csat, rating_metric::ces}) {
    const rating_pair& overall_ratings = data.ratings().overall();
    auto report = rating_report_of(
        metric == rating_metric::csat ? overall_ratings.csat : overall_ratings.ces, rating_groups,
        metric, data.by(), options.confidence, options.min_group_size);
    if (!report) return report.error();
    (metric == rating_metric::csat ? out.csat : out.ces) = std::move(report.value());
  }
  if (data.by() == group_by::day || data.by() == group_by::week || data.by() == group_by::month) {
    out.undated = data.undated();
  }
  if (options.fold_groups_below > 0) fold_small_groups(out, options.fold_groups_below);
  return out;
}

void fold_small_groups(summary& value, std::uint64_t min_group) {
  std::vector<bool> folded(value.groups.size(), false);
  std::uint64_t folded_answers = 0;
  for (std::size_t i = 0; i < value.groups.size(); ++i) {
    if (value.groups[i].stats.n < min_group) {
      folded[i] = true;
      folded_answers += value.groups[i].stats.n;
    }
  }
  // Secondary suppression: one small group folded alone could be recovered
  // by subtracting the groups shown from the overall.
  while (folded_answers > 0 && folded_answers < min_group) {
    std::size_t smallest = value.groups.size();
    for (std::size_t i = 0; i < value.groups.size(); ++i) {
      if (!folded[i] && (smallest == value.groups.size() ||
                         value.groups[i].stats.n < value.groups[smallest].stats.n)) {
        smallest = i;
      }
    }
    if (smallest == value.groups.size()) break;
    folded[smallest] = true;
    folded_answers += value.groups[smallest].stats.n;
  }

  folded_groups out;
  out.min_group = min_group;
  std::vector<group_summary> shown;
  bool previous_folded = false;
  for (std::size_t i = 0; i < value.groups.size(); ++i) {
    group_summary& group = value.groups[i];
    const bool has_answers = group.stats.n > 0;
    if (folded[i]) {
      ++out.groups;
      out.answers += group.stats.n;
    } else {
      if (value.by != group_by::segment && previous_folded) group.versus.reset();
      shown.push_back(std::move(group));
    }
    if (has_answers) previous_folded = folded[i];
  }
  value.groups = std::move(shown);
  value.folded = out;
}

// Comments, segments and rejection reasons come from user files and may hold
// invalid UTF-8; it is written as U+FFFD instead of failing the whole summary.
std::string to_json(const summary& value, int indent) {
  json out = json::object();
  out["schema"] = "npskit.summary/1";
  write_scores(out, value.overall);
  out["rejected"] = value.rejected;
  json rejections = json::array();
  for (const rejection& item : value.rejections) {
    json entry = json::object();
    entry["line"] = item.line;
    entry["reason"] = item.reason;
    entry["text"] = item.text;
    rejections.push_back(std::move(entry));
  }
  out["rejections"] = std::move(rejections);
  if (value.by != group_by::none) out["by"] = to_string(value.by);
  if (!value.segment_columns.empty()) out["segment_columns"] = value.segment_columns;
  if (value.min_group_size > 0) out["min_group_size"] = value.min_group_size;
  if (value.folded) {
    out["folded"] = json{{"min_group", value.folded->min_group},
                         {"groups", value.folded->groups},
                         {"answers", value.folded->answers}};
  }
  if (value.undated) out["undated"] = undated_json(*value.undated);
  if (value.response_rate) {
    out["dismissals"] = value.dismissals;
    out["response_rate"] = number(*value.response_rate);
  }
  json groups = json::array();
  for (const group_summary& group : value.groups) {
    json entry = json::object();
    entry["key"] = group.key;
    if (!group.columns.empty()) {
      entry["columns"] = group.columns;
      entry["values"] = group.values;
    }
    write_scores(entry, group.stats);
    if (!group.start.empty()) entry["start"] = group.start;
    if (value.min_group_size > 0) entry["below_minimum"] = group.below_minimum;
    entry["versus"] = versus_json(group.versus);
    groups.push_back(std::move(entry));
  }
  out["groups"] = std::move(groups);
  if (value.csat) out["csat"] = rating_report_json(*value.csat, value.by != group_by::none);
  if (value.ces) out["ces"] = rating_report_json(*value.ces, value.by != group_by::none);
  json themes = json::object();
  themes["promoters"] = themes_json(value.themes.promoters);
  themes["passives"] = themes_json(value.themes.passives);
  themes["detractors"] = themes_json(value.themes.detractors);
  out["themes"] = std::move(themes);
  return out.dump(indent, ' ', false, json::error_handler_t::replace);
}

std::string to_json(const rating_summary& value) {
  rating_report report;
  report.overall = value;
  return rating_report_json(report, false).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string rating_comparison_json(const rating_tally& a, const rating_tally& b,
                                   double confidence) {
  json out = json::object();
  out["share"] =
      rating_test_json(optional_test(compare_shares(a, b)), "two-proportion", "z", confidence);
  out["mean"] = rating_test_json(optional_test(compare_means(a, b)), "welch", "t", confidence);
  return out.dump();
}

std::string to_json(const comparison& test, double confidence) {
  json out = json::object();
  out["method"] = to_string(test.method);
  out["diff"] = number(test.diff);
  if (test.adjusted_diff) out["adjusted_diff"] = number(*test.adjusted_diff);
  out["se"] = number(test.se);
  out["z"] = number(test.z);
  out["p_value"] = number(test.p_value);
  out["confidence"] = number(confidence);
  out["significant"] = is_significant(test, confidence);
  return out.dump();
}

}  // namespace npskit
