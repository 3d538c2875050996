// Tests of JsonlFileSink and VerifyAuditLog (clause 5.4, ログの記録・監視):
// whole lines only, even when the writer is killed mid-write; a reopened log
// continues on a fresh line; rotation keeps N files; concurrent records do
// not interleave; a changed or removed line is evident.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "pip/audit.h"
#include "pip/encoded.h"
#include "pip/engine.h"
#include "tests/testing/requests.h"
#include "tests/testing/files.h"
#include "tests/testing/status_matchers.h"

namespace pip {
namespace {

using ::pip::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

AuditKey TestKey() {
  return *AuditKey::FromBytes("0123456789abcdef0123456789abcdef");
}

std::string TempDir() { return ::pip::testing::TempDir("pip_audit"); }

std::string ReadAll(const std::string& path) {
  return ::pip::testing::ReadIfPresent(path);
}

bool Exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

// A record as the engine makes it, with `reasons` reasons to vary its size.
v1::AuditRecord SampleRecord(int reasons = 1) {
  v1::AuditRecord r;
  r.set_function("purpose_allowed");
  r.set_outcome(v1::OUTCOME_DENIED);
  r.set_policy_version("2026-04-01");
  r.set_subject_pseudonym(TestKey().Pseudonym("c-1"));
  for (int i = 0; i < reasons; ++i) {
    v1::AuditReason* reason = r.add_reasons();
    reason->set_code(v1::SUSPENDED_BY_REQUEST);
    reason->set_clause("8.1");
  }
  return r;
}

std::unique_ptr<JsonlFileSink> OpenSink(const JsonlFileSinkOptions& options) {
  absl::StatusOr<std::unique_ptr<JsonlFileSink>> sink =
      JsonlFileSink::Open(TestKey(), options);
  EXPECT_OK(sink);
  return sink.ok() ? *std::move(sink) : nullptr;
}

// The file's lines; `*partial_tail` says whether the last one lacks its
// newline.
std::vector<std::string> Lines(const std::string& bytes, bool* partial_tail) {
  std::vector<std::string> lines = absl::StrSplit(bytes, '\n');
  *partial_tail = !lines.back().empty();
  if (!*partial_tail) lines.pop_back();
  return lines;
}

bool Parses(const std::string& line, v1::AuditRecord* record) {
  return google::protobuf::util::JsonStringToMessage(line, record).ok();
}

// Whether `line` is a file's anchor naming `seq` as the record after it.
bool IsAnchorOf(const std::string& line, uint64_t seq) {
  v1::AuditRecord r;
  return Parses(line, &r) && r.file_start() && r.seq() == seq &&
         r.function().empty() && r.reasons().empty();
}

TEST(JsonlFileSinkTest, RefusesBadOptionsNamingTheField) {
  const std::string dir = TempDir();
  JsonlFileSinkOptions options;
  auto check = [&](const JsonlFileSinkOptions& o, const std::string& field) {
    absl::StatusOr<std::unique_ptr<JsonlFileSink>> sink =
        JsonlFileSink::Open(TestKey(), o);
    ASSERT_THAT(sink,
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(field)))
        << field;
  };
  check(options, "path");
  options.path = dir + "/log.jsonl";
  options.batch_records = 0;
  check(options, "batch_records");
  options.batch_records = 1;
  options.max_rotated_files = 0;
  check(options, "max_rotated_files");
  EXPECT_FALSE(Exists(options.path)) << "a refused sink creates no file";

