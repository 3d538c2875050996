// Requests that reach every rule of the policy, for tests that require two
// paths of the engine to answer alike. Test-only.
#ifndef PIP_TESTS_TESTING_REQUEST_CASES_H_
#define PIP_TESTS_TESTING_REQUEST_CASES_H_

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "pip/v1/decision.pb.h"
#include "pip/v1/policy.pb.h"
#include "tests/testing/requests.h"

namespace pip {
namespace testing {

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

}  // namespace testing
}  // namespace pip

#endif  // PIP_TESTS_TESTING_REQUEST_CASES_H_
