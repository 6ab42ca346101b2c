// Runs the built `npskit` binary as a user would: arguments, standard input,
// captured standard output and error, exit status.
#ifndef NPSKIT_TESTS_CLI_NPSKIT_PROCESS_H
#define NPSKIT_TESTS_CLI_NPSKIT_PROCESS_H

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace npskit_test {

struct run_result {
  int exit_code = -1;  // 128 + signal when the process was killed
  std::string out;
  std::string err;
};

// Runs npskit with args; stdin_text becomes its standard input.
run_result run_npskit(const std::vector<std::string>& args, const std::string& stdin_text = "");

// As run_npskit, but standard error is a pseudo-terminal (as in an
// interactive shell); returns what the terminal showed in `err`.
run_result run_npskit_on_terminal(const std::vector<std::string>& args);

// A fresh directory, removed with everything in it at scope exit.
class temp_dir {
 public:
  temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  ~temp_dir();
  // Writes content to name inside the directory and returns the full path.
  std::string write(const std::string& name, const std::string& content) const;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Non-throwing parse (the project builds nlohmann/json without exceptions);
// the result is discarded when text is not JSON.
nlohmann::json parse_json(const std::string& text);

// tests/data/<relative>.
std::string test_data(const std::string& relative);

// The statistics vectors of tests/data/nps_vectors.json, by id.
const nlohmann::json& nps_vector(const std::string& id);
const nlohmann::json& nps_vectors();

}  // namespace npskit_test

#endif  // NPSKIT_TESTS_CLI_NPSKIT_PROCESS_H
