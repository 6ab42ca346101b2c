#include "collector/counted_view.h"

#include <optional>
#include <utility>

#include "npskit/aggregate.h"
#include "npskit/reader.h"

namespace npskit::cli {
namespace {

class payload_reader {
 public:
  payload_reader() {
    reader_options options;
    options.format = input_format::jsonl;
    options.max_reported_rejections = 0;
    auto created = reader::create(options, [this](const record_view& record) {
      take(record);
      return status(ok{});
    });
    if (created) reader_.emplace(std::move(*created));
  }
  payload_reader(const payload_reader&) = delete;
  payload_reader& operator=(const payload_reader&) = delete;

  counted_view view(std::string_view payload, std::string_view date) {
    view_ = counted_view{};
    date_ = date;
    if (reader_) {
      line_.assign(payload);
      line_.push_back('\n');
      (void)reader_->push(line_);
    }
    return std::move(view_);
  }

 private:
  void take(const record_view& record) {
    view_.dismissal = record.type == record_type::dismissal;
    view_.score = record.score;
    // The counts hold NPS scores only: an answer with a CSAT or CES rating is
    // set aside, so summaries that include it read the payloads and report
    // the ratings (and never take a rating for an NPS score).
    if (record.csat != 0 || record.ces != 0) return;
    if (!view_.dismissal) {
      auto day = group_key(record, group_by::day);
      if (!day || *day != date_) return;
      auto segment = group_key(record, group_by::segment);
      if (!segment) return;
      view_.segment = std::move(*segment);
      view_.comment.assign(record.comment);
    }
    view_.counted = true;
  }

  std::optional<reader> reader_;
  std::string line_;
  std::string_view date_;
  counted_view view_;
};

}  // namespace

counted_view view_of_payload(std::string_view payload, std::string_view date) {
  thread_local payload_reader payloads;
  return payloads.view(payload, date);
}

}  // namespace npskit::cli
