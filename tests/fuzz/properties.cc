#include "tests/fuzz/properties.h"

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/stubs/common.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "pip/encoded.h"
#include "pip/limits.h"
#include "pip/policy.h"

namespace pip {
namespace fuzz {
namespace {

// Removes `id` from a repeated string field.
void RemoveId(google::protobuf::RepeatedPtrField<std::string>* ids,
              const std::string& id) {
  for (int i = ids->size() - 1; i >= 0; --i) {
    if (ids->Get(i) == id) ids->DeleteSubrange(i, 1);
  }
}

std::string Serialize(const v1::EvalResponse& r) {
  std::string out;
  r.SerializeToString(&out);
  return out;
}

using Edit = std::function<void(v1::EvalRequest*)>;

// One variant of `request` with one field removed.
struct Variant {
  std::string name;
  Edit edit;
};

// The REQUIRED fields of the request's function, and each element's.
std::vector<Variant> RequiredFields(const v1::EvalRequest& request) {
  std::vector<Variant> out;
  auto consents = [&out](auto mutable_request, int n, const char* fn) {
    for (int i = 0; i < n; ++i) {
      out.push_back({absl::StrCat(fn, ".consents[", i, "].id"),
                     [mutable_request, i](v1::EvalRequest* r) {
                       mutable_request(r)->mutable_consents(i)->clear_id();
                     }});
      out.push_back({absl::StrCat(fn, ".consents[", i, "].granted_at"),
                     [mutable_request, i](v1::EvalRequest* r) {
                       mutable_request(r)->mutable_consents(i)->clear_granted_at();
                     }});
    }
  };
  switch (request.request_case()) {
    case v1::EvalRequest::kPurposeAllowed: {
      auto m = [](v1::EvalRequest* r) { return r->mutable_purpose_allowed(); };
      out.push_back({"purpose", [m](v1::EvalRequest* r) { m(r)->clear_purpose(); }});
      out.push_back({"categories", [m](v1::EvalRequest* r) { m(r)->clear_categories(); }});
      out.push_back({"as_of", [m](v1::EvalRequest* r) { m(r)->clear_as_of(); }});
      const auto& q = request.purpose_allowed();
      consents(m, q.consents_size(), "purpose_allowed");
      for (int i = 0; i < q.active_requests_size(); ++i) {
        out.push_back({absl::StrCat("active_requests[", i, "].type"),
                       [m, i](v1::EvalRequest* r) {
                         m(r)->mutable_active_requests(i)->clear_type();
                       }});
        out.push_back({absl::StrCat("active_requests[", i, "].received_at"),
                       [m, i](v1::EvalRequest* r) {
                         m(r)->mutable_active_requests(i)->clear_received_at();
                       }});
      }
      break;
    }
    case v1::EvalRequest::kConsentCheck: {
      auto m = [](v1::EvalRequest* r) { return r->mutable_consent_check(); };
      out.push_back({"subject_id", [m](v1::EvalRequest* r) { m(r)->clear_subject_id(); }});
      out.push_back({"categories", [m](v1::EvalRequest* r) { m(r)->clear_categories(); }});
      // No purposes is a question about acquisition (2.4 取得), not an error.
      out.push_back({"as_of", [m](v1::EvalRequest* r) { m(r)->clear_as_of(); }});
      consents(m, request.consent_check().consents_size(), "consent_check");
      break;
    }
    case v1::EvalRequest::kRetentionDue: {
      auto m = [](v1::EvalRequest* r) { return r->mutable_retention_due(); };
      out.push_back({"kind", [m](v1::EvalRequest* r) { m(r)->clear_kind(); }});
      out.push_back({"as_of", [m](v1::EvalRequest* r) { m(r)->clear_as_of(); }});
      for (int i = 0; i < request.retention_due().holds_size(); ++i) {
        out.push_back({absl::StrCat("holds[", i, "].type"), [m, i](v1::EvalRequest* r) {
                         m(r)->mutable_holds(i)->clear_type();
                       }});
      }
      // 8.1: an erasure names its request type and when it was carried out.
      for (int i = 0; i < request.retention_due().erasures_size(); ++i) {
        out.push_back({absl::StrCat("erasures[", i, "].type"), [m, i](v1::EvalRequest* r) {
                         m(r)->mutable_erasures(i)->clear_type();
                       }});
        out.push_back({absl::StrCat("erasures[", i, "].carried_out_at"),
                       [m, i](v1::EvalRequest* r) {
                         m(r)->mutable_erasures(i)->clear_carried_out_at();
                       }});
      }
      break;
    }
    case v1::EvalRequest::kRequestValidate: {
      auto m = [](v1::EvalRequest* r) { return r->mutable_request_validate(); };
      out.push_back({"type", [m](v1::EvalRequest* r) { m(r)->clear_type(); }});
      out.push_back({"channel", [m](v1::EvalRequest* r) { m(r)->clear_channel(); }});
      out.push_back({"received_at", [m](v1::EvalRequest* r) { m(r)->clear_received_at(); }});
      out.push_back({"as_of", [m](v1::EvalRequest* r) { m(r)->clear_as_of(); }});
      break;
    }
    case v1::EvalRequest::kContractorCheck: {
      auto m = [](v1::EvalRequest* r) { return r->mutable_contractor_check(); };
      out.push_back({"contractor_id", [m](v1::EvalRequest* r) { m(r)->clear_contractor_id(); }});
      out.push_back({"as_of", [m](v1::EvalRequest* r) { m(r)->clear_as_of(); }});
      break;
    }
    case v1::EvalRequest::kAcquisitionCheck: {
      auto m = [](v1::EvalRequest* r) { return r->mutable_acquisition_check(); };
      out.push_back({"channel", [m](v1::EvalRequest* r) { m(r)->clear_channel(); }});
      out.push_back({"categories", [m](v1::EvalRequest* r) { m(r)->clear_categories(); }});
      out.push_back({"as_of", [m](v1::EvalRequest* r) { m(r)->clear_as_of(); }});
      break;
    }
    case v1::EvalRequest::kIncidentAssess: {
      auto m = [](v1::EvalRequest* r) { return r->mutable_incident_assess(); };
      out.push_back({"kind", [m](v1::EvalRequest* r) { m(r)->clear_kind(); }});
      out.push_back({"categories", [m](v1::EvalRequest* r) { m(r)->clear_categories(); }});
      out.push_back({"aware_at", [m](v1::EvalRequest* r) { m(r)->clear_aware_at(); }});
      out.push_back({"as_of", [m](v1::EvalRequest* r) { m(r)->clear_as_of(); }});
      break;
    }
    case v1::EvalRequest::kComplaintRoute: {
      auto m = [](v1::EvalRequest* r) { return r->mutable_complaint_route(); };
      out.push_back({"as_of", [m](v1::EvalRequest* r) { m(r)->clear_as_of(); }});
      break;
    }
    case v1::EvalRequest::REQUEST_NOT_SET:
      break;
  }
  return out;
}

// The supporting FACTS of the request: each may only ever help an allow.
std::vector<Variant> SupportingFacts(const v1::EvalRequest& request) {
  std::vector<Variant> out;
  auto remove_consent = [&out](auto mutable_consents, int n) {
    for (int i = 0; i < n; ++i) {
      out.push_back({absl::StrCat("consents[", i, "]"),
                     [mutable_consents, i](v1::EvalRequest* r) {
                       auto* consents = mutable_consents(r);
                       consents->erase(consents->begin() + i);
                     }});
    }
  };
  switch (request.request_case()) {
    case v1::EvalRequest::kPurposeAllowed: {
      auto m = [](v1::EvalRequest* r) { return r->mutable_purpose_allowed(); };
      remove_consent([m](v1::EvalRequest* r) { return m(r)->mutable_consents(); },
                     request.purpose_allowed().consents_size());
      out.push_back({"context.anonymized", [m](v1::EvalRequest* r) {
                       m(r)->mutable_context()->clear_anonymized();
                     }});
      out.push_back({"context.health_service", [m](v1::EvalRequest* r) {
                       m(r)->mutable_context()->clear_health_service();
                     }});
      out.push_back({"context.necessity_documented", [m](v1::EvalRequest* r) {
                       m(r)->mutable_context()->clear_necessity_documented();
                     }});
      break;
    }
    case v1::EvalRequest::kConsentCheck: {
      auto m = [](v1::EvalRequest* r) { return r->mutable_consent_check(); };
      remove_consent([m](v1::EvalRequest* r) { return m(r)->mutable_consents(); },
                     request.consent_check().consents_size());
      break;
    }
    case v1::EvalRequest::kRequestValidate: {
      auto m = [](v1::EvalRequest* r) { return r->mutable_request_validate(); };
      out.push_back({"documents.identity_document", [m](v1::EvalRequest* r) {
                       RemoveId(m(r)->mutable_documents(), "identity_document");
                     }});
      out.push_back({"documents.request_form", [m](v1::EvalRequest* r) {
                       RemoveId(m(r)->mutable_documents(), "request_form");
                     }});
      out.push_back({"documents.power_of_attorney", [m](v1::EvalRequest* r) {
                       RemoveId(m(r)->mutable_documents(), "power_of_attorney");
                     }});
      out.push_back({"identity_verified", [m](v1::EvalRequest* r) {
                       m(r)->clear_identity_verified();
                     }});
      out.push_back({"fee_paid_jpy", [m](v1::EvalRequest* r) { m(r)->clear_fee_paid_jpy(); }});
      break;
    }
    case v1::EvalRequest::kContractorCheck: {
      // What qualifies a contractor (6.1, 6.2, 6.3; APPI 28): each taken
      // away may only deny.
      auto m = [](v1::EvalRequest* r) { return r->mutable_contractor_check(); };
      const auto& c = request.contractor_check();
      for (int i = 0; i < c.criteria_met_size(); ++i) {
        out.push_back({absl::StrCat("criteria_met[", i, "]"), [m, i](v1::EvalRequest* r) {
                         m(r)->mutable_criteria_met()->DeleteSubrange(i, 1);
                       }});
      }
      for (int i = 0; i < c.contract_terms_size(); ++i) {
        out.push_back({absl::StrCat("contract_terms[", i, "]"), [m, i](v1::EvalRequest* r) {
                         m(r)->mutable_contract_terms()->DeleteSubrange(i, 1);
                       }});
      }
      out.push_back({"last_checked_at", [m](v1::EvalRequest* r) { m(r)->clear_last_checked_at(); }});
      out.push_back({"informed_consent", [m](v1::EvalRequest* r) { m(r)->clear_informed_consent(); }});
      out.push_back({"equivalent_measures", [m](v1::EvalRequest* r) {
                       m(r)->clear_equivalent_measures();
                     }});
      out.push_back({"continuing_measures", [m](v1::EvalRequest* r) {
                       m(r)->clear_continuing_measures();
                     }});
      break;
    }
    case v1::EvalRequest::kAcquisitionCheck: {
      // Consents, the purpose stated, who published it, the legal grounds,
      // the provider confirmed and its role (APPI 20(2), 21(2), 30): each
      // can only lift a denial.
      auto m = [](v1::EvalRequest* r) { return r->mutable_acquisition_check(); };
      remove_consent([m](v1::EvalRequest* r) { return m(r)->mutable_consents(); },
                     request.acquisition_check().consents_size());
      out.push_back({"purpose_stated", [m](v1::EvalRequest* r) { m(r)->clear_purpose_stated(); }});
      out.push_back({"published_by", [m](v1::EvalRequest* r) { m(r)->clear_published_by(); }});
      out.push_back({"legal_ground", [m](v1::EvalRequest* r) { m(r)->clear_legal_ground(); }});
      if (request.acquisition_check().has_provider()) {
        auto p = [m](v1::EvalRequest* r) { return m(r)->mutable_provider(); };
        out.push_back({"provider.name", [p](v1::EvalRequest* r) { p(r)->clear_name(); }});
        out.push_back({"provider.address", [p](v1::EvalRequest* r) { p(r)->clear_address(); }});
        out.push_back({"provider.representative",
                       [p](v1::EvalRequest* r) { p(r)->clear_representative(); }});
        out.push_back({"provider.how_obtained",
                       [p](v1::EvalRequest* r) { p(r)->clear_how_obtained(); }});
        out.push_back({"provider.role", [p](v1::EvalRequest* r) { p(r)->clear_role(); }});
        out.push_back({"provider.legal_ground",
                       [p](v1::EvalRequest* r) { p(r)->clear_legal_ground(); }});
      }
      break;
    }
    case v1::EvalRequest::kIncidentAssess: {
      // What excludes an incident from reporting (施行規則 7(1)): not known,
      // it never excludes.
      auto m = [](v1::EvalRequest* r) { return r->mutable_incident_assess(); };
      out.push_back({"encryption", [m](v1::EvalRequest* r) { m(r)->clear_encryption(); }});
      out.push_back({"key", [m](v1::EvalRequest* r) { m(r)->clear_key(); }});
      break;
    }
    case v1::EvalRequest::kRetentionDue:
    case v1::EvalRequest::kComplaintRoute:
    case v1::EvalRequest::REQUEST_NOT_SET:
      break;
  }
  return out;
}

const std::string& VersionOf(const v1::EvalResponse& r) {
  switch (r.response_case()) {
    case v1::EvalResponse::kPurposeAllowed: return r.purpose_allowed().policy().version();
    case v1::EvalResponse::kConsentCheck: return r.consent_check().policy().version();
    case v1::EvalResponse::kRetentionDue: return r.retention_due().policy().version();
    case v1::EvalResponse::kRequestValidate: return r.request_validate().policy().version();
    case v1::EvalResponse::kAcquisitionCheck: return r.acquisition_check().policy().version();
    case v1::EvalResponse::kContractorCheck: return r.contractor_check().policy().version();
    case v1::EvalResponse::kIncidentAssess: return r.incident_assess().policy().version();
    case v1::EvalResponse::kComplaintRoute: return r.complaint_route().policy().version();
    default: return r.error().code();
  }
}

}  // namespace

void Check(bool ok, absl::string_view what) {
  if (ok) return;
  std::fprintf(stderr, "pip fuzz property violated: %.*s\n",
               static_cast<int>(what.size()), what.data());
  std::abort();
}

const Engine& DefaultEngine() {
  static const Engine* engine = [] {
    auto e = Engine::Create(PolicySource::Default());
    Check(e.ok(), "the default engine loads");
    return e->release();
  }();
  return *engine;
}

bool IsAllow(const v1::EvalResponse& r) {
  switch (r.response_case()) {
    case v1::EvalResponse::kPurposeAllowed: return r.purpose_allowed().allowed();
    case v1::EvalResponse::kConsentCheck: return r.consent_check().valid();
    case v1::EvalResponse::kRetentionDue: return r.retention_due().due();
    case v1::EvalResponse::kAcquisitionCheck: return r.acquisition_check().allowed();
    case v1::EvalResponse::kRequestValidate: return r.request_validate().valid();
    case v1::EvalResponse::kContractorCheck: return r.contractor_check().allowed();
    // The answer that asks nothing of the company: nothing to report, or a
    // complaint closed.
    case v1::EvalResponse::kIncidentAssess: return !r.incident_assess().reportable();
    case v1::EvalResponse::kComplaintRoute: return r.complaint_route().closed();
    default: return false;
  }
}

void CheckRequest(const Engine& engine, const v1::EvalRequest& request) {
  const v1::EvalResponse first = engine.Evaluate(request);
  const std::string bytes = Serialize(first);
  Check(Serialize(engine.Evaluate(request)) == bytes,
        "the same request gives the same answer twice");
  if (first.has_error()) {
    Check(first.error().code() == "INVALID_ARGUMENT",
          absl::StrCat("a bad request is INVALID_ARGUMENT, got ", first.error().code()));
    Check(google::protobuf::internal::IsStructurallyValidUTF8(first.error().message()),
          "an error message is valid UTF-8");
    Check(request.request_case() != v1::EvalRequest::REQUEST_NOT_SET ||
              !first.error().message().empty(),
          "an error says what is wrong");
  } else {
    Check(VersionOf(first) == engine.policy_version(),
          "a decision carries the engine's policy version");
  }

  // The JSON surface answers what the message surface answers. A field
  // this version does not know has no JSON form: the message surface
  // refuses it, and JSON, which cannot carry it, is held to the answer to
  // the same request without it.
  v1::EvalRequest known = request;
  known.DiscardUnknownFields();
  const v1::EvalResponse known_first =
      known.ByteSizeLong() == request.ByteSizeLong() ? first
                                                     : engine.Evaluate(known);
  const std::string known_bytes = Serialize(known_first);
  if (known.ByteSizeLong() != request.ByteSizeLong()) {
    Check(first.has_error(), "a field pip does not know is an error, never ignored");
  }
  std::string json;
  if (google::protobuf::util::MessageToJsonString(known, &json).ok() &&
      json.size() <= kMaxJsonRequestBytes) {
    const std::string line = pip::EvaluateJson(engine, json);
    Check(pip::EvaluateJson(engine, json) == line, "the same JSON gives the same line twice");
    v1::EvalResponse from_json;
    Check(google::protobuf::util::JsonStringToMessage(line, &from_json).ok(),
          absl::StrCat("an answer line is JSON: ", line));
    Check(from_json.has_error() == known_first.has_error(),
          absl::StrCat("JSON and message surfaces agree on an error: ", line));
    if (!known_first.has_error()) {
      Check(Serialize(from_json) == known_bytes,
            absl::StrCat("JSON and message surfaces give one decision: ", line));
    }
  }

  for (const Variant& v : RequiredFields(request)) {
    v1::EvalRequest without = request;
    v.edit(&without);
    const v1::EvalResponse r = engine.Evaluate(without);
    Check(r.has_error(),
          absl::StrCat("removing the required field ", v.name, " gives an error, got ",
                       r.ShortDebugString()));
  }
  if (request.has_retention_due() && request.retention_due().has_event_at()) {
    v1::EvalRequest without = request;
    without.mutable_retention_due()->clear_event_at();
    const v1::EvalResponse r = engine.Evaluate(without);
    Check(r.has_error() || !r.retention_due().due(),
          "a record with no event is never due (7)");
  }
  if (!first.has_error() && !IsAllow(first)) {
    for (const Variant& v : SupportingFacts(request)) {
      v1::EvalRequest without = request;
      v.edit(&without);
      const v1::EvalResponse r = engine.Evaluate(without);
      Check(!IsAllow(r), absl::StrCat("removing the fact ", v.name,
                                      " turned a refusal into an allow: ",
                                      r.ShortDebugString()));
    }
  }
}

void CheckEngine(const Engine& engine) {
  const v1::Policy policy = engine.policy();
  Check(ValidatePolicy(policy).empty(), "an engine's policy validates");
  std::string text;
  Check(google::protobuf::TextFormat::PrintToString(policy, &text),
        "a policy prints as text");
  auto from_text = Engine::Create(PolicySource::Text(text));
  Check(from_text.ok() && (*from_text)->policy_hash() == engine.policy_hash(),
        "a policy printed and loaded again has the same hash");
  auto from_binary =
      Engine::Create(PolicySource::Binary(policy.SerializeAsString()));
  Check(from_binary.ok() && (*from_binary)->policy_hash() == engine.policy_hash(),
        "a policy serialized and loaded again has the same hash");

  // A request for every function, with ids the policy defines.
  const auto first_id = [](const auto& list) {
    return list.empty() ? std::string("none") : list.Get(0).id();
  };
  const std::string json = absl::StrCat(
      R"({"purpose_allowed": {"subject_id": "c-1", "purpose": ")", first_id(policy.purposes()),
      R"(", "categories": [")", first_id(policy.categories()),
      R"("], "consents": [{"id": "k", "subject_id": "c-1", "granted_at": "2025-04-01T10:00:00+09:00"}], "as_of": "2026-03-01T12:00:00+09:00"}})",
      "\n",
      R"({"consent_check": {"subject_id": "c-1", "categories": [")", first_id(policy.categories()),
      R"("], "purposes": [")", first_id(policy.purposes()),
      R"("], "consents": [{"id": "k", "subject_id": "c-1", "granted_at": "2025-04-01T10:00:00+09:00"}], "as_of": "2026-03-01T12:00:00+09:00"}})",
      "\n",
      R"({"retention_due": {"kind": ")", first_id(policy.retention().kinds()),
      R"(", "event_at": "2023-05-10T14:00:00+09:00", "as_of": "2026-05-11T00:00:00+09:00"}})",
      "\n",
      R"({"request_validate": {"type": ")", first_id(policy.requests().types()),
      R"(", "channel": ")", first_id(policy.requests().channels()),
      R"(", "received_at": "2026-01-31T10:00:00+09:00", "documents": {"identity_document": true}, "as_of": "2026-02-02T09:00:00+09:00"}})");
  size_t start = 0;
  while (start < json.size()) {
    size_t end = json.find('\n', start);
    if (end == std::string::npos) end = json.size();
    auto request = ParseEvalRequestJson(absl::string_view(json).substr(start, end - start));
    if (request.ok()) CheckRequest(engine, *request);
    start = end + 1;
  }
}

}  // namespace fuzz
}  // namespace pip
