// JsonlFileSink: the decision log as an append-only file of JSON lines.
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "pip/audit.h"
#include "src/audit/file_ops.h"
#include "src/codec/json_codec.h"
#include "src/internal/digest.h"

namespace pip {
namespace audit_internal {

FileOps SystemFileOps() {
  return FileOps{::write, ::fdatasync, ::rename, ::ftruncate};
}

FileOps g_file_ops = SystemFileOps();

FileOps SetFileOpsForTesting(const FileOps& ops) {
  const FileOps replaced = g_file_ops;
  g_file_ops = ops;
  return replaced;
}

}  // namespace audit_internal

namespace {

using audit_internal::g_file_ops;

absl::Status SystemError(const std::string& path, absl::string_view what,
                         int error) {
  return absl::UnavailableError(absl::StrCat("audit log '", path, "': ", what,
                                             ": ", std::strerror(error)));
}

// Writes all of `bytes` to `fd`: one write(2), continued after a short
// write or a signal. Returns the bytes written and sets *error on failure.
size_t WriteAll(int fd, absl::string_view bytes, int* error) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n =
        g_file_ops.write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = errno;
      return done;
    }
    done += static_cast<size_t>(n);
  }
  return done;
}

// Reads the whole file at `path` into *out. Returns false with *error set
// when it cannot; a missing file reads as empty.
bool ReadFileBytes(const std::string& path, std::string* out, int* error) {
  out->clear();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return true;
    *error = errno;
    return false;
  }
  char buffer[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = errno;
      ::close(fd);
      return false;
    }
    if (n == 0) break;
    out->append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return true;
}

// Parses one line as an AuditRecord with the strict reader of requests
// (src/codec/json_codec.h): a key given twice, an unknown key or anything
// but one JSON object is refused, so that no reader of the log can take a
// line for something another reader reads differently.
absl::Status ParseRecord(absl::string_view line, v1::AuditRecord* record) {
  record->Clear();
  return engine_internal::ParseJsonMessage(line, record);
}

// Whether `record`'s chain is the keyed hash of its content under `key`.
bool ChainMatches(const AuditKey& key, const v1::AuditRecord& record) {
  v1::AuditRecord unchained = record;
  unchained.clear_chain();
  return !record.chain().empty() &&
         key.ChainMac(internal::DeterministicBytes(unchained)) ==
             record.chain();
}

// The end of a log file, as a reopened writer needs it.
struct Tail {
  bool ends_mid_line = false;
  // The size of the file without the partial line it ends with.
  uint64_t whole_bytes = 0;
  bool found = false;
  // The last whole record, or the file's anchor when no record follows it.
  v1::AuditRecord last;
};

// Finds the last whole record of `bytes` (a line that does not parse is
// skipped here; the verifier reports it). Returns DataLossError when that
// record's chain does not match under `key`.
absl::Status FindTail(const AuditKey& key, const std::string& path,
                      const std::string& bytes, Tail* tail) {
  tail->ends_mid_line = !bytes.empty() && bytes.back() != '\n';
  std::vector<absl::string_view> lines = absl::StrSplit(bytes, '\n');
  // The segment after the last newline is empty or a partial line.
  lines.pop_back();
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    if (!ParseRecord(*it, &tail->last).ok()) continue;
    if (!ChainMatches(key, tail->last)) {
      return absl::DataLossError(absl::StrCat(
          "audit log '", path, "': its last record (seq ", tail->last.seq(),
          ") does not match its chain under this key (key id ", key.id(),
          "): the file was changed or written with another key; move it "
          "aside to start a new log"));
    }
    tail->found = true;
    return absl::OkStatus();
  }
  return absl::OkStatus();
}

