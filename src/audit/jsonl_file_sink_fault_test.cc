// Fault injection for the decision log (clause 5.4, ログの記録・監視):
// JsonlFileSink's write(2), fdatasync(2), rename(2) and ftruncate(2) are
// made to fail, through the table of src/audit/file_ops.h, at every call
// position of a run in turn:
//   - a short write, continued or followed by an error, and a cut that fails;
//   - a full disk (ENOSPC);
//   - an I/O error from fdatasync with `sync` on;
//   - a process killed (SIGKILL) just before or just after each rename of
//     a rotation, then the log reopened.
// After each fault the promises of the log are checked: a decision whose
// record is not in the log was withheld (UNAVAILABLE "audit log ..."), and
// only such; every returned decision is in the log exactly once, in order;
// the log verifies (VerifyAuditLog) with no partial line; numbering and
// chain continue, in the same sink and after a reopen. Each test prints how
// many fault runs it made.
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "pip/audit.h"
#include "pip/engine.h"
#include "src/audit/file_ops.h"
#include "tests/testing/requests.h"
#include "tests/testing/files.h"
#include "tests/testing/status_matchers.h"

namespace pip {
namespace {

using ::testing::HasSubstr;

AuditKey TestKey() {
  return *AuditKey::FromBytes("0123456789abcdef0123456789abcdef");
}

std::string TempDir() { return ::pip::testing::TempDir("pip_faults"); }

std::string ReadAll(const std::string& path) {
  return ::pip::testing::ReadIfPresent(path);
}

bool Exists(const std::string& path) {
  return ::access(path.c_str(), F_OK) == 0;
}

// --- The faults ---------------------------------------------------------------

// Which call of each operation fails, and how. Calls are counted from 1;
// 0 never fails.
struct Faults {
  int writes = 0;
  int syncs = 0;
  int renames = 0;
  int truncates = 0;
  // This write writes half of its bytes (a short write).
  int short_write_at = 0;
  // These writes fail with ENOSPC: [enospc_from, enospc_from + enospc_count).
  int enospc_from = 0;
  int enospc_count = 0;
  // This fdatasync fails with EIO.
  int eio_sync_at = 0;
  // These ftruncates fail with EIO: [1, truncate_failures].
  int truncate_failures = 0;
  // The process kills itself just before, or just after, this rename.
  int kill_before_rename_at = 0;
  int kill_after_rename_at = 0;
};
Faults g_faults;

ssize_t FaultyWrite(int fd, const void* data, size_t size) {
  const int call = ++g_faults.writes;
  if (g_faults.enospc_from > 0 && call >= g_faults.enospc_from &&
      call < g_faults.enospc_from + g_faults.enospc_count) {
    errno = ENOSPC;
    return -1;
  }
  if (call == g_faults.short_write_at && size > 1) size /= 2;
  return ::write(fd, data, size);
}

int FaultyFdatasync(int fd) {
  if (++g_faults.syncs == g_faults.eio_sync_at) {
    errno = EIO;
    return -1;
  }
  return ::fdatasync(fd);
}

int FaultyRename(const char* from, const char* to) {
  const int call = ++g_faults.renames;
  if (call == g_faults.kill_before_rename_at) ::raise(SIGKILL);
  const int result = ::rename(from, to);
  const int error = errno;
  if (call == g_faults.kill_after_rename_at) ::raise(SIGKILL);
  errno = error;
  return result;
}

int FaultyFtruncate(int fd, off_t length) {
  if (++g_faults.truncates <= g_faults.truncate_failures) {
    errno = EIO;
    return -1;
  }
  return ::ftruncate(fd, length);
}

// Installs the faulty operations with `faults` for its life.
class InjectFaults {
 public:
  explicit InjectFaults(const Faults& faults) {
    g_faults = faults;
    replaced_ = audit_internal::SetFileOpsForTesting(
        {FaultyWrite, FaultyFdatasync, FaultyRename, FaultyFtruncate});
  }
  ~InjectFaults() {
    audit_internal::SetFileOpsForTesting(replaced_);
    g_faults = Faults();
  }
  InjectFaults(const InjectFaults&) = delete;
  InjectFaults& operator=(const InjectFaults&) = delete;

