/* pip/pip.h: the C API of pip, the Personal Information Policy engine.
 *
 * Plain C99. This header is the reference for the C API: every function
 * below states what it does, its status codes, who owns what and for how
 * long, and whether it may be called from several threads at once.
 *
 * An engine (pip_engine) holds one compiled, validated policy and answers
 * the questions of the policy:
 *
 *   purpose_allowed   may these categories be used for this purpose (and
 *                     given to this recipient) now?       clauses 2, 4, 8.1
 *   consent_check     does a valid consent cover this use?  2.4, 2.5
 *   retention_due     must this record be deleted now, by when, and how?  7
 *   request_validate  is this data-subject request complete, what fee,
 *                     what deadline, what to review?                      8
 *   acquisition_check may these categories be acquired through this
 *                     channel now, and what must be done when they are?
 *                                             2, 3, APPI 20(2), 21, 30
 *   contractor_check  may personal data be entrusted to this contractor
 *                     now, and if not, what is missing?  6, 5.1, APPI 25, 28
 *   incident_assess   must this incident be reported to the Personal
 *                     Information Protection Commission, must the people
 *                     be notified, by when?   1.4, APPI 26, 施行規則 7-8
 *   complaint_route   where does this complaint go next, who owns the
 *                     step, which outside bodies can the customer use?  9
 *
 * Requests and decisions are the pip.v1 protobuf messages of
 * proto/pip/v1/decision.proto. Each function comes in two encodings:
 *
 *   pip_<function>_pb    serialized protobuf bytes in, serialized bytes out
 *   pip_<function>_json  JSON in, JSON out (proto3 JSON mapping, proto field
 *                        names, enum names as strings), exactly the objects
 *                        `pipctl eval` reads and writes.
 *
 * Example (error handling shortened):
 *
 *   pip_engine* engine = NULL;
 *   pip_policy_source source = PIP_POLICY_SOURCE_INIT;   (the default policy)
 *   pip_error* error = NULL;
 *   if (pip_engine_new(&engine, &source, NULL, &error) != PIP_OK) {
 *     fprintf(stderr, "%s\n", pip_error_message(error));
 *     pip_error_free(error);
 *     return 1;
 *   }
 *   const char* req =
 *       "{\"kind\": \"inquiry\", \"event_at\": \"2023-05-10T14:00:00+09:00\","
 *       " \"as_of\": \"2026-05-11T00:00:00+09:00\"}";
 *   char* decision = NULL;
 *   if (pip_retention_due_json(&decision, NULL, engine, req, strlen(req),
 *                              NULL) == PIP_OK) {
 *     puts(decision);   // {"due":true,"retain_until":"2026-05-10",...}
 *   }
 *   pip_free(decision);
 *   pip_engine_free(engine);
 *
 * Conventions, the same for every function:
 *
 * - Every function that can fail returns a pip_status. PIP_OK (0) is
 *   success; any other value is an error.
 * - Every function that can fail (each that returns a pip_status but
 *   pip_error_status) takes a last parameter `pip_error** error`. NULL
 *   means the caller does not want the error object. Otherwise *error is
 *   set to NULL on success, and on failure to a new pip_error (its status,
 *   and a message naming the offending argument, field or limit) that the
 *   caller releases with pip_error_free. The error
 *   object belongs to the call, not to the thread: it is the way to get the
 *   message to a caller whose next pip call may run on another thread
 *   (a thread pool, a goroutine, a JVM) or that keeps several errors.
 *   pip_last_error() gives the same message per thread, for callers that
 *   prefer it.
 * - Outputs come first in the argument list. On error every output pointer
 *   is set to NULL / 0 (when the pointer to it is not NULL), so freeing it
 *   is harmless; arrays the caller provides are left as they were.
 * - Every buffer pip hands out is owned by the caller and released with
 *   pip_free(). JSON outputs are NUL-terminated; their length (without the
 *   NUL) is also stored in *out_len when out_len is not NULL.
 * - Input buffers are borrowed for the duration of the call only; pip keeps
 *   no pointer to them. JSON inputs are UTF-8 and need not be
 *   NUL-terminated: the length is given explicitly.
 * - A NULL pointer where a value is required gives PIP_INVALID_ARGUMENT.
 * - An error is never an allow. A caller that gets an error must not
 *   proceed with the use of the data. A deny is a decision (PIP_OK with
 *   "allowed": false), not an error.
 * - No C++ exception crosses this interface: an unexpected failure inside
 *   pip becomes PIP_INTERNAL (or PIP_RESOURCE_EXHAUSTED when memory runs
 *   out).
 *
 * The shared library (libpip_c.so) exports only the pip_* symbols of this
 * header; docs/api-stability.md says what is stable and how deprecations
 * are announced (PIP_DEPRECATED below marks a function one minor release
 * before it goes). It carries its own copy of pip and of the pip.v1
 * messages, registered with protobuf under a package of their own, so a
 * program may also link the static C++ library (libpip.a); the bytes and
 * JSON are the same. It needs Abseil's and protobuf's shared libraries
 * (docs/api-stability.md says why).
 */
