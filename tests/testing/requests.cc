#include "tests/testing/requests.h"

#include "absl/strings/str_cat.h"
#include "pip/v1/policy.pb.h"

namespace pip {
namespace testing {
namespace {

void AddConsent(v1::PurposeAllowedRequest* r, int i, bool covers_location) {
  v1::Consent* c = r->add_consents();
  c->set_id(absl::StrCat("k-", i));
  c->set_subject_id(r->subject_id());
  c->add_categories(covers_location ? "location" : "email");
  c->add_categories("email");
  *c->mutable_granted_at() = Ts(TokyoTime(2025, 4, 1));
  c->set_consent_version(1);
}

}  // namespace

absl::Time AsOf() { return TokyoTime(2026, 3, 1); }

v1::PurposeAllowedRequest BillingRequest() {
  v1::PurposeAllowedRequest r;
  r.set_subject_id("c-1");
  r.set_purpose("billing");
  r.add_categories("name");
  *r.mutable_as_of() = Ts(AsOf());
  return r;
}

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
  const v1::Policy policy = SharedDefaultEngine().policy();
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
  const v1::Policy policy = SharedDefaultEngine().policy();
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
  r.add_documents("identity_document");
  r.add_documents("request_form");
  r.set_fee_paid_jpy(300);
  *r.mutable_received_at() = Ts(TokyoTime(2026, 1, 31, 10));
  *r.mutable_as_of() = Ts(TokyoTime(2026, 2, 2, 9));
  return r;
}

}  // namespace testing
}  // namespace pip
