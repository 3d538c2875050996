#include "src/policy/suggest.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"

namespace pip {
namespace policy_internal {

int EditDistance(absl::string_view a, absl::string_view b, int limit) {
  // Optimal string alignment: insertions, deletions, substitutions and
  // transpositions of adjacent letters ("emial" -> "email") cost one each.
  if (static_cast<int>(a.size()) - static_cast<int>(b.size()) > limit ||
      static_cast<int>(b.size()) - static_cast<int>(a.size()) > limit) {
    return limit + 1;
  }
  std::vector<int> before(b.size() + 1), prev(b.size() + 1), row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    row[0] = static_cast<int>(i);
    int best = row[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      row[j] = std::min({prev[j] + 1, row[j - 1] + 1,
                         prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        row[j] = std::min(row[j], before[j - 2] + 1);
      }
      best = std::min(best, row[j]);
    }
    if (best > limit) return limit + 1;
    std::swap(before, prev);
    std::swap(prev, row);
  }
  return std::min(prev[b.size()], limit + 1);
}

std::string SuggestionFrom(absl::string_view unknown,
                           absl::Span<const absl::string_view> known) {
  // Close enough to be a typo: a third of the word, at least one edit.
  const int limit = std::max<int>(1, static_cast<int>(unknown.size()) / 3);
  absl::string_view best;
  int best_distance = limit + 1;
  int ties = 0;
  for (absl::string_view id : known) {
    const int d = EditDistance(unknown, id, limit);
    if (d < best_distance) {
      best = id;
      best_distance = d;
      ties = 1;
    } else if (d == best_distance) {
      ++ties;
    }
  }
  // Several equally close ids ("2.6" against "2.1".."2.5"): a guess among
  // them would mislead.
  if (best_distance > limit || ties > 1) return "";
  return absl::StrCat(" (did you mean '", best, "'?)");
}

namespace {

// The keys of `known` (only on an error: the copy costs nothing that
// matters).
template <typename Map>
std::string SuggestionFromKeys(absl::string_view unknown, const Map& known) {
  std::vector<absl::string_view> ids;
  ids.reserve(known.size());
  for (const auto& [id, unused] : known) ids.push_back(id);
  return SuggestionFrom(unknown, ids);
}

}  // namespace

std::string SuggestionFrom(
    absl::string_view unknown,
    const absl::flat_hash_map<std::string, int>& known) {
  return SuggestionFromKeys(unknown, known);
}

std::string SuggestionFrom(absl::string_view unknown,
                           const std::unordered_map<std::string, int>& known) {
  return SuggestionFromKeys(unknown, known);
}

}  // namespace policy_internal
}  // namespace pip
