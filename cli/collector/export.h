// The two export formats of stored answers, shared by `npskit export` and the
// collector's /api/responses.csv and .jsonl.
#ifndef NPSKIT_CLI_COLLECTOR_EXPORT_H
#define NPSKIT_CLI_COLLECTOR_EXPORT_H

#include <string>
#include <string_view>

#include "collector/store.h"
#include "npskit/result.h"

namespace npskit::cli {

enum class export_format { csv, jsonl };

result<export_format> parse_export_format(std::string_view text);

// Text that starts the export: the CSV header row; nothing for JSONL.
std::string export_header(export_format format);

// Appends one row: for JSONL the stored payload (every field, also unknown
// ones) on one line; for CSV the known fields as RFC 4180 columns, with user
// and properties as JSON text. Error when a stored payload no longer
// validates, naming its sequence number.
status append_export_row(export_format format, const stored_row& row, std::string& out);

// MIME type served for the format.
const char* export_content_type(export_format format);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_EXPORT_H
