#include "tests/testing/engine.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

namespace pip {
namespace testing {

absl::StatusOr<std::unique_ptr<Engine>> CreateDefaultEngine(
    EngineOptions options) {
  return Engine::Create(PolicySource::Default(), std::move(options));
}

std::unique_ptr<Engine> DefaultEngine(std::shared_ptr<AuditSink> audit_sink) {
  EngineOptions options;
  options.audit_sink = std::move(audit_sink);
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      CreateDefaultEngine(std::move(options));
  if (!engine.ok()) {
    std::fprintf(stderr, "creating an engine on the default policy failed: %s\n",
                 engine.status().ToString().c_str());
    std::abort();
  }
  return *std::move(engine);
}

const Engine& SharedDefaultEngine() {
  static const Engine* const engine = DefaultEngine().release();
  return *engine;
}

}  // namespace testing
}  // namespace pip