#ifndef PIP_PIP_H_
#define PIP_PIP_H_

#include <stddef.h>
#include <stdint.h>

#include "pip/version.h" /* PIP_VERSION_NUMBER, PIP_VERSION_STRING */

#if defined(__GNUC__) || defined(__clang__)
#define PIP_EXTERN __attribute__((visibility("default")))
#define PIP_DEPRECATED(message) __attribute__((deprecated(message)))
#else
#define PIP_EXTERN
#define PIP_DEPRECATED(message)
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* --- Status codes ---------------------------------------------------------
 * The values are those of absl::StatusCode, so a code means the same thing
 * in the C++ API, the C API and the "code" of a JSON error object.
 */
typedef enum pip_status {
  PIP_OK = 0,
  PIP_CANCELLED = 1,
  PIP_UNKNOWN = 2,
  /* A bad argument: a NULL pointer, malformed bytes or JSON, an unknown id,
   * a missing required field, a policy that does not validate. */
  PIP_INVALID_ARGUMENT = 3,
  PIP_DEADLINE_EXCEEDED = 4,
  /* A policy file that cannot be opened. */
  PIP_NOT_FOUND = 5,
  PIP_ALREADY_EXISTS = 6,
  PIP_PERMISSION_DENIED = 7,
  /* Memory ran out. */
  PIP_RESOURCE_EXHAUSTED = 8,
  PIP_FAILED_PRECONDITION = 9,
  PIP_ABORTED = 10,
  PIP_OUT_OF_RANGE = 11,
  PIP_UNIMPLEMENTED = 12,
  /* A failure inside pip that is not the caller's fault. */
  PIP_INTERNAL = 13,
  PIP_UNAVAILABLE = 14,
  PIP_DATA_LOSS = 15,
  PIP_UNAUTHENTICATED = 16
} pip_status;

/* pip_status_name
 * The name of a status code as absl spells it ("OK", "INVALID_ARGUMENT",
 * ...), the same string as the "code" of a JSON error object; a value that
 * is not a pip_status gives "UNRECOGNIZED_STATUS". Never NULL; the string
 * is static.
 * Thread-safety: safe to call from any thread. */
PIP_EXTERN const char* pip_status_name(pip_status status);

/* --- Errors ----------------------------------------------------------------
 * An error object: the status and the message of one failed call, made by
 * that call for the caller (see "Conventions" above). Immutable, so it may
 * be read from any thread; release it once with pip_error_free. */
typedef struct pip_error pip_error;

/* pip_error_status
 * The status the failed call returned; PIP_OK for a NULL error.
 * Thread-safety: safe to call from any thread. */
PIP_EXTERN pip_status pip_error_status(const pip_error* error);

/* pip_error_message
 * The message of the failed call, UTF-8 and NUL-terminated: the function's
 * name, ": ", and what is wrong, naming the argument, field or limit
 * (the text pip_last_error() gives on the failing thread). "" for a NULL
 * error. Never NULL. The string belongs to the error and stays valid until
 * pip_error_free.
 * Thread-safety: safe to call from any thread. */
PIP_EXTERN const char* pip_error_message(const pip_error* error);

/* pip_error_free
 * Releases an error object. pip_error_free(NULL) does nothing. When memory
 * runs out while the error object itself is made, the call still returns
 * its status and sets *error to a preallocated static error of the same
 * status whose message says that memory ran out; pip_error_free ignores
 * it, so the caller frees every error alike.
 * Thread-safety: safe to call from any thread, once per error. */
PIP_EXTERN void pip_error_free(pip_error* error);