// Reads the end of the file at `path` (a missing file is empty), from the
// last kTailWindow bytes back, four times more each round, until it holds a
// whole record or the whole file, and finds the last record in it.
absl::Status ReadTail(const AuditKey& key, const std::string& path,
                      Tail* tail, uint64_t* file_bytes) {
  constexpr uint64_t kTailWindow = 1 << 20;
  *file_bytes = 0;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return absl::OkStatus();
    return SystemError(path, "cannot read", errno);
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int error = errno;
    ::close(fd);
    return SystemError(path, "cannot stat", error);
  }
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  *file_bytes = size;
  absl::Status status;
  for (uint64_t window = kTailWindow;; window *= 4) {
    const uint64_t start = size > window ? size - window : 0;
    std::string bytes(size - start, '\0');
    size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::pread(fd, &bytes[done], bytes.size() - done,
                                static_cast<off_t>(start + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        status = SystemError(path, "cannot read", n < 0 ? errno : EIO);
        break;
      }
      done += static_cast<size_t>(n);
    }
    if (!status.ok()) break;
    const bool ends_mid_line = !bytes.empty() && bytes.back() != '\n';
    const size_t last_newline = bytes.rfind('\n');
    // A window that starts inside the file may start inside a line.
    if (start > 0) bytes.erase(0, std::min(bytes.find('\n') + 1, bytes.size()));
    status = FindTail(key, path, bytes, tail);
    tail->ends_mid_line = ends_mid_line;
    // Exact whenever the loop stops: a record found means the window holds
    // a newline; otherwise it reads on to the start of the file.
    tail->whole_bytes =
        last_newline == std::string::npos ? start : start + last_newline + 1;
    if (!status.ok() || tail->found || start == 0) break;
  }
  ::close(fd);
  return status;
}

std::string RotatedPath(const std::string& path, int i) {
  return absl::StrCat(path, ".", i);
}

// The first of `path`.1 to `path`.`max_rotated` that does not exist, or 0
// when they all do.
int FirstFreeRotated(const std::string& path, int max_rotated) {
  for (int i = 1; i <= max_rotated; ++i) {
    if (::access(RotatedPath(path, i).c_str(), F_OK) != 0) return i;
  }
  return 0;
}

// Whether a rotation was interrupted between two renames: a rotated file is
// missing below one that exists.
bool RotationInterrupted(const std::string& path, int max_rotated) {
  const int free_index = FirstFreeRotated(path, max_rotated);
  if (free_index == 0) return false;
  for (int i = free_index + 1; i <= max_rotated; ++i) {
    if (::access(RotatedPath(path, i).c_str(), F_OK) == 0) return true;
  }
  return false;
}

}  // namespace

JsonlFileSink::JsonlFileSink(const AuditKey& key,
                             const JsonlFileSinkOptions& options)
    : AuditSink(key), options_(options) {}

absl::StatusOr<std::unique_ptr<JsonlFileSink>> JsonlFileSink::Open(
    const AuditKey& key, const JsonlFileSinkOptions& options) {
  if (options.path.empty()) {
    return absl::InvalidArgumentError("JsonlFileSinkOptions.path: required");
  }
  if (options.batch_records < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("JsonlFileSinkOptions.batch_records: ",
                     options.batch_records, "; must be at least 1"));
  }
  if (options.max_file_bytes > 0 && options.max_rotated_files < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "JsonlFileSinkOptions.max_rotated_files: ", options.max_rotated_files,
        "; must be at least 1 when max_file_bytes is set (rotating into no "
        "file would discard the log)"));
  }
  std::unique_ptr<JsonlFileSink> sink(new JsonlFileSink(key, options));
  std::lock_guard<std::mutex> lock(sink->mu_);
  // Lock before reading the tail, so that no other writer adds to it.
  absl::Status opened = sink->OpenFileLocked();
  if (!opened.ok()) return opened;

  Tail tail;
  uint64_t size = 0;
  absl::Status found = ReadTail(key, options.path, &tail, &size);
  if (!found.ok()) return found;
  if (tail.ends_mid_line) {
    // The partial line of a writer killed mid-write: its decision was never
    // returned. Cut it, so that every line of a file but the newest file's
    // torn end is a whole record (VerifyAuditLog allows nothing else).
    if (g_file_ops.ftruncate(sink->fd_,
                             static_cast<off_t>(tail.whole_bytes)) != 0) {
      return SystemError(options.path, "cannot cut its partial last line",
                         errno);
    }
    size = tail.whole_bytes;
  }
  if (size > 0 && options.max_file_bytes > 0 &&
      RotationInterrupted(options.path, options.max_rotated_files)) {
    // A writer killed between two renames of a rotation: finish it, so
    // that the rotated files have no gap and the next rotation replaces no
    // file before its time. The fresh file continues the chain of FILE.1.
    absl::Status rotated = sink->RotateLocked();
    if (!rotated.ok()) return rotated;
    size = 0;
    tail = Tail();
  }
  sink->file_bytes_ = size;
  if (!tail.found && size == 0) {
    // A fresh file after a rotation: continue the chain of the newest
    // rotated file.
    Tail rotated;
    uint64_t rotated_size = 0;
    found = ReadTail(key, absl::StrCat(options.path, ".1"), &rotated,
                     &rotated_size);
    if (!found.ok()) return found;
    if (rotated.found) tail = std::move(rotated);
  }
  if (tail.found && tail.last.file_start()) {
    // An anchor with no record after it names the record that comes next.
    sink->next_seq_ = tail.last.seq();
    sink->prev_chain_ = tail.last.prev_chain();
  } else if (tail.found) {
    sink->next_seq_ = tail.last.seq() + 1;
    sink->prev_chain_ = tail.last.chain();
  }
  sink->written_seq_ = sink->next_seq_;
  sink->written_chain_ = sink->prev_chain_;
  return sink;
}

