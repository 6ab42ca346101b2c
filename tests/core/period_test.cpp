// Day, ISO week and month keys for trends, and the messages a user sees for
// timestamps that are not ISO-8601 dates.
#include "npskit/period.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "timestamp.h"

namespace {

using npskit::error_code;
using npskit::period;
using npskit::period_key;

std::string key(std::string_view timestamp, period value) {
  const auto found = period_key(timestamp, value);
  EXPECT_TRUE(found.has_value()) << timestamp << ": " << found.error().message;
  return found.has_value() ? found.value() : std::string();
}

std::string error_message(std::string_view timestamp, period value = period::day) {
  const auto found = period_key(timestamp, value);
  EXPECT_FALSE(found.has_value()) << timestamp << " gave " << found.value();
  if (found.has_value()) return {};
  EXPECT_EQ(found.error().code, error_code::parse_error);
  return found.error().message;
}

TEST(PeriodKey, DayWeekAndMonthOfADate) {
  EXPECT_EQ(key("2026-11-22", period::day), "2026-11-22");
  EXPECT_EQ(key("2026-11-22", period::week), "2026-W47");
  EXPECT_EQ(key("2026-11-22", period::month), "2026-11");
}

TEST(PeriodKey, NamesItsPeriods) {
  EXPECT_STREQ(npskit::to_string(period::day), "day");
  EXPECT_STREQ(npskit::to_string(period::week), "week");
  EXPECT_STREQ(npskit::to_string(period::month), "month");
}

TEST(PeriodKey, AcceptsTheTimestampFormatsExportsUse) {
  EXPECT_EQ(key("2026-11-22T10:15:00.000Z", period::day), "2026-11-22");
  EXPECT_EQ(key("2026-11-22 10:15:00+02:00", period::day), "2026-11-22");
  EXPECT_EQ(key("2026-11-22T10:15", period::day), "2026-11-22");
  EXPECT_EQ(key("2026-11-22t10:15z", period::day), "2026-11-22");
  EXPECT_EQ(key("2026-11-22T10:15:00,5+0530", period::day), "2026-11-22");
  EXPECT_EQ(key("2026-11-22T10:15:60Z", period::day), "2026-11-22");
  EXPECT_EQ(key("2026-11-22T10:15:00-07", period::day), "2026-11-22");
  EXPECT_EQ(key("  2026-11-22\r\n", period::day), "2026-11-22");
  EXPECT_EQ(key("20261122", period::month), "2026-11");
  EXPECT_EQ(key("20261122T101500Z", period::day), "2026-11-22");
}

TEST(PeriodKey, CountsInstantsInUtcByDefault) {
  // 23:30 at UTC-05:00 is already the next day, month and year in UTC.
  EXPECT_EQ(key("2026-12-31T23:30:00-05:00", period::day), "2027-01-01");
  EXPECT_EQ(key("2026-12-31T23:30:00-05:00", period::month), "2027-01");
  EXPECT_EQ(key("2026-03-02T00:30:00+02:00", period::day), "2026-03-01");
  EXPECT_EQ(key("2024-03-01T00:15+0030", period::day), "2024-02-29");
  // Without an offset the time is taken as written.
  EXPECT_EQ(key("2026-03-02T00:30:00", period::day), "2026-03-02");
  EXPECT_EQ(key("2026-03-02", period::day), "2026-03-02");
}

TEST(PeriodKey, ExtremeOffsetsMoveTheDayAcrossMonthAndWeekEnds) {
  EXPECT_EQ(key("2026-03-01T23:59:59+14:00", period::day), "2026-03-01");
  EXPECT_EQ(key("2026-03-01T00:00:00+14:00", period::day), "2026-02-28");
  EXPECT_EQ(key("2026-03-01T00:00:00+14:00", period::month), "2026-02");
  EXPECT_EQ(key("2026-02-28T23:59:59-12:00", period::day), "2026-03-01");
  EXPECT_EQ(key("2026-03-01T23:59:59.999+14:00", period::week), "2026-W09");
  EXPECT_EQ(key("2026-03-02T00:00:00+14:00", period::week), "2026-W09");
  EXPECT_EQ(key("2026-03-02T14:00:00+14:00", period::week), "2026-W10");
  EXPECT_EQ(key(" 2026-03-01T23:59:59+1400 ", period::day), "2026-03-01");
}

std::string key_at(std::string_view timestamp, period value, int offset_minutes) {
  npskit::date_options options;
  options.utc_offset_minutes = offset_minutes;
  const auto found = period_key(timestamp, value, options);
  EXPECT_TRUE(found.has_value()) << timestamp << ": " << found.error().message;
  return found.has_value() ? found.value() : std::string();
}

TEST(PeriodKey, CountsInstantsAtAFixedOffsetWhenAsked) {
  EXPECT_EQ(key_at("2026-03-02T00:30:00+02:00", period::day, 120), "2026-03-02");
  EXPECT_EQ(key_at("2026-03-01T22:30:00Z", period::day, 120), "2026-03-02");
  EXPECT_EQ(key_at("2026-03-01T22:30:00Z", period::day, -600), "2026-03-01");
  EXPECT_EQ(key_at("2027-01-01T03:00:00Z", period::week, -300), "2026-W53");
  // A date alone, or a time without an offset, is already in the zone.
  EXPECT_EQ(key_at("2026-03-01", period::day, -600), "2026-03-01");
  EXPECT_EQ(key_at("2026-03-01 23:00", period::day, 600), "2026-03-01");
}

TEST(PeriodKey, ParsesUtcOffsets) {
  EXPECT_EQ(npskit::parse_utc_offset("+02:00").value(), 120);
  EXPECT_EQ(npskit::parse_utc_offset("-05:30").value(), -330);
  EXPECT_EQ(npskit::parse_utc_offset("+0545").value(), 345);
  EXPECT_EQ(npskit::parse_utc_offset("+14").value(), 840);
  EXPECT_EQ(npskit::parse_utc_offset("Z").value(), 0);
  for (const char* text :
       {"", "2", "+2", "+2:00", "+14:01", "+15:00", "+01:60", "UTC", "+01:00x"}) {
    const auto parsed = npskit::parse_utc_offset(text);
    ASSERT_FALSE(parsed.has_value()) << text;
    EXPECT_EQ(parsed.error().code, error_code::invalid_argument);
    EXPECT_NE(parsed.error().message.find("expected +HH:MM or -HH:MM"), std::string::npos);
  }
}

std::string key_in_order(std::string_view timestamp, npskit::date_order order) {
  npskit::date_options options;
  options.order = order;
  const auto found = period_key(timestamp, period::day, options);
  EXPECT_TRUE(found.has_value()) << timestamp << ": " << found.error().message;
  return found.has_value() ? found.value() : std::string();
}

TEST(PeriodKey, ReadsDayAndMonthOnlyInTheOrderGiven) {
  using npskit::date_order;
  EXPECT_EQ(key_in_order("01.03.2026", date_order::day_month_year), "2026-03-01");
  EXPECT_EQ(key_in_order("01.03.2026", date_order::month_day_year), "2026-01-03");
  EXPECT_EQ(key_in_order("3/1/2026", date_order::month_day_year), "2026-03-01");
  EXPECT_EQ(key_in_order("31-12-2026 23:59", date_order::day_month_year), "2026-12-31");
  EXPECT_EQ(key_in_order(" 1.3.2026 10:00:00Z ", date_order::day_month_year), "2026-03-01");
  EXPECT_EQ(key_in_order("2026-03-01", date_order::month_day_year), "2026-03-01");
  npskit::date_options month_first;
  month_first.order = date_order::month_day_year;
  const auto impossible = period_key("31/12/2026", period::day, month_first);
  ASSERT_FALSE(impossible.has_value());
  EXPECT_EQ(impossible.error().message, "timestamp \"31/12/2026\" has month 31 (expected 01-12)");
  for (const char* text : {"01.03.2026", "12/31/2026", "1-3-2026"}) {
    EXPECT_EQ(error_message(text),
              std::string("timestamp \"") + text +
                  "\" is written day and month without saying which comes first (expected "
                  "YYYY-MM-DD, or a date order: dmy for day-first, mdy for month-first)");
  }
  EXPECT_EQ(npskit::parse_date_order(" DMY ").value(), date_order::day_month_year);
  EXPECT_EQ(npskit::parse_date_order("mdy").value(), date_order::month_day_year);
  EXPECT_FALSE(npskit::parse_date_order("ymd").has_value());
}

TEST(PeriodKey, IsoWeekBelongsToTheYearOfItsThursday) {
  const struct {
    const char* date;
    const char* week;
  } cases[] = {
      {"2024-12-30", "2025-W01"}, {"2021-01-03", "2020-W53"}, {"2020-12-31", "2020-W53"},
      {"2015-12-31", "2015-W53"}, {"2016-01-01", "2015-W53"}, {"2008-12-29", "2009-W01"},
      {"2010-01-03", "2009-W53"}, {"2026-01-01", "2026-W01"}, {"2027-01-01", "2026-W53"},
      {"2018-12-31", "2019-W01"}, {"2004-12-31", "2004-W53"}, {"2005-01-02", "2004-W53"},
      {"0001-01-01", "0001-W01"}, {"9999-12-31", "9999-W52"},
  };
  for (const auto& item : cases) {
    EXPECT_EQ(key(item.date, period::week), item.week) << item.date;
  }
}

// Walks every day from 1999-12-27 (a Monday) to 2031-01-05 and checks the
// defining properties of ISO weeks: a new week starts on each Monday and only
// then, weeks count up by one within a week-year, and week 1 is the week that
// holds 4 January.
TEST(PeriodKey, IsoWeeksAreConsecutiveAndStartOnMondays) {
  const int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int year = 1999;
  int month = 12;
  int day = 27;
  int weekday = 0;  // 0 = Monday
  std::string previous;
  while (year < 2031 || (month == 1 && day <= 5)) {
    char date[32];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", year, month, day);
    const std::string week = key(date, period::week);
    ASSERT_EQ(week.size(), 8u) << date;
    if (weekday == 0) {
      ASSERT_NE(week, previous) << date;
      if (!previous.empty()) {
        const int previous_year = std::stoi(previous.substr(0, 4));
        const int previous_number = std::stoi(previous.substr(6));
        const int week_year = std::stoi(week.substr(0, 4));
        const int number = std::stoi(week.substr(6));
        if (week_year == previous_year) {
          EXPECT_EQ(number, previous_number + 1) << date;
        } else {
          EXPECT_EQ(week_year, previous_year + 1) << date;
          EXPECT_EQ(number, 1) << date;
          EXPECT_TRUE(previous_number == 52 || previous_number == 53) << date;
        }
      }
    } else {
      ASSERT_EQ(week, previous) << date;
    }
    if (month == 1 && day == 4) {
      EXPECT_EQ(week.substr(0, 4) + week.substr(5), std::to_string(year) + "W01") << date;
    }
    previous = week;
    weekday = (weekday + 1) % 7;
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    const int length = month == 2 && leap ? 29 : lengths[month - 1];
    if (++day > length) {
      day = 1;
      if (++month > 12) {
        month = 1;
        ++year;
      }
    }
  }
}

TEST(PeriodKey, KnowsLeapYears) {
  EXPECT_EQ(key("2024-02-29", period::day), "2024-02-29");
  EXPECT_EQ(key("2000-02-29", period::week), "2000-W09");
  EXPECT_EQ(error_message("2023-02-29"),
            "timestamp \"2023-02-29\" has day 29 (expected 01-28 for 2023-02)");
  EXPECT_EQ(error_message("1900-02-29"),
            "timestamp \"1900-02-29\" has day 29 (expected 01-28 for 1900-02)");
  EXPECT_EQ(error_message("2024-02-30"),
            "timestamp \"2024-02-30\" has day 30 (expected 01-29 for 2024-02)");
}

TEST(PeriodKey, RejectsDatesThatDoNotExist) {
  EXPECT_EQ(error_message("2026-13-01"), "timestamp \"2026-13-01\" has month 13 (expected 01-12)");
  EXPECT_EQ(error_message("2026-00-10"), "timestamp \"2026-00-10\" has month 0 (expected 01-12)");
  EXPECT_EQ(error_message("2026-04-31"),
            "timestamp \"2026-04-31\" has day 31 (expected 01-30 for 2026-04)");
  EXPECT_EQ(error_message("2026-11-00"),
            "timestamp \"2026-11-00\" has day 0 (expected 01-30 for 2026-11)");
  EXPECT_EQ(error_message("0000-01-01"),
            "timestamp \"0000-01-01\" has year 0 (expected 0001-9999)");
}

TEST(PeriodKey, RejectsTextThatIsNotAnIsoDate) {
  for (const char* text :
       {"2026-11-2", "2026-1-22", "2026/11/22", "2026-1122", "202611-22", "Nov 22 2026",
        "2026-11-225", "123456789", "2026", "1.3.26", "01.03.20267"}) {
    EXPECT_EQ(error_message(text),
              std::string("timestamp \"") + text +
                  "\" is not an ISO-8601 date (expected YYYY-MM-DD, or D.M.YYYY or M/D/YYYY with "
                  "a date order dmy or mdy)");
  }
  EXPECT_EQ(error_message(""), "timestamp is empty (expected an ISO-8601 date YYYY-MM-DD)");
  EXPECT_EQ(error_message("   "), "timestamp is empty (expected an ISO-8601 date YYYY-MM-DD)");
}

TEST(PeriodKey, RejectsABrokenTimeWithItsPosition) {
  EXPECT_EQ(error_message("2026-11-22X10:15"),
            "timestamp \"2026-11-22X10:15\" has an unexpected character at position 11 "
            "(expected \"T\" or a space before the time, or the end)");
  EXPECT_EQ(error_message("2026-11-22T1015x"),
            "timestamp \"2026-11-22T1015x\" has an unexpected character at position 16 "
            "(expected \"Z\", an offset +hh:mm or -hh:mm, or the end)");
  EXPECT_EQ(error_message("2026-11-22T"),
            "timestamp \"2026-11-22T\" has an unexpected character at position 12 "
            "(expected a time hh:mm[:ss[.fff]])");
  EXPECT_EQ(error_message("2026-11-22T10:15:00."),
            "timestamp \"2026-11-22T10:15:00.\" has an unexpected character at position 21 "
            "(expected digits of a fraction of a second)");
  EXPECT_EQ(error_message("2026-11-22T10:15Z+1"),
            "timestamp \"2026-11-22T10:15Z+1\" has an unexpected character at position 17 "
            "(expected \"Z\", an offset +hh:mm or -hh:mm, or the end)");
  EXPECT_EQ(error_message("2026-11-22T25:00"),
            "timestamp \"2026-11-22T25:00\" has hour 25 (expected 00-23)");
  EXPECT_EQ(error_message("2026-11-22T10:61"),
            "timestamp \"2026-11-22T10:61\" has minute 61 (expected 00-59)");
  EXPECT_EQ(error_message("2026-11-22T10:15:61"),
            "timestamp \"2026-11-22T10:15:61\" has second 61 (expected 00-60)");
  EXPECT_EQ(error_message("2026-11-22T10:15+24:00"),
            "timestamp \"2026-11-22T10:15+24:00\" has offset hour 24 (expected 00-23)");
  EXPECT_EQ(error_message("2026-11-22T10:15+02:75"),
            "timestamp \"2026-11-22T10:15+02:75\" has offset minute 75 (expected 00-59)");
}

TEST(PeriodKey, QuotesOnlyTheStartOfAHugeTimestamp) {
  const std::string huge = "x" + std::string(10000, 'y');
  const std::string message = error_message(huge);
  EXPECT_LT(message.size(), 200u);
  EXPECT_NE(message.find("\"x" + std::string(39, 'y') + "...\""), std::string::npos) << message;
}

}  // namespace

