#include "collector/http_server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <cstdio>
#include <exception>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <unordered_map>
#include <utility>

#include "collector/storage.h"

namespace npskit::cli {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string percent_decode(std::string_view text, bool plus_is_space) {
  const auto hex_value = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F || c == ' ') {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", byte);
      out += escaped;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string_view reason_phrase(int status) {
  const auto reason = http::obsolete_reason(http::int_to_status(static_cast<unsigned>(status)));
  return {reason.data(), reason.size()};
}

namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string trim(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const std::size_t last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

}  // namespace

std::string http_request::header(std::string_view name) const {
  for (const http_header& field : headers) {
    if (same_name(field.name, name)) return field.value;
  }
  return {};
}

bool http_request::has_header(std::string_view name) const {
  return std::any_of(headers.begin(), headers.end(),
                     [name](const http_header& field) { return same_name(field.name, name); });
}

std::optional<std::string> http_request::param(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    const std::size_t equals = pair.find('=');
    if (percent_decode(pair.substr(0, equals), true) != name) continue;
    return equals == std::string_view::npos ? std::string()
                                            : percent_decode(pair.substr(equals + 1), true);
  }
  return std::nullopt;
}

void http_response::set_header(std::string_view name, std::string value) {
  erase_header(name);
  headers.push_back({std::string(name), std::move(value)});
}

void http_response::erase_header(std::string_view name) {
  headers.erase(
      std::remove_if(headers.begin(), headers.end(),
                     [name](const http_header& field) { return same_name(field.name, name); }),
      headers.end());
}

std::string http_response::header(std::string_view name) const {
  for (const http_header& field : headers) {
    if (same_name(field.name, name)) return field.value;
  }
  return {};
}

namespace {

using steady = std::chrono::steady_clock;

// Connections are counted per client: an IPv4 address, or the /64 an IPv6
// address belongs to (one subscriber gets a whole /64 to pick from).
std::string client_key(const net::ip::address& address) {
  if (address.is_v4()) return address.to_string();
  auto bytes = address.to_v6().to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return net::ip::address_v6(bytes).to_string() + "/64";
}

class connection_table {
 public:
  enum class verdict { admitted, client_full, server_full };

  explicit connection_table(const http_limits& limits) : limits_(limits) {}

  verdict admit(const std::string& key, bool uncapped) {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (total_ >= limits_.max_connections) return verdict::server_full;
    if (!uncapped) {
      std::size_t& count = per_client_[key];
      if (count >= limits_.max_connections_per_client) return verdict::client_full;
      ++count;
    }
    ++total_;
    return verdict::admitted;
  }

  void release(const std::string& key, bool uncapped) {
    const std::lock_guard<std::mutex> lock(mutex_);
    --total_;
    if (uncapped) return;
    const auto found = per_client_.find(key);
    if (found != per_client_.end() && --found->second == 0) per_client_.erase(found);
  }