JsonlFileSink::~JsonlFileSink() {
  std::lock_guard<std::mutex> lock(mu_);
  (void)FlushLocked();
  if (fd_ >= 0) ::close(fd_);
}

absl::Status JsonlFileSink::OpenFileLocked() {
  const int fd = ::open(options_.path.c_str(),
                        O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return SystemError(options_.path, "cannot open", errno);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK) {
      return absl::FailedPreconditionError(
          absl::StrCat("audit log '", options_.path,
                       "' is held by another writer (one writer per log)"));
    }
    return SystemError(options_.path, "cannot lock", error);
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int error = errno;
    ::close(fd);
    return SystemError(options_.path, "cannot stat", error);
  }
  fd_ = fd;
  file_bytes_ = static_cast<uint64_t>(st.st_size);
  return absl::OkStatus();
}

absl::Status JsonlFileSink::RotateLocked() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  // FILE.1 .. FILE.(k-1) move up one into the first free place k (or, when
  // none is free, FILE.N, the oldest, is replaced), then FILE becomes
  // FILE.1. A rotation interrupted between two renames leaves a free place
  // below the files it moved, which the next rotation (or Open) fills.
  const int free_index =
      FirstFreeRotated(options_.path, options_.max_rotated_files);
  const int top = free_index == 0 ? options_.max_rotated_files : free_index;
  for (int i = top - 1; i >= 1; --i) {
    const std::string from = RotatedPath(options_.path, i);
    const std::string to = RotatedPath(options_.path, i + 1);
    if (g_file_ops.rename(from.c_str(), to.c_str()) != 0 && errno != ENOENT) {
      return SystemError(from, "cannot rotate", errno);
    }
  }
  const std::string first = RotatedPath(options_.path, 1);
  if (g_file_ops.rename(options_.path.c_str(), first.c_str()) != 0) {
    return SystemError(options_.path, "cannot rotate", errno);
  }
  return OpenFileLocked();
}

absl::Status JsonlFileSink::Record(const v1::AuditRecord& in) {
  v1::AuditRecord record = in;
  record.clear_chain();

  std::lock_guard<std::mutex> lock(mu_);
  record.set_seq(next_seq_);
  record.set_prev_chain(prev_chain_);
  record.set_chain(key().ChainMac(internal::DeterministicBytes(record)));
  std::string line;
  // The line protobuf's MessageToJsonString prints with proto field names,
  // which readers of the log parse; printed in one pass rather than through
  // protobuf's type resolver, which cost most of an audited decision.
  const absl::Status printed = engine_internal::AppendJsonMessage(
      record, &line, engine_internal::JsonFields::kSet);
  if (!printed.ok()) {
    return absl::InternalError(
        absl::StrCat("audit log '", options_.path, "': cannot print record: ",
                     absl::string_view(printed.message().data(),
                                       printed.message().size())));
  }
  line.push_back('\n');
  batch_.append(line);
  batch_ends_.emplace_back(batch_.size(), record.chain());
  ++next_seq_;
  prev_chain_ = record.chain();
  if (options_.flush == AuditFlushMode::kEveryRecord ||
      batch_ends_.size() >= static_cast<size_t>(options_.batch_records)) {
    return FlushLocked();
  }
  return absl::OkStatus();
}

