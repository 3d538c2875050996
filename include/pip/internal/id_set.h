// Fixed-capacity bitsets over dense integer ids: the compiled form of "a set
// of categories" or "a set of purposes". Plain values, no allocation.
//
// Internal to pip: the typed sets of pip/snapshot.h hold one, and the
// evaluators read it. Callers use pip::CategorySet and friends instead.
#ifndef PIP_INTERNAL_ID_SET_H_
#define PIP_INTERNAL_ID_SET_H_

#include <cstdint>

namespace pip {
namespace id_set_internal {

// The most ids of one kind (categories, purposes) a policy may define.
inline constexpr int kMaxIdsPerKind = 256;

class IdSet {
 public:
  constexpr IdSet() = default;

  static IdSet All(int count) {
    IdSet s;
    for (int i = 0; i < count; ++i) s.Insert(i);
    return s;
  }

  void Insert(int id) { words_[id >> 6] |= uint64_t{1} << (id & 63); }
  bool Contains(int id) const {
    return (words_[id >> 6] >> (id & 63)) & 1;
  }
  int Count() const {
    return __builtin_popcountll(words_[0]) + __builtin_popcountll(words_[1]) +
           __builtin_popcountll(words_[2]) + __builtin_popcountll(words_[3]);
  }
  bool Empty() const {
    return (words_[0] | words_[1] | words_[2] | words_[3]) == 0;
  }
  // True when every member of `other` is a member of this set.
  bool ContainsAll(const IdSet& other) const {
    for (int i = 0; i < kWords; ++i) {
      if ((other.words_[i] & ~words_[i]) != 0) return false;
    }
    return true;
  }
  bool Intersects(const IdSet& other) const { return !(*this & other).Empty(); }

  friend IdSet operator&(const IdSet& a, const IdSet& b) {
    IdSet r;
    for (int i = 0; i < kWords; ++i) r.words_[i] = a.words_[i] & b.words_[i];
    return r;
  }
  friend IdSet operator|(const IdSet& a, const IdSet& b) {
    IdSet r;
    for (int i = 0; i < kWords; ++i) r.words_[i] = a.words_[i] | b.words_[i];
    return r;
  }
  friend bool operator==(const IdSet& a, const IdSet& b) {
    for (int i = 0; i < kWords; ++i) {
      if (a.words_[i] != b.words_[i]) return false;
    }
    return true;
  }

  // Calls `fn(id)` for every member, in increasing order.
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (int w = 0; w < kWords; ++w) {
      uint64_t bits = words_[w];
      while (bits != 0) {
        fn(w * 64 + __builtin_ctzll(bits));
        bits &= bits - 1;
      }
    }
  }

 private:
  static constexpr int kWords = kMaxIdsPerKind / 64;
  uint64_t words_[kWords] = {0, 0, 0, 0};
};

}  // namespace id_set_internal
}  // namespace pip

#endif  // PIP_INTERNAL_ID_SET_H_
