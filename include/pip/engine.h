// pip/engine.h: the policy engine.
//
// A pip::Engine holds one compiled, validated policy and answers the four
// questions a business system asks before it touches personal data:
//
//   PurposeAllowed   may these categories be used for this purpose (and
//                    given to this recipient) now?          clauses 2, 4, 8.1
//   ConsentCheck     does a valid consent cover this use?   2.4, 2.5, APPI 27
//   RetentionDue     must this record be deleted now, by when, and how?   7
//   RequestValidate  is this data-subject request complete, what fee, what
//                    deadline, what to review?                             8
//
// Example:
//
//   absl::StatusOr<std::unique_ptr<pip::Engine>> engine =
//       pip::Engine::Default();
//   if (!engine.ok()) return engine.status();
//   pip::v1::RetentionDueRequest req;
//   req.set_kind("inquiry");
//   *req.mutable_event_at() = ...;   // google.protobuf.Timestamp
//   *req.mutable_as_of() = ...;
//   absl::StatusOr<pip::v1::RetentionDueDecision> d = (*engine)->RetentionDue(req);
//   if (d.ok() && d->due()) DeleteRecord(d->deletion_method());
//
// Decisions are pure: a function of (policy, request, as_of). No clock is
// read and no I/O is done while evaluating. Every decision carries reason
// codes, the clause of the policy that produced them, messages in Japanese
// and English, and the policy's version and content hash.
//
// Errors: evaluation returns absl::InvalidArgumentError for a malformed
// request (an unknown id, an empty category list, a missing required time, a
// time outside the years 1900-9999, a negative fee, text that is not valid
// UTF-8 or holds a NUL byte, a list or string past a limit of pip/limits.h),
// naming the offending field and, for a limit, the limit. An error is never an allow: a
// caller that gets an error must not proceed. A deny is a decision, not an
// error.
//
// Thread-safety: an Engine is thread-safe. Any number of threads may
// evaluate while another calls Reload(); each evaluation uses exactly one
// policy snapshot from start to end, and a batch (EvaluateBatch,
// EvaluateJsonBatch) one for all its requests. With no audit sink attached,
// an evaluation writes no memory another thread reads: each thread keeps a
// reference to the policy of its last evaluation, which it refreshes after a
// Reload(), so a replaced policy is freed at each thread's next evaluation
// on this engine (or the thread's exit) rather than when Reload() returns.
#ifndef PIP_ENGINE_H_
#define PIP_ENGINE_H_

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "pip/policy.h"
#include "pip/snapshot.h"
#include "pip/trust.h"
#include "pip/v1/decision.pb.h"
#include "pip/v1/policy.pb.h"

namespace pip {

namespace policy_internal {
class CompiledPolicy;
}  // namespace policy_internal
namespace engine_internal {
struct EngineAccess;
}  // namespace engine_internal

class AuditSink;  // pip/audit.h

class Engine {
 public:
  // Creates an engine with the default policy embedded in the library
  // (policies/default.textproto at build time). Needs no file.
  // Returns InternalError only if the embedded policy does not validate,
  // which the library's tests rule out.
  static absl::StatusOr<std::unique_ptr<Engine>> Default();

  // Creates an engine from a text-format pip.v1.Policy. `file` only labels
  // problems. Returns InvalidArgumentError listing every problem (with line,
  // field path and clause) when the policy does not validate, or naming
  // kMaxPolicyBytes (pip/limits.h) for a larger text.
  static absl::StatusOr<std::unique_ptr<Engine>> FromTextProto(
      absl::string_view text, absl::string_view file = "");

  // Creates an engine from serialized (binary) pip.v1.Policy bytes. Returns
  // InvalidArgumentError for truncated or corrupt bytes, bytes over
  // kMaxPolicyBytes, fields this version of the schema does not know (a
  // newer policy's rule is never dropped silently), strings that are not
  // UTF-8, or a policy that does not validate.
  static absl::StatusOr<std::unique_ptr<Engine>> FromBinaryProto(
      absl::string_view bytes);

  // Creates an engine from a policy message. Errors as FromBinaryProto.
  static absl::StatusOr<std::unique_ptr<Engine>> FromPolicy(
      const v1::Policy& policy);

  // Creates an engine from a policy file: binary when its name ends in
  // ".binpb" or ".pb", text format otherwise. Returns NotFoundError when the
  // file cannot be opened, InvalidArgumentError as FromTextProto.
  static absl::StatusOr<std::unique_ptr<Engine>> FromFile(
      const std::string& path);

