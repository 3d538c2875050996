#include "src/eval/request_validate.h"

#include "src/eval/civil_period.h"

namespace pip {
namespace eval_internal {

template <typename Sink>
void EvaluateRequestValidate(const CompiledPolicy& policy,
                             const RequestFacts& f, Sink& sink,
                             RequestVerdict* out) {
  RequestVerdict& v = *out;
  const auto& type = policy.request_types[IndexOf(f.type)];
  bool channel_ok = true;
  bool documents_ok = true;
  bool fee_ok = true;
  bool identity_ok = true;
  bool review_clear = true;

  ReasonRef r;
  if (IndexOf(f.channel) == kUnacceptedChannel) {
    r.code = v1::CHANNEL_NOT_ACCEPTED;
    r.clause = policy.channel_clause;
    sink.Add(r);
    channel_ok = false;
  }

  const IdSet& submitted = BitsOf(f.documents);
  for (int doc :
       policy.requesters[RequesterIndex(policy, f.requester)].required_documents) {
    if (!submitted.Contains(doc)) {
      r = ReasonRef();
      r.code = v1::DOCUMENT_MISSING;
      r.clause = policy.documents[doc].clause;
      r.article = policy.documents[doc].article;
      r.document = static_cast<int16_t>(doc);
      sink.Add(r);
      documents_ok = false;
    }
  }

  if (policy.identity_verification_required && !f.identity_verified) {
    r = ReasonRef();
    r.code = v1::IDENTITY_NOT_VERIFIED;
    r.clause = policy.identity_verification_clause;
    sink.Add(r);
    identity_ok = false;
  }

  v.fee_due_jpy = type.fee_jpy;
  r = ReasonRef();
  r.clause = type.fee_clause;
  if (f.fee_paid_jpy < type.fee_jpy) {
    v.fee_unpaid_jpy = type.fee_jpy - f.fee_paid_jpy;
    r.code = v1::FEE_UNPAID;
    sink.Add(r);
    fee_ok = false;
  } else if (f.fee_paid_jpy > type.fee_jpy) {
    // A fee charged for a free type, or more than the fee of one that has
    // one: the company must refund (8.3 charges the actual cost only).
    r.code = type.fee_jpy == 0 ? v1::FEE_NOT_CHARGEABLE : v1::FEE_OVERPAID;
    sink.Add(r);
  }

  // The day of receipt is not counted (民法 140).
  const UnixDayAndDate respond_by = PeriodLastUnixDay(
      TokyoUnixDays(f.received_at) + 1, policy.response_period);
  v.respond_by = CivilDayOf(respond_by.date);
  v.respond_by_days = static_cast<int32_t>(respond_by.unix_days);
  v.overdue = f.as_of >= absl::FromUnixSeconds(
                             TokyoStartOfUnixDay(respond_by.unix_days + 1));
  if (v.overdue) {
    r = ReasonRef();
    r.code = v1::RESPONSE_OVERDUE;
    r.clause = policy.response_clause;
    sink.Add(r);
  }

  BitsOf(f.review).ForEach([&](int ground) {
    r = ReasonRef();
    r.code = v1::REVIEW_REQUIRED;
    r.clause = policy.review_grounds[ground].clause;
    r.review = static_cast<int16_t>(ground);
    sink.Add(r);
    review_clear = false;
  });

  v.valid = channel_ok && documents_ok && identity_ok && fee_ok;
  if (!channel_ok) {
    v.next_step = v1::FIX_CHANNEL;
  } else if (!documents_ok) {
    v.next_step = v1::COLLECT_DOCUMENTS;
  } else if (!fee_ok) {
    v.next_step = v1::COLLECT_FEE;
  } else if (!identity_ok) {
    v.next_step = v1::VERIFY_IDENTITY;
  } else if (!review_clear) {
    v.next_step = v1::HUMAN_REVIEW;
  } else {
    v.next_step = v1::RESPOND;
  }
}

absl::Status CheckRespondByInRange(const RequestVerdict& verdict) {
  return CheckDeadlineInRange(verdict.respond_by_days, "received_at",
                              "the response period");
}

template void EvaluateRequestValidate<ReasonList>(const CompiledPolicy&,
                                                  const RequestFacts&,
                                                  ReasonList&, RequestVerdict*);
template void EvaluateRequestValidate<ReasonCounter>(const CompiledPolicy&,
                                                     const RequestFacts&,
                                                     ReasonCounter&,
                                                     RequestVerdict*);

}  // namespace eval_internal
}  // namespace pip
