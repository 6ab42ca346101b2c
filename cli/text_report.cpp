#include "text_report.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "format.h"

namespace npskit::cli {

namespace {

constexpr std::size_t histogram_bar_width = 30;

std::string percent(double share) { return fixed(share, 1) + "%"; }

std::string signed_points(double value) {
  std::string text = fixed(value, 1);
  if (text[0] != '-' && text != "0.0") text.insert(0, "+");
  return text;
}

std::string band_description(const std::vector<band>& bands, const std::string& name) {
  for (std::size_t index = 0; index < bands.size(); ++index) {
    if (bands[index].name != name) continue;
    const double upper = index + 1 < bands.size() ? bands[index + 1].lower : 100;
    return name + " (" + fixed(bands[index].lower, 0) + " to " + fixed(upper, 0) + ")";
  }
  return name;
}

std::string key_figures(const summary& value, const report_context& context) {
  const score_summary& overall = value.overall;
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"Responses", std::to_string(overall.n)});
  if (overall.n == 0) {
    rows.push_back({"NPS", "no answers yet"});
  } else {
    rows.push_back({"NPS", nps_with_interval(overall.nps, overall.interval)});
    if (!overall.band.empty()) {
      rows.push_back({"Band", band_description(context.bands, overall.band)});
    }
  }
  if (overall.weighted) {
    const weighted_estimate& weighted = *overall.weighted;
    rows.push_back({"Weighted NPS", nps_with_interval(weighted.nps, weighted.interval) +
                                        ", effective n " + fixed(weighted.n_effective, 1) +
                                        " (Kish)"});
  }
  if (value.dismissals > 0) {
    std::string dismissals = std::to_string(value.dismissals);
    if (value.response_rate) {
      dismissals += " (response rate " + percent(*value.response_rate * 100) + ")";
    }
    rows.push_back({"Dismissals", dismissals});
  }
  std::string text = table(rows, {false, false}, "  ");

  if (overall.n > 0) {
    const counts& categories = overall.categories;
    text +=
        "\n" +
        table({{"Promoters", std::to_string(categories.promoters),
                percent(overall.percent.promoters)},
               {"Passives", std::to_string(categories.passives), percent(overall.percent.passives)},
               {"Detractors", std::to_string(categories.detractors),
                percent(overall.percent.detractors)}},
              {false, true, true}, "  ");
  }
  return text;
}

std::string histogram_chart(const score_summary& overall) {
  const std::uint64_t tallest =
      *std::max_element(overall.histogram.begin(), overall.histogram.end());
  std::vector<std::vector<std::string>> rows;
  for (std::size_t score = 0; score < overall.histogram.size(); ++score) {
    const std::uint64_t answers = overall.histogram[score];
    const double share_of_tallest =
        tallest == 0 ? 0 : static_cast<double>(answers) / static_cast<double>(tallest);
    const double share_of_all = static_cast<double>(answers) / static_cast<double>(overall.n) * 100;
    rows.push_back({std::to_string(score),
                    pad_right(bar(share_of_tallest, histogram_bar_width), histogram_bar_width),
                    std::to_string(answers), percent(share_of_all)});
  }
  return "Scores\n" + table(rows, {true, false, true, true}, "  ");
}

std::string rejected_rows(const summary& value, const report_context& context) {
  std::string text = "Rejected rows: " + std::to_string(value.rejected) + " (not counted)\n";
  const std::size_t listed = std::min(context.rejections.size(), listed_rejections);
  for (std::size_t index = 0; index < listed; ++index) {
    const located_rejection& row = context.rejections[index];
    text += "  ";
    if (!row.file.empty()) text += row.file + ": ";
    // The reader's reasons already start with their line; others get it here.
    const std::string line_prefix = "line " + std::to_string(row.line) + ": ";
    if (row.reason.rfind(line_prefix, 0) != 0) text += line_prefix;
    text += row.reason + "\n";
  }
  if (value.rejected > listed) {
    text += "  ... and " + std::to_string(value.rejected - listed) + " more\n";
  }
  return text;
}