  // Creates an engine from policy bytes (text format, or binary when `file`
  // ends in ".binpb" or ".pb") and a detached Ed25519 signature over exactly
  // those bytes (pip/trust.h), and installs `trust` for its reloads (see
  // SetPolicyTrust). The signature is checked before the bytes are parsed.
  // Returns UnauthenticatedError when it does not verify (or is missing but
  // required), FailedPreconditionError for a revision below
  // trust.min_revision(), InvalidArgumentError as FromTextProto.
  static absl::StatusOr<std::unique_ptr<Engine>> FromSignedPolicy(
      absl::string_view policy_bytes, absl::string_view signature,
      const PolicyTrust& trust, absl::string_view file = "");

  // The same from files. A missing signature file counts as no signature.
  // Returns NotFoundError when the policy file cannot be opened.
  static absl::StatusOr<std::unique_ptr<Engine>> FromSignedFile(
      const std::string& path, const std::string& signature_path,
      const PolicyTrust& trust);

  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  ~Engine();

  // Replaces the policy atomically. Evaluations already running finish on
  // the policy they started with; later ones see the new policy. On error
  // (same as the matching factory) the running policy is left untouched.
  // Once a PolicyTrust is installed, these unsigned reloads are refused
  // with UnauthenticatedError when it requires signatures, and every
  // reload is refused with FailedPreconditionError naming both revisions
  // when the new policy's revision is lower than the running one's (or
  // than trust.min_revision()), or equal with a different content hash.
  absl::Status Reload(const v1::Policy& policy);
  absl::Status ReloadFromTextProto(absl::string_view text,
                                   absl::string_view file = "");
  absl::Status ReloadFromFile(const std::string& path);

  // Reloads from signed policy bytes, checked as FromSignedPolicy checks
  // them, then as Reload for rollback. Returns FailedPreconditionError when
  // no PolicyTrust is installed.
  absl::Status ReloadSigned(absl::string_view policy_bytes,
                            absl::string_view signature,
                            absl::string_view file = "");
  absl::Status ReloadSignedFile(const std::string& path,
                                const std::string& signature_path);

  // Installs `trust`: from then on reloads are checked as described above.
  // The running policy is not re-checked.
  //
  // Thread-safety: may be called while other threads evaluate or reload.
  void SetPolicyTrust(const PolicyTrust& trust);

  // The decisions, one member per function of pip/functions.def:
  //
  //   absl::StatusOr<v1::PurposeAllowedDecision> PurposeAllowed(
  //       const v1::PurposeAllowedRequest& request) const;
  //   absl::StatusOr<v1::ConsentCheckDecision> ConsentCheck(
  //       const v1::ConsentCheckRequest& request) const;
  //   absl::StatusOr<v1::RetentionDueDecision> RetentionDue(
  //       const v1::RetentionDueRequest& request) const;
  //   absl::StatusOr<v1::RequestValidateDecision> RequestValidate(
  //       const v1::RequestValidateRequest& request) const;
  //
  // Each returns InvalidArgumentError for a malformed request, naming the
  // field ("categories[1]: unknown category 'emial' (did you mean
  // 'email'?)"), for a request past a limit of pip/limits.h, and for one
  // that holds a field this version of pip does not know (a field a newer
  // caller relies on is never dropped silently). With an audit sink
  // attached, UnavailableError ("audit log: ...") replaces any decision or
  // error whose record could not be written. The same decisions on
  // serialized protobuf and JSON are in pip/encoded.h.
#define PIP_FUNCTION(Name, name, number) \
  absl::StatusOr<v1::Name##Decision> Name(const v1::Name##Request& request) const;
#include "pip/functions.def"
#undef PIP_FUNCTION

  // Evaluates whichever function `request` holds. Never fails: an error
  // becomes EvalResponse.error, with the status code name and message.
  v1::EvalResponse Evaluate(const v1::EvalRequest& request) const;

  // Evaluates every request of `batch` on one policy, the one running when
  // the call starts, even while another thread reloads: responses[i]
  // answers requests[i] as Evaluate() does, and every decision of the batch
  // carries the same policy stamp. Never fails as a whole: a request that
  // cannot be evaluated, or that holds a field this version of pip does not
  // know, is answered with EvalResponse.error. With an audit sink attached,
  // each request is recorded as Evaluate() records it.
  //
  // Thread-safety: as Evaluate().
  v1::EvalBatchResponse EvaluateBatch(const v1::EvalBatchRequest& batch) const;

