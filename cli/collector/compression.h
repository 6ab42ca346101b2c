// Compression of static files for clients that accept it.
#ifndef NPSKIT_CLI_COLLECTOR_COMPRESSION_H
#define NPSKIT_CLI_COLLECTOR_COMPRESSION_H

#include <string>
#include <string_view>

namespace npskit::cli {

// A gzip member (RFC 1952) holding `data`.
std::string gzip_compress(std::string_view data);
// A Brotli stream (RFC 7932) holding `data`.
std::string brotli_compress(std::string_view data);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_COMPRESSION_H
