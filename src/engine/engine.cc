#include "pip/engine.h"

#include <atomic>
#include <utility>

#include "absl/base/optimization.h"
#include "absl/strings/str_cat.h"
#include "pip/audit.h"
#include "src/engine/running_policy.h"
#include "src/internal/status_macros.h"
#include "src/policy/compile.h"
#include "src/policy/load.h"

namespace pip {

using policy_internal::CompiledPolicy;


namespace {

std::atomic<uint64_t> next_engine_id{1};

// The policy a thread last read through Engine::PolicyForThisThread(), and
// which engine and generation it belongs to. It keeps that policy alive
// until the thread's next read or its exit.
struct ThreadPolicy {
  uint64_t engine = 0;
  uint64_t generation = 0;
  std::shared_ptr<const CompiledPolicy> policy;
};
thread_local ThreadPolicy thread_policy;

}  // namespace

Engine::Engine(std::shared_ptr<const CompiledPolicy> p)
    : policy_(std::move(p)),
      id_(next_engine_id.fetch_add(1, std::memory_order_relaxed)) {}

Engine::~Engine() = default;

std::shared_ptr<const CompiledPolicy> Engine::Snapshot() const {
  return std::atomic_load(&policy_);
}

const CompiledPolicy& Engine::PolicyForThisThread() const {
  // The generation is read before the policy: a reload between the two
  // caches a newer policy under an older generation, which the next call
  // refreshes; never an older policy under a newer one, since Swap()
  // stores the policy before it counts it.
  const uint64_t generation = generation_.load(std::memory_order_acquire);
  ThreadPolicy& cached = thread_policy;
  if (ABSL_PREDICT_FALSE(cached.engine != id_ ||
                         cached.generation != generation)) {
    cached.policy = Snapshot();
    cached.engine = id_;
    cached.generation = generation;
  }
  return *cached.policy;
}

void Engine::Swap(std::shared_ptr<const CompiledPolicy> p) {
  std::atomic_store(&policy_, std::move(p));
  generation_.fetch_add(1, std::memory_order_release);
}

absl::StatusOr<std::unique_ptr<Engine>> Engine::FromTextProto(absl::string_view text,
                                                             absl::string_view file) {
  PIP_ASSIGN_OR_RETURN(v1::Policy policy, policy_internal::LoadText(text, file));
  return std::unique_ptr<Engine>(
      new Engine(policy_internal::CompileValidated(std::move(policy))));
}

absl::StatusOr<std::unique_ptr<Engine>> Engine::Default() {
  auto engine = FromTextProto(DefaultPolicyText(), "<embedded default>");
  if (!engine.ok()) {
    return absl::InternalError(absl::StrCat(
        "the embedded default policy does not validate: ",
        engine.status().message()));
  }
  return engine;
}

absl::StatusOr<std::unique_ptr<Engine>> Engine::FromBinaryProto(absl::string_view bytes) {
  PIP_ASSIGN_OR_RETURN(v1::Policy policy, policy_internal::LoadBinary(bytes));
  return std::unique_ptr<Engine>(
      new Engine(policy_internal::CompileValidated(std::move(policy))));
}

absl::StatusOr<std::unique_ptr<Engine>> Engine::FromPolicy(
    const v1::Policy& policy) {
  PIP_ASSIGN_OR_RETURN(auto compiled, policy_internal::Compile(policy));
  return std::unique_ptr<Engine>(new Engine(std::move(compiled)));
}

absl::StatusOr<std::unique_ptr<Engine>> Engine::FromFile(const std::string& path) {
  PIP_ASSIGN_OR_RETURN(v1::Policy policy, policy_internal::LoadFile(path));
  return std::unique_ptr<Engine>(
      new Engine(policy_internal::CompileValidated(std::move(policy))));
}

namespace {

// Checks the signature, then parses `policy_bytes`.
absl::StatusOr<v1::Policy> LoadSigned(absl::string_view policy_bytes,
                                      absl::string_view signature,
                                      const PolicyTrust& trust,
                                      absl::string_view file) {
  PIP_RETURN_IF_ERROR(trust.Verify(policy_bytes, signature));
  return policy_internal::LoadBytes(policy_bytes, file);
}

// The policy and signature files' bytes; a missing signature file reads
// as no signature.
absl::Status ReadSignedFiles(const std::string& path,
                             const std::string& signature_path,
                             std::string* policy_bytes,
                             std::string* signature) {
  PIP_ASSIGN_OR_RETURN(*policy_bytes, policy_internal::ReadPolicyFile(path));
  absl::StatusOr<std::string> sig =
      policy_internal::ReadPolicyFile(signature_path);
  if (sig.ok()) {
    *signature = *std::move(sig);
  } else if (sig.status().code() == absl::StatusCode::kNotFound) {
    signature->clear();
  } else {
    return sig.status();
  }
  return absl::OkStatus();
}

absl::Status CheckMinRevision(const PolicyTrust& trust,
                              const v1::Policy& policy) {
  if (policy.revision() < trust.min_revision()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "policy revision ", policy.revision(),
        " is below the lowest accepted revision ", trust.min_revision(),
        " (PolicyTrustOptions.min_revision): rollback refused"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Engine>> Engine::FromSignedPolicy(
    absl::string_view policy_bytes, absl::string_view signature,
    const PolicyTrust& trust, absl::string_view file) {
  PIP_ASSIGN_OR_RETURN(v1::Policy policy,
                       LoadSigned(policy_bytes, signature, trust, file));
  PIP_RETURN_IF_ERROR(CheckMinRevision(trust, policy));
  std::unique_ptr<Engine> engine(
      new Engine(policy_internal::CompileValidated(std::move(policy))));
  engine->SetPolicyTrust(trust);
  return engine;
}

absl::StatusOr<std::unique_ptr<Engine>> Engine::FromSignedFile(
    const std::string& path, const std::string& signature_path,
    const PolicyTrust& trust) {
  std::string bytes, signature;
  PIP_RETURN_IF_ERROR(ReadSignedFiles(path, signature_path, &bytes, &signature));
  return FromSignedPolicy(bytes, signature, trust, path);
}

void Engine::SetPolicyTrust(const PolicyTrust& trust) {
  std::lock_guard<std::mutex> lock(reload_mu_);
  trust_ = std::make_shared<const PolicyTrust>(trust);
}

absl::Status Engine::UnsignedReloadAllowedLocked() const {
  if (trust_ != nullptr && trust_->require_signature()) {
    return absl::UnauthenticatedError(
        "the policy has no signature, and signatures are required "
        "(PolicyTrustOptions.require_signature): use ReloadSigned");
  }
  return absl::OkStatus();
}

absl::Status Engine::InstallLocked(std::shared_ptr<const CompiledPolicy> next) {
  if (trust_ != nullptr) {
    PIP_RETURN_IF_ERROR(CheckMinRevision(*trust_, next->policy));
    const std::shared_ptr<const CompiledPolicy> running = Snapshot();
    const int64_t have = running->policy.revision();
    const int64_t want = next->policy.revision();
    if (want < have) {
      return absl::FailedPreconditionError(absl::StrCat(
          "policy revision ", want, " is older than the running revision ",
          have, ": rollback refused"));
    }
    if (want == have && next->hash != running->hash) {
      return absl::FailedPreconditionError(absl::StrCat(
          "policy revision ", want,
          " differs from the running policy of the same revision ", have,
          " (sha256 ", next->hash, " vs ", running->hash,
          "): a changed policy needs a higher revision"));
    }
  }
  Swap(std::move(next));
  return absl::OkStatus();
}

absl::Status Engine::Reload(const v1::Policy& policy) {
  std::lock_guard<std::mutex> lock(reload_mu_);
  PIP_RETURN_IF_ERROR(UnsignedReloadAllowedLocked());
  PIP_ASSIGN_OR_RETURN(auto compiled, policy_internal::Compile(policy));
  return InstallLocked(std::move(compiled));
}

absl::Status Engine::ReloadFromTextProto(absl::string_view text,
                                         absl::string_view file) {
  std::lock_guard<std::mutex> lock(reload_mu_);
  PIP_RETURN_IF_ERROR(UnsignedReloadAllowedLocked());
  PIP_ASSIGN_OR_RETURN(v1::Policy policy,
                       policy_internal::LoadText(text, file));
  return InstallLocked(policy_internal::CompileValidated(std::move(policy)));
}

absl::Status Engine::ReloadFromFile(const std::string& path) {
  std::lock_guard<std::mutex> lock(reload_mu_);
  PIP_RETURN_IF_ERROR(UnsignedReloadAllowedLocked());
  PIP_ASSIGN_OR_RETURN(v1::Policy policy, policy_internal::LoadFile(path));
  return InstallLocked(policy_internal::CompileValidated(std::move(policy)));
}

absl::Status Engine::ReloadSigned(absl::string_view policy_bytes,
                                  absl::string_view signature,
                                  absl::string_view file) {
  std::lock_guard<std::mutex> lock(reload_mu_);
  if (trust_ == nullptr) {
    return absl::FailedPreconditionError(
        "ReloadSigned: no PolicyTrust is installed (SetPolicyTrust)");
  }
  PIP_ASSIGN_OR_RETURN(v1::Policy policy,
                       LoadSigned(policy_bytes, signature, *trust_, file));
  return InstallLocked(policy_internal::CompileValidated(std::move(policy)));
}

absl::Status Engine::ReloadSignedFile(const std::string& path,
                                      const std::string& signature_path) {
  std::string bytes, signature;
  PIP_RETURN_IF_ERROR(ReadSignedFiles(path, signature_path, &bytes, &signature));
  return ReloadSigned(bytes, signature, path);
}

void Engine::SetAuditSink(std::shared_ptr<AuditSink> sink) {
  std::lock_guard<std::mutex> lock(audit_mu_);
  AuditSink* raw = sink.get();
  if (sink != nullptr) audit_sinks_.push_back(std::move(sink));
  audit_sink_.store(raw, std::memory_order_release);
}

std::string Engine::policy_version() const {
  return Snapshot()->policy.version();
}

std::string Engine::policy_hash() const { return Snapshot()->hash; }

v1::Policy Engine::policy() const { return Snapshot()->policy; }

std::shared_ptr<const ::pip::Snapshot> Engine::snapshot() const {
  return std::shared_ptr<const ::pip::Snapshot>(new ::pip::Snapshot(Snapshot()));
}

}  // namespace pip
