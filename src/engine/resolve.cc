#include "src/engine/resolve.h"

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/stubs/common.h"
#include "pip/limits.h"
#include "src/internal/status_macros.h"
#include "src/policy/suggest.h"

namespace pip {
namespace engine_internal {
namespace {

using Index = absl::flat_hash_map<std::string, int>;
using eval_internal::Access;
using policy_internal::IdSet;

absl::Status FieldError(absl::string_view field, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", message));
}

// InvalidArgument naming `field` and the limit when a list is too long.
#define PIP_CHECK_LIMIT(field, size, limit)                                 \
  do {                                                                      \
    if ((size) > (limit)) {                                                 \
      return FieldError(field, absl::StrCat((size), " entries; the limit is ", \
                                            (limit), " (" #limit ")"));     \
    }                                                                       \
  } while (false)

// Text of a request is echoed in decisions, messages and logs, so it must be
// well-formed: bounded, valid UTF-8 (no overlong forms or surrogates) and
// free of NUL bytes. The offending bytes are never quoted back.
absl::Status CheckText(absl::string_view field, absl::string_view text) {
  if (text.size() > kMaxTextBytes) {
    return FieldError(field, absl::StrCat(text.size(), " bytes; the limit is ",
                                          kMaxTextBytes, " (kMaxTextBytes)"));
  }
  if (!google::protobuf::internal::IsStructurallyValidUTF8(
          text.data(), static_cast<int>(text.size()))) {
    return FieldError(field, "not valid UTF-8");
  }
  if (text.find('\0') != absl::string_view::npos) {
    return FieldError(field, "contains a NUL byte");
  }
  return absl::OkStatus();
}

absl::StatusOr<int> Lookup(const Index& index, const std::string& id,
                           absl::string_view field, absl::string_view what) {
  if (id.empty()) return FieldError(field, absl::StrCat("a ", what, " is required"));
  PIP_RETURN_IF_ERROR(CheckText(field, id));
  auto it = index.find(id);
  if (it == index.end()) {
    return FieldError(field,
                      absl::StrCat("unknown ", what, " '", id, "'",
                                   policy_internal::SuggestionFrom(id, index)));
  }
  return it->second;
}

// A set of ids; `empty_means_all` gives the full set for an empty list.
absl::StatusOr<IdSet> LookupSet(
    const Index& index,
    const google::protobuf::RepeatedPtrField<std::string>& ids,
    absl::string_view field, absl::string_view what, bool empty_means_all) {
  PIP_CHECK_LIMIT(field, ids.size(), kMaxIdsPerList);
  if (ids.empty()) {
    if (empty_means_all) return IdSet::All(static_cast<int>(index.size()));
    return FieldError(field, absl::StrCat("at least one ", what,
                                          " is required"));
  }
  IdSet set;
  for (int i = 0; i < ids.size(); ++i) {
    PIP_ASSIGN_OR_RETURN(int id, Lookup(index, ids.Get(i),
                                        absl::StrCat(field, "[", i, "]"),
                                        what));
    set.Insert(id);
  }
  return set;
}

// A Timestamp within kMinYear..kMaxYear; `required` makes an absent one an
// error.
absl::StatusOr<absl::Time> ToTime(bool present,
                                  const google::protobuf::Timestamp& ts,
                                  absl::string_view field) {
  if (!present) return FieldError(field, "a time is required");
  if (ts.nanos() < 0 || ts.nanos() > 999999999) {
    return FieldError(field, "nanos out of range");
  }
  const absl::Time t =
      absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
  if (!InTimeRange(t)) return TimeRangeError(field);
  return t;
}

absl::StatusOr<absl::Time> OptionalTime(bool present,
                                        const google::protobuf::Timestamp& ts,
                                        absl::string_view field) {
  if (!present) return absl::InfiniteFuture();
  return ToTime(true, ts, field);
}

absl::StatusOr<int> Recipient(const CompiledPolicy& policy,
                              const std::string& id) {
  if (id.empty()) return policy.default_recipient;
  return Lookup(policy.recipient_index, id, "recipient", "recipient");
}

absl::Status ResolveConsents(
    const CompiledPolicy& policy, const std::string& subject_id,
    const google::protobuf::RepeatedPtrField<v1::Consent>& consents,
    std::vector<ConsentView>* out) {
  PIP_CHECK_LIMIT("consents", consents.size(), kMaxConsentsPerRequest);
  out->reserve(consents.size());
  for (int i = 0; i < consents.size(); ++i) {
    const v1::Consent& c = consents.Get(i);
    const std::string f = absl::StrCat("consents[", i, "]");
    if (c.id().empty()) return FieldError(absl::StrCat(f, ".id"), "an id is required");
    PIP_RETURN_IF_ERROR(CheckText(absl::StrCat(f, ".id"), c.id()));
    PIP_RETURN_IF_ERROR(
        CheckText(absl::StrCat(f, ".subject_id"), c.subject_id()));
    ConsentView v;
    // An anonymous query matches no consent: fail closed.
    v.subject_matches = !subject_id.empty() && c.subject_id() == subject_id;
    PIP_ASSIGN_OR_RETURN(
        const IdSet categories,
        LookupSet(policy.category_index, c.categories(),
                  absl::StrCat(f, ".categories"), "category", true));
    v.categories = Access::MakeSet<CategorySet>(categories, policy.generation);
    PIP_ASSIGN_OR_RETURN(
        const IdSet purposes,
        LookupSet(policy.purpose_index, c.purposes(),
                  absl::StrCat(f, ".purposes"), "purpose", true));
    v.purposes = Access::MakeSet<PurposeSet>(purposes, policy.generation);
    if (c.recipients_size() > 0) {
      PIP_ASSIGN_OR_RETURN(
          const IdSet recipients,
          LookupSet(policy.recipient_index, c.recipients(),
                    absl::StrCat(f, ".recipients"), "recipient", false));
      v.recipients =
          Access::MakeSet<RecipientSet>(recipients, policy.generation);
    }
    PIP_ASSIGN_OR_RETURN(v.granted_at,
                         ToTime(c.has_granted_at(), c.granted_at(),
                                absl::StrCat(f, ".granted_at")));
    PIP_ASSIGN_OR_RETURN(v.withdrawn_at,
                         OptionalTime(c.has_withdrawn_at(), c.withdrawn_at(),
                                      absl::StrCat(f, ".withdrawn_at")));
    PIP_ASSIGN_OR_RETURN(v.expires_at,
                         OptionalTime(c.has_expires_at(), c.expires_at(),
                                      absl::StrCat(f, ".expires_at")));
    v.consent_version = c.consent_version();
    out->push_back(v);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status TimeRangeError(absl::string_view field) {
  return FieldError(field, absl::StrCat("time is outside the years ", kMinYear,
                                        "-", kMaxYear));
}

absl::Status Resolve(const CompiledPolicy& policy,
                     const v1::PurposeAllowedRequest& request,
                     ResolvedPurposeAllowed* out) {
  auto& q = out->query;
  PIP_RETURN_IF_ERROR(CheckText("subject_id", request.subject_id()));
  PIP_ASSIGN_OR_RETURN(q.purpose, Lookup(policy.purpose_index,
                                         request.purpose(), "purpose",
                                         "purpose"));
  PIP_ASSIGN_OR_RETURN(q.categories,
                       LookupSet(policy.category_index, request.categories(),
                                 "categories", "category", false));
  PIP_ASSIGN_OR_RETURN(q.recipient, Recipient(policy, request.recipient()));
  const auto& ctx = request.context();
  q.context = 0;
  if (ctx.anonymized()) q.context |= policy_internal::kContextAnonymized;
  if (ctx.health_service()) q.context |= policy_internal::kContextHealthService;
  if (ctx.necessity_documented()) {
    q.context |= policy_internal::kContextNecessityDocumented;
  }
  PIP_RETURN_IF_ERROR(ResolveConsents(policy, request.subject_id(),
                                      request.consents(), &out->consents));
  PIP_CHECK_LIMIT("active_requests", request.active_requests_size(),
                  kMaxActiveRequests);
  out->requests.reserve(request.active_requests_size());
  for (int i = 0; i < request.active_requests_size(); ++i) {
    const auto& r = request.active_requests(i);
    const std::string f = absl::StrCat("active_requests[", i, "]");
    RequestView v;
    PIP_RETURN_IF_ERROR(CheckText(absl::StrCat(f, ".id"), r.id()));
    PIP_ASSIGN_OR_RETURN(const int type,
                         Lookup(policy.request_type_index, r.type(),
                                absl::StrCat(f, ".type"), "request type"));
    v.type = Access::MakeHandle<RequestTypeId>(type, policy.generation);
    PIP_ASSIGN_OR_RETURN(v.received_at,
                         ToTime(r.has_received_at(), r.received_at(),
                                absl::StrCat(f, ".received_at")));
    out->requests.push_back(v);
  }
  PIP_ASSIGN_OR_RETURN(q.as_of,
                       ToTime(request.has_as_of(), request.as_of(), "as_of"));
  q.consents = out->consents;
  q.requests = out->requests;
  return absl::OkStatus();
}

absl::Status Resolve(const CompiledPolicy& policy,
                     const v1::ConsentCheckRequest& request,
                     ResolvedConsentCheck* out) {
  auto& q = out->query;
  PIP_ASSIGN_OR_RETURN(q.categories,
                       LookupSet(policy.category_index, request.categories(),
                                 "categories", "category", false));
  PIP_ASSIGN_OR_RETURN(q.purposes,
                       LookupSet(policy.purpose_index, request.purposes(),
                                 "purposes", "purpose", false));
  PIP_ASSIGN_OR_RETURN(q.recipient, Recipient(policy, request.recipient()));
  if (request.subject_id().empty()) {
    return FieldError("subject_id", "a subject id is required");
  }
  PIP_RETURN_IF_ERROR(CheckText("subject_id", request.subject_id()));
  PIP_RETURN_IF_ERROR(ResolveConsents(policy, request.subject_id(),
                                      request.consents(), &out->consents));
  PIP_ASSIGN_OR_RETURN(q.as_of,
                       ToTime(request.has_as_of(), request.as_of(), "as_of"));
  q.consents = out->consents;
  return absl::OkStatus();
}

absl::Status Resolve(const CompiledPolicy& policy,
                     const v1::RetentionDueRequest& request,
                     ResolvedRetentionDue* out) {
  auto& q = out->query;
  PIP_ASSIGN_OR_RETURN(q.kind, Lookup(policy.retention_kind_index,
                                      request.kind(), "kind",
                                      "retention kind"));
  q.has_event = request.has_event_at();
  if (q.has_event) {
    PIP_ASSIGN_OR_RETURN(q.event_at,
                         ToTime(true, request.event_at(), "event_at"));
  } else if (!policy.retention_kinds[q.kind].event_may_be_pending) {
    return FieldError("event_at",
                      absl::StrCat("a time is required for retention kind '",
                                   request.kind(), "'"));
  }
  PIP_CHECK_LIMIT("holds", request.holds_size(), kMaxHolds);
  out->holds.reserve(request.holds_size());
  for (int i = 0; i < request.holds_size(); ++i) {
    const auto& h = request.holds(i);
    const std::string f = absl::StrCat("holds[", i, "]");
    HoldView v;
    PIP_RETURN_IF_ERROR(CheckText(absl::StrCat(f, ".id"), h.id()));
    PIP_ASSIGN_OR_RETURN(const int type,
                         Lookup(policy.hold_type_index, h.type(),
                                absl::StrCat(f, ".type"), "hold type"));
    v.type = Access::MakeHandle<HoldTypeId>(type, policy.generation);
    PIP_ASSIGN_OR_RETURN(v.until, OptionalTime(h.has_until(), h.until(),
                                               absl::StrCat(f, ".until")));
    out->holds.push_back(v);
  }
  PIP_ASSIGN_OR_RETURN(q.as_of,
                       ToTime(request.has_as_of(), request.as_of(), "as_of"));
  q.holds = out->holds;
  return absl::OkStatus();
}

absl::Status Resolve(const CompiledPolicy& policy,
                     const v1::RequestValidateRequest& request,
                     ResolvedRequestValidate* out) {
  auto& q = out->query;
  PIP_ASSIGN_OR_RETURN(q.type, Lookup(policy.request_type_index,
                                      request.type(), "type", "request type"));
  if (request.channel().empty()) {
    return FieldError("channel", "a channel is required");
  }
  PIP_RETURN_IF_ERROR(CheckText("channel", request.channel()));
  // A channel that does not accept requests is a fault of the request that
  // the decision reports (8.2), not an error of the call.
  auto channel = policy.request_channel_index.find(request.channel());
  q.channel =
      channel == policy.request_channel_index.end() ? -1 : channel->second;
  if (request.requester().empty()) {
    q.requester = policy.default_requester;
  } else {
    PIP_ASSIGN_OR_RETURN(q.requester,
                         Lookup(policy.requester_index, request.requester(),
                                "requester", "requester"));
  }
  const auto& docs = request.documents();
  q.documents[static_cast<int>(policy_internal::DocumentField::kIdentityDocument)] =
      docs.identity_document();
  q.documents[static_cast<int>(policy_internal::DocumentField::kRequestForm)] =
      docs.request_form();
  q.documents[static_cast<int>(policy_internal::DocumentField::kPowerOfAttorney)] =
      docs.power_of_attorney();
  q.identity_verified = request.identity_verified();
  if (request.fee_paid_jpy() < 0) {
    return FieldError("fee_paid_jpy", absl::StrCat("a fee cannot be negative, got ",
                                                   request.fee_paid_jpy()));
  }
  q.fee_paid_jpy = request.fee_paid_jpy();
  q.review[static_cast<int>(policy_internal::ReviewField::kLegallyRestricted)] =
      request.review().legally_restricted();
  q.review[static_cast<int>(policy_internal::ReviewField::kThirdPartyRights)] =
      request.review().third_party_rights();
  PIP_ASSIGN_OR_RETURN(q.received_at,
                       ToTime(request.has_received_at(), request.received_at(),
                              "received_at"));
  PIP_ASSIGN_OR_RETURN(q.as_of,
                       ToTime(request.has_as_of(), request.as_of(), "as_of"));
  return absl::OkStatus();
}

}  // namespace engine_internal
}  // namespace pip
