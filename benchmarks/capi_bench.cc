// The C API (include/pip/pip.h): serialized protobuf in and out, and JSON
// in and out, for each of the four functions; and the JSON line of
// `pipctl eval` (pip::EvaluateJson). Request bytes are prepared outside
// the timed loop; each iteration includes freeing the answer.
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "benchmarks/bench_inputs.h"
#include "google/protobuf/util/json_util.h"
#include "pip/encoded.h"
#include "pip/pip.h"

namespace pip {
namespace bench {
namespace {

pip_engine* CEngine() {
  static pip_engine* const engine = [] {
    pip_engine* e = nullptr;
    const pip_policy_source source = PIP_POLICY_SOURCE_INIT;
    if (pip_engine_new(&e, &source, nullptr, nullptr) != PIP_OK) {
      return static_cast<pip_engine*>(nullptr);
    }
    return e;
  }();
  return engine;
}

std::string Json(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(m, &out, options);
  return out;
}

using PbFn = pip_status (*)(uint8_t**, size_t*, const pip_engine*,
                            const uint8_t*, size_t, pip_error**);
using JsonFn = pip_status (*)(char**, size_t*, const pip_engine*, const char*,
                              size_t, pip_error**);

void RunPb(benchmark::State& state, PbFn fn,
           const google::protobuf::Message& request) {
  const std::string bytes = request.SerializeAsString();
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  pip_engine* engine = CEngine();
  for (auto _ : state) {
    uint8_t* out = nullptr;
    size_t len = 0;
    if (fn(&out, &len, engine, data, bytes.size(), nullptr) != PIP_OK) {
      state.SkipWithError(pip_last_error());
      break;
    }
    benchmark::DoNotOptimize(out);
    pip_free(out);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["request_bytes"] = static_cast<double>(bytes.size());
}

void RunJson(benchmark::State& state, JsonFn fn,
             const google::protobuf::Message& request) {
  const std::string json = Json(request);
  pip_engine* engine = CEngine();
  for (auto _ : state) {
    char* out = nullptr;
    size_t len = 0;
    if (fn(&out, &len, engine, json.data(), json.size(), nullptr) != PIP_OK) {
      state.SkipWithError(pip_last_error());
      break;
    }
    benchmark::DoNotOptimize(out);
    pip_free(out);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["request_bytes"] = static_cast<double>(json.size());
}

void BM_CApiPb_PurposeAllowed_Typical(benchmark::State& state) {
  RunPb(state, pip_purpose_allowed_pb, TypicalPurposeRequest());
}
BENCHMARK(BM_CApiPb_PurposeAllowed_Typical)->Threads(1)->Threads(2)->UseRealTime();
void BM_CApiPb_PurposeAllowed_Consents(benchmark::State& state) {
  RunPb(state, pip_purpose_allowed_pb,
        ConsentPurposeRequest(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_CApiPb_PurposeAllowed_Consents)->Arg(10);
void BM_CApiPb_PurposeAllowed_Worst(benchmark::State& state) {
  RunPb(state, pip_purpose_allowed_pb, WorstPurposeRequest());
}
BENCHMARK(BM_CApiPb_PurposeAllowed_Worst);
void BM_CApiPb_ConsentCheck(benchmark::State& state) {
  RunPb(state, pip_consent_check_pb, ConsentCheckRequest(10));
}
BENCHMARK(BM_CApiPb_ConsentCheck);
void BM_CApiPb_RetentionDue_Typical(benchmark::State& state) {
  RunPb(state, pip_retention_due_pb, TypicalRetentionRequest());
}
BENCHMARK(BM_CApiPb_RetentionDue_Typical);
void BM_CApiPb_RetentionDue_Worst(benchmark::State& state) {
  RunPb(state, pip_retention_due_pb, WorstRetentionRequest());
}
BENCHMARK(BM_CApiPb_RetentionDue_Worst);
void BM_CApiPb_RequestValidate(benchmark::State& state) {
  RunPb(state, pip_request_validate_pb, TypicalRequestValidateRequest());
}
BENCHMARK(BM_CApiPb_RequestValidate);

void BM_CApiJson_PurposeAllowed_Typical(benchmark::State& state) {
  RunJson(state, pip_purpose_allowed_json, TypicalPurposeRequest());
}
BENCHMARK(BM_CApiJson_PurposeAllowed_Typical)->Threads(1)->Threads(2)->UseRealTime();
void BM_CApiJson_PurposeAllowed_Worst(benchmark::State& state) {
  RunJson(state, pip_purpose_allowed_json, WorstPurposeRequest());
}
BENCHMARK(BM_CApiJson_PurposeAllowed_Worst);
void BM_CApiJson_ConsentCheck(benchmark::State& state) {
  RunJson(state, pip_consent_check_json, ConsentCheckRequest(10));
}
BENCHMARK(BM_CApiJson_ConsentCheck);
void BM_CApiJson_RetentionDue_Typical(benchmark::State& state) {
  RunJson(state, pip_retention_due_json, TypicalRetentionRequest());
}
BENCHMARK(BM_CApiJson_RetentionDue_Typical);
void BM_CApiJson_RequestValidate(benchmark::State& state) {
  RunJson(state, pip_request_validate_json, TypicalRequestValidateRequest());
}
BENCHMARK(BM_CApiJson_RequestValidate);

// The clause 7 sweep through the C API: range(0) records over every kind,
// due bitmap only.
void BM_CApi_RetentionDueBatch(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const char* const kind_ids[] = {"inquiry",   "contract_transaction",
                                  "accounting", "marketing",
                                  "web_access", "training_seminar"};
  std::vector<uint32_t> kinds(n);
  std::vector<int64_t> events(n);
  std::vector<uint8_t> held(n);
  const int64_t start = absl::ToUnixSeconds(TokyoTime(2016, 1, 1));
  for (size_t i = 0; i < n; ++i) {
    kinds[i] = static_cast<uint32_t>(i % 6);
    events[i] = start + static_cast<int64_t>((i * 7919) % (10 * 365)) * 86400;
    held[i] = i % 20 == 0;
  }
  std::vector<uint64_t> bitmap((n + 63) / 64);
  const int64_t as_of = absl::ToUnixSeconds(AsOf());
  for (auto _ : state) {
    if (pip_retention_due_batch(bitmap.data(), nullptr, CEngine(), kind_ids, 6,
                                kinds.data(), events.data(), held.data(), n,
                                as_of, nullptr) != PIP_OK) {
      state.SkipWithError(pip_last_error());
      break;
    }
    benchmark::DoNotOptimize(bitmap.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
  state.counters["records"] = static_cast<double>(n);
}
BENCHMARK(BM_CApi_RetentionDueBatch)->Arg(1000)->Arg(1000000);

// One line of `pipctl eval`: a JSON EvalRequest in, a JSON EvalResponse out.
void BM_PipctlJson_PurposeAllowed_Typical(benchmark::State& state) {
  v1::EvalRequest request;
  *request.mutable_purpose_allowed() = TypicalPurposeRequest();
  const std::string line = Json(request);
  const Engine& e = SharedEngine();
  for (auto _ : state) {
    std::string out = pip::EvaluateJson(e, line);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PipctlJson_PurposeAllowed_Typical);

}  // namespace
}  // namespace bench
}  // namespace pip
