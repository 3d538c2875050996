// pip/limits.h: the largest inputs pip accepts.
//
// Every limit is enforced when an input is read; an input past a limit is
// rejected with absl::InvalidArgumentError whose message names the limit
// (e.g. "consents: 1025 entries; the limit is 1024 (kMaxConsentsPerRequest)"),
// never truncated and never evaluated in part. docs/security.md lists them
// with the test that shows each.
//
// Text in a request (ids, subject ids, the caller's consent, request and hold
// ids) must also be valid UTF-8 without NUL bytes; see pip/engine.h.
#ifndef PIP_LIMITS_H_
#define PIP_LIMITS_H_

#include <cstddef>

namespace pip {

// Consent records in one request.
inline constexpr int kMaxConsentsPerRequest = 1024;
// Active data-subject requests in one purpose_allowed request.
inline constexpr int kMaxActiveRequests = 256;
// Ids in one list of a request (categories, purposes) or of a consent scope.
inline constexpr int kMaxIdsPerList = 256;
// Holds on one record.
inline constexpr int kMaxHolds = 256;
// Erasures carried out on one record (retention_due).
inline constexpr int kMaxErasures = 256;
// Bytes of one string of a request: an id, a subject id, the caller's id of a
// consent, an active request or a hold.
inline constexpr size_t kMaxTextBytes = 1024;
// Bytes of one JSON request (one line of `pipctl eval`).
inline constexpr size_t kMaxJsonRequestBytes = 1 << 20;
// Bytes of one serialized protobuf request (the C API's _pb entry points).
inline constexpr size_t kMaxProtoRequestBytes = 1 << 20;
// Bytes of one batch of requests (pip_eval_batch_json, pip_eval_batch_pb).
inline constexpr size_t kMaxBatchBytes = 64 << 20;
// Requests in one batch: lines of pip_eval_batch_json (a blank line counts),
// requests of pip_eval_batch_pb. 64 MiB of blank lines would otherwise be
// 64 million requests, each answered with an error.
inline constexpr size_t kMaxBatchRequests = 1 << 20;
// Bytes of the answers to one batch. Answers can be far larger than their
// requests (a 200-byte consent_check is answered in 4 KB), so a batch whose
// answers would pass this is refused whole, with ResourceExhausted naming
// the limit, as soon as they do: nothing of it is returned.
inline constexpr size_t kMaxBatchOutputBytes = 256 << 20;
// Objects and arrays nested in one JSON request, the outermost object
// counting as 1. pip.v1 requests nest at most 5 deep; the limit bounds the
// parser's recursion whatever the input.
inline constexpr int kMaxJsonDepth = 32;
// Bytes of one line read by `pipctl eval` and `pipctl explain`, without its
// line ending. A longer line is answered with an error line naming this
// limit, is never held in memory whole, and the stream goes on.
inline constexpr size_t kMaxEvalLineBytes = kMaxJsonRequestBytes;
// Bytes of a policy, text or binary.
inline constexpr size_t kMaxPolicyBytes = 16 << 20;
// Entries of any one list of a policy (clauses, categories, purposes,
// retention kinds, documents, the rules of an item, ...). The default
// policy's longest list has fewer than 100; the limit keeps every check and
// every compiled table of a policy small whatever the file holds.
inline constexpr int kMaxPolicyListEntries = 4096;
// Bytes of one string of a policy (an id, a label, a clause's text). The
// default policy's longest is a clause text of under 2 KiB.
inline constexpr size_t kMaxPolicyTextBytes = 16 << 10;
// Problems listed when a policy does not validate; the rest are counted.
// Checking stays linear in the policy's size: an error message of a policy
// of problems stays readable and bounded.
inline constexpr int kMaxPolicyProblems = 100;
// "Did you mean" suggestions made while validating one policy; each compares
// one unknown reference with every id of its kind, so the number is bounded
// (suggestions are only for ids of at most 64 bytes).
inline constexpr int kMaxPolicySuggestions = 32;
// Earliest and latest times accepted, as years (inclusive).
inline constexpr int kMinYear = 1900;
inline constexpr int kMaxYear = 9999;

}  // namespace pip

#endif  // PIP_LIMITS_H_
