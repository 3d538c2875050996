// An audit sink that keeps every record in memory, for tests of what the
// engine records (clause 5.4). Test-only.
#ifndef PIP_TESTS_TESTING_MEMORY_SINK_H_
#define PIP_TESTS_TESTING_MEMORY_SINK_H_

#include <mutex>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "pip/audit.h"
#include "pip/v1/audit.pb.h"

namespace pip {
namespace testing {

// The key the test sinks sign with.
inline constexpr char kTestAuditKeyBytes[] = "0123456789abcdef0123456789abcdef";

inline AuditKey TestAuditKey() {
  return *AuditKey::FromBytes(kTestAuditKeyBytes);
}

// Keeps every record in memory, or refuses them all with `failure`.
// Thread-safe.
class MemorySink : public AuditSink {
 public:
  explicit MemorySink(absl::Status failure = absl::OkStatus())
      : AuditSink(TestAuditKey()), failure_(std::move(failure)) {}
  absl::Status Record(const v1::AuditRecord& record) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++calls_;
    if (!failure_.ok()) return failure_;
    records_.push_back(record);
    return absl::OkStatus();
  }
  absl::Status Flush() override { return failure_; }
  std::vector<v1::AuditRecord> records() {
    std::lock_guard<std::mutex> lock(mu_);
    return records_;
  }
  int calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }

 private:
  const absl::Status failure_;
  std::mutex mu_;
  int calls_ = 0;
  std::vector<v1::AuditRecord> records_;
};

}  // namespace testing
}  // namespace pip

#endif  // PIP_TESTS_TESTING_MEMORY_SINK_H_