/* pip_last_error
 * The message of the last call on this thread that returned an error, or
 * "" when the last call that returns a pip_status succeeded. Never NULL.
 * The string belongs to pip and stays valid until the next pip call on the
 * same thread; copy it to keep it. Read it in a statement after the failed
 * call: in printf("%d %s", pip_x(...), pip_last_error()) the message may
 * be read before pip_x runs.
 * A caller whose calls may run on different threads (a thread pool, a
 * goroutine, a JVM) takes the error object instead: see pip_error.
 * Thread-safety: the message is per thread; safe to call from any thread. */
PIP_EXTERN const char* pip_last_error(void);

/* pip_free
 * Releases a buffer handed out by pip (any char** or uint8_t** output).
 * pip_free(NULL) does nothing. Do not pass engines here: see
 * pip_engine_free.
 * Thread-safety: safe to call from any thread. */
PIP_EXTERN void pip_free(void* buffer);

/* --- Version ---------------------------------------------------------------
 * PIP_VERSION_NUMBER (pip/version.h) is the version of the headers the
 * caller was compiled with: MAJOR * 10000 + MINOR * 100 + PATCH. These give
 * the version of the library actually loaded.
 * Thread-safety: safe to call from any thread. */
PIP_EXTERN int pip_version_number(void);
/* "MAJOR.MINOR.PATCH"; static, never NULL. */
PIP_EXTERN const char* pip_version(void);

/* --- Engines --------------------------------------------------------------- */

/* An engine: one compiled policy, safe to share between threads. Created by
 * pip_engine_new and released with pip_engine_free. */
typedef struct pip_engine pip_engine;

/* The public structs below grow only at their end. Each starts with
 * struct_size, which the caller sets to sizeof the struct as it was
 * compiled: initialize every one with its _INIT macro, then set the fields
 * needed. pip refuses (PIP_INVALID_ARGUMENT naming struct_size) a size it
 * does not know, too small or larger than any version it implements. */

/* Where a policy comes from: pip_policy_source.kind. */
typedef enum pip_policy_source_kind {
  /* The default policy embedded in the library (policies/default.textproto
   * at build time). Uses no other field. */
  PIP_SOURCE_DEFAULT = 0,
  /* A text-format pip.v1.Policy in data/data_len; `name` (may be NULL)
   * labels the problems reported. */
  PIP_SOURCE_TEXT = 1,
  /* Serialized (binary) pip.v1.Policy bytes in data/data_len; `name` (may
   * be NULL) prefixes the problem reported. */
  PIP_SOURCE_BINARY = 2,
  /* The policy file at `path`: binary when its name ends in ".binpb" or
   * ".pb", text format otherwise. */
  PIP_SOURCE_FILE = 3,
  /* Policy bytes in data/data_len (text format, or binary when `name` ends
   * in ".binpb" or ".pb") and a detached Ed25519 signature over exactly
   * those bytes in signature/signature_len (the 64 raw bytes or their
   * base64; docs/security.md). The signature is checked before the bytes
   * are parsed. Needs an engine created with trusted keys. */
  PIP_SOURCE_SIGNED = 4,
  /* The same from files: the policy at `path` and its signature at
   * `signature_path` (conventionally path + ".sig"); a missing signature
   * file counts as no signature. */
  PIP_SOURCE_SIGNED_FILE = 5
} pip_policy_source_kind;

/* A policy source for pip_engine_new and pip_engine_reload. Every field
 * that the kind does not use must stay as PIP_POLICY_SOURCE_INIT leaves it
 * (NULL / 0): a signature given to an unsigned kind, for instance, is
 * refused rather than ignored. pip reads the struct and the buffers it
 * points to during the call only. */
typedef struct pip_policy_source {
  /* sizeof(pip_policy_source) as the caller compiled it. */
  size_t struct_size;
  /* Which policy; default PIP_SOURCE_DEFAULT. */
  pip_policy_source_kind kind;
  /* TEXT, BINARY, SIGNED: the policy bytes (need not be NUL-terminated).
   * Required (non-NULL; data_len may be 0 only for a policy that is empty)
   * for those kinds; default NULL, 0. */
  const void* data;
  size_t data_len;
  /* TEXT, BINARY, SIGNED: a NUL-terminated label for the problems
   * reported, and for SIGNED the name that says whether the bytes are
   * binary. NULL: no label. Default NULL. */
  const char* name;
  /* FILE, SIGNED_FILE: the policy file's path, NUL-terminated. Required for
   * those kinds; default NULL. */
  const char* path;
  /* SIGNED: the signature bytes. NULL with signature_len 0 is no
   * signature (accepted only when signatures are not required). Default
   * NULL, 0. */
  const void* signature;
  size_t signature_len;
  /* SIGNED_FILE: the signature file's path, NUL-terminated. Required for
   * that kind; default NULL. */
  const char* signature_path;
} pip_policy_source;

