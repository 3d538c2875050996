// pip/audit.h: the decision log (clause 5.4, ログの記録・監視).
//
// An Engine with an AuditSink attached records every decision it makes as a
// pip.v1.AuditRecord (proto/pip/v1/audit.proto): when, as of when, under
// which policy (version, hash, revision), which function, the outcome, the
// reason codes with their clauses, a pseudonym of the subject and a digest
// of the request. No personal data goes into the log: subject, consent,
// request and hold ids are replaced by keyed hashes (HMAC-SHA-256) under an
// AuditKey the company supplies, so that the log proves what was decided for
// whom without holding who. audit.proto defines every hash exactly.
//
// JsonlFileSink writes the records as JSON lines to an append-only file,
// chains each line to the one before it with a keyed hash (so that a changed
// or removed line is evident to VerifyAuditLog) and rotates by size.
//
// Example:
//
//   absl::StatusOr<pip::AuditKey> key = pip::AuditKey::FromFile("/etc/pip/audit.key");
//   if (!key.ok()) return key.status();
//   pip::JsonlFileSinkOptions options;
//   options.path = "/var/log/pip/decisions.jsonl";
//   absl::StatusOr<std::unique_ptr<pip::JsonlFileSink>> sink =
//       pip::JsonlFileSink::Open(*key, options);
//   if (!sink.ok()) return sink.status();
//   pip::EngineOptions engine_options;
//   engine_options.audit_sink = *std::move(sink);
//   auto engine = pip::Engine::Create(pip::PolicySource::Default(),
//                                     std::move(engine_options));
//   // A decision whose record cannot be written is never returned: the
//   // engine returns absl::UnavailableError instead.
#ifndef PIP_AUDIT_H_
#define PIP_AUDIT_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "pip/v1/audit.pb.h"

namespace pip {
namespace internal {
class HmacSha256;
}  // namespace internal

// The company's secret for pseudonyms and the log's chain. Immutable.
//
// Thread-safety: safe to use from any number of threads.
class AuditKey {
 public:
  // Fewest key bytes accepted: 32 (256 bits), the output size of SHA-256.
  static constexpr size_t kMinBytes = 32;

  // A key of exactly `bytes` (any bytes). Returns InvalidArgumentError when
  // it is shorter than kMinBytes: a short key would let anyone holding the
  // log guess subject ids back from their pseudonyms.
  static absl::StatusOr<AuditKey> FromBytes(absl::string_view bytes);

  // A key of exactly the bytes of the file at `path` (a trailing newline
  // counts; create one with `openssl rand 32 > FILE`). Returns NotFoundError
  // when the file cannot be read, InvalidArgumentError as FromBytes.
  static absl::StatusOr<AuditKey> FromFile(const std::string& path);

  // Lowercase hex HMAC-SHA-256(key, 0x01 || id): the pseudonym of a subject,
  // consent, request or hold id.
  std::string Pseudonym(absl::string_view id) const;

  // Lowercase hex HMAC-SHA-256(key, 0x02 || bytes): the chain value of a
  // record's serialization.
  std::string ChainMac(absl::string_view bytes) const;

  // Names the key without revealing it: the first 16 hex digits of
  // HMAC-SHA-256(key, 0x00 || "key id").
  const std::string& id() const { return id_; }

 private:
  explicit AuditKey(absl::string_view key);

  // The keyed HMAC states, shared by copies of the key.
  std::shared_ptr<const internal::HmacSha256> mac_;
  std::string id_;
};

// Where an Engine sends its decision records.
//
// The engine calls Record() once per decision, from whichever thread
// evaluates, possibly from many threads at once, after the decision is made
// and before it is returned. The engine fills every field of the record
// except `seq`, `prev_chain` and `chain`, which belong to the log writer.
//
// Thread-safety: implementations must be thread-safe; Record() and Flush()
// are called concurrently.
class AuditSink {
 public:
  // `key` pseudonymizes the ids of every record sent to this sink.
  explicit AuditSink(AuditKey key) : key_(std::move(key)) {}
  virtual ~AuditSink() = default;
  AuditSink(const AuditSink&) = delete;
  AuditSink& operator=(const AuditSink&) = delete;

  // Stores `record`. Returns OK only once the record is stored as durably
  // as the sink promises; any error makes the engine withhold the decision
  // (it returns absl::UnavailableError naming the log instead).
  virtual absl::Status Record(const v1::AuditRecord& record) = 0;

  // Makes every record accepted so far durable. Returns an error naming
  // the log when it cannot.
  virtual absl::Status Flush() = 0;

  // The key the engine pseudonymizes this sink's records with.
  const AuditKey& key() const { return key_; }

