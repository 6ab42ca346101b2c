#include "timestamp.h"

#include <string>

#include "npskit/text.h"
#include "utf8.h"

namespace npskit::timestamp_detail {
namespace {

using text::is_digit;

// Messages quote the timestamp; a huge malformed field must not turn into a
// huge message.
constexpr std::size_t max_quoted_bytes = 40;

std::string quoted(std::string_view value) {
  const std::string_view shown = utf8::cut(value, max_quoted_bytes);
  return "\"" + utf8::sanitized(shown, max_quoted_bytes * 3) +
         (shown.size() < value.size() ? "...\"" : "\"");
}

reading failure(date_problem problem, std::string message) {
  reading out;
  out.problem = problem;
  out.message = std::move(message);
  return out;
}

reading not_a_date(std::string_view value, syntax form) {
  return failure(date_problem::invalid,
                 "timestamp " + quoted(value) +
                     (form == syntax::payload
                          ? " is not an ISO-8601 date (expected YYYY-MM-DD)"
                          : " is not an ISO-8601 date (expected YYYY-MM-DD, or D.M.YYYY or "
                            "M/D/YYYY with a date order dmy or mdy)"));
}

reading bad_part(std::string_view value, std::size_t position, std::string_view expected) {
  return failure(date_problem::invalid,
                 "timestamp " + quoted(value) + " has an unexpected character at position " +
                     std::to_string(position + 1) + " (expected " + std::string(expected) + ")");
}

reading out_of_range(std::string_view value, const char* field, int number, const char* range) {
  return failure(date_problem::invalid, "timestamp " + quoted(value) + " has " + field + " " +
                                            std::to_string(number) + " (expected " + range + ")");
}

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

// One or two digits.
bool read_short_number(std::string_view text, std::size_t& position, int& value) {
  if (position >= text.size() || !is_digit(text[position])) return false;
  value = text[position++] - '0';
  if (position < text.size() && is_digit(text[position]))
    value = value * 10 + (text[position++] - '0');
  return true;
}

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : lengths[month - 1];
}

std::string padded(int value, int width) {
  std::string digits = std::to_string(value);
  if (static_cast<int>(digits.size()) < width) {
    digits.insert(0, static_cast<std::size_t>(width) - digits.size(), '0');
  }
  return digits;
}

// Year 0000 does not exist in the calendar ISO-8601 dates are written in
// without an agreement between the parties, so it is refused everywhere.
reading check_date(std::string_view value, const calendar_date& date) {
  if (date.year < 1) return out_of_range(value, "year", date.year, "0001-9999");
  if (date.month < 1 || date.month > 12) return out_of_range(value, "month", date.month, "01-12");
  const int length = days_in_month(date.year, date.month);
  if (date.day < 1 || date.day > length) {
    return failure(date_problem::invalid,
                   "timestamp " + quoted(value) + " has day " + std::to_string(date.day) +
                       " (expected 01-" + std::to_string(length) + " for " + padded(date.year, 4) +
                       "-" + padded(date.month, 2) + ")");
  }
  reading out;
  out.value.date = date;
  return out;
}

// The optional time of day and zone after the date, from `position`.
reading read_time(std::string_view value, std::size_t position, syntax form, reading out) {
  const bool payload = form == syntax::payload;
  if (position == value.size()) return out;
  const char separator = value[position];
  if (separator != 'T' && separator != 't' && separator != ' ') {
    return bad_part(value, position, "\"T\" or a space before the time, or the end");
  }
  ++position;
  // Views, not strings: a date is read per row, and only a failure needs
  // the text.
  constexpr std::string_view time_format = "a time hh:mm[:ss[.fff]]";
  int hour = 0;
  if (!read_number(value, position, 2, hour)) return bad_part(value, position, time_format);
  if (hour > 23) return out_of_range(value, "hour", hour, "00-23");
  position += 2;
  const bool extended = position < value.size() && value[position] == ':';
  if (extended) {
    ++position;
  } else if (payload) {
    return bad_part(value, position, "\":\" between hours and minutes");
  }
  int minute = 0;
  if (!read_number(value, position, 2, minute)) return bad_part(value, position, time_format);
  if (minute > 59) return out_of_range(value, "minute", minute, "00-59");
  position += 2;
  out.value.minute_of_day = hour * 60 + minute;
  const bool has_seconds = extended ? position < value.size() && value[position] == ':'
                                    : position < value.size() && is_digit(value[position]);
  if (has_seconds) {
    if (extended) ++position;
    int second = 0;
    if (!read_number(value, position, 2, second)) return bad_part(value, position, time_format);
    // 60 is a leap second.
    if (second > 60) return out_of_range(value, "second", second, "00-60");
    position += 2;
    if (position < value.size() && (value[position] == '.' || value[position] == ',')) {
      ++position;
      if (position >= value.size() || !is_digit(value[position])) {
        return bad_part(value, position, "digits of a fraction of a second");
      }
      while (position < value.size() && is_digit(value[position])) ++position;
    }
  }
  if (position == value.size()) return out;
  const char zone = value[position];
  if ((zone == 'Z' || zone == 'z') && position + 1 == value.size()) {
    out.value.offset_minutes = 0;
    return out;
  }
  constexpr std::string_view zone_format = "\"Z\", an offset +hh:mm or -hh:mm, or the end";
  if (zone != '+' && zone != '-') return bad_part(value, position, zone_format);
  ++position;
  int offset_hours = 0;
  if (!read_number(value, position, 2, offset_hours)) {
    return bad_part(value, position, zone_format);
  }
  if (offset_hours > 23) return out_of_range(value, "offset hour", offset_hours, "00-23");
  position += 2;
  int offset_minutes = 0;
  if (position < value.size() || payload) {
    if (position < value.size() && value[position] == ':') ++position;
    if (!read_number(value, position, 2, offset_minutes)) {
      return bad_part(value, position, zone_format);
    }
    if (offset_minutes > 59) {
      return out_of_range(value, "offset minute", offset_minutes, "00-59");
    }
    position += 2;
    if (position != value.size()) return bad_part(value, position, "the end of the timestamp");
  }
  const int offset = offset_hours * 60 + offset_minutes;
  out.value.offset_minutes = zone == '-' ? -offset : offset;
  return out;
}

// D.M.YYYY, D/M/YYYY or D-M-YYYY: which number is the day is never guessed
// (01.03.2026 is the first of March in Germany and the third of January in
// the United States), so these need the caller's date order.
std::optional<reading> read_day_month_year(std::string_view value, date_order order) {
  std::size_t position = 0;
  int first = 0;
  int second = 0;
  int year = 0;
  if (!read_short_number(value, position, first)) return std::nullopt;
  if (position >= value.size()) return std::nullopt;
  const char separator = value[position];
  if (separator != '.' && separator != '/' && separator != '-') return std::nullopt;
  ++position;
  if (!read_short_number(value, position, second)) return std::nullopt;
  if (position >= value.size() || value[position] != separator) return std::nullopt;
  ++position;
  if (!read_number(value, position, 4, year)) return std::nullopt;
  position += 4;
  if (position < value.size() && is_digit(value[position])) return std::nullopt;
  if (order == date_order::unspecified) {
    return failure(date_problem::needs_date_order,
                   "timestamp " + quoted(value) +
                       " is written day and month without saying which comes first (expected "
                       "YYYY-MM-DD, or a date order: dmy for day-first, mdy for month-first)");
  }
  calendar_date date;
  date.year = year;
  date.day = order == date_order::day_month_year ? first : second;
  date.month = order == date_order::day_month_year ? second : first;
  reading out = check_date(value, date);
  if (out.problem) return out;
  return read_time(value, position, syntax::file, std::move(out));
}

// The form nearly every export writes, YYYY-MM-DDThh:mm:ss[.fff]Z, read in
// one step (a date is read per row). Anything else, and any field out of
// its range, is left to the general path, which reads this form the same
// way: false then, and out untouched.
bool read_common_form(std::string_view value, reading& out) {
  constexpr std::size_t seconds_end = 19;
  if (value.size() < seconds_end + 1 || value.back() != 'Z' || value[4] != '-' || value[7] != '-' ||
      value[10] != 'T' || value[13] != ':' || value[16] != ':') {
    return false;
  }
  if (value.size() > seconds_end + 1) {
    // A fraction: a point and at least one digit, then the Z.
    if (value[seconds_end] != '.' || value.size() == seconds_end + 2) return false;
    for (std::size_t i = seconds_end + 1; i + 1 < value.size(); ++i) {
      if (!is_digit(value[i])) return false;
    }
  }
  calendar_date date;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!read_number(value, 0, 4, date.year) || !read_number(value, 5, 2, date.month) ||
      !read_number(value, 8, 2, date.day) || !read_number(value, 11, 2, hour) ||
      !read_number(value, 14, 2, minute) || !read_number(value, 17, 2, second)) {
    return false;
  }
  if (date.year < 1 || date.month < 1 || date.month > 12 || date.day < 1 ||
      date.day > days_in_month(date.year, date.month) || hour > 23 || minute > 59 || second > 60) {
    return false;
  }
  out.value.date = date;
  out.value.minute_of_day = hour * 60 + minute;
  out.value.offset_minutes = 0;
  return true;
}

}  // namespace