  options.path = dir + "/no/such/dir/log.jsonl";
  options.max_rotated_files = 1;
  absl::StatusOr<std::unique_ptr<JsonlFileSink>> sink =
      JsonlFileSink::Open(TestKey(), options);
  ASSERT_THAT(
      sink, StatusIs(absl::StatusCode::kUnavailable, HasSubstr(options.path)));
}

TEST(JsonlFileSinkTest, OneWholeLinePerRecordChainedAndNumbered) {
  JsonlFileSinkOptions options;
  options.path = TempDir() + "/log.jsonl";
  {
    auto sink = OpenSink(options);
    ASSERT_TRUE(sink);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(sink->Record(SampleRecord()).ok());
    // Each record is in the file before Record() returns, after the
    // file's anchor.
    bool partial = false;
    EXPECT_EQ(Lines(ReadAll(options.path), &partial).size(), 6u);
  }
  bool partial = true;
  const std::vector<std::string> lines = Lines(ReadAll(options.path), &partial);
  EXPECT_FALSE(partial);
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_TRUE(IsAnchorOf(lines[0], 1)) << lines[0];
  std::string prev;
  for (size_t i = 1; i < lines.size(); ++i) {
    v1::AuditRecord r;
    ASSERT_TRUE(Parses(lines[i], &r)) << lines[i];
    EXPECT_FALSE(r.file_start());
    EXPECT_EQ(r.seq(), i);
    EXPECT_EQ(r.prev_chain(), prev);
    EXPECT_EQ(r.chain().size(), 64u);
    prev = r.chain();
  }
  absl::StatusOr<AuditLogReport> report =
      VerifyAuditLog(TestKey(), {options.path});
  ASSERT_OK(report);
  EXPECT_EQ(report->records, 5u);
  EXPECT_TRUE(report->partial_lines.empty());
}

TEST(JsonlFileSinkTest, SecondWriterIsRefused) {
  JsonlFileSinkOptions options;
  options.path = TempDir() + "/log.jsonl";
  auto first = OpenSink(options);
  ASSERT_TRUE(first);
  absl::StatusOr<std::unique_ptr<JsonlFileSink>> second =
      JsonlFileSink::Open(TestKey(), options);
  ASSERT_THAT(second, StatusIs(absl::StatusCode::kFailedPrecondition))
      << "two writers would fork the chain";
}

TEST(JsonlFileSinkTest, ReopenedLogContinuesNumberAndChain) {
  JsonlFileSinkOptions options;
  options.path = TempDir() + "/log.jsonl";
  for (int round = 0; round < 3; ++round) {
    auto sink = OpenSink(options);
    ASSERT_TRUE(sink);
    ASSERT_OK(sink->Record(SampleRecord()));
    ASSERT_OK(sink->Record(SampleRecord()));
  }
  absl::StatusOr<AuditLogReport> report =
      VerifyAuditLog(TestKey(), {options.path});
  ASSERT_OK(report);
  EXPECT_EQ(report->records, 6u);
}

TEST(JsonlFileSinkTest, ReopenCutsThePartialLineOfAKilledWriter) {
  JsonlFileSinkOptions options;
  options.path = TempDir() + "/log.jsonl";
  {
    auto sink = OpenSink(options);
    ASSERT_TRUE(sink);
    ASSERT_OK(sink->Record(SampleRecord()));
  }
  // What a writer killed mid-write leaves.
  { std::ofstream(options.path, std::ios::app) << R"({"seq":"2","functi)"; }
  {
    auto sink = OpenSink(options);
    ASSERT_TRUE(sink);
    ASSERT_OK(sink->Record(SampleRecord()));
  }
  bool partial = true;
  const std::vector<std::string> lines = Lines(ReadAll(options.path), &partial);
  EXPECT_FALSE(partial);
  ASSERT_EQ(lines.size(), 3u) << "the anchor and two records";
  EXPECT_THAT(ReadAll(options.path), Not(HasSubstr(R"({"seq":"2","functi)")))
      << "the partial line is cut";
  v1::AuditRecord r;
  ASSERT_TRUE(Parses(lines[2], &r)) << lines[2];
  EXPECT_EQ(r.seq(), 2u) << "the partial record was never returned";

  absl::StatusOr<AuditLogReport> report =
      VerifyAuditLog(TestKey(), {options.path});
  ASSERT_OK(report);
  EXPECT_EQ(report->records, 2u);
  EXPECT_THAT(report->partial_lines, IsEmpty());
}

// Reopening reads only the end of a large log, further back while the last
// whole record is longer than what it read.
TEST(JsonlFileSinkTest, ReopenFindsTheLastRecordOfALargeLog) {
  JsonlFileSinkOptions options;
  options.path = TempDir() + "/log.jsonl";
  options.max_file_bytes = 0;
  {
    auto sink = OpenSink(options);
    ASSERT_TRUE(sink);
    for (int i = 0; i < 20; ++i) {
      ASSERT_OK(sink->Record(SampleRecord(2000)));
    }
    // One record longer than the first part read back.
    ASSERT_OK(sink->Record(SampleRecord(40000)));
  }
  ASSERT_GT(ReadAll(options.path).size(), 2u << 20);
  { std::ofstream(options.path, std::ios::app) << R"({"seq":"22")"; }
  {
    auto sink = OpenSink(options);
    ASSERT_TRUE(sink);
    ASSERT_OK(sink->Record(SampleRecord()));
  }
  absl::StatusOr<AuditLogReport> report =
      VerifyAuditLog(TestKey(), {options.path});
  ASSERT_OK(report);
  EXPECT_EQ(report->records, 22u);
  EXPECT_THAT(report->partial_lines, IsEmpty()) << "cut on reopening";
}

// A writer killed at a random moment leaves only whole lines, except
// possibly a partial last one; a reopened sink continues after it.
TEST(JsonlFileSinkTest, KilledWriterLeavesWholeLinesAndTheLogContinues) {
  const std::string dir = TempDir();
  std::random_device seed;
  std::mt19937 random(seed());
  for (int round = 0; round < 3; ++round) {
    JsonlFileSinkOptions options;
    options.path = absl::StrCat(dir, "/killed", round, ".jsonl");
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      absl::StatusOr<std::unique_ptr<JsonlFileSink>> sink =
          JsonlFileSink::Open(TestKey(), options);
      if (!sink.ok()) ::_exit(3);
      // Large records make a kill inside write(2) likely.
      const v1::AuditRecord big = SampleRecord(2000);
      while ((*sink)->Record(big).ok()) {
      }
      ::_exit(4);
    }
    // Let it write a little, then kill it without warning.
    while (!Exists(options.path) || ReadAll(options.path).size() < 100000) {
      ::usleep(1000);
    }
    ::usleep(std::uniform_int_distribution<int>(0, 20000)(random));
    ASSERT_EQ(::kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer stopped on its own: "
                                     << WEXITSTATUS(status);

    bool partial = false;
    const std::vector<std::string> lines =
        Lines(ReadAll(options.path), &partial);
    ASSERT_FALSE(lines.empty());
    // Whole lines: the anchor, then the records.
    const size_t whole = partial ? lines.size() - 1 : lines.size();
    ASSERT_GT(whole, 1u);
    EXPECT_TRUE(IsAnchorOf(lines[0], 1));
    for (size_t i = 1; i < whole; ++i) {
      v1::AuditRecord r;
      ASSERT_TRUE(Parses(lines[i], &r)) << "line " << i + 1 << " is not whole";
      EXPECT_EQ(r.seq(), i);
    }
    // The torn end of the newest file is the one partial line allowed.
    absl::StatusOr<AuditLogReport> killed =
        VerifyAuditLog(TestKey(), {options.path});
    ASSERT_OK(killed);
    EXPECT_EQ(killed->records, whole - 1);
    EXPECT_EQ(killed->partial_lines.size(), partial ? 1u : 0u);

    // Reopen and continue: the partial line is cut, the new record follows
    // the last whole one.
    {
      auto sink = OpenSink(options);
      ASSERT_TRUE(sink);
      ASSERT_OK(sink->Record(SampleRecord()));
    }
    bool partial_after = true;
    const std::vector<std::string> after =
        Lines(ReadAll(options.path), &partial_after);
    EXPECT_FALSE(partial_after);
    ASSERT_EQ(after.size(), whole + 1);
    v1::AuditRecord last;
    ASSERT_TRUE(Parses(after.back(), &last));
    EXPECT_EQ(last.seq(), whole);
    absl::StatusOr<AuditLogReport> report =
        VerifyAuditLog(TestKey(), {options.path});
    ASSERT_OK(report);
    EXPECT_EQ(report->records, whole);
    EXPECT_THAT(report->partial_lines, IsEmpty());
  }
}

// A write that fails half-way (here: the file size limit, EFBIG) is
// reported, and the decision it was for is withheld by the engine; the next
// record starts on a fresh line and chains to the last whole record.
TEST(JsonlFileSinkTest, FailedWriteIsReportedAndItsPartialLineCut) {
  JsonlFileSinkOptions options;
  options.path = TempDir() + "/log.jsonl";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Exit codes name the step that went wrong.
    auto sink = JsonlFileSink::Open(TestKey(), options);
    if (!sink.ok()) ::_exit(10);
    EngineOptions engine_options;
    engine_options.audit_sink = *std::move(sink);
    auto engine =
        Engine::Create(PolicySource::Default(), std::move(engine_options));
    if (!engine.ok()) ::_exit(10);
    if (!(*engine)->PurposeAllowed(testing::BillingRequest()).ok()) ::_exit(11);
    const off_t size = static_cast<off_t>(ReadAll(options.path).size());
    // Room for a part of the next line only.
    ::signal(SIGXFSZ, SIG_IGN);
    struct rlimit limit;
    ::getrlimit(RLIMIT_FSIZE, &limit);
    const rlim_t hard = limit.rlim_max;
    limit.rlim_cur = static_cast<rlim_t>(size + 100);
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(12);
    absl::StatusOr<v1::PurposeAllowedDecision> withheld =
        (*engine)->PurposeAllowed(testing::BillingRequest());
    if (withheld.ok()) ::_exit(13);  // an unrecorded allow was returned
    if (withheld.status().code() != absl::StatusCode::kUnavailable) ::_exit(14);
    limit.rlim_cur = hard;
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(15);
    if (!(*engine)->PurposeAllowed(testing::BillingRequest()).ok()) ::_exit(16);
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0) << "failed at step " << WEXITSTATUS(status);

  bool partial = true;
  const std::vector<std::string> lines = Lines(ReadAll(options.path), &partial);
  EXPECT_FALSE(partial);
  ASSERT_EQ(lines.size(), 3u) << "the anchor and two records: the 100 bytes "
                                 "the limit let through were cut";
  v1::AuditRecord last;
  ASSERT_TRUE(Parses(lines[2], &last)) << lines[2];
  EXPECT_EQ(last.seq(), 2u) << "the failed record was not numbered";
  absl::StatusOr<AuditLogReport> report =
      VerifyAuditLog(TestKey(), {options.path});
  ASSERT_OK(report);
  EXPECT_EQ(report->records, 2u);
  EXPECT_THAT(report->partial_lines, IsEmpty());
}

TEST(JsonlFileSinkTest, RotatesBySizeAndKeepsNFiles) {
  JsonlFileSinkOptions options;
  options.path = TempDir() + "/log.jsonl";
  options.max_file_bytes = 2000;
  options.max_rotated_files = 2;
  const size_t line_bytes = [&] {
    auto sink = OpenSink(options);
    EXPECT_OK(sink->Record(SampleRecord()));
    return ReadAll(options.path).size();  // the anchor and one record
  }();
  ASSERT_LT(line_bytes * 2, options.max_file_bytes);
  {
    auto sink = OpenSink(options);
    ASSERT_TRUE(sink);
    for (int i = 1; i < 60; ++i) ASSERT_TRUE(sink->Record(SampleRecord()).ok());
  }
  const std::vector<std::string> files = {options.path + ".2",
                                          options.path + ".1", options.path};
  for (const std::string& f : files) {
    ASSERT_TRUE(Exists(f)) << f;
    EXPECT_LE(ReadAll(f).size(), options.max_file_bytes) << f;
  }
  EXPECT_FALSE(Exists(options.path + ".3")) << "only 2 rotated files are kept";

  // The kept files chain together; the oldest ones were rotated away.
  absl::StatusOr<AuditLogReport> report = VerifyAuditLog(TestKey(), files);
  ASSERT_OK(report);
  bool partial = false;
  for (const std::string& f : files) {
    v1::AuditRecord anchor;
    ASSERT_TRUE(Parses(Lines(ReadAll(f), &partial)[0], &anchor));
    EXPECT_TRUE(anchor.file_start()) << f << " starts with its anchor";
  }
  v1::AuditRecord first;
  ASSERT_TRUE(Parses(Lines(ReadAll(files[0]), &partial)[1], &first));
  EXPECT_GT(first.seq(), 1u);
  EXPECT_EQ(first.seq() + report->records - 1, 60u);

  // A rotated file removed from the middle, or the front of one, is
  // evident; only files rotated away at the old end are not.
  EXPECT_THAT(VerifyAuditLog(TestKey(), {files[0], files[2]}),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr(files[2] + ":1: the file's anchor")));
  EXPECT_OK(VerifyAuditLog(TestKey(), {files[1], files[2]}));
  const std::string middle = ReadAll(files[1]);
  {
    std::vector<std::string> lines = Lines(middle, &partial);
    lines.erase(lines.begin(), lines.begin() + 2);  // the anchor, a record
    std::ofstream out(files[1], std::ios::trunc | std::ios::binary);
    for (const std::string& line : lines) out << line << "\n";
  }
  EXPECT_THAT(VerifyAuditLog(TestKey(), files),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr(files[1] + ":1: the file does not start")));
  // A torn line at the end of a file that is not the newest.
  { std::ofstream(files[1], std::ios::trunc | std::ios::binary) << middle << R"({"seq":)"; }
  EXPECT_THAT(VerifyAuditLog(TestKey(), files),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("a partial line in a file that is not the newest")));
  { std::ofstream(files[1], std::ios::trunc | std::ios::binary) << middle; }
  ASSERT_OK(VerifyAuditLog(TestKey(), files));

  // A sink opened on the fresh file after a rotation continues the chain of
  // the newest rotated file.
  ASSERT_EQ(::unlink(options.path.c_str()), 0);
  {
    auto sink = OpenSink(options);
    ASSERT_TRUE(sink);
    ASSERT_OK(sink->Record(SampleRecord()));
  }
  const std::vector<std::string> fresh = Lines(ReadAll(options.path), &partial);
  ASSERT_EQ(fresh.size(), 2u);
  v1::AuditRecord next;
  ASSERT_TRUE(Parses(fresh[1], &next));
  EXPECT_TRUE(IsAnchorOf(fresh[0], next.seq()));
  report = VerifyAuditLog(TestKey(), {options.path + ".1", options.path});
  ASSERT_OK(report);
  // The records of FILE.1 (its lines but the anchor) and the new one.
  EXPECT_EQ(report->records,
            Lines(ReadAll(options.path + ".1"), &partial).size() - 1 + 1);
}

