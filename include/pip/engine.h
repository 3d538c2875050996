// pip/engine.h: the policy engine.
//
// A pip::Engine holds one compiled, validated policy and answers the
// questions a business system asks before it touches personal data, and
// when something goes wrong:
//
//   PurposeAllowed   may these categories be used for this purpose (and
//                    given to this recipient) now?          clauses 2, 4, 8.1
//   ConsentCheck     does a valid consent cover this use?   2.4, 2.5, APPI 27
//   RetentionDue     must this record be deleted now, by when, and how?   7
//   RequestValidate  is this data-subject request complete, what fee, what
//                    deadline, what to review?                             8
//   AcquisitionCheck may these categories be acquired through this
//                    channel now, and what must be done when they are?
//                                                2, 3, APPI 20(2), 21, 30
//   ContractorCheck  may personal data be entrusted to this contractor
//                    now, and if not, what is missing?
//                                                 6, 5.1, APPI 25, 28
//   IncidentAssess   must this incident be reported to the Personal
//                    Information Protection Commission, must the people be
//                    notified, by when?            1.4, APPI 26, 施行規則 7-8
//   ComplaintRoute   where does this complaint go next, who owns the step,
//                    which outside bodies can the customer turn to?       9
//
// Example:
//
//   absl::StatusOr<std::unique_ptr<pip::Engine>> engine =
//       pip::Engine::Create(pip::PolicySource::Default());
//   if (!engine.ok()) return engine.status();
//   pip::v1::RetentionDueRequest req;
//   req.set_kind("inquiry");
//   *req.mutable_event_at() = ...;   // google.protobuf.Timestamp
//   *req.mutable_as_of() = ...;
//   absl::StatusOr<pip::v1::RetentionDueDecision> d = (*engine)->RetentionDue(req);
//   if (d.ok() && d->due()) DeleteRecord(d->deletion_method());
//
// A signed policy file, refusing rollbacks, with a decision log
// (pip/trust.h, pip/audit.h):
//
//   pip::PolicyTrustOptions trust_options;
//   trust_options.trusted_keys.push_back(ReadFile("/etc/pip/trusted.pem"));
//   absl::StatusOr<pip::PolicyTrust> trust =
//       pip::PolicyTrust::Create(trust_options);
//   if (!trust.ok()) return trust.status();
//   absl::StatusOr<pip::AuditKey> key =
//       pip::AuditKey::FromFile("/etc/pip/audit.key");
//   if (!key.ok()) return key.status();
//   pip::JsonlFileSinkOptions log;
//   log.path = "/var/log/pip/decisions.jsonl";
//   absl::StatusOr<std::unique_ptr<pip::JsonlFileSink>> sink =
//       pip::JsonlFileSink::Open(*key, log);
//   if (!sink.ok()) return sink.status();
//   pip::EngineOptions options;
//   options.trust = *trust;
//   options.audit_sink = *std::move(sink);
//   auto engine = pip::Engine::Create(
//       pip::PolicySource::SignedFile("/etc/pip/policy.textproto",
//                                     "/etc/pip/policy.textproto.sig"),
//       std::move(options));
//   ...
//   // Later: the same checks, and no rollback below the running revision.
//   absl::Status reloaded = (*engine)->Reload(pip::PolicySource::SignedFile(
//       "/etc/pip/policy.textproto", "/etc/pip/policy.textproto.sig"));
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
// pip::EvaluateJsonBatch and pip::EvaluateBatchPb of pip/encoded.h) one for
// all its requests. With no audit sink
// (EngineOptions::audit_sink), an evaluation writes no memory another thread reads: each thread keeps a
// reference to the policy of its last evaluation, which it refreshes after a
// Reload(), so a replaced policy is freed at each thread's next evaluation
// on this engine (or the thread's exit) rather than when Reload() returns.
#ifndef PIP_ENGINE_H_
#define PIP_ENGINE_H_

#include <memory>
#include <optional>
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
class EngineState;
}  // namespace engine_internal

class AuditSink;  // pip/audit.h

// Where a policy comes from: the embedded default, text or binary bytes, a
// file, a message, or signed bytes or a signed file. A plain value, made by
// the named constructors below and read by Engine::Create and
// Engine::Reload; making one reads nothing and checks nothing (a missing
// file is found when the engine reads it).
//
// Thread-safety: a value type; its const members are safe to call from any
// number of threads, and Engine::Create and Engine::Reload only read it.
class PolicySource {
 public:
  // Which named constructor made the source.
  enum class Kind {
    kDefault,     // Default()
    kText,        // Text()
    kBinary,      // Binary()
    kFile,        // File()
    kMessage,     // Message()
    kSigned,      // Signed()
    kSignedFile,  // SignedFile()
  };

