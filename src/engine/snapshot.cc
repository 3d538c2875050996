// The hot path of pip/snapshot.h: handle checks, then the evaluators of
// src/eval/ with a sink that keeps only the first reason.
#include "pip/snapshot.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "absl/strings/str_cat.h"
#include "pip/limits.h"
#include "src/engine/resolve.h"
#include "src/eval/civil_period.h"
#include "src/eval/eval_types.h"
#include "src/eval/consent_check.h"
#include "src/eval/purpose_allowed.h"
#include "src/eval/request_validate.h"
#include "src/eval/retention_due.h"
#include "src/internal/status_macros.h"
#include "src/policy/compiled_policy.h"
#include "src/policy/suggest.h"

namespace pip {
namespace {

using eval_internal::ReasonCounter;
using policy_internal::CompiledPolicy;
using snapshot_internal::Access;
using policy_internal::IdIndex;

using eval_internal::kUnacceptedChannel;

// A verdict built where the caller receives it: `fill` sets the fields of a
// default V inside the StatusOr returned, or returns an error, which then
// replaces the verdict. A verdict returned by value would be copied into
// the StatusOr with wide loads of what the evaluator's narrow stores just
// wrote, which the processor cannot forward from its store buffer: that
// stall tripled the time of a call that executes 400 instructions.
template <typename V, typename Fill>
ABSL_ATTRIBUTE_ALWAYS_INLINE inline absl::StatusOr<V> InPlace(Fill fill) {
  absl::StatusOr<V> result(absl::in_place);
  absl::Status status = fill(*result);
  if (ABSL_PREDICT_FALSE(!status.ok())) result = std::move(status);
  return result;
}

// Errors are built out of line so that the checks on the hot path stay a
// few compares.
ABSL_ATTRIBUTE_NOINLINE absl::Status HandleError(uint32_t generation,
                                                 absl::string_view field) {
  if (generation == 0) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": unset handle"));
  }
  return absl::FailedPreconditionError(absl::StrCat(
      field,
      ": handle from another policy; look it up again in this snapshot"));
}

ABSL_ATTRIBUTE_NOINLINE absl::Status SetError(uint32_t generation,
                                              absl::string_view field) {
  if (generation == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": at least one id is required"));
  }
  return absl::FailedPreconditionError(absl::StrCat(
      field,
      ": set holds an unset handle or ids of another policy; build it again "
      "from this snapshot"));
}

using engine_internal::LimitError;
using engine_internal::TimeRangeError;

ABSL_ATTRIBUTE_NOINLINE absl::Status UnknownId(absl::string_view field,
                                               absl::string_view what,
                                               absl::string_view id,
                                               const IdIndex& index) {
  return absl::InvalidArgumentError(absl::StrCat(
      field.empty() ? "" : absl::StrCat(field, ": "), "unknown ", what, " '",
      id, "'", policy_internal::SuggestionFrom(id, index.ids())));
}

template <typename H>
absl::StatusOr<H> Find(const IdIndex& index, uint32_t generation,
                       absl::string_view id, absl::string_view what,
                       absl::string_view field = "") {
  const int i = index.Find(id);
  if (ABSL_PREDICT_FALSE(i < 0)) return UnknownId(field, what, id, index);
  return Access::MakeHandle<H>(i, generation);
}

template <typename Set, typename H>
absl::StatusOr<Set> FindSet(const IdIndex& index, uint32_t generation,
                            absl::Span<const absl::string_view> ids,
                            absl::string_view what, absl::string_view field) {
  if (ids.size() > static_cast<size_t>(kMaxIdsPerList)) {
    return LimitError(field, ids.size(), kMaxIdsPerList, "kMaxIdsPerList");
  }
  id_set_internal::IdSet bits;
  for (size_t i = 0; i < ids.size(); ++i) {
    const int id = index.Find(ids[i]);
    if (ABSL_PREDICT_FALSE(id < 0)) {
      return UnknownId(absl::StrCat(field, "[", i, "]"), what, ids[i], index);
    }
    bits.Insert(id);
  }
  return Access::MakeSet<Set>(bits, generation);
}

