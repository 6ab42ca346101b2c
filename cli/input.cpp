#include "input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "npskit/text.h"

namespace npskit::cli {

namespace {

error unreadable(const std::string& path, const std::string& what) {
  return make_error(error_code::invalid_argument, input_name(path) + ": " + what);
}

// The reader's own code is kept: a missing column is told apart from a file
// that cannot be read.
error unreadable(const std::string& path, const error& reason) {
  return make_error(reason.code, input_name(path) + ": " + reason.message);
}

// Owns a descriptor opened here; standard input is borrowed and left open.
class input_file {
 public:
  input_file(int descriptor, bool owned) : descriptor_(descriptor), owned_(owned) {}
  input_file(const input_file&) = delete;
  input_file& operator=(const input_file&) = delete;
  ~input_file() {
    if (owned_) ::close(descriptor_);
  }
  int descriptor() const { return descriptor_; }

 private:
  int descriptor_;
  bool owned_;
};

// Reads up to buffer.size() bytes; 0 at end of input, -1 on error (errno set).
ssize_t read_chunk(int descriptor, std::vector<char>& buffer) {
  while (true) {
    const ssize_t got = ::read(descriptor, buffer.data(), buffer.size());
    if (got >= 0 || errno != EINTR) return got;
  }
}

// The format of a document whose name does not tell: by its first
// significant byte. Undecided while only a byte-order mark and white space
// have been seen.
std::optional<input_format> sniff_format(std::string_view head) {
  constexpr std::string_view byte_order_mark = "\xEF\xBB\xBF";
  if (head.substr(0, byte_order_mark.size()) == byte_order_mark) {
    head.remove_prefix(byte_order_mark.size());
  } else if (head.size() < byte_order_mark.size() &&
             byte_order_mark.substr(0, head.size()) == head) {
    return std::nullopt;
  }
  const std::size_t first = head.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return std::nullopt;
  if (head[first] == '[') return input_format::json;
  if (head[first] == '{') return input_format::jsonl;
  return input_format::csv;
}

// A single self-overwriting line on a terminal's stderr.
class progress_line {
 public:
  progress_line(std::string name, std::uint64_t total) : name_(std::move(name)), total_(total) {}
  progress_line(const progress_line&) = delete;
  progress_line& operator=(const progress_line&) = delete;
  // Erased on every way out, so an error message starts on a clean line.
  ~progress_line() { clear(); }

  void update(std::uint64_t done) {
    // The file may grow while it is read.
    const int percent = static_cast<int>(std::min(done, total_) * 100 / total_);
    if (percent == shown_percent_) return;
    shown_percent_ = percent;
    std::fprintf(stderr, "\rnpskit: reading %s %3d%% (%.1f of %.1f MB)", name_.c_str(), percent,
                 static_cast<double>(done) / 1e6, static_cast<double>(total_) / 1e6);
    std::fflush(stderr);
  }

 private:
  void clear() {
    if (shown_percent_ < 0) return;
    std::fputs("\r\x1b[K", stderr);
    std::fflush(stderr);
  }

  std::string name_;
  std::uint64_t total_;
  int shown_percent_ = -1;
};

}  // namespace

std::string input_name(const std::string& path) {
  return path == "-" ? std::string("standard input") : path;
}

result<input_result> read_input(const std::string& path, const input_settings& settings,
                                bool collect_themes) {
  const bool from_stdin = path == "-";
  const int descriptor = from_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor < 0) return unreadable(path, std::string("cannot open: ") + std::strerror(errno));
  const input_file file(descriptor, !from_stdin);

  struct stat info {};
  if (::fstat(file.descriptor(), &info) != 0) {
    return unreadable(path, std::string("cannot read: ") + std::strerror(errno));
  }
  if (S_ISDIR(info.st_mode)) return unreadable(path, "is a directory, not a file");

  std::optional<progress_line> progress;
  if (settings.progress && S_ISREG(info.st_mode) &&
      static_cast<std::uint64_t>(info.st_size) > progress_threshold_bytes) {
    progress.emplace(input_name(path), static_cast<std::uint64_t>(info.st_size));
  }

  std::optional<input_format> format = settings.format;
  if (!format && !from_stdin) format = format_from_path(path);

  std::vector<char> buffer(chunk_bytes);
  // Bytes read before the format is known; at most a little over one chunk,
  // since a chunk of nothing but white space settles on CSV.
  std::string head;
  bool at_end = false;
  while (!format) {
    const ssize_t got = read_chunk(file.descriptor(), buffer);
    if (got < 0) return unreadable(path, std::string("read error: ") + std::strerror(errno));
    if (got == 0) at_end = true;
    head.append(buffer.data(), static_cast<std::size_t>(got));
    format = sniff_format(head);
    if (!format && (at_end || head.size() >= chunk_bytes)) format = input_format::csv;
  }

  aggregate data(settings.by, collect_themes, settings.dates);
  if (settings.by == group_by::segment) data.set_segment_columns(settings.columns.segment_columns);
  reader_options options = settings.columns;
  options.format = *format;
  const std::string& blank = settings.blank_segment;
  result<reader> created = reader::create(options, [&data, &blank](const record_view& record) {
    if (blank.empty() || !npskit::text::trim(record.segment).empty()) return data.add(record);
    record_view named = record;
    named.segment = blank;
    return data.add(named);
  });
  if (!created) return unreadable(path, created.error());
  reader& parser = *created;

  std::uint64_t bytes_read = head.size();
  if (!head.empty()) {
    const status pushed = parser.push(head);
    if (!pushed) return unreadable(path, pushed.error());
  }
  while (!at_end) {
    const ssize_t got = read_chunk(file.descriptor(), buffer);
    if (got < 0) return unreadable(path, std::string("read error: ") + std::strerror(errno));
    if (got == 0) break;
    bytes_read += static_cast<std::uint64_t>(got);
    const status pushed =
        parser.push(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
    if (!pushed) return unreadable(path, pushed.error());
    if (progress) progress->update(bytes_read);
  }
  progress.reset();
  const status finished = parser.finish();
  if (!finished && !(!blank.empty() && is_missing_segment_key(finished.error()))) {
    return unreadable(path, finished.error());
  }

  input_result out{std::move(data), parser.records(), parser.rejected(), parser.rejections()};
  return out;
}

bool is_missing_segment_key(const error& failure) {
  return failure.code == error_code::missing_column &&
         failure.message.rfind("no object has a ", 0) == 0 &&
         failure.message.find(" key (the segment column)") != std::string::npos;
}

}  // namespace npskit::cli
