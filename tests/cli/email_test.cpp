// `npskit email` as a user runs it: one message printed, or one per contact
// of a CSV list written as .eml files or CSV, bad rows named on stderr.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "npskit_process.h"

namespace npskit_test {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The message with quoted-printable undone (soft breaks joined, =XX decoded).
std::string unquoted(const std::string& mime) {
  std::string out;
  for (std::size_t i = 0; i < mime.size(); ++i) {
    if (mime[i] == '=' && mime.compare(i + 1, 2, "\r\n") == 0) {
      i += 2;
    } else if (mime[i] == '=' && i + 2 < mime.size() && std::isxdigit(mime[i + 1]) != 0 &&
               std::isxdigit(mime[i + 2]) != 0) {
      out += static_cast<char>(std::stoi(mime.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += mime[i];
    }
  }
  return out;
}

std::vector<std::string> hrefs(const std::string& html) {
  static const std::regex href(R"re(<a href="([^"]*)" aria-label)re");
  std::vector<std::string> found;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), href); it != std::sregex_iterator();
       ++it) {
    found.push_back((*it)[1]);
  }
  return found;
}

TEST(EmailCommand, PrintsTheQuestionAsHtmlOrText) {
  const run_result html =
      run_npskit({"email", "--survey", "acme-nps", "--base-url", "https://nps.example.com",
                  "--product", "Acme", "--locale", "he"});
  ASSERT_EQ(html.exit_code, 0) << html.err;
  EXPECT_NE(html.out.find("<html lang=\"he\" dir=\"rtl\">"), std::string::npos);
  const auto links = hrefs(html.out);
  ASSERT_EQ(links.size(), 11U);
  EXPECT_EQ(links[7],
            "https://nps.example.com/s/acme-nps?score=7&amp;ch=email&amp;lang=he&amp;p=Acme");

  const run_result text =
      run_npskit({"email", "--survey", "acme-nps", "--base-url", "https://nps.example.com",
                  "--part", "text", "--campaign", " spring "});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find(" 9: https://nps.example.com/s/acme-nps?score=9&ch=email&lang=en"
                          "&cmp=spring\n"),
            std::string::npos)
      << text.out;
  EXPECT_EQ(text.out.find("<"), std::string::npos);
}

TEST(EmailCommand, UsageErrorsNameTheOption) {
  const auto fails_with = [](const std::vector<std::string>& args, const std::string& part) {
    const run_result run = run_npskit(args);
    EXPECT_EQ(run.exit_code, 2) << run.err;
    EXPECT_NE(run.err.find(part), std::string::npos) << run.err;
  };
  fails_with({"email", "--base-url", "https://x.example"}, "--survey KEY is required");
  fails_with({"email", "--survey", "s"}, "--base-url URL is required");
  fails_with({"email", "--survey", "s", "--base-url", "x.example"},
             "base URL: \"x.example\" is not an http:// or https:// address");
  fails_with({"email", "--survey", "s", "--base-url", "https://x.example", "--locale", "tlh"},
             "locale: \"tlh\" is not a built-in locale");
  fails_with({"email", "--survey", "s", "--base-url", "https://x.example", "--contacts", "c.csv"},
             "--contacts needs --out");
  fails_with({"email", "--survey", "s", "--base-url", "https://x.example", "--contacts", "c.csv",
              "--out", "outbox"},
             "which need --from ADDRESS");
  fails_with({"email", "--survey", "s", "--base-url", "https://x.example", "--contacts", "c.csv",
              "--out", "o.csv", "--db", "postgresql://u@h/db"},
             "--link-secret-file FILE is required with a PostgreSQL --db");
  const run_result help = run_npskit({"help", "email"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* option : {"--survey", "--base-url", "--locale", "--product", "--campaign",
                             "--contacts", "--out", "--from", "--link-secret-file"}) {
    EXPECT_NE(help.out.find(option), std::string::npos) << option;
  }
  EXPECT_NE(run_npskit({"--help"}).out.find("  email "), std::string::npos);
}

TEST(EmailCommand, WritesOneSignedMessagePerContactAndNamesBadRows) {
  temp_dir dir;
  const std::string contacts = dir.write("customers.csv",
                                         "contact;email;name;locale\r\n"
                                         "crm-1;ada@example.com;Ada;sv\r\n"
                                         "crm-2;not-an-address;Bob;\r\n"
                                         "crm-3;cy@example.com;Cy;tlh\r\n"
                                         "crm/4;dee@example.com;;\r\n");
  const fs::path outbox = dir.path() / "outbox";
  const fs::path key = dir.path() / "keys" / "link-key";
  const run_result run =
      run_npskit({"email", "--survey", "acme-nps", "--base-url", "https://nps.example.com",
                  "--campaign", "2026-q4", "--contacts", contacts, "--out", outbox.string(),
                  "--from", "Acme <nps@acme.example>", "--link-secret-file", key.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("line 3: email \"not-an-address\""), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("line 4: locale: \"tlh\""), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("2 messages written"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("2 rows skipped"), std::string::npos) << run.err;

  struct stat info {};
  ASSERT_EQ(::stat(key.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600U);

  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(outbox)) files.push_back(entry.path());
  ASSERT_EQ(files.size(), 2U);
  const std::string ada = slurp(outbox / "crm-1.eml");
  EXPECT_NE(ada.find("To: Ada <ada@example.com>\r\n"), std::string::npos);
  EXPECT_NE(ada.find("List-Unsubscribe: <https://nps.example.com/unsubscribe?c=crm-1&sig="),
            std::string::npos);
  EXPECT_NE(unquoted(ada).find("?score=9&ch=email&lang=sv&cmp=2026-q4&c=crm-1&sig="),
            std::string::npos);

  // The same key signs the same links again: a second run writes the same files.
  const std::string first_dee = [&] {
    for (const auto& file : files) {
      if (file.filename() != "crm-1.eml") return slurp(file);
    }
    return std::string();
  }();
  EXPECT_NE(unquoted(first_dee).find("&cmp=2026-q4&c=crm%2F4&sig="), std::string::npos);
  const fs::path csv = dir.path() / "messages.csv";
  const run_result again =
      run_npskit({"email", "--survey", "acme-nps", "--base-url", "https://nps.example.com",
                  "--campaign", "2026-q4", "--contacts", contacts, "--out", csv.string(),
                  "--link-secret-file", key.string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const std::string table = slurp(csv);
  EXPECT_EQ(table.rfind("contact,email,subject,html,text\r\n", 0), 0U);
  std::smatch sig_in_mail;
  ASSERT_TRUE(std::regex_search(ada, sig_in_mail,
                                std::regex(R"(List-Unsubscribe: <[^>]*sig=([A-Za-z0-9_-]+)>)")));
  EXPECT_NE(table.find("unsubscribe?c=crm-1&sig=" + sig_in_mail[1].str()), std::string::npos);
  EXPECT_NE(table.find("\r\ncrm-1,ada@example.com,"), std::string::npos);
  EXPECT_NE(table.find("\r\ncrm/4,dee@example.com,"), std::string::npos);
}

TEST(EmailCommand, AListWithoutUsableRowsFails) {
  temp_dir dir;
  const std::string contacts = dir.write("c.csv", "contact,email\nc1,nope\n");
  const run_result run = run_npskit(
      {"email", "--survey", "s", "--base-url", "https://x.example", "--contacts", contacts, "--out",
       (dir.path() / "o.csv").string(), "--link-secret-file", (dir.path() / "k").string()});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("line 2: email \"nope\""), std::string::npos) << run.err;
  const run_result no_header =
      run_npskit({"email", "--survey", "s", "--base-url", "https://x.example", "--contacts",
                  dir.write("h.csv", "who,mail\n"), "--out", (dir.path() / "o.csv").string(),
                  "--link-secret-file", (dir.path() / "k").string()});
  EXPECT_EQ(no_header.exit_code, 1);
  EXPECT_NE(no_header.err.find("no \"contact\" column"), std::string::npos) << no_header.err;
}

}  // namespace
}  // namespace npskit_test
