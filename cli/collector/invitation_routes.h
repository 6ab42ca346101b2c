// The collector's invitation endpoints:
//   POST /api/invitations  (admin token) queues one invitation after an event;
//   GET  /api/campaigns    (admin token) invitations and answers per campaign;
//   GET  /unsubscribe      a page with a confirm button (never records: mail
//                          scanners follow links);
//   POST /unsubscribe      records it (the page's button, or RFC 8058
//                          one-click from the mail client).
#ifndef NPSKIT_CLI_COLLECTOR_INVITATION_ROUTES_H
#define NPSKIT_CLI_COLLECTOR_INVITATION_ROUTES_H

#include "collector/http_server.h"
#include "collector/routes.h"

namespace npskit::cli {

http_response post_invitation(collector_state& state, const http_request& request);
http_response get_campaigns(collector_state& state, const http_request& request);
// A /api/summary?by=campaign body with each group's "invitations" (sent)
// and "response_rate" (answers / invitations sent) filled in from the
// recorded invitations of `survey` (empty: every survey).
std::string add_response_rates(answer_storage& storage, const std::string& survey,
                               const std::string& summary_json);
// GET shows the page, POST records; any other method is refused.
http_response unsubscribe(collector_state& state, const http_request& request);

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_INVITATION_ROUTES_H
