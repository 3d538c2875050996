// Ed25519 signatures over policy bytes, with OpenSSL.
#include "pip/trust.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"

namespace pip {
namespace {

constexpr size_t kEd25519KeyBytes = 32;
constexpr size_t kEd25519SignatureBytes = 64;

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Bio = std::unique_ptr<BIO, BioFree>;

Bio MemoryBio(absl::string_view bytes) {
  return Bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

Pkey ParsePublicKey(absl::string_view key) {
  Pkey pkey;
  if (key.size() == kEd25519KeyBytes) {
    pkey.reset(EVP_PKEY_new_raw_public_key(
        EVP_PKEY_ED25519, nullptr,
        reinterpret_cast<const unsigned char*>(key.data()), key.size()));
  } else {
    Bio bio = MemoryBio(key);
    if (bio) pkey.reset(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  }
  if (pkey && EVP_PKEY_id(pkey.get()) != EVP_PKEY_ED25519) pkey.reset();
  return pkey;
}

// The 64 signature bytes of `signature` (raw, or base64 with whitespace);
// empty when it is neither.
std::string SignatureBytes(absl::string_view signature) {
  if (signature.size() == kEd25519SignatureBytes) return std::string(signature);
  std::string compact;
  for (char c : signature) {
    if (!absl::ascii_isspace(static_cast<unsigned char>(c))) compact.push_back(c);
  }
  std::string raw;
  if (!absl::Base64Unescape(compact, &raw) ||
      raw.size() != kEd25519SignatureBytes) {
    return std::string();
  }
  return raw;
}

}  // namespace

struct PolicyTrust::Keys {
  std::vector<Pkey> keys;
};

PolicyTrust::PolicyTrust(std::shared_ptr<const Keys> keys,
                         const PolicyTrustOptions& options, int64_t floor)
    : keys_(std::move(keys)),
      require_signature_(options.require_signature),
      min_revision_(floor),
      revision_file_(options.revision_file) {}

namespace {

// The revision a revision file holds: 0 when it does not exist yet.
absl::StatusOr<int64_t> ReadRevisionFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return 0;
    return absl::FailedPreconditionError(
        absl::StrCat("PolicyTrustOptions.revision_file '", path,
                     "': cannot read it (", std::strerror(errno),
                     "); the rollback floor it keeps is not dropped"));
  }
  // A revision is at most 19 digits and a newline; more is not a revision.
  char buf[32];
  ssize_t n;
  do {
    n = ::read(fd, buf, sizeof(buf));
  } while (n < 0 && errno == EINTR);
  const int error = errno;
  ::close(fd);
  if (n < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("PolicyTrustOptions.revision_file '", path,
                     "': cannot read it (", std::strerror(error), ")"));
  }
  absl::string_view text(buf, static_cast<size_t>(n));
  int64_t revision = 0;
  if (!absl::ConsumeSuffix(&text, "\n") || text.empty() ||
      !std::all_of(text.begin(), text.end(), absl::ascii_isdigit) ||
      !absl::SimpleAtoi(text, &revision)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "PolicyTrustOptions.revision_file '", path,
        "': does not hold a revision (one decimal number and a newline); "
        "restore it, or remove it only to start again with no floor"));
  }
  return revision;
}

absl::Status WriteFailed(const std::string& path, const char* what,
                         int error) {
  return absl::UnavailableError(
      absl::StrCat("PolicyTrustOptions.revision_file '", path, "': cannot ",
                   what, " (", std::strerror(error),
                   "); a policy whose revision is not kept is not run"));
}

