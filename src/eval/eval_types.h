// What the evaluators share: the facts and verdicts of pip/handles.h (the
// one resolved form of a request, whichever surface it came from), reason
// records, and the sinks that receive them. Nothing here knows about
// strings, JSON or protobuf requests: src/engine resolves requests into
// facts, and src/render turns verdicts and reasons into decisions.
#ifndef PIP_SRC_EVAL_EVAL_TYPES_H_
#define PIP_SRC_EVAL_EVAL_TYPES_H_

#include <cstdint>

#include "absl/container/inlined_vector.h"
#include "pip/handles.h"
#include "pip/v1/decision.pb.h"
#include "src/policy/compiled_policy.h"

namespace pip {
namespace eval_internal {

using policy_internal::ClauseIndex;
using policy_internal::kNoClause;
using policy_internal::CompiledPolicy;
using policy_internal::IdSet;
using snapshot_internal::Access;

// One reason, by index: what it is about refers to the policy's tables
// (category, purpose, recipient, document, review ground, hold type) or to
// the facts' lists (consent, request, hold). -1 means "not about one".
struct ReasonRef {
  v1::ReasonCode code = v1::REASON_CODE_UNSPECIFIED;
  ClauseIndex clause = 0;
  // An article of law cited beside `clause` (APPI 20(2) beside 2.5), or
  // kNoClause.
  ClauseIndex article = policy_internal::kNoClause;
  // Which wording of the code's message fits, when the code has more than
  // one (kRulesMet): a finer finding of the evaluator.
  uint8_t wording = 0;
  int16_t category = -1;
  int16_t purpose = -1;
  int16_t recipient = -1;
  int16_t consent = -1;
  int16_t request = -1;
  int16_t hold = -1;
  int16_t document = -1;
  int16_t review = -1;
  // A policy item of the function's own list: a duty of 1.4, a step of
  // 9.1, an outside body of 9.2 (which one, the code says).
  int16_t provision = -1;
  // An acquisition channel of clause 3 (CompiledPolicy::acquisition_channels).
  int16_t channel = -1;
};

// ReasonRef::wording of PURPOSE_PERMITTED when rules applied to the use and
// every one was met (a consent relied on, a context fact given): the
// message then does not say that no rule restricts the use.
inline constexpr uint8_t kRulesMet = 1;

// ReasonRef::wording of SUSPENDED_BY_REQUEST and THIRD_PARTY_STOPPED when
// the request is limited in scope (8.1): to purposes (the reason names the
// use's purpose), to categories (it names a category of the use the request
// covers), or to both.
inline constexpr uint8_t kScopedToPurposes = 1;
inline constexpr uint8_t kScopedToCategories = 2;
inline constexpr uint8_t kScopedToBoth = 3;

// ReasonRef::wording of ERASURE_DEFERRED_BY_LAW when the record's clock has
// not started (a contract still running): the law's period has no end yet.
inline constexpr uint8_t kClockNotStarted = 1;

// ReasonRef::wording of HOLD_APPLIES when an erasure (8.1), not the end of
// the period, would make the record due.
inline constexpr uint8_t kAfterErasure = 1;

// Sinks receive reasons as an evaluator finds them. An evaluator is a
// template over its sink, so that one body serves both the explaining path
// and the counting hot path.

// Keeps every reason, for decisions that explain themselves.
struct ReasonList {
  static constexpr bool kDetailed = true;
  void Add(const ReasonRef& r) { items.push_back(r); }
  // Where the next reason will go; InsertAt() puts one there later, so a
  // summary can precede the details found while deciding it.
  size_t Mark() const { return items.size(); }
  void InsertAt(size_t mark, const ReasonRef& r) {
    items.insert(items.begin() + mark, r);
  }
  // A decision gives one to a few reasons; they stay on the stack.
  absl::InlinedVector<ReasonRef, 8> items;
};

// Keeps the first reason as the detailed list would order it, the first
// consent relied on, and a count: the hot path that needs only the verdict.
// A denial's list leaves out reliance notes (see EvaluatePurposeAllowed), so
// CONSENT_RELIED is tracked apart and takes no place in the order.
//
// Only the fields a verdict reads are kept: copying a whole ReasonRef that
// an evaluator has just written field by field would be read back with
// wide loads the processor cannot forward from its store buffer (a stall
// of tens of cycles a reason); with these few fields the compiler keeps
// the evaluator's ReasonRef in registers.
struct ReasonCounter {
  static constexpr bool kDetailed = false;
  // What a verdict says of the first reason.
  struct First {
    v1::ReasonCode code = v1::REASON_CODE_UNSPECIFIED;
    ClauseIndex clause = 0;
    int16_t consent = -1;
  };
  void Add(const ReasonRef& r) {
    if (r.code == v1::CONSENT_RELIED) {
      if (relied < 0) relied = r.consent;
      return;
    }
    if (count++ == 0) Keep(r);
  }
  size_t Mark() const { return static_cast<size_t>(count); }
  void InsertAt(size_t mark, const ReasonRef& r) {
    if (mark == 0) Keep(r);
    ++count;
  }
  int count = 0;
  First first;
  int relied = -1;  // index of the first consent relied on

 private:
  void Keep(const ReasonRef& r) {
    first.code = r.code;
    first.clause = r.clause;
    first.consent = r.consent;
  }
};

// The dense index of a handle or set the caller has checked to be of
// `policy` (the resolver makes them so; Snapshot checks them).
template <typename H>
int IndexOf(const H& handle) {
  return handle.index();
}
template <typename S>
const IdSet& BitsOf(const S& set) {
  return Access::Bits(set);
}

// The recipient of a use: an unset handle means the policy's default.
inline int RecipientIndex(const CompiledPolicy& policy, RecipientId r) {
  return r.valid() ? r.index() : policy.default_recipient;
}

// The requester of a request: an unset handle means the subject in person.
inline int RequesterIndex(const CompiledPolicy& policy, RequesterId r) {
  return r.valid() ? r.index() : policy.default_requester;
}

// A channel the policy does not accept requests by (8.2): the index of its
// handle.
inline constexpr int kUnacceptedChannel = 0xFFFF;

}  // namespace eval_internal
}  // namespace pip

#endif  // PIP_SRC_EVAL_EVAL_TYPES_H_
