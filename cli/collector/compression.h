// Compression of static files for clients that accept it.
#ifndef NPSKIT_CLI_COLLECTOR_COMPRESSION_H
#define NPSKIT_CLI_COLLECTOR_COMPRESSION_H

#include <memory>
#include <string>
#include <string_view>

namespace npskit::cli {

// A gzip member (RFC 1952) holding `data`.
std::string gzip_compress(std::string_view data);
// A Brotli stream (RFC 7932) holding `data`.
std::string brotli_compress(std::string_view data);

// True when an Accept-Encoding header value admits `encoding` ("gzip",
// "br"): listed by name or as "*", and not with q=0.
bool accepts_encoding(std::string_view header, std::string_view encoding);

// Gzip of a body produced piece by piece (a streamed export).
class gzip_stream {
 public:
  gzip_stream();
  ~gzip_stream();
  gzip_stream(const gzip_stream&) = delete;
  gzip_stream& operator=(const gzip_stream&) = delete;

  // Compresses the next piece; `last` ends the member. Returns the bytes
  // ready to send (possibly none).
  std::string compress(std::string_view piece, bool last);

 private:
  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_COMPRESSION_H
