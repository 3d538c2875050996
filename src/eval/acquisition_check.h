// acquisition_check: may these categories be acquired through this channel
// now, and what must be done when they are? Clauses 2, 3; APPI 20(2), 21,
// 30.
//
// A consent_check with categories and no purposes answers one part of it
// (does a consent cover acquiring the categories?); this is the whole
// question.
#ifndef PIP_SRC_EVAL_ACQUISITION_CHECK_H_
#define PIP_SRC_EVAL_ACQUISITION_CHECK_H_

#include <cstdint>

#include "absl/time/time.h"
#include "absl/types/span.h"
#include "src/eval/eval_types.h"

namespace pip {
namespace eval_internal {

// ReasonRef::wording of CONSENT_RELIED when the consent covers acquiring the
// category rather than a use.
inline constexpr uint8_t kForAcquisition = 4;

// The items of the confirmation of APPI 30(1), as bits of
// AcquisitionFacts::missing and as the ReasonRef::wording of their
// CONFIRMATION_MISSING.
enum ConfirmationItem : uint8_t {
  kProviderName = 1,
  kProviderAddress = 2,
  kProviderRepresentative = 3,
  kHowObtained = 4,
};
inline constexpr uint8_t kFirstConfirmationItem = kProviderName;
inline constexpr uint8_t kLastConfirmationItem = kHowObtained;
inline constexpr uint32_t ItemBit(uint8_t item) { return 1u << item; }

// An acquisition as the resolver reads it from an AcquisitionCheckRequest.
struct AcquisitionFacts {
  // Index into policy.acquisition_channels.
  int channel = 0;
  // At least one category.
  IdSet categories;
  absl::Span<const ConsentRecord> consents;
  // The purpose was stated to the person beforehand (APPI 21(2)).
  bool purpose_stated = false;
  // Who published special care-required data (APPI 20(2)(vii)).
  v1::PublishedBy published_by = v1::PUBLISHED_BY_UNSPECIFIED;
  // A legal ground (policy.legal_grounds) the acquisition of special
  // care-required data rests on, one that APPI 20(2) repeats; or -1.
  int legal_ground = -1;
  // Who gave data received from a third party (never UNSPECIFIED: the
  // resolver reads it as PROVIDER_THIRD_PARTY).
  v1::ProviderRole provider_role = v1::PROVIDER_THIRD_PARTY;
  // The case of APPI 27(1) the provider gave the data under, or -1.
  int provider_ground = -1;
  // ItemBit() of each item of the confirmation the request leaves empty.
  uint32_t missing = 0;
  absl::Time as_of;
};

struct AcquisitionVerdict {
  bool allowed = false;
  // Index into the facts' consents of the first consent relied on, or -1.
  int consent = -1;
};

// Evaluates every rule of acquisition that bears on `f`:
//  - clause 3: each category the policy does not list for the channel
//    (CATEGORY_NOT_ACQUIRED_BY_CHANNEL);
//  - a category that needs the person's consent (a consent condition of
//    clause 2, e.g. 2.4 location, 許可; every special care-required
//    category, APPI 20(2)) needs a consent naming it, by the coverage rule
//    of consent_check with no purposes (ACQUISITION_CONSENT_REQUIRED and
//    why each consent fell short; CONSENT_RELIED when covered). Special
//    care-required data needs none under a legal ground of APPI 20(2)(i)-
//    (iv) (SPECIAL_CARE_GROUND_APPLIES) or when the data subject, a public
//    body or the press published it (PUBLISHED_EXCEPTION_APPLIES, 20(2)(vii));
//  - APPI 21: a channel that acquires directly in writing needs the
//    purpose stated beforehand (PURPOSE_STATED, or PURPOSE_NOT_STATED);
//    any other acquisition relies on the published purposes
//    (PURPOSES_PUBLISHED, 21(1));
//  - APPI 30, for a channel that receives data from a third party: the
//    confirmation (CONFIRMATION_MISSING per item missing) and its record
//    (CONFIRMATION_RECORD_REQUIRED), or neither under a case of 27(1) or
//    27(5) (CONFIRMATION_NOT_REQUIRED).
// Allowed when no rule denies: ACQUISITION_PERMITTED first, then how each
// rule was met, the record last. Denied: only what denies. `policy` has an
// acquisition section (CompiledAcquisition::present), and a confirmation
// rule when the channel receives data from a third party.
template <typename Sink>
AcquisitionVerdict EvaluateAcquisitionCheck(const CompiledPolicy& policy,
                                            const AcquisitionFacts& f,
                                            Sink& sink);

}  // namespace eval_internal
}  // namespace pip

#endif  // PIP_SRC_EVAL_ACQUISITION_CHECK_H_
