// Evaluation during reload (pip/engine.h, thread-safety): readers evaluate
// from several threads while reloaders swap between two policies many times.
// The two policies differ in version AND in their answers to the same
// requests, so every decision can be traced to exactly one policy: its bytes
// must equal, whole, what an engine holding only that policy answers. A
// decision that mixed two policies (the version of one, the answer of the
// other), or any third answer, is a failure. Run under ThreadSanitizer for
// races (scripts/tsan.sh) and under AddressSanitizer for leaks of replaced
// policies (the asan preset, in CI).
#include <atomic>
#include <cstdint>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "pip/encoded.h"
#include "pip/engine.h"
#include "pip/pip.h"
#include "pip/policy.h"
#include "tests/testing/requests.h"
#include "tests/testing/status_matchers.h"

namespace pip {
namespace {

using testing::Time;

constexpr char kVersionB[] = "2026-04-01-b";

v1::Policy PolicyA() {
  v1::Policy policy;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
      std::string(DefaultPolicyText()), &policy));
  return policy;
}

// The default policy with another version, statistics allowed on data that
// is not anonymized (4.3 relaxed) and inquiries kept 4 years instead of 3
// (7 lengthened).
v1::Policy PolicyB() {
  v1::Policy policy = PolicyA();
  policy.set_version(kVersionB);
  policy.set_revision(policy.revision() + 1);
  bool relaxed = false;
  for (v1::Purpose& p : *policy.mutable_purposes()) {
    if (p.id() == "statistics") {
      p.clear_conditions();
      relaxed = true;
    }
  }
  EXPECT_TRUE(relaxed);
  bool lengthened = false;
  for (auto& kind : *policy.mutable_retention()->mutable_kinds()) {
    if (kind.id() == "inquiry") {
      kind.mutable_period()->set_years(4);
      lengthened = true;
    }
  }
  EXPECT_TRUE(lengthened);
  return policy;
}

std::string Text(const v1::Policy& policy) {
  std::string text;
  EXPECT_TRUE(google::protobuf::TextFormat::PrintToString(policy, &text));
  return text;
}

// Requests whose answers differ between the two policies, and one whose
// answer differs only in the version and hash.
std::vector<v1::EvalRequest> Requests() {
  std::vector<v1::EvalRequest> out;
  {
    // 4.3: statistics on data that is not anonymized: A denies, B allows.
    v1::EvalRequest r;
    auto* q = r.mutable_purpose_allowed();
    q->set_subject_id("c-1");
    q->set_purpose("statistics");
    q->add_categories("service_usage");
    *q->mutable_as_of() = Time("2026-03-01T12:00:00+09:00");
    out.push_back(r);
  }
  {
    // 7: an inquiry of 2023-05-10 on 2026-05-11: due under A (3 years),
    // not under B (4 years).
    v1::EvalRequest r;
    auto* q = r.mutable_retention_due();
    q->set_kind("inquiry");
    *q->mutable_event_at() = Time("2023-05-10T14:00:00+09:00");
    *q->mutable_as_of() = Time("2026-05-11T00:00:00+09:00");
    out.push_back(r);
  }
  {
    // 8.2: a disclosure request by email; valid under both.
    v1::EvalRequest r;
    auto* q = r.mutable_request_validate();
    q->set_type("disclosure");
    q->set_channel("email");
    *q->mutable_received_at() = Time("2026-01-31T10:00:00+09:00");
    q->add_documents("identity_document");
    q->add_documents("request_form");
    q->set_identity_verified(true);
    q->set_fee_paid_jpy(300);
    *q->mutable_as_of() = Time("2026-02-02T09:00:00+09:00");
    out.push_back(r);
  }
  return out;
}

// "allowed" / "due" / "valid" of a response, as the answer that must agree
// with the version it carries.
bool Answer(const v1::EvalResponse& r) {
  if (r.has_purpose_allowed()) return r.purpose_allowed().allowed();
  if (r.has_retention_due()) return r.retention_due().due();
  return r.request_validate().valid();
}