TEST(JsonlFileSinkTest, ConcurrentRecordsNeverInterleave) {
  JsonlFileSinkOptions options;
  options.path = TempDir() + "/log.jsonl";
  auto sink = OpenSink(options);
  ASSERT_TRUE(sink);
  constexpr int kThreads = 4;
  constexpr int kRecords = 200;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRecords; ++i) {
        if (!sink->Record(SampleRecord(1 + (t * 7 + i) % 50)).ok()) {
          failures.fetch_add(1);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  bool partial = true;
  const std::vector<std::string> lines = Lines(ReadAll(options.path), &partial);
  EXPECT_FALSE(partial);
  ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kRecords) + 1);
  EXPECT_TRUE(IsAnchorOf(lines[0], 1));
  for (size_t i = 1; i < lines.size(); ++i) {
    v1::AuditRecord r;
    ASSERT_TRUE(Parses(lines[i], &r)) << "line " << i + 1;
    EXPECT_EQ(r.seq(), i);
  }
  absl::StatusOr<AuditLogReport> report =
      VerifyAuditLog(TestKey(), {options.path});
  ASSERT_OK(report);
}

TEST(JsonlFileSinkTest, BatchModeWritesWholeBatchesAndOnFlush) {
  JsonlFileSinkOptions options;
  options.path = TempDir() + "/log.jsonl";
  options.flush = AuditFlushMode::kBatch;
  options.batch_records = 3;
  auto sink = OpenSink(options);
  ASSERT_TRUE(sink);
  bool partial = false;
  ASSERT_OK(sink->Record(SampleRecord()));
  ASSERT_OK(sink->Record(SampleRecord()));
  EXPECT_EQ(ReadAll(options.path), "") << "a batch waits until it is full";
  ASSERT_OK(sink->Record(SampleRecord()));
  // The anchor and the first batch.
  EXPECT_EQ(Lines(ReadAll(options.path), &partial).size(), 4u);
  ASSERT_OK(sink->Record(SampleRecord()));
  EXPECT_EQ(Lines(ReadAll(options.path), &partial).size(), 4u);
  ASSERT_OK(sink->Flush());
  EXPECT_EQ(Lines(ReadAll(options.path), &partial).size(), 5u);
  EXPECT_FALSE(partial);
  ASSERT_OK(sink->Record(SampleRecord()));
  sink.reset();
  EXPECT_EQ(Lines(ReadAll(options.path), &partial).size(), 6u)
      << "closing the sink writes what is buffered";
  EXPECT_OK(VerifyAuditLog(TestKey(), {options.path}));
}

