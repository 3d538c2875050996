// pipctl's commands for signed policies and the decision log, and the
// options `eval` and `explain` take for them.
#ifndef PIP_TOOLS_PIPCTL_SECURITY_H_
#define PIP_TOOLS_PIPCTL_SECURITY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "pip/engine.h"

namespace pipctl {

// The options of `eval` and `explain`.
struct EngineArgs {
  // --policy FILE; empty for the embedded policy.
  std::string policy_file;
  // --signature FILE; defaults to the policy file + ".sig" when a trusted
  // key is given.
  std::string signature_file;
  // --trusted-key FILE, repeatable: Ed25519 public keys (PEM). Any given
  // makes a signature by one of them required.
  std::vector<std::string> trusted_key_files;
  // --audit FILE: the decision log (JSON lines) to append to.
  std::string audit_file;
  // --audit-key-file FILE: the audit key (required with --audit; never
  // taken from the command line itself).
  std::string audit_key_file;
};

// Parses the options; InvalidArgument names an unknown or incomplete one.
absl::StatusOr<EngineArgs> ParseEngineArgs(const std::vector<std::string>& args);

// Builds the engine the options describe, with its trust and decision log.
absl::StatusOr<std::unique_ptr<pip::Engine>> BuildEngine(const EngineArgs& args);

// `pipctl keygen PRIVATE.pem PUBLIC.pem`, `pipctl sign`, `pipctl verify`,
// `pipctl audit-verify`: each returns the process exit code.
int KeygenCommand(const std::vector<std::string>& args);
int SignCommand(const std::vector<std::string>& args);
int VerifyCommand(const std::vector<std::string>& args);
int AuditVerifyCommand(const std::vector<std::string>& args);

}  // namespace pipctl

#endif  // PIP_TOOLS_PIPCTL_SECURITY_H_
