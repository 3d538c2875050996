// pip/snapshot.h: the hot path. An immutable compiled policy, typed handles
// resolved once, and decisions that cost nanoseconds.
//
// The proto API of pip/engine.h resolves string ids, builds messages and
// copies the decision into a protobuf on every call. A system that asks the
// same kind of question millions of times (every request it serves, every
// record of a sweep) takes a Snapshot of the engine's policy once, looks up
// the handles of the ids it uses at start-up, and then evaluates with plain
// structs: no string is parsed or built, no memory is allocated, no lock is
// taken.
//
// Example:
//
//   std::shared_ptr<const pip::Snapshot> snap = engine->snapshot();
//   // At start-up: ids to handles (InvalidArgument names an unknown id).
//   absl::StatusOr<pip::PurposeId> direct_mail = snap->Purpose("direct_mail");
//   absl::StatusOr<pip::CategorySet> contact =
//       snap->Categories({"name", "email"});
//   if (!direct_mail.ok() || !contact.ok()) ...;
//   // Per request:
//   pip::PurposeFacts facts;
//   facts.purpose = *direct_mail;
//   facts.categories = *contact;
//   facts.as_of = absl::Now();
//   absl::StatusOr<pip::PurposeVerdict> v = snap->PurposeAllowed(facts);
//   if (!v.ok() || !v->allowed) return Deny();
//
// A verdict carries the outcome, the first reason code and its clause; it
// has no messages. When a person needs the full list of reasons with
// messages in Japanese and English, ask the Engine's proto API, which
// evaluates the same rules with the same code (the two paths are tested to
// agree).
//
// A Snapshot does not write the engine's audit log (EngineOptions::audit_sink,
// pip/audit.h, clause 5.4): it holds only the policy, and a verdict is not
// a record. Decisions that must be logged are asked of the Engine.
//
// Handles are valid only with the snapshot that produced them (and any other
// snapshot of the same compiled policy). After Engine::Reload(), take a new
// snapshot and look the handles up again: the new policy may number its ids
// differently. Every evaluation checks this (one comparison per handle) and
// returns FailedPreconditionError for a handle or set from another policy,
// so a stale handle is an error, never a wrong answer.
//
// Thread-safety: a Snapshot is immutable; any number of threads may evaluate
// with one Snapshot at once. Handles, sets and facts are plain values.
#ifndef PIP_SNAPSHOT_H_
#define PIP_SNAPSHOT_H_

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <vector>

#include "absl/base/optimization.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "pip/handles.h"
#include "pip/v1/decision.pb.h"

namespace pip {

class Engine;
namespace policy_internal {
class CompiledPolicy;
}  // namespace policy_internal

namespace snapshot_internal {

// What the inline path of Snapshot::PurposeAllowed reads: the facts of the
// compiled policy that tell whether any rule can bear on a query (the checks
// of the evaluator's first step), arranged so that the common case is one
// bitset test per kind of id.
struct PurposeShortcut {
  // By purpose index, into the compiled policy the snapshot holds: the
  // categories whose use for the purpose a condition bears on (2.4, 2.5),
  // every category when the purpose itself carries one (4.3); and the
  // purpose's clause.
  const id_set_internal::IdSet* category_gates = nullptr;
  const absl::string_view* purpose_clauses = nullptr;
  // Recipients provision to which needs a consent naming them (APPI 27,
  // 28), and whether the default recipient (an unset handle) is one.
  id_set_internal::IdSet named_consent_recipients;
  bool default_recipient_named = false;
};

}  // namespace snapshot_internal

class Snapshot {
 public:
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
  ~Snapshot();

  // --- Lookups: ids to handles, once, at start-up ---------------------------
  // Each returns InvalidArgumentError naming an unknown id, with a
  // suggestion for a near miss ("unknown category 'emial' (did you mean
  // 'email'?)"). Lookups hash the id; they do not allocate unless they fail.
  absl::StatusOr<CategoryId> Category(absl::string_view id) const;
  absl::StatusOr<PurposeId> Purpose(absl::string_view id) const;
  absl::StatusOr<RecipientId> Recipient(absl::string_view id) const;
  absl::StatusOr<RetentionKindId> RetentionKind(absl::string_view id) const;
  absl::StatusOr<HoldTypeId> HoldType(absl::string_view id) const;
  absl::StatusOr<RequestTypeId> RequestType(absl::string_view id) const;
  absl::StatusOr<RequesterId> Requester(absl::string_view id) const;
  // Never fails: a channel the policy does not list gives a handle whose
  // accepted() is false (8.2 makes it a fault of the request).
  RequestChannelId RequestChannel(absl::string_view id) const;
  // Whether `channel` is one the policy accepts requests by.
  bool accepted(RequestChannelId channel) const;

