// What an Engine holds behind its public face: the running policy, its
// trust and its audit sink, and the one place a call reads them. Internal
// to pip.
#ifndef PIP_SRC_ENGINE_ENGINE_STATE_H_
#define PIP_SRC_ENGINE_ENGINE_STATE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>

#include "absl/base/optimization.h"
#include "absl/status/status.h"
#include "pip/audit.h"
#include "pip/engine.h"
#include "pip/snapshot.h"
#include "pip/trust.h"
#include "src/policy/compiled_policy.h"

namespace pip {
namespace engine_internal {

using policy_internal::CompiledPolicy;

class EngineState {
 public:
  // `snapshot` is the Snapshot of `policy` (Engine builds it: its
  // constructor is Engine's).
  EngineState(std::shared_ptr<const CompiledPolicy> policy,
              std::shared_ptr<const ::pip::Snapshot> snapshot,
              std::shared_ptr<const PolicyTrust> trust,
              std::shared_ptr<AuditSink> audit_sink);
  EngineState(const EngineState&) = delete;
  EngineState& operator=(const EngineState&) = delete;

  // The running policy, shared.
  std::shared_ptr<const CompiledPolicy> Snapshot() const {
    return std::atomic_load(&policy_);
  }

  // The Snapshot of the running policy, built once per policy installed
  // (building one sets up its retention bounds, some microseconds), so
  // that Engine::snapshot() only copies a pointer.
  std::shared_ptr<const ::pip::Snapshot> HandleSnapshot() const {
    return std::atomic_load(&snapshot_);
  }

  // Calls `fn(policy, sink)` with the running policy and the audit sink (or
  // null), both read once, so that a call, or a whole batch, is decided on
  // one policy and recorded to one sink. With no sink, no code but pip's
  // runs before `fn` returns, and the policy is read through
  // PolicyForThisThread(): a decision then writes no memory another thread
  // reads. A sink runs the caller's code, which may reload this engine, so
  // with one the call holds its own reference to the policy.
  template <typename Fn>
  auto OnRunningPolicy(Fn fn) const {
    AuditSink* const sink = audit_sink_;
    if (ABSL_PREDICT_TRUE(sink == nullptr)) {
      return fn(PolicyForThisThread(), nullptr);
    }
    const std::shared_ptr<const CompiledPolicy> policy = Snapshot();
    return fn(*policy, sink);
  }

  // Replaces the running policy with `next` after the checks of
  // EngineOptions::trust (no rollback), serialized with other reloads.
  absl::Status Install(std::shared_ptr<const CompiledPolicy> next,
                       std::shared_ptr<const ::pip::Snapshot> next_snapshot);

  // EngineOptions::trust, or null; fixed at creation.
  const PolicyTrust* trust() const { return trust_.get(); }

 private:
  // The running policy for a call that runs no code but pip's own, read
  // through a per-thread cache so that a decision writes no memory another
  // thread touches. Valid until this thread's next call of it.
  const CompiledPolicy& PolicyForThisThread() const;

  // Read with std::atomic_load and written with std::atomic_store.
  std::shared_ptr<const CompiledPolicy> policy_;
  // The Snapshot of policy_, stored after it; read and written the same way.
  std::shared_ptr<const ::pip::Snapshot> snapshot_;
  // Tags PolicyForThisThread()'s cache: an id no other engine of the
  // process ever has, and a count of the policies installed.
  const uint64_t id_;
  std::atomic<uint64_t> generation_{0};
  // Serializes reloads, so that the rollback check and the swap are one
  // step.
  std::mutex reload_mu_;
  const std::shared_ptr<const PolicyTrust> trust_;
  // EngineOptions::audit_sink, owned for the engine's life (null: none),
  // and the pointer every call reads: the sink never changes.
  const std::shared_ptr<AuditSink> audit_sink_owner_;
  AuditSink* const audit_sink_;
};

// How pip's own files reach an Engine's state.
struct EngineAccess {
  static const EngineState& State(const Engine& engine) {
    return *engine.state_;
  }
  template <typename Fn>
  static auto OnRunningPolicy(const Engine& engine, Fn fn) {
    return engine.state_->OnRunningPolicy(std::move(fn));
  }
  static std::unique_ptr<Engine> Make(std::unique_ptr<EngineState> state) {
    return std::unique_ptr<Engine>(new Engine(std::move(state)));
  }
};

}  // namespace engine_internal
}  // namespace pip

#endif  // PIP_SRC_ENGINE_ENGINE_STATE_H_
