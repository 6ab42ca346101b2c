// The collector's endpoints on top of the HTTP transport: what each request
// is answered with, given the collector's state.
#ifndef NPSKIT_CLI_COLLECTOR_ROUTES_H
#define NPSKIT_CLI_COLLECTOR_ROUTES_H

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "collector/access.h"
#include "collector/http_server.h"
#include "collector/invitation_options.h"
#include "collector/rate_limiter.h"
#include "collector/serve_options.h"
#include "collector/static_files.h"
#include "collector/storage.h"
#include "collector/stored_summary.h"

namespace npskit::cli {

// Everything a running collector holds; shared by every request.
struct collector_state {
  // `admin_token` empty: none (reads open to this machine only).
  collector_state(serve_options serve, std::unique_ptr<answer_storage> answers,
                  std::string admin_token)
      : options(std::move(serve)),
        store(std::move(answers)),
        access(options.host, std::move(admin_token), options.allowed_origins, options.access),
        limiter(options.rate_per_minute),
        files(options.root),
        admin_files(options.admin_root),
        survey_files(options.survey_root) {}

  serve_options options;
  std::unique_ptr<answer_storage> store;
  access_policy access;  // who may post and read
  rate_limiter limiter;
  static_files files;
  static_files admin_files;   // the dashboard and inbox, at /admin/
  static_files survey_files;  // the hosted survey page, at /s/SURVEY
  theme_cache themes;         // comment themes of recent summaries, to save rereading
  // Checks personal links' signatures; none: contacts are stored unverified.
  std::optional<link_secret> link_key;
  invitation_service invitations;  // invitation_routes.h
};

class collector_routes : public http_handler {
 public:
  explicit collector_routes(collector_state& state) : state_(state) {}

  std::optional<http_response> screen(const http_request& request) override;
  http_response handle(const http_request& request) override;
  http_response refuse(const http_request& request, int status, std::string_view code,
                       std::string_view field, const std::string& message) override;

 private:
  // Judges the request by the access policy (Host, Origin, admin token):
  // adds the headers it asks for (CORS, WWW-Authenticate) and answers a
  // refusal. Returns false when refused.
  bool admit(const http_request& request, http_response& response,
             access_verdict* verdict = nullptr) const;
  access_verdict judge(const http_request& request) const;

  http_response preflight(const http_request& request) const;
  http_response post_answer(const http_request& request);
  http_response get_summary(const http_request& request) const;
  http_response get_export(const http_request& request, bool csv) const;
  bool read_filter(const http_request& request, http_response& response, row_filter& filter) const;
  http_response get_surveys(const http_request& request) const;
  http_response get_inbox(const http_request& request) const;
  http_response patch_answer(const http_request& request, const std::string& id);
  http_response erase(const http_request& request, const std::string& id);
  http_response serve_admin(const http_request& request) const;
  http_response serve_survey_page(const http_request& request) const;

  collector_state& state_;
};

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_ROUTES_H
