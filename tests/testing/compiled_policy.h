// The default policy compiled once, for tests of pip's internal paths that
// take a CompiledPolicy rather than an Engine. Test-only.
#ifndef PIP_TESTS_TESTING_COMPILED_POLICY_H_
#define PIP_TESTS_TESTING_COMPILED_POLICY_H_

#include <memory>
#include <utility>

#include "gtest/gtest.h"
#include "src/policy/compile.h"
#include "tests/testing/requests.h"

namespace pip {
namespace testing {

// The policy of SharedDefaultEngine(), compiled; it lives as long as the
// test program.
inline const policy_internal::CompiledPolicy& DefaultCompiledPolicy() {
  static const auto* const policy = [] {
    auto compiled = policy_internal::Compile(SharedDefaultEngine().policy());
    EXPECT_TRUE(compiled.ok()) << compiled.status();
    return new std::shared_ptr<const policy_internal::CompiledPolicy>(
        *std::move(compiled));
  }();
  return **policy;
}

}  // namespace testing
}  // namespace pip

#endif  // PIP_TESTS_TESTING_COMPILED_POLICY_H_
