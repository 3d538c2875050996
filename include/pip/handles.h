// pip/handles.h: the values of the hot path. Typed handles of a policy's
// ids, sets of them, the facts a decision is asked about and the verdicts it
// gives, as plain values: no allocation, no strings.
//
// A Snapshot (pip/snapshot.h) looks ids up into handles once and evaluates
// facts into verdicts; the evaluators of pip's own decisions take the same
// facts and give the same verdicts, so a verdict means the same thing on
// every path.
//
// Thread-safety: every type here is a plain value.
#ifndef PIP_HANDLES_H_
#define PIP_HANDLES_H_

#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "pip/limits.h"
#include "pip/v1/decision.pb.h"

namespace pip {

class Snapshot;

// Fixed-capacity bitsets over dense integer ids: the compiled form of "a set
// of categories" or "a set of purposes". Not for callers: use CategorySet
// and the other typed sets below.
namespace id_set_internal {

// The most ids of one kind (categories, purposes) a policy may define.
inline constexpr int kMaxIdsPerKind = 256;

class IdSet {
 public:
  constexpr IdSet() = default;

  static IdSet All(int count) {
    IdSet s;
    for (int i = 0; i < count; ++i) s.Insert(i);
    return s;
  }

  void Insert(int id) { words_[id >> 6] |= uint64_t{1} << (id & 63); }
  bool Contains(int id) const {
    return (words_[id >> 6] >> (id & 63)) & 1;
  }
  int Count() const {
    return __builtin_popcountll(words_[0]) + __builtin_popcountll(words_[1]) +
           __builtin_popcountll(words_[2]) + __builtin_popcountll(words_[3]);
  }
  bool Empty() const {
    return (words_[0] | words_[1] | words_[2] | words_[3]) == 0;
  }
  // True when every member of `other` is a member of this set.
  bool ContainsAll(const IdSet& other) const {
    for (int i = 0; i < kWords; ++i) {
      if ((other.words_[i] & ~words_[i]) != 0) return false;
    }
    return true;
  }
  bool Intersects(const IdSet& other) const { return !(*this & other).Empty(); }
  // The members of this set that are not members of `other`.
  IdSet Without(const IdSet& other) const {
    IdSet r;
    for (int i = 0; i < kWords; ++i) r.words_[i] = words_[i] & ~other.words_[i];
    return r;
  }

  friend IdSet operator&(const IdSet& a, const IdSet& b) {
    IdSet r;
    for (int i = 0; i < kWords; ++i) r.words_[i] = a.words_[i] & b.words_[i];
    return r;
  }
  friend IdSet operator|(const IdSet& a, const IdSet& b) {
    IdSet r;
    for (int i = 0; i < kWords; ++i) r.words_[i] = a.words_[i] | b.words_[i];
    return r;
  }
  friend bool operator==(const IdSet& a, const IdSet& b) {
    for (int i = 0; i < kWords; ++i) {
      if (a.words_[i] != b.words_[i]) return false;
    }
    return true;
  }

  // Calls `fn(id)` for every member, in increasing order.
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (int w = 0; w < kWords; ++w) {
      uint64_t bits = words_[w];
      while (bits != 0) {
        fn(w * 64 + __builtin_ctzll(bits));
        bits &= bits - 1;
      }
    }
  }

 private:
  static constexpr int kWords = kMaxIdsPerKind / 64;
  uint64_t words_[kWords] = {0, 0, 0, 0};
};

}  // namespace id_set_internal

