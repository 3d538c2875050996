// A protobuf arena for the messages of one call: a request parsed on the
// message path and what hangs off it. Its first block lives inside the
// object (on the caller's stack), so a usual request costs no heap
// allocation to build and nothing to free. Internal to pip.
#ifndef PIP_SRC_CODEC_REQUEST_ARENA_H_
#define PIP_SRC_CODEC_REQUEST_ARENA_H_

#include <cstddef>

#include "google/protobuf/arena.h"

namespace pip {
namespace engine_internal {

class RequestArena {
 public:
  RequestArena() : arena_(Options(block_)) {}
  RequestArena(const RequestArena&) = delete;
  RequestArena& operator=(const RequestArena&) = delete;

  // A new, empty message of type M that lives as long as this arena.
  template <typename M>
  M* Create() {
    return google::protobuf::Arena::CreateMessage<M>(&arena_);
  }
  // The arena itself, for messages of a type known at run time.
  google::protobuf::Arena* arena() { return &arena_; }

 private:
  // Room for a request with a few consents and active requests; a larger
  // one takes more blocks from the heap.
  static constexpr size_t kBlockBytes = 4096;

  static google::protobuf::ArenaOptions Options(char* block) {
    google::protobuf::ArenaOptions options;
    options.initial_block = block;
    options.initial_block_size = kBlockBytes;
    return options;
  }

  alignas(16) char block_[kBlockBytes];
  google::protobuf::Arena arena_;
};

}  // namespace engine_internal
}  // namespace pip

#endif  // PIP_SRC_CODEC_REQUEST_ARENA_H_
