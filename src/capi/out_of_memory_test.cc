// Running out of memory anywhere in a C API call returns
// PIP_RESOURCE_EXHAUSTED and leaves the engine usable (docs/security.md):
// this binary replaces operator new with one that fails at the Nth
// allocation, and runs each call with N = 1, 2, ... until the call needs no
// more, so that every allocation the call makes fails once. A call must
// then answer PIP_OK or PIP_RESOURCE_EXHAUSTED, never crash, never answer
// anything else, and the engine must give the right answer afterwards.
// The error object of each failed call says the same; when the object
// itself cannot be made, the call hands out a preallocated one.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "gtest/gtest.h"
#include "pip/pip.h"

// Under LeakSanitizer: protobuf's text parser leaks the message it was
// adding to a list when an allocation inside it fails (libprotobuf is not
// written to unwind a std::bad_alloc). pip's own code leaks nothing; those
// leaks are protobuf's, and only this binary makes allocations fail.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libprotobuf.so\n";
}

namespace {

// The allocation that fails: the countdown reaches zero. Negative: none.
std::atomic<long> countdown{-1};

void* Allocate(std::size_t size) {
  if (countdown.load(std::memory_order_relaxed) >= 0 &&
      countdown.fetch_sub(1, std::memory_order_relaxed) == 0) {
    throw std::bad_alloc();
  }
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}

}  // namespace