// --- Tampering is evident -----------------------------------------------------

class AuditLogTamperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.path = TempDir() + "/log.jsonl";
    auto sink = OpenSink(options_);
    ASSERT_TRUE(sink);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(sink->Record(SampleRecord()).ok());
    bool partial = false;
    lines_ = Lines(ReadAll(options_.path), &partial);
    ASSERT_EQ(lines_.size(), 6u) << "the anchor and five records";
    ASSERT_OK(VerifyAuditLog(TestKey(), {options_.path}));
  }
  void Write(const std::vector<std::string>& lines) {
    std::ofstream out(options_.path, std::ios::trunc | std::ios::binary);
    for (const std::string& line : lines) out << line << "\n";
  }
  void ExpectDataLossAt(const AuditKey& key, const std::string& where) {
    absl::StatusOr<AuditLogReport> report =
        VerifyAuditLog(key, {options_.path});
    ASSERT_THAT(report, StatusIs(absl::StatusCode::kDataLoss,
                                 HasSubstr(options_.path + ":" + where)));
  }
  JsonlFileSinkOptions options_;
  std::vector<std::string> lines_;
};

TEST_F(AuditLogTamperTest, ChangedRecordIsEvident) {
  std::vector<std::string> lines = lines_;
  ASSERT_THAT(lines[3], HasSubstr("OUTCOME_DENIED"));
  lines[3] = absl::StrReplaceAll(lines[3], {{"OUTCOME_DENIED", "OUTCOME_ALLOWED"}});
  Write(lines);
  ExpectDataLossAt(TestKey(), "4");
}