namespace npskit {
namespace {

TEST(PeriodStart, IsTheFirstDayOfTheKeyPeriodKeyWrites) {
  // Weeks whose Monday is in the year before, a 53-week year, a leap day.
  for (const char* day : {"2026-03-03", "2021-01-03", "2020-12-31", "2024-02-29", "2027-01-01"}) {
    SCOPED_TRACE(day);
    const result<std::string> week = period_key(day, period::week);
    ASSERT_TRUE(week.has_value());
    const result<std::string> monday = period_start(*week, period::week);
    ASSERT_TRUE(monday.has_value());
    EXPECT_EQ(period_key(*monday, period::week).value(), *week);
    EXPECT_LE(*monday, std::string(day));
  }
  EXPECT_EQ(period_start("2026-W10", period::week).value(), "2026-03-02");
  EXPECT_EQ(period_start("2020-W53", period::week).value(), "2020-12-28");
  EXPECT_EQ(period_start("2026-03", period::month).value(), "2026-03-01");
  EXPECT_EQ(period_start("2026-03-03", period::day).value(), "2026-03-03");
  const result<std::string> bad = period_start("2026-W99", period::week);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("\"2026-W99\""), std::string::npos);
  EXPECT_FALSE(period_start("March", period::month).has_value());
}

}  // namespace
TEST(Timestamp, TheCommonFormReadsAsTheGeneralPathReadsIt) {
  // YYYY-MM-DDThh:mm:ss[.fff]Z takes a one-step path; the same text with a
  // lower-case t and z can only take the general one. Both must read the
  // same date and time, or refuse it for the same reason.
  using timestamp_detail::parse_timestamp;
  using timestamp_detail::syntax;
  const std::vector<std::string> dates = {"2026-03-02", "2024-02-29", "2023-02-29", "1900-02-29",
                                          "2000-02-29", "0000-01-01", "0001-01-01", "9999-12-31",
                                          "2026-00-10", "2026-13-10", "2026-04-31", "2026-04-00",
                                          "2026-4-010", "2O26-03-02", "2026/03/02"};
  const std::vector<std::string> times = {"00:00:00", "23:59:59", "24:00:00", "12:60:00",
                                          "12:00:60", "12:00:61", "1:00:000", "12:00:0x"};
  const std::vector<std::string> fractions = {"", ".5", ".123456789", ".", "..5", ".5x", ",5"};
  const std::vector<std::string> padding = {"", " ", "\t"};
  std::size_t read = 0;
  for (const std::string& date : dates) {
    for (const std::string& time : times) {
      for (const std::string& fraction : fractions) {
        for (const std::string& blank : padding) {
          const std::string common = blank + date + "T" + time + fraction + "Z" + blank;
          std::string general = common;
          general[blank.size() + 10] = 't';
          general[general.size() - 1 - blank.size()] = 'z';
          for (const syntax form : {syntax::file, syntax::payload}) {
            const auto fast = parse_timestamp(common, form, date_order::unspecified);
            const auto slow = parse_timestamp(general, form, date_order::unspecified);
            ASSERT_EQ(fast.problem, slow.problem) << common;
            if (fast.problem) continue;
            ++read;
            EXPECT_EQ(fast.value.date.year, slow.value.date.year) << common;
            EXPECT_EQ(fast.value.date.month, slow.value.date.month) << common;
            EXPECT_EQ(fast.value.date.day, slow.value.date.day) << common;
            EXPECT_EQ(fast.value.minute_of_day, slow.value.minute_of_day) << common;
            EXPECT_EQ(fast.value.offset_minutes, slow.value.offset_minutes) << common;
          }
        }
      }
    }
  }
  EXPECT_GT(read, 100U) << "the sweep must include dates that are read";
}

}  // namespace npskit
