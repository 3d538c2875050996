#include "tools/pipctl/security.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "pip/audit.h"
#include "pip/trust.h"

namespace pipctl {
namespace {

absl::StatusOr<std::string> ReadSmallFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open '", path, "'"));
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Writes `bytes` to a new file with `mode`; refuses to overwrite.
absl::Status WriteNewFile(const std::string& path, const std::string& bytes,
                          mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                        mode);
  if (fd < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create '", path, "' (it must not exist yet)"));
  }
  const bool ok = ::write(fd, bytes.data(), bytes.size()) ==
                  static_cast<ssize_t>(bytes.size());
  ::close(fd);
  if (!ok) return absl::UnavailableError(absl::StrCat("cannot write '", path, "'"));
  return absl::OkStatus();
}

absl::StatusOr<pip::PolicyTrust> TrustFromFiles(
    const std::vector<std::string>& files, int64_t min_revision = 0,
    const std::string& revision_file = "") {
  pip::PolicyTrustOptions options;
  options.min_revision = min_revision;
  options.revision_file = revision_file;
  for (const std::string& file : files) {
    absl::StatusOr<std::string> key = ReadSmallFile(file);
    if (!key.ok()) return key.status();
    options.trusted_keys.push_back(*std::move(key));
  }
  return pip::PolicyTrust::Create(options);
}

int Fail(absl::string_view command, const absl::Status& status, int code) {
  std::cerr << "pipctl " << command << ": " << status.message() << "\n";
  return code;
}

}  // namespace

