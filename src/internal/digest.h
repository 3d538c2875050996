// Hashing helpers shared by the policy compiler (content hash) and the
// decision log (request digests, chains). Internal to pip.
#ifndef PIP_SRC_INTERNAL_DIGEST_H_
#define PIP_SRC_INTERNAL_DIGEST_H_

#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/message_lite.h"

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX

namespace pip {
namespace internal {

// The message's deterministic serialization (fields in number order, the
// same bytes for the same content within one protobuf version).
std::string DeterministicBytes(const google::protobuf::MessageLite& message);

// Lowercase hex SHA-256 of `bytes`.
std::string Sha256Hex(absl::string_view bytes);

// HMAC-SHA-256 (RFC 2104) under one key. The key's inner and outer padded
// blocks are hashed once, here: a MAC then hashes its input and one block
// more, where OpenSSL's one-shot HMAC() looks the algorithm up and sets the
// key up again on every call (most of the cost of a short input).
//
// Immutable after construction; thread-safe.
class HmacSha256 {
 public:
  explicit HmacSha256(absl::string_view key);
  ~HmacSha256();
  HmacSha256(const HmacSha256&) = delete;
  HmacSha256& operator=(const HmacSha256&) = delete;

  // Lowercase hex HMAC-SHA-256(key, domain || bytes).
  std::string Hex(unsigned char domain, absl::string_view bytes) const;

 private:
  // SHA-256 states after (key ^ ipad) and after (key ^ opad).
  evp_md_ctx_st* inner_;
  evp_md_ctx_st* outer_;
};

}  // namespace internal
}  // namespace pip

#endif  // PIP_SRC_INTERNAL_DIGEST_H_
