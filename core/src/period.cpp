#include "npskit/period.h"

#include <cstdint>
#include <string>

namespace npskit {
namespace {

// Error messages quote the timestamp; a huge malformed field must not turn
// into a huge message.
constexpr std::size_t max_quoted_characters = 40;

std::string quoted(std::string_view text) {
  if (text.size() <= max_quoted_characters) return "\"" + std::string(text) + "\"";
  std::size_t end = max_quoted_characters;
  // Cut on a UTF-8 character boundary so the message stays valid text.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return "\"" + std::string(text.substr(0, end)) + "...\"";
}

error not_iso_date(std::string_view timestamp) {
  return make_error(error_code::parse_error, "timestamp " + quoted(timestamp) +
                                                 " is not an ISO-8601 date (expected YYYY-MM-DD)");
}

error bad_part(std::string_view timestamp, std::size_t position, const std::string& expected) {
  return make_error(error_code::parse_error,
                    "timestamp " + quoted(timestamp) + " has an unexpected character at position " +
                        std::to_string(position + 1) + " (expected " + expected + ")");
}

error out_of_range(std::string_view timestamp, const char* field, int value, const char* range) {
  return make_error(error_code::parse_error, "timestamp " + quoted(timestamp) + " has " + field +
                                                 " " + std::to_string(value) + " (expected " +
                                                 range + ")");
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `width` digits at `position`; false when any is missing.
bool read_number(std::string_view text, std::size_t position, std::size_t width, int& value) {
  if (position + width > text.size()) return false;
  value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    const char c = text[position + i];
    if (!is_digit(c)) return false;
    value = value * 10 + (c - '0');
  }
  return true;
}

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : lengths[month - 1];
}

// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's
// days_from_civil), valid for every year the parser accepts.
std::int64_t days_from_civil(int year, int month, int day) {
  const std::int64_t y = month <= 2 ? year - 1 : year;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t year_of_era = y - era * 400;
  const std::int64_t shifted_month = month > 2 ? month - 3 : month + 9;
  const std::int64_t day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
  const std::int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

// ISO weekday, Monday = 1 ... Sunday = 7 (1970-01-01 was a Thursday).
int iso_weekday(std::int64_t days) {
  const std::int64_t weekday = ((days % 7) + 7 + 3) % 7;  // 0 = Monday
  return static_cast<int>(weekday) + 1;
}

struct calendar_date {
  int year = 0;
  int month = 0;
  int day = 0;
};

std::string padded(int value, int width) {
  std::string digits = std::to_string(value);
  if (static_cast<int>(digits.size()) < width) {
    digits.insert(0, static_cast<std::size_t>(width) - digits.size(), '0');
  }
  return digits;
}

// The ISO week belongs to the year that contains its Thursday, so the first
// days of January can fall in the previous year's last week and the last days
// of December in the next year's week 1.
std::string week_key(const calendar_date& date) {
  const std::int64_t days = days_from_civil(date.year, date.month, date.day);
  const std::int64_t thursday = days + 4 - iso_weekday(days);
  int week_year = date.year;
  if (thursday < days_from_civil(week_year, 1, 1)) {
    --week_year;
  } else if (thursday >= days_from_civil(week_year + 1, 1, 1)) {
    ++week_year;
  }
  const std::int64_t week = (thursday - days_from_civil(week_year, 1, 1)) / 7 + 1;
  return padded(week_year, 4) + "-W" + padded(static_cast<int>(week), 2);
}

// Validates the optional time of day and UTC offset after the date; only the
// date is used, but a timestamp with a broken time is still malformed input.
status check_time(std::string_view timestamp, std::size_t position) {
  const std::string_view text = timestamp;
  if (position == text.size()) return ok{};
  const char separator = text[position];
  if (separator != 'T' && separator != 't' && separator != ' ') {
    return bad_part(timestamp, position, "\"T\" or a space before the time, or the end");
  }
  ++position;
  const std::string time_format = "a time hh:mm[:ss[.fff]]";
  int hour = 0;
  if (!read_number(text, position, 2, hour)) return bad_part(timestamp, position, time_format);
  if (hour > 23) return out_of_range(timestamp, "hour", hour, "00-23");
  position += 2;
  const bool extended = position < text.size() && text[position] == ':';
  if (extended) ++position;
  int minute = 0;
  if (!read_number(text, position, 2, minute)) return bad_part(timestamp, position, time_format);
  if (minute > 59) return out_of_range(timestamp, "minute", minute, "00-59");
  position += 2;
  const bool has_seconds = extended ? position < text.size() && text[position] == ':'
                                    : position < text.size() && is_digit(text[position]);
  if (has_seconds) {
    if (extended) ++position;
    int second = 0;
    if (!read_number(text, position, 2, second)) return bad_part(timestamp, position, time_format);
    // 60 is a leap second.
    if (second > 60) return out_of_range(timestamp, "second", second, "00-60");
    position += 2;
    if (position < text.size() && (text[position] == '.' || text[position] == ',')) {
      ++position;
      if (position >= text.size() || !is_digit(text[position])) {
        return bad_part(timestamp, position, "digits of a fraction of a second");
      }
      while (position < text.size() && is_digit(text[position])) ++position;
    }
  }
  if (position == text.size()) return ok{};
  const char zone = text[position];
  if ((zone == 'Z' || zone == 'z') && position + 1 == text.size()) return ok{};
  const std::string zone_format = "\"Z\", an offset +hh:mm or -hh:mm, or the end";
  if (zone != '+' && zone != '-') return bad_part(timestamp, position, zone_format);
  ++position;
  int offset_hours = 0;
  if (!read_number(text, position, 2, offset_hours)) {
    return bad_part(timestamp, position, zone_format);
  }
  if (offset_hours > 23) return out_of_range(timestamp, "offset hour", offset_hours, "00-23");
  position += 2;
  if (position == text.size()) return ok{};
  if (text[position] == ':') ++position;
  int offset_minutes = 0;
  if (!read_number(text, position, 2, offset_minutes)) {
    return bad_part(timestamp, position, zone_format);
  }
  if (offset_minutes > 59) {
    return out_of_range(timestamp, "offset minute", offset_minutes, "00-59");
  }
  position += 2;
  if (position != text.size()) return bad_part(timestamp, position, "the end of the timestamp");
  return ok{};
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// Extended "YYYY-MM-DD" or basic "YYYYMMDD" calendar date, then an optional
// time; the basic form lets compact exports such as "20261122" through.
result<calendar_date> parse_date(std::string_view timestamp) {
  const std::string_view text = trim(timestamp);
  if (text.empty()) {
    return make_error(error_code::parse_error,
                      "timestamp is empty (expected an ISO-8601 date YYYY-MM-DD)");
  }
  calendar_date date;
  std::size_t position = 0;
  if (!read_number(text, 0, 4, date.year)) return not_iso_date(text);
  position = 4;
  const bool extended = position < text.size() && text[position] == '-';
  if (extended) ++position;
  if (!read_number(text, position, 2, date.month)) return not_iso_date(text);
  position += 2;
  if (extended) {
    if (position >= text.size() || text[position] != '-') return not_iso_date(text);
    ++position;
  }
  if (!read_number(text, position, 2, date.day)) return not_iso_date(text);
  position += 2;
  // "2026-11-225" or a 9-digit number is not a date with a bad day.
  if (position < text.size() && is_digit(text[position])) return not_iso_date(text);

  if (date.year < 1) return out_of_range(text, "year", date.year, "0001-9999");
  if (date.month < 1 || date.month > 12) {
    return out_of_range(text, "month", date.month, "01-12");
  }
  const int length = days_in_month(date.year, date.month);
  if (date.day < 1 || date.day > length) {
    return make_error(error_code::parse_error,
                      "timestamp " + quoted(text) + " has day " + std::to_string(date.day) +
                          " (expected 01-" + std::to_string(length) + " for " +
                          padded(date.year, 4) + "-" + padded(date.month, 2) + ")");
  }
  const status time = check_time(text, position);
  if (!time) return time.error();
  return date;
}

}  // namespace

const char* to_string(period value) {
  switch (value) {
    case period::day:
      return "day";
    case period::week:
      return "week";
    case period::month:
      return "month";
  }
  // Reachable only through a value cast from an integer outside the enum.
  return "unknown";
}

result<std::string> period_key(std::string_view timestamp, period value) {
  const result<calendar_date> date = parse_date(timestamp);
  if (!date) return date.error();
  const std::string year = padded(date->year, 4);
  const std::string month = padded(date->month, 2);
  switch (value) {
    case period::day:
      return year + "-" + month + "-" + padded(date->day, 2);
    case period::week:
      return week_key(date.value());
    case period::month:
      return year + "-" + month;
  }
  return make_error(error_code::invalid_argument, "period " +
                                                      std::to_string(static_cast<int>(value)) +
                                                      " is unknown (expected day, week or month)");
}

}  // namespace npskit