absl::Status CheckEngineArgs(const EngineArgs& args) {
  if (!args.audit_file.empty() && args.audit_key_file.empty()) {
    return absl::InvalidArgumentError(
        "--audit needs --audit-key-file FILE (the key that pseudonymizes "
        "ids in the log; create one with `openssl rand 32 > FILE`)");
  }
  if (args.audit_file.empty() && !args.audit_key_file.empty()) {
    return absl::InvalidArgumentError("--audit-key-file needs --audit FILE");
  }
  if (!args.signature_file.empty() && args.trusted_key_files.empty()) {
    return absl::InvalidArgumentError(
        "--signature needs --trusted-key FILE to check it against");
  }
  if (!args.trusted_key_files.empty() && args.policy_file.empty()) {
    return absl::InvalidArgumentError(
        "--trusted-key needs --policy FILE (the embedded policy is not "
        "signed)");
  }
  if (args.trusted_key_files.empty() &&
      (args.min_revision != 0 || !args.revision_file.empty())) {
    return absl::InvalidArgumentError(absl::StrCat(
        args.min_revision != 0 ? "--min-revision" : "--revision-file",
        " needs --trusted-key FILE: a revision floor holds only for signed "
        "policies (anyone could write an unsigned one with a higher "
        "revision)"));
  }
  if (args.min_revision < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--min-revision ", args.min_revision, ": must not be negative"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<pip::Engine>> BuildEngine(
    const EngineArgs& args) {
  if (absl::Status checked = CheckEngineArgs(args); !checked.ok()) {
    return checked;
  }
  pip::EngineOptions options;
  pip::PolicySource source = pip::PolicySource::Default();
  if (!args.trusted_key_files.empty()) {
    absl::StatusOr<pip::PolicyTrust> trust = TrustFromFiles(
        args.trusted_key_files, args.min_revision, args.revision_file);
    if (!trust.ok()) return trust.status();
    options.trust = *std::move(trust);
    const std::string signature = args.signature_file.empty()
                                      ? args.policy_file + ".sig"
                                      : args.signature_file;
    source = pip::PolicySource::SignedFile(args.policy_file, signature);
  } else if (!args.policy_file.empty()) {
    source = pip::PolicySource::File(args.policy_file);
  }

  // A log this run creates is removed again when the policy is refused:
  // a refused start leaves no trace but its error.
  bool log_created = false;
  if (!args.audit_file.empty()) {
    absl::StatusOr<pip::AuditKey> key =
        pip::AuditKey::FromFile(args.audit_key_file);
    if (!key.ok()) return key.status();
    pip::JsonlFileSinkOptions log;
    log.path = args.audit_file;
    log_created = ::access(log.path.c_str(), F_OK) != 0;
    absl::StatusOr<std::unique_ptr<pip::JsonlFileSink>> sink =
        pip::JsonlFileSink::Open(*key, log);
    if (!sink.ok()) return sink.status();
    options.audit_sink = *std::move(sink);
  }
  absl::StatusOr<std::unique_ptr<pip::Engine>> engine =
      pip::Engine::Create(source, std::move(options));
  if (!engine.ok() && log_created) ::unlink(args.audit_file.c_str());
  return engine;
}

int KeygenCommand(const std::string& private_file,
                  const std::string& public_file) {
  absl::StatusOr<pip::Ed25519KeyPair> pair = pip::GenerateEd25519KeyPair();
  if (!pair.ok()) return Fail("keygen", pair.status(), 1);
  absl::Status s = WriteNewFile(private_file, pair->private_pem, 0600);
  if (s.ok()) s = WriteNewFile(public_file, pair->public_pem, 0644);
  if (!s.ok()) return Fail("keygen", s, 1);
  return 0;
}

int SignCommand(const std::string& key_file, const std::string& policy_file,
                const std::string& signature_arg) {
  const std::string signature_file =
      signature_arg.empty() ? policy_file + ".sig" : signature_arg;
  absl::StatusOr<std::string> key = ReadSmallFile(key_file);
  if (!key.ok()) return Fail("sign", key.status(), 1);
  absl::StatusOr<std::string> policy = ReadSmallFile(policy_file);
  if (!policy.ok()) return Fail("sign", policy.status(), 1);
  // Sign only what validates: a signature vouches for a usable policy.
  const std::vector<pip::PolicyProblem> problems =
      absl::EndsWith(policy_file, ".pb") || absl::EndsWith(policy_file, ".binpb")
          ? std::vector<pip::PolicyProblem>()
          : pip::ValidatePolicyText(*policy, policy_file);
  if (!problems.empty()) {
    std::cerr << pip::FormatProblems(problems) << "\n";
    return 1;
  }
  absl::StatusOr<std::string> signature = pip::SignPolicy(*policy, *key);
  if (!signature.ok()) return Fail("sign", signature.status(), 1);
  std::ofstream out(signature_file, std::ios::binary | std::ios::trunc);
  out << absl::Base64Escape(*signature) << "\n";
  if (!out.flush()) {
    return Fail("sign",
                absl::UnavailableError(absl::StrCat("cannot write '",
                                                    signature_file, "'")),
                1);
  }
  std::cout << signature_file << "\n";
  return 0;
}

int VerifyCommand(const std::vector<std::string>& keys,
                  const std::string& policy_file,
                  const std::string& signature_arg) {
  absl::StatusOr<pip::PolicyTrust> trust = TrustFromFiles(keys);
  if (!trust.ok()) return Fail("verify", trust.status(), 2);
  const std::string signature =
      signature_arg.empty() ? policy_file + ".sig" : signature_arg;
  pip::EngineOptions options;
  options.trust = *std::move(trust);
  auto engine = pip::Engine::Create(
      pip::PolicySource::SignedFile(policy_file, signature), std::move(options));
  if (!engine.ok()) {
    std::cout << policy_file << ": REFUSED ("
              << absl::StatusCodeToString(engine.status().code())
              << "): " << engine.status().message() << "\n";
    return 1;
  }
  std::cout << policy_file << ": OK, signed by a trusted key (version "
            << (*engine)->policy_version() << ", revision "
            << (*engine)->policy().revision() << ", sha256 "
            << (*engine)->policy_hash() << ")\n";
  return 0;
}

int AuditVerifyCommand(const std::string& key_file,
                       const std::vector<std::string>& files) {
  absl::StatusOr<pip::AuditKey> key = pip::AuditKey::FromFile(key_file);
  if (!key.ok()) return Fail("audit-verify", key.status(), 2);
  absl::StatusOr<pip::AuditLogReport> report = pip::VerifyAuditLog(*key, files);
  if (!report.ok()) {
    std::cout << "TAMPERED OR DAMAGED: " << report.status().message() << "\n";
    return 1;
  }
  std::cout << "OK: " << report->records << " records verified (key id "
            << key->id() << ")";
  if (!report->partial_lines.empty()) {
    std::cout << "; the partial last line of a writer killed mid-write:";
    for (const std::string& where : report->partial_lines) {
      std::cout << " " << where;
    }
  }
  std::cout << "\n";
  return 0;
}

}  // namespace pipctl
