// Help, version, and usage errors: every bad flag or value exits 2 with a
// message that names it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "npskit_process.h"

namespace npskit_test {
namespace {

TEST(Usage, VersionAndHelp) {
  const run_result version = run_npskit({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("npskit ", 0), 0u) << version.out;
  EXPECT_NE(version.out.find_first_of("0123456789"), std::string::npos) << version.out;

  const run_result help = run_npskit({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* command : {"summarize", "compare", "sample-size", "serve", "export"}) {
    EXPECT_NE(help.out.find(command), std::string::npos) << command << "\n" << help.out;
  }
}

TEST(Usage, EachCommandDocumentsEveryOptionItAccepts) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> commands = {
      {"summarize",
       {"--json", "--method", "--confidence", "--by", "--format", "--score-column",
        "--weight-column", "--segment-column", "--date-column", "--counts", "--histogram",
        "--bands", "--themes"}},
      {"compare", {"--json", "--method", "--confidence", "--counts", "--format", "--score-column"}},
      {"sample-size",
       {"--margin", "--difference", "--confidence", "--method", "--power", "--expect", "--json"}},
  };
  for (const auto& [command, options] : commands) {
    SCOPED_TRACE(command);
    const run_result help = run_npskit({"help", command});
    EXPECT_EQ(help.exit_code, 0) << help.err;
    EXPECT_EQ(help.out.rfind("Usage: npskit " + command, 0), 0u) << help.out;
    for (const std::string& option : options) {
      EXPECT_NE(help.out.find("  " + option), std::string::npos) << option << "\n" << help.out;
    }
    EXPECT_EQ(run_npskit({command, "--help"}).out, help.out);
  }
}

TEST(Usage, NoCommandOrUnknownCommandIsAUsageError) {
  const run_result nothing = run_npskit({});
  EXPECT_EQ(nothing.exit_code, 2);
  EXPECT_NE(nothing.err.find("Usage: npskit"), std::string::npos) << nothing.err;
  EXPECT_EQ(nothing.out, "");

  const run_result unknown = run_npskit({"summarise", "x.csv"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err.rfind("npskit: ", 0), 0u) << unknown.err;
  EXPECT_NE(unknown.err.find("\"summarise\""), std::string::npos) << unknown.err;

  const run_result help_unknown = run_npskit({"help", "frobnicate"});
  EXPECT_EQ(help_unknown.exit_code, 2);
  EXPECT_NE(help_unknown.err.find("\"frobnicate\""), std::string::npos) << help_unknown.err;
}

struct bad_usage {
  std::vector<std::string> args;
  std::vector<std::string> mentions;  // what the message must name
};

TEST(Usage, EveryBadFlagOrValueExitsTwoNamingIt) {
  const std::string file = std::string(NPSKIT_TEST_DATA_DIR) + "/cli/responses.csv";
  const std::vector<bad_usage> cases = {
      {{"summarize", "--counts", "1,1,1", "--confidence", "1.5"},
       {"summarize", "--confidence \"1.5\" must be between 0 and 1 (exclusive)"}},
      {{"summarize", "--counts", "1,1,1", "--confidence", "0"}, {"--confidence", "\"0\""}},
      {{"summarize", "--counts", "1,1,1", "--confidence", "95"},
       {"--confidence", "\"95\"", "0.95"}},
      {{"summarize", "--counts", "1,1,1", "--confidence", "abc"},
       {"--confidence", "\"abc\"", "not a number"}},
      {{"summarize", "--counts", "1,1,1", "--confidence", "nan"}, {"--confidence", "\"nan\""}},
      {{"summarize", "--counts", "1,1,1", "--confidence", "0.9x"}, {"--confidence", "\"0.9x\""}},
      {{"summarize", "--counts", "1,1,1", "--confidence="}, {"--confidence", "\"\""}},
      {{"summarize", "--counts", "1,1,1", "--confidence"}, {"--confidence", "needs a value"}},
      {{"summarize", "--counts", "1,1,1", "--confidence", "0.9", "--confidence", "0.8"},
       {"--confidence", "more than once"}},
      {{"summarize", "--counts", "1,1,1", "--method", "bayes"},
       {"--method", "\"bayes\"", "adjusted-wald"}},
      {{"summarize", "--by", "year", file}, {"--by", "\"year\"", "week"}},
      {{"summarize", "--format", "xml", file}, {"--format", "\"xml\"", "jsonl"}},
      {{"summarize", "--counts", "1,2"}, {"--counts", "\"1,2\"", "P,S,D"}},
      {{"summarize", "--counts", "-1,2,3"}, {"--counts", "\"-1\""}},
      {{"summarize", "--counts", "a,b,c"}, {"--counts", "\"a\""}},
      {{"summarize", "--counts", "18446744073709551615,1,0"}, {"--counts", "too large"}},
      {{"summarize", "--histogram", "1,2,3"}, {"--histogram", "\"1,2,3\"", "11"}},
      // More answers than a tally holds exactly (2^53).
      {{"summarize", "--counts", "9007199254740993,0,0"}, {"--counts", "\"9007199254740993,0,0\""}},
      {{"summarize", ""}, {"file name is empty"}},
      {{"compare", file, ""}, {"file name is empty"}},
      {{"summarize", "--counts", "1,1,1", "--histogram", "1,1,1,1,1,1,1,1,1,1,1"},
       {"--counts", "--histogram"}},
      {{"summarize", "--counts", "1,1,1", "--themes", "-1"}, {"--themes", "\"-1\""}},
      {{"summarize", "--counts", "1,1,1", "--bands", "oops"}, {"--bands", "\"oops\""}},
      {{"summarize", "--counts", "1,1,1", "--frobnicate"}, {"\"--frobnicate\""}},
      {{"summarize", "--counts", "1,1,1", "--confidnce", "0.9"},
       {"\"--confidnce\"", "--confidence"}},
      {{"summarize", "--counts", "1,1,1", "--json=yes"}, {"--json", "takes no value"}},
      {{"summarize", "--counts", "1,1,1", "-x"}, {"\"-x\""}},
      {{"summarize", "--counts", "1,1,1", file}, {"--counts", file}},
      {{"summarize", "--counts", "1,1,1", "--by", "week"}, {"--by", "--counts"}},
      {{"summarize", "--score-column", "", file}, {"--score-column"}},
      {{"summarize", "--score-column", "--json", file}, {"--score-column", "needs a value"}},
      {{"summarize"}, {"no input"}},
      {{"summarize", "-", "-"}, {"standard input"}},
      {{"compare", file}, {"compare", "two"}},
      {{"compare", "--counts", "1,1,1"}, {"--counts", "twice"}},
      {{"compare", "--counts", "1,1,1", "--counts", "0,0,0"}, {"--counts", "\"0,0,0\""}},
      {{"compare", "--counts", "1,1,1", "--counts", "1,1,1", "--method", "bayes"},
       {"--method", "\"bayes\"", "wald"}},
      {{"compare", "--counts", "1,1,1", "--counts", "1,1,1", "--confidence", "2"},
       {"--confidence", "\"2\""}},
      {{"compare", file, file, "--counts", "1,1,1"}, {"--counts"}},
      {{"sample-size"}, {"sample-size", "--margin"}},
      {{"sample-size", "--margin", "0"}, {"--margin", "\"0\"", "greater than 0"}},
      {{"sample-size", "--margin", "250"}, {"--margin", "\"250\"", "200"}},
      {{"sample-size", "--margin", "five"}, {"--margin", "\"five\"", "not a number"}},
      {{"sample-size", "--margin", "5", "--difference", "10"}, {"--margin", "--difference"}},
      {{"sample-size", "--margin", "5", "--power", "0.9"}, {"--power"}},
      {{"sample-size", "--difference", "10", "--power", "1.5"}, {"--power", "\"1.5\""}},
      {{"sample-size", "--difference", "10", "--method", "wald"}, {"--method"}},
      {{"sample-size", "--margin", "5", "--method", "simpson"}, {"--method", "\"simpson\""}},
      {{"sample-size", "--margin", "5", "--expect", "0,0,0"}, {"--expect", "\"0,0,0\""}},
      {{"sample-size", "--margin", "5", "--expect", "1,1,1", "--expect", "1,1,1"}, {"--expect"}},
      {{"sample-size", "--margin", "5", "extra"}, {"\"extra\""}},
      {{"help", "summarize", "compare"}, {"help"}},
  };
  for (const bad_usage& item : cases) {
    std::string command_line;
    for (const std::string& argument : item.args) command_line += " " + argument;
    SCOPED_TRACE("npskit" + command_line);
    const run_result run = run_npskit(item.args);
    EXPECT_EQ(run.exit_code, 2) << run.err;
    EXPECT_EQ(run.out, "");
    EXPECT_EQ(run.err.rfind("npskit: ", 0), 0u) << run.err;
    for (const std::string& mention : item.mentions) {
      EXPECT_NE(run.err.find(mention), std::string::npos) << "missing " << mention << " in\n"
                                                          << run.err;
    }
  }
}

TEST(Usage, OptionsAcceptTheEqualsFormAndDoubleDashEndsThem) {
  const run_result equals =
      run_npskit({"summarize", "--json", "--counts=50,30,20", "--method=wald"});
  EXPECT_EQ(equals.exit_code, 0) << equals.err;
  EXPECT_EQ(parse_json(equals.out)["interval"]["method"], "wald");

  // After "--" an argument that looks like an option is a file name.
  const run_result after_dashes = run_npskit({"summarize", "--", "--counts"});
  EXPECT_EQ(after_dashes.exit_code, 1) << after_dashes.err;
  EXPECT_NE(after_dashes.err.find("npskit: --counts: "), std::string::npos) << after_dashes.err;
}

}  // namespace
}  // namespace npskit_test
