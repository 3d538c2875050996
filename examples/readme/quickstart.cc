// May customer c-1's name and email be used to send direct mail while the
// customer's request to suspend their use (clause 8.1) is in force?
#include <cstdio>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "pip/engine.h"

// An RFC 3339 time as a google.protobuf.Timestamp; false if it does not parse.
bool SetTime(absl::string_view rfc3339, google::protobuf::Timestamp* out) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &error)) return false;
  out->set_seconds(absl::ToUnixSeconds(t));  // rounded down
  out->set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(out->seconds()))));
  return true;
}

int main() {
  absl::StatusOr<std::unique_ptr<pip::Engine>> engine =
      pip::Engine::Create(pip::PolicySource::Default());
  if (!engine.ok()) {
    std::fprintf(stderr, "%s\n", engine.status().ToString().c_str());
    return 1;
  }

  pip::v1::PurposeAllowedRequest req;
  req.set_subject_id("c-1");
  req.set_purpose("direct_mail");
  req.add_categories("name");
  req.add_categories("email");
  pip::v1::ActiveRequest* suspension = req.add_active_requests();
  suspension->set_type("suspension");
  if (!SetTime("2026-01-10T09:00:00+09:00", suspension->mutable_received_at()) ||
      !SetTime("2026-03-01T12:00:00+09:00", req.mutable_as_of())) {
    return 1;
  }

  absl::StatusOr<pip::v1::PurposeAllowedDecision> d = (*engine)->PurposeAllowed(req);
  if (!d.ok()) {  // a malformed request: do not proceed
    std::fprintf(stderr, "%s\n", d.status().ToString().c_str());
    return 1;
  }
  std::printf("allowed: %s\n", d->allowed() ? "true" : "false");
  for (const pip::v1::Reason& r : d->reasons()) {
    std::printf("%s %s: %s\n", r.clause().c_str(),
                pip::v1::ReasonCode_Name(r.code()).c_str(), r.message_en().c_str());
  }
  return 0;
}