#define PIP_POLICY_SOURCE_INIT                                             \
  { sizeof(pip_policy_source), PIP_SOURCE_DEFAULT, NULL, 0, NULL, NULL, \
    NULL, 0, NULL }

/* What an engine is created with besides its policy; fixed for the
 * engine's life. Pass NULL to pip_engine_new for all the defaults. */
typedef struct pip_engine_options {
  /* sizeof(pip_engine_options) as the caller compiled it. */
  size_t struct_size;
  /* Trust (signed policies and rollback refusal; docs/security.md): the
   * Ed25519 public keys whose signatures are accepted, as PEM "PUBLIC KEY"
   * blocks (what `openssl pkey -pubout` and `pipctl keygen` write),
   * concatenated; trusted_keys_pem_len bytes, need not be NUL-terminated.
   * NULL: no trust is configured, so unsigned policies load and reload, no
   * rollback check is made, and PIP_SOURCE_SIGNED / PIP_SOURCE_SIGNED_FILE
   * are refused (PIP_FAILED_PRECONDITION). Non-NULL (even with no key, when
   * require_signature is 0): every pip_engine_reload is refused
   * (PIP_FAILED_PRECONDITION) when the new policy's revision is below the
   * running one's, or equal to it with a different content hash.
   * Default NULL, 0. */
  const char* trusted_keys_pem;
  size_t trusted_keys_pem_len;
  /* With trust: nonzero refuses every unsigned source (PIP_UNAUTHENTICATED),
   * at creation as at reload; 0 accepts unsigned sources, but a signature
   * that is given must still verify. Ignored without trust. Default 1. */
  int require_signature;
  /* With trust: a policy whose revision is lower is refused
   * (PIP_FAILED_PRECONDITION), at creation as at reload. Store the running
   * revision somewhere the policy's author cannot write and pass it here
   * to carry the rollback floor across restarts. Must be 0 without trust.
   * Default 0 (no floor). */
  int64_t min_revision;
  /* The decision log (clause 5.4; docs/security.md): a JSON-lines file,
   * NUL-terminated path, created (mode 0600) if missing, else appended to
   * and its chain continued; rotated at 64 MiB into path.1 ... path.10.
   * Every decision and every evaluation error of the engine is written to
   * it (one whole line, one write(2)) before the call returns; when a
   * record cannot be written the call returns PIP_UNAVAILABLE instead of
   * the decision. Check the file with `pipctl audit-verify`. The file is
   * opened (created if missing) before the policy is read, so a refused
   * policy may leave an empty log behind. NULL: no log. Default NULL. */
  const char* audit_log_path;
  /* The log's secret HMAC key (at least 32 bytes, any bytes): subject and
   * other ids are pseudonymized and the lines chained under it. Required
   * with audit_log_path, and must be NULL, 0 without it. Default NULL, 0. */
  const void* audit_key;
  size_t audit_key_len;
  /* With trust: a file that keeps the rollback floor across restarts by
   * itself, NUL-terminated path. The highest revision accepted is written
   * to it (one decimal number and a newline; a temporary file, fsync,
   * rename) before a policy runs, at creation as at reload; at the next
   * pip_engine_new its number raises min_revision, so an older policy,
   * however validly signed, is refused (PIP_FAILED_PRECONDITION). Keep it
   * where the policy's author cannot write. A file that holds anything but
   * a revision refuses the engine (PIP_FAILED_PRECONDITION); a missing
   * file is a first start. Must be NULL without trust. Default NULL. */
  const char* revision_file;
} pip_engine_options;

#define PIP_ENGINE_OPTIONS_INIT \
  { sizeof(pip_engine_options), NULL, 0, 1, 0, NULL, NULL, 0, NULL }