  // Sets of ids. InvalidArgumentError names the position and the id
  // ("categories[1]: unknown category ...").
  absl::StatusOr<CategorySet> Categories(
      absl::Span<const absl::string_view> ids) const;
  absl::StatusOr<CategorySet> Categories(
      std::initializer_list<absl::string_view> ids) const {
    return Categories(absl::MakeConstSpan(ids.begin(), ids.size()));
  }
  absl::StatusOr<PurposeSet> Purposes(
      absl::Span<const absl::string_view> ids) const;
  absl::StatusOr<PurposeSet> Purposes(
      std::initializer_list<absl::string_view> ids) const {
    return Purposes(absl::MakeConstSpan(ids.begin(), ids.size()));
  }
  // Documents a request comes with (8.2, 8.3) and grounds on which it may
  // be refused (8.3), as sets for RequestFacts.
  absl::StatusOr<DocumentSet> Documents(
      absl::Span<const absl::string_view> ids) const;
  absl::StatusOr<DocumentSet> Documents(
      std::initializer_list<absl::string_view> ids) const {
    return Documents(absl::MakeConstSpan(ids.begin(), ids.size()));
  }
  absl::StatusOr<ReviewGroundSet> ReviewGrounds(
      absl::Span<const absl::string_view> ids) const;
  absl::StatusOr<ReviewGroundSet> ReviewGrounds(
      std::initializer_list<absl::string_view> ids) const {
    return ReviewGrounds(absl::MakeConstSpan(ids.begin(), ids.size()));
  }
  // Every category / purpose of the policy: a consent scope of "any".
  CategorySet AllCategories() const;
  PurposeSet AllPurposes() const;

  // --- The four decisions -----------------------------------------------------
  // Each is the same evaluator the Engine's proto API runs, without
  // resolving strings or rendering messages: no allocation, no lock.
  // Errors (never an allow):
  //  - FailedPreconditionError: a handle or set from another policy, or a
  //    set spoiled by mixing policies or an unset handle.
  //  - InvalidArgumentError: an unset required handle, an empty category
  //    set, an empty purpose set (ConsentCheck takes one: a question about
  //    acquisition), a consent's birth date outside the years of
  //    pip/limits.h, as_of (or a time a date is computed from: event_at,
  //    received_at) outside the years of pip/limits.h, a list over a limit
  //    of pip/limits.h, a missing event for a kind that needs one, a
  //    negative fee. The message names the field.
  //
  // PurposeAllowed answers inline the common case, where every handle and
  // set is of this snapshot, no consent or active request is given, as_of
  // is in range and no rule can bear on the query (a purpose and categories
  // without conditions, a recipient that needs no named consent); anything
  // else, every error included, is evaluated out of line. Both give the
  // same verdict.
  //
  // RetentionDue answers inline the common case, a record with an event and
  // no hold, of a kind of this snapshot, with both times in range and a
  // period that ends in pip's years: one call does the calendar
  // arithmetic. Records with holds, a record without an event and every
  // error take the checks that name each field, then the same evaluator the
  // Engine runs. All give the same verdict.
  absl::StatusOr<PurposeVerdict> PurposeAllowed(const PurposeFacts& f) const;
  absl::StatusOr<ConsentVerdict> ConsentCheck(const ConsentFacts& f) const;
  absl::StatusOr<RetentionVerdict> RetentionDue(const RetentionFacts& f) const;
  absl::StatusOr<RequestVerdict> RequestValidate(const RequestFacts& f) const;

  // --- Batch retention (clause 7) over columns ------------------------------
  // For n = kinds.size() records, record i of kind `kinds[i]` whose clock
  // event was at `event_unix_seconds[i]` (kNoEvent: not yet, for kinds
  // whose event may be pending) and which a hold keeps when `held[i]` is
  // nonzero: sets bit i%64 of `due_bitmap[i/64]` when the record must be
  // deleted at `as_of` (bits past n are cleared), and, when `retain_until`
  // is not empty, writes the last day kept as days since 1970-01-01 of the
  // Tokyo civil calendar (kNoRetainUntil for a record with no event).
  // Agrees with RetentionDue record by record (a nonzero `held` stands for
  // a hold that has not ended at `as_of`; no record names categories), the
  // kinds' statutory floors included.
  //
  // Cost: the period arithmetic is done once per kind for `as_of`; a record
  // is then one comparison. Filling `retain_until` adds the civil-date
  // arithmetic per record, or, when the records' events fall on few days
  // (the days spanned times the kinds used at most n / 4), per day of each
  // kind, in a table kept in the last entries of `retain_until` before they
  // are written. Nothing is allocated.
  //
  // Returns InvalidArgumentError, writing nothing, when the spans' sizes
  // disagree (`due_bitmap` needs (n + 63) / 64 words; `retain_until` is
  // empty or n long), when as_of or an event time is outside the years of
  // pip/limits.h, or when a record of a kind that needs an event has
  // kNoEvent; the message names the record index. FailedPreconditionError
  // for a kind handle from another policy.
  absl::Status RetentionSweep(absl::Span<const RetentionKindId> kinds,
                              absl::Span<const int64_t> event_unix_seconds,
                              absl::Span<const uint8_t> held, absl::Time as_of,
                              absl::Span<uint64_t> due_bitmap,
                              absl::Span<int32_t> retain_until) const;

