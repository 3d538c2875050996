// Engine::OnRunningPolicy(), for the engine's own source files: the one
// place a call reads the running policy and the audit sink.
#ifndef PIP_SRC_ENGINE_RUNNING_POLICY_H_
#define PIP_SRC_ENGINE_RUNNING_POLICY_H_

#include <atomic>
#include <memory>
#include <utility>

#include "absl/base/optimization.h"
#include "pip/engine.h"

namespace pip {

template <typename Fn>
auto Engine::OnRunningPolicy(Fn fn) const {
  AuditSink* const sink = audit_sink_.load(std::memory_order_acquire);
  if (ABSL_PREDICT_TRUE(sink == nullptr)) {
    return fn(PolicyForThisThread(), nullptr);
  }
  const std::shared_ptr<const policy_internal::CompiledPolicy> policy =
      Snapshot();
  return fn(*policy, sink);
}

namespace engine_internal {

// How pip's own files reach the engine's running policy.
struct EngineAccess {
  template <typename Fn>
  static auto OnRunningPolicy(const Engine& engine, Fn fn) {
    return engine.OnRunningPolicy(std::move(fn));
  }
};

}  // namespace engine_internal
}  // namespace pip

#endif  // PIP_SRC_ENGINE_RUNNING_POLICY_H_