/* pip_engine_new
 * Creates an engine running the policy `source` names, with `options`
 * (NULL: PIP_ENGINE_OPTIONS_INIT, no trust and no log).
 * Errors, *out NULL on each:
 *   PIP_INVALID_ARGUMENT  out or source is NULL; a struct_size pip does not
 *                         know; an unknown kind; a field the kind needs
 *                         missing, or one it does not use set; a NULL
 *                         pointer with a nonzero length; a policy that does
 *                         not parse or validate (the message lists every
 *                         problem with its line, field path and clause); a
 *                         trusted key that is not an Ed25519 public key;
 *                         require_signature with no key; min_revision
 *                         without trust; an audit key shorter than 32 bytes
 *                         or given without a path, or a path without a key.
 *   PIP_NOT_FOUND         the policy file cannot be opened.
 *   PIP_UNAUTHENTICATED   the signature does not verify under a trusted
 *                         key, or is missing while signatures are required
 *                         (an unsigned source included).
 *   PIP_FAILED_PRECONDITION  a signed source without trusted keys; a
 *                         revision below min_revision or below the number
 *                         in revision_file; a revision_file that holds
 *                         anything but a revision; another writer holds
 *                         the audit log.
 *   PIP_UNAVAILABLE       the revision_file cannot be written (the policy
 *                         does not run).
 *   PIP_UNAVAILABLE       the audit log cannot be opened or read.
 *   PIP_DATA_LOSS         a file cannot be read, or the audit log's last
 *                         line is not a record this key signed.
 *   PIP_INTERNAL          only if the embedded policy did not validate,
 *                         which the library's tests rule out.
 * Ownership: `source`, `options` and their buffers are read during the call
 * only. *out belongs to the caller; release it with pip_engine_free.
 * Thread-safety: safe to call from any thread.
 *
 * Example: a signed policy file, unsigned policies and rollbacks refused,
 * every decision logged.
 *
 *   pip_policy_source source = PIP_POLICY_SOURCE_INIT;
 *   pip_engine_options options = PIP_ENGINE_OPTIONS_INIT;
 *   source.kind = PIP_SOURCE_SIGNED_FILE;
 *   source.path = "/etc/pip/policy.textproto";
 *   source.signature_path = "/etc/pip/policy.textproto.sig";
 *   options.trusted_keys_pem = trusted_pem;       (read from trusted.pem)
 *   options.trusted_keys_pem_len = trusted_pem_len;
 *   options.audit_log_path = "/var/log/pip/decisions.jsonl";
 *   options.audit_key = key;                      (32 secret bytes)
 *   options.audit_key_len = 32;
 *   if (pip_engine_new(&engine, &source, &options, &error) != PIP_OK) ...
 */
PIP_EXTERN pip_status pip_engine_new(pip_engine** out,
                                     const pip_policy_source* source,
                                     const pip_engine_options* options,
                                     pip_error** error);

/* pip_engine_free
 * Releases an engine, and closes its audit log. pip_engine_free(NULL) does
 * nothing. Buffers already handed out stay valid (they are the caller's).
 * Thread-safety: no other call may use the engine during or after this
 * call. */
PIP_EXTERN void pip_engine_free(pip_engine* engine);

/* pip_engine_reload
 * Replaces the engine's policy atomically with the one `source` names,
 * checked against the trust the engine was created with. Evaluations
 * already running finish on the policy they started with; later ones see
 * the new policy.
 * Errors: those of pip_engine_new for the source and its trust, and
 * PIP_INVALID_ARGUMENT when engine is NULL; with trust,
 * PIP_FAILED_PRECONDITION naming both revisions for a revision below the
 * running one's, or equal to it with a different content hash. On any
 * error the running policy is left untouched and the engine keeps
 * answering with it.
 * Ownership: `source` and its buffers are read during the call only.
 * Thread-safety: safe to call while other threads evaluate with the same
 * engine, or reload it; each evaluation uses exactly one policy from start
 * to end. */
PIP_EXTERN pip_status pip_engine_reload(pip_engine* engine,
                                        const pip_policy_source* source,
                                        pip_error** error);

/* pip_engine_policy_version, pip_engine_policy_hash
 * Copy the running policy's version string, or its content hash (lowercase
 * hex SHA-256 of its deterministic serialization), into *out,
 * NUL-terminated.
 * Errors: PIP_INVALID_ARGUMENT when out or engine is NULL.
 * Ownership: release *out with pip_free.
 * Thread-safety: safe to call concurrently with evaluations and reloads. */
PIP_EXTERN pip_status pip_engine_policy_version(char** out,
                                                const pip_engine* engine,
                                                pip_error** error);
PIP_EXTERN pip_status pip_engine_policy_hash(char** out,
                                             const pip_engine* engine,
                                             pip_error** error);