 private:
  audit_internal::FileOps replaced_;
};

// --- Decisions and the log ------------------------------------------------------

// Decision `i` is about subject "c-<i>": its record holds that pseudonym.
std::string Subject(int i) { return absl::StrCat("c-", i); }

std::unique_ptr<Engine> AuditedEngine(const JsonlFileSinkOptions& options) {
  absl::StatusOr<std::unique_ptr<JsonlFileSink>> sink =
      JsonlFileSink::Open(TestKey(), options);
  if (!sink.ok()) {
    ADD_FAILURE() << sink.status();
    return nullptr;
  }
  EngineOptions engine_options;
  engine_options.audit_sink = *std::move(sink);
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::Default(), std::move(engine_options));
  if (!engine.ok()) {
    ADD_FAILURE() << engine.status();
    return nullptr;
  }
  return *std::move(engine);
}

absl::Status Decide(Engine& engine, int i) {
  v1::PurposeAllowedRequest request = testing::BillingRequest();
  request.set_subject_id(Subject(i));
  return engine.PurposeAllowed(request).status();
}

// Makes decisions `first` .. `last`; appends those returned to *returned.
// Every other one must have been withheld as UNAVAILABLE naming the log.
// Returns how many were withheld.
int DecideAll(Engine& engine, int first, int last, std::vector<int>* returned) {
  int withheld = 0;
  for (int i = first; i <= last; ++i) {
    const absl::Status status = Decide(engine, i);
    if (status.ok()) {
      returned->push_back(i);
      continue;
    }
    ++withheld;
    EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
    EXPECT_THAT(status.message(), HasSubstr("audit log")) << status;
  }
  return withheld;
}

// The log's files, oldest first. Fails the test when the rotated files
// have a gap (FILE.1 .. FILE.k must all exist) or a file is over the size.
std::vector<std::string> LogFiles(const JsonlFileSinkOptions& options) {
  std::vector<std::string> files;
  int top = 0;
  for (int i = 1; i <= options.max_rotated_files + 1; ++i) {
    if (Exists(absl::StrCat(options.path, ".", i))) top = i;
  }
  EXPECT_LE(top, options.max_rotated_files);
  for (int i = top; i >= 1; --i) {
    const std::string file = absl::StrCat(options.path, ".", i);
    EXPECT_TRUE(Exists(file)) << file << " is missing below " << options.path
                              << "." << top << ": a gap in the rotated files";
    if (Exists(file)) files.push_back(file);
  }
  if (Exists(options.path)) files.push_back(options.path);
  for (const std::string& file : files) {
    if (options.max_file_bytes > 0) {
      EXPECT_LE(ReadAll(file).size(), options.max_file_bytes) << file;
    }
  }
  return files;
}

// Checks the log against the decisions returned, in order: it verifies,
// holds no partial line, numbers its records 1, 2, ... (or, when rotation
// removed the oldest files, ends with a run of them that ends at the last)
// and holds the returned decisions exactly once each, and no other.
// `may_have_dropped_oldest`: rotation may have removed the oldest files.
void ExpectLogHoldsExactly(const JsonlFileSinkOptions& options,
                           const std::vector<int>& returned,
                           bool may_have_dropped_oldest = false) {
  const std::vector<std::string> files = LogFiles(options);
  absl::StatusOr<AuditLogReport> report = VerifyAuditLog(TestKey(), files);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->partial_lines.empty());

  std::vector<uint64_t> seqs;
  std::vector<std::string> subjects;
  for (const std::string& file : files) {
    std::vector<std::string> lines = absl::StrSplit(ReadAll(file), '\n');
    ASSERT_TRUE(lines.back().empty()) << file << " ends with a partial line";
    lines.pop_back();
    for (const std::string& line : lines) {
      v1::AuditRecord record;
      ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &record)
                      .ok())
          << line;
      if (record.file_start()) continue;
      seqs.push_back(record.seq());
      subjects.push_back(record.subject_pseudonym());
    }
  }
  ASSERT_EQ(seqs.size(), report->records);
  ASSERT_LE(subjects.size(), returned.size());
  if (!may_have_dropped_oldest) {
    ASSERT_EQ(subjects.size(), returned.size())
        << "a returned decision is missing from the log, or one is there "
           "twice or was withheld";
  }
  // The log's records are the last of the returned decisions, in order.
  const size_t skipped = returned.size() - subjects.size();
  for (size_t i = 0; i < subjects.size(); ++i) {
    EXPECT_EQ(subjects[i], TestKey().Pseudonym(Subject(returned[skipped + i])))
        << "record " << i + 1 << " of the log is not decision "
        << returned[skipped + i];
    EXPECT_EQ(seqs[i], skipped + i + 1) << "numbering";
  }
}

