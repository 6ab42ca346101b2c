// `npskit serve`: starts the reference collector (options, storage, routes,
// HTTP server) and stops it cleanly on SIGTERM or SIGINT.
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "arguments.h"
#include "collector/access.h"
#include "collector/collector.h"
#include "collector/http_server.h"
#include "collector/invitation_sender.h"
#include "collector/personal_link.h"
#include "collector/routes.h"
#include "collector/serve_options.h"
#include "collector/storage.h"
#include "collector/webhook_delivery.h"

namespace npskit::cli {
namespace {

// Every connection is a file descriptor: the soft limit (often 1024) is
// raised to the hard one, and the connection cap kept below what remains.
std::size_t usable_connections(std::size_t wanted) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return wanted;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  // Room for the database, its WAL, the read connections and the listener.
  constexpr rlim_t reserved = 64;
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= wanted + reserved) return wanted;
  const std::size_t usable = limit.rlim_cur > reserved * 2 ? limit.rlim_cur - reserved : 64;
  std::fprintf(stderr,
               "npskit serve: warning: the file descriptor limit allows only %zu connections "
               "(--max-connections %zu)\n",
               usable, wanted);
  return usable;
}

http_server_config server_config(const serve_options& options) {
  http_server_config config;
  config.host = options.host;
  config.port = static_cast<unsigned short>(options.port);
  config.limits.max_body = options.max_body;
  config.limits.max_connections = usable_connections(options.max_connections);
  config.limits.max_connections_per_client = options.max_connections_per_client;
  config.workers = options.threads;
  // A trusted proxy carries every client's connections.
  if (!options.access.proxy.empty()) config.uncapped_peers.push_back(options.access.proxy);
  const unsigned cores = std::thread::hardware_concurrency();
  config.io_threads = cores < 2 ? 1 : (cores > 4 ? 4 : cores);
  return config;
}

// --retain-days: erases the answers received longer ago than that, at start
// and every hour after, and logs how many went (never their content).
class retention_task {
 public:
  explicit retention_task(collector_state& state) : state_(state) {
    if (state_.options.retain_days > 0) thread_ = std::thread([this] { run(); });
  }
  ~retention_task() { stop(); }
  retention_task(const retention_task&) = delete;
  retention_task& operator=(const retention_task&) = delete;

  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void run() {
    const auto days = static_cast<long long>(state_.options.retain_days);
    for (;;) {
      const std::string cutoff =
          utc_timestamp_at(std::chrono::system_clock::now() - std::chrono::hours(24 * days));
      auto erased = state_.store->erase_received_before(cutoff);
      if (!erased) {
        std::fprintf(stderr, "npskit serve: retention: %s\n", erased.error().message.c_str());
      } else if (*erased > 0) {
        state_.themes.clear();
        std::fprintf(stderr,
                     "npskit serve: retention: %zu %s received before %s removed (--retain-days "
                     "%lld)\n",
                     *erased, *erased == 1 ? "answer" : "answers", cutoff.c_str(), days);
      }
      std::unique_lock<std::mutex> lock(mutex_);
      if (wake_.wait_for(lock, std::chrono::hours(1), [this] { return stopping_; })) return;
    }
  }

  collector_state& state_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// With --smtp, the thread that sends due invitations, their links signed
// with the collector's link key.
result<std::unique_ptr<background_sender>> start_invitations(collector_state& state,
                                                             const std::string& served_url) {
  const invitation_options& options = state.options.invitations;
  state.invitations.options = options;
  if (!options.smtp) return std::unique_ptr<background_sender>();
  if (!state.link_key) {
    return make_error(error_code::invalid_argument,
                      "--smtp: invitations need the link key: --link-secret-file FILE with a "
                      "PostgreSQL --db (the file `npskit send` and every collector share)");
  }
  mail_settings mail;
  mail.base_url =
      state.options.webhooks.public_url.empty() ? served_url : state.options.webhooks.public_url;
  mail.product = options.product;
  mail.secret = *state.link_key;
  auto sender =
      std::make_unique<background_sender>(*state.store, *options.smtp, mail, options.per_minute);
  state.invitations.sender = sender.get();
  sender->start();
  std::fprintf(stderr, "npskit serve: invitations: sent through %s from %s, links to %s\n",
               options.smtp->url.c_str(), options.smtp->from.c_str(), mail.base_url.c_str());
  return sender;
}

}  // namespace