// A required handle of this snapshot.
template <typename H>
bool HandleOk(const H& h, uint32_t generation) {
  return Access::Generation(h) == generation;
}
// A set that is empty or holds ids of this snapshot only.
template <typename S>
bool SetUsable(const S& s, uint32_t generation) {
  const uint32_t g = Access::SetGeneration(s);
  return g == 0 || g == generation;
}
// A set that is not empty and holds ids of this snapshot only.
template <typename S>
bool SetOk(const S& s, uint32_t generation) {
  return Access::SetGeneration(s) == generation;
}

absl::Status CheckConsents(absl::Span<const ConsentRecord> consents,
                           uint32_t generation) {
  if (ABSL_PREDICT_FALSE(consents.size() >
                         static_cast<size_t>(kMaxConsentsPerRequest))) {
    return LimitError("consents", consents.size(), kMaxConsentsPerRequest,
                      "kMaxConsentsPerRequest");
  }
  for (size_t i = 0; i < consents.size(); ++i) {
    const ConsentRecord& c = consents[i];
    if (ABSL_PREDICT_FALSE(!SetUsable(c.categories, generation) ||
                           !SetUsable(c.purposes, generation) ||
                           !SetUsable(c.recipients, generation))) {
      const uint32_t g = !SetUsable(c.categories, generation)
                             ? Access::SetGeneration(c.categories)
                         : !SetUsable(c.purposes, generation)
                             ? Access::SetGeneration(c.purposes)
                             : Access::SetGeneration(c.recipients);
      return SetError(g, absl::StrCat("consents[", i, "]"));
    }
    if (ABSL_PREDICT_FALSE(c.birth_date.has_value() &&
                           (c.birth_date->year() < kMinYear ||
                            c.birth_date->year() > kMaxYear))) {
      return absl::InvalidArgumentError(
          absl::StrCat("consents[", i, "].birth_date: date is outside the years ",
                       kMinYear, "-", kMaxYear));
    }
  }
  return absl::OkStatus();
}

// An optional handle (unset: the policy's default) of this snapshot.
template <typename H>
bool OptionalHandleOk(const H& h, uint32_t generation) {
  const uint32_t g = Access::Generation(h);
  return g == 0 || g == generation;
}

absl::string_view ClauseOf(const CompiledPolicy& p,
                           const ReasonCounter& sink) {
  if (sink.count == 0) return absl::string_view();
  return p.clause_view(sink.first.clause);
}

v1::ReasonCode CodeOf(const ReasonCounter& sink) {
  return sink.count == 0 ? v1::REASON_CODE_UNSPECIFIED : sink.first.code;
}

