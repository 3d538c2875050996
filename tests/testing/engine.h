// Engines on the embedded default policy, for the tests and benchmarks.
// Test-only (pip_test_requests). Every engine of theirs on the default
// policy is created by CreateDefaultEngine(), in one place.
#ifndef PIP_TESTS_TESTING_ENGINE_H_
#define PIP_TESTS_TESTING_ENGINE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "pip/engine.h"

namespace pip {
namespace testing {

// A new engine on the embedded policy, or the error of creating it.
absl::StatusOr<std::unique_ptr<Engine>> CreateDefaultEngine(
    EngineOptions options = {});

// A new engine on the embedded policy, recording its decisions to
// `audit_sink` when it is not null. If it cannot be created, the program
// stops with the status: no test can run without it.
std::unique_ptr<Engine> DefaultEngine(
    std::shared_ptr<AuditSink> audit_sink = nullptr);

// One engine on the embedded policy, created on first use and shared by the
// tests of a program (never reloaded by them); stops the program as
// DefaultEngine() does.
const Engine& SharedDefaultEngine();

}  // namespace testing
}  // namespace pip

#endif  // PIP_TESTS_TESTING_ENGINE_H_