 private:
  const http_limits& limits_;
  std::mutex mutex_;
  std::size_t total_ = 0;
  std::unordered_map<std::string, std::size_t> per_client_;
};

std::string error_body(std::string_view code, std::string_view field, const std::string& message) {
  return nlohmann::json{{"error", code}, {"field", field}, {"message", message}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

http_response error_response(int status, std::string_view code, std::string_view field,
                             const std::string& message) {
  http_response response;
  response.status = status;
  response.body = error_body(code, field, message);
  response.headers.push_back({"Content-Type", "application/json"});
  response.close = true;
  return response;
}

void log_line(std::string_view method, std::string_view path, int status,
              std::optional<double> milliseconds) {
  std::string line = utc_timestamp_now() + " " + (method.empty() ? "-" : printable(method)) + " " +
                     (path.empty() ? "-" : printable(path)) + " " + std::to_string(status) + " ";
  if (milliseconds) {
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.2fms", *milliseconds);
    line += duration;
  } else {
    line += "-";
  }
  line.push_back('\n');
  // One write per line keeps lines from concurrent requests whole.
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace

class http_session;

struct http_server::impl {
  impl(http_server_config configuration, http_handler& request_handler)
      : config(std::move(configuration)),
        handler(request_handler),
        acceptor(context),
        retry_accept(context),
        workers(std::max<std::size_t>(config.workers, 1)),
        connections(config.limits) {}

  void accept();
  void admit(tcp::socket socket);
  void refuse_connection(tcp::socket& socket, const std::string& message);
  void forget(http_session* session) {
    const std::lock_guard<std::mutex> lock(sessions_mutex);
    sessions.erase(session);
  }

  http_server_config config;
  http_handler& handler;
  net::io_context context;
  tcp::acceptor acceptor;
  net::steady_timer retry_accept;
  net::thread_pool workers;
  connection_table connections;
  std::mutex sessions_mutex;
  std::unordered_map<http_session*, std::weak_ptr<http_session>> sessions;
  bool stopping = false;  // touched on the context only
};

// One connection: reads a request within its limits, hands it to a worker,
// writes the answer, and waits for the next one; every wait has a deadline.
class http_session : public std::enable_shared_from_this<http_session> {
 public:
  http_session(tcp::socket socket, http_server::impl& server, std::string peer, std::string key,
               bool uncapped)
      : stream_(std::move(socket)),
        buffer_(server.config.limits.max_header + std::size_t{64} * 1024),
        server_(server),
        limits_(server.config.limits),
        peer_(std::move(peer)),
        key_(std::move(key)),
        uncapped_(uncapped) {}

  ~http_session() {
    server_.connections.release(key_, uncapped_);
    server_.forget(this);
  }

  void start() {
    net::dispatch(stream_.get_executor(),
                  [self = shared_from_this()] { self->wait_for_request(); });
  }

  void stop() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      self->stopping_ = true;
      // A request being handled or answered finishes; anything else ends now.
      if (self->phase_ == phase::idle || self->phase_ == phase::reading ||
          self->phase_ == phase::draining) {
        self->close();
      }
    });
  }

 private:
  enum class phase { idle, reading, handling, writing, draining, closed };

  void wait_for_request() {
    phase_ = phase::idle;
    if (stopping_) return close();
    if (buffer_.size() > 0) return read_header();
    stream_.expires_after(limits_.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              if (ec) return self->close();  // idle too long, or the client left
                              self->buffer_.commit(n);
                              self->read_header();
                            });
  }

  void read_header() {
    phase_ = phase::reading;
    started_ = steady::now();
    request_ = http_request{};
    request_.peer = peer_;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(limits_.max_header));
    // The declared length is judged after the header (to answer 413 rather
    // than 400); the limit then bounds what a chunked body may add up to.
    // (Not boost::none: Boost 1.74 compares a length with an empty limit as
    // greater, refusing every body.)
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    stream_.expires_after(limits_.header_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
      // The parser keeps no bytes of a start line it has read; while it is
      // still reading one, the request line is what is too long.
      if (parser_->get().target().empty()) {
        return refuse_unparsed(414, "uri_too_long", "target",
                               "target: the request line is longer than " +
                                   std::to_string(limits_.max_request_line) + " bytes");
      }
      return refuse_unparsed(431, "header_too_large", "header",
                             "header: the request line and headers are larger than " +
                                 std::to_string(limits_.max_header) + " bytes together");
    }
    if (ec == http::error::bad_transfer_encoding || ec == http::error::bad_content_length) {
      return refuse_unparsed(400, "bad_request", "Content-Length",
                             "Content-Length: conflicts with Transfer-Encoding or another "
                             "Content-Length (expected exactly one way to tell the body's end)");
    }
    if (ec && ec.category() == http::make_error_code(http::error::bad_method).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
      return refuse_unparsed(400, "bad_request", "header",
                             "header: not an HTTP/1.1 request (" + ec.message() + ")");
    }
    // A deadline passed (a slow client) or the client went away.
    if (ec) return close();

    const auto& header = parser_->get();
    request_.method = std::string(header.method_string());
    request_.target = std::string(header.target());
    request_.version = header.version();
    const std::size_t question = request_.target.find('?');
    request_.path = percent_decode(std::string_view(request_.target).substr(0, question), false);
    if (question != std::string::npos) request_.query = request_.target.substr(question + 1);
    for (const auto& field : header) {
      request_.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    }
    if (request_.target.size() > limits_.max_request_line) {
      return refuse(414, "uri_too_long", "target",
                    "target: the request line is longer than " +
                        std::to_string(limits_.max_request_line) + " bytes");
    }
    if (!check_framing()) return;
    if (auto refused = server_.handler.screen(request_)) {
      refused->close = true;
      return send(std::move(*refused));
    }
    if (parser_->is_done()) return dispatch();
    if (parser_->content_length() && *parser_->content_length() > limits_.max_body) {
      return refuse_too_large();
    }
    if (same_name(request_.header("Expect"), "100-continue")) {
      static const std::string continue_line = "HTTP/1.1 100 Continue\r\n\r\n";
      stream_.expires_after(limits_.write_timeout);
      return net::async_write(
          stream_, net::buffer(continue_line),
          [self = shared_from_this()](beast::error_code write_error, std::size_t) {
            if (write_error) return self->close();
            self->read_body();
          });
    }
    read_body();
  }