TEST_F(AuditLogTamperTest, RemovedRecordIsEvident) {
  std::vector<std::string> lines = lines_;
  lines.erase(lines.begin() + 3);
  Write(lines);
  ExpectDataLossAt(TestKey(), "4");
}

TEST_F(AuditLogTamperTest, ReorderedRecordsAreEvident) {
  std::vector<std::string> lines = lines_;
  std::swap(lines[2], lines[3]);
  Write(lines);
  ExpectDataLossAt(TestKey(), "3");
}

// A line that is not a record is an error where it stands: only the end of
// the newest file may be torn.
TEST_F(AuditLogTamperTest, RecordReplacedByGarbageIsEvident) {
  std::vector<std::string> lines = lines_;
  lines[2] = "{\"seq\":";
  Write(lines);
  ExpectDataLossAt(TestKey(), "3: not a record of the log");
}

// A forged whole record with one field the schema does not have was once
// skipped as a killed writer's partial line; it is refused where it stands.
TEST_F(AuditLogTamperTest, ForgedRecordWithAnExtraFieldIsEvident) {
  std::vector<std::string> lines = lines_;
  std::string forged = absl::StrReplaceAll(
      lines[2], {{"OUTCOME_DENIED", "OUTCOME_ALLOWED"}});
  forged.insert(1, "\"forged\":1,");
  lines.insert(lines.begin() + 2, forged);
  Write(lines);
  ExpectDataLossAt(TestKey(), "3: not a record of the log");
}