// The times pip accepts, as a check cheap enough for the inline paths of
// pip/snapshot.h. Not for callers: pip/limits.h states the limit (kMinYear,
// kMaxYear).
namespace time_internal {

// pip accepts times in [kMinUnixSeconds, kEndUnixSeconds), as Unix
// seconds. The lower bound is the first second of kMinYear on the Tokyo
// calendar, the one every date pip counts is on, so that every time whose
// Tokyo date is 1900-01-01 is accepted and none of 1899-12-31 is. The upper
// bound is the first second of the year after kMaxYear in UTC; the dates a
// decision prints are bounded on the Tokyo calendar (kLastRetainUntilDay,
// and 9999-12-31 for a response deadline).
inline constexpr int64_t kMinUnixSeconds = -2209021200;   // 1900-01-01T00:00+09:00
inline constexpr int64_t kEndUnixSeconds = 253402300800;  // 10000-01-01Z
// The last retain-until day pip answers with, as days since 1970-01-01 of
// the Tokyo calendar: 9999-12-30, so that the record's due time, 00:00
// Tokyo the next day, is still a time pip accepts.
inline constexpr int64_t kLastRetainUntilDay = 2932895;
static_assert(kMinYear == 1900 && kMaxYear == 9999,
              "update kMinUnixSeconds and kEndUnixSeconds");

// Inline and on constants: both bounds are whole seconds, so this compiles
// to two or three integer compares of the seconds, with no call.
inline bool InTimeRange(absl::Time t) {
  return t >= absl::FromUnixSeconds(kMinUnixSeconds) &&
         t < absl::FromUnixSeconds(kEndUnixSeconds);
}

// The same on a time's whole seconds (absl::ToUnixSeconds rounds down): as
// both bounds are whole seconds, a time is in range exactly when they are,
// and the infinite times, whose seconds are INT64_MIN and INT64_MAX, are
// not. One unsigned compare.
inline bool InTimeRangeSeconds(int64_t unix_seconds) {
  return static_cast<uint64_t>(unix_seconds) -
             static_cast<uint64_t>(kMinUnixSeconds) <
         static_cast<uint64_t>(kEndUnixSeconds - kMinUnixSeconds);
}

}  // namespace time_internal

namespace snapshot_internal {

struct Access;

// A dense id of one kind in one compiled policy, with the policy's
// generation so that a handle from another policy is caught.
template <typename Id>
class HandleSet;

template <typename Tag>
class Handle {
 public:
  // An unset handle: valid() is false.
  constexpr Handle() = default;

  // True for a handle that a Snapshot produced.
  bool valid() const { return generation_ != 0; }
  // The id's position in the policy (0-based, dense): an index for a
  // caller's own per-id tables. Meaningful only while valid().
  int index() const { return index_; }

  friend bool operator==(Handle a, Handle b) {
    return a.index_ == b.index_ && a.generation_ == b.generation_;
  }
  friend bool operator!=(Handle a, Handle b) { return !(a == b); }

 private:
  friend struct Access;
  template <typename>
  friend class HandleSet;
  uint32_t generation_ = 0;
  uint16_t index_ = 0;
};

// A set of handles of one kind, as a bitset.
template <typename Id>
class HandleSet {
 public:
  // The empty set; it may be used with any snapshot.
  HandleSet() = default;

  // Adds `id`. Adding an unset handle, or handles of two different policies,
  // spoils the set: an evaluation given it returns FailedPreconditionError.
  void Insert(Id id) {
    const uint32_t g = id.generation_;
    if (g == 0 || (generation_ != 0 && generation_ != g)) {
      generation_ = kSpoiled;  // stays spoiled: kSpoiled matches no policy
      return;
    }
    generation_ = g;
    bits_.Insert(id.index());
  }
  // True when `id` is a member.
  bool Contains(Id id) const {
    return id.valid() && generation_ == id.generation_ &&
           bits_.Contains(id.index());
  }
  bool empty() const { return bits_.Empty(); }
  int size() const { return bits_.Count(); }