absl::Status JsonlFileSink::CutLocked() {
  if (!cut_pending_) return absl::OkStatus();
  if (g_file_ops.ftruncate(fd_, static_cast<off_t>(file_bytes_)) != 0) {
    return SystemError(options_.path, "cannot cut the lines of a failed write",
                       errno);
  }
  cut_pending_ = false;
  return absl::OkStatus();
}

absl::Status JsonlFileSink::FlushLocked() {
  // The bytes of a failed write that could not be cut are cut before
  // anything is written after them; until then nothing is.
  absl::Status status = CutLocked();
  if (batch_.empty()) return status;
  std::string out;
  if (status.ok() && fd_ < 0) status = OpenFileLocked();
  if (status.ok() && options_.max_file_bytes > 0 && file_bytes_ > 0 &&
      file_bytes_ + batch_.size() > options_.max_file_bytes) {
    status = RotateLocked();
  }
  // A file starts with its anchor, written with its first records.
  if (status.ok() && file_bytes_ == 0) status = AppendAnchorLocked(&out);
  const size_t lead = out.size();
  size_t written = 0;
  if (status.ok()) {
    out.append(batch_);
    int error = 0;
    const uint64_t before = file_bytes_;
    const size_t sent = WriteAll(fd_, out, &error);
    if (sent < out.size()) {
      status = SystemError(options_.path, "cannot write", error);
      // Keep the lines that got through whole, cut the part of a line
      // after them, so that the file holds whole lines only.
      written = sent == 0 ? 0
                          : absl::string_view(out.data(), sent).rfind('\n') +
                                1;  // npos + 1 == 0
    } else if (options_.sync && g_file_ops.fdatasync(fd_) != 0) {
      status = SystemError(options_.path, "cannot sync", errno);
      // The records are withheld, and after a failed fdatasync their bytes
      // may never reach the disk: cut all of them, so that the log holds
      // no record of a decision that was not returned, and the next write
      // writes (and syncs) its bytes afresh.
      written = 0;
    } else {
      written = sent;
    }
    file_bytes_ = before + written;
    if (written < sent) {
      cut_pending_ = true;
      (void)CutLocked();  // else the next flush cuts them first
    }
  }
  // The chain continues from the last record whose whole line stays in the
  // file; records after it were not written and are not numbered.
  uint64_t seq = written_seq_;
  std::string chain = written_chain_;
  for (const auto& [end, record_chain] : batch_ends_) {
    if (lead + end > written) break;
    ++seq;
    chain = record_chain;
  }
  written_seq_ = next_seq_ = seq;
  written_chain_ = prev_chain_ = chain;
  batch_.clear();
  batch_ends_.clear();
  return status;
}

absl::Status JsonlFileSink::AppendAnchorLocked(std::string* out) {
  v1::AuditRecord anchor;
  anchor.set_seq(written_seq_);
  anchor.set_prev_chain(written_chain_);
  anchor.set_key_id(key().id());
  anchor.set_file_start(true);
  *anchor.mutable_recorded_at() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
          absl::ToUnixNanos(absl::Now()));
  anchor.set_chain(key().ChainMac(internal::DeterministicBytes(anchor)));
  const absl::Status printed = engine_internal::AppendJsonMessage(
      anchor, out, engine_internal::JsonFields::kSet);
  if (!printed.ok()) {
    return absl::InternalError(
        absl::StrCat("audit log '", options_.path, "': cannot print anchor: ",
                     absl::string_view(printed.message().data(),
                                       printed.message().size())));
  }
  out->push_back('\n');
  return absl::OkStatus();
}

