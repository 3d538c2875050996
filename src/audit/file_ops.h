// The file operations JsonlFileSink writes the decision log with (clause
// 5.4): write(2), fdatasync(2), rename(2) and ftruncate(2), through a table
// of function pointers that holds the system calls themselves. Tests replace
// the table to make these calls fail at a chosen call (a short write, a full
// disk, an I/O error, a process killed between two renames of a rotation):
// src/audit/jsonl_file_sink_fault_test.cc. Internal to pip; not part of its
// API.
#ifndef PIP_SRC_AUDIT_FILE_OPS_H_
#define PIP_SRC_AUDIT_FILE_OPS_H_

#include <sys/types.h>

#include <cstddef>

namespace pip {
namespace audit_internal {

struct FileOps {
  ssize_t (*write)(int fd, const void* data, size_t size);
  int (*fdatasync)(int fd);
  int (*rename)(const char* from, const char* to);
  int (*ftruncate)(int fd, off_t length);
};

// The system calls.
FileOps SystemFileOps();

// The table every JsonlFileSink calls through. One indirect call per system
// call, no virtual dispatch.
extern FileOps g_file_ops;

// Makes every JsonlFileSink use `ops` from now on and returns the table it
// replaces. For tests only; not thread-safe: call it while no sink writes.
FileOps SetFileOpsForTesting(const FileOps& ops);

}  // namespace audit_internal
}  // namespace pip

#endif  // PIP_SRC_AUDIT_FILE_OPS_H_
