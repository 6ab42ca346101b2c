#include "collector/compression.h"

#include <brotli/encode.h>
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include "collector/http_server.h"

namespace npskit::cli {

std::string gzip_compress(std::string_view data) {
  z_stream stream{};
  // 15 window bits + 16 asks zlib for the gzip wrapper instead of zlib's own.
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    throw std::runtime_error("gzip: cannot start the compressor");
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
  // zlib's interface is not const-correct; it never writes to the input.
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int finished = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (finished != Z_STREAM_END) throw std::runtime_error("gzip: compression did not finish");
  return out;
}

std::string brotli_compress(std::string_view data) {
  std::size_t size = BrotliEncoderMaxCompressedSize(data.size());
  if (size == 0) throw std::runtime_error("brotli: input too large");
  std::string out(size, '\0');
  // Quality 9 of 11: close to the smallest output at a fraction of the time;
  // each file is compressed once per version and cached.
  if (BrotliEncoderCompress(9, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, data.size(),
                            reinterpret_cast<const std::uint8_t*>(data.data()), &size,
                            reinterpret_cast<std::uint8_t*>(out.data())) == BROTLI_FALSE) {
    throw std::runtime_error("brotli: compression failed");
  }
  out.resize(size);
  return out;
}

bool accepts_encoding(std::string_view header, std::string_view encoding) {
  std::stringstream list{std::string(header)};
  std::string item;
  while (std::getline(list, item, ',')) {
    const std::size_t semicolon = item.find(';');
    std::string name = ascii_lower(item.substr(0, semicolon));
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    if (name != encoding && name != "*") continue;
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

struct gzip_stream::state {
  z_stream stream{};
};

gzip_stream::gzip_stream() : state_(std::make_unique<state>()) {
  // A fast level: exports are compressed as they are read, on every request.
  if (deflateInit2(&state_->stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    throw std::runtime_error("gzip: cannot start the compressor");
  }
}

gzip_stream::~gzip_stream() { deflateEnd(&state_->stream); }

std::string gzip_stream::compress(std::string_view piece, bool last) {
  z_stream& stream = state_->stream;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(piece.data()));
  stream.avail_in = static_cast<uInt>(piece.size());
  std::string out;
  char buffer[16 * 1024];
  int status = Z_OK;
  do {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    status = deflate(&stream, last ? Z_FINISH : Z_NO_FLUSH);
    if (status == Z_STREAM_ERROR) throw std::runtime_error("gzip: compression failed");
    out.append(buffer, sizeof buffer - stream.avail_out);
  } while (stream.avail_out == 0 || (last && status != Z_STREAM_END));
  return out;
}

}  // namespace npskit::cli
