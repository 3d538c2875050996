#include "benchmarks/bench_inputs.h"


namespace pip {
namespace bench {
namespace {

using testing::FromTs;

ConsentRecord ToRecord(const Snapshot& s, const std::string& subject,
                       const v1::Consent& c) {
  ConsentRecord r;
  r.subject_matches = c.subject_id() == subject;
  if (c.categories().empty()) {
    r.categories = s.AllCategories();
  } else {
    for (const auto& id : c.categories()) r.categories.Insert(Must(s.Category(id)));
  }
  if (c.purposes().empty()) {
    r.purposes = s.AllPurposes();
  } else {
    for (const auto& id : c.purposes()) r.purposes.Insert(Must(s.Purpose(id)));
  }
  for (const auto& id : c.recipients()) r.recipients.Insert(Must(s.Recipient(id)));
  r.granted_at = FromTs(c.granted_at());
  if (c.has_withdrawn_at()) r.withdrawn_at = FromTs(c.withdrawn_at());
  if (c.has_expires_at()) r.expires_at = FromTs(c.expires_at());
  r.consent_version = c.consent_version();
  return r;
}

}  // namespace

Engine& SharedEngine() {
  static Engine* const engine = testing::DefaultEngine().release();
  return *engine;
}

std::shared_ptr<const Snapshot> SharedSnapshot() {
  static const auto* const snap =
      new std::shared_ptr<const Snapshot>(SharedEngine().snapshot());
  return *snap;
}

PurposeInput ToFacts(const v1::PurposeAllowedRequest& request) {
  const Snapshot& s = *SharedSnapshot();
  PurposeInput in;
  for (const auto& id : request.categories()) {
    in.facts.categories.Insert(Must(s.Category(id)));
  }
  in.facts.purpose = Must(s.Purpose(request.purpose()));
  if (!request.recipient().empty()) {
    in.facts.recipient = Must(s.Recipient(request.recipient()));
  }
  in.facts.context.anonymized = request.context().anonymized();
  in.facts.context.health_service = request.context().health_service();
  in.facts.context.necessity_documented =
      request.context().necessity_documented();
  for (const auto& c : request.consents()) {
    in.consents.push_back(ToRecord(s, request.subject_id(), c));
  }
  for (const auto& a : request.active_requests()) {
    PendingRequest pending;
    pending.type = Must(s.RequestType(a.type()));
    pending.received_at = FromTs(a.received_at());
    in.requests.push_back(pending);
  }
  in.facts.consents = in.consents;
  in.facts.active_requests = in.requests;
  in.facts.as_of = FromTs(request.as_of());
  return in;
}

ConsentInput ToFacts(const v1::ConsentCheckRequest& request) {
  const Snapshot& s = *SharedSnapshot();
  ConsentInput in;
  for (const auto& id : request.categories()) {
    in.facts.categories.Insert(Must(s.Category(id)));
  }
  for (const auto& id : request.purposes()) {
    in.facts.purposes.Insert(Must(s.Purpose(id)));
  }
  for (const auto& c : request.consents()) {
    in.consents.push_back(ToRecord(s, request.subject_id(), c));
  }
  in.facts.consents = in.consents;
  in.facts.as_of = FromTs(request.as_of());
  return in;
}

RetentionInput ToFacts(const v1::RetentionDueRequest& request) {
  const Snapshot& s = *SharedSnapshot();
  RetentionInput in;
  in.facts.kind = Must(s.RetentionKind(request.kind()));
  if (request.has_event_at()) in.facts.event_at = FromTs(request.event_at());
  for (const auto& h : request.holds()) {
    in.holds.push_back({Must(s.HoldType(h.type())),
                        h.has_until() ? FromTs(h.until())
                                      : absl::InfiniteFuture()});
  }
  in.facts.holds = in.holds;
  in.facts.as_of = FromTs(request.as_of());
  return in;
}

RequestFacts ToFacts(const v1::RequestValidateRequest& request) {
  const Snapshot& s = *SharedSnapshot();
  RequestFacts f;
  f.type = Must(s.RequestType(request.type()));
  f.channel = s.RequestChannel(request.channel());
  if (!request.requester().empty()) {
    f.requester = Must(s.Requester(request.requester()));
  }
  const std::vector<absl::string_view> documents(request.documents().begin(),
                                                 request.documents().end());
  f.documents = Must(s.Documents(documents));
  f.identity_verified = request.identity_verified();
  f.fee_paid_jpy = request.fee_paid_jpy();
  const std::vector<absl::string_view> review(request.review().begin(),
                                              request.review().end());
  f.review = Must(s.ReviewGrounds(review));
  f.received_at = FromTs(request.received_at());
  f.as_of = FromTs(request.as_of());
  return f;
}

}  // namespace bench
}  // namespace pip