std::string group_table(const summary& value, const std::string& group_name) {
  const interval& overall_interval = value.overall.interval;
  const double alpha = 1 - overall_interval.confidence;  // for printing p with enough digits
  const bool by_segment = value.by == group_by::segment;
  const std::string grouping = !group_name.empty() ? group_name
                               : by_segment        ? "segment"
                                                   : to_string(value.by);
  std::string key_heading = grouping;
  key_heading[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(key_heading[0])));

  std::vector<std::vector<std::string>> rows;
  rows.push_back({key_heading, "n", "NPS", confidence_label(overall_interval.confidence) + " CI",
                  by_segment ? "vs rest" : "vs previous", "p", ""});
  bool any_significant = false;
  bool any_untestable = false;
  const group_test* tested = nullptr;
  for (const group_summary& group : value.groups) {
    const score_summary& stats = group.stats;
    std::string label = group.key;
    if (!group.columns.empty()) {
      // Terminal tables line up bytes, so the crossed cell is spelt in ASCII.
      label.clear();
      for (std::size_t i = 0; i < group.columns.size(); ++i) {
        label += (i == 0 ? "" : ", ") + group.columns[i] + "=" + group.values[i];
      }
    }
    std::vector<std::string> row{label, std::to_string(stats.n)};
    if (stats.n == 0) {
      row.insert(row.end(), {"-", "", "", "", ""});
      rows.push_back(std::move(row));
      continue;
    }
    row.push_back(fixed(stats.nps, 1));
    row.push_back(interval_text(stats.interval));
    if (group.versus) {
      tested = &*group.versus;
      any_significant = any_significant || group.versus->significant;
      const comparison& test = group.versus->test;
      // The plain difference, readable off the NPS column and the reference.
      row.push_back(signed_points(test.diff));
      if (test.se > 0) {
        row.push_back(p_value_label(test.p_value, alpha, group.versus->significant));
      } else {
        any_untestable = true;
        row.push_back("n/a");
      }
      row.push_back(group.versus->significant ? "*" : "");
    } else if (group.below_minimum) {
      row.insert(row.end(), {"too few", "", ""});
    } else {
      row.insert(row.end(), {"", "", ""});
    }
    rows.push_back(std::move(row));
  }
  std::string text = "By " + grouping + "\n";
  text += table(rows, {false, true, true, true, true, true, false}, "  ");
  if (tested != nullptr) {
    text += by_segment ? "  vs rest: NPS points above or below all other answers"
                       : "  vs previous: NPS points up or down from the period before";
    text += std::string("; p from a two-sided z test (") + method_label(tested->test.method);
    if (tested->test.adjusted_diff) text += ", on the adjusted estimates";
    text += ")\n";
  }
  if (any_untestable) {
    text +=
        "  n/a: every answer on both sides in one category, so the Wald test has no "
        "standard error\n";
  }
  if (value.min_group_size > 0) {
    text +=
        "  too few: fewer than " + std::to_string(value.min_group_size) + " answers, not tested\n";
  }
  if (any_significant) {
    text += "  * significant at " + confidence_label(overall_interval.confidence) + "\n";
  }
  if (tested != nullptr && value.overall.weighted) {
    text += "  Groups and tests count answers unweighted; weights apply to the weighted NPS.\n";
  }
  return text;
}

std::string undated_note(const undated_answers& undated) {
  const bool one = undated.count == 1;
  std::string text = std::to_string(undated.count) + (one ? " answer" : " answers") +
                     " without a usable date " + (one ? "is" : "are") +
                     " in the total but in no period:\n";
  for (const undated_answers::reason& item : undated.reasons) {
    text += "  " + std::to_string(item.count) + " ";
    switch (item.problem) {
      case date_problem::missing:
        text += "without a date\n";
        break;
      case date_problem::needs_date_order:
        text += "with day and month in an order not given, such as " + quote(item.example) +
                " (read them with --date-order dmy or mdy)\n";
        break;
      case date_problem::invalid:
        text +=
            "not readable as a date, such as " + quote(item.example) + ": " + item.message + "\n";
        break;
    }
  }
  return text;
}

std::string theme_list(const std::vector<theme>& themes) {
  std::string text;
  for (const theme& entry : themes) {
    if (!text.empty()) text += ", ";
    text += entry.term + " (" + std::to_string(entry.count) + ")";
  }
  return text;
}

std::string top_themes(const category_themes& themes) {
  std::vector<std::vector<std::string>> rows;
  if (!themes.promoters.empty()) rows.push_back({"Promoters", theme_list(themes.promoters)});
  if (!themes.passives.empty()) rows.push_back({"Passives", theme_list(themes.passives)});
  if (!themes.detractors.empty()) rows.push_back({"Detractors", theme_list(themes.detractors)});
  if (rows.empty()) return "";
  return "Top themes in comments\n" + table(rows, {false, false}, "  ");
}

std::string share_text(const rating_summary& stats) {
  return percent(*stats.share) + " (" + confidence_label(stats.confidence) + " CI " +
         percent(stats.share_interval->low) + " to " + percent(stats.share_interval->high) +
         ", Wilson)";
}

std::string mean_text(const rating_summary& stats) {
  std::string text = fixed(*stats.mean, 2);
  if (stats.mean_interval) {
    text += " (" + confidence_label(stats.confidence) + " CI " +
            fixed(stats.mean_interval->low, 2) + " to " + fixed(stats.mean_interval->high, 2) +
            ", Student's t), sd " + fixed(*stats.sd, 2);
  } else {
    text += " (one answer: no interval)";
  }
  return text;
}

// Appends a test's difference and p-value cells to row (empty without a test).
void rating_test_cells(const std::optional<rating_test>& test, int digits, double alpha,
                       double confidence, std::vector<std::string>& row) {
  if (!test) {
    row.insert(row.end(), {"", ""});
    return;
  }
  std::string diff = fixed(test->diff, digits);
  if (diff[0] != '-' && test->diff != 0) diff.insert(0, "+");
  row.push_back(diff);
  const bool significant = is_significant(*test, confidence);
  row.push_back(test->se > 0
                    ? p_value_label(test->p_value, alpha, significant) + (significant ? " *" : "")
                    : "n/a");
}

