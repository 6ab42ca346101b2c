// Static files of the collector (--root): the demo site, with the content
// types, compression and Content-Security-Policy a browser needs, and nothing
// from outside the root.
#ifndef NPSKIT_CLI_COLLECTOR_STATIC_FILES_H
#define NPSKIT_CLI_COLLECTOR_STATIC_FILES_H

#include <httplib.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace npskit::cli {

class static_files {
 public:
  // root: canonical path of the folder; empty serves nothing (404).
  explicit static_files(std::string root) : root_(std::move(root)) {}

  // Answers a GET or HEAD for req.path below the root.
  void serve(const httplib::Request& req, httplib::Response& res);

 private:
  // WebAssembly is not on httplib's list of compressible types; the module is
  // the largest file of the demo, so it is gzipped here, once per version.
  const std::string& gzipped(const std::filesystem::path& file, const std::string& etag,
                             const std::string& body);

  std::string root_;
  std::mutex cache_mutex_;
  std::map<std::string, std::pair<std::string, std::string>> gzip_cache_;  // path -> etag, bytes
};

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_STATIC_FILES_H
