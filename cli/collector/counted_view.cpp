#include "collector/counted_view.h"

#include <optional>
#include <utility>

#include "collector/answer_origin.h"
#include "npskit/aggregate.h"
#include "npskit/reader.h"
#include "npskit/text.h"

namespace npskit::cli {
namespace {

class payload_reader {
 public:
  payload_reader() {
    reader_options options;
    options.format = input_format::jsonl;
    options.max_reported_rejections = 0;
    create(options);
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
    if (view_.counted && !view_.dismissal) origins_.read(line_, view_);
    return std::move(view_);
  }

 private:
  // The channel and campaign fields through a reader of their own, which
  // takes them as segment columns exactly as `npskit summarize --by
  // channel|campaign` reads an export.
  class origin_reader {
   public:
    origin_reader() {
      reader_options options;
      options.format = input_format::jsonl;
      options.max_reported_rejections = 0;
      options.segment_columns = {"channel", "campaign"};
      auto created = reader::create(options, [this](const record_view& record) {
        if (record.segment_count == 2) {
          into_->channel = origin_group(origin_dimension::channel, record.segments[0]);
          into_->campaign = origin_group(origin_dimension::campaign, record.segments[1]);
        }
        return status(ok{});
      });
      if (created) reader_.emplace(std::move(*created));
    }
    void read(const std::string& line, counted_view& into) {
      into.channel = blank_group(origin_dimension::channel);
      into.campaign = blank_group(origin_dimension::campaign);
      into_ = &into;
      if (reader_) (void)reader_->push(line);
    }

   private:
    std::optional<reader> reader_;
    counted_view* into_ = nullptr;
  };

  void create(const reader_options& options) {
    auto created = reader::create(options, [this](const record_view& record) {
      take(record);
      return status(ok{});
    });
    if (created) reader_.emplace(std::move(*created));
  }

  void take(const record_view& record) {
    view_.dismissal = record.type == record_type::dismissal;
    view_.score = record.score;
    // A rating off its scale makes the summary refuse the answer: reading
    // the payloads reports it.
    if (!rating_aggregate::check(record)) return;
    if (!view_.dismissal) {
      view_.csat = record.csat;
      view_.ces = record.ces;
      view_.answer_id = npskit::text::ascii_lower(npskit::text::trim(record.answer_id));
      auto day = group_key(record, group_by::day);
      if (!day || *day != date_) return;
      auto segment = group_key(record, group_by::segment);
      if (!segment) return;
      view_.segment = std::move(*segment);
      // Themes read the comments of NPS answers only.
      if (record.score >= 0) view_.comment.assign(record.comment);
    }
    view_.counted = true;
  }

  std::optional<reader> reader_;
  origin_reader origins_;
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