 private:
  const AuditKey key_;
};

// When a JsonlFileSink writes records to its file.
enum class AuditFlushMode {
  // Each record is written (one write(2) of one whole line) before Record()
  // returns: a decision is never returned before its line is in the file,
  // and a process killed at any moment loses no returned decision.
  kEveryRecord,
  // Records are kept in memory and written together (one write(2)) once
  // `batch_records` have gathered, on Flush(), and when the sink is
  // destroyed. Faster, but a process killed in between loses the records
  // of up to one batch of decisions that were already returned.
  kBatch,
};

// Options of a JsonlFileSink.
struct JsonlFileSinkOptions {
  // The log file; created (mode 0600) if missing, else appended to.
  // Required. Rotated files are `path`.1 (the newest) to `path`.N.
  std::string path;
  // When records reach the file. Default: each record before Record()
  // returns.
  AuditFlushMode flush = AuditFlushMode::kEveryRecord;
  // With AuditFlushMode::kBatch: records gathered before they are written.
  // At least 1. Default 64.
  int batch_records = 64;
  // fdatasync(2) after every write, so that records survive a power loss
  // and not only a killed process. Default off (the kernel writes the page
  // cache back on its own schedule).
  bool sync = false;
  // The file is rotated before a write would take it past this size, in
  // bytes. 0 never rotates. Default 64 MiB.
  uint64_t max_file_bytes = uint64_t{64} << 20;
  // Rotated files kept, `path`.1 to `path`.N; the oldest beyond N is
  // removed. At least 1 when max_file_bytes is set (rotating into nothing
  // would throw the log away). Default 10.
  int max_rotated_files = 10;
};

// An AuditSink writing JSON lines (one pip.v1.AuditRecord a line, proto3
// JSON with proto field names) to an append-only file.
//
// Durability: the file is opened with O_APPEND and each write is one
// write(2) of whole lines (a short write is continued), so a process killed
// mid-write leaves at most a partial last line. A reopened sink cuts such
// a partial line (its decision was never returned), and continues the
// numbering and the chain of the last whole record (in `path`, or in
// `path`.1 when `path` is empty). A write that fails part way (a short
// write followed by an error, ENOSPC) is cut back to its last whole line the
// same way; with `sync`, a write whose fdatasync(2) fails is cut whole. When
// the cut itself fails, nothing more is written until it succeeds. A
// rotation interrupted between two renames (a killed process) is finished
// by the next Open() or rotation, so the rotated files keep no gap. Every
// file of the log starts with an anchor line (AuditRecord.file_start)
// written with its first records. The file is locked (flock) while open: a
// second writer, in this process or another, is refused.
//
// A failed write is reported by Record() (kEveryRecord) or by the Record()
// or Flush() that writes the batch (kBatch), as UnavailableError naming the
// file and the system error; the failed records are not numbered or chained,
// and the next write tries again after the last whole line.
//
// Thread-safety: thread-safe. Lines of concurrent records never interleave.
class JsonlFileSink final : public AuditSink {
 public:
  // Opens (creating if needed) the log at options.path. Returns
  // InvalidArgumentError for bad options (naming the field),
  // UnavailableError when the file cannot be opened or read,
  // FailedPreconditionError when another writer holds it, and
  // DataLossError when its last whole line is not a record this key signed
  // (the chain cannot be continued; move the file aside).
  static absl::StatusOr<std::unique_ptr<JsonlFileSink>> Open(
      const AuditKey& key, const JsonlFileSinkOptions& options);

  // Writes what is buffered (errors are lost; call Flush() first to see
  // them) and closes the file.
  ~JsonlFileSink() override;

  absl::Status Record(const v1::AuditRecord& record) override;

  // Writes the buffered records and fdatasyncs the file.
  absl::Status Flush() override;

 private:
  JsonlFileSink(const AuditKey& key, const JsonlFileSinkOptions& options);
  absl::Status OpenFileLocked();
  absl::Status RotateLocked();
  absl::Status FlushLocked();
  // Cuts the file back to file_bytes_ when cut_pending_.
  absl::Status CutLocked();
  // Appends the anchor line a file starts with (AuditRecord.file_start).
  absl::Status AppendAnchorLocked(std::string* out);

  const JsonlFileSinkOptions options_;
  std::mutex mu_;
  int fd_ = -1;                    // guarded by mu_
  uint64_t file_bytes_ = 0;        // guarded by mu_
  // Whether the file holds bytes past file_bytes_ (of a failed write)
  // that must be cut before anything else is written.
  bool cut_pending_ = false;       // guarded by mu_
  // seq and chain the next record takes.
  uint64_t next_seq_ = 1;          // guarded by mu_
  std::string prev_chain_;         // guarded by mu_
  // The same as of the last record that reached the file.
  uint64_t written_seq_ = 1;       // guarded by mu_
  std::string written_chain_;      // guarded by mu_
  // Lines not yet written, and for each record in them the offset where its
  // line ends and its chain.
  std::string batch_;                                         // guarded by mu_
  std::vector<std::pair<size_t, std::string>> batch_ends_;    // guarded by mu_
};

// What VerifyAuditLog found.
struct AuditLogReport {
  // Records that verified.
  uint64_t records = 0;
  // "FILE:LINE" of the partial line the newest file ends with, if it does:
  // a writer killed mid-write (its decision was never returned). At most
  // one; a reopened writer cuts it.
  std::vector<std::string> partial_lines;
};

// Checks the decision log `files`, oldest first (e.g. FILE.2, FILE.1,
// FILE), and accepts only what a JsonlFileSink wrote:
//   - every file that is not empty starts with its anchor
//     (AuditRecord.file_start), which names the seq and prev_chain of the
//     record after it, so records removed from the front of a file are
//     evident; an anchor anywhere else is an error;
//   - every other line is a record read by the strict JSON reader of
//     requests (a key given twice, an unknown key, anything but one object
//     is refused), whose chain matches its content under `key`, whose
//     prev_chain is the chain of the record before it and whose seq follows
//     it, across files too;
//   - the one partial line allowed is the end of the newest file, where a
//     writer killed mid-write leaves it (reported in partial_lines).
// The oldest file's anchor cannot be checked against a file rotated away;
// when it says it starts the log, its seq must be 1. Returns DataLossError
// naming FILE:LINE and what is wrong at the first line that was changed,
// inserted, removed, reordered or signed with another key, NotFoundError
// when a file cannot be read.
//
// Thread-safety: safe to call concurrently; do not verify a file while a
// sink writes it (the last line may be incomplete).
absl::StatusOr<AuditLogReport> VerifyAuditLog(
    const AuditKey& key, const std::vector<std::string>& files);

}  // namespace pip

#endif  // PIP_AUDIT_H_