/* --- The functions ---------------------------------------------------------
 *
 * pip_purpose_allowed_pb    pip.v1.PurposeAllowedRequest -> PurposeAllowedDecision
 * pip_consent_check_pb      pip.v1.ConsentCheckRequest   -> ConsentCheckDecision
 * pip_acquisition_check_pb  pip.v1.AcquisitionCheckRequest -> AcquisitionCheckDecision
 * pip_retention_due_pb      pip.v1.RetentionDueRequest   -> RetentionDueDecision
 * pip_request_validate_pb   pip.v1.RequestValidateRequest-> RequestValidateDecision
 * pip_contractor_check_pb   pip.v1.ContractorCheckRequest-> ContractorCheckDecision
 * pip_incident_assess_pb    pip.v1.IncidentAssessRequest -> IncidentAssessDecision
 * pip_complaint_route_pb    pip.v1.ComplaintRouteRequest -> ComplaintRouteDecision
 *   Take the serialized request (request_len bytes) and write the serialized
 *   decision to *out (*out_len bytes). Fields unknown to this version of
 *   pip are an error, not ignored: a newer caller's restriction is never
 *   dropped silently.
 *
 * pip_purpose_allowed_json, pip_consent_check_json, pip_retention_due_json,
 * pip_request_validate_json, pip_acquisition_check_json,
 * pip_contractor_check_json, pip_incident_assess_json,
 * pip_complaint_route_json
 *   Take the request as one JSON object (e.g. {"kind": "inquiry", ...}) and
 *   write the decision as one JSON object, NUL-terminated, without a
 *   newline: the value that `pipctl eval` prints under the function's name
 *   (every field present, proto field names, enum names).
 *
 * Errors: PIP_INVALID_ARGUMENT when out, engine or request is NULL (out_len
 * too for _pb; request may be NULL when request_len is 0), for truncated or
 * corrupt bytes, unknown fields, invalid JSON, a JSON request over
 * kMaxJsonRequestBytes (1 MiB), a protobuf request over
 * kMaxProtoRequestBytes (1 MiB), an unknown id, a missing required time, and
 * past any limit of pip/limits.h; the message names the field.
 * PIP_FAILED_PRECONDITION from pip_incident_assess_* when the policy has no
 * incident rules (`incidents`), from pip_complaint_route_* when it has
 * no complaint flow (clause 9.1), from pip_acquisition_check_* when it
 * has no rules of acquisition (`acquisition`; APPI 20(2), 21, 30), and
 * from pip_contractor_check_* when it has no contractor management
 * (clause 6).
 * PIP_UNAVAILABLE when the engine has a decision log
 * (pip_engine_options.audit_log_path) and the decision, or the error, could
 * not be recorded in it: the decision is withheld. On error no decision is
 * written: an error is never an allow.
 * Ownership: the request is read during the call only; release *out with
 * pip_free. The engine must outlive the call.
 * Thread-safety: safe to call from any number of threads on one engine,
 * also while another thread reloads it. */
PIP_EXTERN pip_status pip_purpose_allowed_pb(uint8_t** out, size_t* out_len,
                                             const pip_engine* engine,
                                             const uint8_t* request,
                                             size_t request_len,
                                             pip_error** error);
PIP_EXTERN pip_status pip_purpose_allowed_json(char** out, size_t* out_len,
                                               const pip_engine* engine,
                                               const char* request,
                                               size_t request_len,
                                               pip_error** error);
PIP_EXTERN pip_status pip_consent_check_pb(uint8_t** out, size_t* out_len,
                                           const pip_engine* engine,
                                           const uint8_t* request,
                                           size_t request_len,
                                           pip_error** error);
PIP_EXTERN pip_status pip_consent_check_json(char** out, size_t* out_len,
                                             const pip_engine* engine,
                                             const char* request,
                                             size_t request_len,
                                             pip_error** error);
PIP_EXTERN pip_status pip_retention_due_pb(uint8_t** out, size_t* out_len,
                                           const pip_engine* engine,
                                           const uint8_t* request,
                                           size_t request_len,
                                           pip_error** error);
PIP_EXTERN pip_status pip_retention_due_json(char** out, size_t* out_len,
                                             const pip_engine* engine,
                                             const char* request,
                                             size_t request_len,
                                             pip_error** error);
PIP_EXTERN pip_status pip_request_validate_pb(uint8_t** out, size_t* out_len,
                                              const pip_engine* engine,
                                              const uint8_t* request,
                                              size_t request_len,
                                              pip_error** error);