reading parse_timestamp(std::string_view given, syntax form, date_order order) {
  const std::string_view value = form == syntax::file ? text::trim(given) : given;
  if (reading common; read_common_form(value, common)) return common;
  if (value.empty()) {
    return failure(date_problem::missing,
                   "timestamp is empty (expected an ISO-8601 date YYYY-MM-DD)");
  }
  calendar_date date;
  std::size_t position = 0;
  if (!read_number(value, 0, 4, date.year)) {
    if (form == syntax::file) {
      if (std::optional<reading> read = read_day_month_year(value, order)) return *read;
    }
    return not_a_date(value, form);
  }
  position = 4;
  const bool extended = position < value.size() && value[position] == '-';
  if (extended) {
    ++position;
  } else if (form == syntax::payload) {
    return not_a_date(value, form);
  }
  if (!read_number(value, position, 2, date.month)) return not_a_date(value, form);
  position += 2;
  if (extended) {
    if (position >= value.size() || value[position] != '-') return not_a_date(value, form);
    ++position;
  }
  if (!read_number(value, position, 2, date.day)) return not_a_date(value, form);
  position += 2;
  // "2026-11-225" or a 9-digit number is not a date with a bad day.
  if (position < value.size() && is_digit(value[position])) return not_a_date(value, form);
  reading out = check_date(value, date);
  if (out.problem) return out;
  return read_time(value, position, form, std::move(out));
}

// Howard Hinnant's days_from_civil, valid for every year the parser accepts.
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

calendar_date civil_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t day_of_era = days - era * 146097;
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t shifted_month = (5 * day_of_year + 2) / 153;
  calendar_date out;
  out.day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  out.month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  out.year = static_cast<int>(year_of_era + era * 400 + (out.month <= 2 ? 1 : 0));
  return out;
}

calendar_date date_at_offset(const timestamp& value, int utc_offset_minutes) {
  if (!value.offset_minutes || *value.offset_minutes == utc_offset_minutes) return value.date;
  const std::int64_t minutes =
      days_from_civil(value.date.year, value.date.month, value.date.day) * 1440 +
      value.minute_of_day - *value.offset_minutes + utc_offset_minutes;
  const std::int64_t days = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440;
  return civil_from_days(days);
}

}  // namespace npskit::timestamp_detail
