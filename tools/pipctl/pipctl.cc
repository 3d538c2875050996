// pipctl: pip's command line.
//
//   pipctl eval [--policy FILE]       JSON lines in (pip.v1.EvalRequest), one
//                                     pip.v1.EvalResponse line out per line
//   pipctl explain [--policy FILE]    the same requests, explained in
//                                     Japanese and English with clause text
//   pipctl validate FILE...           every problem of each policy file
//   pipctl demo                       a few decisions on the embedded policy
//   pipctl version
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "pip/engine.h"
#include "pip/policy.h"
#include "pip/version.h"
#include "tools/pipctl/demo.h"
#include "tools/pipctl/eval_stream.h"

namespace {

constexpr char kUsage[] =
    "usage: pipctl <command> [options]\n"
    "\n"
    "commands:\n"
    "  eval [--policy FILE]      read pip.v1.EvalRequest JSON lines on stdin,\n"
    "                            write one pip.v1.EvalResponse line each\n"
    "  explain [--policy FILE]   read the same lines, print each decision\n"
    "                            explained in Japanese and English\n"
    "  validate FILE...          report every problem of each policy file;\n"
    "                            exit 1 if any has one\n"
    "  demo                      show a few decisions on the embedded policy\n"
    "  version                   print the version of the embedded policy\n"
    "\n"
    "Without --policy, the policy embedded in the library is used.\n";

// Parses "[--policy FILE]" and builds the engine; prints the error and
// returns null on failure.
std::unique_ptr<pip::Engine> EngineFromArgs(const std::vector<std::string>& args) {
  std::string policy_file;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--policy" && i + 1 < args.size()) {
      policy_file = args[++i];
    } else if (args[i].rfind("--policy=", 0) == 0) {
      policy_file = args[i].substr(9);
    } else {
      std::cerr << "pipctl: unknown argument '" << args[i] << "'\n" << kUsage;
      return nullptr;
    }
  }
  auto engine = policy_file.empty() ? pip::Engine::Default()
                                    : pip::Engine::FromFile(policy_file);
  if (!engine.ok()) {
    std::cerr << "pipctl: " << engine.status().message() << "\n";
    return nullptr;
  }
  return *std::move(engine);
}

int Eval(const std::vector<std::string>& args) {
  auto engine = EngineFromArgs(args);
  if (engine == nullptr) return 2;
  pipctl::EvalLines(*engine, std::cin, std::cout);
  return 0;
}

int Explain(const std::vector<std::string>& args) {
  auto engine = EngineFromArgs(args);
  if (engine == nullptr) return 2;
  pipctl::ExplainLines(*engine, std::cin, std::cout);
  return 0;
}

int Validate(const std::vector<std::string>& files) {
  if (files.empty()) {
    std::cerr << "pipctl validate: name at least one policy file\n";
    return 2;
  }
  int bad = 0;
  for (const std::string& file : files) {
    auto engine = pip::Engine::FromFile(file);
    if (engine.ok()) {
      std::cout << file << ": OK (version " << (*engine)->policy_version()
                << ", sha256 " << (*engine)->policy_hash() << ")\n";
    } else {
      std::cout << engine.status().message() << "\n";
      ++bad;
    }
  }
  return bad == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "eval") return Eval(args);
  if (command == "explain") return Explain(args);
  if (command == "validate") return Validate(args);
  if (command == "demo") return pipctl::RunDemo(std::cout);
  if (command == "version") {
    auto engine = pip::Engine::Default();
    if (!engine.ok()) {
      std::cerr << engine.status().message() << "\n";
      return 1;
    }
    std::cout << "pip " << PIP_VERSION_STRING << ", embedded policy "
              << (*engine)->policy_version() << "\n";
    return 0;
  }
  if (command == "help" || command == "--help" || command == "-h") {
    std::cout << kUsage;
    return 0;
  }
  std::cerr << "pipctl: unknown command '" << command << "'\n" << kUsage;
  return 2;
}
