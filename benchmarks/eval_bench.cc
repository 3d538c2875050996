// The cost of a decision: the floor (a bare bitset lookup, with ids resolved
// and with ids as strings), the handle path of pip/snapshot.h, and the proto
// path of pip/engine.h, each on typical and worst-case inputs, on 1 and 2
// threads sharing one engine. docs/performance.md reads every figure as a
// ratio to BM_Baseline_BitsetLookup.
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "benchmark/benchmark.h"
#include "benchmarks/bench_inputs.h"
#include "pip/audit.h"
#include "pip/engine.h"
#include "pip/policy.h"
#include "pip/snapshot.h"

namespace pip {
namespace bench {
namespace {

// --- The floor -----------------------------------------------------------------
// What purpose_allowed reduces to when no condition applies: is any category
// of the request one that needs a closer look for this purpose? A table of
// 256-bit masks per purpose, ids already resolved.
struct Mask {
  uint64_t w[4];
};

struct BaselineTable {
  std::vector<Mask> gated_by_purpose;
  absl::flat_hash_map<std::string, int> category_index;
  absl::flat_hash_map<std::string, int> purpose_index;
};

const BaselineTable& Table() {
  static const BaselineTable* const table = [] {
    auto* t = new BaselineTable;
    const v1::Policy policy = SharedEngine().policy();
    for (int i = 0; i < policy.categories_size(); ++i) {
      t->category_index.emplace(policy.categories(i).id(), i);
    }
    for (int i = 0; i < policy.purposes_size(); ++i) {
      t->purpose_index.emplace(policy.purposes(i).id(), i);
      Mask m{{0, 0, 0, 0}};
      for (int c = 0; c < policy.categories_size(); ++c) {
        if (policy.categories(c).conditions_size() > 0) {
          m.w[c >> 6] |= uint64_t{1} << (c & 63);
        }
      }
      t->gated_by_purpose.push_back(m);
    }
    return t;
  }();
  return *table;
}

inline bool BareAllowed(const BaselineTable& t, int purpose, const Mask& cats) {
  const Mask& g = t.gated_by_purpose[purpose];
  return ((cats.w[0] & g.w[0]) | (cats.w[1] & g.w[1]) | (cats.w[2] & g.w[2]) |
          (cats.w[3] & g.w[3])) == 0;
}

void BM_Baseline_BitsetLookup(benchmark::State& state) {
  const BaselineTable& t = Table();
  Mask cats{{0, 0, 0, 0}};
  cats.w[0] = (uint64_t{1} << t.category_index.at("name")) |
              (uint64_t{1} << t.category_index.at("email"));
  int purpose = t.purpose_index.at("direct_mail");
  for (auto _ : state) {
    benchmark::DoNotOptimize(purpose);
    benchmark::DoNotOptimize(cats);
    bool allowed = BareAllowed(t, purpose, cats);
    benchmark::DoNotOptimize(allowed);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Baseline_BitsetLookup)->Threads(1)->Threads(2)->UseRealTime();

void BM_Baseline_StringLookup_3Categories(benchmark::State& state) {
  const BaselineTable& t = Table();
  const absl::string_view categories[] = {"name", "email", "mobile_phone"};
  absl::string_view purpose = "direct_mail";
  for (auto _ : state) {
    benchmark::DoNotOptimize(purpose);
    Mask cats{{0, 0, 0, 0}};
    bool ok = true;
    for (absl::string_view id : categories) {
      auto it = t.category_index.find(id);
      ok &= it != t.category_index.end();
      if (ok) cats.w[it->second >> 6] |= uint64_t{1} << (it->second & 63);
    }
    auto p = t.purpose_index.find(purpose);
    bool allowed = ok && p != t.purpose_index.end() &&
                   BareAllowed(t, p->second, cats);
    benchmark::DoNotOptimize(allowed);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Baseline_StringLookup_3Categories);

// --- The handle path (pip/snapshot.h) ------------------------------------------

template <typename Verdict>
void Check(const absl::StatusOr<Verdict>& v, benchmark::State& state) {
  if (!v.ok()) state.SkipWithError(std::string(v.status().message()).c_str());
}

void RunPurpose(benchmark::State& state, const PurposeInput& in) {
  const std::shared_ptr<const Snapshot> snap = SharedSnapshot();
  Check(snap->PurposeAllowed(in.facts), state);
  for (auto _ : state) {
    absl::StatusOr<PurposeVerdict> v = snap->PurposeAllowed(in.facts);
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Handles_PurposeAllowed_Typical(benchmark::State& state) {
  static const PurposeInput* const in =
      new PurposeInput(ToFacts(TypicalPurposeRequest()));
  RunPurpose(state, *in);
}
BENCHMARK(BM_Handles_PurposeAllowed_Typical)
    ->Threads(1)->Threads(2)->UseRealTime();

void BM_Handles_PurposeAllowed_Consents(benchmark::State& state) {
  const PurposeInput in =
      ToFacts(ConsentPurposeRequest(static_cast<int>(state.range(0))));
  RunPurpose(state, in);
  state.counters["consents"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_Handles_PurposeAllowed_Consents)->Arg(1)->Arg(10)->Arg(100);

void BM_Handles_PurposeAllowed_Worst(benchmark::State& state) {
  static const PurposeInput* const in =
      new PurposeInput(ToFacts(WorstPurposeRequest()));
  RunPurpose(state, *in);
  state.counters["categories"] = in->facts.categories.size();
}
BENCHMARK(BM_Handles_PurposeAllowed_Worst);

// Categories per request: the first n categories of the policy, no consent
// needed for them (those of 2.1-2.3).
void BM_Handles_PurposeAllowed_Categories(benchmark::State& state) {
  const std::shared_ptr<const Snapshot> snap = SharedSnapshot();
  const v1::Policy policy = SharedEngine().policy();
  PurposeInput in = ToFacts(TypicalPurposeRequest());
  in.facts.categories = CategorySet();
  for (int i = 0; i < state.range(0); ++i) {
    in.facts.categories.Insert(*snap->Category(policy.categories(i).id()));
  }
  RunPurpose(state, in);
  state.counters["categories"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_Handles_PurposeAllowed_Categories)->Arg(1)->Arg(3)->Arg(10)->Arg(20);

// Ids as strings: the lookups a caller without handles makes, then the
// decision.
void BM_Handles_PurposeAllowed_StringIds_3Categories(benchmark::State& state) {
  const std::shared_ptr<const Snapshot> snap = SharedSnapshot();
  const absl::string_view categories[] = {"name", "email", "mobile_phone"};
  absl::string_view purpose = "direct_mail";
  PurposeFacts f;
  f.as_of = AsOf();
  for (auto _ : state) {
    benchmark::DoNotOptimize(purpose);
    absl::StatusOr<CategorySet> cats = snap->Categories(categories);
    absl::StatusOr<PurposeId> p = snap->Purpose(purpose);
    if (!cats.ok() || !p.ok()) {
      state.SkipWithError("lookup failed");
      break;
    }
    f.categories = *cats;
    f.purpose = *p;
    absl::StatusOr<PurposeVerdict> v = snap->PurposeAllowed(f);
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Handles_PurposeAllowed_StringIds_3Categories);

void BM_Handles_ConsentCheck(benchmark::State& state) {
  const std::shared_ptr<const Snapshot> snap = SharedSnapshot();
  const ConsentInput in =
      ToFacts(ConsentCheckRequest(static_cast<int>(state.range(0))));
  Check(snap->ConsentCheck(in.facts), state);
  for (auto _ : state) {
    absl::StatusOr<ConsentVerdict> v = snap->ConsentCheck(in.facts);
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["consents"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_Handles_ConsentCheck)->Arg(1)->Arg(10)->Arg(100);

void RunRetention(benchmark::State& state, const RetentionInput& in) {
  const std::shared_ptr<const Snapshot> snap = SharedSnapshot();
  Check(snap->RetentionDue(in.facts), state);
  for (auto _ : state) {
    absl::StatusOr<RetentionVerdict> v = snap->RetentionDue(in.facts);
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Handles_RetentionDue_Typical(benchmark::State& state) {
  RunRetention(state, ToFacts(TypicalRetentionRequest()));
}
BENCHMARK(BM_Handles_RetentionDue_Typical);

void BM_Handles_RetentionDue_Worst(benchmark::State& state) {
  RunRetention(state, ToFacts(WorstRetentionRequest()));
}
BENCHMARK(BM_Handles_RetentionDue_Worst);

void BM_Handles_RequestValidate(benchmark::State& state) {
  const std::shared_ptr<const Snapshot> snap = SharedSnapshot();
  const RequestFacts f = ToFacts(TypicalRequestValidateRequest());
  Check(snap->RequestValidate(f), state);
  for (auto _ : state) {
    absl::StatusOr<RequestVerdict> v = snap->RequestValidate(f);
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Handles_RequestValidate);

// --- The batch sweep -------------------------------------------------------------
// range(0) records of every kind, events spread over ten years; range(1) = 1
// also fills retain_until.
void BM_Handles_RetentionSweep(benchmark::State& state) {
  const std::shared_ptr<const Snapshot> snap = SharedSnapshot();
  const size_t n = static_cast<size_t>(state.range(0));
  const bool dates = state.range(1) != 0;
  const char* const kinds_ids[] = {"inquiry",   "contract_transaction",
                                   "accounting", "marketing",
                                   "web_access", "training_seminar"};
  std::vector<RetentionKindId> kinds(n);
  std::vector<int64_t> events(n);
  std::vector<uint8_t> held(n);
  const int64_t start = absl::ToUnixSeconds(TokyoTime(2016, 1, 1));
  uint64_t x = 88172645463325252ull;  // xorshift: spread, reproducible
  for (size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    kinds[i] = *snap->RetentionKind(kinds_ids[x % 6]);
    events[i] = start + static_cast<int64_t>((x >> 8) % (10 * 365 * 86400ull));
    held[i] = (x >> 40) % 20 == 0;
  }
  std::vector<uint64_t> bitmap((n + 63) / 64);
  std::vector<int32_t> until(dates ? n : 0);
  for (auto _ : state) {
    absl::Status s = snap->RetentionSweep(kinds, events, held, AsOf(),
                                          absl::MakeSpan(bitmap),
                                          absl::MakeSpan(until));
    if (!s.ok()) {
      state.SkipWithError(std::string(s.message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(bitmap.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
  state.counters["records"] = static_cast<double>(n);
}
BENCHMARK(BM_Handles_RetentionSweep)
    ->Args({1000, 0})->Args({100000, 0})->Args({1000000, 0})
    ->Args({1000, 1})->Args({100000, 1})->Args({1000000, 1});

// --- The proto path (pip/engine.h) ---------------------------------------------

void BM_Proto_PurposeAllowed_Typical(benchmark::State& state) {
  static const auto* const req =
      new v1::PurposeAllowedRequest(TypicalPurposeRequest());
  const Engine& e = SharedEngine();
  for (auto _ : state) {
    absl::StatusOr<v1::PurposeAllowedDecision> d = e.PurposeAllowed(*req);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Proto_PurposeAllowed_Typical)
    ->Threads(1)->Threads(2)->UseRealTime();

void BM_Proto_PurposeAllowed_Consents(benchmark::State& state) {
  const v1::PurposeAllowedRequest req =
      ConsentPurposeRequest(static_cast<int>(state.range(0)));
  const Engine& e = SharedEngine();
  for (auto _ : state) {
    absl::StatusOr<v1::PurposeAllowedDecision> d = e.PurposeAllowed(req);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["consents"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_Proto_PurposeAllowed_Consents)->Arg(1)->Arg(10)->Arg(100);

void BM_Proto_PurposeAllowed_Worst(benchmark::State& state) {
  const v1::PurposeAllowedRequest req = WorstPurposeRequest();
  const Engine& e = SharedEngine();
  for (auto _ : state) {
    absl::StatusOr<v1::PurposeAllowedDecision> d = e.PurposeAllowed(req);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Proto_PurposeAllowed_Worst);

// purpose_allowed with an audit log attached (pip/audit.h): each decision
// also becomes a pseudonymized, chained pip.v1.AuditRecord printed as a
// JSON line. Writes are batched (kBatch, 64 records) into a scratch file
// that rotates at 8 MiB, so the figure is the record, not the disk.
void BM_Proto_PurposeAllowed_Audited(benchmark::State& state) {
  char dir_template[] = "/tmp/pip_bench_audit.XXXXXX";
  const char* dir = ::mkdtemp(dir_template);
  if (dir == nullptr) {
    state.SkipWithError("cannot create a scratch directory");
    return;
  }
  const std::string path = std::string(dir) + "/audit.jsonl";
  {
    JsonlFileSinkOptions options;
    options.path = path;
    options.flush = AuditFlushMode::kBatch;
    options.max_file_bytes = 8 << 20;
    options.max_rotated_files = 1;
    std::shared_ptr<JsonlFileSink> sink = Must(JsonlFileSink::Open(
        Must(AuditKey::FromBytes(std::string(AuditKey::kMinBytes, 'k'))),
        options));
    EngineOptions engine_options;
    engine_options.audit_sink = sink;
    std::unique_ptr<Engine> engine =
        Must(testing::CreateDefaultEngine(std::move(engine_options)));
    const v1::PurposeAllowedRequest req = TypicalPurposeRequest();
    for (auto _ : state) {
      absl::StatusOr<v1::PurposeAllowedDecision> d =
          engine->PurposeAllowed(req);
      benchmark::DoNotOptimize(d);
    }
    state.SetItemsProcessed(state.iterations());
  }
  std::remove(path.c_str());
  std::remove((path + ".1").c_str());
  ::rmdir(dir);
}
BENCHMARK(BM_Proto_PurposeAllowed_Audited);

void BM_Proto_ConsentCheck(benchmark::State& state) {
  const v1::ConsentCheckRequest req =
      ConsentCheckRequest(static_cast<int>(state.range(0)));
  const Engine& e = SharedEngine();
  for (auto _ : state) {
    absl::StatusOr<v1::ConsentCheckDecision> d = e.ConsentCheck(req);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["consents"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_Proto_ConsentCheck)->Arg(1)->Arg(10)->Arg(100);

void BM_Proto_RetentionDue_Typical(benchmark::State& state) {
  const v1::RetentionDueRequest req = TypicalRetentionRequest();
  const Engine& e = SharedEngine();
  for (auto _ : state) {
    absl::StatusOr<v1::RetentionDueDecision> d = e.RetentionDue(req);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Proto_RetentionDue_Typical);

void BM_Proto_RetentionDue_Worst(benchmark::State& state) {
  const v1::RetentionDueRequest req = WorstRetentionRequest();
  const Engine& e = SharedEngine();
  for (auto _ : state) {
    absl::StatusOr<v1::RetentionDueDecision> d = e.RetentionDue(req);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Proto_RetentionDue_Worst);

void BM_Proto_RequestValidate(benchmark::State& state) {
  const v1::RequestValidateRequest req = TypicalRequestValidateRequest();
  const Engine& e = SharedEngine();
  for (auto _ : state) {
    absl::StatusOr<v1::RequestValidateDecision> d = e.RequestValidate(req);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Proto_RequestValidate);

// --- Reload while evaluating ------------------------------------------------------
// A separate engine, reloaded without pause by a background thread while the
// benchmark threads evaluate on it (the proto path takes the running policy
// once per call; the handle path keeps its snapshot and never sees the
// reloads).
Engine& ReloadedEngine() {
  static Engine* const engine = testing::DefaultEngine().release();
  return *engine;
}

class Reloader {
 public:
  void Start() {
    stop_ = false;
    reloads_ = 0;
    thread_ = std::thread([this] {
      const v1::Policy policy = ReloadedEngine().policy();
      while (!stop_.load(std::memory_order_relaxed)) {
        if (ReloadedEngine().Reload(PolicySource::Message(policy)).ok())
          ++reloads_;
      }
    });
  }
  int64_t Stop() {
    stop_ = true;
    thread_.join();
    return reloads_;
  }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> reloads_{0};
  std::thread thread_;
};

Reloader& TheReloader() {
  static Reloader* const r = new Reloader;
  return *r;
}

void BM_Proto_PurposeAllowed_DuringReload(benchmark::State& state) {
  if (state.thread_index() == 0) TheReloader().Start();
  const v1::PurposeAllowedRequest req = TypicalPurposeRequest();
  const Engine& e = ReloadedEngine();
  for (auto _ : state) {
    absl::StatusOr<v1::PurposeAllowedDecision> d = e.PurposeAllowed(req);
    if (!d.ok()) state.SkipWithError("evaluation failed during reload");
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    state.counters["reloads"] = static_cast<double>(TheReloader().Stop());
  }
}
BENCHMARK(BM_Proto_PurposeAllowed_DuringReload)
    ->Threads(1)->Threads(2)->UseRealTime();

void BM_Handles_PurposeAllowed_DuringReload(benchmark::State& state) {
  if (state.thread_index() == 0) TheReloader().Start();
  const std::shared_ptr<const Snapshot> snap = ReloadedEngine().snapshot();
  PurposeFacts f;
  f.categories = *snap->Categories({"name", "email"});
  f.purpose = *snap->Purpose("direct_mail");
  f.as_of = AsOf();
  for (auto _ : state) {
    absl::StatusOr<PurposeVerdict> v = snap->PurposeAllowed(f);
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    state.counters["reloads"] = static_cast<double>(TheReloader().Stop());
  }
}
BENCHMARK(BM_Handles_PurposeAllowed_DuringReload)
    ->Threads(1)->Threads(2)->UseRealTime();

}  // namespace
}  // namespace bench
}  // namespace pip
