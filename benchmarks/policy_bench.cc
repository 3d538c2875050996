// Policy load + validate + compile of the default policy, taking a
// snapshot, and the heap an engine holds once built.
#include <malloc.h>

#include <memory>
#include <string>

#include "benchmark/benchmark.h"
#include "pip/engine.h"
#include "pip/policy.h"
#include "tests/testing/engine.h"

namespace pip {
namespace bench {
namespace {

void BM_Policy_LoadValidateCompile_Default(benchmark::State& state) {
  const PolicySource source =
      PolicySource::Text(std::string(DefaultPolicyText()));
  for (auto _ : state) {
    absl::StatusOr<std::unique_ptr<Engine>> e = Engine::Create(source);
    if (!e.ok()) state.SkipWithError("the default policy did not load");
    benchmark::DoNotOptimize(e);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["policy_bytes"] = static_cast<double>(source.bytes().size());
}
BENCHMARK(BM_Policy_LoadValidateCompile_Default)->Unit(benchmark::kMicrosecond);

void BM_Policy_Snapshot(benchmark::State& state) {
  static Engine* const engine = testing::DefaultEngine().release();
  for (auto _ : state) {
    std::shared_ptr<const Snapshot> s = engine->snapshot();
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Policy_Snapshot);

// Heap in use (mallinfo2().uordblks) before and after creating an engine
// with the default policy, the engine kept: its steady-state memory. Pip's
// own one-time statics (descriptor pool, time zone) are warmed up first by a
// throwaway engine, so they are not counted.
void BM_Policy_EngineHeapBytes(benchmark::State& state) {
  { auto warm = testing::CreateDefaultEngine(); }
  double bytes = 0;
  for (auto _ : state) {
    const size_t before = mallinfo2().uordblks;
    absl::StatusOr<std::unique_ptr<Engine>> e = testing::CreateDefaultEngine();
    const size_t after = mallinfo2().uordblks;
    bytes = static_cast<double>(after) - static_cast<double>(before);
    benchmark::DoNotOptimize(e);
  }
  state.counters["engine_heap_bytes"] = bytes;
}
BENCHMARK(BM_Policy_EngineHeapBytes)->Iterations(5)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace bench
}  // namespace pip