int run_serve(const std::vector<std::string>& args) {
  auto parsed = parse_arguments(serve_option_table(), args);
  if (!parsed) {
    std::fprintf(stderr, "npskit serve: %s\n", parsed.error().message.c_str());
    print_serve_usage(stderr);
    return 2;
  }
  if (parsed->has("--help")) {
    print_serve_usage(stdout);
    return 0;
  }
  auto options = read_serve_options(*parsed);
  if (!options) {
    std::fprintf(stderr, "npskit serve: %s\n", options.error().message.c_str());
    return 2;
  }

  // SIGTERM and SIGINT are taken by one thread that stops the server; every
  // other thread (created below, after this mask) never sees them. SIGUSR2
  // only wakes that thread when the server ends for another reason.
  sigset_t handled_signals;
  sigemptyset(&handled_signals);
  sigaddset(&handled_signals, SIGTERM);
  sigaddset(&handled_signals, SIGINT);
  sigaddset(&handled_signals, SIGUSR2);
  pthread_sigmask(SIG_BLOCK, &handled_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  storage_settings storing;
  storing.synchronous = options->synchronous;
  storing.connections = options->db_connections;
  auto store = open_storage(options->db, storing, storage_access::read_write);
  if (!store) {
    std::fprintf(stderr, "npskit serve: %s\n", store.error().message.c_str());
    return 1;
  }
  // Reachable from elsewhere, reads need a token; on loopback without one
  // they stay open to this machine.
  admin_token token;
  auto token_path = admin_token_path(options->access, options->host, options->db.location);
  if (token_path && options->db.kind == storage_kind::postgresql &&
      options->access.admin_token_file.empty()) {
    std::fprintf(stderr,
                 "npskit serve: --admin-token-file FILE is required with a PostgreSQL --db "
                 "off loopback (give every collector of the database the same file)\n");
    return 2;
  }
  if (token_path) {
    auto loaded = load_or_create_admin_token(*token_path);
    if (!loaded) {
      std::fprintf(stderr, "npskit serve: %s\n", loaded.error().message.c_str());
      return 1;
    }
    token = std::move(*loaded);
    if (!token.warning.empty()) {
      std::fprintf(stderr, "npskit serve: warning: %s\n", token.warning.c_str());
    }
  }
  const std::string access_note =
      token.path.empty()
          ? std::string(", reads from this machine only")
          : std::string(token.created ? ", new admin token in " : ", admin token in ") + token.path;
  // Alerts are chosen as answers are stored and delivered from the outbox
  // by threads of their own.
  webhook_deliverer alerts(options->webhooks, **store);
  if (!alerts.empty()) (*store)->set_outbox_router(&alerts);
  auto link_key = load_personal_link_key(options->personal, options->db);
  if (!link_key) {
    std::fprintf(stderr, "npskit serve: %s\n", link_key.error().message.c_str());
    return 1;
  }
  (*store)->set_answer_replace_window(options->personal.replace_window);
  collector_state state(*options, std::move(*store), token.value);
  state.link_key = std::move(link_key->secret);
  collector_routes routes(state);

  auto server = http_server::bind(server_config(state.options), routes);
  if (!server) {
    std::fprintf(stderr, "npskit serve: %s\n", server.error().message.c_str());
    return 1;
  }

  const bool ipv6 = state.options.host.find(':') != std::string::npos;
  const std::string served_url = std::string("http://") + (ipv6 ? "[" : "") + state.options.host +
                                 (ipv6 ? "]" : "") + ":" + std::to_string((*server)->port());
  if (auto started = alerts.start(served_url); !started) {
    std::fprintf(stderr, "npskit serve: %s\n", started.error().message.c_str());
    return 1;
  }
  auto invitations = start_invitations(state, served_url);
  if (!invitations) {
    std::fprintf(stderr, "npskit serve: %s\n", invitations.error().message.c_str());
    return 1;
  }

  std::atomic<bool> serving_done{false};
  std::thread stopper([&] {
    int signal_number = 0;
    do {
      sigwait(&handled_signals, &signal_number);
      if (serving_done) return;
    } while (signal_number == SIGUSR2);
    std::fprintf(stderr, "npskit serve: %s received, finishing requests in flight\n",
                 signal_number == SIGINT ? "SIGINT" : "SIGTERM");
    (*server)->stop();
  });

  // Before the listening line, which tells a supervisor the start-up is over.
  std::fprintf(stderr, "npskit serve: %s\n", link_key->note.c_str());
  const serve_options& settings = state.options;
  const std::string durability =
      settings.db.kind == storage_kind::sqlite
          ? std::string(", synchronous ") + to_string(settings.synchronous)
          : ", " + std::to_string(settings.db_connections) + " reading connections";
  std::fprintf(stderr, "npskit serve: listening on http://%s%s%s:%u (database %s%s%s%s%s)\n",
               ipv6 ? "[" : "", settings.host.c_str(), ipv6 ? "]" : "",
               static_cast<unsigned>((*server)->port()), state.store->description().c_str(),
               durability.c_str(), settings.root.empty() ? "" : ", files from ",
               settings.root.c_str(), access_note.c_str());
  if (::geteuid() == 0 && !is_loopback_bind(settings.host)) {
    std::fprintf(stderr,
                 "npskit serve: warning: running as root on a non-loopback address; a flaw in "
                 "the collector would give the whole machine away (run it as an unprivileged "
                 "user)\n");
  }
  retention_task retention(state);
  (*server)->run();
  retention.stop();
  serving_done = true;
  pthread_kill(stopper.native_handle(), SIGUSR2);
  stopper.join();
  // Every request has been answered; the attempts in flight end, then
  // whatever is still queued commits. Undelivered alerts wait in the outbox.
  alerts.stop();
  if (*invitations) (*invitations)->stop();
  state.store->close();
  std::fprintf(stderr, "npskit serve: stopped\n");
  return 0;
}

}  // namespace npskit::cli
