#include "npskit_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

extern char** environ;

namespace npskit_test {

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::vector<char*> argv_for(std::vector<std::string>& storage) {
  std::vector<char*> argv;
  argv.reserve(storage.size() + 1);
  for (std::string& argument : storage) argv.push_back(argument.data());
  argv.push_back(nullptr);
  return argv;
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

temp_dir::temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "npskit-cli-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed: " << std::strerror(errno);
  }
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string temp_dir::write(const std::string& name, const std::string& content) const {
  const std::filesystem::path file = path_ / name;
  std::ofstream out(file, std::ios::binary);
  out << content;
  return file.string();
}

run_result run_npskit(const std::vector<std::string>& args, const std::string& stdin_text) {
  const temp_dir io;
  const std::string input = io.write("stdin", stdin_text);
  const std::string output = (io.path() / "stdout").string();
  const std::string errors = (io.path() / "stderr").string();

  // Files rather than pipes: no deadlock however much the command prints.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, input.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, errors.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);

  std::vector<std::string> storage{NPSKIT_BINARY};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv = argv_for(storage);
  pid_t child = 0;
  const int spawned = posix_spawn(&child, NPSKIT_BINARY, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  run_result result;
  if (spawned != 0) {
    ADD_FAILURE() << "cannot start " << NPSKIT_BINARY << ": " << std::strerror(spawned);
    return result;
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = exit_code_of(status);
  result.out = read_file(output);
  result.err = read_file(errors);
  return result;
}

run_result run_npskit_on_terminal(const std::vector<std::string>& args) {
  run_result result;
  const int terminal = ::posix_openpt(O_RDWR | O_NOCTTY);
  if (terminal < 0 || ::grantpt(terminal) != 0 || ::unlockpt(terminal) != 0) {
    ADD_FAILURE() << "no pseudo-terminal: " << std::strerror(errno);
    return result;
  }
  const std::string device = ::ptsname(terminal);
  // Held open here so the terminal stays readable until the last byte.
  const int device_handle = ::open(device.c_str(), O_RDWR | O_NOCTTY);
  ::fcntl(terminal, F_SETFL, ::fcntl(terminal, F_GETFL) | O_NONBLOCK);

  const temp_dir io;
  const std::string output = (io.path() / "stdout").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, device.c_str(), O_RDWR | O_NOCTTY, 0);
  std::vector<std::string> storage{NPSKIT_BINARY};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv = argv_for(storage);
  pid_t child = 0;
  const int spawned = posix_spawn(&child, NPSKIT_BINARY, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    ADD_FAILURE() << "cannot start " << NPSKIT_BINARY << ": " << std::strerror(spawned);
    ::close(device_handle);
    ::close(terminal);
    return result;
  }

  // The terminal buffer is small: drain it while the command runs.
  const auto drain = [&] {
    char buffer[4096];
    ssize_t got = 0;
    while ((got = ::read(terminal, buffer, sizeof buffer)) > 0) {
      result.err.append(buffer, static_cast<std::size_t>(got));
    }
  };
  int status = 0;
  while (true) {
    pollfd readable{terminal, POLLIN, 0};
    ::poll(&readable, 1, 50);
    drain();
    const pid_t done = ::waitpid(child, &status, WNOHANG);
    if (done == child || (done < 0 && errno != EINTR)) break;
  }
  drain();
  ::close(device_handle);
  ::close(terminal);
  result.exit_code = exit_code_of(status);
  result.out = read_file(output);
  return result;
}

nlohmann::json parse_json(const std::string& text) {
  return nlohmann::json::parse(text, nullptr, false);
}

std::string test_data(const std::string& relative) {
  return std::string(NPSKIT_TEST_DATA_DIR) + "/" + relative;
}

const nlohmann::json& nps_vectors() {
  static const nlohmann::json vectors = parse_json(read_file(test_data("nps_vectors.json")));
  return vectors;
}

const nlohmann::json& nps_vector(const std::string& id) {
  static const nlohmann::json missing;
  const nlohmann::json& vectors = nps_vectors();
  if (!vectors.is_object() || !vectors.contains("vectors")) {
    ADD_FAILURE() << "tests/data/nps_vectors.json is missing or not valid JSON";
    return missing;
  }
  for (const nlohmann::json& vector : vectors["vectors"]) {
    if (vector.value("id", "") == id) return vector;
  }
  ADD_FAILURE() << "no vector " << id << " in tests/data/nps_vectors.json";
  return missing;
}

}  // namespace npskit_test
