#include <cstddef>

#include "pip/policy.h"

namespace pip {
namespace policy_internal {
// Defined in the file generated from policies/default.textproto.
extern const unsigned char kDefaultPolicyText[];
extern const std::size_t kDefaultPolicyTextSize;
}  // namespace policy_internal

absl::string_view DefaultPolicyText() {
  return absl::string_view(
      reinterpret_cast<const char*>(policy_internal::kDefaultPolicyText),
                           policy_internal::kDefaultPolicyTextSize);
}

}  // namespace pip
