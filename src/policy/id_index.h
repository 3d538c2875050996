// The compiled policy's index of ids (categories, purposes, recipients, ...)
// to their dense positions. Every id a caller gives as a string is looked up
// here, on the proto, wire and handle paths alike, so a lookup is built to
// cost a few instructions: the id is read as at most two 8-byte words and its
// length, which identify any id of up to 16 bytes without comparing bytes
// one by one; longer ids are compared in full. Policies have tens of ids of
// each kind, so the table is small and probes rarely.
//
// Thread-safety: immutable after construction; any number of threads may
// call Find() at once.
#ifndef PIP_SRC_POLICY_ID_INDEX_H_
#define PIP_SRC_POLICY_ID_INDEX_H_

#include <cstdint>
#include <cstring>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace pip {
namespace policy_internal {

class IdIndex {
 public:
  // An index of no ids.
  IdIndex();
  // Indexes ids[i] as i. The ids must be distinct, and the text they view
  // must outlive the index (the compiled policy's own proto).
  explicit IdIndex(std::vector<absl::string_view> ids);

  // The position of `id`, or -1 when the index does not hold it.
  int Find(absl::string_view id) const {
    const Key k = KeyOf(id);
    for (uint32_t i = SlotOf(k);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.position < 0) return -1;
      if (s.key == k && (k.size <= 16 || ids_[s.position] == id)) {
        return s.position;
      }
    }
  }
  int size() const { return static_cast<int>(ids_.size()); }
  // The ids in order of position (for suggestions on a miss).
  absl::Span<const absl::string_view> ids() const { return ids_; }

 private:
  // The length of an id and two words that cover its first and last bytes
  // (overlapping when shorter than 16): equal keys mean equal ids up to 16
  // bytes.
  struct Key {
    uint64_t head = 0;
    uint64_t tail = 0;
    uint64_t size = 0;
    friend bool operator==(const Key& a, const Key& b) {
      return ((a.head ^ b.head) | (a.tail ^ b.tail) | (a.size ^ b.size)) == 0;
    }
  };
  struct Slot {
    Key key;
    int position = -1;  // -1: empty
  };

  static uint64_t Load(const char* p, size_t n) {
    uint64_t v = 0;
    std::memcpy(&v, p, n);
    return v;
  }
  static Key KeyOf(absl::string_view id) {
    const char* p = id.data();
    const size_t n = id.size();
    Key k;
    k.size = n;
    if (n >= 8) {
      k.head = Load(p, 8);
      k.tail = Load(p + n - 8, 8);
    } else if (n >= 4) {
      k.head = Load(p, 4);
      k.tail = Load(p + n - 4, 4);
    } else if (n > 0) {
      k.head = static_cast<uint64_t>(static_cast<unsigned char>(p[0])) |
               static_cast<uint64_t>(static_cast<unsigned char>(p[n / 2]))
                   << 8 |
               static_cast<uint64_t>(static_cast<unsigned char>(p[n - 1]))
                   << 16;
    }
    return k;
  }
  uint32_t SlotOf(const Key& k) const {
    // Multiplicative hashing: the high bits of the product mix every bit of
    // the key.
    const uint64_t h =
        (k.head ^ (k.tail * 0x9E3779B97F4A7C15u) ^ k.size) * 0xC2B2AE3D27D4EB4Fu;
    return static_cast<uint32_t>(h >> shift_) & mask_;
  }

  std::vector<absl::string_view> ids_;
  std::vector<Slot> slots_;  // a power of two, at least twice the ids
  uint32_t mask_ = 0;
  uint32_t shift_ = 63;
};

}  // namespace policy_internal
}  // namespace pip

#endif  // PIP_SRC_POLICY_ID_INDEX_H_