// Options of a log that rotates every few records.
JsonlFileSinkOptions RotatingLog(const std::string& dir, int kept_files,
                                 bool sync = false) {
  JsonlFileSinkOptions options;
  options.path = dir + "/decisions.jsonl";
  options.max_file_bytes = 3000;
  options.max_rotated_files = kept_files;
  options.sync = sync;
  return options;
}

constexpr int kDecisions = 12;  // in each run, before the reopen
constexpr int kAfterReopen = 8;  // enough for two more rotations

// Counts the calls of a run of kDecisions without faults.
Faults CountCalls(bool sync, int kept_files) {
  const JsonlFileSinkOptions options = RotatingLog(TempDir(), kept_files, sync);
  InjectFaults none{Faults()};
  std::vector<int> returned;
  {
    auto engine = AuditedEngine(options);
    if (engine) DecideAll(*engine, 1, kDecisions, &returned);
  }
  EXPECT_EQ(returned.size(), static_cast<size_t>(kDecisions));
  return g_faults;
}

// Runs kDecisions with `faults`, then reopens the log without faults and
// makes kAfterReopen more decisions; checks the log after each. Returns how
// many decisions the faults withheld.
int RunWithFaults(const Faults& faults, bool sync, int kept_files,
                  bool may_have_dropped_oldest = false) {
  const JsonlFileSinkOptions options = RotatingLog(TempDir(), kept_files, sync);
  std::vector<int> returned;
  int withheld = 0;
  {
    InjectFaults inject(faults);
    auto engine = AuditedEngine(options);
    if (!engine) return 0;
    withheld = DecideAll(*engine, 1, kDecisions, &returned);
  }
  ExpectLogHoldsExactly(options, returned, may_have_dropped_oldest);
  // The log continues after a reopen.
  {
    auto engine = AuditedEngine(options);
    if (!engine) return withheld;
    EXPECT_EQ(DecideAll(*engine, kDecisions + 1, kDecisions + kAfterReopen,
                        &returned),
              0);
  }
  ExpectLogHoldsExactly(options, returned, may_have_dropped_oldest);
  return withheld;
}

void ReportRuns(absl::string_view kind, int runs, int withheld) {
  std::cout << "[ faults   ] " << kind << ": " << runs << " fault runs, "
            << withheld
            << " decisions withheld and none of them in the log, every "
               "returned decision in it exactly once, the log verified"
            << std::endl;
}

// --- The tests ------------------------------------------------------------------

// Clause 5.4. A short write at any write of the run: continued, the record
// whole, the decision returned; followed by ENOSPC: the partial line cut,
// the decision withheld, the next record on the last whole line; and when
// the cut fails too, nothing is written until it succeeds.
TEST(JsonlFileSinkFaultTest, ShortWriteIsContinuedOrCutAtEveryWrite) {
  const int writes = CountCalls(/*sync=*/false, 10).writes;
  ASSERT_GE(writes, kDecisions);
  int runs = 0;
  int withheld = 0;
  for (int n = 1; n <= writes; ++n) {
    SCOPED_TRACE(absl::StrCat("short write at write ", n));
    Faults continued;
    continued.short_write_at = n;
    EXPECT_EQ(RunWithFaults(continued, false, 10), 0)
        << "a short write that is continued withholds nothing";
    Faults failed = continued;
    failed.enospc_from = n + 1;
    failed.enospc_count = 1;
    const int cut = RunWithFaults(failed, false, 10);
    EXPECT_EQ(cut, 1);
    Faults cut_fails = failed;
    cut_fails.truncate_failures = 2;  // the cut, and its retry
    runs += 2;
    withheld += cut;
    // The last decision has no decision after it to withhold.
    if (n == writes) continue;
    const int held = RunWithFaults(cut_fails, false, 10);
    EXPECT_EQ(held, 2) << "the decision after a failed cut is withheld too";
    ++runs;
    withheld += held;
  }
  ReportRuns("short writes (continued, then ENOSPC, then the cut failing)",
             runs, withheld);
}

// Clause 5.4. The disk is full (ENOSPC) at any write, twice in a row: both
// decisions withheld, nothing of them in the file, the log continues.
TEST(JsonlFileSinkFaultTest, NoSpaceAtEveryWriteWithholdsAndTheLogContinues) {
  const int writes = CountCalls(/*sync=*/false, 10).writes;
  int runs = 0;
  int withheld = 0;
  for (int n = 1; n <= writes; ++n) {
    SCOPED_TRACE(absl::StrCat("ENOSPC at write ", n));
    Faults faults;
    faults.enospc_from = n;
    faults.enospc_count = 2;
    const int held = RunWithFaults(faults, false, 10);
    EXPECT_EQ(held, n == writes ? 1 : 2);
    ++runs;
    withheld += held;
  }
  ReportRuns("ENOSPC on write", runs, withheld);
}