  // Renders a decision as a readable Japanese and English explanation for
  // `pipctl explain`: the outcome, each reason with its clause, and (unless
  // `quote_clauses` is false) the text of every clause cited.
  std::string Explain(const v1::EvalResponse& response,
                      bool quote_clauses = true) const;

  // Attaches the decision log (pip/audit.h): from then on every evaluation
  // of the four functions, a decision or an error, is recorded to `sink`
  // before it is returned. pip never fails open: when the sink cannot
  // record, the evaluation returns UnavailableError ("audit log: ...")
  // instead of the decision, whatever the decision was. A null `sink`
  // detaches the log. With no sink attached an evaluation pays one branch.
  // A sink, once attached, is kept alive until the engine is destroyed,
  // since an evaluation running on another thread may still be using it.
  // JSON lines that do not parse (EvaluateJson) reach no function and are
  // not recorded, nor are decisions taken with a snapshot() (pip/snapshot.h).
  // A recorded decision costs some 10-20 us more (pseudonyms, the chain MAC
  // and a JSON line; docs/performance.md).
  //
  // Thread-safety: may be called while other threads evaluate; an
  // evaluation records to the sink attached when its decision was
  // made.
  void SetAuditSink(std::shared_ptr<AuditSink> sink);

  // The running policy's version string and content hash (lowercase hex
  // SHA-256 of its deterministic serialization).
  std::string policy_version() const;
  std::string policy_hash() const;

  // A copy of the running policy.
  v1::Policy policy() const;

  // The running policy as an immutable snapshot for the hot path of
  // pip/snapshot.h. The caller holds it and evaluates with it without
  // touching the engine again; a Reload() does not change it (take a new
  // snapshot, and look its handles up again, to see a new policy). The
  // snapshot keeps its policy alive and may outlive the engine. Allocates a
  // small object: take one and keep it, not one per evaluation. Decisions
  // taken with a snapshot are not sent to the audit sink.
  std::shared_ptr<const ::pip::Snapshot> snapshot() const;

 private:
  explicit Engine(std::shared_ptr<const policy_internal::CompiledPolicy> p);
  std::shared_ptr<const policy_internal::CompiledPolicy> Snapshot() const;
  // Calls `fn(policy, sink)` with the running policy and the audit sink
  // attached (or null), both read once, so that a call, or a whole batch,
  // is decided on one policy and recorded to one sink. With no sink, no
  // code but pip's runs before `fn` returns, and the policy is read through
  // PolicyForThisThread(): a decision then writes no memory another thread
  // reads. A sink runs the caller's code, which may reload this engine, so
  // with one the call holds its own reference to the policy. Defined in
  // src/engine/running_policy.h.
  template <typename Fn>
  auto OnRunningPolicy(Fn fn) const;
  friend struct engine_internal::EngineAccess;
  // The running policy for a call that runs no code but pip's own (no
  // audit sink, no callback), read through a per-thread cache so that a
  // decision writes no memory another thread touches. Valid until this
  // thread's next call of it.
  const policy_internal::CompiledPolicy& PolicyForThisThread() const;
  void Swap(std::shared_ptr<const policy_internal::CompiledPolicy> p);
  absl::Status UnsignedReloadAllowedLocked() const;
  absl::Status InstallLocked(
      std::shared_ptr<const policy_internal::CompiledPolicy> next);

  // Read with std::atomic_load and written with std::atomic_store.
  std::shared_ptr<const policy_internal::CompiledPolicy> policy_;
  // Tags PolicyForThisThread()'s cache: an id no other engine of the
  // process ever has, and a count of the policies installed.
  const uint64_t id_;
  std::atomic<uint64_t> generation_{0};

  // Serializes reloads, so that the rollback check and the swap are one
  // step.
  std::mutex reload_mu_;
  // The installed trust, or null; guarded by reload_mu_.
  std::shared_ptr<const PolicyTrust> trust_;

  // The attached sink, read once per evaluation; null when none.
  std::atomic<AuditSink*> audit_sink_{nullptr};
  std::mutex audit_mu_;
  // Every sink ever attached, kept alive for running evaluations; guarded
  // by audit_mu_.
  std::vector<std::shared_ptr<AuditSink>> audit_sinks_;
};

}  // namespace pip

#endif  // PIP_ENGINE_H_
