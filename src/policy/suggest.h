// Suggestions for misspelled ids: "did you mean 'email'?".
#ifndef PIP_SRC_POLICY_SUGGEST_H_
#define PIP_SRC_POLICY_SUGGEST_H_

#include <string>
#include <unordered_map>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace pip {
namespace policy_internal {

// Levenshtein distance between `a` and `b`, capped at `limit` + 1.
int EditDistance(absl::string_view a, absl::string_view b, int limit);

// Returns " (did you mean 'x'?)" when an id of `known` is close to
// `unknown` (a typo), else "".
std::string SuggestionFrom(absl::string_view unknown,
                           absl::Span<const absl::string_view> known);
// The same for the ids that are the keys of `known`.
std::string SuggestionFrom(absl::string_view unknown,
                           const absl::flat_hash_map<std::string, int>& known);
std::string SuggestionFrom(absl::string_view unknown,
                           const std::unordered_map<std::string, int>& known);

}  // namespace policy_internal
}  // namespace pip

#endif  // PIP_SRC_POLICY_SUGGEST_H_