 private:
  friend struct Access;
  static constexpr uint32_t kSpoiled = ~uint32_t{0};
  id_set_internal::IdSet bits_;
  uint32_t generation_ = 0;  // 0 while empty
};

// How pip's own code reaches the fields above. Not for callers.
struct Access {
  template <typename H>
  static H MakeHandle(int index, uint32_t generation) {
    H h;
    h.index_ = static_cast<uint16_t>(index);
    h.generation_ = generation;
    return h;
  }
  template <typename H>
  static uint32_t Generation(const H& h) {
    return h.generation_;
  }
  template <typename S>
  static const id_set_internal::IdSet& Bits(const S& s) {
    return s.bits_;
  }
  template <typename S>
  static uint32_t SetGeneration(const S& s) {
    return s.generation_;
  }
  template <typename S>
  static S MakeSet(const id_set_internal::IdSet& bits, uint32_t generation) {
    S s;
    s.bits_ = bits;
    s.generation_ = bits.Empty() ? 0 : generation;
    return s;
  }
  // The out-of-line evaluation behind Snapshot::PurposeAllowed, so that
  // tests can hold the inline path to its answers.
  template <typename Snap, typename Facts>
  static auto PurposeAllowedOutOfLine(const Snap& snap, const Facts& f) {
    return snap.PurposeAllowedOutOfLine(f);
  }
  // The same for Snapshot::RetentionDue.
  template <typename Snap, typename Facts>
  static auto RetentionDueOutOfLine(const Snap& snap, const Facts& f) {
    return snap.RetentionDueOutOfLine(f);
  }
};

// The first step of purpose_allowed (clauses 2, 4, 8.1; APPI 27, 28): no
// rule can bear on a use when no request of the subject is active, the
// recipient needs no consent that names it, and none of the categories is
// in the purpose's gate (the categories that carry a condition, or every
// category when the purpose itself carries one). The use is then permitted
// by the purpose's clause alone. The evaluator (src/eval/purpose_allowed.h)
// and the inline path of Snapshot::PurposeAllowed both decide it here.
inline bool NoRuleApplies(const id_set_internal::IdSet& categories,
                          const id_set_internal::IdSet& purpose_gate,
                          bool recipient_needs_named_consent,
                          bool any_active_request) {
  return !any_active_request && !recipient_needs_named_consent &&
         !categories.Intersects(purpose_gate);
}

}  // namespace snapshot_internal

// Handles, one type per kind of id. Obtain them from Snapshot's lookups.
using CategoryId = snapshot_internal::Handle<struct CategoryTag>;
using PurposeId = snapshot_internal::Handle<struct PurposeTag>;
using RecipientId = snapshot_internal::Handle<struct RecipientTag>;
using RetentionKindId = snapshot_internal::Handle<struct RetentionKindTag>;
using HoldTypeId = snapshot_internal::Handle<struct HoldTypeTag>;
using RequestTypeId = snapshot_internal::Handle<struct RequestTypeTag>;
using RequesterId = snapshot_internal::Handle<struct RequesterTag>;
// A request channel. A channel the policy does not accept (8.2) is a valid
// handle whose accepted() is false: the decision reports it, it is not an
// error.
using RequestChannelId = snapshot_internal::Handle<struct RequestChannelTag>;
// A document a data-subject request comes with (8.2, 8.3).
using DocumentId = snapshot_internal::Handle<struct DocumentTag>;
// A ground on which a request may be refused (8.3).
using ReviewGroundId = snapshot_internal::Handle<struct ReviewGroundTag>;

using CategorySet = snapshot_internal::HandleSet<CategoryId>;
using PurposeSet = snapshot_internal::HandleSet<PurposeId>;
using RecipientSet = snapshot_internal::HandleSet<RecipientId>;
using DocumentSet = snapshot_internal::HandleSet<DocumentId>;
using ReviewGroundSet = snapshot_internal::HandleSet<ReviewGroundId>;

// Facts of the context of a use (clauses 2.5, 4.3).
struct PurposeContext {
  bool anonymized = false;            // 4.3 statistics
  bool health_service = false;        // 2.5 health
  bool necessity_documented = false;  // 2.5 family structure
};

// A consent record (APPI 20(2), 27, 28), as pip.v1.Consent with handles.
struct ConsentRecord {
  // Whether the consent was given by the subject the query is about. The
  // caller compares its subject ids; false makes the consent unusable
  // (SUBJECT_MISMATCH).
  bool subject_matches = false;
  // The scope. An empty purpose set here covers no purpose (but still
  // covers acquisition, which asks about none): use Snapshot::AllPurposes()
  // for a consent to any purpose. An empty recipient set means internal
  // use only.
  //
  // A consent that lists no category (pip.v1.Consent's empty list) is
  // `any_category`: it covers every category except those only a consent
  // naming them covers (location, 2.4; special care-required data such as
  // health, APPI 20(2)), whatever `categories` holds. Otherwise it covers
  // the categories of `categories`; a set of every category
  // (Snapshot::AllCategories()) names each of them.
  CategorySet categories;
  bool any_category = false;
  PurposeSet purposes;
  RecipientSet recipients;
  absl::Time granted_at;
  absl::Time withdrawn_at = absl::InfiniteFuture();  // not withdrawn
  absl::Time expires_at = absl::InfiniteFuture();    // no expiry
  int32_t consent_version = 0;
  // The birth date of the person who gave the consent, when recorded
  // (years kMinYear to kMaxYear). A consent given below the policy's age of
  // consent counts only with `representative_consent` (PPC Q&A 1-62).
  std::optional<absl::CivilDay> birth_date;
  // A legal representative's consent is recorded with this one.
  bool representative_consent = false;
};

