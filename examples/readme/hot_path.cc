// The hot path of the README: a snapshot with handles looked up once
// (pip/snapshot.h), and a decision on serialized pip.v1 bytes passed through
// as bytes (pip/encoded.h).
#include <cstdio>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "pip/encoded.h"
#include "pip/engine.h"
#include "pip/snapshot.h"

int main() {
  absl::StatusOr<std::unique_ptr<pip::Engine>> engine =
      pip::Engine::Create(pip::PolicySource::Default());
  if (!engine.ok()) {
    std::fprintf(stderr, "%s\n", engine.status().ToString().c_str());
    return 1;
  }

  {
    // [START snapshot]
    std::shared_ptr<const pip::Snapshot> snap = (*engine)->snapshot();
    absl::StatusOr<pip::PurposeId> direct_mail = snap->Purpose("direct_mail");  // at start-up
    absl::StatusOr<pip::CategorySet> contact = snap->Categories({"name", "email"});
    if (!direct_mail.ok() || !contact.ok()) return 1;

    pip::PurposeFacts f;                                                        // per request
    f.purpose = *direct_mail;
    f.categories = *contact;
    f.as_of = absl::Now();
    absl::StatusOr<pip::PurposeVerdict> v = snap->PurposeAllowed(f);
    if (!v.ok() || !v->allowed) { /* do not send */ }
    // [END snapshot]
    if (!v.ok()) return 1;
    // No rule of the policy restricts direct mail to name and email (4.2).
    std::printf("snapshot: allowed %s, %s, clause %s\n", v->allowed ? "true" : "false",
                pip::v1::ReasonCode_Name(v->reason).c_str(), std::string(v->clause).c_str());
  }

  {
    pip::v1::PurposeAllowedRequest req;
    req.set_subject_id("c-1");
    req.set_purpose("direct_mail");
    req.add_categories("name");
    req.add_categories("email");
    req.mutable_as_of()->set_seconds(absl::ToUnixSeconds(absl::Now()));
    const std::string request_bytes = req.SerializeAsString();
    // [START encoded]
    // request_bytes: a serialized pip.v1.PurposeAllowedRequest, as received
    std::string decision;  // on success, the serialized pip.v1.PurposeAllowedDecision
    absl::Status s = pip::DecidePb(**engine, pip::Function::kPurposeAllowed, request_bytes, &decision);
    // [END encoded]
    pip::v1::PurposeAllowedDecision d;
    if (!s.ok() || !d.ParseFromString(decision)) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      return 1;
    }
    std::printf("bytes: allowed %s, %s, clause %s\n", d.allowed() ? "true" : "false",
                pip::v1::ReasonCode_Name(d.reasons(0).code()).c_str(),
                d.reasons(0).clause().c_str());
  }
  return 0;
}