TEST_F(AuditLogTamperTest, BlankLineInsertedIsEvident) {
  std::vector<std::string> lines = lines_;
  lines.insert(lines.begin() + 2, "");
  Write(lines);
  ExpectDataLossAt(TestKey(), "3: not a record of the log");
}

// A record with a key given twice reads differently to different readers
// (protobuf keeps the last value, others the first): refused, even though
// the value its chain was made over is one of the two.
TEST_F(AuditLogTamperTest, DuplicateKeyIsRefused) {
  std::vector<std::string> lines = lines_;
  ASSERT_THAT(lines[2], HasSubstr(R"("outcome":"OUTCOME_DENIED")"));
  lines[2] = absl::StrReplaceAll(
      lines[2], {{R"("outcome":"OUTCOME_DENIED")",
                  R"("outcome":"OUTCOME_ALLOWED","outcome":"OUTCOME_DENIED")"}});
  Write(lines);
  ExpectDataLossAt(TestKey(), "3: not a record of the log");
}

// Records removed from the front of a log that was never rotated: the file
// no longer starts with its anchor; with the anchor kept, the first record
// left does not follow it.
TEST_F(AuditLogTamperTest, RecordsRemovedFromTheFrontAreEvident) {
  std::vector<std::string> lines = lines_;
  lines.erase(lines.begin(), lines.begin() + 3);
  Write(lines);
  ExpectDataLossAt(TestKey(), "1: the file does not start with its anchor");
  lines = lines_;
  lines.erase(lines.begin() + 1, lines.begin() + 3);
  Write(lines);
  ExpectDataLossAt(TestKey(), "2: record seq 3 does not follow");
}

