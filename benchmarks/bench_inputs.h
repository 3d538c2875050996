// The inputs every benchmark of pip_bench shares: one engine with the
// default policy (shared by all threads), its snapshot, and typical and
// worst-case requests built once, outside the timed loops.
#ifndef PIP_BENCHMARKS_BENCH_INPUTS_H_
#define PIP_BENCHMARKS_BENCH_INPUTS_H_

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "pip/engine.h"
#include "pip/snapshot.h"
#include "pip/v1/decision.pb.h"
#include "tests/testing/requests.h"

namespace pip {
namespace bench {

// The value of `v`; set-up that fails aborts the benchmark binary with the
// status, rather than timing an error path.
template <typename T>
T Must(absl::StatusOr<T> v) {
  if (!v.ok()) {
    std::cerr << "benchmark set-up failed: " << v.status() << "\n";
    std::abort();
  }
  return *std::move(v);
}

// The engine every benchmark uses (the default policy), created once.
Engine& SharedEngine();
std::shared_ptr<const Snapshot> SharedSnapshot();

// The times and requests of tests/testing/requests.h: AsOf() is
// 2026-03-01T12:00:00+09:00; typical and worst-case requests of each
// decision.
using testing::AsOf;
using testing::TokyoTime;
using testing::TypicalPurposeRequest;
using testing::ConsentPurposeRequest;
using testing::WorstPurposeRequest;
using testing::ConsentCheckRequest;
using testing::TypicalRetentionRequest;
using testing::WorstRetentionRequest;
using testing::TypicalRequestValidateRequest;

// The same requests as handle-path facts over SharedSnapshot(). Each owns
// the storage its spans point into; keep it alive while evaluating.
struct PurposeInput {
  PurposeFacts facts;
  std::vector<ConsentRecord> consents;
  std::vector<PendingRequest> requests;
};
PurposeInput ToFacts(const v1::PurposeAllowedRequest& request);

struct ConsentInput {
  ConsentFacts facts;
  std::vector<ConsentRecord> consents;
};
ConsentInput ToFacts(const v1::ConsentCheckRequest& request);

struct RetentionInput {
  RetentionFacts facts;
  std::vector<RecordHold> holds;
};
RetentionInput ToFacts(const v1::RetentionDueRequest& request);

RequestFacts ToFacts(const v1::RequestValidateRequest& request);

}  // namespace bench
}  // namespace pip

#endif  // PIP_BENCHMARKS_BENCH_INPUTS_H_
