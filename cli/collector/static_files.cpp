#include "collector/static_files.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string_view>
#include <vector>

#include "collector/compression.h"

namespace npskit::cli {

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

// Text compresses well; images and fonts already are compressed.
bool is_text(std::string_view mime) {
  return mime.rfind("text/", 0) == 0 || mime == "application/json" || mime == "image/svg+xml" ||
         mime == "application/xml" || mime == "application/manifest+json" ||
         mime == "application/x-ndjson";
}

http_response text_answer(int status, const char* text) {
  http_response response;
  response.status = status;
  response.body = text;
  response.set_header("Content-Type", "text/plain; charset=utf-8");
  response.set_header("X-Content-Type-Options", "nosniff");
  return response;
}

struct byte_range {
  std::size_t first = 0;
  std::size_t last = 0;  // inclusive
};

// A Range header of one range over a file of `size` bytes. A list of ranges
// is served as the whole file (a server may ignore Range): a multipart answer
// could repeat the file many times over (`bytes=0-,0-,0-,...`).
enum class range_kind { whole, single, unsatisfiable };
range_kind parse_range(const std::string& header, std::size_t size, byte_range& range) {
  constexpr std::string_view unit = "bytes=";
  if (header.compare(0, unit.size(), unit) != 0) return range_kind::whole;
  const std::string spec = header.substr(unit.size());
  if (spec.find(',') != std::string::npos) return range_kind::whole;
  const std::size_t dash = spec.find('-');
  if (dash == std::string::npos) return range_kind::whole;
  const std::string first_text = spec.substr(0, dash);
  const std::string last_text = spec.substr(dash + 1);
  const auto digits = [](const std::string& text) {
    return !text.empty() && text.size() <= 18 && std::all_of(text.begin(), text.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
  };
  if (first_text.empty()) {  // the last N bytes
    if (!digits(last_text)) return range_kind::whole;
    const std::size_t suffix = std::stoull(last_text);
    if (suffix == 0 || size == 0) return range_kind::unsatisfiable;
    range = {size - std::min(suffix, size), size - 1};
    return range_kind::single;
  }
  if (!digits(first_text) || (!last_text.empty() && !digits(last_text))) {
    return range_kind::whole;
  }
  const std::size_t first = std::stoull(first_text);
  if (first >= size) return range_kind::unsatisfiable;
  std::size_t last = last_text.empty() ? size - 1 : std::stoull(last_text);
  if (last < first) return range_kind::whole;
  range = {first, std::min(last, size - 1)};
  return range_kind::single;
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

std::string static_files::compressed(const std::filesystem::path& file, const std::string& etag,
                                     const std::string& encoding, const std::string& body) {
  const std::string key = file.string() + "\n" + encoding;
  {
    const std::lock_guard<std::mutex> lock(cache_mutex_);
    const auto found = compressed_cache_.find(key);
    if (found != compressed_cache_.end() && found->second.first == etag) {
      return found->second.second;
    }
  }
  std::string bytes = encoding == "br" ? brotli_compress(body) : gzip_compress(body);
  const std::lock_guard<std::mutex> lock(cache_mutex_);
  compressed_cache_[key] = {etag, bytes};
  return bytes;
}

http_response static_files::serve(const http_request& request) {
  if (root_.empty()) {
    return text_answer(404,
                       "Not found: this collector serves no files (start it with --root DIR).\n");
  }
  const std::string& path = request.path;
  // The path is already percent-decoded, so this sees the real segments
  // (%2e%2e is "..") whatever their spelling on the wire.
  std::filesystem::path relative;
  std::vector<std::string_view> segments;
  const bool trailing_slash = !path.empty() && path.back() == '/';
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
      return text_answer(400, "Bad request: the path must not leave the served folder.\n");
    }
    // Dot files (.git, .env) are never part of a site.
    if (segment.front() == '.') return text_answer(404, "Not found.\n");
    relative /= std::string(segment);
    segments.push_back(segment);
  }
  if (path.empty() || path.front() != '/') {
    return text_answer(400, "Bad request: the path must start with /.\n");
  }

  std::error_code failure;
  std::filesystem::path file = std::filesystem::path(root_) / relative;
  if (std::filesystem::is_directory(file, failure)) {
    if (!trailing_slash) {
      // Rebuilt from the segments, so it starts with exactly one slash:
      // "//evil.example" must not become a protocol-relative redirect.
      std::string location = "/";
      for (const std::string_view segment : segments) {
        location += segment;
        location += '/';
      }
      http_response response = text_answer(301, "Moved permanently.\n");
      response.set_header("Location", encode_path(location));
      return response;
    }
    file /= "index.html";
  }
  // Symbolic links must not lead out of the root either.
  const auto canonical = std::filesystem::canonical(file, failure);
  const std::string inside = root_ + "/";
  if (failure || canonical.string().rfind(inside, 0) != 0 ||
      !std::filesystem::is_regular_file(canonical, failure)) {
    return text_answer(404, "Not found.\n");
  }

  struct stat info {};
  if (::stat(canonical.c_str(), &info) != 0) return text_answer(404, "Not found.\n");
  const std::string etag = "W/\"" + std::to_string(info.st_size) + "-" +
                           std::to_string(info.st_mtim.tv_sec) + "." +
                           std::to_string(info.st_mtim.tv_nsec) + "\"";
  const char* mime = mime_type_for(canonical);
  http_response response;
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Cache-Control", "no-cache");
  response.set_header("ETag", etag);
  if (std::string_view(mime).rfind("text/html", 0) == 0) {
    response.set_header("Content-Security-Policy", content_security_policy);
    response.set_header("Referrer-Policy", "no-referrer");
  }
  const bool wasm = std::string_view(mime) == "application/wasm";
  const bool compressible = wasm || is_text(mime);
  if (compressible) response.set_header("Vary", "Accept-Encoding");
  if (request.header("If-None-Match") == etag) {
    response.status = 304;
    return response;
  }

  std::ifstream stream(canonical, std::ios::binary);
  std::string body((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  if (!stream.good() && !stream.eof()) return text_answer(500, "Cannot read the file.\n");
  response.set_header("Content-Type", mime);

  // Brotli for text (browsers accept it on https only); gzip for the rest.
  std::string encoding;
  if (compressible && !wasm && accepts_encoding(request.header("Accept-Encoding"), "br")) {
    encoding = "br";
  } else if (compressible && accepts_encoding(request.header("Accept-Encoding"), "gzip")) {
    encoding = "gzip";
  }
  if (!encoding.empty()) {
    response.set_header("Content-Encoding", encoding);
    response.body = compressed(canonical, etag, encoding, body);
    return response;
  }

  response.set_header("Accept-Ranges", "bytes");
  const std::string range_header = request.header("Range");
  const std::string if_range = request.header("If-Range");
  byte_range range;
  const range_kind kind = range_header.empty() || (!if_range.empty() && if_range != etag)
                              ? range_kind::whole
                              : parse_range(range_header, body.size(), range);
  if (kind == range_kind::unsatisfiable) {
    http_response refused = text_answer(416, "Range not satisfiable.\n");
    refused.set_header("Content-Range", "bytes */" + std::to_string(body.size()));
    return refused;
  }
  if (kind == range_kind::single) {
    response.status = 206;
    response.set_header("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                             std::to_string(range.last) + "/" +
                                             std::to_string(body.size()));
    response.body = body.substr(range.first, range.last - range.first + 1);
    return response;
  }
  response.body = std::move(body);
  return response;
}

}  // namespace npskit::cli
