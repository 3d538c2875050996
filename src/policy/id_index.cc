#include "src/policy/id_index.h"

#include <utility>

namespace pip {
namespace policy_internal {

// One empty slot, so that Find() on an index of no ids needs no test of its
// own.
IdIndex::IdIndex() : slots_(1) {}

IdIndex::IdIndex(std::vector<absl::string_view> ids) : ids_(std::move(ids)) {
  int bits = 1;
  while ((size_t{1} << bits) < 2 * ids_.size()) ++bits;
  slots_.resize(size_t{1} << bits);
  mask_ = static_cast<uint32_t>(slots_.size() - 1);
  shift_ = static_cast<uint32_t>(64 - bits);
  for (size_t p = 0; p < ids_.size(); ++p) {
    const Key k = KeyOf(ids_[p]);
    uint32_t i = SlotOf(k);
    while (slots_[i].position >= 0) i = (i + 1) & mask_;
    slots_[i].key = k;
    slots_[i].position = static_cast<int>(p);
  }
}

}  // namespace policy_internal
}  // namespace pip
