// Sends claimed invitations: composes each message (cli/email_message.h,
// with the personal and unsubscribe links signed by the link secret), hands
// it to the SMTP server and records what became of it. Shared by `npskit
// send` and the background sender of `npskit serve`.
#ifndef NPSKIT_CLI_COLLECTOR_INVITATION_SENDER_H
#define NPSKIT_CLI_COLLECTOR_INVITATION_SENDER_H

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "collector/invitations.h"
#include "collector/personal_link.h"
#include "collector/smtp_client.h"
#include "collector/storage.h"

namespace npskit::cli {

struct mail_settings {
  std::string base_url;  // where the survey page and /unsubscribe are served
  std::string product;   // the name the question asks about; empty: the message's default
  std::string default_locale = "en";
  link_secret secret;
  // A transient failure is tried again later (retry_delay_ms) instead of
  // being recorded as failed at once.
  bool retry_transient = false;
};

// {base}/unsubscribe?c=CONTACT&sig=SIG
std::string unsubscribe_url(const mail_settings& settings, std::string_view contact);

// The RFC 5322 message of one invitation; an error when it cannot be
// rendered (the record names the contact).
result<std::string> compose_invitation(const mail_settings& settings, const smtp_settings& smtp,
                                       const invitation_record& record);

// Sends one claimed invitation and records the outcome; returns it.
invitation_outcome send_invitation(answer_storage& storage, smtp_client& client,
                                   const mail_settings& settings, const smtp_settings& smtp,
                                   const invitation_record& record);

// `npskit serve --smtp`: sends due invitations from a thread of its own,
// looking every few seconds and whenever one is queued, paced at
// `per_minute` (0: unpaced).
class background_sender {
 public:
  background_sender(answer_storage& storage, smtp_settings smtp, mail_settings mail,
                    double per_minute);
  ~background_sender();
  background_sender(const background_sender&) = delete;
  background_sender& operator=(const background_sender&) = delete;

  void start();
  void wake();  // an invitation was queued
  void stop();  // the message in flight ends first

 private:
  void run();

  answer_storage& storage_;
  smtp_settings smtp_;
  mail_settings mail_;
  double per_minute_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool look_again_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_INVITATION_SENDER_H
