#include "src/internal/protobuf_log.h"

#include <mutex>

#include "google/protobuf/stubs/logging.h"

namespace pip {
namespace internal {
namespace {

using google::protobuf::LogHandler;
using google::protobuf::LogLevel;

thread_local ProtobufLogCapture* current = nullptr;
LogHandler* previous = nullptr;

void Handle(LogLevel level, const char* filename, int line,
            const std::string& message);

}  // namespace

struct ProtobufLogSink {
  static void Keep(const std::string& message) {
    std::string& lines = current->lines_;
    if (!lines.empty()) lines += "; ";
    // Protobuf's messages end with advice for its own users ("Use the
    // 'bytes' type ..."): the finding is the first sentence.
    const size_t end = message.find(". ");
    lines.append(message, 0, end == std::string::npos ? message.size() : end);
  }
};

namespace {

void Handle(LogLevel level, const char* filename, int line,
            const std::string& message) {
  if (current != nullptr && level < google::protobuf::LOGLEVEL_FATAL) {
    ProtobufLogSink::Keep(message);
    return;
  }
  if (previous != nullptr) previous(level, filename, line, message);
}

}  // namespace

ProtobufLogCapture::ProtobufLogCapture() : outer_(current) {
  static std::once_flag installed;
  std::call_once(installed, [] {
    previous = google::protobuf::SetLogHandler(&Handle);
  });
  current = this;
}

ProtobufLogCapture::~ProtobufLogCapture() { current = outer_; }

}  // namespace internal
}  // namespace pip
