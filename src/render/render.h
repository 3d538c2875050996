// Rendering of evaluator verdicts into pip.v1 decisions: reason records
// become pip.v1.Reason messages with ids, clause numbers and messages in
// Japanese and English.
#ifndef PIP_SRC_RENDER_RENDER_H_
#define PIP_SRC_RENDER_RENDER_H_

#include <cstdint>
#include <forward_list>
#include <string>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "pip/v1/decision.pb.h"
#include "src/eval/eval_types.h"

namespace pip {
namespace engine_internal {

using eval_internal::ReasonList;
using eval_internal::ReasonRef;
using policy_internal::CompiledPolicy;

// Values of the decision a reason's message quotes.
struct ReasonContext {
  absl::string_view channel;
  absl::string_view retain_until;
  absl::string_view respond_by;
  int64_t fee_paid_jpy = 0;
  int64_t fee_due_jpy = 0;
};

// The caller's ids a reason is about, read from the request by the reason's
// query indices (IdsOf()). Empty when the reason is about none.
struct ReasonIds {
  absl::string_view consent_id;
  absl::string_view request_type;
  absl::string_view request_id;
  absl::string_view hold_type;
  absl::string_view hold_id;
};

// The ids `ref` refers to in a request's consents, active requests and
// holds; pass an empty container for a list the request does not have. The
// containers are protobuf repeated fields or the wire views of
// src/codec/wire_request.h: anything with size(), operator[] and the
// fields' accessors.
template <typename Consents, typename Requests, typename Holds>
ReasonIds IdsOf(const ReasonRef& ref, const Consents& consents,
                const Requests& requests, const Holds& holds) {
  ReasonIds ids;
  if (ref.consent >= 0 && ref.consent < static_cast<int>(consents.size())) {
    ids.consent_id = consents[ref.consent].id();
  }
  if (ref.request >= 0 && ref.request < static_cast<int>(requests.size())) {
    ids.request_type = requests[ref.request].type();
    ids.request_id = requests[ref.request].id();
  }
  if (ref.hold >= 0 && ref.hold < static_cast<int>(holds.size())) {
    ids.hold_type = holds[ref.hold].type();
    ids.hold_id = holds[ref.hold].id();
  }
  return ids;
}

// A message as the pieces it is joined from, so that it is copied once,
// straight into a protobuf field or onto the wire. Pieces are views: what
// they point into (the policy, the request, the context) must outlive it;
// numbers are formatted into the Text itself, so it is not copyable.
class Text {
 public:
  Text() = default;
  Text(const Text&) = delete;
  Text& operator=(const Text&) = delete;

  Text& operator<<(absl::string_view piece) {
    if (piece.empty()) return *this;
    pieces_.push_back(piece);
    size_ += piece.size();
    return *this;
  }
  Text& operator<<(int64_t number);

  // The joined length in bytes.
  size_t size() const { return size_; }
  // The pieces in order; each is a whole string of its source, so valid
  // UTF-8 when the source is.
  absl::Span<const absl::string_view> pieces() const { return pieces_; }
  void AppendTo(std::string* out) const;
  std::string ToString() const;
  // Copies the joined text to `out`, which has room for size() bytes, and
  // returns the end of the copy.
  char* CopyTo(char* out) const;

 private:
  absl::InlinedVector<absl::string_view, 16> pieces_;
  // Storage for formatted numbers; a message quotes at most two, the list
  // takes any more without invalidating earlier pieces.
  char digits_[2][absl::numbers_internal::kFastToBufferSize];
  int digits_used_ = 0;
  std::forward_list<std::string> more_digits_;
  size_t size_ = 0;
};

// Everything a pip.v1.Reason holds, as views and message pieces.
struct ReasonFields {
  v1::ReasonCode code = v1::REASON_CODE_UNSPECIFIED;
  absl::string_view clause;
  absl::string_view category;
  absl::string_view purpose;
  absl::string_view recipient;
  absl::string_view document;
  ReasonIds ids;
  Text message_ja;
  Text message_en;
};

// Fills `out` from `ref`: code, clause, the ids it is about, and messages in
// Japanese and English. One description serves the protobuf and the wire
// encoders, so the two cannot say different things.
void DescribeReason(const CompiledPolicy& policy, const ReasonRef& ref,
                    const ReasonIds& ids, const ReasonContext& context,
                    ReasonFields* out);

// DescribeReason() into a pip.v1.Reason.
void RenderReason(const CompiledPolicy& policy, const ReasonRef& ref,
                  const ReasonIds& ids, const ReasonContext& context,
                  v1::Reason* out);

// retain_until and due_at of a RetentionDueDecision as RenderRetentionDue()
// sets them: the last civil day kept ("YYYY-MM-DD") and 00:00 JST the day
// after (RFC 3339, "+09:00"); both empty when the clock has not started.
struct RetentionDates {
  std::string retain_until;
  std::string due_at;
};
RetentionDates FormatRetentionDates(
    const eval_internal::RetentionVerdict& verdict);

// The id of `step` as RequestValidateDecision.next_step gives it.
absl::string_view NextStepId(eval_internal::NextStep step);

// The values a request_validate reason's message quotes: the request's
// channel and fee paid, the fee due and `respond_by` (the decision's
// respond_by, which must outlive the context). `request` is the
// pip.v1.RequestValidateRequest message or its wire view.
template <typename Request>
ReasonContext RequestValidateContext(
    const Request& request, const eval_internal::RequestVerdict& verdict,
    absl::string_view respond_by) {
  ReasonContext context;
  context.channel = request.channel();
  context.respond_by = respond_by;
  context.fee_paid_jpy = request.fee_paid_jpy();
  context.fee_due_jpy = verdict.fee_due_jpy;
  return context;
}

// Where a request_validate reason goes besides RequestValidateDecision
// .reasons, which holds every one: an entry `id` of `missing` or
// `needs_review`, a copy in `errors` or `warnings`, or nowhere else.
struct RequestValidateFiling {
  enum List { kNone, kMissing, kErrors, kWarnings, kNeedsReview };
  List list = kNone;
  absl::string_view id;  // for kMissing and kNeedsReview
};
RequestValidateFiling FileRequestValidateReason(const CompiledPolicy& policy,
                                                const ReasonRef& ref);

v1::PurposeAllowedDecision RenderPurposeAllowed(
    const CompiledPolicy& policy, const v1::PurposeAllowedRequest& request,
    bool allowed, const ReasonList& reasons);

v1::ConsentCheckDecision RenderConsentCheck(
    const CompiledPolicy& policy, const v1::ConsentCheckRequest& request,
    int consent_index, const ReasonList& reasons);

v1::RetentionDueDecision RenderRetentionDue(
    const CompiledPolicy& policy, const v1::RetentionDueRequest& request,
    int kind, const eval_internal::RetentionVerdict& verdict,
    const ReasonList& reasons);

v1::RequestValidateDecision RenderRequestValidate(
    const CompiledPolicy& policy, const v1::RequestValidateRequest& request,
    const eval_internal::RequestVerdict& verdict, const ReasonList& reasons);

}  // namespace engine_internal
}  // namespace pip

#endif  // PIP_SRC_RENDER_RENDER_H_
