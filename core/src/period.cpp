#include "npskit/period.h"

#include <cstdint>
#include <string>

#include "npskit/text.h"
#include "period_internal.h"
#include "timestamp.h"

namespace npskit {
namespace {

using timestamp_detail::calendar_date;
using timestamp_detail::civil_from_days;
using timestamp_detail::days_from_civil;

// ISO weekday, Monday = 1 ... Sunday = 7 (1970-01-01 was a Thursday).
int iso_weekday(std::int64_t days) {
  const std::int64_t weekday = ((days % 7) + 7 + 3) % 7;  // 0 = Monday
  return static_cast<int>(weekday) + 1;
}

std::string padded(int value, int width) {
  std::string digits = std::to_string(value);
  if (static_cast<int>(digits.size()) < width) {
    digits.insert(0, static_cast<std::size_t>(width) - digits.size(), '0');
  }
  return digits;
}

// padded(value, width) appended to out; a key is built once per answer, so
// the usual case (not negative) writes its digits without a temporary.
void append_padded(std::string& out, int value, int width) {
  if (value < 0) {
    out += padded(value, width);
    return;
  }
  char digits[10];
  int count = 0;
  do {
    digits[count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0);
  for (int i = count; i < width; ++i) out += '0';
  while (count > 0) out += digits[--count];
}

// The ISO week belongs to the year that contains its Thursday, so the first
// days of January can fall in the previous year's last week and the last days
// of December in the next year's week 1.
void append_week_key(std::string& out, const calendar_date& date) {
  const std::int64_t days = days_from_civil(date.year, date.month, date.day);
  const std::int64_t thursday = days + 4 - iso_weekday(days);
  int week_year = date.year;
  std::int64_t year_start = days_from_civil(week_year, 1, 1);
  if (thursday < year_start) {
    --week_year;
    year_start = days_from_civil(week_year, 1, 1);
  } else if (thursday >= days_from_civil(week_year + 1, 1, 1)) {
    ++week_year;
    year_start = days_from_civil(week_year, 1, 1);
  }
  const std::int64_t week = (thursday - year_start) / 7 + 1;
  append_padded(out, week_year, 4);
  out += "-W";
  append_padded(out, static_cast<int>(week), 2);
}

std::string build_key(const calendar_date& date, period value) {
  std::string out;
  if (value == period::week) {
    append_week_key(out, date);
    return out;
  }
  append_padded(out, date.year, 4);
  out += '-';
  append_padded(out, date.month, 2);
  if (value == period::day) {
    out += '-';
    append_padded(out, date.day, 2);
  }
  return out;
}

// Digits only, as many as the field needs; -1 otherwise.
int digits_value(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return -1;
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

error offset_error(std::string_view text) {
  return make_error(error_code::invalid_argument,
                    "UTC offset \"" + std::string(text.substr(0, 40)) +
                        "\" is not an offset (expected +HH:MM or -HH:MM from -14:00 to "
                        "+14:00, such as +02:00 or -05:30, or Z for UTC)");
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

const char* to_string(date_order value) {
  switch (value) {
    case date_order::day_month_year:
      return "dmy";
    case date_order::month_day_year:
      return "mdy";
    case date_order::unspecified:
      break;
  }
  return "unspecified";
}

result<date_order> parse_date_order(std::string_view text) {
  const std::string_view name = text::trim(text);
  if (text::equals_ignoring_case(name, "dmy")) return date_order::day_month_year;
  if (text::equals_ignoring_case(name, "mdy")) return date_order::month_day_year;
  return make_error(error_code::invalid_argument,
                    "date order \"" + std::string(name.substr(0, 40)) +
                        "\" is unknown (expected dmy for day-first dates such as 31.01.2026, "
                        "or mdy for month-first dates such as 01/31/2026)");
}

const char* to_string(date_problem value) {
  switch (value) {
    case date_problem::missing:
      return "missing";
    case date_problem::needs_date_order:
      return "needs_date_order";
    case date_problem::invalid:
      break;
  }
  return "invalid";
}

result<int> parse_utc_offset(std::string_view given) {
  const std::string_view text = text::trim(given);
  if (text == "Z" || text == "z") return 0;
  if (text.size() < 3 || (text[0] != '+' && text[0] != '-')) return offset_error(text);
  std::size_t position = 1;
  const auto two_digits = [&](int& value) {
    if (position + 2 > text.size() || !text::is_digit(text[position]) ||
        !text::is_digit(text[position + 1])) {
      return false;
    }
    value = (text[position] - '0') * 10 + (text[position + 1] - '0');
    position += 2;
    return true;
  };
  int hours = 0;
  int minutes = 0;
  if (!two_digits(hours)) return offset_error(text);
  if (position < text.size()) {
    if (text[position] == ':') ++position;
    if (!two_digits(minutes) || position != text.size()) return offset_error(text);
  }
  const int total = hours * 60 + minutes;
  if (minutes > 59 || total > 14 * 60) return offset_error(text);
  return text[0] == '-' ? -total : total;
}

namespace period_detail {

numbered_date period_number_of(std::string_view timestamp, period value,
                               const date_options& options) {
  timestamp_detail::reading read =
      timestamp_detail::parse_timestamp(timestamp, timestamp_detail::syntax::file, options.order);
  numbered_date out;
  if (read.problem) {
    out.problem = read.problem;
    out.message = std::move(read.message);
    return out;
  }
  out.date = timestamp_detail::date_at_offset(read.value, options.utc_offset_minutes);
  if (value == period::month) {
    out.number = std::int64_t{out.date.year} * 12 + out.date.month - 1;
    return out;
  }
  const std::int64_t days = days_from_civil(out.date.year, out.date.month, out.date.day);
  out.number = value == period::week ? days - (iso_weekday(days) - 1) : days;
  return out;
}

std::string key_of(const calendar_date& date, period value) { return build_key(date, value); }

keyed_date period_key_of(std::string_view timestamp, period value, const date_options& options) {
  numbered_date dated = period_number_of(timestamp, value, options);
  keyed_date out;
  if (dated.problem) {
    out.problem = dated.problem;
    out.message = std::move(dated.message);
  } else {
    out.key = key_of(dated.date, value);
  }
  return out;
}

}  // namespace period_detail

result<std::string> period_key(std::string_view timestamp, period value,
                               const date_options& options) {
  period_detail::keyed_date keyed = period_detail::period_key_of(timestamp, value, options);
  if (keyed.problem) return make_error(error_code::parse_error, std::move(keyed.message));
  return std::move(keyed.key);
}

result<std::string> period_start(std::string_view key, period value) {
  const auto bad = [&] {
    return make_error(error_code::parse_error, "period \"" + std::string(key.substr(0, 40)) +
                                                   "\" is not a " + to_string(value) +
                                                   " key (expected " +
                                                   (value == period::day    ? "YYYY-MM-DD"
                                                    : value == period::week ? "YYYY-Www"
                                                                            : "YYYY-MM") +
                                                   ")");
  };
  const int year = digits_value(key, 0, 4);
  if (year < 0 || key.size() < 7 || key[4] != '-') return bad();
  if (value == period::week) {
    const int week = digits_value(key, 6, 2);
    if (key.size() != 8 || key[5] != 'W' || week < 1 || week > 53) return bad();
    // Week 1 is the week with 4 January in it.
    const std::int64_t january_4 = days_from_civil(year, 1, 4);
    const std::int64_t monday =
        january_4 - (iso_weekday(january_4) - 1) + std::int64_t{week - 1} * 7;
    return build_key(civil_from_days(monday), period::day);
  }
  const int month = digits_value(key, 5, 2);
  if (month < 1 || month > 12) return bad();
  if (value == period::month) {
    if (key.size() != 7) return bad();
    return build_key(calendar_date{year, month, 1}, period::day);
  }
  const int day = digits_value(key, 8, 2);
  if (key.size() != 10 || key[7] != '-' || day < 1 || day > 31) return bad();
  return std::string(key);
}

}  // namespace npskit
