// The widget's locale files (web/locales/*.json), embedded at build time by
// cli/embed_locales.cmake, for the e-mails the command renders.
#ifndef NPSKIT_CLI_EMAIL_LOCALES_H
#define NPSKIT_CLI_EMAIL_LOCALES_H

#include <string_view>
#include <vector>

namespace npskit::cli {

struct embedded_locale {
  std::string_view code;  // "sv", "zh-CN"
  std::string_view json;  // the file's text
};

// Every locale file, sorted by file name.
const std::vector<embedded_locale>& embedded_locales();

}  // namespace npskit::cli

#endif  // NPSKIT_CLI_EMAIL_LOCALES_H
