// pip/trust.h: signed policies (policy integrity).
//
// A policy file can travel with a detached Ed25519 signature over exactly
// its bytes (text or binary). An Engine created with a PolicyTrust
// (EngineOptions::trust, pip/engine.h) refuses, at creation and at every
// reload, a policy whose signature does not verify under a trusted key, an
// unsigned one when signatures are required, one below min_revision, and at
// a reload one older than the running policy (no rollback). A refused
// policy leaves the running one untouched.
//
// Keys and signatures are what the openssl command line makes:
//
//   openssl genpkey -algorithm ed25519 -out signer.pem        # keep secret
//   openssl pkey -in signer.pem -pubout -out trusted.pem      # ship this
//   openssl pkeyutl -sign -rawin -inkey signer.pem -in policy.textproto
//       -out policy.textproto.sig                             # one line
//
// (`pipctl keygen`, `pipctl sign` and `pipctl verify` do the same.) In C++:
//
//   pip::PolicyTrustOptions options;
//   options.trusted_keys.push_back(ReadFile("trusted.pem"));
//   absl::StatusOr<pip::PolicyTrust> trust = pip::PolicyTrust::Create(options);
//   if (!trust.ok()) return trust.status();
//   pip::EngineOptions engine_options;
//   engine_options.trust = *trust;
//   auto engine = pip::Engine::Create(
//       pip::PolicySource::SignedFile("policy.textproto",
//                                     "policy.textproto.sig"),
//       std::move(engine_options));
//
// Status codes: UnauthenticatedError means the policy's origin is not
// proven (signature missing when required, malformed, or not made by a
// trusted key); FailedPreconditionError means the engine's state forbids
// the policy (a rollback); InvalidArgumentError means bad keys or options.
#ifndef PIP_TRUST_H_
#define PIP_TRUST_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace pip {

// Options of a PolicyTrust.
struct PolicyTrustOptions {
  // Ed25519 public keys whose signatures are accepted, each either a PEM
  // "PUBLIC KEY" block (as `openssl pkey -pubout` writes) or the 32 raw key
  // bytes. At least one when require_signature is set.
  std::vector<std::string> trusted_keys;
  // Refuse every policy that is not signed by a trusted key, including
  // unsigned sources (PolicySource::Default, Text, Binary, File, Message)
  // given to Engine::Create or Engine::Reload. Default true. When false, an
  // unsigned policy is accepted but a signature that is present must still
  // verify.
  bool require_signature = true;
  // Refuse any policy whose revision is lower, at load as at reload. The
  // engine refuses rollbacks below its running policy by itself; this
  // carries the floor across restarts: store the running revision
  // somewhere the policy's author cannot write, and pass it here. Default
  // 0 (no floor).
  int64_t min_revision = 0;
  // A file that keeps the floor across restarts by itself: the highest
  // revision any engine with this trust has accepted, as one decimal
  // number and a newline. When it exists at Create, its number raises
  // min_revision; every policy an engine then accepts, at creation and at
  // each reload, is written to it (a temporary file beside it, fsync,
  // rename) before the policy runs, so a restart with an older policy,
  // however validly signed, is refused. Keep it where the policy's author
  // cannot write. Create returns FailedPreconditionError naming the file
  // when it holds anything but a revision (a floor that cannot be read is
  // not dropped), NotFound is not an error (the first start), and an
  // engine refuses a policy whose revision it cannot write
  // (UnavailableError naming the file). Default "" (no file).
  std::string revision_file;
};

// A set of trusted signing keys. Immutable; cheap to copy.
//
// Thread-safety: safe to use from any number of threads.
class PolicyTrust {
 public:
  // Parses the keys. Returns InvalidArgumentError naming trusted_keys[i]
  // for a key that is not an Ed25519 public key, or when require_signature
  // is set and no key is given.
  static absl::StatusOr<PolicyTrust> Create(const PolicyTrustOptions& options);

  // Returns OK when `signature` is an Ed25519 signature over exactly
  // `policy_bytes` by one of the trusted keys, or when it is empty and
  // signatures are not required. `signature` is the 64 raw bytes or their
  // base64 (whitespace ignored). Returns UnauthenticatedError when the
  // signature is missing but required, malformed, or made by no trusted
  // key.
  absl::Status Verify(absl::string_view policy_bytes,
                      absl::string_view signature) const;

  bool require_signature() const { return require_signature_; }
  // The floor: PolicyTrustOptions.min_revision, raised to the number in
  // revision_file when that file held a higher one at Create.
  int64_t min_revision() const { return min_revision_; }
  const std::string& revision_file() const { return revision_file_; }

  // Records `revision` as accepted: with a revision_file, rewrites it to
  // the higher of `revision` and the number it holds (atomically, synced
  // to disk before it returns); without one, does nothing. Returns
  // UnavailableError naming the file when it cannot be written, or
  // FailedPreconditionError when it holds anything but a revision. An
  // Engine calls this before it runs a policy.
  //
  // Thread-safety: calls that write the same file must not overlap (an
  // Engine makes them under its reload lock); distinct files are
  // independent.
  absl::Status RecordAcceptedRevision(int64_t revision) const;

 private:
  struct Keys;
  PolicyTrust(std::shared_ptr<const Keys> keys,
              const PolicyTrustOptions& options, int64_t floor);

  std::shared_ptr<const Keys> keys_;
  bool require_signature_;
  int64_t min_revision_;
  std::string revision_file_;
};

// Signs `policy_bytes` with an Ed25519 private key in PEM ("PRIVATE KEY",
// as `openssl genpkey -algorithm ed25519` writes). Returns the 64 raw
// signature bytes, or InvalidArgumentError when the key is not an Ed25519
// private key.
//
// Thread-safety: safe to call concurrently.
absl::StatusOr<std::string> SignPolicy(absl::string_view policy_bytes,
                                       absl::string_view private_key_pem);

// A new Ed25519 key pair, both halves in PEM. Returns InternalError only
// when the system's random source fails.
//
// Thread-safety: safe to call concurrently.
struct Ed25519KeyPair {
  // "PRIVATE KEY" PEM (PKCS #8): keep it secret, off the servers that run
  // pip.
  std::string private_pem;
  // "PUBLIC KEY" PEM: goes into PolicyTrustOptions::trusted_keys.
  std::string public_pem;
};
absl::StatusOr<Ed25519KeyPair> GenerateEd25519KeyPair();

}  // namespace pip

#endif  // PIP_TRUST_H_