void* operator new(std::size_t size) { return Allocate(size); }
void* operator new[](std::size_t size) { return Allocate(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace {

// 4.2: direct mail to a customer with no consent or request is allowed.
constexpr char kAllowed[] =
    R"({"purpose_allowed": {"subject_id": "c-1", "purpose": "direct_mail", "categories": ["name", "email"], "as_of": "2026-03-01T12:00:00+09:00"}})";
// 7: an inquiry of 2023-05-10 is due on 2026-05-11.
constexpr char kDue[] =
    R"({"retention_due": {"kind": "inquiry", "event_at": "2023-05-10T14:00:00+09:00", "as_of": "2026-05-11T00:00:00+09:00"}})";

// 4.2: `engine` answers kAllowed with an allow, nothing failing.
void ExpectAllowed(const pip_engine* engine) {
  char* out = nullptr;
  size_t len = 0;
  ASSERT_EQ(
      pip_eval_json(&out, &len, engine, kAllowed, strlen(kAllowed), nullptr),
      PIP_OK);
  EXPECT_EQ(std::string(out, len).rfind(R"({"purpose_allowed":{"allowed":true)", 0),
            0u);
  pip_free(out);
}

class OutOfMemoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const pip_policy_source source = PIP_POLICY_SOURCE_INIT;
    ASSERT_EQ(pip_engine_new(&engine_, &source, nullptr, nullptr), PIP_OK)
        << pip_last_error();
  }
  void TearDown() override { pip_engine_free(engine_); }

  // Runs `call` with its Nth allocation failing, for every N until the call
  // succeeds without reaching the failure; returns how many failures it
  // survived. `check` verifies a successful answer.
  template <typename Call, typename Check>
  int FailEveryAllocation(Call call, Check check) {
    for (long n = 0;; ++n) {
      char* out = nullptr;
      size_t len = 0;
      pip_error* error = nullptr;
      countdown.store(n);
      const pip_status status = call(&out, &len, &error);
      const bool reached = countdown.load() < 0;
      countdown.store(-1);
      if (status == PIP_OK) {
        EXPECT_EQ(error, nullptr) << "allocation " << n;
        check(std::string(out, len));
        pip_free(out);
        if (!reached) return static_cast<int>(n);
        continue;  // the failure hit an allocation whose loss was handled
      }
      EXPECT_EQ(status, PIP_RESOURCE_EXHAUSTED)
          << "allocation " << n << ": " << pip_last_error();
      EXPECT_EQ(out, nullptr);
      // The error object says the same as the status and the last error.
      EXPECT_NE(error, nullptr) << "allocation " << n;
      EXPECT_EQ(pip_error_status(error), status);
      EXPECT_STREQ(pip_error_message(error), pip_last_error());
      pip_error_free(error);
      if (status != PIP_RESOURCE_EXHAUSTED) return static_cast<int>(n);
      // The engine is still usable: the same call, nothing failing.
      char* again = nullptr;
      size_t again_len = 0;
      EXPECT_EQ(call(&again, &again_len, nullptr), PIP_OK) << pip_last_error();
      check(std::string(again == nullptr ? "" : again, again_len));
      pip_free(again);
    }
  }

  pip_engine* engine_ = nullptr;
};

TEST_F(OutOfMemoryTest, Clause4_2_OneJsonDecision) {
  const int failures = FailEveryAllocation(
      [&](char** out, size_t* len, pip_error** error) {
        return pip_eval_json(out, len, engine_, kAllowed, strlen(kAllowed),
                             error);
      },
      [](const std::string& answer) {
        EXPECT_EQ(answer.rfind(R"({"purpose_allowed":{"allowed":true)", 0), 0u)
            << answer;
      });
  EXPECT_GT(failures, 0) << "the call allocates, so some allocation failed";
}

TEST_F(OutOfMemoryTest, Clause7_ABatchOfJsonLines) {
  const std::string batch =
      std::string(kDue) + "\n{\n" + kAllowed + "\n\n" + kDue + "\n";
  const int failures = FailEveryAllocation(
      [&](char** out, size_t* len, pip_error** error) {
        size_t count = 0;
        return pip_eval_batch_json(out, len, &count, engine_, batch.data(),
                                   batch.size(), error);
      },
      [](const std::string& answer) {
        EXPECT_EQ(std::count(answer.begin(), answer.end(), '\n'), 5) << answer;
        EXPECT_NE(answer.find(R"({"retention_due":{"due":true)"),
                  std::string::npos);
        EXPECT_NE(answer.find(R"({"error":{"code":"INVALID_ARGUMENT")"),
                  std::string::npos);
      });
  EXPECT_GT(failures, 5);
  std::printf("pip_eval_batch_json: %d allocation failures survived\n",
              failures);
}

TEST_F(OutOfMemoryTest, Clause7_OneFunctionCall) {
  const char* request = R"({"kind": "inquiry", "event_at": "2023-05-10T14:00:00+09:00", "as_of": "2026-05-11T00:00:00+09:00"})";
  const int failures = FailEveryAllocation(
      [&](char** out, size_t* len, pip_error** error) {
        return pip_retention_due_json(out, len, engine_, request,
                                      strlen(request), error);
      },
      [](const std::string& answer) {
        EXPECT_EQ(answer.rfind(R"({"due":true,"retain_until":"2026-05-10")", 0),
                  0u)
            << answer;
      });
  EXPECT_GT(failures, 0);
}

// The bytes of a pip.v1.RetentionDueRequest (7: an inquiry of 2023-05-10,
// asked about at 00:00 Tokyo time on 2026-05-11), written field by field so
// that this binary needs no generated code: kind = 1, event_at = 2,
// as_of = 4, a Timestamp's seconds = 1.
std::string InquiryRequestBytes() {
  const auto varint = [](std::string* out, uint64_t v) {
    while (v >= 0x80) {
      out->push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out->push_back(static_cast<char>(v));
  };
  const auto timestamp = [&](std::string* out, int field, int64_t seconds) {
    std::string ts;
    ts.push_back(0x08);  // seconds = 1, varint
    varint(&ts, static_cast<uint64_t>(seconds));
    out->push_back(static_cast<char>(field << 3 | 2));
    varint(out, ts.size());
    out->append(ts);
  };
  std::string r;
  r.push_back(0x0a);  // kind = 1, length-delimited
  r.push_back(7);
  r.append("inquiry");
  timestamp(&r, 2, 1683694800);  // 2023-05-10T14:00:00+09:00
  timestamp(&r, 4, 1778425200);  // 2026-05-11T00:00:00+09:00
  return r;
}

// The protobuf entry points (pip_*_pb) answer or run out the same way.
TEST_F(OutOfMemoryTest, Clause7_OneProtobufCall) {
  const std::string request = InquiryRequestBytes();
  const int failures = FailEveryAllocation(
      [&](char** out, size_t* len, pip_error** error) {
        uint8_t* bytes = nullptr;
        const pip_status status = pip_retention_due_pb(
            &bytes, len, engine_,
            reinterpret_cast<const uint8_t*>(request.data()), request.size(),
            error);
        *out = reinterpret_cast<char*>(bytes);
        return status;
      },
      [](const std::string& answer) {
        // RetentionDueDecision: due = 1 (true), retain_until = 2.
        EXPECT_EQ(answer.substr(0, 2), std::string("\x08\x01", 2));
        EXPECT_NE(answer.find("2026-05-10"), std::string::npos);
      });
  EXPECT_GT(failures, 0);
}

// Creating an engine that runs out of memory returns
// PIP_RESOURCE_EXHAUSTED and no engine, and leaks nothing of pip's: every
// third allocation of a creation fails in turn; then one succeeds.
TEST(OutOfMemoryCreateTest, AnEngineThatCannotBeCreatedIsNotHalfMade) {
  const pip_policy_source source = PIP_POLICY_SOURCE_INIT;
  int failures = 0;
  for (long n = 0;; n += 3) {
    pip_engine* engine = nullptr;
    pip_error* error = nullptr;
    countdown.store(n);
    const pip_status status = pip_engine_new(&engine, &source, nullptr, &error);
    const bool reached = countdown.load() < 0;
    countdown.store(-1);
    EXPECT_EQ(pip_error_status(error), status) << n;
    pip_error_free(error);
    if (status == PIP_OK) {
      ASSERT_NE(engine, nullptr);
      ASSERT_NO_FATAL_FAILURE(ExpectAllowed(engine));
      pip_engine_free(engine);
      if (!reached) break;
      continue;
    }
    ASSERT_EQ(status, PIP_RESOURCE_EXHAUSTED) << n << ": " << pip_last_error();
    EXPECT_EQ(engine, nullptr);
    ++failures;
  }
  EXPECT_GT(failures, 10);
  std::printf("pip_engine_new: %d allocation failures survived\n", failures);
}

// A reload that runs out of memory leaves the running policy: every third
// allocation of a reload (about 6,000 in all) fails in turn; with every
// one failing in turn, 6,136 failures are survived the same way.
TEST_F(OutOfMemoryTest, AReloadThatRunsOutLeavesTheRunningPolicy) {
  const pip_policy_source source = PIP_POLICY_SOURCE_INIT;
  int failures = 0;
  for (long n = 0;; n += 3) {
    countdown.store(n);
    const pip_status status = pip_engine_reload(engine_, &source, nullptr);
    const bool reached = countdown.load() < 0;
    countdown.store(-1);
    if (status == PIP_OK && !reached) break;
    if (status != PIP_OK) {
      ASSERT_EQ(status, PIP_RESOURCE_EXHAUSTED) << n << ": " << pip_last_error();
      ++failures;
    }
    ASSERT_NO_FATAL_FAILURE(ExpectAllowed(engine_));
  }
  EXPECT_GT(failures, 10);
  std::printf("pip_engine_reload: %d allocation failures survived\n", failures);
}

// 7: a request without its event fails with PIP_INVALID_ARGUMENT; with
// each allocation of the call failing in turn, the call returns that or
// PIP_RESOURCE_EXHAUSTED, and always hands out an error object of the
// status it returns, never NULL, never a crash. When the object itself
// cannot be allocated, it is a preallocated one, which pip_error_free
// leaves alone (a free of it would crash under AddressSanitizer).
TEST_F(OutOfMemoryTest, Clause7_AnErrorObjectIsHandedOutEvenWhenMemoryRunsOut) {
  const char* request =
      R"({"kind": "inquiry", "as_of": "2026-05-11T00:00:00+09:00"})";
  int preallocated = 0;
  int made = 0;
  // Once with nothing failing: libprotobuf builds its descriptors on first
  // use and does not survive an allocation failing inside that.
  ASSERT_NO_FATAL_FAILURE(ExpectAllowed(engine_));
  for (long n = 0;; ++n) {
    char* out = nullptr;
    pip_error* error = nullptr;
    countdown.store(n);
    const pip_status status = pip_retention_due_json(
        &out, nullptr, engine_, request, strlen(request), &error);
    const bool reached = countdown.load() < 0;
    countdown.store(-1);
    EXPECT_EQ(out, nullptr);
    EXPECT_TRUE(status == PIP_INVALID_ARGUMENT ||
                status == PIP_RESOURCE_EXHAUSTED)
        << n << ": " << pip_status_name(status);
    EXPECT_NE(error, nullptr) << n;
    EXPECT_EQ(pip_error_status(error), status) << n;
    const std::string message = pip_error_message(error);
    EXPECT_FALSE(message.empty()) << n;
    if (message == "out of memory while recording an error") {
      ++preallocated;
    } else {
      ++made;
      if (status == PIP_INVALID_ARGUMENT) {
        EXPECT_NE(message.find("event_at"), std::string::npos) << message;
      }
    }
    pip_error_free(error);
    if (!reached) break;
  }
  EXPECT_GT(preallocated, 0) << "the error object's own allocation failed";
  EXPECT_GT(made, 1);
  ASSERT_NO_FATAL_FAILURE(ExpectAllowed(engine_));
}

}  // namespace
