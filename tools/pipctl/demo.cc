#include "tools/pipctl/demo.h"

#include "pip/encoded.h"
#include "pip/engine.h"

namespace pipctl {
namespace {

struct Scenario {
  const char* title;
  const char* request;  // one pip.v1.EvalRequest, as `pipctl eval` reads it
};

constexpr Scenario kScenarios[] = {
    {"A newsletter to a customer who asked us to stop using their data "
     "(8.1)",
     R"({"purpose_allowed": {"subject_id": "c-1001", "purpose": "direct_mail", "categories": ["name", "email"], "active_requests": [{"type": "suspension", "id": "req-77", "received_at": "2026-01-10T09:00:00+09:00"}], "as_of": "2026-03-01T12:00:00+09:00"}})"},
    {"The same newsletter to a customer with no pending request (4.2)",
     R"({"purpose_allowed": {"subject_id": "c-1002", "purpose": "direct_mail", "categories": ["name", "email"], "as_of": "2026-03-01T12:00:00+09:00"}})"},
    {"Location data in usage analysis, without the customer's permission "
     "(2.4)",
     R"({"purpose_allowed": {"subject_id": "c-1003", "purpose": "usage_analysis", "categories": ["location", "access_log"], "consents": [{"id": "k-9", "subject_id": "c-1003", "categories": ["location"], "granted_at": "2025-04-01T10:00:00+09:00", "withdrawn_at": "2026-02-01T10:00:00+09:00", "consent_version": 1}], "as_of": "2026-03-01T12:00:00+09:00"}})"},
    {"An inquiry from 10 May 2023, checked on 11 May 2026 (7)",
     R"({"retention_due": {"kind": "inquiry", "event_at": "2023-05-10T14:00:00+09:00", "as_of": "2026-05-11T00:00:00+09:00"}})"},
    {"A disclosure request by e-mail from an agent, fee not yet paid (8.2, "
     "8.3)",
     R"({"request_validate": {"type": "disclosure", "channel": "email", "received_at": "2026-01-31T10:00:00+09:00", "requester": "agent", "documents": ["identity_document", "request_form"], "fee_paid_jpy": 0, "as_of": "2026-02-02T09:00:00+09:00"}})"},
};

}  // namespace

int RunDemo(std::ostream& out) {
  auto engine = pip::Engine::Create(pip::PolicySource::Default());
  if (!engine.ok()) {
    out << "pipctl demo: " << engine.status().message() << "\n";
    return 1;
  }
  out << "pip: the company's privacy policy (version "
      << (*engine)->policy_version() << "), asked five questions.\n";
  int n = 0;
  int failed = 0;
  for (const Scenario& s : kScenarios) {
    out << "\n── " << ++n << ". " << s.title << "\n";
    out << "   request: " << s.request << "\n\n";
    auto request = pip::ParseEvalRequestJson(s.request);
    if (!request.ok()) {
      out << request.status().message() << "\n";
      ++failed;
      continue;
    }
    const pip::v1::EvalResponse response = (*engine)->Evaluate(*request);
    if (response.has_error()) ++failed;
    out << (*engine)->Explain(response, /*quote_clauses=*/false);
  }
  out << "\nEvery answer names the clause of the policy it comes from. Try "
         "`pipctl explain` for the clause text, `pipctl eval` for JSON.\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace pipctl
