// The collector's HTTP/1.1 transport: an event-driven server (Boost.Beast on
// Asio) whose few I/O threads never block, with hard limits on what one client
// can hold (bytes, time, connections), and a pool of worker threads on which
// the request handlers run, since storing an answer waits for its commit.
#ifndef NPSKIT_CLI_COLLECTOR_HTTP_SERVER_H
#define NPSKIT_CLI_COLLECTOR_HTTP_SERVER_H

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "npskit/result.h"

namespace npskit::cli {

struct http_header {
  std::string name;
  std::string value;
};

// One complete request: header, body and the connecting address.
struct http_request {
  std::string method;
  std::string target;  // as sent: path and query, percent-encoded
  std::string path;    // the path part of target, percent-decoded
  std::string query;   // the part after '?', still encoded
  std::vector<http_header> headers;
  std::string body;
  std::string peer;       // the connecting IP address, e.g. "127.0.0.1" or "::1"
  unsigned version = 11;  // 10 or 11

  // Value of the first header of that name (any case); empty when absent.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
  // First query parameter of that name, percent-decoded with '+' as space.
  std::optional<std::string> param(std::string_view name) const;
};

// Streams a body of unknown length: each call appends the next piece to
// `out` (empty, and true, at the end). False aborts the transfer, so that the
// client sees a truncated response rather than a short but complete one.
// Runs on a worker thread and may block.
using body_producer = std::function<bool(std::string& out)>;

struct http_response {
  int status = 200;
  std::vector<http_header> headers;
  std::string body;
  body_producer producer;  // when set, replaces body and is sent chunked
  bool close = false;      // close the connection after this answer

  // Replaces every header of that name (any case).
  void set_header(std::string_view name, std::string value);
  void erase_header(std::string_view name);
  std::string header(std::string_view name) const;
};

class http_handler {
 public:
  virtual ~http_handler() = default;
  // A look at a request before its body is read: an answer refuses it, and
  // the connection closes after it, so an unread body is never taken for the
  // next request. Runs on an I/O thread, so it must not block.
  virtual std::optional<http_response> screen(const http_request& request) = 0;
  // The answer to a complete request. Runs on a worker thread; may block.
  virtual http_response handle(const http_request& request) = 0;
  // The answer to a request the transport refuses after reading its header
  // (400 bad framing, 413 body too large); `request` has no body. Runs on an
  // I/O thread, so it must not block. `field` and `message` say what was wrong.
  virtual http_response refuse(const http_request& request, int status, std::string_view code,
                               std::string_view field, const std::string& message) = 0;
};

// What one client may hold; the defaults are the documented ones.
struct http_limits {
  std::size_t max_request_line = std::size_t{8} * 1024;  // longer: 414
  std::size_t max_header = std::size_t{32} * 1024;  // request line and every header together: 431
  std::size_t max_body = std::size_t{16} * 1024;    // larger: 413
  std::chrono::milliseconds idle_timeout{5000};     // waiting for a request's first byte
  std::chrono::milliseconds header_timeout{10000};  // from its first byte to the blank line
  std::chrono::milliseconds body_timeout{10000};    // from the header to the body's last byte
  std::chrono::milliseconds write_timeout{10000};   // each write of an answer
  std::size_t max_connections = 2048;
  std::size_t max_connections_per_client = 64;
  // After an answer that ends the connection early (413, 431) the rest of
  // what the client sends is read and dropped, up to this much or this long,
  // so that it hears the answer instead of a reset.
  std::size_t drain_bytes = std::size_t{16} * 1024 * 1024;
  std::chrono::milliseconds drain_timeout{5000};
};

struct http_server_config {
  std::string host;
  unsigned short port = 0;  // 0: any free port
  http_limits limits;
  std::size_t io_threads = 2;
  std::size_t workers = 64;  // requests handled at once
  // Addresses exempt from max_connections_per_client (a trusted reverse
  // proxy carries every client's connections).
  std::vector<std::string> uncapped_peers;
};

class http_server {
 public:
  // Binds the address; error names it and the reason.
  static result<std::unique_ptr<http_server>> bind(http_server_config config,
                                                   http_handler& handler);
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  unsigned short port() const;
  // Serves until stop(); returns once every request in flight is answered.
  void run();
  // Safe from any thread: stops accepting, closes idle connections and lets
  // the requests in flight finish (their connections close after the answer).
  void stop();

  struct impl;  // the Asio side, kept out of this header

 private:
  explicit http_server(std::unique_ptr<impl> state);
  std::unique_ptr<impl> impl_;
};

// Lower-cases ASCII letters.
std::string ascii_lower(std::string_view text);
// Percent-decodes; '+' becomes a space when plus_is_space.
std::string percent_decode(std::string_view text, bool plus_is_space);
// Escapes control characters and spaces as %XX, so that text from a request
// cannot forge a log line or drive a terminal.
std::string printable(std::string_view text);
// The standard reason phrase of a status, "Unknown" for others.
std::string_view reason_phrase(int status);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_HTTP_SERVER_H