// RetentionDue for any facts: the checks that name each error, in the order
// the resolver makes them, then the evaluator of src/eval/ with a sink.
ABSL_ATTRIBUTE_NOINLINE absl::StatusOr<RetentionVerdict> RetentionDueChecked(
    const CompiledPolicy& p, uint32_t generation, const RetentionFacts& f) {
  if (ABSL_PREDICT_FALSE(!HandleOk(f.kind, generation))) {
    return HandleError(Access::Generation(f.kind), "kind");
  }
  const auto& kind = p.retention_kinds[f.kind.index()];
  if (f.event_at.has_value()) {
    if (ABSL_PREDICT_FALSE(!time_internal::InTimeRange(*f.event_at))) {
      return TimeRangeError("event_at");
    }
  } else if (ABSL_PREDICT_FALSE(!kind.event_may_be_pending)) {
    return absl::InvalidArgumentError(
        absl::StrCat("event_at: a time is required for retention kind '",
                     kind.source->id(), "'"));
  }
  if (ABSL_PREDICT_FALSE(f.holds.size() > static_cast<size_t>(kMaxHolds))) {
    return LimitError("holds", f.holds.size(), kMaxHolds, "kMaxHolds");
  }
  for (size_t i = 0; i < f.holds.size(); ++i) {
    if (ABSL_PREDICT_FALSE(!HandleOk(f.holds[i].type, generation))) {
      return HandleError(Access::Generation(f.holds[i].type),
                         absl::StrCat("holds[", i, "].type"));
    }
  }
  if (ABSL_PREDICT_FALSE(f.erasures.size() >
                         static_cast<size_t>(kMaxErasures))) {
    return LimitError("erasures", f.erasures.size(), kMaxErasures,
                      "kMaxErasures");
  }
  for (size_t i = 0; i < f.erasures.size(); ++i) {
    const RecordErasure& e = f.erasures[i];
    if (ABSL_PREDICT_FALSE(!HandleOk(e.type, generation))) {
      return HandleError(Access::Generation(e.type),
                         absl::StrCat("erasures[", i, "].type"));
    }
    PIP_RETURN_IF_ERROR(eval_internal::CheckErasureType(
        p, e.type.index(), absl::StrCat("erasures[", i, "].type")));
    if (ABSL_PREDICT_FALSE(!time_internal::InTimeRange(e.carried_out_at))) {
      return TimeRangeError(absl::StrCat("erasures[", i, "].carried_out_at"));
    }
  }
  if (ABSL_PREDICT_FALSE(!time_internal::InTimeRange(f.as_of))) {
    return TimeRangeError("as_of");
  }
  if (ABSL_PREDICT_FALSE(!SetUsable(f.categories, generation))) {
    return SetError(Access::SetGeneration(f.categories), "categories");
  }
  return InPlace<RetentionVerdict>([&](RetentionVerdict& v) {
    ReasonCounter sink;
    eval_internal::EvaluateRetentionDue(p, f, sink, &v);
    PIP_RETURN_IF_ERROR(eval_internal::CheckDueAtInRange(p, f.kind.index(), v));
    v.reason = CodeOf(sink);
    v.clause = sink.count == 0 ? p.clause_view(kind.clause) : ClauseOf(p, sink);
    v.deletion_method = kind.deletion_method;
    return absl::OkStatus();
  });
}

}  // namespace

Snapshot::Snapshot(std::shared_ptr<const CompiledPolicy> policy)
    : policy_(std::move(policy)), generation_(policy_->generation) {
  const CompiledPolicy& p = *policy_;
  purpose_shortcut_.category_gates = p.purpose_category_gates.data();
  purpose_shortcut_.purpose_clauses = p.purpose_clauses.data();
  purpose_shortcut_.named_consent_recipients = p.named_consent_recipients;
  purpose_shortcut_.default_recipient_named =
      p.named_consent_recipients.Contains(p.default_recipient);
  // RetainUntil() never decreases as the event day grows: the last event
  // day whose period ends by kLastRetainUntilDay splits the in-range
  // events from the others.
  retention_event_ends_.reserve(p.retention_kinds.size());
  for (size_t kind = 0; kind < p.retention_kinds.size(); ++kind) {
    const std::optional<int64_t> last = eval_internal::LastEventDayDue(
        p, static_cast<int>(kind), time_internal::kLastRetainUntilDay + 1);
    retention_event_ends_.push_back(
        last ? eval_internal::TokyoStartOfUnixDay(*last + 1)
             : time_internal::kMinUnixSeconds);
  }
}

Snapshot::~Snapshot() = default;

absl::string_view Snapshot::policy_version() const {
  return policy_->policy.version();
}
absl::string_view Snapshot::policy_hash() const { return policy_->hash; }

absl::StatusOr<CategoryId> Snapshot::Category(absl::string_view id) const {
  return Find<CategoryId>(policy_->category_index, generation_, id,
                          "category");
}
absl::StatusOr<PurposeId> Snapshot::Purpose(absl::string_view id) const {
  return Find<PurposeId>(policy_->purpose_index, generation_, id, "purpose");
}
absl::StatusOr<RecipientId> Snapshot::Recipient(absl::string_view id) const {
  return Find<RecipientId>(policy_->recipient_index, generation_, id,
                           "recipient");
}
absl::StatusOr<RetentionKindId> Snapshot::RetentionKind(
    absl::string_view id) const {
  return Find<RetentionKindId>(policy_->retention_kind_index, generation_, id,
                               "retention kind");
}
absl::StatusOr<HoldTypeId> Snapshot::HoldType(absl::string_view id) const {
  return Find<HoldTypeId>(policy_->hold_type_index, generation_, id,
                          "hold type");
}
absl::StatusOr<RequestTypeId> Snapshot::RequestType(
    absl::string_view id) const {
  return Find<RequestTypeId>(policy_->request_type_index, generation_, id,
                             "request type");
}
absl::StatusOr<RequesterId> Snapshot::Requester(absl::string_view id) const {
  return Find<RequesterId>(policy_->requester_index, generation_, id,
                           "requester");
}