  // The default policy embedded in the library
  // (policies/default.textproto at build time). Needs no file. Reading it
  // fails (InternalError) only if the embedded policy does not validate,
  // which the library's tests rule out.
  static PolicySource Default();

  // A text-format pip.v1.Policy. `name` only labels the problems reported.
  // Reading it returns InvalidArgumentError listing every problem (with
  // line, field path and clause) when the policy does not validate, or
  // naming kMaxPolicyBytes (pip/limits.h) for a larger text.
  static PolicySource Text(std::string text, std::string name = "");

  // Serialized (binary) pip.v1.Policy bytes. `name`, when not empty,
  // prefixes the problem reported. Reading them returns
  // InvalidArgumentError for truncated or corrupt bytes, bytes over
  // kMaxPolicyBytes, fields this version of the schema does not know (a
  // newer policy's rule is never dropped silently), strings that are not
  // UTF-8, or a policy that does not validate.
  static PolicySource Binary(std::string bytes, std::string name = "");

  // A policy file: binary when its name ends in ".binpb" or ".pb", text
  // format otherwise. Reading it returns NotFoundError when the file cannot
  // be opened, DataLossError when it cannot be read, InvalidArgumentError
  // as Text() or Binary().
  static PolicySource File(std::string path);

  // A policy message. Reading it returns InvalidArgumentError as Binary()
  // for a policy that does not validate.
  static PolicySource Message(v1::Policy policy);

  // Policy bytes (text format, or binary when `name` ends in ".binpb" or
  // ".pb") and a detached Ed25519 signature over exactly those bytes (the 64
  // raw bytes or their base64; pip/trust.h). The signature is checked
  // before the bytes are parsed. Needs EngineOptions::trust: reading it
  // returns FailedPreconditionError naming EngineOptions.trust when the
  // engine has none, UnauthenticatedError when the signature does not
  // verify (or is empty and signatures are required), then the errors of
  // Text() or Binary().
  static PolicySource Signed(std::string bytes, std::string signature,
                             std::string name = "");

  // The same from files: the policy file at `path` (named by its path, so
  // binary when it ends in ".binpb" or ".pb") and its signature file
  // (conventionally `path` + ".sig"). A missing signature file counts as no
  // signature. Reading it returns NotFoundError when the policy file cannot
  // be opened, then the errors of Signed().
  static PolicySource SignedFile(std::string path, std::string signature_path);

  // Which constructor made this source.
  Kind kind() const { return kind_; }
  // Whether the source carries a signature to check (kSigned,
  // kSignedFile), and so needs EngineOptions::trust.
  bool is_signed() const {
    return kind_ == Kind::kSigned || kind_ == Kind::kSignedFile;
  }
  // kText, kBinary, kSigned: the policy bytes. Empty for the other kinds.
  const std::string& bytes() const { return bytes_; }
  // kText, kBinary, kSigned: the name given (may be empty). kFile,
  // kSignedFile: the policy file's path. Empty for the other kinds.
  const std::string& name() const { return name_; }
  // kSigned: the signature given. Empty for the other kinds.
  const std::string& signature() const { return signature_; }
  // kSignedFile: the signature file's path. Empty for the other kinds.
  const std::string& signature_path() const { return signature_path_; }
  // kMessage: the policy message. An empty policy for the other kinds.
  const v1::Policy& message() const;

 private:
  explicit PolicySource(Kind kind) : kind_(kind) {}

  Kind kind_;
  std::string bytes_;
  std::string name_;
  std::string signature_;
  std::string signature_path_;
  // Shared by copies: a message may be large.
  std::shared_ptr<const v1::Policy> message_;
};

// What an Engine is created with besides its policy; fixed for the
// engine's life.
struct EngineOptions {
  // Signed policies and rollback refusal (pip/trust.h). With a trust, the
  // engine refuses, at Create as at every Reload:
  //   - a source whose signature does not verify under a trusted key
  //     (UnauthenticatedError);
  //   - an unsigned source (Default, Text, Binary, File, Message) when
  //     trust->require_signature() (UnauthenticatedError);
  //   - a policy whose revision is below trust->min_revision()
  //     (FailedPreconditionError);
  // and at every Reload a policy whose revision is below the running
  // policy's, or equal to it with a different content hash
  // (FailedPreconditionError naming both revisions).
  // Default: unset. Unsigned sources then load and reload, no rollback
  // check is made, and a signed source is refused with
  // FailedPreconditionError naming EngineOptions.trust.
  std::optional<PolicyTrust> trust;