std::string VersionOf(const v1::EvalResponse& r) {
  if (r.has_purpose_allowed()) return r.purpose_allowed().policy().version();
  if (r.has_retention_due()) return r.retention_due().policy().version();
  if (r.has_request_validate()) return r.request_validate().policy().version();
  return "";
}

std::string Bytes(const v1::EvalResponse& r) {
  std::string out;
  EXPECT_TRUE(r.SerializeToString(&out));
  return out;
}

// What each of the two policies answers to Requests(): the responses'
// bytes, their JSON lines, and their "allowed" / "due" / "valid".
struct Expected {
  std::vector<v1::EvalRequest> requests;
  std::vector<std::string> json;  // the requests as JSON lines
  std::vector<std::string> serialized;  // the requests' bytes
  std::vector<std::string> expect_a, expect_b, json_a, json_b;
  std::vector<bool> answer_a, answer_b;
};

void ExpectAnswers(const v1::Policy& a, const v1::Policy& b, Expected* out) {
  auto only_a = Engine::Create(PolicySource::Message(a));
  auto only_b = Engine::Create(PolicySource::Message(b));
  ASSERT_TRUE(only_a.ok() && only_b.ok());
  out->requests = Requests();
  for (const v1::EvalRequest& r : out->requests) {
    const v1::EvalResponse ra = (*only_a)->Evaluate(r);
    const v1::EvalResponse rb = (*only_b)->Evaluate(r);
    ASSERT_FALSE(ra.has_error() || rb.has_error())
        << ra.DebugString() << rb.DebugString();
    ASSERT_EQ(VersionOf(ra), a.version());
    ASSERT_EQ(VersionOf(rb), kVersionB);
    out->answer_a.push_back(Answer(ra));
    out->answer_b.push_back(Answer(rb));
    out->expect_a.push_back(Bytes(ra));
    out->expect_b.push_back(Bytes(rb));
    std::string line;
    ASSERT_OK(google::protobuf::util::MessageToJsonString(r, &line));
    out->json.push_back(line);
    out->serialized.push_back(r.SerializeAsString());
    out->json_a.push_back(pip::EvaluateJson(*(*only_a), line));
    out->json_b.push_back(pip::EvaluateJson(*(*only_b), line));
  }
  // The policies answer the first two requests differently.
  ASSERT_FALSE(out->answer_a[0]);
  ASSERT_TRUE(out->answer_b[0]);
  ASSERT_TRUE(out->answer_a[1]);
  ASSERT_FALSE(out->answer_b[1]);
}

