// Requests and engines shared by the tests. Test-only.
#ifndef PIP_TESTS_TESTING_REQUESTS_H_
#define PIP_TESTS_TESTING_REQUESTS_H_

#include <memory>
#include <string>

#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "pip/engine.h"
#include "pip/v1/decision.pb.h"

namespace pip {
namespace testing {

// An RFC 3339 time; a test fails on a malformed one.
inline google::protobuf::Timestamp Time(const std::string& rfc3339) {
  google::protobuf::Timestamp ts;
  EXPECT_TRUE(google::protobuf::util::TimeUtil::FromString(rfc3339, &ts))
      << rfc3339;
  return ts;
}

// A use every policy of the tests allows (clause 4.1): "name" for
// "billing", for subject "c-1", as of 2026-03-01 noon JST.
inline v1::PurposeAllowedRequest BillingRequest() {
  v1::PurposeAllowedRequest r;
  r.set_subject_id("c-1");
  r.set_purpose("billing");
  r.add_categories("name");
  *r.mutable_as_of() = Time("2026-03-01T12:00:00+09:00");
  return r;
}

// An engine on the embedded policy; null (and a failed test) if it does
// not build.
inline std::unique_ptr<Engine> DefaultEngine() {
  auto engine = Engine::Default();
  EXPECT_TRUE(engine.ok()) << engine.status();
  return engine.ok() ? *std::move(engine) : nullptr;
}

// One engine on the embedded policy, built on first use and shared by the
// tests of a binary (never reloaded by them); a failed test if it does not
// build.
inline const Engine& SharedDefaultEngine() {
  static const Engine* const engine = DefaultEngine().release();
  return *engine;
}

}  // namespace testing
}  // namespace pip

#endif  // PIP_TESTS_TESTING_REQUESTS_H_