RequestChannelId Snapshot::RequestChannel(absl::string_view id) const {
  const int i = policy_->request_channel_index.Find(id);
  return Access::MakeHandle<RequestChannelId>(i < 0 ? kUnacceptedChannel : i,
                                              generation_);
}

bool Snapshot::accepted(RequestChannelId channel) const {
  return HandleOk(channel, generation_) &&
         channel.index() != kUnacceptedChannel;
}

absl::StatusOr<CategorySet> Snapshot::Categories(
    absl::Span<const absl::string_view> ids) const {
  return FindSet<CategorySet, CategoryId>(policy_->category_index, generation_,
                                          ids, "category", "categories");
}

absl::StatusOr<PurposeSet> Snapshot::Purposes(
    absl::Span<const absl::string_view> ids) const {
  return FindSet<PurposeSet, PurposeId>(policy_->purpose_index, generation_,
                                        ids, "purpose", "purposes");
}

absl::StatusOr<DocumentSet> Snapshot::Documents(
    absl::Span<const absl::string_view> ids) const {
  return FindSet<DocumentSet, DocumentId>(policy_->document_index, generation_,
                                          ids, "document", "documents");
}

absl::StatusOr<ReviewGroundSet> Snapshot::ReviewGrounds(
    absl::Span<const absl::string_view> ids) const {
  return FindSet<ReviewGroundSet, ReviewGroundId>(
      policy_->review_ground_index, generation_, ids, "review ground",
      "review");
}

CategorySet Snapshot::AllCategories() const {
  return Access::MakeSet<CategorySet>(
      id_set_internal::IdSet::All(static_cast<int>(policy_->categories.size())),
      generation_);
}

PurposeSet Snapshot::AllPurposes() const {
  return Access::MakeSet<PurposeSet>(
      id_set_internal::IdSet::All(static_cast<int>(policy_->purposes.size())),
      generation_);
}