// Where a data-subject request stands (8.1), as pip.v1.RequestStatus.
enum class RequestState : uint8_t {
  kReceived,    // in force
  kCarriedOut,  // in force (a carried-out suspension stays in force)
  kRejected,    // not in force from `decided_at`
  kWithdrawn,   // not in force from `decided_at`
};

// A data-subject request of the subject that has been received (8.1).
struct PendingRequest {
  RequestTypeId type;
  absl::Time received_at;
  RequestState status = RequestState::kReceived;
  // When a rejection or withdrawal took effect; before it the request was
  // in force. InfinitePast: at every time.
  absl::Time decided_at = absl::InfinitePast();
  // The scope: empty sets mean every purpose, every category. With
  // categories, the request bears on a use only when the use involves one
  // of them; with both, a use must match both.
  PurposeSet purposes;
  CategorySet categories;
};

// A hold that keeps a record past its period (7, 保存期間の例外).
struct RecordHold {
  HoldTypeId type;
  absl::Time until = absl::InfiniteFuture();  // no end yet
};

// A request of 8.1 carried out by erasing the record's data (retention_due).
// `type` is a request type whose policy entry may erase
// (RequestType.may_erase: 利用停止・消去, 訂正・追加・削除).
struct RecordErasure {
  RequestTypeId type;
  absl::Time carried_out_at;  // counts from this time on
};

// purpose_allowed: may `categories` be used for `purpose`, and given to
// `recipient`, at `as_of`? Clauses 2, 4, 8.1; APPI 27, 28.
struct PurposeFacts {
  CategorySet categories;  // at least one
  PurposeId purpose;
  RecipientId recipient;  // unset: the policy's default recipient
  PurposeContext context;
  absl::Span<const ConsentRecord> consents;  // the subject's consents
  absl::Span<const PendingRequest> active_requests;
  absl::Time as_of;
};

// consent_check: does a valid consent cover every category and purpose (and
// the recipient) at `as_of`? Each category may be covered by a different
// consent.
struct ConsentFacts {
  CategorySet categories;  // at least one
  // Empty: the question is whether the categories may be acquired (2.4 取得,
  // APPI 20(2)), and a consent's purposes do not matter.
  PurposeSet purposes;
  RecipientId recipient;   // unset: the policy's default recipient
  absl::Span<const ConsentRecord> consents;
  absl::Time as_of;
};

// retention_due: must a record of `kind` be deleted at `as_of`? Clause 7.
struct RetentionFacts {
  RetentionKindId kind;
  // The event that starts the kind's clock; absent for a contract that has
  // not ended (only kinds whose event may be pending accept that).
  std::optional<absl::Time> event_at;
  absl::Span<const RecordHold> holds;
  absl::Time as_of;
  // The categories the record holds, when known (may be empty). One the
  // kind's row of clause 7 does not list sends the record to a person's
  // review (RetentionVerdict::needs_review); it is then never due.
  CategorySet categories;
  // Erasures carried out on request (8.1). One carried out at or before
  // as_of makes the record due now, unless a hold keeps it or the law sets
  // its period (RetentionKind.statutory_article, a statutory floor).
  absl::Span<const RecordErasure> erasures;
};

// request_validate: is a data-subject request complete? Clause 8.
struct RequestFacts {
  RequestTypeId type;
  RequestChannelId channel;  // required; see Snapshot::RequestChannel
  RequesterId requester;     // unset: the subject in person
  DocumentSet documents;     // the documents submitted
  bool identity_verified = false;
  int32_t fee_paid_jpy = 0;  // JPY; not negative
  ReviewGroundSet review;    // 8.3 grounds the caller found facts for
  absl::Time received_at;
  absl::Time as_of;
};

