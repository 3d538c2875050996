// Requests of the tests and benchmarks, built in one place
// (pip_test_requests). Test-only.
#ifndef PIP_TESTS_TESTING_REQUESTS_H_
#define PIP_TESTS_TESTING_REQUESTS_H_

#include "absl/strings/string_view.h"
#include "google/protobuf/timestamp.pb.h"
#include "pip/v1/decision.pb.h"
#include "tests/testing/engine.h"
#include "tests/testing/time.h"

namespace pip {
namespace testing {

// An RFC 3339 time (Ts(), under the name the older tests use).
inline google::protobuf::Timestamp Time(absl::string_view rfc3339) {
  return Ts(rfc3339);
}

// 2026-03-01T12:00:00+09:00, the as_of of the requests below.
absl::Time AsOf();

// purpose_allowed.
//  Billing: a use every policy of the tests allows (clause 4.1): "name"
//    for "billing", for subject "c-1", as of AsOf().
//  Typical: name + email for direct_mail, internal, nothing against it
//    (4.2): allowed, no consent needed.
//  Consent(n): location + email for web_analytics with n consent records
//    of the subject, only the last of which covers location (2.4).
//  Worst: every category of the default policy at once for billing, to a
//    third party, every context flag set, 10 consents and a pending request.
v1::PurposeAllowedRequest BillingRequest();
v1::PurposeAllowedRequest TypicalPurposeRequest();
v1::PurposeAllowedRequest ConsentPurposeRequest(int consents);
v1::PurposeAllowedRequest WorstPurposeRequest();

// consent_check of location for web_analytics with the consents of
// ConsentPurposeRequest(consents).
v1::ConsentCheckRequest ConsentCheckRequest(int consents);

// retention_due (clause 7).
//  Typical: an inquiry of 2023-05-10 14:00 JST, kept until 2026-05-10, as
//    of 2026-05-11 00:00 JST.
//  Worst: an accounting record of 2017 with a hold of every type of the
//    default policy on it until 2027.
v1::RetentionDueRequest TypicalRetentionRequest();
v1::RetentionDueRequest WorstRetentionRequest();

// request_validate (clause 8): a disclosure request by email from an
// agent, with the identity document and the request form, the fee paid,
// received 2026-01-31 10:00 JST, as of 2026-02-02 09:00 JST.
v1::RequestValidateRequest TypicalRequestValidateRequest();

}  // namespace testing
}  // namespace pip

#endif  // PIP_TESTS_TESTING_REQUESTS_H_