// CSAT or CES beside the NPS: the share of top answers (the CSAT % or the
// CES "easy" share) and, apart, the mean rating, each with its interval.
std::string rating_section(const rating_report& report, group_by by) {
  const rating_summary& overall = report.overall;
  const rating_scale scale = scale_of(overall.metric);
  const bool csat = overall.metric == rating_metric::csat;
  const std::string name = csat ? "CSAT" : "CES";
  const std::string share_name = csat ? "CSAT %" : "Easy %";
  const std::string top_range = std::to_string(scale.top_from) + "-" + std::to_string(scale.high);
  std::string text = name + " (" + std::to_string(scale.low) + "-" + std::to_string(scale.high) +
                     (csat ? ", satisfied " : ", easy ") + top_range + ")\n";
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"Answers", std::to_string(overall.n)});
  rows.push_back({share_name, share_text(overall)});
  rows.push_back({"Mean rating", mean_text(overall) + " (the mean, not " + share_name + ")"});
  std::string distribution;
  for (int rating = scale.low; rating <= scale.high; ++rating) {
    if (!distribution.empty()) distribution += "  ";
    distribution += std::to_string(rating) + ": " +
                    std::to_string(overall.histogram[static_cast<std::size_t>(rating - 1)]);
  }
  rows.push_back({"Distribution", distribution});
  text += table(rows, {false, false}, "  ");
  if (by == group_by::none || report.groups.empty()) return text;

  const double alpha = 1 - overall.confidence;
  const bool by_segment = by == group_by::segment;
  std::string heading = by_segment ? "Segment" : to_string(by);
  heading[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(heading[0])));
  const std::string versus = by_segment ? "vs rest" : "vs previous";
  std::vector<std::vector<std::string>> group_rows;
  group_rows.push_back({heading, "n", share_name, confidence_label(overall.confidence) + " CI",
                        versus, "p", "Mean", versus, "p"});
  for (const rating_group_summary& group : report.groups) {
    const rating_summary& stats = group.stats;
    std::vector<std::string> row{group.key, std::to_string(stats.n)};
    if (stats.n == 0) {
      row.insert(row.end(), {"-", "", "", "", "-", "", ""});
      group_rows.push_back(std::move(row));
      continue;
    }
    row.push_back(percent(*stats.share));
    row.push_back(percent(stats.share_interval->low) + " to " +
                  percent(stats.share_interval->high));
    rating_test_cells(group.share_versus, 1, alpha, overall.confidence, row);
    row.push_back(fixed(*stats.mean, 2));
    rating_test_cells(group.mean_versus, 2, alpha, overall.confidence, row);
    group_rows.push_back(std::move(row));
  }
  text += "\n" + table(group_rows, {false, true, true, true, true, true, true, true, true}, "  ");
  text += "  " + share_name +
          " tested with the two-proportion z test, the mean with Welch's t test" +
          "; * significant at " + confidence_label(overall.confidence) + "\n";
  return text;
}

}  // namespace

std::string interval_text(const interval& range) {
  std::string text = fixed(range.low, 1) + " to " + fixed(range.high, 1);
  if (range.adjusted_nps) text += " around the adjusted estimate " + fixed(*range.adjusted_nps, 1);
  return text;
}

std::string nps_with_interval(double nps, const interval& range) {
  return fixed(nps, 1) + " (" + confidence_label(range.confidence) + " CI " + interval_text(range) +
         ", " + method_label(range.method) + ")";
}

std::string table(const std::vector<std::vector<std::string>>& rows,
                  const std::vector<bool>& right_aligned, std::string_view indent) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (std::size_t column = 0; column < row.size(); ++column) {
      widths[column] = std::max(widths[column], display_width(row[column]));
    }
  }
  std::string text;
  for (const auto& row : rows) {
    std::string line(indent);
    for (std::size_t column = 0; column < row.size(); ++column) {
      if (column > 0) line += "  ";
      const bool right = column < right_aligned.size() && right_aligned[column];
      line +=
          right ? pad_left(row[column], widths[column]) : pad_right(row[column], widths[column]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    text += line + "\n";
  }
  return text;
}

std::string summary_text(const summary& value, const report_context& context) {
  std::string text = "NPS summary of " + context.source + "\n\n";
  text += key_figures(value, context);
  if (context.scores_known && value.overall.n > 0) text += "\n" + histogram_chart(value.overall);
  if (value.rejected > 0) text += "\n" + rejected_rows(value, context);
  if (value.by != group_by::none && !value.groups.empty()) {
    text += "\n" + group_table(value, context.group_name);
  }
  if (value.undated && value.undated->count > 0) text += "\n" + undated_note(*value.undated);
  if (value.csat) text += "\n" + rating_section(*value.csat, value.by);
  if (value.ces) text += "\n" + rating_section(*value.ces, value.by);
  const std::string themes = top_themes(value.themes);
  if (!themes.empty()) text += "\n" + themes;
  return text;
}

}  // namespace npskit::cli
