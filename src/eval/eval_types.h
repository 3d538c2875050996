// The evaluators' inputs and outputs: resolved views over a request (dense
// ids, bitsets, absl::Time) and reason records. Nothing here knows about
// strings, JSON or protobuf requests; src/engine/resolve.cc builds the views
// and src/render/render.cc turns verdicts into pip.v1 decisions.
#ifndef PIP_SRC_EVAL_EVAL_TYPES_H_
#define PIP_SRC_EVAL_EVAL_TYPES_H_

#include <cstdint>
#include <vector>

#include "absl/container/inlined_vector.h"

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "pip/handles.h"
#include "pip/v1/decision.pb.h"
#include "src/policy/compiled_policy.h"

namespace pip {
namespace eval_internal {

using policy_internal::CategorySet;
using policy_internal::ClauseIndex;
using policy_internal::CompiledPolicy;
using policy_internal::PurposeSet;
using policy_internal::RecipientSet;

// One reason, by index: what it is about refers to the policy's tables
// (category, purpose, recipient, document, review ground, hold type) or to the
// query's lists (consent, request, hold). -1 means "not about one".
struct ReasonRef {
  v1::ReasonCode code = v1::REASON_CODE_UNSPECIFIED;
  ClauseIndex clause = 0;
  int16_t category = -1;
  int16_t purpose = -1;
  int16_t recipient = -1;
  int16_t consent = -1;
  int16_t request = -1;
  int16_t hold = -1;
  int16_t document = -1;
  int16_t review = -1;
};

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
struct ReasonCounter {
  static constexpr bool kDetailed = false;
  void Add(const ReasonRef& r) {
    if (r.code == v1::CONSENT_RELIED) {
      if (relied < 0) relied = r.consent;
      return;
    }
    if (count++ == 0) first = r;
  }
  size_t Mark() const { return static_cast<size_t>(count); }
  void InsertAt(size_t mark, const ReasonRef& r) {
    if (mark == 0) first = r;
    ++count;
  }
  int count = 0;
  ReasonRef first;
  int relied = -1;  // index of the first consent relied on
};

// The caller-facing records of pip/snapshot.h are the evaluators' views:
// the hot path hands them over without copying. Empty category or purpose
// scopes of a consent resolved from a request have become the full set.
using ConsentView = ::pip::ConsentRecord;
using RequestView = ::pip::PendingRequest;
using HoldView = ::pip::RecordHold;
using NextStep = ::pip::NextStep;
using snapshot_internal::Access;

struct PurposeQuery {
  CategorySet categories;
  int purpose = 0;
  int recipient = 0;
  uint32_t context = 0;  // policy_internal::ContextBit flags
  absl::Span<const ConsentView> consents;
  absl::Span<const RequestView> requests;
  absl::Time as_of;
};

struct ConsentQuery {
  CategorySet categories;
  PurposeSet purposes;
  int recipient = 0;
  absl::Span<const ConsentView> consents;
  absl::Time as_of;
};

struct RetentionQuery {
  int kind = 0;
  bool has_event = false;
  absl::Time event_at;
  absl::Span<const HoldView> holds;
  absl::Time as_of;
};

// EvaluateRetentionDue() fills the verdict fields; the caller adds the
// reason, clause and deletion method.
using RetentionVerdict = ::pip::RetentionVerdict;

struct RequestQuery {
  int type = 0;
  int channel = -1;  // -1: a channel that does not accept requests
  int requester = 0;
  bool documents[3] = {false, false, false};  // by DocumentField
  bool identity_verified = false;
  int64_t fee_paid_jpy = 0;
  bool review[2] = {false, false};  // by ReviewField
  absl::Time received_at;
  absl::Time as_of;
};

struct RequestVerdict {
  bool valid = false;
  int64_t fee_due_jpy = 0;
  absl::CivilDay respond_by;
  bool overdue = false;
  NextStep next_step = NextStep::kRespond;
};

}  // namespace eval_internal
}  // namespace pip

#endif  // PIP_SRC_EVAL_EVAL_TYPES_H_