// The first reason of a decision, as the proto API would list it first.
// `clause` points into the snapshot's policy: it lives as long as the
// snapshot. Empty with REASON_CODE_UNSPECIFIED when the decision has no
// reason.
struct PurposeVerdict {
  bool allowed = false;
  // PURPOSE_PERMITTED when allowed; else the first denying reason.
  v1::ReasonCode reason = v1::REASON_CODE_UNSPECIFIED;
  absl::string_view clause;
  // Index into PurposeFacts::consents of the first consent relied on when
  // allowed; -1 when none was needed.
  int consent = -1;
};

struct ConsentVerdict {
  bool valid = false;
  // Index into ConsentFacts::consents of the consent relied on for the
  // first category (the most recently granted valid one that covers it), or
  // -1.
  int consent = -1;
  // When not valid: NO_CONSENT, or the first fault of the first consent.
  v1::ReasonCode reason = v1::REASON_CODE_UNSPECIFIED;
  absl::string_view clause;
};

struct RetentionVerdict {
  // Sets each member to its initializer below. Written out rather than
  // defaulted on purpose: a defaulted constructor makes `RetentionVerdict()`
  // clear all 88 bytes first, which GCC does with a string store (rep stos)
  // whose start-up alone cost a third of the inline RetentionDue.
  RetentionVerdict() {}  // NOLINT(modernize-use-equals-default)

  bool due = false;
  bool clock_started = false;
  bool period_ended = false;
  // The last civil day (Asia/Tokyo) the record is kept, and 00:00 JST the
  // day after; meaningful when clock_started.
  absl::CivilDay retain_until;
  absl::Time due_at;
  // retain_until as days since 1970-01-01 of the Tokyo civil calendar, the
  // unit of RetentionSweep's `retain_until`; meaningful when clock_started.
  int32_t retain_until_days = 0;
  // A statutory floor (法定保存期間) ends after the kind's own period and
  // decides retain_until; meaningful when clock_started.
  bool statutory_floor = false;
  // A category of RetentionFacts::categories is not one the kind holds
  // (CATEGORY_NOT_RETAINED_BY_KIND): a person decides; due is false.
  bool needs_review = false;
  // An erasure of RetentionFacts::erasures counts at as_of (8.1): due unless
  // a hold or the law keeps the record.
  bool erasure = false;
  // CATEGORY_NOT_RETAINED_BY_KIND, PERIOD_RUNNING, STATUTORY_FLOOR_APPLIES,
  // CLOCK_NOT_STARTED, ERASURE_DEFERRED_BY_LAW or HOLD_APPLIES (the first
  // found); unspecified when due, or ERASURE_CARRIED_OUT when an erasure
  // made the record due.
  v1::ReasonCode reason = v1::REASON_CODE_UNSPECIFIED;
  absl::string_view clause;
  // The kind's deletion method id, e.g. "complete_deletion".
  absl::string_view deletion_method;
};

struct RequestVerdict {
  bool valid = false;
  // The fee of the request type (8.3), and the part of it not paid yet.
  int32_t fee_due_jpy = 0;
  int32_t fee_unpaid_jpy = 0;
  // The last civil day (Asia/Tokyo) to respond (8.2), and the same as days
  // since 1970-01-01 of the Tokyo civil calendar.
  absl::CivilDay respond_by;
  int32_t respond_by_days = 0;
  bool overdue = false;
  // What to do next: the first step that applies (v1::NextStep).
  v1::NextStep next_step = v1::RESPOND;
  // The first finding in the order clause 8's rules are checked: the
  // channel, the documents, identity, the fee, the deadline, review grounds.
  v1::ReasonCode reason = v1::REASON_CODE_UNSPECIFIED;
  absl::string_view clause;
};

// RetentionSweep's event time for "no event yet" (a contract that has not
// ended), and the retain-until value it writes for such a record.
inline constexpr int64_t kNoEvent = INT64_MIN;
inline constexpr int32_t kNoRetainUntil = INT32_MIN;

}  // namespace pip

#endif  // PIP_HANDLES_H_
