#include "collector/invitation_sender.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "email_message.h"

namespace npskit::cli {

namespace {

// RFC 5322 date-time in UTC: "Sat, 05 Dec 2026 06:00:00 +0000".
std::string mail_date(std::time_t moment) {
  std::tm parts{};
  gmtime_r(&moment, &parts);
  static const char* const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char text[64];
  std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[parts.tm_wday],
                parts.tm_mday, months[parts.tm_mon], parts.tm_year + 1900, parts.tm_hour,
                parts.tm_min, parts.tm_sec);
  return text;
}

std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

std::string unsubscribe_url(const mail_settings& settings, std::string_view contact) {
  return unsubscribe_link(settings.base_url, contact, sign_unsubscribe(settings.secret, contact));
}

result<std::string> compose_invitation(const mail_settings& settings, const smtp_settings& smtp,
                                       const invitation_record& record) {
  invitation wanted;
  wanted.survey = record.survey;
  wanted.base_url = without_trailing_slash(settings.base_url);
  // A contact's language the messages do not speak gets the default one.
  const std::string matched = match_email_locale(record.locale);
  wanted.locale = matched.empty() ? settings.default_locale : matched;
  wanted.product = settings.product;
  wanted.campaign = record.campaign;
  wanted.contact = record.contact;
  wanted.email = record.email;
  wanted.name = record.name;
  wanted.signature =
      sign_personal_link(settings.secret, record.survey, record.contact, record.campaign);
  wanted.unsubscribe_url = unsubscribe_url(settings, record.contact);
  auto rendered = render_invitation(wanted);
  if (!rendered) return rendered.error();
  mime_headers headers;
  headers.from = smtp.from;
  headers.to = record.email;
  const std::string& from = smtp.envelope_from;
  const std::string domain = from.substr(from.rfind('@') + 1);
  // Stable per invitation, so a message resent by hand is recognizably the same.
  std::string recorded_at;
  for (const char c : record.created_at) {
    if (c >= '0' && c <= '9') recorded_at.push_back(c);
  }
  headers.message_id =
      "<npskit-invitation-" + std::to_string(record.id) + "-" + recorded_at + "@" + domain + ">";
  headers.date = mail_date(std::time(nullptr));
  headers.unsubscribe_url = wanted.unsubscribe_url;
  return to_mime(*rendered, headers);
}

invitation_outcome send_invitation(answer_storage& storage, smtp_client& client,
                                   const mail_settings& settings, const smtp_settings& smtp,
                                   const invitation_record& record) {
  invitation_outcome outcome;
  outcome.at = utc_timestamp_now();
  auto message = compose_invitation(settings, smtp, record);
  if (!message) {
    outcome.state = invitation_state::failed;
    outcome.error = message.error().message;
  } else {
    const smtp_result sent = client.send(record.email, *message);
    if (sent.accepted) {
      outcome.state = invitation_state::sent;
    } else {
      outcome.error = sent.error;
      const std::int64_t wait = retry_delay_ms(record.attempts);
      if (settings.retry_transient && !sent.permanent && wait >= 0) {
        outcome.state = invitation_state::queued;
        outcome.retry_at =
            utc_timestamp_at(std::chrono::system_clock::now() + std::chrono::milliseconds(wait));
      } else {
        outcome.state = invitation_state::failed;
      }
    }
  }
  outcome.at = utc_timestamp_now();
  if (auto recorded = storage.record_invitation_outcome(record.id, outcome); !recorded) {
    // The SMTP server has the message but the database does not know: the
    // invitation stays `sending`, which is never sent again.
    std::fprintf(stderr, "npskit: %s\n", recorded.error().message.c_str());
  }
  return outcome;
}

background_sender::background_sender(answer_storage& storage, smtp_settings smtp,
                                     mail_settings mail, double per_minute)
    : storage_(storage), smtp_(std::move(smtp)), mail_(std::move(mail)), per_minute_(per_minute) {
  mail_.retry_transient = true;
}

background_sender::~background_sender() { stop(); }

void background_sender::start() {
  thread_ = std::thread([this] { run(); });
}

void background_sender::wake() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    look_again_ = true;
  }
  wake_.notify_one();
}

void background_sender::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void background_sender::run() {
  smtp_client client(smtp_);
  const auto poll = std::chrono::seconds(2);
  const std::int64_t gap_ms = pace_offset_ms(1, per_minute_);
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    look_again_ = false;
    lock.unlock();
    // One at a time: a collector stopped or killed mid-send leaves at most
    // one invitation `sending`.
    auto claimed = storage_.claim_invitations({"", "", utc_timestamp_now()}, 1);
    bool sent_one = false;
    if (!claimed) {
      std::fprintf(stderr, "npskit serve: invitations: %s\n", claimed.error().message.c_str());
    } else {
      for (const invitation_record& record : *claimed) {
        const invitation_outcome outcome = send_invitation(storage_, client, mail_, smtp_, record);
        sent_one = true;
        if (outcome.state != invitation_state::sent) {
          std::fprintf(stderr, "npskit serve: invitation %lld to contact %s: %s (%s)\n",
                       static_cast<long long>(record.id), record.contact.c_str(),
                       to_string(outcome.state), outcome.error.c_str());
        }
      }
    }
    lock.lock();
    if (sent_one) {
      // More may be due; the pace keeps the gap between messages.
      wake_.wait_for(lock, std::chrono::milliseconds(gap_ms), [this] { return stopping_; });
      continue;
    }
    wake_.wait_for(lock, poll, [this] { return stopping_ || look_again_; });
  }
}

}  // namespace npskit::cli
