// Contact lists for invitations: CSV as CRMs export it, with every bad row
// named by line and reason.
#include "npskit/contacts.h"

#include <gtest/gtest.h>

#include <string>

namespace {

using npskit::error_code;
using npskit::read_contacts;

TEST(ReadContacts, ReadsAnyColumnOrderDelimiterBomAndQuotes) {
  const auto list = read_contacts(
      "\xEF\xBB\xBF"
      "Name;E-mail;Locale;Contact\r\n"
      "\"Lovelace; Ada\";ada@example.com;sv-FI;crm-1\r\n"
      "\r\n"
      "\"Two\nlines\";two@example.com;;crm-9\r\n"
      "\"Grace \"\"Amazing\"\" Hopper\";grace@example.org;;crm-2\r\n");
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->contacts.size(), 2U);
  // A line break inside quotes is part of the field, and the line count
  // goes on after it; a name cannot hold one (it would break the greeting).
  ASSERT_EQ(list->rejected.size(), 1U);
  EXPECT_EQ(list->rejected[0].reason, "line 4: name \"Two\\nlines\" holds a control character");
  EXPECT_EQ(list->contacts[0].id, "crm-1");
  EXPECT_EQ(list->contacts[0].email, "ada@example.com");
  EXPECT_EQ(list->contacts[0].name, "Lovelace; Ada");
  EXPECT_EQ(list->contacts[0].locale, "sv-FI");
  EXPECT_EQ(list->contacts[0].line, 2U);
  EXPECT_EQ(list->contacts[1].name, "Grace \"Amazing\" Hopper");
  EXPECT_EQ(list->contacts[1].locale, "");
  EXPECT_EQ(list->contacts[1].line, 6U);
}

TEST(ReadContacts, NamesEveryBadRowAndKeepsTheRest) {
  const auto list = read_contacts(
      "id,email,name\n"
      "c1,ada@example.com,Ada\n"
      ",nobody@example.com,No id\n"
      "c3,not-an-address,Bad\n"
      "c4,two@example.com,Too,many\n"
      "c1,again@example.com,Twice\n"
      "c6,\"Eve <eve@example.com>\",Angle\n"
      "c7,eve@localhost,No dot\n"
      "c8,ok@example.com,Fine\n");
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->contacts.size(), 2U);
  EXPECT_EQ(list->contacts[0].id, "c1");
  EXPECT_EQ(list->contacts[1].id, "c8");
  ASSERT_EQ(list->rejected.size(), 6U);
  EXPECT_EQ(list->rejected[0].reason, "line 3: contact is empty (expected the contact's id)");
  EXPECT_EQ(list->rejected[1].reason,
            "line 4: email \"not-an-address\" is not one address (expected local@domain, e.g. "
            "ada@example.com)");
  EXPECT_EQ(list->rejected[2].reason, "line 5: 4 fields, the header has 3");
  EXPECT_EQ(list->rejected[2].text, "c4,two@example.com,Too,many");
  EXPECT_EQ(list->rejected[3].reason, "line 6: contact \"c1\" already appears on line 2");
  EXPECT_EQ(list->rejected[4].line, 7U);
  EXPECT_NE(list->rejected[4].reason.find("holds a space or one of <"), std::string::npos);
  EXPECT_EQ(list->rejected[5].reason,
            "line 8: email \"eve@localhost\" has no domain with a dot (expected local@domain, "
            "e.g. ada@example.com)");
}

TEST(ReadContacts, RefusesHeadersWithoutContactOrEmail) {
  const auto no_email = read_contacts("contact,mail\nc1,a@example.com\n");
  ASSERT_FALSE(no_email);
  EXPECT_EQ(no_email.error().code, error_code::missing_column);
  EXPECT_EQ(no_email.error().message,
            "contacts: no \"email\" column on line 1 (found \"contact\", \"mail\"; expected "
            "contact, email, and optionally name and locale); closest: \"mail\"");
  const auto misspelt = read_contacts("contcat,email\nc1,a@example.com\n");
  ASSERT_FALSE(misspelt);
  EXPECT_NE(misspelt.error().message.find("closest: \"contcat\""), std::string::npos)
      << misspelt.error().message;
  const auto empty = read_contacts("\n\n");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, error_code::missing_column);
  const auto latin1 = read_contacts("contact,email,name\nc1,a@example.com,J\xF6rg\n");
  ASSERT_FALSE(latin1);
  EXPECT_EQ(latin1.error().code, error_code::parse_error);
  EXPECT_NE(latin1.error().message.find("not UTF-8 at byte 37"), std::string::npos)
      << latin1.error().message;
}

TEST(ReadContacts, AnUnclosedQuoteIsReportedOnItsLine) {
  const auto list = read_contacts("contact,email\nc1,a@example.com\nc2,\"b@example.com\n");
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->contacts.size(), 1U);
  ASSERT_EQ(list->rejected.size(), 1U);
  EXPECT_EQ(list->rejected[0].reason, "line 3: a quote opened here is never closed");
}

}  // namespace
