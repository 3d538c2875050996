#include "src/eval/request_validate.h"

#include "src/eval/civil_period.h"

namespace pip {
namespace eval_internal {

template <typename Sink>
RequestVerdict EvaluateRequestValidate(const CompiledPolicy& policy,
                                       const RequestQuery& q, Sink& sink) {
  RequestVerdict v;
  const auto& type = policy.request_types[q.type];
  bool channel_ok = true;
  bool documents_ok = true;
  bool fee_ok = true;
  bool identity_ok = true;
  bool review_clear = true;

  ReasonRef r;
  if (q.channel < 0) {
    r.code = v1::CHANNEL_NOT_ACCEPTED;
    r.clause = policy.channel_clause;
    sink.Add(r);
    channel_ok = false;
  }

  for (int doc : policy.requesters[q.requester].required_documents) {
    const auto& d = policy.documents[doc];
    if (!q.documents[static_cast<int>(d.field)]) {
      r = ReasonRef();
      r.code = v1::DOCUMENT_MISSING;
      r.clause = d.clause;
      r.document = static_cast<int16_t>(doc);
      sink.Add(r);
      documents_ok = false;
    }
  }

  if (policy.identity_verification_required && !q.identity_verified) {
    r = ReasonRef();
    r.code = v1::IDENTITY_NOT_VERIFIED;
    r.clause = policy.identity_verification_clause;
    sink.Add(r);
    identity_ok = false;
  }

  v.fee_due_jpy = type.fee_jpy;
  r = ReasonRef();
  r.clause = type.fee_clause;
  if (q.fee_paid_jpy < type.fee_jpy) {
    r.code = v1::FEE_UNPAID;
    sink.Add(r);
    fee_ok = false;
  } else if (q.fee_paid_jpy > type.fee_jpy) {
    r.code = v1::FEE_NOT_CHARGEABLE;
    sink.Add(r);
  }

  // The day of receipt is not counted (民法 140).
  const UnixDayAndDate respond_by = PeriodLastUnixDay(
      TokyoUnixDays(q.received_at) + 1, policy.response_period);
  v.respond_by = CivilDayOf(respond_by.date);
  v.overdue = q.as_of >= absl::FromUnixSeconds(
                             TokyoStartOfUnixDay(respond_by.unix_days + 1));
  if (v.overdue) {
    r = ReasonRef();
    r.code = v1::RESPONSE_OVERDUE;
    r.clause = policy.response_clause;
    sink.Add(r);
  }

  for (size_t i = 0; i < policy.review_grounds.size(); ++i) {
    const auto& g = policy.review_grounds[i];
    if (q.review[static_cast<int>(g.field)]) {
      r = ReasonRef();
      r.code = v1::REVIEW_REQUIRED;
      r.clause = g.clause;
      r.review = static_cast<int16_t>(i);
      sink.Add(r);
      review_clear = false;
    }
  }

  v.valid = channel_ok && documents_ok && identity_ok && fee_ok;
  if (!channel_ok) {
    v.next_step = NextStep::kFixChannel;
  } else if (!documents_ok) {
    v.next_step = NextStep::kCollectDocuments;
  } else if (!fee_ok) {
    v.next_step = NextStep::kCollectFee;
  } else if (!identity_ok) {
    v.next_step = NextStep::kVerifyIdentity;
  } else if (!review_clear) {
    v.next_step = NextStep::kHumanReview;
  } else {
    v.next_step = NextStep::kRespond;
  }
  return v;
}

template RequestVerdict EvaluateRequestValidate<ReasonList>(
    const CompiledPolicy&, const RequestQuery&, ReasonList&);
template RequestVerdict EvaluateRequestValidate<ReasonCounter>(
    const CompiledPolicy&, const RequestQuery&, ReasonCounter&);

}  // namespace eval_internal
}  // namespace pip