  // The policy's version string and content hash; they live as long as the
  // snapshot.
  absl::string_view policy_version() const;
  absl::string_view policy_hash() const;

 private:
  friend class Engine;
  friend struct snapshot_internal::Access;
  explicit Snapshot(
      std::shared_ptr<const policy_internal::CompiledPolicy> policy);

  // PurposeAllowed for any facts: the checks that name each error, then the
  // evaluator of src/eval/.
  absl::StatusOr<PurposeVerdict> PurposeAllowedOutOfLine(
      const PurposeFacts& f) const;

  // RetentionDue of a record without holds whose handles and times (Unix
  // seconds) are known good.
  absl::StatusOr<RetentionVerdict> RetentionDueNoHold(int kind,
                                                      int64_t event_at,
                                                      int64_t as_of) const;
  // RetentionDue for any facts: holds, errors, a pending event.
  absl::StatusOr<RetentionVerdict> RetentionDueOutOfLine(
      const RetentionFacts& f) const;
  // The clock of a record of kind `kind` (an index of this snapshot) whose
  // event was at Unix second `event_seconds`, in range: sets clock_started,
  // retain_until, retain_until_days, due_at, clause and deletion_method of
  // `v`, and returns due_at as Unix seconds.
  int64_t RetentionClock(int kind, int64_t event_seconds,
                         RetentionVerdict& v) const;

  std::shared_ptr<const policy_internal::CompiledPolicy> policy_;
  uint32_t generation_;
  snapshot_internal::PurposeShortcut purpose_shortcut_;
  // By retention kind: the first Unix second whose event gives a period
  // that ends after the last day pip answers with
  // (time_internal::kLastRetainUntilDay); such a record takes the checked
  // path, which refuses it.
  std::vector<int64_t> retention_event_ends_;
};

// A call the compiler can see through: the common case costs no call, no
// stack frame and no StatusOr passed back across a call.
inline absl::StatusOr<PurposeVerdict> Snapshot::PurposeAllowed(
    const PurposeFacts& f) const {
  using snapshot_internal::Access;
  const snapshot_internal::PurposeShortcut& s = purpose_shortcut_;
  const uint32_t recipient_generation = Access::Generation(f.recipient);
  // Each index is read only once its handle is known to be of this policy.
  if (ABSL_PREDICT_TRUE(
          Access::SetGeneration(f.categories) == generation_ &&
          Access::Generation(f.purpose) == generation_ &&
          (recipient_generation == 0 ||
           recipient_generation == generation_) &&
          f.consents.empty() && time_internal::InTimeRange(f.as_of) &&
          snapshot_internal::NoRuleApplies(
              Access::Bits(f.categories), s.category_gates[f.purpose.index()],
              recipient_generation == 0
                  ? s.default_recipient_named
                  : s.named_consent_recipients.Contains(f.recipient.index()),
              !f.active_requests.empty()))) {
    PurposeVerdict v;
    v.allowed = true;
    v.reason = v1::PURPOSE_PERMITTED;
    v.clause = s.purpose_clauses[f.purpose.index()];
    return v;
  }
  return PurposeAllowedOutOfLine(f);
}

// Like PurposeAllowed: the checks inline, the verdict built in the caller's
// StatusOr (each branch returns a prvalue, so nothing is copied, and no
// wide load reads back what narrow stores just wrote); the calendar
// arithmetic is one call.
inline absl::StatusOr<RetentionVerdict> Snapshot::RetentionDue(
    const RetentionFacts& f) const {
  using snapshot_internal::Access;
  const int64_t event_at =
      f.event_at.has_value() ? absl::ToUnixSeconds(*f.event_at) : 0;
  const int64_t as_of = absl::ToUnixSeconds(f.as_of);
  return ABSL_PREDICT_TRUE(Access::Generation(f.kind) == generation_ &&
                           f.event_at.has_value() && f.holds.empty() &&
                           f.categories.empty() && f.erasures.empty() &&
                           time_internal::InTimeRangeSeconds(event_at) &&
                           event_at < retention_event_ends_[f.kind.index()] &&
                           time_internal::InTimeRangeSeconds(as_of))
             ? RetentionDueNoHold(f.kind.index(), event_at, as_of)
             : RetentionDueOutOfLine(f);
}

inline absl::StatusOr<RetentionVerdict> Snapshot::RetentionDueNoHold(
    int kind, int64_t event_at, int64_t as_of) const {
  absl::StatusOr<RetentionVerdict> result(absl::in_place);
  RetentionVerdict& v = *result;
  // due_at is a whole second: as_of reaches it exactly when its whole
  // seconds do.
  v.period_ended = as_of >= RetentionClock(kind, event_at, v);
  v.due = v.period_ended;
  if (!v.due) {
    v.reason = v.statutory_floor ? v1::STATUTORY_FLOOR_APPLIES
                                 : v1::PERIOD_RUNNING;
  }
  return result;
}

}  // namespace pip

#endif  // PIP_SNAPSHOT_H_
