// The two export formats of stored answers, shared by `npskit export` and the
// collector's /api/responses.csv and .jsonl.
#ifndef NPSKIT_CLI_COLLECTOR_EXPORT_H
#define NPSKIT_CLI_COLLECTOR_EXPORT_H

#include <string>
#include <string_view>

#include "collector/storage.h"
#include "npskit/result.h"

namespace npskit::cli {

enum class export_format { csv, jsonl };

// How CSV cells carry text. spreadsheet_safe (the default): control
// characters other than tab and line feed are removed (C0, DEL and C1, which
// terminals take as commands), and a cell starting with =, +, -, @, tab or
// carriage return is prefixed with ' so that spreadsheets show it as text
// instead of running it as a formula (OWASP, CSV injection). verbatim: the
// stored text unchanged.
enum class csv_text { spreadsheet_safe, verbatim };

result<export_format> parse_export_format(std::string_view text);

// Text that starts the export: the CSV header row; nothing for JSONL.
std::string export_header(export_format format);

// Appends one row: for JSONL the stored payload (every field, also unknown
// ones) on one line; for CSV the known fields as RFC 4180 columns, with user
// and properties as JSON text. Error when a stored payload no longer
// validates, naming its sequence number.
status append_export_row(export_format format, const stored_row& row, std::string& out,
                         csv_text text = csv_text::spreadsheet_safe);

// Appends one CSV cell (RFC 4180 quoting when needed), as the export does.
void append_csv_field(std::string_view raw, csv_text mode, std::string& out);

// MIME type served for the format.
const char* export_content_type(export_format format);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_EXPORT_H
