// pipctl's commands for signed policies and the decision log, and the
// options `eval` and `explain` take for them.
#ifndef PIP_TOOLS_PIPCTL_SECURITY_H_
#define PIP_TOOLS_PIPCTL_SECURITY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "pip/engine.h"

namespace pipctl {

// The options of `eval` and `explain` (tools/pipctl/pipctl.cc parses them).
struct EngineArgs {
  // --policy FILE; empty for the embedded policy.
  std::string policy_file;
  // --signature FILE; defaults to the policy file + ".sig" when a trusted
  // key is given.
  std::string signature_file;
  // --trusted-key FILE, repeatable: Ed25519 public keys (PEM). Any given
  // makes a signature by one of them required.
  std::vector<std::string> trusted_key_files;
  // --min-revision N: refuse a policy of a lower revision.
  int64_t min_revision = 0;
  // --revision-file FILE: keeps the highest accepted revision across runs
  // (PolicyTrustOptions.revision_file).
  std::string revision_file;
  // --audit FILE: the decision log (JSON lines) to append to.
  std::string audit_file;
  // --audit-key-file FILE: the audit key (required with --audit; never
  // taken from the command line itself).
  std::string audit_key_file;
};

// InvalidArgumentError naming the option when the options do not go
// together (--audit without --audit-key-file, --trusted-key without
// --policy, a revision floor without a trusted key, ...).
absl::Status CheckEngineArgs(const EngineArgs& args);

// Builds the engine the options describe, with its trust and decision log.
absl::StatusOr<std::unique_ptr<pip::Engine>> BuildEngine(const EngineArgs& args);

// `pipctl keygen`, `sign`, `verify` and `audit-verify`, on their parsed
// arguments: each returns the process exit code (0 done, 1 refused or
// tampered, 2 could not run) and prints its result or error.
int KeygenCommand(const std::string& private_file,
                  const std::string& public_file);
int SignCommand(const std::string& key_file, const std::string& policy_file,
                const std::string& signature_file);
int VerifyCommand(const std::vector<std::string>& key_files,
                  const std::string& policy_file,
                  const std::string& signature_file);
int AuditVerifyCommand(const std::string& key_file,
                       const std::vector<std::string>& files);

}  // namespace pipctl

#endif  // PIP_TOOLS_PIPCTL_SECURITY_H_
