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
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "pip/engine.h"
#include "pip/policy.h"
#include "tests/testing/requests.h"

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
    q->mutable_documents()->set_identity_document(true);
    q->mutable_documents()->set_request_form(true);
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
  if (r.has_purpose_allowed()) return r.purpose_allowed().policy_version();
  if (r.has_retention_due()) return r.retention_due().policy_version();
  if (r.has_request_validate()) return r.request_validate().policy_version();
  return "";
}

std::string Bytes(const v1::EvalResponse& r) {
  std::string out;
  EXPECT_TRUE(r.SerializeToString(&out));
  return out;
}

TEST(ConcurrencyTest, EveryDecisionDuringReloadsComesWholeFromOnePolicy) {
  const v1::Policy a = PolicyA();
  const v1::Policy b = PolicyB();
  const std::string a_text = Text(a);
  const std::string b_text = Text(b);
  v1::Policy invalid = b;  // never loads: a negative fee (8.3)
  invalid.set_version("never");
  invalid.mutable_requests()->mutable_types(0)->set_fee_jpy(-1);

  auto only_a = Engine::FromPolicy(a);
  auto only_b = Engine::FromPolicy(b);
  auto engine = Engine::FromPolicy(a);
  ASSERT_TRUE(only_a.ok() && only_b.ok() && engine.ok());

  const std::vector<v1::EvalRequest> requests = Requests();
  std::vector<std::string> expect_a, expect_b, json, json_a, json_b;
  std::vector<bool> answer_a, answer_b;
  for (const v1::EvalRequest& r : requests) {
    const v1::EvalResponse ra = (*only_a)->Evaluate(r);
    const v1::EvalResponse rb = (*only_b)->Evaluate(r);
    ASSERT_FALSE(ra.has_error() || rb.has_error()) << ra.DebugString() << rb.DebugString();
    ASSERT_EQ(VersionOf(ra), a.version());
    ASSERT_EQ(VersionOf(rb), kVersionB);
    answer_a.push_back(Answer(ra));
    answer_b.push_back(Answer(rb));
    expect_a.push_back(Bytes(ra));
    expect_b.push_back(Bytes(rb));
    std::string line;
    ASSERT_TRUE(google::protobuf::util::MessageToJsonString(r, &line).ok());
    json.push_back(line);
    json_a.push_back((*only_a)->EvaluateJson(line));
    json_b.push_back((*only_b)->EvaluateJson(line));
  }
  // The policies answer the first two requests differently.
  ASSERT_FALSE(answer_a[0]);
  ASSERT_TRUE(answer_b[0]);
  ASSERT_TRUE(answer_a[1]);
  ASSERT_FALSE(answer_b[1]);

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
          const std::string line = (*engine)->EvaluateJson(json[k]);
          if (line == json_a[k]) {
            ++mine_a;
          } else if (line == json_b[k]) {
            ++mine_b;
          } else {
            torn.fetch_add(1);
          }
          continue;
        }
        const v1::EvalResponse r = (*engine)->Evaluate(requests[k]);
        const std::string bytes = Bytes(r);
        const bool is_a = bytes == expect_a[k];
        const bool is_b = bytes == expect_b[k];
        if (is_a) ++mine_a;
        if (is_b) ++mine_b;
        if (!is_a && !is_b) torn.fetch_add(1);
        // The version a decision carries decides its answer.
        const std::string version = VersionOf(r);
        const bool expected_answer =
            version == kVersionB ? answer_b[k] : answer_a[k];
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
          case 0: s = (*engine)->Reload(b); break;
          case 1: s = (*engine)->ReloadFromTextProto(a_text, "a.textproto"); break;
          case 2: s = (*engine)->ReloadFromTextProto(b_text, "b.textproto"); break;
          case 3: s = (*engine)->Reload(a); break;
          case 4:
            // A policy that does not validate changes nothing.
            if ((*engine)->Reload(invalid).ok()) invalid_accepted.fetch_add(1);
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
        auto engine = Engine::FromPolicy(i % 2 ? a : b);
        if (!engine.ok()) {
          failures.fetch_add(1);
          continue;
        }
        for (int k = 0; k < 5; ++k) {
          if (!(*engine)->Reload(k % 2 ? a : b).ok()) failures.fetch_add(1);
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