PIP_EXTERN pip_status pip_request_validate_json(char** out, size_t* out_len,
                                                const pip_engine* engine,
                                                const char* request,
                                                size_t request_len,
                                                pip_error** error);
PIP_EXTERN pip_status pip_contractor_check_pb(uint8_t** out, size_t* out_len,
                                              const pip_engine* engine,
                                              const uint8_t* request,
                                              size_t request_len,
                                              pip_error** error);
PIP_EXTERN pip_status pip_contractor_check_json(char** out, size_t* out_len,
                                                const pip_engine* engine,
                                                const char* request,
                                                size_t request_len,
                                                pip_error** error);
PIP_EXTERN pip_status pip_acquisition_check_pb(uint8_t** out, size_t* out_len,
                                               const pip_engine* engine,
                                               const uint8_t* request,
                                               size_t request_len,
                                               pip_error** error);
PIP_EXTERN pip_status pip_acquisition_check_json(char** out, size_t* out_len,
                                                 const pip_engine* engine,
                                                 const char* request,
                                                 size_t request_len,
                                                 pip_error** error);
PIP_EXTERN pip_status pip_incident_assess_pb(uint8_t** out, size_t* out_len,
                                             const pip_engine* engine,
                                             const uint8_t* request,
                                             size_t request_len,
                                             pip_error** error);
PIP_EXTERN pip_status pip_incident_assess_json(char** out, size_t* out_len,
                                               const pip_engine* engine,
                                               const char* request,
                                               size_t request_len,
                                               pip_error** error);
PIP_EXTERN pip_status pip_complaint_route_pb(uint8_t** out, size_t* out_len,
                                             const pip_engine* engine,
                                             const uint8_t* request,
                                             size_t request_len,
                                             pip_error** error);
PIP_EXTERN pip_status pip_complaint_route_json(char** out, size_t* out_len,
                                               const pip_engine* engine,
                                               const char* request,
                                               size_t request_len,
                                               pip_error** error);

/* --- Any function: pip.v1.EvalRequest -> pip.v1.EvalResponse ---------------
 *
 * pip_eval_pb, pip_eval_json
 *   Evaluate whichever function the pip.v1.EvalRequest holds (the oneof
 *   purpose_allowed, consent_check, retention_due, request_validate,
 *   acquisition_check, contractor_check, incident_assess, complaint_route)
 *   and
 *   write one pip.v1.EvalResponse. This is one line of `pipctl eval`:
 *   pip_eval_json gives exactly what `pipctl eval` prints for the line
 *   (without the newline).
 *
 *   A request that cannot be evaluated (corrupt bytes, invalid JSON, an
 *   unknown id, no function set) is answered, not failed: the call returns
 *   PIP_OK and the response holds `error` {code, message} instead of a
 *   decision. So a caller must look at which field of the response is set;
 *   an `error` response is never an allow.
 *
 * With a decision log, each request evaluated is recorded as the functions
 * above record it; one that cannot be recorded is answered with an
 * `error` whose code is "UNAVAILABLE".
 * Errors (no response written): PIP_INVALID_ARGUMENT when out, engine or
 * request is NULL (out_len too for _pb; request may be NULL when
 * request_len is 0); PIP_INTERNAL / PIP_RESOURCE_EXHAUSTED as everywhere.
 * Ownership and thread-safety: as the functions above. */
PIP_EXTERN pip_status pip_eval_pb(uint8_t** out, size_t* out_len,
                                  const pip_engine* engine,
                                  const uint8_t* request, size_t request_len,
                                  pip_error** error);
PIP_EXTERN pip_status pip_eval_json(char** out, size_t* out_len,
                                    const pip_engine* engine,
                                    const char* request, size_t request_len,
                                    pip_error** error);

