// pipctl: pip's command line.
//
//   pipctl eval [options]             JSON lines in (pip.v1.EvalRequest), one
//                                     pip.v1.EvalResponse line out per line
//   pipctl explain [options]          the same requests, explained in
//                                     Japanese and English with clause text
//   pipctl validate FILE...           every problem of each policy file
//   pipctl keygen / sign / verify     signed policies (pip/trust.h)
//   pipctl audit-verify               check a decision log (pip/audit.h)
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
#include "tools/pipctl/security.h"

namespace {

constexpr char kUsage[] =
    "usage: pipctl <command> [options]\n"
    "\n"
    "commands:\n"
    "  eval [options]            read pip.v1.EvalRequest JSON lines on stdin,\n"
    "                            write one pip.v1.EvalResponse line each\n"
    "  explain [options]         read the same lines, print each decision\n"
    "                            explained in Japanese and English\n"
    "  validate FILE...          report every problem of each policy file;\n"
    "                            exit 1 if any has one\n"
    "  keygen PRIVATE PUBLIC     make an Ed25519 key pair (PEM) for signing\n"
    "                            policies; PRIVATE is created with mode 0600\n"
    "  sign --key PRIVATE POLICY [SIG]\n"
    "                            validate POLICY and write its detached\n"
    "                            signature (base64) to SIG (POLICY.sig)\n"
    "  verify --trusted-key PUBLIC... POLICY [SIG]\n"
    "                            check POLICY's signature and validity;\n"
    "                            exit 1 if refused\n"
    "  audit-verify --audit-key-file KEY FILE...\n"
    "                            check a decision log, oldest file first:\n"
    "                            exit 1 if a record was changed or removed\n"
    "  demo                      show a few decisions on the embedded policy\n"
    "  version                   print the version of the embedded policy\n"
    "\n"
    "options of eval and explain:\n"
    "  --policy FILE             the policy (default: the embedded one)\n"
    "  --trusted-key PUBLIC      require POLICY to be signed by this Ed25519\n"
    "                            key (repeatable)\n"
    "  --signature SIG           POLICY's signature (default: POLICY.sig)\n"
    "  --audit FILE              append a record of every decision to FILE\n"
    "                            (JSON lines, clause 5.4); a decision that\n"
    "                            cannot be recorded is answered with an\n"
    "                            UNAVAILABLE error instead\n"
    "  --audit-key-file KEY      the secret (at least 32 bytes, e.g.\n"
    "                            `openssl rand 32 > KEY`) that pseudonymizes\n"
    "                            ids in the log; required with --audit\n";

// Parses the options of eval and explain and builds the engine; prints the
// error and returns null on failure.
std::unique_ptr<pip::Engine> EngineFromArgs(const std::vector<std::string>& args) {
  absl::StatusOr<pipctl::EngineArgs> parsed = pipctl::ParseEngineArgs(args);
  if (!parsed.ok()) {
    std::cerr << "pipctl: " << parsed.status().message() << "\n" << kUsage;
    return nullptr;
  }
  auto engine = pipctl::BuildEngine(*parsed);
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
    auto engine = pip::Engine::Create(pip::PolicySource::File(file));
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
  if (command == "keygen") return pipctl::KeygenCommand(args);
  if (command == "sign") return pipctl::SignCommand(args);
  if (command == "verify") return pipctl::VerifyCommand(args);
  if (command == "audit-verify") return pipctl::AuditVerifyCommand(args);
  if (command == "demo") return pipctl::RunDemo(std::cout);
  if (command == "version") {
    auto engine = pip::Engine::Create(pip::PolicySource::Default());
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