absl::Status JsonlFileSink::Flush() {
  std::lock_guard<std::mutex> lock(mu_);
  absl::Status status = FlushLocked();
  if (status.ok() && fd_ >= 0 && g_file_ops.fdatasync(fd_) != 0) {
    status = SystemError(options_.path, "cannot sync", errno);
  }
  return status;
}

absl::StatusOr<AuditLogReport> VerifyAuditLog(
    const AuditKey& key, const std::vector<std::string>& files) {
  AuditLogReport report;
  bool have_previous = false;
  // The seq and prev_chain the next record must have, from the record
  // before it or from its file's anchor.
  uint64_t next_seq = 0;
  std::string next_prev_chain;
  for (size_t f = 0; f < files.size(); ++f) {
    const std::string& file = files[f];
    const bool newest = f + 1 == files.size();
    std::string bytes;
    int error = 0;
    if (::access(file.c_str(), R_OK) != 0 ||
        !ReadFileBytes(file, &bytes, &error)) {
      return absl::NotFoundError(
          absl::StrCat("cannot read audit log '", file, "'"));
    }
    std::vector<absl::string_view> lines = absl::StrSplit(bytes, '\n');
    // The segment after the last newline: empty, or a torn line.
    const absl::string_view torn = lines.back();
    lines.pop_back();
    for (size_t i = 0; i < lines.size(); ++i) {
      const std::string where = absl::StrCat(file, ":", i + 1);
      v1::AuditRecord record;
      const absl::Status parsed = ParseRecord(lines[i], &record);
      if (!parsed.ok()) {
        return absl::DataLossError(absl::StrCat(
            where, ": not a record of the log (",
            absl::string_view(parsed.message().data(), parsed.message().size()),
            "): a line was inserted or changed; only the end of the newest "
            "file may hold a partial line"));
      }
      if (!ChainMatches(key, record)) {
        return absl::DataLossError(absl::StrCat(
            where, ": ", record.file_start() ? "anchor" : "record", " seq ",
            record.seq(), " does not match its chain under key id ", key.id(),
            " (changed, or written with another key)"));
      }
      if (i == 0) {
        if (!record.file_start()) {
          return absl::DataLossError(absl::StrCat(
              where, ": the file does not start with its anchor: records "
                     "were removed from its front"));
        }
        if (have_previous) {
          if (record.seq() != next_seq ||
              record.prev_chain() != next_prev_chain) {
            return absl::DataLossError(absl::StrCat(
                where, ": the file's anchor (seq ", record.seq(),
                ") does not follow the file before it (a file or records "
                "were removed, or the files are out of order)"));
          }
        } else if (record.prev_chain().empty() && record.seq() != 1) {
          return absl::DataLossError(absl::StrCat(
              where, ": the anchor of seq ", record.seq(),
              " claims to start the log but is not seq 1"));
        }
        next_seq = record.seq();
        next_prev_chain = record.prev_chain();
        have_previous = true;
        continue;
      }
      if (record.file_start()) {
        return absl::DataLossError(absl::StrCat(
            where, ": an anchor inside a file (files were joined, or records "
                   "removed before it)"));
      }
      if (record.seq() != next_seq || record.prev_chain() != next_prev_chain) {
        return absl::DataLossError(absl::StrCat(
            where, ": record seq ", record.seq(), " does not follow seq ",
            next_seq - 1, " (a record was removed, reordered or inserted)"));
      }
      next_seq = record.seq() + 1;
      next_prev_chain = record.chain();
      ++report.records;
    }
    if (!torn.empty()) {
      if (!newest) {
        return absl::DataLossError(absl::StrCat(
            file, ":", lines.size() + 1,
            ": a partial line in a file that is not the newest (only a "
            "writer killed mid-write leaves one, at the end of the log)"));
      }
      report.partial_lines.push_back(absl::StrCat(file, ":", lines.size() + 1));
    }
  }
  return report;
}

}  // namespace pip