TEST(ConcurrencyTest, EveryDecisionDuringReloadsComesWholeFromOnePolicy) {
  const v1::Policy a = PolicyA();
  const v1::Policy b = PolicyB();
  const std::string a_text = Text(a);
  const std::string b_text = Text(b);
  v1::Policy invalid = b;  // never loads: a negative fee (8.3)
  invalid.set_version("never");
  invalid.mutable_requests()->mutable_types(0)->set_fee_jpy(-1);

  auto engine = Engine::Create(PolicySource::Message(a));
  ASSERT_TRUE(engine.ok());
  Expected expected;
  ASSERT_NO_FATAL_FAILURE(ExpectAnswers(a, b, &expected));
  const std::vector<v1::EvalRequest>& requests = expected.requests;

  constexpr int kReaders = 3;
  constexpr int kReloaders = 2;
  constexpr int kMinIterations = 3000;
  // Readers also keep going until they have seen both policies; the cap
  // only bounds a broken reloader.
  constexpr int kMaxIterations = 2000000;
  constexpr int kMinReloads = 200;

  std::atomic<int> readers_running{kReaders};
  std::atomic<int> torn{0};
  std::atomic<int> version_answer_mismatch{0};
  std::atomic<int> readers_without_both{0};
  std::atomic<int> reload_failures{0};
  std::atomic<int> invalid_accepted{0};
  std::atomic<long> seen_a{0}, seen_b{0};
  std::atomic<int> reloads{0};

  std::vector<std::thread> threads;
  for (int t = 0; t < kReaders; ++t) {
    threads.emplace_back([&, t] {
      long mine_a = 0, mine_b = 0;
      int i = 0;
      for (; i < kMaxIterations && (i < kMinIterations || mine_a == 0 || mine_b == 0);
           ++i) {
        const size_t k = static_cast<size_t>(i + t) % requests.size();
        if (i % 5 == 0) {
          // The JSON surface: the whole answer line of one policy.
          const std::string line = pip::EvaluateJson(*(*engine), expected.json[k]);
          if (line == expected.json_a[k]) {
            ++mine_a;
          } else if (line == expected.json_b[k]) {
            ++mine_b;
          } else {
            torn.fetch_add(1);
          }
          continue;
        }
        if (i % 5 == 1) {
          // The serialized surface, which reads the running
          // policy through a per-thread cache.
          const std::string bytes =
              pip::EvaluatePb(*(*engine), expected.serialized[k]);
          if (bytes == expected.expect_a[k]) {
            ++mine_a;
          } else if (bytes == expected.expect_b[k]) {
            ++mine_b;
          } else {
            torn.fetch_add(1);
          }
          continue;
        }
        const v1::EvalResponse r = (*engine)->Evaluate(requests[k]);
        const std::string bytes = Bytes(r);
        const bool is_a = bytes == expected.expect_a[k];
        const bool is_b = bytes == expected.expect_b[k];
        if (is_a) ++mine_a;
        if (is_b) ++mine_b;
        if (!is_a && !is_b) torn.fetch_add(1);
        // The version a decision carries decides its answer.
        const std::string version = VersionOf(r);
        const bool expected_answer =
            version == kVersionB ? expected.answer_b[k] : expected.answer_a[k];
        if ((version != a.version() && version != kVersionB) ||
            Answer(r) != expected_answer) {
          version_answer_mismatch.fetch_add(1);
        }
      }
      if (mine_a == 0 || mine_b == 0) readers_without_both.fetch_add(1);
      seen_a.fetch_add(mine_a);
      seen_b.fetch_add(mine_b);
      readers_running.fetch_sub(1);
    });
  }
  for (int t = 0; t < kReloaders; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; reloads.load() < kMinReloads || readers_running.load() > 0;
           ++n) {
        absl::Status s;
        switch ((n + t) % 5) {
          case 0:
            s = (*engine)->Reload(PolicySource::Message(b));
            break;
          case 1:
            s = (*engine)->Reload(PolicySource::Text(a_text, "a.textproto"));
            break;
          case 2:
            s = (*engine)->Reload(PolicySource::Text(b_text, "b.textproto"));
            break;
          case 3:
            s = (*engine)->Reload(PolicySource::Message(a));
            break;
          case 4:
            // A policy that does not validate changes nothing.
            if ((*engine)->Reload(PolicySource::Message(invalid)).ok())
              invalid_accepted.fetch_add(1);
            continue;
        }
        if (!s.ok()) reload_failures.fetch_add(1);
        reloads.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();

  std::cout << reloads.load() << " reloads; " << seen_a.load() << " decisions of "
            << a.version() << ", " << seen_b.load() << " of " << kVersionB << "\n";
  EXPECT_EQ(reload_failures.load(), 0);
  EXPECT_EQ(invalid_accepted.load(), 0);
  EXPECT_GE(reloads.load(), kMinReloads);
  EXPECT_EQ(torn.load(), 0) << "a decision matched neither policy's answer";
  EXPECT_EQ(version_answer_mismatch.load(), 0)
      << "a decision's version did not match its answer";
  EXPECT_EQ(readers_without_both.load(), 0)
      << "a reader never saw one of the policies";
  EXPECT_GT(seen_a.load(), 0);
  EXPECT_GT(seen_b.load(), 0);
  const std::string last = (*engine)->policy_version();
  EXPECT_TRUE(last == a.version() || last == kVersionB) << last;
}

// Evaluates batches with `evaluate`, which says for each request of a batch
// which policy answered it ('a', 'b', or '?' for neither), while another
// thread calls `reload` to swap the engine between the two policies without
// pause. Every batch must come whole from one policy. Batches go on until
// some were answered by each policy, so that the swaps are known to have
// run during the batches.
void ExpectEveryBatchFromOnePolicy(
    const std::function<bool(bool to_b)>& reload,
    const std::function<std::string()>& evaluate) {
  constexpr int kMinBatches = 50;
  // Only bounds a broken reloader.
  constexpr int kMaxBatches = 5000;
  std::atomic<bool> done{false};
  std::atomic<int> reloads{0};
  std::atomic<int> reload_failures{0};
  std::thread reloader([&] {
    for (bool to_b = true; !done.load(); to_b = !to_b) {
      if (!reload(to_b)) reload_failures.fetch_add(1);
      reloads.fetch_add(1);
    }
  });
  int batches = 0, whole_a = 0, whole_b = 0, split = 0, neither = 0;
  for (; batches < kMaxBatches &&
         (batches < kMinBatches || whole_a == 0 || whole_b == 0);
       ++batches) {
    const std::string origins = evaluate();
    if (origins.find_first_not_of("ab") != std::string::npos) {
      ++neither;
    } else if (origins.find('b') == std::string::npos) {
      ++whole_a;
    } else if (origins.find('a') == std::string::npos) {
      ++whole_b;
    } else {
      ++split;
    }
  }
  done.store(true);
  reloader.join();
  std::cout << batches << " batches during " << reloads.load()
            << " reloads: " << whole_a << " of policy a, " << whole_b
            << " of policy b\n";
  EXPECT_EQ(reload_failures.load(), 0);
  EXPECT_EQ(split, 0) << "a batch was answered partly by each policy";
  EXPECT_EQ(neither, 0) << "an answer matched neither policy's";
  EXPECT_GT(whole_a, 0) << "no batch was answered by policy a";
  EXPECT_GT(whole_b, 0) << "no batch was answered by policy b";
}

// 'a' or 'b' when `answer` is what that policy answers, '?' otherwise.
char Origin(const std::string& answer, const std::string& of_a,
            const std::string& of_b) {
  return answer == of_a ? 'a' : answer == of_b ? 'b' : '?';
}

// A batch, whichever surface evaluates it, is decided on one policy
// (pip/engine.h EvaluateBatch, pip/pip.h pip_eval_batch_*): while another
// thread reloads, each of its decisions carries the same policy version.
TEST(ConcurrencyTest, EveryBatchDuringReloadsComesWholeFromOnePolicy) {
  const v1::Policy a = PolicyA();
  const v1::Policy b = PolicyB();
  const std::string a_text = Text(a);
  const std::string b_text = Text(b);
  Expected expected;
  ASSERT_NO_FATAL_FAILURE(ExpectAnswers(a, b, &expected));

  constexpr size_t kBatchSize = 200;
  const size_t n = expected.requests.size();
  v1::EvalBatchRequest batch;
  std::vector<absl::string_view> lines;
  std::string json_lines;
  for (size_t i = 0; i < kBatchSize; ++i) {
    *batch.add_requests() = expected.requests[i % n];
    lines.push_back(expected.json[i % n]);
    absl::StrAppend(&json_lines, expected.json[i % n], "\n");
  }
  const std::string batch_bytes = batch.SerializeAsString();
  // The origin of each response of a batch; a missing one is '?'.
  const auto response_origins = [&](const v1::EvalBatchResponse& responses) {
    std::string origins(kBatchSize, '?');
    const size_t size = static_cast<size_t>(responses.responses_size());
    for (size_t i = 0; i < size && i < kBatchSize; ++i) {
      origins[i] = Origin(Bytes(responses.responses(static_cast<int>(i))),
                          expected.expect_a[i % n], expected.expect_b[i % n]);
    }
    return origins;
  };
  const auto line_origins = [&](const std::vector<absl::string_view>& answers) {
    std::string origins(kBatchSize, '?');
    for (size_t i = 0; i < answers.size() && i < kBatchSize; ++i) {
      origins[i] = Origin(std::string(answers[i]), expected.json_a[i % n],
                          expected.json_b[i % n]);
    }
    return origins;
  };

  auto engine = Engine::Create(PolicySource::Message(a));
  ASSERT_TRUE(engine.ok());
  const auto reload = [&](bool to_b) {
    return (*engine)->Reload(PolicySource::Message(to_b ? b : a)).ok();
  };
  {
    SCOPED_TRACE("Engine::EvaluateBatch");
    ExpectEveryBatchFromOnePolicy(reload, [&] {
      return response_origins((*engine)->EvaluateBatch(batch));
    });
  }
  {
    SCOPED_TRACE("pip::EvaluateJsonBatch");
    ExpectEveryBatchFromOnePolicy(reload, [&] {
      const std::vector<std::string> answers =
          pip::EvaluateJsonBatch(*(*engine), lines);
      return line_origins({answers.begin(), answers.end()});
    });
  }

  pip_engine* c_engine = nullptr;
  // A text policy source for the C API.
  const auto c_source = [&](bool to_b) {
    const std::string& text = to_b ? b_text : a_text;
    pip_policy_source source = PIP_POLICY_SOURCE_INIT;
    source.kind = PIP_SOURCE_TEXT;
    source.data = text.data();
    source.data_len = text.size();
    source.name = to_b ? "b" : "a";
    return source;
  };
  const pip_policy_source a_source = c_source(false);
  ASSERT_EQ(pip_engine_new(&c_engine, &a_source, nullptr, nullptr), PIP_OK);
  const auto c_reload = [&](bool to_b) {
    const pip_policy_source source = c_source(to_b);
    return pip_engine_reload(c_engine, &source, nullptr) == PIP_OK;
  };
  {
    SCOPED_TRACE("pip_eval_batch_pb");
    ExpectEveryBatchFromOnePolicy(c_reload, [&] {
      uint8_t* out = nullptr;
      size_t out_len = 0;
      v1::EvalBatchResponse responses;
      if (pip_eval_batch_pb(
              &out, &out_len, c_engine,
              reinterpret_cast<const uint8_t*>(batch_bytes.data()),
              batch_bytes.size(), nullptr) == PIP_OK) {
        EXPECT_TRUE(responses.ParseFromArray(out, static_cast<int>(out_len)));
      }
      pip_free(out);
      return response_origins(responses);
    });
  }
  {
    SCOPED_TRACE("pip_eval_batch_json");
    ExpectEveryBatchFromOnePolicy(c_reload, [&] {
      char* out = nullptr;
      size_t out_len = 0;
      size_t count = 0;
      std::string answers;
      if (pip_eval_batch_json(&out, &out_len, &count, c_engine,
                              json_lines.data(), json_lines.size(),
                              nullptr) == PIP_OK) {
        EXPECT_EQ(count, kBatchSize);
        answers.assign(out, out_len);
      }
      pip_free(out);
      return line_origins(absl::StrSplit(answers, '\n', absl::SkipEmpty()));
    });
  }
  pip_engine_free(c_engine);
}

// Engines created, reloaded, evaluated and destroyed on several threads at
// once: nothing fails, and (under the asan preset) LeakSanitizer finds every
// replaced policy released.
TEST(ConcurrencyTest, ManyEnginesReloadedAndDestroyedFromSeveralThreads) {
  const v1::Policy a = PolicyA();
  const v1::Policy b = PolicyB();
  const std::vector<v1::EvalRequest> requests = Requests();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        auto engine = Engine::Create(PolicySource::Message(i % 2 ? a : b));
        if (!engine.ok()) {
          failures.fetch_add(1);
          continue;
        }
        for (int k = 0; k < 5; ++k) {
          if (!(*engine)->Reload(PolicySource::Message(k % 2 ? a : b)).ok())
            failures.fetch_add(1);
          if ((*engine)->Evaluate(requests[k % requests.size()]).has_error()) {
            failures.fetch_add(1);
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace pip