  // Two ways to say where a body ends would let a proxy in front and this
  // server disagree about where the next request starts (request smuggling).
  bool check_framing() {
    std::size_t lengths = 0;
    std::size_t codings = 0;
    std::string coding;
    for (const http_header& field : request_.headers) {
      if (same_name(field.name, "Content-Length")) {
        ++lengths;
        if (field.value.find(',') != std::string::npos) ++lengths;
      } else if (same_name(field.name, "Transfer-Encoding")) {
        ++codings;
        coding = ascii_lower(trim(field.value));
      }
    }
    if (lengths > 0 && codings > 0) {
      refuse(400, "bad_request", "Transfer-Encoding",
             "Transfer-Encoding: not allowed together with Content-Length");
      return false;
    }
    if (lengths > 1) {
      refuse(400, "bad_request", "Content-Length",
             "Content-Length: given more than once (expected one length)");
      return false;
    }
    if (codings > 1 || (codings == 1 && coding != "chunked")) {
      refuse(400, "bad_request", "Transfer-Encoding",
             "Transfer-Encoding: \"" + request_.header("Transfer-Encoding") +
                 "\" is not supported (expected chunked)");
      return false;
    }
    return true;
  }

  void read_body() {
    parser_->body_limit(limits_.max_body);
    stream_.expires_after(limits_.body_timeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); });
  }

  void on_body(beast::error_code ec) {
    if (ec == http::error::body_limit) return refuse_too_large();
    if (ec == beast::error::timeout) return close();
    if (ec && ec.category() == http::make_error_code(http::error::bad_method).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
      return refuse(400, "bad_request", "body",
                    "body: malformed chunked encoding (" + ec.message() + ")");
    }
    if (ec) return close();
    request_.body = std::move(parser_->get().body());
    dispatch();
  }

  void dispatch() {
    phase_ = phase::handling;
    keep_alive_ = parser_->keep_alive();
    parser_.reset();
    // The guard keeps the I/O threads running while a worker has the request.
    net::post(server_.workers,
              [self = shared_from_this(), guard = net::make_work_guard(server_.context)]() mutable {
                http_response response;
                try {
                  response = self->server_.handler.handle(self->request_);
                } catch (const std::exception& failure) {
                  std::fprintf(stderr, "npskit serve: request failed: %s\n", failure.what());
                  response = error_response(500, "internal_error", "request",
                                            "request: the collector could not answer it");
                }
                net::post(self->stream_.get_executor(), [self, response = std::move(response),
                                                         guard = std::move(guard)]() mutable {
                  self->send(std::move(response));
                });
              });
  }

  void refuse(int status, std::string_view code, std::string_view field,
              const std::string& message) {
    http_response response = server_.handler.refuse(request_, status, code, field, message);
    response.close = true;
    send(std::move(response));
  }

  void refuse_too_large() {
    refuse(413, "payload_too_large", "body",
           "body: larger than the limit of " + std::to_string(limits_.max_body) +
               " bytes (--max-body)");
  }

  // Refusals before the request line and headers could be read.
  void refuse_unparsed(int status, std::string_view code, std::string_view field,
                       const std::string& message) {
    request_.method.clear();
    request_.path.clear();
    send(error_response(status, code, field, message));
  }

  void log(int status) const {
    std::optional<double> milliseconds;
    if (!request_.method.empty()) {
      milliseconds = std::chrono::duration<double, std::milli>(steady::now() - started_).count();
    }
    log_line(request_.method, request_.path, status, milliseconds);
  }

  void send(http_response response) {
    if (phase_ == phase::closed) return;
    phase_ = phase::writing;
    log(response.status);
    const bool keep = keep_alive_ && !response.close && !stopping_;
    keep_alive_ = false;
    const bool head = request_.method == "HEAD";
    if (response.producer && !head) return send_stream(std::move(response), keep);

    auto message = std::make_shared<http::response<http::string_body>>();
    message->version(request_.version == 10 ? 10 : 11);
    message->result(static_cast<unsigned>(response.status));
    for (const http_header& field : response.headers) message->insert(field.name, field.value);
    const bool bodiless = response.status == 204 || response.status == 304 ||
                          (response.status >= 100 && response.status < 200);
    if (!bodiless) {
      // HEAD announces the length a GET would get, without the body.
      message->content_length(response.body.size());
      if (!head) message->body() = std::move(response.body);
    }
    message->keep_alive(keep);
    stream_.expires_after(limits_.write_timeout);
    http::async_write(
        stream_, *message,
        [self = shared_from_this(), message, keep](beast::error_code ec, std::size_t) {
          if (ec) return self->close();
          self->after_answer(keep);
        });
  }

  // Exports: the header now, then each piece as a worker produces it, so a
  // large export never sits in memory whole.
  void send_stream(http_response response, bool keep) {
    const bool chunked = request_.version != 10;
    if (!chunked) keep = false;  // HTTP/1.0: the end of the body is the end of the connection
    auto message = std::make_shared<http::response<http::empty_body>>();
    message->version(chunked ? 11 : 10);
    message->result(static_cast<unsigned>(response.status));
    for (const http_header& field : response.headers) message->insert(field.name, field.value);
    message->keep_alive(keep);
    if (chunked) message->chunked(true);
    auto serializer = std::make_shared<http::response_serializer<http::empty_body>>(*message);
    auto producer = std::make_shared<body_producer>(std::move(response.producer));
    stream_.expires_after(limits_.write_timeout);
    http::async_write_header(stream_, *serializer,
                             [self = shared_from_this(), message, serializer, producer, keep,
                              chunked](beast::error_code ec, std::size_t) {
                               if (ec) return self->close();
                               self->produce_piece(producer, keep, chunked);
                             });
  }

  void produce_piece(const std::shared_ptr<body_producer>& producer, bool keep, bool chunked) {
    net::post(server_.workers, [self = shared_from_this(), producer, keep, chunked,
                                guard = net::make_work_guard(server_.context)]() mutable {
      auto piece = std::make_shared<std::string>();
      bool produced = false;
      try {
        produced = (*producer)(*piece);
      } catch (const std::exception& failure) {
        std::fprintf(stderr, "npskit serve: streaming failed: %s\n", failure.what());
      }
      net::post(self->stream_.get_executor(), [self, producer, piece, produced, keep, chunked,
                                               guard = std::move(guard)]() mutable {
        self->write_piece(producer, piece, produced, keep, chunked);
      });
    });
  }

  void write_piece(const std::shared_ptr<body_producer>& producer,
                   const std::shared_ptr<std::string>& piece, bool produced, bool keep,
                   bool chunked) {
    if (!produced || phase_ == phase::closed) return close();
    stream_.expires_after(limits_.write_timeout);
    if (piece->empty()) {
      if (!chunked) return after_answer(false);
      return net::async_write(stream_, http::make_chunk_last(),
                              [self = shared_from_this(), keep](beast::error_code ec, std::size_t) {
                                if (ec) return self->close();
                                self->after_answer(keep);
                              });
    }
    const auto next = [self = shared_from_this(), producer, piece, keep, chunked](
                          beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      self->produce_piece(producer, keep, chunked);
    };
    if (chunked) return net::async_write(stream_, http::make_chunk(net::buffer(*piece)), next);
    net::async_write(stream_, net::buffer(*piece), next);
  }

  void after_answer(bool keep) {
    if (keep && !stopping_) return wait_for_request();
    close_gracefully();
  }

  // Half-closes, then reads and drops what the client still sends (bounded),
  // so that closing with unread data does not reset the connection and
  // destroy the answer before the client has read it.
  void close_gracefully() {
    phase_ = phase::draining;
    if (stopping_) return close();
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    buffer_.consume(buffer_.size());
    drained_ = 0;
    stream_.expires_after(limits_.drain_timeout);
    drain();
  }

  void drain() {
    stream_.async_read_some(net::buffer(discard_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ >= self->limits_.drain_bytes) {
                                return self->close();
                              }
                              self->drain();
                            });
  }

  void close() {
    if (phase_ == phase::closed) return;
    phase_ = phase::closed;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::array<char, std::size_t{16} * 1024> discard_{};
  http_server::impl& server_;
  const http_limits& limits_;
  std::string peer_;
  std::string key_;
  bool uncapped_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http_request request_;
  steady::time_point started_;
  phase phase_ = phase::idle;
  bool keep_alive_ = false;
  bool stopping_ = false;
  std::size_t drained_ = 0;
};

