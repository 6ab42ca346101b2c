#include "collector/static_files.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string_view>

namespace npskit::cli {

using httplib::Request;
using httplib::Response;

namespace {

// Everything the demo needs (its own scripts, styles, WebAssembly, workers and
// data URLs for charts) and nothing more: no inline script or style, no other
// origin, no framing.
constexpr const char* content_security_policy =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "connect-src 'self'; img-src 'self' data: blob:; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

struct file_type {
  const char* extension;
  const char* mime;
};

constexpr file_type file_types[] = {
    {".html", "text/html; charset=utf-8"},
    {".htm", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".webmanifest", "application/manifest+json"},
    {".wasm", "application/wasm"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".txt", "text/plain; charset=utf-8"},
    {".csv", "text/csv; charset=utf-8"},
    {".tsv", "text/tab-separated-values; charset=utf-8"},
    {".jsonl", "application/x-ndjson"},
    {".xml", "application/xml"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
};

const char* mime_type_for(const std::filesystem::path& file) {
  const std::string extension = lower(file.extension().string());
  for (const file_type& type : file_types) {
    if (extension == type.extension) return type.mime;
  }
  return "application/octet-stream";
}

// The types httplib compresses on its own when the client accepts it.
bool compressed_by_library(std::string_view mime) {
  return mime.rfind("text/", 0) == 0 || mime == "application/json" || mime == "image/svg+xml" ||
         mime == "application/xml";
}

bool accepts_gzip(const Request& req) {
  std::stringstream header(req.get_header_value("Accept-Encoding"));
  std::string item;
  while (std::getline(header, item, ',')) {
    const std::size_t semicolon = item.find(';');
    std::string name = lower(item.substr(0, semicolon));
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    if (name != "gzip" && name != "*") continue;
    if (semicolon != std::string::npos) {
      const std::string parameters = item.substr(semicolon + 1);
      const std::size_t q = parameters.find("q=");
      if (q != std::string::npos && std::strtod(parameters.c_str() + q + 2, nullptr) <= 0) {
        continue;
      }
    }
    return true;
  }
  return false;
}

// Percent-encodes a path for a Location header.
std::string encode_path(std::string_view path) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || std::strchr("/-._~!$&'()*+,;=:@", c) != nullptr) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(hex[byte >> 4]);
      out.push_back(hex[byte & 15]);
    }
  }
  return out;
}

}  // namespace

const std::string& static_files::gzipped(const std::filesystem::path& file, const std::string& etag,
                                         const std::string& body) {
  std::lock_guard<std::mutex> lock(cache_mutex_);
  auto& entry = gzip_cache_[file.string()];
  if (entry.first != etag) {
    std::string compressed;
    httplib::detail::gzip_compressor compressor;
    compressor.compress(body.data(), body.size(), true, [&](const char* data, std::size_t size) {
      compressed.append(data, size);
      return true;
    });
    entry = {etag, std::move(compressed)};
  }
  return entry.second;
}

void static_files::serve(const Request& req, Response& res) {
  res.set_header("X-Content-Type-Options", "nosniff");
  if (root_.empty()) {
    res.status = 404;
    res.set_content("Not found: this collector serves no files (start it with --root DIR).\n",
                    "text/plain; charset=utf-8");
    return;
  }
  const std::string& path = req.path;
  // httplib has already decoded %2e%2e and friends, so this sees the real
  // segments whatever their spelling on the wire.
  std::filesystem::path relative;
  bool trailing_slash = !path.empty() && path.back() == '/';
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    const std::string_view segment = std::string_view(path).substr(start, end - start);
    start = end + 1;
    if (segment.empty()) continue;
    const bool hostile = segment == "." || segment == ".." ||
                         segment.find_first_of(std::string_view("\\\0", 2)) != std::string::npos ||
                         std::any_of(segment.begin(), segment.end(),
                                     [](char c) { return static_cast<unsigned char>(c) < 0x20; });
    if (path.front() != '/' || hostile) {
      res.status = 400;
      res.set_content("Bad request: the path must not leave the served folder.\n",
                      "text/plain; charset=utf-8");
      return;
    }
    // Dot files (.git, .env) are never part of a site.
    if (segment.front() == '.') {
      res.status = 404;
      res.set_content("Not found.\n", "text/plain; charset=utf-8");
      return;
    }
    relative /= std::string(segment);
  }

  std::error_code failure;
  std::filesystem::path file = std::filesystem::path(root_) / relative;
  if (std::filesystem::is_directory(file, failure)) {
    if (!trailing_slash) {
      res.set_redirect(encode_path(path + "/"), 301);
      return;
    }
    file /= "index.html";
  }
  // Symbolic links must not lead out of the root either.
  const auto canonical = std::filesystem::canonical(file, failure);
  const std::string inside = root_ + "/";
  if (failure || canonical.string().rfind(inside, 0) != 0 ||
      !std::filesystem::is_regular_file(canonical, failure)) {
    res.status = 404;
    res.set_content("Not found.\n", "text/plain; charset=utf-8");
    return;
  }

  struct stat info {};
  if (::stat(canonical.c_str(), &info) != 0) {
    res.status = 404;
    res.set_content("Not found.\n", "text/plain; charset=utf-8");
    return;
  }
  const std::string etag = "W/\"" + std::to_string(info.st_size) + "-" +
                           std::to_string(info.st_mtim.tv_sec) + "." +
                           std::to_string(info.st_mtim.tv_nsec) + "\"";
  const char* mime = mime_type_for(canonical);
  res.set_header("Cache-Control", "no-cache");
  res.set_header("ETag", etag);
  if (std::string_view(mime).rfind("text/html", 0) == 0) {
    res.set_header("Content-Security-Policy", content_security_policy);
    res.set_header("Referrer-Policy", "no-referrer");
  }
  if (req.get_header_value("If-None-Match") == etag) {
    res.status = 304;
    return;
  }

  std::ifstream stream(canonical, std::ios::binary);
  std::string body((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  if (!stream.good() && !stream.eof()) {
    res.status = 500;
    res.set_content("Cannot read the file.\n", "text/plain; charset=utf-8");
    return;
  }
  const bool wasm = std::string_view(mime) == "application/wasm";
  if (wasm || compressed_by_library(mime)) res.set_header("Vary", "Accept-Encoding");
  if (wasm && accepts_gzip(req)) {
    res.set_header("Content-Encoding", "gzip");
    res.set_content(gzipped(canonical, etag, body), mime);
    return;
  }
  // set_content would copy the file; the body is moved in instead.
  res.body = std::move(body);
  res.set_header("Content-Type", mime);
}

}  // namespace npskit::cli
