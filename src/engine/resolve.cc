#include "src/engine/resolve.h"

#include <cstring>

#include "absl/base/optimization.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "pip/limits.h"
#include "src/internal/message_checks.h"
#include "src/internal/status_macros.h"
#include "src/policy/suggest.h"

namespace pip {
namespace engine_internal {
namespace {

using policy_internal::IdIndex;
using eval_internal::Access;
using policy_internal::IdSet;

// A request field's path ("consents[2].categories[1]"), formatted only when
// an error names it: resolution runs on every decision, errors rarely.
struct Field {
  const char* name;
  int index = -1;
  const char* member = nullptr;
  int member_index = -1;

  // The same path with ".member" appended.
  Field Member(const char* m) const { return Field{name, index, m, -1}; }
  // Element `i` of the list this path names.
  Field At(int i) const {
    Field f = *this;
    (member == nullptr ? f.index : f.member_index) = i;
    return f;
  }
  std::string ToString() const {
    std::string s = name;
    if (index >= 0) absl::StrAppend(&s, "[", index, "]");
    if (member != nullptr) absl::StrAppend(&s, ".", member);
    if (member_index >= 0) absl::StrAppend(&s, "[", member_index, "]");
    return s;
  }
};

absl::Status FieldError(const Field& field, absl::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat(field.ToString(), ": ", message));
}

// InvalidArgument naming `field` and the limit when a list is too long.
#define PIP_CHECK_LIMIT(field, size, limit)                                 \
  do {                                                                      \
    if (ABSL_PREDICT_FALSE((size) > (limit))) {                             \
      return FieldError(field, absl::StrCat((size), " entries; the limit is ", \
                                            (limit), " (" #limit ")"));     \
    }                                                                       \
  } while (false)

// Text of a request is echoed in decisions, messages and logs, so it must be
// well-formed: bounded, valid UTF-8 (no overlong forms or surrogates) and
// free of NUL bytes. The offending bytes are never quoted back.
absl::Status CheckText(const Field& field, absl::string_view text) {
  if (ABSL_PREDICT_FALSE(text.size() > kMaxTextBytes)) {
    return FieldError(field, absl::StrCat(text.size(), " bytes; the limit is ",
                                          kMaxTextBytes, " (kMaxTextBytes)"));
  }
  if (ABSL_PREDICT_FALSE(!internal::IsUtf8(text))) {
    return FieldError(field, "not valid UTF-8");
  }
  if (ABSL_PREDICT_FALSE(!text.empty() && std::memchr(text.data(), '\0',
                                                      text.size()) != nullptr)) {
    return FieldError(field, "contains a NUL byte");
  }
  return absl::OkStatus();
}

absl::StatusOr<int> Lookup(const IdIndex& index, absl::string_view id,
                           const Field& field, absl::string_view what) {
  // A policy's ids are well-formed text, so an id found needs no CheckText:
  // the checks only word why one is not found.
  const int i = index.Find(id);
  if (ABSL_PREDICT_TRUE(i >= 0)) return i;
  if (id.empty()) return FieldError(field, absl::StrCat("a ", what, " is required"));
  PIP_RETURN_IF_ERROR(CheckText(field, id));
  return FieldError(field,
                    absl::StrCat("unknown ", what, " '", id, "'",
                                 policy_internal::SuggestionFrom(id, index.ids())));
}

// A set of ids; `empty_means_all` gives the full set for an empty list.
template <typename Ids>
absl::StatusOr<IdSet> LookupSet(const IdIndex& index, const Ids& ids,
                                const Field& field, absl::string_view what,
                                bool empty_means_all) {
  const int n = static_cast<int>(ids.size());
  PIP_CHECK_LIMIT(field, n, kMaxIdsPerList);
  if (n == 0) {
    if (empty_means_all) return IdSet::All(index.size());
    return FieldError(field, absl::StrCat("at least one ", what,
                                          " is required"));
  }
  IdSet set;
  for (int i = 0; i < n; ++i) {
    PIP_ASSIGN_OR_RETURN(int id, Lookup(index, ids[i], field.At(i), what));
    set.Insert(id);
  }
  return set;
}

// A Timestamp (a google.protobuf.Timestamp or its wire view) within
// kMinYear..kMaxYear; `required` makes an absent one an error.
template <typename Timestamp>
absl::StatusOr<absl::Time> ToTime(bool present, const Timestamp& ts,
                                  const Field& field) {
  if (ABSL_PREDICT_FALSE(!present)) {
    return FieldError(field, "a time is required");
  }
  if (ABSL_PREDICT_FALSE(ts.nanos() < 0 || ts.nanos() > 999999999)) {
    return FieldError(field, "nanos out of range");
  }
  const absl::Time t =
      absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
  if (ABSL_PREDICT_FALSE(!InTimeRange(t))) {
    return TimeRangeError(field.ToString());
  }
  return t;
}

template <typename Timestamp>
absl::StatusOr<absl::Time> OptionalTime(bool present, const Timestamp& ts,
                                        const Field& field) {
  if (!present) return absl::InfiniteFuture();
  return ToTime(true, ts, field);
}

absl::StatusOr<int> Recipient(const CompiledPolicy& policy,
                              absl::string_view id) {
  if (id.empty()) return policy.default_recipient;
  return Lookup(policy.recipient_index, id, Field{"recipient"}, "recipient");
}

template <typename Consents>
absl::Status ResolveConsents(const CompiledPolicy& policy,
                             absl::string_view subject_id,
                             const Consents& consents,
                             std::vector<ConsentView>* out) {
  const int n = static_cast<int>(consents.size());
  PIP_CHECK_LIMIT(Field{"consents"}, n, kMaxConsentsPerRequest);
  out->reserve(n);
  for (int i = 0; i < n; ++i) {
    const auto& c = consents[i];
    const Field f{"consents", i};
    if (c.id().empty()) return FieldError(f.Member("id"), "an id is required");
    PIP_RETURN_IF_ERROR(CheckText(f.Member("id"), c.id()));
    PIP_RETURN_IF_ERROR(CheckText(f.Member("subject_id"), c.subject_id()));
    ConsentView v;
    // An anonymous query matches no consent: fail closed.
    v.subject_matches =
        !subject_id.empty() && absl::string_view(c.subject_id()) == subject_id;
    PIP_ASSIGN_OR_RETURN(
        const IdSet categories,
        LookupSet(policy.category_index, c.categories(),
                  f.Member("categories"), "category", true));
    v.categories = Access::MakeSet<CategorySet>(categories, policy.generation);
    PIP_ASSIGN_OR_RETURN(
        const IdSet purposes,
        LookupSet(policy.purpose_index, c.purposes(), f.Member("purposes"),
                  "purpose", true));
    v.purposes = Access::MakeSet<PurposeSet>(purposes, policy.generation);
    if (!c.recipients().empty()) {
      PIP_ASSIGN_OR_RETURN(
          const IdSet recipients,
          LookupSet(policy.recipient_index, c.recipients(),
                    f.Member("recipients"), "recipient", false));
      v.recipients =
          Access::MakeSet<RecipientSet>(recipients, policy.generation);
    }
    PIP_ASSIGN_OR_RETURN(v.granted_at,
                         ToTime(c.has_granted_at(), c.granted_at(),
                                f.Member("granted_at")));
    PIP_ASSIGN_OR_RETURN(v.withdrawn_at,
                         OptionalTime(c.has_withdrawn_at(), c.withdrawn_at(),
                                      f.Member("withdrawn_at")));
    PIP_ASSIGN_OR_RETURN(v.expires_at,
                         OptionalTime(c.has_expires_at(), c.expires_at(),
                                      f.Member("expires_at")));
    v.consent_version = c.consent_version();
    out->push_back(v);
  }
  return absl::OkStatus();
}

// purpose_allowed's resolution, for a pip.v1.PurposeAllowedRequest and for
// its wire view alike.
template <typename Request>
absl::Status ResolvePurposeAllowed(const CompiledPolicy& policy,
                                   const Request& request,
                                   ResolvedPurposeAllowed* out) {
  auto& q = out->query;
  PIP_RETURN_IF_ERROR(CheckText(Field{"subject_id"}, request.subject_id()));
  PIP_ASSIGN_OR_RETURN(q.purpose, Lookup(policy.purpose_index,
                                         request.purpose(), Field{"purpose"},
                                         "purpose"));
  PIP_ASSIGN_OR_RETURN(q.categories,
                       LookupSet(policy.category_index, request.categories(),
                                 Field{"categories"}, "category", false));
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
  const auto& requests = request.active_requests();
  const int n = static_cast<int>(requests.size());
  PIP_CHECK_LIMIT(Field{"active_requests"}, n, kMaxActiveRequests);
  out->requests.reserve(n);
  for (int i = 0; i < n; ++i) {
    const auto& r = requests[i];
    const Field f{"active_requests", i};
    RequestView v;
    PIP_RETURN_IF_ERROR(CheckText(f.Member("id"), r.id()));
    PIP_ASSIGN_OR_RETURN(const int type,
                         Lookup(policy.request_type_index, r.type(),
                                f.Member("type"), "request type"));
    v.type = Access::MakeHandle<RequestTypeId>(type, policy.generation);
    PIP_ASSIGN_OR_RETURN(v.received_at,
                         ToTime(r.has_received_at(), r.received_at(),
                                f.Member("received_at")));
    out->requests.push_back(v);
  }
  PIP_ASSIGN_OR_RETURN(q.as_of, ToTime(request.has_as_of(), request.as_of(),
                                       Field{"as_of"}));
  q.consents = out->consents;
  q.requests = out->requests;
  return absl::OkStatus();
}

// consent_check's resolution, for a pip.v1.ConsentCheckRequest and for its
// wire view alike.
template <typename Request>
absl::Status ResolveConsentCheck(const CompiledPolicy& policy,
                                 const Request& request,
                                 ResolvedConsentCheck* out) {
  auto& q = out->query;
  PIP_ASSIGN_OR_RETURN(q.categories,
                       LookupSet(policy.category_index, request.categories(),
                                 Field{"categories"}, "category", false));
  PIP_ASSIGN_OR_RETURN(q.purposes,
                       LookupSet(policy.purpose_index, request.purposes(),
                                 Field{"purposes"}, "purpose", false));
  PIP_ASSIGN_OR_RETURN(q.recipient, Recipient(policy, request.recipient()));
  if (request.subject_id().empty()) {
    return FieldError(Field{"subject_id"}, "a subject id is required");
  }
  PIP_RETURN_IF_ERROR(CheckText(Field{"subject_id"}, request.subject_id()));
  PIP_RETURN_IF_ERROR(ResolveConsents(policy, request.subject_id(),
                                      request.consents(), &out->consents));
  PIP_ASSIGN_OR_RETURN(q.as_of,
                       ToTime(request.has_as_of(), request.as_of(), Field{"as_of"}));
  q.consents = out->consents;
  return absl::OkStatus();
}

// retention_due's resolution, for a pip.v1.RetentionDueRequest and for its
// wire view alike.
template <typename Request>
absl::Status ResolveRetentionDue(const CompiledPolicy& policy,
                                 const Request& request,
                                 ResolvedRetentionDue* out) {
  auto& q = out->query;
  PIP_ASSIGN_OR_RETURN(q.kind, Lookup(policy.retention_kind_index,
                                      request.kind(), Field{"kind"},
                                      "retention kind"));
  q.has_event = request.has_event_at();
  if (q.has_event) {
    PIP_ASSIGN_OR_RETURN(q.event_at,
                         ToTime(true, request.event_at(), Field{"event_at"}));
  } else if (!policy.retention_kinds[q.kind].event_may_be_pending) {
    return FieldError(Field{"event_at"},
                      absl::StrCat("a time is required for retention kind '",
                                   request.kind(), "'"));
  }
  const auto& holds = request.holds();
  const int n = static_cast<int>(holds.size());
  PIP_CHECK_LIMIT(Field{"holds"}, n, kMaxHolds);
  out->holds.reserve(n);
  for (int i = 0; i < n; ++i) {
    const auto& h = holds[i];
    const Field f{"holds", i};
    HoldView v;
    PIP_RETURN_IF_ERROR(CheckText(f.Member("id"), h.id()));
    PIP_ASSIGN_OR_RETURN(const int type,
                         Lookup(policy.hold_type_index, h.type(),
                                f.Member("type"), "hold type"));
    v.type = Access::MakeHandle<HoldTypeId>(type, policy.generation);
    PIP_ASSIGN_OR_RETURN(v.until, OptionalTime(h.has_until(), h.until(),
                                               f.Member("until")));
    out->holds.push_back(v);
  }
  PIP_ASSIGN_OR_RETURN(q.as_of,
                       ToTime(request.has_as_of(), request.as_of(), Field{"as_of"}));
  q.holds = out->holds;
  return absl::OkStatus();
}

// request_validate's resolution, for a pip.v1.RequestValidateRequest and
// for its wire view alike.
template <typename Request>
absl::Status ResolveRequestValidate(const CompiledPolicy& policy,
                                    const Request& request,
                                    ResolvedRequestValidate* out) {
  auto& q = out->query;
  PIP_ASSIGN_OR_RETURN(q.type, Lookup(policy.request_type_index,
                                      request.type(), Field{"type"}, "request type"));
  if (request.channel().empty()) {
    return FieldError(Field{"channel"}, "a channel is required");
  }
  PIP_RETURN_IF_ERROR(CheckText(Field{"channel"}, request.channel()));
  // A channel that does not accept requests is a fault of the request that
  // the decision reports (8.2), not an error of the call.
  q.channel = policy.request_channel_index.Find(request.channel());
  if (request.requester().empty()) {
    q.requester = policy.default_requester;
  } else {
    PIP_ASSIGN_OR_RETURN(q.requester,
                         Lookup(policy.requester_index, request.requester(),
                                Field{"requester"}, "requester"));
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
    return FieldError(Field{"fee_paid_jpy"}, absl::StrCat("a fee cannot be negative, got ",
                                                   request.fee_paid_jpy()));
  }
  q.fee_paid_jpy = request.fee_paid_jpy();
  q.review[static_cast<int>(policy_internal::ReviewField::kLegallyRestricted)] =
      request.review().legally_restricted();
  q.review[static_cast<int>(policy_internal::ReviewField::kThirdPartyRights)] =
      request.review().third_party_rights();
  PIP_ASSIGN_OR_RETURN(q.received_at,
                       ToTime(request.has_received_at(), request.received_at(),
                              Field{"received_at"}));
  PIP_ASSIGN_OR_RETURN(q.as_of,
                       ToTime(request.has_as_of(), request.as_of(), Field{"as_of"}));
  return absl::OkStatus();
}

}  // namespace

absl::Status TimeRangeError(absl::string_view field) {
  return absl::InvalidArgumentError(absl::StrCat(
      field, ": time is outside the years ", kMinYear, "-", kMaxYear));
}

absl::Status Resolve(const CompiledPolicy& policy,
                     const v1::PurposeAllowedRequest& request,
                     ResolvedPurposeAllowed* out) {
  return ResolvePurposeAllowed(policy, request, out);
}

absl::Status Resolve(const CompiledPolicy& policy,
                     const WirePurposeAllowedRequest& request,
                     ResolvedPurposeAllowed* out) {
  return ResolvePurposeAllowed(policy, request, out);
}

absl::Status Resolve(const CompiledPolicy& policy,
                     const v1::ConsentCheckRequest& request,
                     ResolvedConsentCheck* out) {
  return ResolveConsentCheck(policy, request, out);
}

absl::Status Resolve(const CompiledPolicy& policy,
                     const WireConsentCheckRequest& request,
                     ResolvedConsentCheck* out) {
  return ResolveConsentCheck(policy, request, out);
}

absl::Status Resolve(const CompiledPolicy& policy,
                     const v1::RetentionDueRequest& request,
                     ResolvedRetentionDue* out) {
  return ResolveRetentionDue(policy, request, out);
}

absl::Status Resolve(const CompiledPolicy& policy,
                     const WireRetentionDueRequest& request,
                     ResolvedRetentionDue* out) {
  return ResolveRetentionDue(policy, request, out);
}

absl::Status Resolve(const CompiledPolicy& policy,
                     const v1::RequestValidateRequest& request,
                     ResolvedRequestValidate* out) {
  return ResolveRequestValidate(policy, request, out);
}

absl::Status Resolve(const CompiledPolicy& policy,
                     const WireRequestValidateRequest& request,
                     ResolvedRequestValidate* out) {
  return ResolveRequestValidate(policy, request, out);
}

}  // namespace engine_internal
}  // namespace pip
