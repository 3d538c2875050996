#include "pip/engine.h"

#include <atomic>
#include <utility>

#include "absl/base/optimization.h"
#include "absl/strings/str_cat.h"
#include "pip/audit.h"
#include "src/engine/engine_state.h"
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

namespace engine_internal {

EngineState::EngineState(std::shared_ptr<const CompiledPolicy> policy,
                         std::shared_ptr<const ::pip::Snapshot> snapshot,
                         std::shared_ptr<const PolicyTrust> trust,
                         std::shared_ptr<AuditSink> audit_sink)
    : policy_(std::move(policy)),
      snapshot_(std::move(snapshot)),
      id_(next_engine_id.fetch_add(1, std::memory_order_relaxed)),
      trust_(std::move(trust)),
      audit_sink_owner_(std::move(audit_sink)),
      audit_sink_(audit_sink_owner_.get()) {}

const CompiledPolicy& EngineState::PolicyForThisThread() const {
  // The generation is read before the policy: a reload between the two
  // caches a newer policy under an older generation, which the next call
  // refreshes; never an older policy under a newer one, since Install()
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

}  // namespace engine_internal

Engine::Engine(std::unique_ptr<engine_internal::EngineState> state)
    : state_(std::move(state)) {}

Engine::~Engine() = default;

PolicySource PolicySource::Default() { return PolicySource(Kind::kDefault); }

PolicySource PolicySource::Text(std::string text, std::string name) {
  PolicySource source(Kind::kText);
  source.bytes_ = std::move(text);
  source.name_ = std::move(name);
  return source;
}

PolicySource PolicySource::Binary(std::string bytes, std::string name) {
  PolicySource source(Kind::kBinary);
  source.bytes_ = std::move(bytes);
  source.name_ = std::move(name);
  return source;
}

PolicySource PolicySource::File(std::string path) {
  PolicySource source(Kind::kFile);
  source.name_ = std::move(path);
  return source;
}

PolicySource PolicySource::Message(v1::Policy policy) {
  PolicySource source(Kind::kMessage);
  source.message_ = std::make_shared<const v1::Policy>(std::move(policy));
  return source;
}

PolicySource PolicySource::Signed(std::string bytes, std::string signature,
                                  std::string name) {
  PolicySource source(Kind::kSigned);
  source.bytes_ = std::move(bytes);
  source.signature_ = std::move(signature);
  source.name_ = std::move(name);
  return source;
}

PolicySource PolicySource::SignedFile(std::string path,
                                      std::string signature_path) {
  PolicySource source(Kind::kSignedFile);
  source.name_ = std::move(path);
  source.signature_path_ = std::move(signature_path);
  return source;
}

const v1::Policy& PolicySource::message() const {
  return message_ != nullptr ? *message_ : v1::Policy::default_instance();
}

namespace {

// The signature file's bytes; a missing file reads as no signature.
absl::StatusOr<std::string> ReadSignatureFile(const std::string& path) {
  absl::StatusOr<std::string> signature = policy_internal::ReadPolicyFile(path);
  if (!signature.ok() &&
      signature.status().code() == absl::StatusCode::kNotFound) {
    return std::string();
  }
  return signature;
}

// Checks the signature of a signed source, then parses its bytes.
absl::StatusOr<v1::Policy> LoadSigned(const PolicySource& source,
                                      const PolicyTrust* trust) {
  if (trust == nullptr) {
    return absl::FailedPreconditionError(
        "a signed policy source needs a PolicyTrust to check it against, and "
        "the engine has none (EngineOptions.trust)");
  }
  if (source.kind() == PolicySource::Kind::kSigned) {
    PIP_RETURN_IF_ERROR(trust->Verify(source.bytes(), source.signature()));
    return policy_internal::LoadBytes(source.bytes(), source.name());
  }
  PIP_ASSIGN_OR_RETURN(std::string bytes,
                       policy_internal::ReadPolicyFile(source.name()));
  PIP_ASSIGN_OR_RETURN(std::string signature,
                       ReadSignatureFile(source.signature_path()));
  PIP_RETURN_IF_ERROR(trust->Verify(bytes, signature));
  return policy_internal::LoadBytes(bytes, source.name());
}

// Reads, checks and compiles the policy of `source`; `trust` (may be null)
// is the engine's.
absl::StatusOr<std::shared_ptr<const CompiledPolicy>> LoadSource(
    const PolicySource& source, const PolicyTrust* trust) {
  if (source.is_signed()) {
    PIP_ASSIGN_OR_RETURN(v1::Policy policy, LoadSigned(source, trust));
    return policy_internal::CompileValidated(std::move(policy));
  }
  if (trust != nullptr && trust->require_signature()) {
    return absl::UnauthenticatedError(
        "the policy has no signature, and signatures are required "
        "(PolicyTrustOptions.require_signature): use PolicySource::Signed "
        "or PolicySource::SignedFile");
  }
  switch (source.kind()) {
    case PolicySource::Kind::kDefault: {
      absl::StatusOr<v1::Policy> policy =
          policy_internal::LoadText(DefaultPolicyText(), "<embedded default>");
      if (!policy.ok()) {
        return absl::InternalError(
            absl::StrCat("the embedded default policy does not validate: ",
                         policy.status().message()));
      }
      return policy_internal::CompileValidated(*std::move(policy));
    }
    case PolicySource::Kind::kText: {
      PIP_ASSIGN_OR_RETURN(
          v1::Policy policy,
          policy_internal::LoadText(source.bytes(), source.name()));
      return policy_internal::CompileValidated(std::move(policy));
    }
    case PolicySource::Kind::kBinary: {
      absl::StatusOr<v1::Policy> policy =
          policy_internal::LoadBinary(source.bytes());
      if (!policy.ok() && !source.name().empty()) {
        return absl::Status(
            policy.status().code(),
            absl::StrCat(source.name(), ": ", policy.status().message()));
      }
      if (!policy.ok()) return policy.status();
      return policy_internal::CompileValidated(*std::move(policy));
    }
    case PolicySource::Kind::kFile: {
      PIP_ASSIGN_OR_RETURN(v1::Policy policy,
                           policy_internal::LoadFile(source.name()));
      return policy_internal::CompileValidated(std::move(policy));
    }
    case PolicySource::Kind::kMessage:
      return policy_internal::Compile(source.message());
    case PolicySource::Kind::kSigned:
    case PolicySource::Kind::kSignedFile:
      break;
  }
  return absl::InternalError("unknown policy source kind");
}

absl::Status CheckMinRevision(const PolicyTrust& trust,
                              const v1::Policy& policy) {
  if (policy.revision() < trust.min_revision()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "policy revision ", policy.revision(),
        " is below the lowest accepted revision ", trust.min_revision(),
        trust.revision_file().empty()
            ? " (PolicyTrustOptions.min_revision)"
            : absl::StrCat(" (PolicyTrustOptions.min_revision, or the "
                           "revision_file '",
                           trust.revision_file(), "')"),
        ": rollback refused"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Engine>> Engine::Create(
    const PolicySource& source, EngineOptions options) {
  std::shared_ptr<const PolicyTrust> trust;
  if (options.trust.has_value()) {
    trust = std::make_shared<const PolicyTrust>(*std::move(options.trust));
  }
  PIP_ASSIGN_OR_RETURN(std::shared_ptr<const CompiledPolicy> compiled,
                       LoadSource(source, trust.get()));
  if (trust != nullptr) {
    PIP_RETURN_IF_ERROR(CheckMinRevision(*trust, compiled->policy));
    PIP_RETURN_IF_ERROR(
        trust->RecordAcceptedRevision(compiled->policy.revision()));
  }
  std::shared_ptr<const ::pip::Snapshot> snapshot(new ::pip::Snapshot(compiled));
  return std::unique_ptr<Engine>(
      new Engine(std::make_unique<engine_internal::EngineState>(
          std::move(compiled), std::move(snapshot), std::move(trust),
          std::move(options.audit_sink))));
}

absl::Status engine_internal::EngineState::Install(
    std::shared_ptr<const CompiledPolicy> next,
    std::shared_ptr<const ::pip::Snapshot> next_snapshot) {
  std::lock_guard<std::mutex> lock(reload_mu_);
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
    // The floor is kept before the policy runs: a policy whose revision
    // could not be kept is not run.
    PIP_RETURN_IF_ERROR(trust_->RecordAcceptedRevision(want));
  }
  std::atomic_store(&policy_, std::move(next));
  std::atomic_store(&snapshot_, std::move(next_snapshot));
  generation_.fetch_add(1, std::memory_order_release);
  return absl::OkStatus();
}

absl::Status Engine::Reload(const PolicySource& source) {
  // Reading and compiling need no lock: the trust never changes.
  PIP_ASSIGN_OR_RETURN(std::shared_ptr<const CompiledPolicy> compiled,
                       LoadSource(source, state_->trust()));
  std::shared_ptr<const ::pip::Snapshot> snapshot(new ::pip::Snapshot(compiled));
  return state_->Install(std::move(compiled), std::move(snapshot));
}

std::string Engine::policy_version() const {
  return state_->Snapshot()->policy.version();
}

std::string Engine::policy_hash() const { return state_->Snapshot()->hash; }

v1::Policy Engine::policy() const { return state_->Snapshot()->policy; }

std::shared_ptr<const ::pip::Snapshot> Engine::snapshot() const {
  return state_->HandleSnapshot();
}

}  // namespace pip