// Clause 5.4. With `sync`, fdatasync fails (EIO) at any call: the decision
// is withheld and its record cut, so the log holds no decision that was
// not returned; the next record is written and synced afresh.
TEST(JsonlFileSinkFaultTest, SyncErrorAtEverySyncWithholdsAndCutsTheRecord) {
  const int syncs = CountCalls(/*sync=*/true, 10).syncs;
  ASSERT_GE(syncs, kDecisions);
  int runs = 0;
  int withheld = 0;
  for (int n = 1; n <= syncs; ++n) {
    SCOPED_TRACE(absl::StrCat("EIO at fdatasync ", n));
    Faults faults;
    faults.eio_sync_at = n;
    const int held = RunWithFaults(faults, /*sync=*/true, 10);
    EXPECT_EQ(held, 1);
    ++runs;
    withheld += held;
  }
  ReportRuns("EIO from fdatasync", runs, withheld);
}

// A child process makes kDecisions decisions, telling the parent through
// `pipe` each one that was returned, and is killed at the rename `faults`
// names. Returns the decisions returned before the kill.
std::vector<int> DecideUntilKilled(const JsonlFileSinkOptions& options,
                                   const Faults& faults) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  EXPECT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    InjectFaults inject(faults);
    auto engine = AuditedEngine(options);
    if (!engine) ::_exit(3);
    for (int i = 1; i <= kDecisions; ++i) {
      if (!Decide(*engine, i).ok()) ::_exit(4);
      if (::write(fds[1], &i, sizeof i) != sizeof i) ::_exit(5);
    }
    ::_exit(6);  // the kill point was never reached
  }
  ::close(fds[1]);
  std::vector<int> returned;
  int i = 0;
  while (::read(fds[0], &i, sizeof i) == sizeof i) returned.push_back(i);
  ::close(fds[0]);
  int status = 0;
  EXPECT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "the writer was not killed at its rename (exit "
      << (WIFEXITED(status) ? WEXITSTATUS(status) : -1) << ")";
  return returned;
}

// Clause 5.4. A writer killed just before or just after any rename of its
// rotations: the reopened log verifies, has no gap among its rotated files,
// holds every decision returned before the kill exactly once, and
// continues the numbering and the chain through further rotations. With 3
// rotated files kept, rotation removes the oldest records, as it should,
// and no others.
TEST(JsonlFileSinkFaultTest, KillAtEveryRenameOfARotationLeavesALogThatContinues) {
  int runs = 0;
  int killed = 0;
  for (const int kept : {10, 3}) {
    const int renames = CountCalls(/*sync=*/false, kept).renames;
    ASSERT_GE(renames, 3) << "the run rotates";
    for (int n = 1; n <= renames; ++n) {
      for (const bool after : {false, true}) {
        SCOPED_TRACE(absl::StrCat(kept, " files kept, killed ",
                                  after ? "after" : "before", " rename ", n));
        const JsonlFileSinkOptions options = RotatingLog(TempDir(), kept);
        Faults faults;
        (after ? faults.kill_after_rename_at : faults.kill_before_rename_at) =
            n;
        std::vector<int> returned = DecideUntilKilled(options, faults);
        ASSERT_FALSE(returned.empty());
        ASSERT_LT(returned.size(), static_cast<size_t>(kDecisions));
        ++killed;  // the decision being recorded when the writer was killed
        for (size_t i = 0; i < returned.size(); ++i) {
          ASSERT_EQ(returned[i], static_cast<int>(i) + 1);
        }
        // The reopened log continues through two more rotations.
        {
          auto engine = AuditedEngine(options);
          ASSERT_TRUE(engine);
          const int next = static_cast<int>(returned.size()) + 1;
          EXPECT_EQ(DecideAll(*engine, next, next + kAfterReopen - 1,
                              &returned),
                    0);
        }
        ExpectLogHoldsExactly(options, returned,
                              /*may_have_dropped_oldest=*/kept == 3);
        ++runs;
      }
    }
  }
  ReportRuns("SIGKILL before or after each rename of a rotation", runs,
             killed);
}

}  // namespace
}  // namespace pip
