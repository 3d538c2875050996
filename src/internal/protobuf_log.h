// Protobuf's own log lines, kept as pip's errors instead of printed. The
// protobuf runtime writes some findings to stderr (for example "String
// field 'pip.v1.Policy.version' contains invalid UTF-8 data when parsing a
// protocol buffer") and only then returns false; pip's callers must get
// that finding in the error pip returns, and nothing on a stderr that a
// host program owns. Internal to pip.
#ifndef PIP_SRC_INTERNAL_PROTOBUF_LOG_H_
#define PIP_SRC_INTERNAL_PROTOBUF_LOG_H_

#include <string>

namespace pip {
namespace internal {

// While an instance lives, protobuf's log lines below FATAL written on this
// thread are kept (lines()) instead of printed. Lines of other threads, and
// every line when no instance lives, go to the handler that was installed
// before pip's (protobuf's default prints to stderr), so a host program's
// own handling is kept. Pip installs its handler once, on the first
// capture; a host that calls google::protobuf::SetLogHandler after that
// replaces it, and then lines are printed as the host decides.
//
// Thread-safety: each instance belongs to the thread that made it; any
// number of threads may capture at once. Not reentrant on one thread (an
// inner capture keeps the lines until it ends).
class ProtobufLogCapture {
 public:
  ProtobufLogCapture();
  ~ProtobufLogCapture();
  ProtobufLogCapture(const ProtobufLogCapture&) = delete;
  ProtobufLogCapture& operator=(const ProtobufLogCapture&) = delete;

  // The lines kept so far, joined by "; ", without protobuf's prefix.
  const std::string& lines() const { return lines_; }

 private:
  friend struct ProtobufLogSink;
  std::string lines_;
  ProtobufLogCapture* outer_;
};

}  // namespace internal
}  // namespace pip

#endif  // PIP_SRC_INTERNAL_PROTOBUF_LOG_H_
