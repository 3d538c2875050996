// `pipctl diff`: what changed between two policies, classified as APPI
// treats the change, so that a compliance officer knows before a new policy
// takes effect whether the people concerned must consent or be told.
//
// Items of a list are matched by their stable id (Purpose.id, Category.id,
// Clause.number, SpecialCareGround.ground, ...; a Condition by what it
// requires), never by position, and every field of pip.v1.Policy is
// compared: a change no rule names is reported as kOther, never dropped.
#ifndef PIP_TOOLS_PIPCTL_POLICY_DIFF_H_
#define PIP_TOOLS_PIPCTL_POLICY_DIFF_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "pip/v1/policy.pb.h"

namespace pipctl {

// How APPI treats a change, most serious first.
enum class ChangeClass {
  // A new purpose, or a purpose's scope widened (new categories or
  // channels, new recipients, provision without a named consent, a
  // category used beyond the purposes published for it): the person's
  // consent, or at least notice, is needed before the new use (APPI 17(2),
  // 18(1), 21, 27, 28).
  kNeedsConsent,
  // A safeguard removed or loosened: a consent condition, a request
  // channel or document, a hold, a security measure; a record kept longer
  // than announced; a later answer to a request.
  kWeakensProtection,
  // A shorter retention: data will be deleted earlier than announced
  // (clause 7), so the records due under the new policy must be checked
  // before it takes effect.
  kDeletesEarlier,
  // Wording only (label_ja, text_en, ...): the published notice is updated,
  // nothing else is needed.
  kTextOnly,
  // Anything else.
  kOther,
};

// All classes, in the order above (the order of the report).
inline constexpr ChangeClass kAllChangeClasses[] = {
    ChangeClass::kNeedsConsent, ChangeClass::kWeakensProtection,
    ChangeClass::kDeletesEarlier, ChangeClass::kTextOnly, ChangeClass::kOther};

// "needs_consent", "weakens_protection", "deletes_earlier", "text_only",
// "other".
absl::string_view ChangeClassName(ChangeClass c);
// The class as a heading of the report, in Japanese and in English.
absl::string_view ChangeClassTitleJa(ChangeClass c);
absl::string_view ChangeClassTitleEn(ChangeClass c);

// One change between two policies.
struct PolicyChange {
  ChangeClass change_class = ChangeClass::kOther;
  // The field, with each list element named by its id, e.g.
  // "purposes[direct_mail].label_en",
  // "categories[location].conditions[consent].consent.named",
  // "retention.kinds[inquiry].period".
  std::string path;
  // The id of the innermost item the change is in ("direct_mail"); empty
  // for a field of the policy itself or of a section.
  std::string id;
  // The value before and after, as text: a scalar's value, an enum's name,
  // a period as "3 years", an item by its id. nullopt when the item or
  // list element does not exist on that side.
  std::optional<std::string> old_value;
  std::optional<std::string> new_value;
  // The clause of the policy the item belongs to (the new policy's when
  // both have one), e.g. "4.2", "7", "APPI 27".
  std::string clause;
  // What the change means and what to do, with the article it rests on.
  std::string message_ja;
  std::string message_en;
};

// Every change from `old_policy` to `new_policy`, in the order of the
// fields of pip.v1.Policy, each classified. Both policies are expected to
// be valid (pip::ValidatePolicy); an invalid one is compared all the same.
//
// Thread-safety: safe to call concurrently.
std::vector<PolicyChange> DiffPolicies(const pip::v1::Policy& old_policy,
                                       const pip::v1::Policy& new_policy);

// The version and content hash of one side of a diff.
struct PolicyIdentity {
  std::string name;  // the file, or "default"
  std::string version;
  std::string hash;
};

// The report of `pipctl diff`: a heading with both policies, then the
// changes grouped by class, one line each (clause, path, old -> new, the
// Japanese and the English message), then the verdict. A value's line
// breaks are shown as "\n" and a text over 120 bytes is cut with "…";
// the JSON report has every value whole.
std::string FormatDiffText(const PolicyIdentity& old_policy,
                           const PolicyIdentity& new_policy,
                           const std::vector<PolicyChange>& changes);

// The same as one JSON object:
//   {"changes":[{"class":..,"path":..,"id":..,"old":..,"new":..,
//     "clause":..,"message_ja":..,"message_en":..}],
//    "needs_consent":bool,
//    "old":{"name":..,"version":..,"hash":..},"new":{...}}
// "old" and "new" of a change are null where the value does not exist.
std::string FormatDiffJson(const PolicyIdentity& old_policy,
                           const PolicyIdentity& new_policy,
                           const std::vector<PolicyChange>& changes);

}  // namespace pipctl

#endif  // PIP_TOOLS_PIPCTL_POLICY_DIFF_H_
