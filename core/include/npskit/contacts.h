// Contact lists for survey invitations: CSV as people export it from a CRM
// (comma, semicolon or tab; UTF-8 BOM; CRLF; RFC 4180 quotes), one contact a
// row. Bad rows are reported with their line and reason, never dropped
// silently; the rows that are fine are kept.
#ifndef NPSKIT_CONTACTS_H
#define NPSKIT_CONTACTS_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "npskit/reader.h"
#include "npskit/result.h"

namespace npskit {

// The header names a contact list is read by (matched ignoring case and
// surrounding spaces): the contact id under "contact", "contact_id" or "id";
// the address under "email" or "e-mail"; optional "name" and "locale".
struct contact {
  std::string id;      // 1..200 characters, no control characters
  std::string email;   // one address: local@domain, no spaces or angle brackets
  std::string name;    // may be empty
  std::string locale;  // as written (a BCP 47 tag); may be empty
  std::uint64_t line = 0;
};

struct contact_list {
  std::vector<contact> contacts;
  std::vector<rejection> rejected;  // every bad row, in input order
};

// The rules each field of a contact is held to, in a contact list and in an
// invitation made one at a time (the collector's API): "" when the value is
// fine, otherwise what is wrong with it, without the field's name.
// A contact id: 1..200 characters of UTF-8, no control characters.
std::string contact_id_problem(std::string_view id);
// One bare address, local@domain with a dot in the domain, at most 254 bytes,
// nothing that would end an address in a message header.
std::string email_address_problem(std::string_view email);
// A name to greet: may be empty; at most 200 characters, no control characters.
std::string display_name_problem(std::string_view name);
// A language tag as the locales use (2–3 letters, then subtags of 2–8 letters
// or digits: "sv", "zh-CN", "sr-Latn"); may be empty.
std::string locale_tag_problem(std::string_view locale);

// Reads a whole contact list. An error only when the input has no usable
// header (no contact or email column: missing_column, naming the columns
// found) or is not UTF-8 (parse_error with the byte offset); bad rows (wrong
// field count, a field that breaks the rules above, a contact id seen on an
// earlier line) go to `rejected`.
result<contact_list> read_contacts(std::string_view text);

}  // namespace npskit

#endif  // NPSKIT_CONTACTS_H
