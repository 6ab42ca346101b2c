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

// Reads a whole contact list. An error only when the input has no usable
// header (no contact or email column: missing_column, naming the columns
// found) or is not UTF-8 (parse_error with the byte offset); bad rows (wrong
// field count, empty or malformed id or address, a contact id seen on an
// earlier line) go to `rejected`.
result<contact_list> read_contacts(std::string_view text);

}  // namespace npskit

#endif  // NPSKIT_CONTACTS_H