TEST_F(AuditLogTamperTest, AnchorMovedInsideTheFileIsEvident) {
  std::vector<std::string> lines = lines_;
  std::swap(lines[0], lines[1]);
  Write(lines);
  ExpectDataLossAt(TestKey(), "1: the file does not start with its anchor");
}

TEST_F(AuditLogTamperTest, AnotherKeyDoesNotVerifyAndCannotContinueTheLog) {
  const AuditKey other = *AuditKey::FromBytes(std::string(32, 'z'));
  ExpectDataLossAt(other, "1");
  absl::StatusOr<std::unique_ptr<JsonlFileSink>> sink =
      JsonlFileSink::Open(other, options_);
  ASSERT_THAT(sink, StatusIs(absl::StatusCode::kDataLoss));
}

// --- The engine writes to the file ---------------------------------------------

TEST(JsonlFileSinkTest, EngineDecisionsReachTheFile) {
  JsonlFileSinkOptions options;
  options.path = TempDir() + "/log.jsonl";
  auto sink = OpenSink(options);
  ASSERT_TRUE(sink);
  EngineOptions engine_options;
  engine_options.audit_sink = std::move(sink);
  auto engine =
      Engine::Create(PolicySource::Default(), std::move(engine_options));
  ASSERT_TRUE(engine.ok());
  const std::string answer = pip::EvaluateJson(*(*engine), 
      R"({"retention_due": {"kind": "inquiry", "event_at": "2023-05-10T14:00:00+09:00", "as_of": "2026-05-11T00:00:00+09:00"}})");
  EXPECT_THAT(answer, HasSubstr(R"("due":true)")) << "clause 7";
  bool partial = false;
  const std::vector<std::string> lines = Lines(ReadAll(options.path), &partial);
  ASSERT_EQ(lines.size(), 2u) << "the file's anchor and the decision";
  v1::AuditRecord r;
  ASSERT_TRUE(Parses(lines[1], &r));
  EXPECT_EQ(r.function(), "retention_due");
  EXPECT_EQ(r.outcome(), v1::OUTCOME_DUE);
  EXPECT_EQ(r.policy_hash(), (*engine)->policy_hash());
  EXPECT_OK(VerifyAuditLog(TestKey(), {options.path}));
}

}  // namespace
}  // namespace pip
