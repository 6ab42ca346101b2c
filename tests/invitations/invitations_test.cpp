// The rules of invitations without a database or network: the fields an
// invitation takes, the re-survey window, delays and the pace of sending.
#include "collector/invitations.h"

#include <gtest/gtest.h>

#include <string>

namespace npskit::cli {
namespace {

TEST(FieldChecks, AddressesNamesAndLocales) {
  EXPECT_FALSE(check_email_address("a.b+c@mail.example.com"));
  EXPECT_TRUE(check_email_address("a@localhost"));
  EXPECT_TRUE(check_email_address("a b@example.com"));
  EXPECT_TRUE(check_email_address("a@@example.com"));
  EXPECT_TRUE(check_email_address("<a@example.com>"));
  EXPECT_TRUE(check_email_address("a@example..com"));
  EXPECT_FALSE(check_locale_tag("zh-CN"));
  EXPECT_FALSE(check_locale_tag("sv"));
  EXPECT_FALSE(check_locale_tag(""));
  EXPECT_TRUE(check_locale_tag("english"));
  EXPECT_TRUE(check_locale_tag("en-"));
  EXPECT_TRUE(check_display_name("Eve\r\nBcc: x@y.z"));
  EXPECT_FALSE(check_display_name("Zoë Ångström"));
  EXPECT_TRUE(check_contact_id(std::string(201, 'x')));
  EXPECT_TRUE(check_campaign_name(std::string(101, 'x')));
  EXPECT_FALSE(check_campaign_name("weekly 2026-49"));
}

TEST(ResurveyWindow, UnsubscribedContactsAreNeverAsked) {
  contact_history history;
  history.unsubscribed = true;
  EXPECT_EQ(decide_invitation(history, "").state, invitation_state::skipped);
  EXPECT_EQ(decide_invitation(history, "").reason, reason_unsubscribed);
}

TEST(ResurveyWindow, AskedOrAnsweredInsideTheWindowIsSkipped) {
  const std::string window_start = "2026-09-06T06:00:00.000Z";
  contact_history asked;
  asked.last_asked_at = "2026-10-01T08:00:00.000Z";
  EXPECT_EQ(decide_invitation(asked, window_start).state, invitation_state::skipped);
  EXPECT_EQ(decide_invitation(asked, window_start).reason, reason_recently_asked);
  contact_history answered;
  answered.last_answered_at = "2026-09-06T06:00:00.000Z";  // the window's first moment
  EXPECT_EQ(decide_invitation(answered, window_start).reason, reason_recently_answered);
}

TEST(ResurveyWindow, OutsideTheWindowOrWithoutOneIsQueued) {
  contact_history old;
  old.last_asked_at = "2026-09-06T05:59:59.999Z";
  old.last_answered_at = "2025-01-01T00:00:00.000Z";
  EXPECT_EQ(decide_invitation(old, "2026-09-06T06:00:00.000Z").state, invitation_state::queued);
  contact_history recent;
  recent.last_asked_at = "2026-12-01T00:00:00.000Z";
  EXPECT_EQ(decide_invitation(recent, "").state, invitation_state::queued);
  EXPECT_EQ(decide_invitation(contact_history{}, "2026-09-06T06:00:00.000Z").state,
            invitation_state::queued);
}

TEST(Delays, UnitsAndErrors) {
  EXPECT_EQ(*parse_delay("delay", "2h"), 2 * 3600 * 1000);
  EXPECT_EQ(*parse_delay("delay", "15m"), 15 * 60 * 1000);
  EXPECT_EQ(*parse_delay("delay", "90s"), 90 * 1000);
  EXPECT_EQ(*parse_delay("delay", "3d"), 3LL * 24 * 3600 * 1000);
  EXPECT_EQ(*parse_delay("delay", "0"), 0);
  auto negative = parse_delay("delay", "-1h");
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error().message.rfind("delay: \"-1h\" is not a delay", 0), 0u);
  EXPECT_FALSE(parse_delay("--invite-delay", "366d"));
  EXPECT_FALSE(parse_delay("delay", "1.5h"));
  EXPECT_FALSE(parse_delay("delay", "h"));
}

TEST(Pacing, SpreadsMessagesEvenlyOverTheMinute) {
  EXPECT_EQ(pace_offset_ms(0, 30), 0);
  EXPECT_EQ(pace_offset_ms(1, 30), 2000);
  EXPECT_EQ(pace_offset_ms(30, 30), 60000);
  // 7 a minute: message 3 at 3 * 60/7 s, rounded to the millisecond.
  EXPECT_EQ(pace_offset_ms(3, 7), 25714);
  EXPECT_EQ(pace_offset_ms(1000, 0), 0);
}

TEST(Retries, DoubleFromAMinuteThenGiveUp) {
  EXPECT_EQ(retry_delay_ms(1), 60000);
  EXPECT_EQ(retry_delay_ms(2), 120000);
  EXPECT_EQ(retry_delay_ms(4), 480000);
  EXPECT_EQ(retry_delay_ms(5), -1);
}

}  // namespace
}  // namespace npskit::cli
