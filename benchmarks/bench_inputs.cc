#include "benchmarks/bench_inputs.h"

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"

namespace pip {
namespace bench {
namespace {

google::protobuf::Timestamp Ts(absl::Time t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  return ts;
}

absl::Time FromTs(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds());
}

void AddConsent(v1::PurposeAllowedRequest* r, int i, bool covers_location) {
  v1::Consent* c = r->add_consents();
  c->set_id(absl::StrCat("k-", i));
  c->set_subject_id(r->subject_id());
  c->add_categories(covers_location ? "location" : "email");
  c->add_categories("email");
  *c->mutable_granted_at() = Ts(TokyoTime(2025, 4, 1));
  c->set_consent_version(1);
}

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
  static Engine* const engine = Must(Engine::Default()).release();
  return *engine;
}

std::shared_ptr<const Snapshot> SharedSnapshot() {
  static const auto* const snap =
      new std::shared_ptr<const Snapshot>(SharedEngine().snapshot());
  return *snap;
}

absl::Time TokyoTime(int y, int m, int d, int hh) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, 0, 0),
                         absl::FixedTimeZone(9 * 3600));
}

absl::Time AsOf() { return TokyoTime(2026, 3, 1); }

v1::PurposeAllowedRequest TypicalPurposeRequest() {
  v1::PurposeAllowedRequest r;
  r.set_subject_id("c-1");
  r.set_purpose("direct_mail");
  r.add_categories("name");
  r.add_categories("email");
  *r.mutable_as_of() = Ts(AsOf());
  return r;
}

v1::PurposeAllowedRequest ConsentPurposeRequest(int consents) {
  v1::PurposeAllowedRequest r;
  r.set_subject_id("c-1");
  r.set_purpose("web_analytics");
  r.add_categories("location");
  r.add_categories("email");
  for (int i = 0; i < consents; ++i) AddConsent(&r, i, i == consents - 1);
  *r.mutable_as_of() = Ts(AsOf());
  return r;
}

v1::PurposeAllowedRequest WorstPurposeRequest() {
  v1::PurposeAllowedRequest r;
  r.set_subject_id("c-1");
  r.set_purpose("billing");
  const v1::Policy policy = SharedEngine().policy();
  for (const auto& c : policy.categories()) {
    r.add_categories(c.id());
  }
  r.set_recipient("third_party");
  r.mutable_context()->set_anonymized(true);
  r.mutable_context()->set_health_service(true);
  r.mutable_context()->set_necessity_documented(true);
  for (int i = 0; i < 10; ++i) {
    v1::Consent* c = r.add_consents();
    c->set_id(absl::StrCat("k-", i));
    c->set_subject_id("c-1");
    c->add_recipients("third_party");
    *c->mutable_granted_at() = Ts(TokyoTime(2025, 4, 1 + i));
    c->set_consent_version(1);
  }
  v1::ActiveRequest* a = r.add_active_requests();
  a->set_id("r-1");
  a->set_type("disclosure");
  *a->mutable_received_at() = Ts(TokyoTime(2026, 2, 1));
  *r.mutable_as_of() = Ts(AsOf());
  return r;
}

v1::ConsentCheckRequest ConsentCheckRequest(int consents) {
  v1::PurposeAllowedRequest p = ConsentPurposeRequest(consents);
  v1::ConsentCheckRequest r;
  r.set_subject_id(p.subject_id());
  r.add_categories("location");
  r.add_purposes("web_analytics");
  *r.mutable_consents() = p.consents();
  *r.mutable_as_of() = p.as_of();
  return r;
}

v1::RetentionDueRequest TypicalRetentionRequest() {
  v1::RetentionDueRequest r;
  r.set_kind("inquiry");
  *r.mutable_event_at() = Ts(TokyoTime(2023, 5, 10, 14));
  *r.mutable_as_of() = Ts(TokyoTime(2026, 5, 11, 0));
  return r;
}

v1::RetentionDueRequest WorstRetentionRequest() {
  v1::RetentionDueRequest r;
  r.set_kind("accounting");
  *r.mutable_event_at() = Ts(TokyoTime(2017, 5, 10, 14));
  int i = 0;
  const v1::Policy policy = SharedEngine().policy();
  for (const auto& h : policy.retention().hold_types()) {
    v1::Hold* hold = r.add_holds();
    hold->set_id(absl::StrCat("h-", i++));
    hold->set_type(h.id());
    *hold->mutable_until() = Ts(TokyoTime(2027, 1, 1));
  }
  *r.mutable_as_of() = Ts(AsOf());
  return r;
}

v1::RequestValidateRequest TypicalRequestValidateRequest() {
  v1::RequestValidateRequest r;
  r.set_type("disclosure");
  r.set_channel("email");
  r.set_requester("agent");
  r.mutable_documents()->set_identity_document(true);
  r.mutable_documents()->set_request_form(true);
  r.set_fee_paid_jpy(300);
  *r.mutable_received_at() = Ts(TokyoTime(2026, 1, 31, 10));
  *r.mutable_as_of() = Ts(TokyoTime(2026, 2, 2, 9));
  return r;
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
    in.requests.push_back(
        {Must(s.RequestType(a.type())), FromTs(a.received_at())});
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
  f.identity_document = request.documents().identity_document();
  f.request_form = request.documents().request_form();
  f.power_of_attorney = request.documents().power_of_attorney();
  f.identity_verified = request.identity_verified();
  f.fee_paid_jpy = request.fee_paid_jpy();
  f.legally_restricted = request.review().legally_restricted();
  f.third_party_rights = request.review().third_party_rights();
  f.received_at = FromTs(request.received_at());
  f.as_of = FromTs(request.as_of());
  return f;
}

}  // namespace bench
}  // namespace pip