  // The decision log (pip/audit.h). Every evaluation of a decision
  // function, on any surface of this header and of pip/encoded.h, a
  // decision or an error, is recorded to the sink before it is returned.
  // pip never fails open: when the sink cannot record, the evaluation
  // returns UnavailableError ("audit log: ...") instead of the decision,
  // whatever the decision was. The engine shares ownership of the sink
  // until it is destroyed. JSON that does not parse (pip/encoded.h)
  // reaches no function and is not recorded, nor are decisions taken with
  // a snapshot() (pip/snapshot.h). A recorded decision costs some 10-20 us
  // more (pseudonyms, the chain MAC and a JSON line; docs/performance.md);
  // with no sink an evaluation pays one branch.
  // Default: null, no log.
  std::shared_ptr<AuditSink> audit_sink;
};

class Engine {
 public:
  // Creates an engine running the policy `source` reads, checked against
  // options.trust as EngineOptions describes, and recording to
  // options.audit_sink from its first decision.
  //
  // Errors: those of the source's kind (PolicySource: InvalidArgumentError
  // listing every problem of a policy that does not validate, NotFoundError
  // for a missing file, InternalError for an embedded default that does not
  // validate), and those of EngineOptions::trust: FailedPreconditionError
  // for a signed source with no trust, or a revision below
  // trust->min_revision(); UnauthenticatedError for a signature that does
  // not verify, or an unsigned source when signatures are required.
  //
  // Thread-safety: safe to call concurrently.
  static absl::StatusOr<std::unique_ptr<Engine>> Create(
      const PolicySource& source, EngineOptions options = {});

  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  ~Engine();

  // Replaces the policy atomically with the one `source` reads. Evaluations
  // already running finish on the policy they started with; later ones see
  // the new policy. With EngineOptions::trust, the new policy is checked as
  // EngineOptions describes, rollbacks included.
  //
  // Errors: those of Create(), and FailedPreconditionError naming both
  // revisions for a rollback (with a trust: a revision below the running
  // one's, or equal to it with a different content hash). On any error
  // the running policy is left untouched.
  //
  // Thread-safety: may be called while other threads evaluate or reload;
  // concurrent reloads are checked and installed one at a time.
  absl::Status Reload(const PolicySource& source);

  // The decisions, one member per function of pip/functions.def:
  //
  //   absl::StatusOr<v1::PurposeAllowedDecision> PurposeAllowed(
  //       const v1::PurposeAllowedRequest& request) const;
  //   absl::StatusOr<v1::ConsentCheckDecision> ConsentCheck(
  //       const v1::ConsentCheckRequest& request) const;
  //   absl::StatusOr<v1::RetentionDueDecision> RetentionDue(
  //   absl::StatusOr<v1::AcquisitionCheckDecision> AcquisitionCheck(
  //       const v1::AcquisitionCheckRequest& request) const;
  //       const v1::RetentionDueRequest& request) const;
  //   absl::StatusOr<v1::RequestValidateDecision> RequestValidate(
  //       const v1::RequestValidateRequest& request) const;
  //   absl::StatusOr<v1::ContractorCheckDecision> ContractorCheck(
  //       const v1::ContractorCheckRequest& request) const;
  //   absl::StatusOr<v1::IncidentAssessDecision> IncidentAssess(
  //       const v1::IncidentAssessRequest& request) const;
  //   absl::StatusOr<v1::ComplaintRouteDecision> ComplaintRoute(
  //       const v1::ComplaintRouteRequest& request) const;
  //
  // Each returns InvalidArgumentError for a malformed request, naming the
  // field ("categories[1]: unknown category 'emial' (did you mean
  // 'email'?)", "people: a number of people cannot be negative, got -1",
  // "aware_at: a time is required"), for a request past a limit of
  // pip/limits.h, for a deadline that would fall after 9999-12-31, and for
  // one that holds a field this version of pip does not know (a field a
  // newer caller relies on is never dropped silently). IncidentAssess
  // returns FailedPreconditionError when the policy has no `incidents`
  // section, ComplaintRoute when it has no complaint flow (clause 9.1),
  // AcquisitionCheck when it has no `acquisition` rules (APPI 20(2), 21,
  // 30), ContractorCheck when it has no contractor management (clause 6):
  // a policy that cannot answer is never read as "not reportable" or
  // "allowed". With an
  // audit sink
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
  friend struct engine_internal::EngineAccess;
  explicit Engine(std::unique_ptr<engine_internal::EngineState> state);

  // The running policy, its trust and its audit sink, and how a call reads
  // them (src/engine/engine_state.h).
  std::unique_ptr<engine_internal::EngineState> state_;
};

}  // namespace pip

#endif  // PIP_ENGINE_H_
