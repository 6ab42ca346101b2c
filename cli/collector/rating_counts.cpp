#include "collector/rating_counts.h"

#include <tuple>

namespace npskit::cli {

const std::array<const char*, rating_place::size> rating_place_columns = {
    "survey",        "date",        "segment",        "channel",        "campaign",
    "joined_survey", "joined_date", "joined_segment", "joined_channel", "joined_campaign"};

std::optional<rated_answer> rated_answer_of(std::int64_t sequence, std::string_view survey,
                                            std::string_view date, const counted_view& view) {
  if (!view.counted || view.dismissal || !view.has_rating()) return std::nullopt;
  rated_answer out;
  out.sequence = sequence;
  out.completes = view.answer_id;
  out.place.columns = {std::string(survey),
                       std::string(date),
                       view.segment,
                       view.channel,
                       view.campaign,
                       "",
                       "",
                       "",
                       "",
                       ""};
  out.csat = view.csat;
  out.ces = view.ces;
  return out;
}

void join_rating(rating_place& place, std::string_view survey, std::string_view date,
                 const counted_view& answer) {
  place.columns[5] = survey;
  place.columns[6] = date;
  place.columns[7] = answer.segment;
  place.columns[8] = answer.channel;
  place.columns[9] = answer.campaign;
}

void unjoin_rating(rating_place& place) {
  for (std::size_t i = 5; i < rating_place::size; ++i) place.columns[i].clear();
}

void rating_deltas::add(const rated_answer& answer, std::int64_t sign) {
  if (answer.csat != 0) entries_[key{answer.place, rating_metric::csat, answer.csat}] += sign;
  if (answer.ces != 0) entries_[key{answer.place, rating_metric::ces, answer.ces}] += sign;
}

std::string rating_group_sql(count_grouping by, const std::array<std::string, 3>& filter) {
  const char* own = by == count_grouping::segment    ? "segment"
                    : by == count_grouping::channel  ? "channel"
                    : by == count_grouping::campaign ? "campaign"
                                                     : "date";
  const std::string& survey = filter[0];
  const std::string& from = filter[1];
  const std::string& to = filter[2];
  return std::string("CASE WHEN joined_date <> '' AND (") + survey +
         " = '' OR joined_survey = " + survey + ") AND (" + from +
         " = '' OR joined_date >= " + from + ") AND (" + to + " = '' OR joined_date <= " + to +
         ") THEN joined_" + own + " ELSE " + own + " END";
}

}  // namespace npskit::cli
