#include "collector/webhook_client.h"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>
#include <cstdlib>

namespace npskit::cli {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// A receiver's answer is read only for its status; a large body is cut off.
constexpr std::uint64_t max_answer_bytes = std::uint64_t{64} * 1024;

http::request<http::string_body> make_request(
    const http_url& url, const std::vector<std::pair<std::string, std::string>>& headers,
    const std::string& body) {
  http::request<http::string_body> request{http::verb::post, url.target, 11};
  const bool default_port = url.port == (url.tls ? "443" : "80");
  const std::string host =
      url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  request.set(http::field::host, default_port ? host : host + ":" + url.port);
  request.set(http::field::user_agent, "npskit/" NPSKIT_VERSION);
  request.set(http::field::content_type, "application/json");
  request.set(http::field::connection, "close");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  return request;
}

template <typename Stream>
post_outcome exchange(Stream& stream, beast::tcp_stream& socket,
                      http::request<http::string_body>& request, const post_timeouts& timeouts) {
  post_outcome outcome;
  beast::error_code failure;
  socket.expires_after(timeouts.exchange);
  http::write(stream, request, failure);
  if (failure) {
    outcome.failure = "sending: " + failure.message();
    return outcome;
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(max_answer_bytes);
  http::read_header(stream, buffer, parser, failure);
  if (failure) {
    outcome.failure =
        (failure == beast::error::timeout ? std::string("no answer in time")
                                          : "reading the answer: " + failure.message());
    return outcome;
  }
  outcome.status = static_cast<int>(parser.get().result_int());
  const auto retry_after = parser.get().find(http::field::retry_after);
  if (retry_after != parser.get().end()) {
    const std::string value(retry_after->value());
    if (!value.empty() && value.size() < 9 &&
        value.find_first_not_of("0123456789") == std::string::npos) {
      outcome.retry_after_seconds = std::strtoll(value.c_str(), nullptr, 10);
    }
  }
  // The status is the answer; the body is read only so the receiver sees a
  // complete exchange, and a failure reading it changes nothing.
  http::read(stream, buffer, parser, failure);
  return outcome;
}

}  // namespace

post_outcome post_json(const http_url& url,
                       const std::vector<std::pair<std::string, std::string>>& headers,
                       const std::string& body, const post_timeouts& timeouts) {
  post_outcome outcome;
  try {
    asio::io_context context;
    tcp::resolver resolver(context);
    beast::error_code failure;
    // The resolver has no timeout of its own; numeric hosts and the local
    // resolver answer at once, a slow DNS server holds this sender only.
    const auto addresses = resolver.resolve(url.host, url.port, failure);
    if (failure) {
      outcome.failure = "cannot resolve " + url.host + ": " + failure.message();
      return outcome;
    }
    auto request = make_request(url, headers, body);
    if (!url.tls) {
      beast::tcp_stream stream(context);
      stream.expires_after(timeouts.connect);
      stream.connect(addresses, failure);
      if (failure) {
        outcome.failure = "cannot connect: " + failure.message();
        return outcome;
      }
      outcome = exchange(stream, stream, request, timeouts);
      stream.socket().shutdown(tcp::socket::shutdown_both, failure);
      return outcome;
    }
    asio::ssl::context tls(asio::ssl::context::tls_client);
    tls.set_default_verify_paths();
    tls.set_verify_mode(asio::ssl::verify_peer);
    tls.set_options(asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                    asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    beast::ssl_stream<beast::tcp_stream> stream(context, tls);
    // SNI, and the certificate must name the host.
    if (SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str()) != 1) {
      outcome.failure = "TLS: cannot set the server name";
      return outcome;
    }
    stream.set_verify_callback(asio::ssl::host_name_verification(url.host));
    beast::get_lowest_layer(stream).expires_after(timeouts.connect);
    beast::get_lowest_layer(stream).connect(addresses, failure);
    if (!failure) stream.handshake(asio::ssl::stream_base::client, failure);
    if (failure) {
      outcome.failure = "cannot connect (TLS): " + failure.message();
      return outcome;
    }
    outcome = exchange(stream, beast::get_lowest_layer(stream), request, timeouts);
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
    stream.shutdown(failure);
    return outcome;
  } catch (const std::exception& thrown) {
    outcome.status = 0;
    outcome.failure = thrown.what();
    return outcome;
  }
}

}  // namespace npskit::cli
