// Uses the installed C++ API: the default engine answers one retention
// question (clause 7: an inquiry of 2023-05-10 is kept until 2026-05-10 and
// due on 2026-05-11). Exits 0 only with that answer.
#include <iostream>

#include "google/protobuf/util/time_util.h"
#include "pip/engine.h"
#include "pip/version.h"

int main() {
  auto engine = pip::Engine::Create(pip::PolicySource::Default());
  if (!engine.ok()) {
    std::cerr << engine.status() << "\n";
    return 1;
  }
  pip::v1::RetentionDueRequest request;
  request.set_kind("inquiry");
  using google::protobuf::util::TimeUtil;
  if (!TimeUtil::FromString("2023-05-10T14:00:00+09:00",
                            request.mutable_event_at()) ||
      !TimeUtil::FromString("2026-05-11T00:00:00+09:00",
                            request.mutable_as_of())) {
    return 1;
  }
  absl::StatusOr<pip::v1::RetentionDueDecision> decision =
      (*engine)->RetentionDue(request);
  if (!decision.ok()) {
    std::cerr << decision.status() << "\n";
    return 1;
  }
  std::cout << "pip " << PIP_VERSION_STRING << ": due=" << decision->due()
            << " retain_until=" << decision->retain_until() << "\n";
  return decision->due() && decision->retain_until() == "2026-05-10" ? 0 : 1;
}