void http_server::impl::accept() {
  acceptor.async_accept(net::make_strand(context),
                        [this](beast::error_code ec, tcp::socket socket) {
                          if (stopping || !acceptor.is_open()) return;
                          if (ec) {
                            // Out of file descriptors or a connection reset before it was taken:
                            // try again shortly instead of spinning.
                            retry_accept.expires_after(std::chrono::milliseconds(100));
                            retry_accept.async_wait([this](beast::error_code wait_error) {
                              if (!wait_error && !stopping) accept();
                            });
                            return;
                          }
                          admit(std::move(socket));
                          accept();
                        });
}

void http_server::impl::admit(tcp::socket socket) {
  beast::error_code ec;
  const tcp::endpoint remote = socket.remote_endpoint(ec);
  if (ec) return;
  socket.set_option(tcp::no_delay(true), ec);
  net::ip::address address = remote.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6());
  }
  std::string peer = address.to_string();
  const std::string key = client_key(address);
  const bool uncapped = std::find(config.uncapped_peers.begin(), config.uncapped_peers.end(),
                                  peer) != config.uncapped_peers.end();
  switch (connections.admit(key, uncapped)) {
    case connection_table::verdict::admitted: {
      auto session =
          std::make_shared<http_session>(std::move(socket), *this, std::move(peer), key, uncapped);
      {
        const std::lock_guard<std::mutex> lock(sessions_mutex);
        sessions.emplace(session.get(), session);
      }
      session->start();
      return;
    }
    case connection_table::verdict::client_full:
      return refuse_connection(
          socket, "connection: this address already holds " +
                      std::to_string(config.limits.max_connections_per_client) +
                      " connections, the most one client may open; close some and retry");
    case connection_table::verdict::server_full:
      return refuse_connection(socket, "connection: the collector holds its maximum of " +
                                           std::to_string(config.limits.max_connections) +
                                           " connections; retry shortly");
  }
}

