// Requests that reach every rule of the policy, for tests that require two
// paths of the engine to answer alike. Test-only.
#ifndef PIP_TESTS_TESTING_REQUEST_CASES_H_
#define PIP_TESTS_TESTING_REQUEST_CASES_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "pip/engine.h"
#include "pip/v1/decision.pb.h"
#include "pip/v1/policy.pb.h"
#include "tests/testing/requests.h"

namespace pip {
namespace testing {

// The lists below, thinned for a sanitized build: every case in a plain
// build, about one in seven under AddressSanitizer or ThreadSanitizer,
// where each case costs ten times as much. The cases kept are picked by a
// hash of their index, not by a stride, which could fall in step with the
// nested loops that make a list (seven recipient cases per set of facts)
// and keep only one kind of case; the plain build of `.ci/run` takes every
// case.
template <typename T>
std::vector<T> ThinnedUnderSanitizers(std::vector<T> all) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  std::vector<T> kept;
  for (uint64_t i = 0; i < all.size(); ++i) {
    // SplitMix64's finalizer: a fixed, well-spread function of i.
    uint64_t z = (i + 1) * 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    if (z % 7 == 0) kept.push_back(std::move(all[i]));
  }
  return kept;
#else
  return all;
#endif
}

// The states a consent of the cases below is in (clauses 2.4, 7; APPI 27,
// 28): valid, withdrawn, expired, not yet granted, scoped to something else,
// another subject's, of a stale version.
inline const std::vector<std::string>& ConsentStates() {
  static const auto* const states = new std::vector<std::string>{
      "valid", "withdrawn", "expired", "future", "scoped", "other", "stale"};
  return *states;
}

// A consent of subject "c-1" in `state` (ConsentStates()); a "scoped" one
// covers `scope_purpose` only (and, when given, `scope_category` and
// `scope_recipient`).
inline v1::Consent ConsentIn(const std::string& state,
                             const std::string& scope_purpose,
                             const std::string& scope_category = "",
                             const std::string& scope_recipient = "") {
  v1::Consent c;
  c.set_id(absl::StrCat("k-", state));
  c.set_subject_id(state == "other" ? "c-2" : "c-1");
  *c.mutable_granted_at() = Time(state == "future" ? "2027-01-01T00:00:00Z"
                                                   : "2025-01-01T00:00:00Z");
  if (state == "withdrawn") {
    *c.mutable_withdrawn_at() = Time("2025-06-01T00:00:00Z");
  }
  if (state == "expired") {
    *c.mutable_expires_at() = Time("2025-12-31T00:00:00Z");
  }
  if (state == "scoped") {
    if (!scope_category.empty()) c.add_categories(scope_category);
    c.add_purposes(scope_purpose);
    if (!scope_recipient.empty()) c.add_recipients(scope_recipient);
  }
  c.set_consent_version(state == "stale" ? 0 : 1000);
  return c;
}

// purpose_allowed requests over `policy`: every purpose with category sets
// that meet each rule of clauses 2-4 (each category alone, two plain ones,
// three with conditions, all), the context flags off and on, consents in
// every state, active requests of every type (8.1), and every recipient
// (APPI 27, 28). More than a thousand.
inline std::vector<v1::PurposeAllowedRequest> PurposeAllowedCases(
    const v1::Policy& policy) {
  std::vector<std::vector<std::string>> category_sets;
  for (const auto& c : policy.categories()) category_sets.push_back({c.id()});
  category_sets.push_back({"name", "email"});
  category_sets.push_back({"name", "health", "location"});
  std::vector<std::string> all;
  for (const auto& c : policy.categories()) all.push_back(c.id());
  category_sets.push_back(all);

  std::vector<v1::PurposeAllowedRequest> cases;
  for (const auto& purpose : policy.purposes()) {
    for (const auto& categories : category_sets) {
      for (int flags = 0; flags < 8; flags += 7) {
        for (int facts = 0; facts < 4; ++facts) {
          v1::PurposeAllowedRequest r;
          r.set_subject_id("c-1");
          r.set_purpose(purpose.id());
          for (const auto& c : categories) r.add_categories(c);
          r.mutable_context()->set_anonymized(flags & 1);
          r.mutable_context()->set_health_service(flags & 2);
          r.mutable_context()->set_necessity_documented(flags & 4);
          if (facts & 1) {
            for (const std::string& state : ConsentStates()) {
              *r.add_consents() = ConsentIn(
                  state, "billing", "name",
                  policy.recipients(policy.recipients_size() - 1).id());
            }
          }
          if (facts & 2) {
            for (const auto& t : policy.requests().types()) {
              v1::ActiveRequest* a = r.add_active_requests();
              a->set_type(t.id());
              a->set_id(absl::StrCat("req-", t.id()));
              *a->mutable_received_at() = Time("2026-01-10T09:00:00+09:00");
            }
          }
          *r.mutable_as_of() = Time("2026-03-01T12:00:00+09:00");
          cases.push_back(r);
          for (const auto& recipient : policy.recipients()) {
            r.set_recipient(recipient.id());
            cases.push_back(r);
          }
        }
      }
    }
  }
  return cases;
}

// consent_check requests over `policy`: every purpose and category (alone
// and with "name"), with the first 0 to 7 of ConsentStates(), the scoped
// one covering the purpose. More than a thousand.
inline std::vector<v1::ConsentCheckRequest> ConsentCheckCases(
    const v1::Policy& policy) {
  std::vector<v1::ConsentCheckRequest> cases;
  for (const auto& purpose : policy.purposes()) {
    for (const auto& category : policy.categories()) {
      for (int n = 0; n <= 7; ++n) {
        v1::ConsentCheckRequest r;
        r.set_subject_id("c-1");
        r.add_categories(category.id());
        if (n % 2 == 1) r.add_categories("name");
        r.add_purposes(purpose.id());
        for (int i = 0; i < n; ++i) {
          *r.add_consents() = ConsentIn(ConsentStates()[i], purpose.id());
        }
        *r.mutable_as_of() = Time("2026-03-01T12:00:00+09:00");
        cases.push_back(r);
      }
    }
  }
  return cases;
}

// A time `seconds` after `t`.
inline google::protobuf::Timestamp After(const google::protobuf::Timestamp& t,
                                         int64_t seconds) {
  google::protobuf::Timestamp out = t;
  out.set_seconds(t.seconds() + seconds);
  return out;
}

// The holds of the cases below, as of `as_of` (clause 7, 保存期間の例外):
// none; one of each hold type that has ended (until before as_of), that has
// not (until after), and that has no end; and every type at once, ended and
// not, one without an id.
inline std::vector<std::vector<v1::Hold>> HoldSets(
    const v1::Policy& policy, const google::protobuf::Timestamp& as_of) {
  std::vector<std::vector<v1::Hold>> sets = {{}};
  std::vector<v1::Hold> all;
  int n = 0;
  for (const auto& type : policy.retention().hold_types()) {
    for (const int64_t until : {int64_t{-86400}, int64_t{86400}, int64_t{0}}) {
      v1::Hold h;
      h.set_type(type.id());
      h.set_id(absl::StrCat("h-", type.id(), "-", n++));
      if (until != 0) *h.mutable_until() = After(as_of, until);
      sets.push_back({h});
      if (until == 0) h.clear_id();
      all.push_back(h);
    }
  }
  sets.push_back(all);
  return sets;
}

// retention_due requests over `policy` (clause 7): every retention kind, of
// either clock (event, filing deadline); events at a day's start, just
// before midnight and mid-day in Tokyo, and no event for the kinds whose
// event may be pending (a contract not ended); as_of long before, a second
// before, at and a second after the record falls due, and long after; each
// with the holds of HoldSets(). `engine` gives the moment each falls due.
inline std::vector<v1::RetentionDueRequest> RetentionDueCases(
    const Engine& engine) {
  const v1::Policy policy = engine.policy();
  std::vector<v1::RetentionDueRequest> cases;
  for (const auto& kind : policy.retention().kinds()) {
    std::vector<std::string> events = {"2019-04-01T00:00:00+09:00",
                                       "2020-12-31T23:59:59+09:00",
                                       "2023-05-10T14:00:00.5+09:00"};
    if (kind.event_may_be_pending()) events.push_back("");
    for (const std::string& event : events) {
      v1::RetentionDueRequest r;
      r.set_kind(kind.id());
      if (!event.empty()) *r.mutable_event_at() = Time(event);
      // The moment the record falls due, as the decision states it.
      *r.mutable_as_of() = Time("2099-01-01T00:00:00Z");
      const absl::StatusOr<v1::RetentionDueDecision> far = engine.RetentionDue(r);
      EXPECT_TRUE(far.ok()) << far.status();
      std::vector<google::protobuf::Timestamp> as_ofs = {
          Time("2018-06-01T12:00:00+09:00"), Time("2099-01-01T00:00:00Z")};
      if (far.ok() && !far->due_at().empty()) {
        const google::protobuf::Timestamp due_at = Time(far->due_at());
        for (const int64_t d : {int64_t{-1}, int64_t{0}, int64_t{1}}) {
          as_ofs.push_back(After(due_at, d));
        }
      }
      for (const auto& as_of : as_ofs) {
        *r.mutable_as_of() = as_of;
        for (const auto& holds : HoldSets(policy, as_of)) {
          r.clear_holds();
          for (const v1::Hold& h : holds) *r.add_holds() = h;
          cases.push_back(r);
        }
      }
    }
  }
  return cases;
}

// request_validate requests over `policy` (clause 8): every request type by
// every accepted channel and one that accepts none, each requester (the
// default one too), no documents, some and all, identity verified or not,
// no fee, the disclosure fee and more, review flags off, one and both, and
// as_of within the response period and past it. Thousands.
inline std::vector<v1::RequestValidateRequest> RequestValidateCases(
    const v1::Policy& policy) {
  std::vector<std::string> channels;
  for (const auto& c : policy.requests().channels()) channels.push_back(c.id());
  channels.push_back("postcard");  // accepts no requests (8.2)
  std::vector<std::string> requesters = {""};
  for (const auto& r : policy.requests().requesters()) {
    requesters.push_back(r.id());
  }
  std::vector<v1::RequestValidateRequest> cases;
  for (const auto& type : policy.requests().types()) {
    for (const std::string& channel : channels) {
      for (const std::string& requester : requesters) {
        for (const int documents : {0, 3, 7}) {
          for (const bool verified : {false, true}) {
            for (const int fee : {0, 300, 500}) {
              for (const int review : {0, 1, 3}) {
                for (const char* as_of : {"2026-02-02T09:00:00+09:00",
                                          "2026-04-01T09:00:00+09:00"}) {
                  v1::RequestValidateRequest r;
                  r.set_type(type.id());
                  r.set_channel(channel);
                  r.set_requester(requester);
                  if (documents & 1) r.add_documents("identity_document");
                  if (documents & 2) r.add_documents("request_form");
                  if (documents & 4) r.add_documents("power_of_attorney");
                  r.set_identity_verified(verified);
                  r.set_fee_paid_jpy(fee);
                  if (review & 1) r.add_review("legally_restricted");
                  if (review & 2) r.add_review("third_party_rights");
                  *r.mutable_received_at() = Time("2026-01-31T10:00:00+09:00");
                  *r.mutable_as_of() = Time(as_of);
                  cases.push_back(r);
                }
              }
            }
          }
        }
      }
    }
  }
  return cases;
}

// incident_assess requests over `policy` (clause 1.4; APPI 26; 施行規則 7,
// 8): every kind (with the flags), confirmed and suspected; a plain category, each special
// care-required and financial-harm category, and all; people at, above and
// below the threshold and not known; a wrongful purpose, a theft, data
// being acquired, financial harm, difficult notice, alone and together;
// every encryption and key state; awareness at 23:59:59 and 00:00 Tokyo, in
// UTC, at a month's end, in a leap year and before the amended 7(3); as_of
// at awareness and past every deadline. Thousands.
inline std::vector<v1::IncidentAssessRequest> IncidentAssessCases(
    const v1::Policy& policy) {
  std::vector<std::vector<std::string>> category_sets = {{"name"}};
  std::vector<std::string> all;
  for (const auto& c : policy.categories()) {
    all.push_back(c.id());
    if (c.special_care_required() || c.misuse_may_cause_financial_harm()) {
      category_sets.push_back({"name", c.id()});
    }
  }
  category_sets.push_back(all);
  const int threshold = policy.incidents().people_threshold();
  std::vector<v1::IncidentAssessRequest> cases;
  for (const auto& categories : category_sets) {
    for (const int people : {1, threshold, threshold + 1, 0}) {
      for (int flags = 0; flags < 64; flags += (flags < 8 ? 1 : 9)) {
        for (int protection = 0; protection < 5; ++protection) {
          for (const char* aware : {"2026-01-31T23:59:59+09:00",
                                    "2026-02-01T00:00:00+09:00",
                                    "2026-01-31T15:30:00Z",
                                    "2028-01-30T10:00:00+09:00",
                                    "2024-03-31T23:59:59+09:00"}) {
            v1::IncidentAssessRequest r;
            r.set_kind(static_cast<v1::IncidentKind>(1 + flags % 3));
            r.set_suspected(people == threshold);
            for (const auto& c : categories) r.add_categories(c);
            r.set_people(people);
            r.set_people_unknown(people == 0);
            r.set_wrongful_purpose(flags & 1);
            r.set_stolen(flags & 2);
            r.set_being_acquired(flags & 4);
            r.set_financial_harm(flags & 8);
            r.set_notice_difficult(flags & 16);
            r.set_encryption(static_cast<v1::Encryption>(
                protection == 0 ? 0 : protection == 1 ? 1 : 2));
            r.set_key(static_cast<v1::KeyStatus>(
                protection <= 1 ? 0 : protection - 2));
            *r.mutable_aware_at() = Time(aware);
            *r.mutable_as_of() = Time(aware);
            cases.push_back(r);
            *r.mutable_as_of() = Time("2030-01-01T00:00:00+09:00");
            cases.push_back(r);
          }
        }
      }
    }
  }
  return cases;
}

// complaint_route requests over `policy` (clause 9): every state of the
// internal flow (just received, then each step done), with and without the
// steps taken as needed marked not needed, the company able to resolve the
// complaint or not.
inline std::vector<v1::ComplaintRouteRequest> ComplaintRouteCases(
    const v1::Policy& policy) {
  std::vector<std::string> states = {""};
  std::vector<std::string> as_needed;
  for (const auto& s : policy.complaints().internal_flow()) {
    states.push_back(s.id());
    if (s.as_needed()) as_needed.push_back(s.id());
  }
  std::vector<v1::ComplaintRouteRequest> cases;
  for (const std::string& state : states) {
    for (const bool skip : {false, true}) {
      for (const bool difficult : {false, true}) {
        v1::ComplaintRouteRequest r;
        r.set_state(state);
        if (skip) {
          for (const std::string& id : as_needed) r.add_not_needed(id);
        }
        r.set_resolution_difficult(difficult);
        *r.mutable_as_of() = Time("2026-03-01T12:00:00+09:00");
        cases.push_back(r);
      }
    }
  }
  return cases;
}

// contractor_check requests over `policy` (clause 6; clause 5.1; APPI 25,
// 28): every criterion of 6.1 and term of 6.2 met, each one missing, and
// none; no check on record, a check at 23:59 and 00:00 Tokyo, in UTC and at
// a month's end, asked about on the last day of the interval and the first
// day late; each measure of 6.3 outstanding; in Japan and abroad with each
// combination of the bases of APPI 28.
inline std::vector<v1::ContractorCheckRequest> ContractorCheckCases(
    const v1::Policy& policy) {
  const auto& cm = policy.contractor_management();
  // -1: every item; i: all but item i; size: none.
  const auto ids = [](const auto& items, int leave_out) {
    std::vector<std::string> out;
    for (int i = 0; i < items.size(); ++i) {
      if (leave_out == -1 || (leave_out != i && leave_out < items.size())) {
        out.push_back(items.Get(i).id());
      }
    }
    return out;
  };
  std::vector<std::vector<std::string>> outstanding = {{}};
  for (const auto& p : cm.supervision()) {
    if (p.id() != cm.periodic_check()) outstanding.push_back({p.id()});
  }
  std::vector<v1::ContractorCheckRequest> cases;
  const int criteria = cm.selection_criteria_size();
  const int terms = cm.required_contract_terms_size();
  for (int c = -1; c <= criteria; ++c) {
    for (int t = -1; t <= terms; t += (t == -1 ? 1 : terms)) {
      // Checked at 23:59 and 00:00 Tokyo, in UTC and at a month's end, asked
      // about on the last day and the first day late of
      // a year's interval, and with no check at all.
      for (const auto& [checked, as_of] :
           std::vector<std::pair<std::string, std::string>>{
               {"2025-05-10T23:59:00+09:00", "2026-05-10T23:59:59+09:00"},
               {"2025-05-11T00:00:00+09:00", "2026-05-11T00:00:00+09:00"},
               {"2025-05-10T15:30:00Z", "2026-05-12T00:00:00+09:00"},
               {"2024-02-28T12:00:00+09:00", "2025-03-01T00:00:00+09:00"},
               {"", "2026-03-01T12:00:00+09:00"}}) {
        for (const auto& out : outstanding) {
          for (int abroad = 0; abroad < 9; ++abroad) {
            v1::ContractorCheckRequest r;
            r.set_contractor_id("vendor-1");
            for (const auto& id : ids(cm.selection_criteria(), c)) {
              r.add_criteria_met(id);
            }
            for (const auto& id : ids(cm.required_contract_terms(), t)) {
              r.add_contract_terms(id);
            }
            if (!checked.empty()) *r.mutable_last_checked_at() = Time(checked);
            for (const auto& id : out) r.add_supervision_outstanding(id);
            if (abroad > 0) {
              r.set_country(abroad == 8 ? "JP" : "US");
              const int bases = abroad == 8 ? 0 : abroad - 1;
              r.set_informed_consent(bases & 1);
              r.set_equivalent_measures(bases & 2);
              r.set_continuing_measures(bases & 4);
            }
            *r.mutable_as_of() = Time(as_of);
            cases.push_back(r);
          }
        }
      }
    }
  }
  return cases;
}

// acquisition_check requests over `policy` (clauses 2, 3; APPI 20(2), 21,
// 30): every channel with each category alone and with all it acquires,
// the purpose stated or not, consents in every state, special
// care-required data published by each kind of publisher or under each
// legal ground of 20(2), and for a channel that receives data from a third
// party the provider confirmed in full, in part, not at all, and giving
// the data as a contractor, successor or joint user or under a case of
// 27(1).
inline std::vector<v1::AcquisitionCheckRequest> AcquisitionCheckCases(
    const v1::Policy& policy) {
  std::vector<v1::AcquisitionCheckRequest> cases;
  std::vector<std::vector<std::string>> category_sets;
  for (const auto& c : policy.categories()) category_sets.push_back({c.id()});
  for (const auto& ch : policy.acquisition_channels()) {
    for (std::vector<std::string> set : category_sets) {
      v1::AcquisitionCheckRequest r;
      r.set_subject_id("c-1");
      r.set_channel(ch.id());
      for (const std::string& c : set) r.add_categories(c);
      *r.mutable_as_of() = Time("2026-03-01T12:00:00+09:00");
      for (const bool stated : {false, true}) {
        r.set_purpose_stated(stated);
        cases.push_back(r);
        for (const std::string& state : ConsentStates()) {
          v1::AcquisitionCheckRequest with = r;
          *with.add_consents() = ConsentIn(state, "billing", set[0]);
          cases.push_back(with);
        }
      }
      for (int by = 1; by <= 4; ++by) {
        v1::AcquisitionCheckRequest published = r;
        published.set_published_by(static_cast<v1::PublishedBy>(by));
        cases.push_back(published);
      }
      for (const auto& g : policy.acquisition().special_care_grounds()) {
        v1::AcquisitionCheckRequest grounded = r;
        grounded.mutable_legal_ground()->set_ground(g.ground());
        grounded.mutable_legal_ground()->set_reference("ref-1");
        cases.push_back(grounded);
      }
    }
    if (!ch.from_third_party()) continue;
    v1::AcquisitionCheckRequest r;
    r.set_channel(ch.id());
    r.set_purpose_stated(true);
    for (const auto& c : ch.acquired_categories()) r.add_categories(c);
    *r.mutable_as_of() = Time("2026-03-01T12:00:00+09:00");
    for (int filled = 0; filled <= 4; ++filled) {
      v1::AcquisitionCheckRequest p = r;
      v1::Provider* provider = p.mutable_provider();
      if (filled > 0) provider->set_name("Partner KK");
      if (filled > 1) provider->set_address("Tokyo");
      if (filled > 2) provider->set_representative("Taro Yamada");
      if (filled > 3) provider->set_how_obtained("seminar sign-up");
      for (int role = 0; role <= 4; ++role) {
        provider->set_role(static_cast<v1::ProviderRole>(role));
        cases.push_back(p);
      }
      for (const auto& g : policy.third_party_provision().legal_grounds()) {
        v1::AcquisitionCheckRequest grounded = p;
        grounded.mutable_provider()->set_role(v1::PROVIDER_THIRD_PARTY);
        grounded.mutable_provider()->mutable_legal_ground()->set_ground(g.id());
        grounded.mutable_provider()->mutable_legal_ground()->set_reference(
            "ref-1");
        cases.push_back(grounded);
      }
    }
  }
  return cases;
}

}  // namespace testing
}  // namespace pip

#endif  // PIP_TESTS_TESTING_REQUEST_CASES_H_