// Replaces `path` with `revision`: a temporary file beside it, synced, then
// renamed over it, and the directory synced, so that a crash leaves the
// old number or the new one, never a torn one.
absl::Status WriteRevisionFile(const std::string& path, int64_t revision) {
  const std::string temp = absl::StrCat(path, ".tmp");
  const int fd =
      ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return WriteFailed(path, "create its temporary file", errno);
  const std::string text = absl::StrCat(revision, "\n");
  int error = 0;
  const ssize_t n = ::write(fd, text.data(), text.size());
  if (n != static_cast<ssize_t>(text.size())) {
    error = n < 0 ? errno : ENOSPC;  // a short write of a few bytes: full
  } else if (::fsync(fd) != 0) {
    error = errno;
  }
  ::close(fd);
  if (error != 0) {
    ::unlink(temp.c_str());
    return WriteFailed(path, "write it", error);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    error = errno;
    ::unlink(temp.c_str());
    return WriteFailed(path, "replace it", error);
  }
  const size_t slash = path.rfind('/');
  const std::string dir =
      slash == std::string::npos ? "." : path.substr(0, slash + 1);
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    const bool ok = ::fsync(dir_fd) == 0;
    error = errno;
    ::close(dir_fd);
    if (!ok) return WriteFailed(path, "sync its directory", error);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status PolicyTrust::RecordAcceptedRevision(int64_t revision) const {
  if (revision_file_.empty()) return absl::OkStatus();
  absl::StatusOr<int64_t> stored = ReadRevisionFile(revision_file_);
  if (!stored.ok()) return stored.status();
  if (revision <= *stored) return absl::OkStatus();
  return WriteRevisionFile(revision_file_, revision);
}

absl::StatusOr<PolicyTrust> PolicyTrust::Create(
    const PolicyTrustOptions& options) {
  auto keys = std::make_shared<Keys>();
  for (size_t i = 0; i < options.trusted_keys.size(); ++i) {
    Pkey key = ParsePublicKey(options.trusted_keys[i]);
    if (!key) {
      return absl::InvalidArgumentError(absl::StrCat(
          "PolicyTrustOptions.trusted_keys[", i,
          "]: not an Ed25519 public key (a PEM \"PUBLIC KEY\" block or 32 "
          "raw bytes)"));
    }
    keys->keys.push_back(std::move(key));
  }
  if (options.require_signature && keys->keys.empty()) {
    return absl::InvalidArgumentError(
        "PolicyTrustOptions.trusted_keys: empty, but require_signature is "
        "set: no policy could ever load");
  }
  if (options.min_revision < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "PolicyTrustOptions.min_revision: ", options.min_revision,
        "; must not be negative"));
  }
  int64_t floor = options.min_revision;
  if (!options.revision_file.empty()) {
    absl::StatusOr<int64_t> stored = ReadRevisionFile(options.revision_file);
    if (!stored.ok()) return stored.status();
    floor = std::max(floor, *stored);
  }
  return PolicyTrust(std::move(keys), options, floor);
}

absl::Status PolicyTrust::Verify(absl::string_view policy_bytes,
                                 absl::string_view signature) const {
  if (signature.empty()) {
    if (!require_signature_) return absl::OkStatus();
    return absl::UnauthenticatedError(
        "the policy has no signature, and signatures are required "
        "(PolicyTrustOptions.require_signature)");
  }
  const std::string raw = SignatureBytes(signature);
  if (raw.empty()) {
    return absl::UnauthenticatedError(absl::StrCat(
        "the policy signature is malformed: expected ", kEd25519SignatureBytes,
        " bytes of Ed25519 signature, raw or base64"));
  }
  for (const Pkey& key : keys_->keys) {
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    if (ctx == nullptr ||
        EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr,
                             key.get()) != 1) {
      continue;
    }
    if (EVP_DigestVerify(
            ctx.get(), reinterpret_cast<const unsigned char*>(raw.data()),
            raw.size(),
            reinterpret_cast<const unsigned char*>(policy_bytes.data()),
            policy_bytes.size()) == 1) {
      return absl::OkStatus();
    }
  }
  return absl::UnauthenticatedError(absl::StrCat(
      "the policy signature does not verify under any of the ",
      keys_->keys.size(),
      " trusted keys: the policy was changed after signing, or signed by "
      "an untrusted key"));
}

absl::StatusOr<std::string> SignPolicy(absl::string_view policy_bytes,
                                       absl::string_view private_key_pem) {
  Bio bio = MemoryBio(private_key_pem);
  Pkey key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
               : nullptr);
  if (!key || EVP_PKEY_id(key.get()) != EVP_PKEY_ED25519) {
    return absl::InvalidArgumentError(
        "not an Ed25519 private key in PEM (\"PRIVATE KEY\", as `openssl "
        "genpkey -algorithm ed25519` writes)");
  }
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  std::string signature(kEd25519SignatureBytes, '\0');
  size_t length = signature.size();
  if (ctx == nullptr ||
      EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) !=
          1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(&signature[0]),
                     &length,
                     reinterpret_cast<const unsigned char*>(policy_bytes.data()),
                     policy_bytes.size()) != 1 ||
      length != kEd25519SignatureBytes) {
    return absl::InternalError("Ed25519 signing failed");
  }
  return signature;
}

absl::StatusOr<Ed25519KeyPair> GenerateEd25519KeyPair() {
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(
      EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
  EVP_PKEY* raw = nullptr;
  if (ctx == nullptr || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_keygen(ctx.get(), &raw) != 1) {
    return absl::InternalError("Ed25519 key generation failed");
  }
  Pkey key(raw);
  Bio priv(BIO_new(BIO_s_mem()));
  Bio pub(BIO_new(BIO_s_mem()));
  if (!priv || !pub ||
      PEM_write_bio_PrivateKey(priv.get(), key.get(), nullptr, nullptr, 0,
                               nullptr, nullptr) != 1 ||
      PEM_write_bio_PUBKEY(pub.get(), key.get()) != 1) {
    return absl::InternalError("cannot write the Ed25519 key pair as PEM");
  }
  return Ed25519KeyPair{BioContents(priv.get()), BioContents(pub.get())};
}

}  // namespace pip