absl::StatusOr<PurposeVerdict> Snapshot::PurposeAllowedOutOfLine(
    const PurposeFacts& f) const {
  const CompiledPolicy& p = *policy_;
  if (ABSL_PREDICT_FALSE(!SetOk(f.categories, generation_))) {
    return SetError(Access::SetGeneration(f.categories), "categories");
  }
  if (ABSL_PREDICT_FALSE(!HandleOk(f.purpose, generation_))) {
    return HandleError(Access::Generation(f.purpose), "purpose");
  }
  if (ABSL_PREDICT_FALSE(!OptionalHandleOk(f.recipient, generation_))) {
    return HandleError(Access::Generation(f.recipient), "recipient");
  }
  if (!f.consents.empty()) {
    absl::Status s = CheckConsents(f.consents, generation_);
    if (ABSL_PREDICT_FALSE(!s.ok())) return s;
  }
  if (ABSL_PREDICT_FALSE(f.active_requests.size() >
                         static_cast<size_t>(kMaxActiveRequests))) {
    return LimitError("active_requests", f.active_requests.size(),
                      kMaxActiveRequests, "kMaxActiveRequests");
  }
  for (size_t i = 0; i < f.active_requests.size(); ++i) {
    const PendingRequest& req = f.active_requests[i];
    if (ABSL_PREDICT_FALSE(!HandleOk(req.type, generation_))) {
      return HandleError(Access::Generation(req.type),
                         absl::StrCat("active_requests[", i, "].type"));
    }
    if (ABSL_PREDICT_FALSE(!SetUsable(req.purposes, generation_))) {
      return SetError(Access::SetGeneration(req.purposes),
                      absl::StrCat("active_requests[", i, "].purposes"));
    }
    if (ABSL_PREDICT_FALSE(!SetUsable(req.categories, generation_))) {
      return SetError(Access::SetGeneration(req.categories),
                      absl::StrCat("active_requests[", i, "].categories"));
    }
    if (ABSL_PREDICT_FALSE(req.decided_at != absl::InfinitePast() &&
                           !time_internal::InTimeRange(req.decided_at))) {
      return TimeRangeError(
          absl::StrCat("active_requests[", i, "].decided_at"));
    }
  }
  if (ABSL_PREDICT_FALSE(!time_internal::InTimeRange(f.as_of))) {
    return TimeRangeError("as_of");
  }
  return InPlace<PurposeVerdict>([&](PurposeVerdict& v) {
    ReasonCounter sink;
    eval_internal::EvaluatePurposeAllowed(p, f, sink, &v);
    if (v.allowed) {
      v.reason = v1::PURPOSE_PERMITTED;
      v.clause = p.purpose_clauses[f.purpose.index()];
    } else {
      v.reason = CodeOf(sink);
      v.clause = ClauseOf(p, sink);
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<ConsentVerdict> Snapshot::ConsentCheck(
    const ConsentFacts& f) const {
  const CompiledPolicy& p = *policy_;
  if (ABSL_PREDICT_FALSE(!SetOk(f.categories, generation_))) {
    return SetError(Access::SetGeneration(f.categories), "categories");
  }
  // No purpose asks about acquisition (2.4 取得).
  if (ABSL_PREDICT_FALSE(!SetUsable(f.purposes, generation_))) {
    return SetError(Access::SetGeneration(f.purposes), "purposes");
  }
  if (ABSL_PREDICT_FALSE(!OptionalHandleOk(f.recipient, generation_))) {
    return HandleError(Access::Generation(f.recipient), "recipient");
  }
  absl::Status s = CheckConsents(f.consents, generation_);
  if (ABSL_PREDICT_FALSE(!s.ok())) return s;
  if (ABSL_PREDICT_FALSE(!time_internal::InTimeRange(f.as_of))) {
    return TimeRangeError("as_of");
  }
  return InPlace<ConsentVerdict>([&](ConsentVerdict& v) {
    ReasonCounter sink;
    eval_internal::EvaluateConsentCheck(p, f, sink, &v);
    v.reason = CodeOf(sink);
    v.clause = ClauseOf(p, sink);
    return absl::OkStatus();
  });
}

namespace {

// The clock of a record of `kind` whose event was at `event_seconds` (Unix
// seconds, in range), with the kind's clause and deletion method: what
// every verdict of a started clock carries. Returns due_at as Unix seconds.
ABSL_ATTRIBUTE_ALWAYS_INLINE inline int64_t StartRecordClock(
    const CompiledPolicy& p, int kind, int64_t event_seconds,
    RetentionVerdict& v) {
  const auto& k = p.retention_kinds[kind];
  v.clause = p.clause_view(k.clause);
  v.deletion_method = k.deletion_method;
  return eval_internal::StartClock(p, kind, event_seconds, v);
}

}  // namespace

int64_t Snapshot::RetentionClock(int kind, int64_t event_seconds,
                                 RetentionVerdict& v) const {
  return StartRecordClock(*policy_, kind, event_seconds, v);
}

// Records with holds, a pending event, a period past the years pip prints
// and every error: the checks that name each field, then the evaluator of
// src/eval/, whose hold rule is the one rule. The tests hold every path to
// the pipeline's, verdict and error alike.
absl::StatusOr<RetentionVerdict> Snapshot::RetentionDueOutOfLine(
    const RetentionFacts& f) const {
  return RetentionDueChecked(*policy_, generation_, f);
}

absl::StatusOr<RequestVerdict> Snapshot::RequestValidate(
    const RequestFacts& f) const {
  const CompiledPolicy& p = *policy_;
  if (ABSL_PREDICT_FALSE(!HandleOk(f.type, generation_))) {
    return HandleError(Access::Generation(f.type), "type");
  }
  if (ABSL_PREDICT_FALSE(!HandleOk(f.channel, generation_))) {
    return HandleError(Access::Generation(f.channel), "channel");
  }
  if (ABSL_PREDICT_FALSE(!OptionalHandleOk(f.requester, generation_))) {
    return HandleError(Access::Generation(f.requester), "requester");
  }
  if (ABSL_PREDICT_FALSE(!SetUsable(f.documents, generation_))) {
    return SetError(Access::SetGeneration(f.documents), "documents");
  }
  if (ABSL_PREDICT_FALSE(f.fee_paid_jpy < 0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "fee_paid_jpy: a fee cannot be negative, got ", f.fee_paid_jpy));
  }
  if (ABSL_PREDICT_FALSE(!SetUsable(f.review, generation_))) {
    return SetError(Access::SetGeneration(f.review), "review");
  }
  if (ABSL_PREDICT_FALSE(!time_internal::InTimeRange(f.received_at))) {
    return TimeRangeError("received_at");
  }
  if (ABSL_PREDICT_FALSE(!time_internal::InTimeRange(f.as_of))) {
    return TimeRangeError("as_of");
  }
  return InPlace<RequestVerdict>([&](RequestVerdict& v) {
    ReasonCounter sink;
    eval_internal::EvaluateRequestValidate(p, f, sink, &v);
    PIP_RETURN_IF_ERROR(eval_internal::CheckRespondByInRange(v));
    v.reason = CodeOf(sink);
    v.clause = ClauseOf(p, sink);
    return absl::OkStatus();
  });
}

namespace {

// RetentionSweep's retain_until: RetainUntil() of each record with an
// event. It depends on the kind and the Tokyo day of the event alone, and
// a sweep's records usually fall on far fewer days than there are records
// (a table of ten years of events holds 3,650 days a kind): when the days
// between the first and the last event, times the kinds used, come to at
// most a quarter of the records, each day of each kind is worked out once
// into a table and the records read it; otherwise each record is worked
// out on its own. The two give the same days (SnapshotTest
// Clause7_SweepAgreesWithRetentionDue runs both).
//
// The table is kept in the last entries of `retain_until` itself, so that
// a sweep allocates nothing (pip/snapshot.h): the records before it read
// the table, then the records whose entries held it are worked out on
// their own, overwriting it.
void WriteRetainUntil(const CompiledPolicy& p,
                      absl::Span<const RetentionKindId> kinds,
                      absl::Span<const int64_t> event_unix_seconds,
                      const id_set_internal::IdSet& used,
                      absl::Span<int32_t> retain_until) {
  const size_t n = kinds.size();
  const auto one_by_one = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      const int64_t e = event_unix_seconds[i];
      retain_until[i] =
          e == kNoEvent
              ? kNoRetainUntil
              : static_cast<int32_t>(
                    eval_internal::RetainUntil(p, kinds[i].index(),
                                               eval_internal::TokyoUnixDays(e))
                        .unix_days);
    }
  };
  int64_t first = INT64_MAX;
  int64_t last = INT64_MIN;
  for (size_t i = 0; i < n; ++i) {
    const int64_t e = event_unix_seconds[i];
    if (e == kNoEvent) continue;
    const int64_t day = eval_internal::TokyoUnixDays(e);
    first = std::min(first, day);
    last = std::max(last, day);
  }
  const int kinds_used = used.Count();
  // No event at all, or (last - first + 1) * kinds_used > n / 4, compared
  // without overflow (the days span at most pip's years, 1900 to 9999).
  if (first > last || kinds_used == 0 ||
      static_cast<uint64_t>(last - first + 1) >
          n / 4 / static_cast<uint64_t>(kinds_used)) {
    one_by_one(0, n);
    return;
  }
  // One row of days per kind used, in the order of the kinds' indices, in
  // retain_until[n - size, n).
  const size_t days = static_cast<size_t>(last - first + 1);
  const size_t size = days * static_cast<size_t>(kinds_used);
  const size_t table_at = n - size;
  int32_t* const table = retain_until.data() + table_at;
  std::array<int, policy_internal::kMaxIdsPerKind> row;
  int rows = 0;
  used.ForEach([&](int kind) {
    row[kind] = rows;
    int32_t* out = table + static_cast<size_t>(rows) * days;
    for (size_t d = 0; d < days; ++d) {
      out[d] = static_cast<int32_t>(
          eval_internal::RetainUntil(p, kind, first + static_cast<int64_t>(d))
              .unix_days);
    }
    ++rows;
  });
  for (size_t i = 0; i < table_at; ++i) {
    const int64_t e = event_unix_seconds[i];
    retain_until[i] =
        e == kNoEvent
            ? kNoRetainUntil
            : table[static_cast<size_t>(row[kinds[i].index()]) * days +
                    static_cast<size_t>(eval_internal::TokyoUnixDays(e) -
                                        first)];
  }
  one_by_one(table_at, n);
}

}  // namespace

absl::Status Snapshot::RetentionSweep(
    absl::Span<const RetentionKindId> kinds,
    absl::Span<const int64_t> event_unix_seconds,
    absl::Span<const uint8_t> held, absl::Time as_of,
    absl::Span<uint64_t> due_bitmap, absl::Span<int32_t> retain_until) const {
  const CompiledPolicy& p = *policy_;
  const size_t n = kinds.size();
  if (event_unix_seconds.size() != n || held.size() != n) {
    return absl::InvalidArgumentError(absl::StrCat(
        event_unix_seconds.size() != n ? "event_unix_seconds" : "held",
        ": ", event_unix_seconds.size() != n ? event_unix_seconds.size()
                                             : held.size(),
        " entries; kinds has ", n));
  }
  if (due_bitmap.size() != (n + 63) / 64) {
    return absl::InvalidArgumentError(
        absl::StrCat("due_bitmap: ", due_bitmap.size(), " words; ", n,
                     " records need ", (n + 63) / 64));
  }
  if (!retain_until.empty() && retain_until.size() != n) {
    return absl::InvalidArgumentError(
        absl::StrCat("retain_until: ", retain_until.size(),
                     " entries; give none or one per record (", n, ")"));
  }
  if (!time_internal::InTimeRange(as_of)) {
    return TimeRangeError("as_of");
  }

  // Check every record before writing anything; note the kinds used.
  id_set_internal::IdSet used;
  for (size_t i = 0; i < n; ++i) {
    if (ABSL_PREDICT_FALSE(!HandleOk(kinds[i], generation_))) {
      return HandleError(Access::Generation(kinds[i]),
                         absl::StrCat("kinds[", i, "]"));
    }
    const int64_t e = event_unix_seconds[i];
    if (e == kNoEvent) {
      const auto& kind = p.retention_kinds[kinds[i].index()];
      if (ABSL_PREDICT_FALSE(!kind.event_may_be_pending)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "event_unix_seconds[", i,
            "]: a time is required for retention kind '", kind.source->id(),
            "'"));
      }
    } else if (ABSL_PREDICT_FALSE(!time_internal::InTimeRangeSeconds(e))) {
      return TimeRangeError(
          absl::StrCat("event_unix_seconds[", i, "]"));
    }
    used.Insert(kinds[i].index());
  }

  // Per kind: records whose event is before `due_before` have a period
  // that ended by as_of.
  std::array<int64_t, policy_internal::kMaxIdsPerKind> due_before;
  const int64_t today = eval_internal::TokyoUnixDays(as_of);
  used.ForEach([&](int kind) {
    const std::optional<int64_t> last =
        eval_internal::LastEventDayDue(p, kind, today);
    due_before[kind] =
        last ? eval_internal::TokyoStartOfUnixDay(*last + 1) : INT64_MIN;
  });

  for (size_t w = 0; w < due_bitmap.size(); ++w) {
    const size_t begin = w * 64;
    const size_t end = begin + 64 < n ? begin + 64 : n;
    uint64_t word = 0;
    for (size_t i = begin; i < end; ++i) {
      const int64_t e = event_unix_seconds[i];
      const bool due = (e != kNoEvent) & (e < due_before[kinds[i].index()]) &
                       (held[i] == 0);
      word |= uint64_t{due} << (i - begin);
    }
    due_bitmap[w] = word;
  }

  if (!retain_until.empty()) {
    WriteRetainUntil(p, kinds, event_unix_seconds, used, retain_until);
  }
  return absl::OkStatus();
}

}  // namespace pip
