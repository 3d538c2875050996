// Policy load + validate + compile of the default policy and of larger
// ones, the refusal of a policy of problems, taking a snapshot, and the heap
// an engine holds once built.
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

// The default policy grown to `factor` times its size by clauses of 4 KiB
// of text each (a policy with long clause texts, as a company's own may
// have): load time against policy size, which must grow linearly.
std::string ScaledPolicy(int factor) {
  std::string text(DefaultPolicyText());
  const size_t target = text.size() * static_cast<size_t>(factor);
  std::string body;
  while (body.size() < 4096) body += "当社は、個人情報を適切に取り扱います。";
  for (int i = 0; text.size() < target; ++i) {
    text += "clauses { number: \"z." + std::to_string(i) +
            "\" title_ja: \"付記\" text_ja: \"" + body + "\" }\n";
  }
  return text;
}

void BM_Policy_LoadValidateCompile_Scaled(benchmark::State& state) {
  const PolicySource source =
      PolicySource::Text(ScaledPolicy(static_cast<int>(state.range(0))));
  for (auto _ : state) {
    absl::StatusOr<std::unique_ptr<Engine>> e = Engine::Create(source);
    if (!e.ok()) state.SkipWithError("the scaled policy did not load");
    benchmark::DoNotOptimize(e);
  }
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(source.bytes().size()));
  state.counters["policy_bytes"] = static_cast<double>(source.bytes().size());
}
BENCHMARK(BM_Policy_LoadValidateCompile_Scaled)
    ->Arg(1)->Arg(10)->Arg(100)
    ->Unit(benchmark::kMillisecond);

// A policy whose first category carries `n` conditions citing a clause the
// table does not hold: every one is a problem, the first
// kMaxPolicyProblems listed. The time per problem must stay flat as n
// doubles (each "did you mean" compared the reference with every clause,
// and validation ran twice, before both were bounded).
void BM_Policy_Refuse_UnknownClauseReferences(benchmark::State& state) {
  std::string text(DefaultPolicyText());
  const std::string name =
      "categories { id: \"name\" group: \"2.1\" clause: \"2.1\" ";
  std::string conditions;
  for (int64_t i = 0; i < state.range(0); ++i) {
    conditions += "conditions { clause: \"9.9\" consent {} } ";
  }
  const size_t at = text.find(name);
  if (at == std::string::npos) {
    state.SkipWithError("the default policy has no category 'name'");
    return;
  }
  text.insert(at + name.size(), conditions);
  const PolicySource source = PolicySource::Text(text, "problems.textproto");
  size_t message_bytes = 0;
  for (auto _ : state) {
    absl::StatusOr<std::unique_ptr<Engine>> e = Engine::Create(source);
    if (e.ok()) state.SkipWithError("a policy of problems loaded");
    message_bytes = e.status().message().size();
    benchmark::DoNotOptimize(e);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["message_bytes"] = static_cast<double>(message_bytes);
}
BENCHMARK(BM_Policy_Refuse_UnknownClauseReferences)
    ->Arg(1000)->Arg(2000)->Arg(4000)
    ->Unit(benchmark::kMillisecond);

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