// Over a limit, the connection gets a fixed 503 written without waiting (a
// new socket's send buffer has room) and is closed.
void http_server::impl::refuse_connection(tcp::socket& socket, const std::string& message) {
  const std::string body = error_body("too_many_connections", "connection", message);
  const std::string answer =
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: "
      "1\r\nConnection: close\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  beast::error_code ignored;
  socket.non_blocking(true, ignored);
  socket.write_some(net::buffer(answer), ignored);
  socket.shutdown(tcp::socket::shutdown_send, ignored);
  socket.close(ignored);
}

http_server::http_server(std::unique_ptr<impl> state) : impl_(std::move(state)) {}

http_server::~http_server() { impl_->workers.join(); }

result<std::unique_ptr<http_server>> http_server::bind(http_server_config config,
                                                       http_handler& handler) {
  auto state = std::make_unique<impl>(std::move(config), handler);
  const std::string& host = state->config.host;
  const auto failure = [&host, &state](const beast::error_code& ec) {
    return make_error(error_code::invalid_argument, "cannot listen on " + host + ":" +
                                                        std::to_string(state->config.port) + ": " +
                                                        ec.message());
  };
  beast::error_code ec;
  net::ip::address address = net::ip::make_address(host, ec);
  if (ec) {
    tcp::resolver resolver(state->context);
    const auto results = resolver.resolve(host, "", ec);
    if (ec || results.empty()) return failure(ec ? ec : net::error::host_not_found);
    address = results.begin()->endpoint().address();
  }
  const tcp::endpoint endpoint(address, state->config.port);
  tcp::acceptor& acceptor = state->acceptor;
  if (acceptor.open(endpoint.protocol(), ec)) return failure(ec);
  if (acceptor.set_option(net::socket_base::reuse_address(true), ec)) return failure(ec);
  if (address.is_v6()) acceptor.set_option(net::ip::v6_only(true), ec);
  if (acceptor.bind(endpoint, ec)) return failure(ec);
  if (acceptor.listen(net::socket_base::max_listen_connections, ec)) return failure(ec);
  return std::unique_ptr<http_server>(new http_server(std::move(state)));
}

unsigned short http_server::port() const { return impl_->acceptor.local_endpoint().port(); }

void http_server::run() {
  impl_->accept();
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < impl_->config.io_threads; ++i) {
    threads.emplace_back([this] { impl_->context.run(); });
  }
  impl_->context.run();
  for (std::thread& thread : threads) thread.join();
  impl_->workers.join();
}

void http_server::stop() {
  net::post(impl_->context, [state = impl_.get()] {
    state->stopping = true;
    beast::error_code ignored;
    state->acceptor.close(ignored);
    state->retry_accept.cancel();
    std::vector<std::shared_ptr<http_session>> open;
    {
      const std::lock_guard<std::mutex> lock(state->sessions_mutex);
      for (const auto& entry : state->sessions) {
        if (auto session = entry.second.lock()) open.push_back(std::move(session));
      }
    }
    for (const auto& session : open) session->stop();
  });
}

}  // namespace npskit::cli
