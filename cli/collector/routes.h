// The collector's endpoints on top of the HTTP transport: what each request
// is answered with, given the collector's state.
#ifndef NPSKIT_CLI_COLLECTOR_ROUTES_H
#define NPSKIT_CLI_COLLECTOR_ROUTES_H

#include <memory>
#include <string>
#include <string_view>

#include "collector/http_server.h"
#include "collector/rate_limiter.h"
#include "collector/serve_options.h"
#include "collector/static_files.h"
#include "collector/store.h"
#include "collector/stored_summary.h"

namespace npskit::cli {

// Everything a running collector holds; shared by every request.
struct collector_state {
  collector_state(serve_options serve, std::unique_ptr<answer_store> answers)
      : options(std::move(serve)),
        store(std::move(answers)),
        limiter(options.rate_per_minute),
        files(options.root),
        loopback_only(is_loopback_host(options.host)) {}

  serve_options options;
  std::unique_ptr<answer_store> store;
  rate_limiter limiter;
  static_files files;
  theme_cache themes;  // comment themes of recent summaries, to save rereading
  bool loopback_only;  // listening on loopback: only loopback Host names are served
};

class collector_routes : public http_handler {
 public:
  explicit collector_routes(collector_state& state) : state_(state) {}

  http_response handle(const http_request& request) override;
  http_response refuse(const http_request& request, int status, std::string_view code,
                       std::string_view field, const std::string& message) override;

 private:
  enum class origin_verdict { none, same, allowed, refused };
  origin_verdict judge_origin(const http_request& request) const;
  // Adds the CORS headers an allowed cross-origin request needs; answers a
  // refused origin with 403. Returns false when refused.
  bool admit(const http_request& request, http_response& response) const;

  http_response preflight(const http_request& request) const;
  http_response post_answer(const http_request& request);
  http_response get_summary(const http_request& request) const;
  http_response get_export(const http_request& request, bool csv) const;
  bool read_filter(const http_request& request, http_response& response, row_filter& filter) const;

  collector_state& state_;
};

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_ROUTES_H
