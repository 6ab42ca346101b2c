// Static files of the collector (--root): the demo site, with the content
// types, compression and Content-Security-Policy a browser needs, and nothing
// from outside the root.
#ifndef NPSKIT_CLI_COLLECTOR_STATIC_FILES_H
#define NPSKIT_CLI_COLLECTOR_STATIC_FILES_H

#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "collector/http_server.h"

namespace npskit::cli {

class static_files {
 public:
  // root: canonical path of the folder; empty serves nothing (404).
  explicit static_files(std::string root) : root_(std::move(root)) {}

  // Answers a GET or HEAD for request.path below the root. Reads files, so
  // it runs on a worker thread.
  http_response serve(const http_request& request);

 private:
  // Each file is compressed once per version (its ETag) and encoding.
  std::string compressed(const std::filesystem::path& file, const std::string& etag,
                         const std::string& encoding, const std::string& body);

  std::string root_;
  std::mutex cache_mutex_;
  // path and encoding -> etag, bytes
  std::map<std::string, std::pair<std::string, std::string>> compressed_cache_;
};

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_COLLECTOR_STATIC_FILES_H