/* --- Many requests in one call ----------------------------------------------
 *
 * pip_eval_batch_json
 *   `requests` holds JSON lines, one pip.v1.EvalRequest a line, separated
 *   by "\n" (a "\r" before it is ignored; the last line need not end with a
 *   newline). *out receives one pip.v1.EvalResponse line per input line,
 *   each ending with "\n": output line N answers input line N, and a line
 *   that cannot be evaluated (a blank line included) is answered with an
 *   `error` object, as `pipctl eval` does. Empty input gives empty output.
 *   *count, when count is not NULL, receives the number of lines answered.
 *
 * pip_eval_batch_pb
 *   `requests` is a serialized pip.v1.EvalBatchRequest; *out receives a
 *   serialized pip.v1.EvalBatchResponse whose responses[i] answers
 *   requests[i] (an `error` response for one that cannot be evaluated).
 *
 * The whole batch is evaluated on one policy, the one running when the call
 * starts: when another thread reloads the engine during the call, no
 * request of the batch sees the new policy, and every decision carries the
 * same policy stamp (its `policy` field).
 * Errors (no response written): PIP_INVALID_ARGUMENT when out, engine or
 * requests is NULL (out_len too for _pb; requests may be NULL when
 * requests_len is 0), when requests_len is over kMaxBatchBytes (64 MiB) or
 * the batch holds more than kMaxBatchRequests (1,048,576) requests, and,
 * for _pb, when the batch itself is truncated, corrupt or holds unknown
 * fields (its number of requests is then unknown);
 * PIP_RESOURCE_EXHAUSTED as soon as the answers pass kMaxBatchOutputBytes
 * (256 MiB: split the batch), or when memory runs out anywhere in the call.
 * Either way the engine stays usable, and with a decision log the
 * decisions made before the refusal were recorded.
 * Ownership and thread-safety: as the functions above. */
PIP_EXTERN pip_status pip_eval_batch_json(char** out, size_t* out_len,
                                          size_t* count,
                                          const pip_engine* engine,
                                          const char* requests,
                                          size_t requests_len,
                                          pip_error** error);
PIP_EXTERN pip_status pip_eval_batch_pb(uint8_t** out, size_t* out_len,
                                        const pip_engine* engine,
                                        const uint8_t* requests,
                                        size_t requests_len,
                                        pip_error** error);

/* --- Retention of many records at once (clause 7) ----------------------------
 *
 * pip_retention_due_batch
 *   The clause 7 question for record_count records held in columns, as a
 *   deletion job holds them. Record i is of the retention kind
 *   kind_ids[record_kinds[i]] (kind_ids lists the distinct kind ids, e.g.
 *   {"inquiry", "accounting"}; record_kinds indexes it), its clock event was
 *   at event_unix_seconds[i] (seconds since 1970-01-01T00:00:00Z;
 *   PIP_NO_EVENT for a contract that has not ended), and held[i] is nonzero
 *   when a hold (legal obligation, dispute, consent; 7 保存期間の例外) that
 *   has not ended at as_of keeps it.
 *
 *   Sets bit i % 64 of due_bitmap[i / 64] when record i must be deleted at
 *   as_of_unix_seconds, and clears it otherwise (bits past record_count are
 *   cleared too); due_bitmap must hold (record_count + 63) / 64 words. When
 *   retain_until is not NULL (record_count entries), writes the last day
 *   the record is kept as days since 1970-01-01 of the Asia/Tokyo civil
 *   calendar, PIP_NO_RETAIN_UNTIL for a record with no event. The answers
 *   are those of pip_retention_due_* record by record, statutory floors
 *   (法定保存期間) included, for requests that name no categories: a record
 *   whose categories its kind may not hold is asked one by one, with
 *   `categories`, so that it goes to a person's review; the period
 *   arithmetic is done once per kind, so a record costs one comparison.
 *   These answers are not recorded in the engine's decision log
 *   (pip_engine_options.audit_log_path): like pip/snapshot.h, they are
 *   verdicts of the compiled policy, not logged decisions.
 *
 * Errors (nothing is written): PIP_INVALID_ARGUMENT when due_bitmap or
 * engine is NULL, when kind_ids, record_kinds, event_unix_seconds or held
 * is NULL while its count is not 0, for an unknown kind id, a record_kinds
 * value past kind_id_count, a time outside the years of pip/limits.h, and
 * PIP_NO_EVENT for a kind that needs its event; the message names the
 * index.
 * Ownership: every array is the caller's and is read or written during the
 * call only.
 * Thread-safety: safe to call from any number of threads on one engine,
 * also while another thread reloads it; one call uses one policy. */
#define PIP_NO_EVENT INT64_MIN
#define PIP_NO_RETAIN_UNTIL INT32_MIN
PIP_EXTERN pip_status pip_retention_due_batch(
    uint64_t* due_bitmap, int32_t* retain_until, const pip_engine* engine,
    const char* const* kind_ids, size_t kind_id_count,
    const uint32_t* record_kinds, const int64_t* event_unix_seconds,
    const uint8_t* held, size_t record_count, int64_t as_of_unix_seconds,
    pip_error** error);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PIP_PIP_H_ */
