// The rules of invitations without a database or network: the fields an
// invitation takes, the re-survey window, delays and the pace of sending.
#include "collector/invitations.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "npskit/contacts.h"

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

// An invitation made one at a time is held to the rules of a row of a
// contact list: what `npskit send --contacts` takes, POST /api/invitations
// takes, and the other way round.
TEST(FieldChecks, AgreeWithTheContactListReader) {
  std::string long_characters;
  for (int i = 0; i < 150; ++i) long_characters += "\xE5\xAE\xA2";  // 客
  struct row {
    std::string contact, email, name, locale;
  };
  const std::vector<row> rows = {
      {"c1", "ada@example.com", "Ada", "sv-FI"},
      {long_characters, "b@example.com", "", ""},
      {std::string(201, 'x'), "c@example.com", "", ""},
      {"c4", "a@localhost", "", ""},
      {"c5", "a:b@example.com", "", ""},
      {"c6", "a@[192.0.2.1]", "", ""},
      {"c7", "a@example..com", "", ""},
      {"c8", "d@example.com", std::string(201, 'n'), ""},
      {"c9", "e@example.com", long_characters, ""},
      {"c10", "f@example.com", "", "english"},
      {"c11", "g@example.com", "", "pt_BR"},
  };
  for (const row& each : rows) {
    const auto list =
        read_contacts("contact;email;name;locale\n\"" + each.contact + "\";\"" + each.email +
                      "\";\"" + each.name + "\";\"" + each.locale + "\"\n");
    ASSERT_TRUE(list) << list.error().message;
    const bool listed = list->contacts.size() == 1;
    const bool invitable = !check_contact_id(each.contact) && !check_email_address(each.email) &&
                           !check_display_name(each.name) && !check_locale_tag(each.locale);
    EXPECT_EQ(listed, invitable) << each.contact.substr(0, 12) << " " << each.email << " "
                                 << each.locale
                                 << (listed ? "" : " " + list->rejected.front().reason);
  }
  // A value with blanks around it is trimmed in a list, refused on its own.
  EXPECT_EQ(check_email_address(" ada@example.com"), "has blanks around it");
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
